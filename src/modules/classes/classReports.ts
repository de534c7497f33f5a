import { todayInVietnam } from '../../db/time.js';
import { formatPhone } from '../identity/phone.js';
import { resultText } from './paperResults.js';
import { type AttendeeRow, classQueries as q, type SessionRow } from './queries.js';
import { vietnamInstant } from './sessionInput.js';
import { accountsByIds, byVietnameseName, type ClassDeps } from './sessions.js';
import { isOver, sessionWhen } from './sessionTimes.js';

/** A phone as a sheet or screen others may see shows it: the last three digits only. */
export const maskedPhone = (phone: string | null): string =>
  phone ? `••• ••• ${formatPhone(phone).slice(-3)}` : '';

const HOW_LABELS = {
  registered: 'Đăng ký trực tuyến',
  door: 'Thêm tại lớp',
  qr: 'Quét mã tại lớp',
  walkIn: 'Khách vãng lai',
} as const;

export interface RosterEntry {
  attendee: AttendeeRow;
  name: string;
  maskedPhone: string;
  /** How the person came to hold the seat. */
  how: string;
  present: boolean;
  result: string | null;
  /** For a walk-in whose phone is an account's: that account's name, to link it to. */
  suggestedAccount: string | null;
}

export interface Roster {
  /** People with an account, by name. */
  people: RosterEntry[];
  /** Walk-ins not yet linked to an account, in the order they came. */
  walkIns: RosterEntry[];
}

function howOf(row: AttendeeRow): string {
  if (!row.accountId) return HOW_LABELS.walkIn;
  if (row.registeredAt) return HOW_LABELS.registered;
  if (row.addedBy) return HOW_LABELS.door;
  return HOW_LABELS.qr;
}

/** Everyone holding a seat in a session, as the roster page and the attendance sheet list them. */
export async function rosterOf(deps: ClassDeps, session: SessionRow): Promise<Roster> {
  const rows = await q.attendees(deps.db.kysely, session.id);
  const accounts = await accountsByIds(
    deps,
    session.tenantId,
    rows.map((r) => r.accountId),
  );
  const people: RosterEntry[] = [];
  const walkIns: RosterEntry[] = [];
  for (const attendee of rows) {
    const entry = {
      attendee,
      how: howOf(attendee),
      present: attendee.attendedAt !== null,
      result: resultText(attendee),
    };
    if (attendee.accountId) {
      const account = accounts.get(attendee.accountId);
      people.push({
        ...entry,
        name: account?.fullName ?? 'Tài khoản đã xóa',
        maskedPhone: maskedPhone(account?.phone ?? null),
        suggestedAccount: null,
      });
    } else {
      const match = attendee.walkInPhone
        ? await deps.identity.accountByIdentifier(session.tenantId, attendee.walkInPhone)
        : undefined;
      walkIns.push({
        ...entry,
        name: attendee.walkInName ?? '',
        maskedPhone: maskedPhone(attendee.walkInPhone),
        suggestedAccount: match && !match.deletedAt ? match.fullName : null,
      });
    }
  }
  people.sort((a, b) => byVietnameseName(a.name, b.name));
  walkIns.sort((a, b) => (a.attendee.attendedAt ?? '').localeCompare(b.attendee.attendedAt ?? ''));
  return { people, walkIns };
}

export interface SessionReport {
  seats: number;
  registered: number;
  addedAtDoor: number;
  checkedInByQr: number;
  present: number;
  /** People with a seat who were not there (counted once the session is over). */
  absent: number;
  walkIns: number;
  results: number;
  passed: number;
  /** The average score as a percentage of the maximum, or null without results. */
  averagePercent: number | null;
}

/** The figures of one session for its page: seats, who came and how, paper results. */
export function sessionReport(session: SessionRow, roster: Roster, now: Date): SessionReport {
  const all = [...roster.people, ...roster.walkIns].map((e) => e.attendee);
  const present = all.filter((r) => r.attendedAt);
  const scored = all.filter((r) => r.paperScore !== null && r.paperMax);
  return {
    seats: all.length,
    registered: all.filter((r) => r.registeredAt).length,
    addedAtDoor: all.filter((r) => r.accountId && !r.registeredAt && r.addedBy).length,
    checkedInByQr: present.filter((r) => r.attendanceVia === 'qr').length,
    present: present.length,
    absent: isOver(session, now) ? all.length - present.length : 0,
    walkIns: present.filter((r) => !r.accountId).length,
    results: scored.length,
    passed: scored.filter((r) => r.paperPassed === 1).length,
    averagePercent:
      scored.length === 0
        ? null
        : Math.round(
            scored.reduce((sum, r) => sum + ((r.paperScore as number) / (r.paperMax as number)) * 100, 0) /
              scored.length,
          ),
  };
}

export type ClassAttendance = 'present' | 'absent' | 'registered' | 'cancelled';

export const ATTENDANCE_LABELS: Record<ClassAttendance, string> = {
  present: 'Có mặt',
  absent: 'Vắng',
  registered: 'Đã đăng ký',
  cancelled: 'Buổi học đã hủy',
};

/** One in-person class in a person's learning record. */
export interface RecordClass {
  sessionId: string;
  title: string;
  courseTitle: string | null;
  startsAt: string;
  when: string;
  place: string;
  unitName: string;
  attendance: ClassAttendance;
  attendanceLabel: string;
  attendedAt: string | null;
  /** The paper quiz result in words ("7,5/10 (đạt)"), or null. */
  result: string | null;
  scorePercent: number | null;
}

/** Every class a person held a seat in, the latest first, as their learning record shows them. */
export async function classesOf(
  deps: ClassDeps,
  tenantId: string,
  accountId: string,
): Promise<RecordClass[]> {
  const seats = await q.seatsOf(deps.db.kysely, tenantId, accountId);
  const [units, courses] = await Promise.all([
    deps.org.unitsByIds(
      tenantId,
      seats.map((s) => s.unitId),
    ),
    deps.catalog.coursesByIds(tenantId, [...new Set(seats.flatMap((s) => (s.courseId ? [s.courseId] : [])))]),
  ]);
  const courseTitles = new Map(courses.map((c) => [c.id, c.title]));
  const now = deps.now();
  return seats.map((s) => {
    const attendance: ClassAttendance = s.attendedAt
      ? 'present'
      : s.status === 'cancelled'
        ? 'cancelled'
        : isOver(s, now)
          ? 'absent'
          : 'registered';
    return {
      sessionId: s.id,
      title: s.title,
      courseTitle: s.courseId ? (courseTitles.get(s.courseId) ?? null) : null,
      startsAt: s.startsAt,
      when: sessionWhen(s),
      place: s.place,
      unitName: units.get(s.unitId)?.fullName ?? '',
      attendance,
      attendanceLabel: ATTENDANCE_LABELS[attendance],
      attendedAt: s.attendedAt,
      result: resultText(s),
      scorePercent:
        s.paperScore === null || !s.paperMax ? null : Math.round((s.paperScore / s.paperMax) * 100),
    };
  });
}

/** What in-person classes add to a unit's figures over a period. */
export interface ClassFigures {
  /** Sessions held (not cancelled) starting in the period. */
  sessions: number;
  /** Attendances (people present, walk-ins included). */
  attendances: number;
  /** Attendances of walk-ins not (yet) linked to an account. */
  walkIns: number;
  paperPassed: number;
}

/**
 * The classes figures of each subtree over a period of Vietnamese days (both included; an empty
 * start is open, an empty end is today): one query per organising unit's totals, bucketed into the subtrees by the units' paths.
 * @example await unitSummary(deps, tenantId, [{ id: commune.id, path: commune.path }], { from: '2026-01-01', to: '2026-12-31' })
 */
export async function unitSummary(
  deps: ClassDeps,
  tenantId: string,
  subtrees: { id: string; path: string }[],
  period: { from: string; to: string },
): Promise<Map<string, ClassFigures>> {
  // An open start reaches back to the first session; an open end stops with today: sessions
  // held or being held, not those planned for later days.
  const start = period.from ? vietnamInstant(period.from, '00:00') : '';
  const lastDay = period.to || todayInVietnam(deps.now());
  const end = new Date(Date.parse(vietnamInstant(lastDay, '00:00')) + 24 * 3600 * 1000).toISOString();
  const rows = await q.heldByUnit(deps.db.kysely, tenantId, start, end);
  const units = await deps.org.unitsByIds(
    tenantId,
    rows.map((r) => r.unitId),
  );
  const figures = new Map<string, ClassFigures>(
    subtrees.map((s) => [s.id, { sessions: 0, attendances: 0, walkIns: 0, paperPassed: 0 }]),
  );
  for (const row of rows) {
    const path = units.get(row.unitId)?.path;
    if (!path) continue;
    for (const subtree of subtrees) {
      if (!path.startsWith(subtree.path)) continue;
      const sum = figures.get(subtree.id) as ClassFigures;
      sum.sessions += Number(row.sessions);
      sum.attendances += Number(row.attendances);
      sum.walkIns += Number(row.walkIns);
      sum.paperPassed += Number(row.paperPassed);
    }
  }
  return figures;
}
