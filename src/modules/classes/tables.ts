/**
 * An in-person class session (buổi học trực tiếp) organised by a unit, e.g. at a village's
 * cultural house. `startsAt` is an ISO instant; it is entered as a Vietnamese local day and time.
 * `checkinSecret` keys the rotating check-in codes of this session only.
 */
export interface ClassSessionTable {
  id: string;
  tenantId: string;
  /** The organising unit: who may run the session is decided over its subtree. */
  unitId: string;
  courseId: string | null;
  title: string;
  place: string;
  startsAt: string;
  durationMinutes: number;
  capacity: number;
  /** A learner block (see identity/blocks.ts): online registration is limited to it when set. */
  audienceBlock: string | null;
  audienceNote: string | null;
  instructorAccountId: string;
  status: 'scheduled' | 'cancelled';
  checkinSecret: string;
  /** The pass mark (percent of the maximum) the paper results were last graded with. */
  paperPassPercent: number | null;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
}

/**
 * A seat in a session: a person registered online, added at the door, or checked in; or a walk-in
 * without an account (name and phone only) until it is linked to one. A row holds a seat.
 */
export interface ClassAttendeeTable {
  id: string;
  tenantId: string;
  sessionId: string;
  accountId: string | null;
  walkInName: string | null;
  /** Normalised (+84…), like account phones, so a later link finds the account. */
  walkInPhone: string | null;
  registeredAt: string | null;
  addedBy: string | null;
  attendedAt: string | null;
  attendanceVia: 'qr' | 'roster' | 'walk-in' | null;
  paperScore: number | null;
  paperMax: number | null;
  paperPassed: number | null;
  resultBy: string | null;
  resultAt: string | null;
}

export interface ClassTables {
  classSessions: ClassSessionTable;
  classAttendees: ClassAttendeeTable;
}
