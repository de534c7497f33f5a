import { ANY } from '../stats/facts.js';

/** What a dashboard is about: a subject (any, a course or a program), a block, a period. */
export interface DashboardFilters {
  /** `*` (anything), a course id or a program id. */
  subject: string;
  /** A block code, or '' for every block. */
  block: string;
  /** Inclusive days `YYYY-MM-DD` bounding starts and completions; '' when open. */
  from: string;
  to: string;
}

export const NO_FILTERS: DashboardFilters = { subject: ANY, block: '', from: '', to: '' };

/** The figures of one unit's subtree (or one block of it). */
export interface Figures {
  /** People on the roster now. */
  people: number;
  /** Assignments now (not left), then how they stand. */
  assigned: number;
  done: number;
  exempt: number;
  overdue: number;
  /** Learners who started / completed (in the period, when one is set). */
  started: number;
  completed: number;
  /** Holders of a valid "đạt yêu cầu" qualification today. */
  qualified: number;
  /** Quizzes attempted, passed, and the sum of best scores (per learner and quiz). */
  quizzes: number;
  passes: number;
  scores: number;
}

export const ZERO: Figures = {
  people: 0,
  assigned: 0,
  done: 0,
  exempt: 0,
  overdue: 0,
  started: 0,
  completed: 0,
  qualified: 0,
  quizzes: 0,
  passes: 0,
  scores: 0,
};

export type Count = keyof Figures;

/** A share as a whole percent with one decimal, or null when there is nothing to divide by. */
export const percent = (part: number, whole: number): number | null =>
  whole > 0 ? Math.round((part / whole) * 1000) / 10 : null;

/**
 * What rates are read against: the roster for "any course" (everyone may learn), the people
 * assigned for a course or program that has been assigned, else the roster.
 */
export type RateBase = 'people' | 'assigned';

export const baseOf = (f: Figures, base: RateBase = f.assigned > 0 ? 'assigned' : 'people') =>
  base === 'assigned' ? f.assigned : f.people;

export interface Rates {
  started: number | null;
  completed: number | null;
  overdue: number | null;
  qualified: number | null;
  /** Average best score (0–100) over attempted quizzes. */
  averageScore: number | null;
  /** Passed quizzes over attempted ones. */
  passRate: number | null;
}

export function ratesOf(f: Figures, rateBase?: RateBase): Rates {
  const base = baseOf(f, rateBase);
  return {
    started: percent(f.started, base),
    completed: percent(f.completed, base),
    overdue: percent(f.overdue, f.assigned),
    qualified: percent(f.qualified, base),
    averageScore: f.quizzes > 0 ? Math.round((f.scores / f.quizzes) * 10) / 10 : null,
    passRate: percent(f.passes, f.quizzes),
  };
}

export function addFigures(a: Figures, b: Partial<Figures>): Figures {
  const sum = { ...a };
  for (const key of Object.keys(b) as Count[]) sum[key] += b[key] ?? 0;
  return sum;
}

/** A target and how far a subtree has come: "80% of officials qualified by the end of 2025". */
export interface TargetProgress {
  year: number;
  block: string;
  metric: TargetMetric;
  /** The share to reach, in percent. */
  percent: number;
  /** Where the target was set: '' tenant-wide, else the unit's id. */
  setAt: string;
  /** The block's people, and how many of them count. */
  people: number;
  reached: number;
  /** reached / people in percent, null without people. */
  actual: number | null;
  attained: boolean;
}

export const TARGET_METRICS = ['started', 'completed', 'qualified'] as const;
export type TargetMetric = (typeof TARGET_METRICS)[number];

export interface ChildRow {
  unitId: string;
  name: string;
  figures: Figures;
  rates: Rates;
}

export interface SeriesPoint {
  day: string;
  started: number;
  completed: number;
}

/** Everything a unit's dashboard shows, computed from the statistics (never from learners). */
export interface Dashboard {
  tenantId: string;
  unit: { id: string; name: string; fullName: string; path: string };
  filters: DashboardFilters;
  /** What the subject is called ("Mọi khóa học và chương trình" for any). */
  subjectTitle: string;
  /** The day "today" was when the figures were read (overdue and qualified depend on it). */
  today: string;
  /** What the rates of this dashboard (and of its rows) are read against. */
  rateBase: RateBase;
  figures: Figures;
  rates: Rates;
  /** The subtree's figures per block (every block, whatever the block filter). */
  byBlock: { block: string; figures: Figures; rates: Rates }[];
  children: ChildRow[];
  /** Starts and completions per day, over the period (the last 90 days when none is set). */
  series: SeriesPoint[];
  targets: TargetProgress[];
}
