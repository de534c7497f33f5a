/** How often a scheduled report runs. */
export type ScheduleFrequency = 'daily' | 'weekly' | 'monthly';

/**
 * Where one run of a schedule stands. `running`: claimed (the row is the claim), its figures not
 * stored yet; `done`: figures and files stored, never changed again; `failed`: given up after
 * several attempts, with the last error.
 */
export type SnapshotStatus = 'running' | 'done' | 'failed';

/**
 * A report an evaluator (or a tenant admin, or a unit manager in their subtree) has scheduled:
 * the dashboard of a unit's subtree, with a subject and block filter, taken at a time of day in
 * Vietnam, daily, weekly on a weekday or monthly on a day of the month.
 */
export interface ReportScheduleTable {
  id: string;
  tenantId: string;
  unitId: string;
  name: string;
  /** `*` (anything), a course id or a program id: the dashboard's subject filter. */
  subject: string;
  /** A block code, or '' for every block. */
  block: string;
  frequency: ScheduleFrequency;
  /** ISO weekday, 1 (Monday) to 7 (Sunday); weekly schedules only. */
  weekday: number | null;
  /** 1 to 31; monthly schedules only. A month without that day runs on its last day. */
  monthDay: number | null;
  /** The clock in Vietnam, `HH:MM`. */
  timeOfDay: string;
  /** The next occurrence not yet claimed (ISO, UTC); the runner claims it once it has passed. */
  nextRunAt: string;
  createdBy: string;
  createdAt: string;
  /** Set while paused: no occurrence is claimed; resuming starts again from the next one. */
  pausedAt: string | null;
  /** Set once removed: it never runs again; its snapshots are kept and stay readable. */
  removedAt: string | null;
  removedBy: string | null;
}

/**
 * One run of a schedule, for one due time. `(scheduleId, dueAt)` is unique: inserting the row
 * is the claim, so an occurrence is run once however many processes look at the same time.
 */
export interface ReportSnapshotTable {
  id: string;
  tenantId: string;
  scheduleId: string;
  /** The occurrence this run is for (ISO, UTC). */
  dueAt: string;
  status: SnapshotStatus;
  /** Claims so far (the first included); a run that keeps failing is given up after a few. */
  attempts: number;
  /** The process working on it, and until when its claim holds (then another may take it over). */
  lockedBy: string | null;
  lockedUntil: string | null;
  claimedAt: string;
  /** When the figures were read and the files stored. */
  finishedAt: string | null;
  /** The dashboard as it was (JSON of `Dashboard`); stored, never recomputed. */
  figures: string | null;
  /** Stored file names (see files/fileStore.ts). */
  xlsxFile: string | null;
  pdfFile: string | null;
  /** The last error, in words, while retrying or once failed. */
  error: string | null;
}

export interface ScheduleTables {
  reportSchedules: ReportScheduleTable;
  reportSnapshots: ReportSnapshotTable;
}
