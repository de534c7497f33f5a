import { createHash, hash } from 'node:crypto';
import type { LessonSummary } from '../../catalog/service.js';
import type { Block } from '../../identity/blocks.js';
import { deriveProgress, type LessonState } from '../../learning/progress.js';
import { programCompletedAt } from '../../programs/completion.js';
import { addDays, addMonths } from '../../programs/days.js';
import type { ProgramCourseRole } from '../../programs/tables.js';
import { type BulkTable, RowBuffer } from './bulkWriter.js';
import { vietnameseName } from './names.js';
import { cumulative, Prng } from './prng.js';

/**
 * The synthetic learning of one person, generated from the seed and the person's index alone
 * (so any person can be made again without the others), written as the very rows the product
 * writes when people learn: the account, its learning events, lesson states, course progress,
 * certificates, assignments and qualifications.
 */

export interface SynthQuiz {
  id: string;
  questions: number;
  passPercent: number;
  maxAttempts: number | null;
}

export interface SynthCourse {
  id: string;
  title: string;
  versionId: string;
  blocks: string[];
  /** Every lesson in course order (as `CourseOutline.lessons`). */
  lessons: LessonSummary[];
  quizzes: Map<string, SynthQuiz>;
}

export interface SynthProgram {
  id: string;
  name: string;
  targetBlock: string | null;
  validityMonths: number | null;
  electivesRequired: number;
  courses: { courseId: string; role: ProgramCourseRole }[];
}

/** An assignment rule as the people it assigns see it. */
export interface SynthRule {
  id: string;
  createdAt: number;
  unitPath: string;
  blocks: string[];
  position: string | null;
  role: string | null;
  dueOn: string | null;
  dueDays: number | null;
  courseId: string | null;
  program: SynthProgram | null;
}

export interface World {
  tenantId: string;
  seed: number;
  /** Hex mixed into every id and code, so two synthetic tenants in one database never collide. */
  namespace: string;
  /** First and last instant (exclusive) of the generated learning, ms since epoch. */
  windowStart: number;
  windowEnd: number;
  passwordHash: string;
  courses: SynthCourse[];
  /** The officials' program, its rule, and when the rule's due day ends. */
  officials: { program: SynthProgram; rule: SynthRule; dueEnd: number };
  /** Every rule of the tenant, the officials' one included. */
  rules: SynthRule[];
  programs: SynthProgram[];
}

/** Where a person lives and which block they belong to. */
export interface Placement {
  unitId: string;
  unitPath: string;
  block: Block;
}

const text = 'text' as const;
const int = 'int' as const;

export const TABLES = {
  accounts: {
    name: 'accounts',
    columns: [
      ['id', text],
      ['tenant_id', text],
      ['full_name', text],
      ['phone', text],
      ['block', text],
      ['home_unit_id', text],
      ['position', text],
      ['password_hash', text],
      ['is_demo', int],
      ['created_at', text],
      ['updated_at', text],
    ],
  },
  events: {
    name: 'learning_events',
    columns: [
      ['id', text],
      ['tenant_id', text],
      ['account_id', text],
      ['verb', text],
      ['object_type', text],
      ['object_id', text],
      ['course_id', text],
      ['unit_id', text],
      ['block', text],
      ['result', text],
      ['occurred_at', text],
      ['stored_at', text],
      ['digest', text],
    ],
  },
  lessonStates: {
    name: 'lesson_states',
    columns: [
      ['account_id', text],
      ['lesson_id', text],
      ['tenant_id', text],
      ['course_id', text],
      ['read_at', text],
      ['quiz_passed_at', text],
      ['best_score', int],
      ['attempts', int],
    ],
  },
  courseProgress: {
    name: 'course_progress',
    columns: [
      ['account_id', text],
      ['course_id', text],
      ['tenant_id', text],
      ['version_id', text],
      ['lessons_read', int],
      ['quizzes_passed', int],
      ['lessons_total', int],
      ['quizzes_total', int],
      ['percent', int],
      ['started_at', text],
      ['completed_at', text],
      ['updated_at', text],
    ],
  },
  certificates: {
    name: 'certificates',
    columns: [
      ['id', text],
      ['code', text],
      ['tenant_id', text],
      ['account_id', text],
      ['course_id', text],
      ['learner_name', text],
      ['course_title', text],
      ['issued_on', text],
      ['issued_at', text],
    ],
  },
  assignments: {
    name: 'assignments',
    columns: [
      ['id', text],
      ['tenant_id', text],
      ['rule_id', text],
      ['account_id', text],
      ['cycle', int],
      ['assigned_at', text],
      ['due_on', text],
      ['completed_at', text],
    ],
  },
  qualifications: {
    name: 'qualifications',
    columns: [
      ['id', text],
      ['code', text],
      ['tenant_id', text],
      ['account_id', text],
      ['program_id', text],
      ['holder_name', text],
      ['program_name', text],
      ['target_block', text],
      ['issued_on', text],
      ['expires_on', text],
      ['issued_at', text],
    ],
  },
} satisfies Record<string, BulkTable>;

export type TableName = keyof typeof TABLES;

/** The rows of one batch of people, table by table (written in this order: parents first). */
export function newBuffers(): Record<TableName, RowBuffer> {
  return {
    accounts: new RowBuffer(TABLES.accounts),
    events: new RowBuffer(TABLES.events),
    lessonStates: new RowBuffer(TABLES.lessonStates),
    courseProgress: new RowBuffer(TABLES.courseProgress),
    certificates: new RowBuffer(TABLES.certificates),
    assignments: new RowBuffer(TABLES.assignments),
    qualifications: new RowBuffer(TABLES.qualifications),
  };
}

// Ids, codes and hashes, exactly as the product makes them.

/** A UUID-shaped id: the tenant's namespace, a kind, and a counter (so ids also sort as inserted). */
export function synthId(namespace: string, kind: string, n: number): string {
  const hex = n.toString(16).padStart(16, '0');
  return `${namespace.slice(0, 8)}-${namespace.slice(8, 12)}-4${kind}${hex.slice(0, 1)}-8${hex.slice(1, 4)}-${hex.slice(4)}`;
}

/** The prefix every synthetic account id of a tenant starts with. */
export const synthAccountPrefix = (namespace: string) =>
  `${namespace.slice(0, 8)}-${namespace.slice(8, 12)}-4${ACCOUNT}`;

const ACCOUNT = 'a0';
const EVENT = 'e0';
const CERTIFICATE = 'c0';
const QUALIFICATION = 'd0';

/** As learning/service.ts `derivedId`: the course-completed event of a person is made once. */
function derivedId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/**
 * As learning/service.ts `digestOf`: the SHA-256 of `JSON.stringify([accountId, verb, objectType,
 * objectId, result, occurredAt])`, written out by hand (ids, verbs and ISO times need no escaping).
 */
function digestOf(
  accountId: string,
  verb: string,
  objectType: string,
  objectId: string,
  result: string | null,
  occurredAt: string,
): string {
  const json = `["${accountId}","${verb}","${objectType}","${objectId}",${result === null ? 'null' : JSON.stringify(result)},"${occurredAt}"]`;
  return hash('sha256', json, 'hex');
}

const COURSE_RESULT = JSON.stringify({ completion: true, success: true });
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A certificate-shaped code (as `newCertificateCode`), from the namespace and a counter. */
function synthCode(namespace: string, kind: string, n: number): string {
  const bytes = createHash('sha256').update(`${namespace}:${kind}:${n}`).digest();
  let chars = '';
  for (let i = 0; i < 16; i++) chars += CODE_ALPHABET[(bytes[i] as number) % 32];
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

/** A synthetic phone: 050 is no Vietnamese carrier's prefix, so no real person has one. */
export const synthPhone = (index: number) => `+8450${String(index).padStart(7, '0')}`;
export const SYNTH_PHONE_FIRST = '+8450';
export const SYNTH_PHONE_END = '+8451';
/** 10 million numbers under the 050 prefix. */
export const MAX_SYNTH_PEOPLE = 5_000_000;

// Time in Vietnam (UTC+7, no daylight saving).

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const VN_OFFSET = 7 * HOUR;
const vnDayIndex = (t: number) => Math.floor((t + VN_OFFSET) / DAY);
const vnDayStart = (dayIndex: number) => dayIndex * DAY - VN_OFFSET;
/** 0 Sunday … 6 Saturday (1970-01-01 was a Thursday). */
const weekday = (dayIndex: number) => (dayIndex + 4) % 7;
const iso = (t: number) => new Date(t).toISOString();
export const vnDay = (t: number) => iso(t + VN_OFFSET).slice(0, 10);
export const vnInstant = (day: string, hours = 0) =>
  Date.parse(`${day}T00:00:00Z`) - VN_OFFSET + hours * HOUR;

/** When people of a block learn, by hour of the day in Vietnam. */
const HOURS: Record<Block, number[]> = {
  official: [0, 0, 0, 0, 0, 0, 0.5, 2, 8, 9, 8, 6, 2, 2, 7, 8, 8, 5, 2, 2, 3, 2, 1, 0.2],
  business: [0, 0, 0, 0, 0, 0, 1, 2, 4, 5, 5, 4, 3, 3, 4, 5, 5, 4, 3, 4, 5, 4, 2, 0.5],
  community: [0.2, 0, 0, 0, 0, 0.5, 2, 3, 4, 4, 4, 3, 3, 3, 3, 4, 4, 4, 4, 6, 7, 6, 3, 1],
  citizen: [0.3, 0.1, 0, 0, 0.1, 0.5, 1.5, 2.5, 3, 3, 3, 3, 4, 3, 2.5, 2.5, 2.5, 3, 4, 6, 7, 6, 4, 1.5],
  student: [0.5, 0.2, 0, 0, 0, 0.2, 0.8, 1, 1.5, 1.5, 2, 2, 3, 3, 4, 5, 5, 4, 4, 6, 7, 7, 5, 2],
};
const HOUR_WEIGHTS = Object.fromEntries(
  Object.entries(HOURS).map(([block, hours]) => [block, cumulative(hours)]),
) as Record<Block, number[]>;

/**
 * How much people of a block take part: the share doing nothing, only glancing at a lesson or
 * two, stopping partway through one course, or completing 1, 2 or 3+ courses. Tuned so the
 * three demo courses give about 20 events per person on average.
 */
const ENGAGEMENT: Record<Exclude<Block, 'official'>, number[]> = {
  // none, peek, partial, one, two, all
  citizen: [0.13, 0.07, 0.09, 0.1, 0.14, 0.47],
  student: [0.08, 0.07, 0.08, 0.1, 0.16, 0.51],
  community: [0.03, 0.03, 0.05, 0.1, 0.14, 0.65],
  business: [0.18, 0.1, 0.12, 0.15, 0.13, 0.32],
};
const ENGAGEMENT_WEIGHTS = Object.fromEntries(
  Object.entries(ENGAGEMENT).map(([block, shares]) => [block, cumulative(shares)]),
) as Record<Exclude<Block, 'official'>, number[]>;

/** Officials and the program they are assigned: none, partial, early, around the due day, late. */
const OFFICIAL_PACE = cumulative([0.05, 0.08, 0.15, 0.55, 0.17]);

const OFFICIAL_POSITIONS = [
  'Chủ tịch UBND xã',
  'Phó Chủ tịch UBND xã',
  'Công chức văn phòng - thống kê',
  'Công chức tư pháp - hộ tịch',
  'Công chức địa chính - xây dựng',
  'Công chức tài chính - kế toán',
  'Công chức văn hóa - xã hội',
  'Chuyên viên',
  'Văn thư',
  'Viên chức',
];

interface Step {
  course: SynthCourse;
  lesson: LessonSummary;
  /** Reading (`completed` a lesson) or a quiz attempt. */
  quiz: SynthQuiz | null;
  at: number;
  correct: number;
  passed: boolean;
}

interface CoursePlan {
  course: SynthCourse;
  /** How many lessons (in order) the person goes through. */
  lessons: number;
  /** Passes every quiz: the course gets completed (unless the period ends first). */
  finish: boolean;
  /** Takes quizzes at all (a glance at a lesson does not). */
  quizzes: boolean;
}

/** Running totals of what was generated; also the counters that make ids. */
export interface Counters {
  events: number;
  certificates: number;
  qualifications: number;
  completions: number;
}

/** One person's learning, simulated forward in time from their first session. */
class Simulation {
  readonly steps: Step[] = [];
  private t = 0;
  private stopped = false;
  private readonly errorRate: number;
  private gapDays = 2.5;

  constructor(
    private readonly prng: Prng,
    private readonly block: Block,
    private windowEnd: number,
  ) {
    this.errorRate = 0.04 + 0.32 * prng.next() ** 1.5;
  }

  get now(): number {
    return this.t;
  }

  get ended(): boolean {
    return this.stopped;
  }

  /** Ends the period at `end`: steps from then on are dropped, and none are made any more. */
  until(end: number): void {
    this.windowEnd = end;
    const kept = this.steps.findIndex((step) => step.at >= end);
    if (kept >= 0) {
      this.steps.length = kept;
      this.stopped = true;
    }
    if (this.t >= end) this.stopped = true;
  }

  /** Moves everything learned so far by `ms`. */
  shift(ms: number): void {
    for (const step of this.steps) step.at += ms;
    this.t += ms;
  }

  /** Starts learning in a session on the day of `at` (or the next suitable one), at a usual hour. */
  startAt(at: number, gapDays: number): void {
    this.gapDays = gapDays;
    this.t = this.sessionOn(vnDayIndex(at), at - 1);
  }

  /** A session start on `dayIndex` or later, after `after`. */
  private sessionOn(dayIndex: number, after: number): number {
    let day = dayIndex;
    for (let tries = 0; tries < 14; tries++) {
      const dow = weekday(day);
      if (this.block === 'official' && (dow === 0 || dow === 6) && this.prng.chance(0.8)) {
        day += dow === 6 ? 2 : 1;
        continue;
      }
      const hour = this.prng.weighted(HOUR_WEIGHTS[this.block]);
      const start = vnDayStart(day) + hour * HOUR + this.prng.int(0, 3_599_999);
      if (start > after + 20 * MINUTE) return start;
      day++;
    }
    return after + HOUR;
  }

  /** The next session, a few days later on average. */
  private nextSession(meanDays = this.gapDays): void {
    const gap = this.prng.exp(meanDays) * DAY;
    this.t = this.sessionOn(vnDayIndex(this.t + Math.max(gap, 2 * HOUR)), this.t);
  }

  private pass(ms: number): void {
    this.t += Math.max(1_000, Math.round(ms));
  }

  private emit(
    course: SynthCourse,
    lesson: LessonSummary,
    quiz: SynthQuiz | null,
    correct: number,
    passed: boolean,
  ) {
    if (this.stopped || this.t >= this.windowEnd) {
      this.stopped = true;
      return false;
    }
    this.steps.push({ course, lesson, quiz, correct, passed, at: this.t });
    return true;
  }

  private read(course: SynthCourse, lesson: LessonSummary, share = 1): boolean {
    this.pass(Math.max(2, lesson.minutes * this.prng.logNormal(0.35)) * share * MINUTE);
    return this.emit(course, lesson, null, 0, false);
  }

  /** Goes through a course (or its first lessons); false once the period has ended. */
  run(plan: CoursePlan): boolean {
    const { course } = plan;
    const lessons = course.lessons.slice(0, plan.lessons);
    for (const [index, lesson] of lessons.entries()) {
      if (index > 0) {
        if (this.prng.chance(0.45)) this.nextSession();
        else this.pass(this.prng.int(30, 300) * 1_000);
      }
      if (lesson.kind !== 'final' && !this.read(course, lesson)) return false;
      const quiz = course.quizzes.get(lesson.id);
      if (!quiz || !plan.quizzes) continue;
      if (!plan.finish && !this.prng.chance(0.7)) continue;
      for (let attempt = 0; ; attempt++) {
        this.pass(this.prng.int(90, 480) * 1_000);
        const last = quiz.maxAttempts !== null && attempt + 1 >= quiz.maxAttempts;
        const error = this.errorRate * 0.65 ** attempt;
        let correct = quiz.questions - this.prng.binomial(quiz.questions, error);
        let passed = Math.round((correct * 100) / Math.max(1, quiz.questions)) >= quiz.passPercent;
        if (!passed && plan.finish && (last || attempt >= 5)) {
          correct = quiz.questions;
          passed = true;
        }
        if (!this.emit(course, lesson, quiz, correct, passed)) return false;
        if (passed || last) break;
        if (!plan.finish && this.prng.chance(0.5)) return true;
        if (lesson.kind !== 'final' && this.prng.chance(0.5)) {
          if (!this.read(course, lesson, 0.5)) return false;
        } else this.nextSession(1.5);
      }
    }
    return true;
  }

  /** A pause between two courses. */
  rest(meanDays: number): void {
    this.nextSession(meanDays);
  }
}

/** Courses meant for the block first (in a random order), then the others. */
function courseOrder(prng: Prng, courses: SynthCourse[], block: Block): SynthCourse[] {
  const mine = prng.shuffle(courses.filter((c) => c.blocks.length === 0 || c.blocks.includes(block)));
  const others = prng.shuffle(courses.filter((c) => !mine.includes(c)));
  return [...mine, ...others];
}

const whole = (course: SynthCourse): CoursePlan => ({
  course,
  lessons: course.lessons.length,
  finish: true,
  quizzes: true,
});

function partial(prng: Prng, course: SynthCourse, quizzes: boolean, most: number): CoursePlan {
  const lessons = Math.max(1, Math.min(course.lessons.length - 1, prng.int(1, most)));
  return { course, lessons, finish: false, quizzes };
}

/** The courses of a program a person takes to complete it: required, some electives, the final. */
function programCourses(prng: Prng, world: World, program: SynthProgram): SynthCourse[] {
  const byId = new Map(world.courses.map((c) => [c.id, c]));
  const of = (role: ProgramCourseRole) =>
    program.courses.filter((c) => c.role === role).flatMap((c) => byId.get(c.courseId) ?? []);
  const electives = prng.shuffle(of('elective')).slice(0, program.electivesRequired);
  return [...of('required'), ...electives, ...of('final')];
}

/** Writes one person: the account and everything their learning leaves behind. */
export function generatePerson(
  world: World,
  index: number,
  place: Placement,
  out: Record<TableName, RowBuffer>,
  counters: Counters,
): void {
  const prng = new Prng(world.seed, index);
  const { block } = place;
  const accountId = synthId(world.namespace, ACCOUNT, index);
  const fullName = vietnameseName(prng, block === 'student');
  const span = world.windowEnd - world.windowStart;
  const sim = new Simulation(prng, block, world.windowEnd);
  let createdAt: number;
  let position: string | null = null;

  if (block === 'official') {
    position = prng.pick(OFFICIAL_POSITIONS);
    // Officials came in from the HR roster before the period; they learn once the program is assigned.
    createdAt = world.windowStart - prng.int(1, 60) * DAY - prng.int(0, DAY - 1);
    const { program, rule, dueEnd } = world.officials;
    const assigned = rule.createdAt;
    const pace = prng.weighted(OFFICIAL_PACE);
    const courses = programCourses(prng, world, program);
    if (pace > 0 && courses.length > 0) {
      // When the person means to finish, and over how many days before that they learn.
      let finish: number;
      let days: number;
      if (pace === 2) {
        finish = assigned + (3 + prng.next() * Math.max(1, (dueEnd - assigned) / DAY - 14)) * DAY;
        days = 3 + prng.next() * 17;
      } else if (pace === 3) {
        finish = dueEnd - prng.exp(3) * DAY;
        days = 1 + prng.next() * 7;
      } else if (pace === 4) {
        finish = dueEnd + prng.exp(12) * DAY;
        days = 2 + prng.next() * 10;
      } else {
        finish = assigned + prng.next() * (world.windowEnd - assigned);
        days = 5;
      }
      const plans =
        pace === 1
          ? [partial(prng, courses[0] as SynthCourse, true, (courses[0] as SynthCourse).lessons.length)]
          : courses.map(whole);
      const gapDays = Math.max(0.3, days / (courses.length * 2.5));
      // Learn the program from a first guess of the start, then move it all by whole days (the
      // hours stay) so it ends near the finish meant, never before the assignment.
      sim.until(Number.POSITIVE_INFINITY);
      sim.startAt(Math.max(assigned + HOUR, finish - days * DAY), gapDays);
      for (const [i, plan] of plans.entries()) {
        if (i > 0) sim.rest(Math.max(0.3, days / 10));
        sim.run(plan);
      }
      const first = sim.steps[0]?.at ?? assigned + HOUR;
      sim.shift(
        Math.max(Math.round((finish - sim.now) / DAY), Math.ceil((assigned + HOUR - first) / DAY)) * DAY,
      );
      sim.until(world.windowEnd);
      // Some go on to the courses the program does not ask for.
      if (pace > 1 && !sim.ended && prng.chance(0.45)) {
        const rest = courseOrder(prng, world.courses, block).filter((c) => !courses.includes(c));
        for (const course of rest) {
          sim.rest(7);
          if (!sim.run(prng.chance(0.8) ? whole(course) : partial(prng, course, true, 3))) break;
        }
      }
    }
  } else {
    const engagement = prng.weighted(ENGAGEMENT_WEIGHTS[block]);
    // The movement grows: more people start later in the period than early on.
    const share = prng.chance(0.7) ? Math.sqrt(prng.next()) : prng.next();
    const start = world.windowStart + share * span;
    createdAt = start - prng.int(1, 20) * MINUTE - (prng.chance(0.3) ? prng.exp(3) * DAY : 0);
    if (engagement > 0 && world.courses.length > 0) {
      const order = courseOrder(prng, world.courses, block);
      sim.startAt(start, 0.5 + prng.exp(2.5));
      const first = order[0] as SynthCourse;
      const plans =
        engagement === 1
          ? [partial(prng, first, false, 2)]
          : engagement === 2
            ? [partial(prng, first, true, first.lessons.length)]
            : order.slice(0, engagement - 2).map(whole);
      if (engagement >= 3 && engagement - 2 < order.length && prng.chance(0.25)) {
        plans.push(partial(prng, order[engagement - 2] as SynthCourse, true, 3));
      }
      for (const [i, plan] of plans.entries()) {
        if (i > 0) sim.rest(4);
        if (!sim.run(plan)) break;
      }
    }
  }

  const steps = sim.steps;
  if (steps.length > 0 && createdAt >= (steps[0] as Step).at) createdAt = (steps[0] as Step).at - MINUTE;
  const created = iso(createdAt);
  out.accounts.values.push(
    accountId,
    world.tenantId,
    fullName,
    synthPhone(index),
    block,
    place.unitId,
    position,
    world.passwordHash,
    1,
    created,
    created,
  );
  writeLearning(world, prng, { accountId, fullName, createdAt, position }, place, steps, out, counters);
}

interface CourseRecord {
  course: SynthCourse;
  states: Map<string, LessonState>;
  startedAt: string;
  updatedAt: string;
  /** When each event happened → when it was stored, to date what a completion made. */
  storedAtOf: Map<string, string>;
}

/** The events, and the lesson states, progress, certificates, assignments and qualifications they make. */
function writeLearning(
  world: World,
  prng: Prng,
  person: { accountId: string; fullName: string; createdAt: number; position: string | null },
  place: Placement,
  steps: Step[],
  out: Record<TableName, RowBuffer>,
  counters: Counters,
): void {
  const { tenantId } = world;
  const { accountId, fullName, createdAt } = person;
  const records = new Map<string, CourseRecord>();
  let lastStored = 0;
  for (const step of steps) {
    // Most events reach the server within a second; some were made offline and sent later.
    const delay = prng.chance(0.93) ? prng.int(60, 1_500) : MINUTE + prng.exp(40) * MINUTE;
    lastStored = Math.min(Math.max(lastStored + 1, step.at + delay), world.windowEnd - 1);
    const occurredAt = iso(step.at);
    const storedAt = iso(lastStored);
    const { course, lesson, quiz } = step;
    let record = records.get(course.id);
    if (!record) {
      record = { course, states: new Map(), startedAt: storedAt, updatedAt: storedAt, storedAtOf: new Map() };
      records.set(course.id, record);
    }
    record.updatedAt = storedAt;
    record.storedAtOf.set(occurredAt, storedAt);
    let state = record.states.get(lesson.id);
    if (!state) {
      state = { lessonId: lesson.id, readAt: null, quizPassedAt: null, bestScore: null, attempts: 0 };
      record.states.set(lesson.id, state);
    }
    let verb: string;
    let result: string | null = null;
    if (quiz) {
      const score = Math.round((step.correct * 100) / Math.max(1, quiz.questions));
      verb = step.passed ? 'passed' : 'failed';
      // As JSON.stringify of the result `submitQuiz` stores, without building the object.
      result = `{"score":{"scaled":${score / 100},"raw":${step.correct},"min":0,"max":${quiz.questions}},"success":${step.passed},"completion":true}`;
      state.attempts += 1;
      if (state.bestScore === null || score > state.bestScore) state.bestScore = score;
      if (step.passed && state.quizPassedAt === null) state.quizPassedAt = occurredAt;
    } else {
      verb = 'completed';
      if (state.readAt === null) state.readAt = occurredAt;
    }
    const objectType = quiz ? 'quiz' : 'lesson';
    const objectId = quiz ? quiz.id : lesson.id;
    out.events.values.push(
      synthId(world.namespace, EVENT, counters.events++),
      tenantId,
      accountId,
      verb,
      objectType,
      objectId,
      course.id,
      place.unitId,
      place.block,
      result,
      occurredAt,
      storedAt,
      digestOf(accountId, verb, objectType, objectId, result, occurredAt),
    );
  }

  const completedAt = new Map<string, string>();
  const completionStored = new Map<string, string>();
  for (const record of records.values()) {
    const { course } = record;
    for (const state of record.states.values()) {
      out.lessonStates.values.push(
        accountId,
        state.lessonId,
        tenantId,
        course.id,
        state.readAt,
        state.quizPassedAt,
        state.bestScore,
        state.attempts,
      );
    }
    const progress = deriveProgress(course.lessons, record.states);
    out.courseProgress.values.push(
      accountId,
      course.id,
      tenantId,
      course.versionId,
      progress.lessonsRead,
      progress.quizzesPassed,
      progress.lessonsTotal,
      progress.quizzesTotal,
      progress.percent,
      record.startedAt,
      progress.completedAt,
      record.updatedAt,
    );
    if (!progress.completedAt) continue;
    // Stored with the event that met the last requirement, as `refreshProgress` does.
    const storedAt = record.storedAtOf.get(progress.completedAt) ?? record.updatedAt;
    completedAt.set(course.id, progress.completedAt);
    completionStored.set(progress.completedAt, storedAt);
    counters.completions++;
    const result = COURSE_RESULT;
    out.events.values.push(
      derivedId(`course-completed:${accountId}:${course.id}`),
      tenantId,
      accountId,
      'completed',
      'course',
      course.id,
      course.id,
      place.unitId,
      place.block,
      result,
      progress.completedAt,
      storedAt,
      digestOf(accountId, 'completed', 'course', course.id, result, progress.completedAt),
    );
    counters.events++;
    const n = counters.certificates++;
    out.certificates.values.push(
      synthId(world.namespace, CERTIFICATE, n),
      synthCode(world.namespace, CERTIFICATE, n),
      tenantId,
      accountId,
      course.id,
      fullName,
      course.title,
      vnDay(Date.parse(progress.completedAt)),
      storedAt,
    );
  }

  // Assignments of every rule whose audience the person is in, completed when its target is.
  for (const rule of world.rules) {
    if (!place.unitPath.startsWith(rule.unitPath)) continue;
    if (rule.blocks.length > 0 && !rule.blocks.includes(place.block)) continue;
    // Synthetic people hold no role; a rule for a position needs theirs.
    if (rule.role || (rule.position && rule.position !== person.position)) continue;
    const assignedAt = Math.max(rule.createdAt, createdAt);
    const dueOn = rule.dueOn ?? addDays(vnDay(assignedAt), rule.dueDays ?? 30);
    const done = rule.program
      ? programCompletedAt(rule.program, completedAt)
      : (completedAt.get(rule.courseId ?? '') ?? null);
    out.assignments.values.push(
      `${rule.id}:${accountId}:1`,
      tenantId,
      rule.id,
      accountId,
      1,
      iso(assignedAt),
      dueOn,
      done,
    );
  }

  // The first qualification of each program completed.
  for (const program of world.programs) {
    const at = programCompletedAt(program, completedAt);
    if (!at) continue;
    const issuedOn = vnDay(Date.parse(at));
    const n = counters.qualifications++;
    out.qualifications.values.push(
      synthId(world.namespace, QUALIFICATION, n),
      synthCode(world.namespace, QUALIFICATION, n),
      tenantId,
      accountId,
      program.id,
      fullName,
      program.name,
      program.targetBlock,
      issuedOn,
      program.validityMonths ? addMonths(issuedOn, program.validityMonths) : null,
      completionStored.get(at) ?? at,
    );
  }
}
