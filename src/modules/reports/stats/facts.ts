import { todayInVietnam } from '../../../db/time.js';

/** What one person adds to one figure: see `stat_facts`. */
export interface Fact {
  subject: string;
  metric: Metric;
  unitId: string;
  block: string;
  day: string;
  value: number;
}

/** Facts drawn from learning events: they keep the unit and block the events were stored with. */
export const LEARNING_METRICS = ['started', 'completed', 'quizzes', 'passes', 'scores'] as const;
/** Facts drawn from who the person is now: roster, assignments, qualifications. */
export const PERSON_METRICS = ['people', 'assigned', 'begun', 'open', 'done', 'exempt', 'qualified'] as const;
export type Metric = (typeof LEARNING_METRICS)[number] | (typeof PERSON_METRICS)[number];

/** The subject that stands for "any course or program". */
export const ANY = '*';
/** The expiry day of a qualification that never expires: later than any real day. */
export const NEVER = '9999-12-31';

export interface StatEvent {
  id: string;
  verb: string;
  objectType: string;
  objectId: string;
  courseId: string;
  unitId: string | null;
  block: string | null;
  occurredAt: string;
  result: string | null;
}

const dayOf = (iso: string) => todayInVietnam(new Date(iso));

const scoreOf = (result: string | null): number => {
  if (!result) return 0;
  const scaled = (JSON.parse(result) as { score?: { scaled?: number } }).score?.scaled;
  return typeof scaled === 'number' ? Math.round(scaled * 100) : 0;
};

/** Events in the order they happened; the id breaks ties, so every computation picks the same one. */
const inOrder = (a: StatEvent, b: StatEvent) =>
  a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

function factAt(event: StatEvent, subject: string, metric: Metric, day: string, value = 1): Fact | null {
  if (!event.unitId) return null;
  return { subject, metric, unitId: event.unitId, block: event.block ?? '', day, value };
}

/**
 * What one learner's events add to the figures. Per course: started (their first event there),
 * completed (the course-completed event), and over its quizzes the number attempted, passed and
 * the sum of best scores. Per program: started (first event in any of its courses). For any
 * subject: first start and first completion. Each fact counts where its event was stored.
 */
export function learningFacts(events: readonly StatEvent[], programsOfCourse: Map<string, string[]>): Fact[] {
  const ordered = [...events].sort(inOrder);
  const facts: (Fact | null)[] = [];
  const firstIn = new Map<string, StatEvent>();
  const quizzesOf = new Map<string, Map<string, { best: number; passed: boolean }>>();
  const firstQuizIn = new Map<string, StatEvent>();
  let firstCompletion: StatEvent | undefined;
  for (const event of ordered) {
    for (const subject of [event.courseId, ...(programsOfCourse.get(event.courseId) ?? []), ANY])
      if (!firstIn.has(subject)) firstIn.set(subject, event);
    if (event.objectType === 'course' && event.verb === 'completed') {
      facts.push(factAt(event, event.courseId, 'completed', dayOf(event.occurredAt)));
      firstCompletion ??= event;
    }
    if (event.objectType === 'quiz') {
      if (!firstQuizIn.has(event.courseId)) firstQuizIn.set(event.courseId, event);
      const quizzes = quizzesOf.get(event.courseId) ?? new Map();
      quizzesOf.set(event.courseId, quizzes);
      const known = quizzes.get(event.objectId) ?? { best: 0, passed: false };
      quizzes.set(event.objectId, {
        best: Math.max(known.best, scoreOf(event.result)),
        passed: known.passed || event.verb === 'passed',
      });
    }
  }
  for (const [subject, event] of firstIn)
    facts.push(factAt(event, subject, 'started', dayOf(event.occurredAt)));
  if (firstCompletion)
    facts.push(factAt(firstCompletion, ANY, 'completed', dayOf(firstCompletion.occurredAt)));
  for (const [courseId, quizzes] of quizzesOf) {
    const first = firstQuizIn.get(courseId) as StatEvent;
    const states = [...quizzes.values()];
    facts.push(factAt(first, courseId, 'quizzes', '', states.length));
    const passes = states.filter((s) => s.passed).length;
    if (passes > 0) facts.push(factAt(first, courseId, 'passes', '', passes));
    const scores = states.reduce((sum, s) => sum + s.best, 0);
    if (scores > 0) facts.push(factAt(first, courseId, 'scores', '', scores));
  }
  return facts.filter((f): f is Fact => f !== null);
}

export interface PersonState {
  accountId: string;
  unitId: string | null;
  block: string;
  deleted: boolean;
}

export interface AssignmentState {
  /** The program or course assigned. */
  subject: string;
  cycle: number;
  dueOn: string;
  completedAt: string | null;
  exemptAt: string | null;
  leftAt: string | null;
}

export interface QualificationState {
  programId: string;
  expiresOn: string | null;
  revokedAt: string | null;
}

/**
 * What one person adds as they are now: one on the roster of their unit and block; per subject
 * assigned to them (the latest cycle, the earliest due), assigned by its due day, begun when they
 * started one of its courses, and then done, exempt or still open; per program and for any,
 * qualified until the latest expiry.
 */
export function personFacts(
  person: PersonState,
  assignments: readonly AssignmentState[],
  qualifications: readonly QualificationState[],
  startedCourses: ReadonlySet<string>,
  coursesOf: (subject: string) => readonly string[],
): Fact[] {
  if (person.deleted || !person.unitId) return [];
  const at = (subject: string, metric: Metric, day: string): Fact => ({
    subject,
    metric,
    unitId: person.unitId as string,
    block: person.block,
    day,
    value: 1,
  });
  const facts: Fact[] = [at(ANY, 'people', '')];
  const current = new Map<string, AssignmentState>();
  for (const a of assignments) {
    if (a.leftAt) continue;
    const known = current.get(a.subject);
    if (!known || a.cycle > known.cycle || (a.cycle === known.cycle && a.dueOn < known.dueOn))
      current.set(a.subject, a);
  }
  for (const [subject, a] of current) {
    facts.push(at(subject, 'assigned', a.dueOn));
    if (!a.exemptAt && coursesOf(subject).some((c) => startedCourses.has(c)))
      facts.push(at(subject, 'begun', ''));
    if (a.completedAt) facts.push(at(subject, 'done', dayOf(a.completedAt)));
    else if (a.exemptAt) facts.push(at(subject, 'exempt', ''));
    else facts.push(at(subject, 'open', a.dueOn));
  }
  const until = new Map<string, string>();
  for (const q of qualifications) {
    if (q.revokedAt) continue;
    const expiry = q.expiresOn ?? NEVER;
    for (const subject of [q.programId, ANY])
      if ((until.get(subject) ?? '') < expiry) until.set(subject, expiry);
  }
  for (const [subject, expiry] of until) facts.push(at(subject, 'qualified', expiry));
  return facts;
}
