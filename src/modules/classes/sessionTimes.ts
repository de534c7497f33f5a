import { vietnamDay } from '../../web/format.js';
import { vietnamDayAndTime } from './sessionInput.js';

const MINUTE_MS = 60_000;
/** Learners may scan from an hour before the start (people come early to a village hall)… */
export const CHECKIN_OPENS_BEFORE_MINUTES = 60;
/** …until two hours after the end; later, only the instructor's roster records attendance. */
export const CHECKIN_CLOSES_AFTER_MINUTES = 120;

interface Timed {
  startsAt: string;
  durationMinutes: number;
  status: string;
}

export const endsAt = (session: Timed): Date =>
  new Date(Date.parse(session.startsAt) + session.durationMinutes * MINUTE_MS);

export const hasStarted = (session: Timed, now: Date): boolean =>
  Date.parse(session.startsAt) <= now.getTime();

export const isOver = (session: Timed, now: Date): boolean => endsAt(session).getTime() < now.getTime();

/** Where `now` is against the session's QR check-in period. */
export function checkinPeriod(session: Timed, now: Date): 'cancelled' | 'early' | 'open' | 'closed' {
  if (session.status === 'cancelled') return 'cancelled';
  if (now.getTime() < Date.parse(session.startsAt) - CHECKIN_OPENS_BEFORE_MINUTES * MINUTE_MS) return 'early';
  if (now.getTime() > endsAt(session).getTime() + CHECKIN_CLOSES_AFTER_MINUTES * MINUTE_MS) return 'closed';
  return 'open';
}

const WEEKDAYS = ['Chủ nhật', 'Thứ Hai', 'Thứ Ba', 'Thứ Tư', 'Thứ Năm', 'Thứ Sáu', 'Thứ Bảy'];

/** "08:30" in Vietnam. */
export const vietnamClock = (iso: string): string => vietnamDayAndTime(iso).time;

/**
 * When a session is, as an invitation says it: "Thứ Bảy, 05/12/2026, 08:30–10:00".
 * @example sessionWhen({ startsAt: '2026-12-05T01:30:00.000Z', durationMinutes: 90, status: 'scheduled' })
 */
export function sessionWhen(session: Timed): string {
  const { day, time } = vietnamDayAndTime(session.startsAt);
  const weekday = WEEKDAYS[new Date(`${day}T00:00:00Z`).getUTCDay()];
  return `${weekday}, ${vietnamDay(day)}, ${time}–${vietnamClock(endsAt(session).toISOString())}`;
}
