/**
 * Time spent learning, as far as the records can honestly tell it. Nothing measures reading
 * directly (a page left open is not reading), so:
 * - quiz time is the sum of the attempts' durations, from opening to submitting each one;
 * - reading time is estimated from the gaps between consecutive learning acts of one sitting:
 *   the time before an act, since the previous act ended, is taken as spent on it. A gap over
 *   `SITTING_BREAK_MS` ends the sitting and counts for nothing, so the first act of each
 *   sitting adds no reading time: the estimate errs low, never high.
 */

/** A pause longer than this (30 minutes) ends a sitting. */
export const SITTING_BREAK_MS = 30 * 60 * 1000;

/** One learning act: a lesson finished (a moment), or a quiz attempt (opened → submitted). */
export interface LearningAct {
  courseId: string;
  /** ISO time it began: when a lesson was finished, when an attempt was opened. */
  from: string;
  /** ISO time it ended: the same moment for a lesson; the submission of an attempt. */
  to: string;
  /** A quiz attempt: its duration is quiz time. */
  quiz: boolean;
}

export interface TimeSplit {
  readingMs: number;
  quizMs: number;
}

export interface TimeSpent extends TimeSplit {
  totalMs: number;
  /** Sittings: runs of acts with no pause over 30 minutes. */
  sittings: number;
  /** The same split per course: a gap counts for the course of the act it leads to. */
  byCourse: Map<string, TimeSplit>;
}

/** Reading and quiz time of these acts, in any order; acts whose times cannot be read are left out. */
export function timeSpent(acts: readonly LearningAct[]): TimeSpent {
  const timed = acts
    .map((act) => {
      const start = Date.parse(act.from);
      return { act, start, end: Math.max(start, Date.parse(act.to)) };
    })
    .filter((t) => Number.isFinite(t.start) && Number.isFinite(t.end))
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const byCourse = new Map<string, TimeSplit>();
  const spent: TimeSpent = { readingMs: 0, quizMs: 0, totalMs: 0, sittings: 0, byCourse };
  // The end of the latest act so far: acts inside an open attempt add no reading time.
  let cursor: number | null = null;
  for (const { act, start, end } of timed) {
    let course = byCourse.get(act.courseId);
    if (!course) {
      course = { readingMs: 0, quizMs: 0 };
      byCourse.set(act.courseId, course);
    }
    if (act.quiz) {
      spent.quizMs += end - start;
      course.quizMs += end - start;
    }
    if (cursor === null || start - cursor > SITTING_BREAK_MS) {
      spent.sittings += 1;
    } else if (start > cursor) {
      spent.readingMs += start - cursor;
      course.readingMs += start - cursor;
    }
    cursor = cursor === null ? end : Math.max(cursor, end);
  }
  spent.totalMs = spent.readingMs + spent.quizMs;
  return spent;
}

/**
 * A span as Vietnamese readers say it. Totals to the minute ("2 giờ 5 phút", "dưới 1 phút");
 * `precise` for one attempt, to the second below an hour ("3 phút 20 giây").
 */
export function durationText(ms: number, precise = false): string {
  if (precise) {
    const seconds = Math.round(ms / 1000);
    const hours = Math.floor(seconds / 3600);
    const minutes = Math.floor((seconds % 3600) / 60);
    const rest = seconds % 60;
    const parts = [
      hours > 0 ? `${hours} giờ` : '',
      minutes > 0 ? `${minutes} phút` : '',
      hours === 0 && rest > 0 ? `${rest} giây` : '',
    ].filter(Boolean);
    return parts.length > 0 ? parts.join(' ') : '0 giây';
  }
  const minutes = Math.round(ms / 60_000);
  if (minutes === 0) return ms > 0 ? 'dưới 1 phút' : '0 phút';
  const hours = Math.floor(minutes / 60);
  const parts = [hours > 0 ? `${hours} giờ` : '', minutes % 60 > 0 ? `${minutes % 60} phút` : ''];
  return parts.filter(Boolean).join(' ');
}
