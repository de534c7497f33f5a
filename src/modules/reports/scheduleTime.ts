/**
 * When a scheduled report is due: occurrences of a daily, weekly or monthly rule at a time of
 * day in Vietnam (UTC+7 all year, no daylight saving), as moments in UTC.
 */
import type { ScheduleFrequency } from './scheduleTables.js';

export interface Recurrence {
  frequency: ScheduleFrequency;
  /** ISO weekday 1 (Monday) … 7 (Sunday), weekly only. */
  weekday: number | null;
  /** 1 … 31, monthly only; a shorter month runs on its last day. */
  monthDay: number | null;
  /** `HH:MM`, Vietnam time. */
  timeOfDay: string;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const VIETNAM_OFFSET = 7 * 60 * MINUTE;
/** Enough days to find any occurrence of a monthly rule, forward or back. */
const SEARCH_DAYS = 62;

export const WEEKDAYS: Record<number, string> = {
  1: 'Thứ Hai',
  2: 'Thứ Ba',
  3: 'Thứ Tư',
  4: 'Thứ Năm',
  5: 'Thứ Sáu',
  6: 'Thứ Bảy',
  7: 'Chủ Nhật',
};

/** `H:MM` or `HH:MM` with a real hour and minute, as [hour, minute]; null otherwise. */
export function parseTimeOfDay(text: string): [number, number] | null {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const hour = Number(match[1]);
  const minute = Number(match[2]);
  return hour <= 23 && minute <= 59 ? [hour, minute] : null;
}

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** Whether the rule runs on this calendar day (a UTC date standing for a day in Vietnam). */
function runsOn(rule: Recurrence, day: Date): boolean {
  switch (rule.frequency) {
    case 'daily':
      return true;
    case 'weekly':
      return (day.getUTCDay() || 7) === rule.weekday;
    case 'monthly':
      return (
        day.getUTCDate() ===
        Math.min(rule.monthDay ?? 1, daysInMonth(day.getUTCFullYear(), day.getUTCMonth()))
      );
  }
}

/** The occurrence on the day that starts at `localMidnight` (Vietnam's calendar, as UTC), if any. */
function occurrenceOn(rule: Recurrence, localMidnight: number): number | null {
  const [hour, minute] = parseTimeOfDay(rule.timeOfDay) ?? [0, 0];
  if (!runsOn(rule, new Date(localMidnight))) return null;
  return localMidnight + (hour * 60 + minute) * MINUTE - VIETNAM_OFFSET;
}

/** Midnight of the day in Vietnam that `at` falls on, on the shifted clock. */
const localMidnightOf = (at: Date) => {
  const local = at.getTime() + VIETNAM_OFFSET;
  return local - (((local % DAY) + DAY) % DAY);
};

/** The first occurrence strictly after `after`. */
export function nextOccurrence(rule: Recurrence, after: Date): Date {
  const start = localMidnightOf(after);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const at = occurrenceOn(rule, start + i * DAY);
    if (at !== null && at > after.getTime()) return new Date(at);
  }
  throw new Error(`No occurrence of ${JSON.stringify(rule)} after ${after.toISOString()}`);
}

/** The last occurrence at or before `at`. */
export function lastOccurrence(rule: Recurrence, at: Date): Date {
  const start = localMidnightOf(at);
  for (let i = 0; i <= SEARCH_DAYS; i++) {
    const when = occurrenceOn(rule, start - i * DAY);
    if (when !== null && when <= at.getTime()) return new Date(when);
  }
  throw new Error(`No occurrence of ${JSON.stringify(rule)} before ${at.toISOString()}`);
}

/**
 * The one occurrence to run now for a schedule whose next run was due at `nextRunAt`: the latest
 * that has passed. Occurrences missed while no scheduler ran (a week down) make one catch-up run,
 * not one each; the run is for the latest, so its figures answer "as of the latest due time".
 */
export function dueOccurrence(rule: Recurrence, nextRunAt: Date, now: Date): Date {
  const latest = lastOccurrence(rule, now);
  return latest.getTime() >= nextRunAt.getTime() ? latest : nextRunAt;
}

/** The rule in words: "Hằng tuần, Thứ Hai, lúc 07:00". */
export function recurrenceText(rule: Recurrence): string {
  const time = `lúc ${rule.timeOfDay}`;
  switch (rule.frequency) {
    case 'daily':
      return `Hằng ngày, ${time}`;
    case 'weekly':
      return `Hằng tuần, ${WEEKDAYS[rule.weekday ?? 1] ?? ''}, ${time}`;
    case 'monthly':
      return `Hằng tháng, ngày ${rule.monthDay ?? 1}, ${time}`;
  }
}
