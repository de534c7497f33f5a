import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import { vietnamTime } from '../../web/format.js';
import { answerSheets, attemptTimings } from '../assessment/attemptTimings.js';
import { courseTitles, type LessonFacts, lessonFacts } from '../catalog/readingTimes.js';
import { oldestSignIn, signInPlaces } from '../identity/integrityQueries.js';
import { completionsIn, firstReadingsIn, quizOutcomesIn } from '../learning/integrityQueries.js';
import type { OrgService, Unit } from '../org/service.js';
import { endOfVietnamDay } from './unitLearning.js';

/*
 * Integrity signals: light, explainable checks of the stored learning records that point an
 * evaluator at results worth a second look. Each compares a few stored numbers with a threshold
 * named below, and shows them. A signal is not a finding: it changes no score, no progress and
 * no certificate, and nothing watches the learner while they learn. Every approximation errs
 * towards not signalling (fewer words counted, the earliest reading kept, a generous speed).
 */

/**
 * A quiz passed in under 3 seconds per question was not read. Reading a question of a sentence
 * or two with its options and tapping an answer takes longer than that even for someone who
 * knows the answer (3 s is about the time to read ten words and tap); below it, answers were
 * picked without reading: copied from a list, or sent by a script. Only passed attempts count:
 * a fast failed attempt earns nothing.
 */
export const MIN_SECONDS_PER_QUESTION = 3;

/**
 * Identical answers are compared only in quizzes of at least 5 questions: in a shorter quiz two
 * honest learners often give the same answers by chance, one common mistake included.
 */
export const MIN_QUESTIONS_TO_COMPARE = 5;
/**
 * Identical answers count when submitted within 10 minutes of one another (one after another,
 * each within 10 minutes of the previous): people answering side by side, or passing a phone
 * or a sheet along. Further apart, the same answers are more likely revision from the same
 * explanations than copying.
 */
export const SAME_ANSWERS_WINDOW_MINUTES = 10;

/**
 * Three or more accounts finishing (a quiz passed, a course completed) from one network
 * address within 30 minutes of one another suggest one person doing it for others. Two is
 * common (a couple sharing a phone). A class in a commune hall on one Wi-Fi shows the same
 * pattern, which is why a reviewer looks.
 */
export const SHARED_PLACE_MIN_ACCOUNTS = 3;
export const SHARED_PLACE_WINDOW_MINUTES = 30;

/**
 * Nobody reads a lesson faster than 400 words a minute (a Vietnamese syllable counts as a word;
 * adults read about 200–250, skimming readers up to about 400), so a lesson marked finished
 * sooner after the previous one than its words take at that speed was not read.
 */
export const READING_WORDS_PER_MINUTE = 400;
/**
 * A signal needs at least two lessons of one course marked too fast: a single one is often a
 * lesson read earlier (or on a printed handout) and marked only now.
 */
export const MIN_RUSHED_LESSONS = 2;

/** How far back a reading is looked for, to time the first reading of the period against. */
const READING_LOOKBACK_MS = 24 * 3600 * 1000;
const MINUTE_MS = 60_000;

export const SIGNAL_KINDS = ['fastAttempt', 'sameAnswers', 'sharedPlace', 'rushedReading'] as const;
export type SignalKind = (typeof SIGNAL_KINDS)[number];

/** Each kind's name in addresses and keys. */
export const KIND_SLUGS: Record<SignalKind, string> = {
  fastAttempt: 'lam-bai-qua-nhanh',
  sameAnswers: 'bai-lam-giong-nhau',
  sharedPlace: 'chung-mot-mang',
  rushedReading: 'doc-bai-qua-nhanh',
};

export const KIND_LABELS: Record<SignalKind, string> = {
  fastAttempt: 'Làm bài kiểm tra quá nhanh',
  sameAnswers: 'Bài làm giống hệt nhau trong cùng đơn vị',
  sharedPlace: 'Nhiều tài khoản hoàn thành từ cùng một mạng',
  rushedReading: 'Đánh dấu đã đọc nhanh hơn thời gian đọc',
};

export const kindOfSlug = (slug: string | undefined): SignalKind | undefined =>
  SIGNAL_KINDS.find((kind) => KIND_SLUGS[kind] === slug);

/** A signal's key: its kind and a hash of the ids of its evidence, so a review sticks to it. */
export const SIGNAL_KEY = /^([a-z-]+)\.([0-9a-f]{32})$/;

function keyOf(kind: SignalKind, evidenceIds: string[]): string {
  const hash = createHash('sha256')
    .update([...evidenceIds].sort().join(','))
    .digest('hex');
  return `${KIND_SLUGS[kind]}.${hash.slice(0, 32)}`;
}

export const kindOfKey = (key: string): SignalKind | undefined => kindOfSlug(SIGNAL_KEY.exec(key)?.[1]);

/** One piece of evidence: who did what, when, and the numbers that were compared. */
export interface Evidence {
  accountId: string;
  /** The person's unit when they did it (id; named by the page). */
  unitId: string | null;
  at: string;
  /** The quiz, lesson or course concerned. */
  subject: string;
  figures: string;
}

export interface Signal {
  key: string;
  kind: SignalKind;
  /** The latest moment of its evidence. */
  at: string;
  /** One sentence: what was seen, with the threshold it crossed. */
  summary: string;
  /** Evidence about people within the reader's scope. */
  evidence: Evidence[];
  /** People in the signal whose units are outside the reader's scope (not shown). */
  othersOutside: number;
}

/** The units a reader asked about: one unit and everything placed below it in today's tree. */
export interface SignalScope {
  tenantId: string;
  unit: Unit;
  /** The units whose people's records count (closed units included); null: the whole tenant. */
  unitIds: string[] | null;
}

/** Calendar days up to today, in Vietnam's time, as an interval of stored times. */
export interface Period {
  days: number;
  from: string;
  to: string;
}

export const PERIOD_DAYS = [7, 30, 90, 365] as const;
export const DEFAULT_PERIOD_DAYS = 30;

/** The last `days` calendar days in Vietnam, today included. */
export function periodOf(days: number, now: Date = new Date()): Period {
  const today = todayInVietnam(now);
  const first = new Date(Date.parse(`${today}T00:00:00Z`) - (days - 1) * 24 * 3600 * 1000)
    .toISOString()
    .slice(0, 10);
  return {
    days,
    from: new Date(Date.parse(`${first}T00:00:00+07:00`)).toISOString(),
    to: endOfVietnamDay(today),
  };
}

const number = (value: number, digits = 1) =>
  value.toLocaleString('vi-VN', { maximumFractionDigits: digits });

/** A number of seconds with one decimal; "chưa đến 0,1" below what that shows. */
const secondsText = (value: number) => (value < 0.1 ? 'chưa đến 0,1' : number(value));

/** A span of time as people say it: "8 giây", "2,5 giây", "4 phút 10 giây", "1 giờ 5 phút". */
export function spanText(seconds: number): string {
  if (seconds < 10) return `${secondsText(seconds)} giây`;
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} giây`;
  const minutes = Math.floor(whole / 60);
  const rest = whole % 60;
  if (minutes < 60) return rest === 0 ? `${minutes} phút` : `${minutes} phút ${rest} giây`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} giờ` : `${hours} giờ ${minutes % 60} phút`;
}

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;

/** Items in runs where each is within `gapMs` of the one before it. */
function runs<T>(items: T[], timeOf: (item: T) => string, gapMs: number): T[][] {
  const sorted = [...items].sort((a, b) => Date.parse(timeOf(a)) - Date.parse(timeOf(b)));
  const out: T[][] = [];
  let current: T[] = [];
  let last = Number.NEGATIVE_INFINITY;
  for (const item of sorted) {
    const time = Date.parse(timeOf(item));
    if (current.length > 0 && time - last > gapMs) {
      out.push(current);
      current = [];
    }
    current.push(item);
    last = time;
  }
  if (current.length > 0) out.push(current);
  return out;
}

function groupBy<T>(items: T[], keyOfItem: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOfItem(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

const people = <T extends { accountId: string }>(items: T[]) => new Set(items.map((i) => i.accountId)).size;

/** The earliest and latest of some stored times (ISO times sort as text). */
const earliest = (times: string[]) => [...times].sort()[0] as string;
const latest = (times: string[]) => [...times].sort().at(-1) as string;

const quizLabel = (lesson: LessonFacts | undefined, lead = 'Bài kiểm tra') =>
  lesson ? `${lead}: ${lesson.title} (${lesson.courseTitle})` : lead;

/** The integrity signals of a unit's people over a period, computed from the stored records. */
export class IntegritySignals {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly secret: string,
  ) {}

  /** A unit and the units whose people's records count in it (in today's tree; merged units in their successor). */
  async scopeOf(unit: Unit): Promise<SignalScope> {
    if (unit.parentId === null) return { tenantId: unit.tenantId, unit, unitIds: null };
    const snapshot = await this.org.snapshotOn(unit.tenantId, todayInVietnam());
    const rootPath = `/${unit.path.split('/')[1]}/`;
    const all = await this.org.subtreeIds(unit.tenantId, rootPath);
    const unitIds = all.filter((id) => snapshot.resolve(id)?.path.startsWith(unit.path) === true);
    return { tenantId: unit.tenantId, unit, unitIds };
  }

  /** The signals of these kinds, newest first. */
  async signals(scope: SignalScope, period: Period, kinds: readonly SignalKind[] = SIGNAL_KINDS) {
    const found: Signal[] = [];
    for (const kind of kinds) found.push(...(await this.compute(kind, scope, period)));
    return found.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : a.key < b.key ? -1 : 1));
  }

  private compute(kind: SignalKind, scope: SignalScope, period: Period): Promise<Signal[]> {
    switch (kind) {
      case 'fastAttempt':
        return this.fastAttempts(scope, period);
      case 'sameAnswers':
        return this.sameAnswers(scope, period);
      case 'sharedPlace':
        return this.sharedPlaces(scope, period);
      case 'rushedReading':
        return this.rushedReadings(scope, period);
    }
  }

  /** Passed attempts that took less than MIN_SECONDS_PER_QUESTION per question. */
  private async fastAttempts(scope: SignalScope, period: Period): Promise<Signal[]> {
    const passed = await quizOutcomesIn(
      this.db,
      scope.tenantId,
      scope.unitIds,
      period.from,
      period.to,
      'passed',
    );
    const unitOf = new Map(passed.map((p) => [p.id, p.unitId]));
    const timings = await attemptTimings(
      this.db,
      scope.tenantId,
      passed.map((p) => p.id),
    );
    const fast = timings.filter(
      (t) =>
        t.questionCount > 0 &&
        seconds(t.startedAt, t.submittedAt) / t.questionCount < MIN_SECONDS_PER_QUESTION,
    );
    const lessons = await lessonFacts(
      this.db,
      scope.tenantId,
      fast.map((t) => t.lessonId),
    );
    return fast.map((t) => {
      const took = seconds(t.startedAt, t.submittedAt);
      const perQuestion = took / t.questionCount;
      return {
        key: keyOf('fastAttempt', [t.id]),
        kind: 'fastAttempt',
        at: t.submittedAt,
        summary:
          `Nộp bài kiểm tra ${t.questionCount} câu sau ${spanText(took)}: trung bình ` +
          `${secondsText(perQuestion)} giây mỗi câu, dưới ngưỡng ${MIN_SECONDS_PER_QUESTION} giây mỗi câu.`,
        evidence: [
          {
            accountId: t.accountId,
            unitId: unitOf.get(t.id) ?? null,
            at: t.submittedAt,
            subject: quizLabel(lessons.get(t.lessonId)),
            figures:
              `Bắt đầu ${vietnamTime(t.startedAt)}, nộp sau ${spanText(took)}; ${t.questionCount} câu, ` +
              `${secondsText(perQuestion)} giây mỗi câu; điểm ${t.scorePercent}%; lần làm thứ ${t.number}`,
          },
        ],
        othersOutside: 0,
      };
    });
  }

  /**
   * Attempts of one quiz by two or more people of the same unit, submitted within
   * SAME_ANSWERS_WINDOW_MINUTES of one another with exactly the same answers, at least one of
   * them a wrong answer (all right is what good learners are expected to share).
   */
  private async sameAnswers(scope: SignalScope, period: Period): Promise<Signal[]> {
    const window = SAME_ANSWERS_WINDOW_MINUTES * MINUTE_MS;
    const outcomes = await quizOutcomesIn(this.db, scope.tenantId, scope.unitIds, period.from, period.to);
    // First by time and place alone, so answers are read only for attempts that could match.
    const near = [...groupBy(outcomes, (o) => `${o.quizId}|${o.unitId}`).values()]
      .filter((group) => group[0]?.unitId)
      .flatMap((group) => runs(group, (o) => o.occurredAt, window))
      .filter((run) => people(run) >= 2);
    const ids = near.flat().map((o) => o.id);
    const [timings, sheets] = await Promise.all([
      attemptTimings(this.db, scope.tenantId, ids),
      answerSheets(this.db, scope.tenantId, ids),
    ]);
    const timingOf = new Map(timings.map((t) => [t.id, t]));
    const sheetOf = new Map(sheets.map((s) => [s.id, s]));
    const lessons = await lessonFacts(
      this.db,
      scope.tenantId,
      timings.map((t) => t.lessonId),
    );
    const found: Signal[] = [];
    for (const run of near) {
      const comparable = run.flatMap((o) => {
        const timing = timingOf.get(o.id);
        const sheet = sheetOf.get(o.id);
        if (!timing || !sheet || timing.questionCount < MIN_QUESTIONS_TO_COMPARE) return [];
        const wrongAnswers = timing.questionCount - timing.correctCount - sheet.blanks;
        return wrongAnswers >= 1 ? [{ ...o, timing, sheet, wrongAnswers }] : [];
      });
      for (const same of groupBy(comparable, (c) => c.sheet.fingerprint).values()) {
        for (const match of runs(same, (c) => c.occurredAt, window)) {
          if (people(match) < 2) continue;
          const first = match[0] as (typeof match)[number];
          const times = match.map((m) => m.occurredAt);
          const span = seconds(earliest(times), latest(times));
          found.push({
            key: keyOf(
              'sameAnswers',
              match.map((m) => m.id),
            ),
            kind: 'sameAnswers',
            at: latest(times),
            summary:
              `${people(match)} người cùng đơn vị nộp cùng một bộ câu trả lời cho bài kiểm tra ` +
              `${first.timing.questionCount} câu, cùng sai ${first.wrongAnswers} câu giống nhau, trong vòng ` +
              `${spanText(span)} (ngưỡng: trong vòng ${SAME_ANSWERS_WINDOW_MINUTES} phút, bài từ ` +
              `${MIN_QUESTIONS_TO_COMPARE} câu, có ít nhất một câu sai).`,
            evidence: match.map((m) => ({
              accountId: m.accountId,
              unitId: m.unitId,
              at: m.occurredAt,
              subject: quizLabel(lessons.get(m.timing.lessonId)),
              figures:
                `Đúng ${m.timing.correctCount}/${m.timing.questionCount} câu; điểm ${m.timing.scorePercent}%; ` +
                `lần làm thứ ${m.timing.number}`,
            })),
            othersOutside: 0,
          });
        }
      }
    }
    return found;
  }

  /**
   * SHARED_PLACE_MIN_ACCOUNTS or more accounts finishing something within
   * SHARED_PLACE_WINDOW_MINUTES of one another, each signed in last from the same network
   * address. Sign-ins are known only as far back as the log of log-in attempts keeps them (24
   * hours). Computed over the whole tenant, so a signal is the same for every reader; a reader
   * sees the evidence of their own scope's people and how many others there were.
   */
  private async sharedPlaces(scope: SignalScope, period: Period): Promise<Signal[]> {
    const oldest = await oldestSignIn(this.db, scope.tenantId);
    if (!oldest) return [];
    const from = latest([oldest, period.from]);
    if (from >= period.to) return [];
    const completions = await completionsIn(this.db, scope.tenantId, from, period.to);
    const signIns = groupBy(
      await signInPlaces(
        this.db,
        this.secret,
        scope.tenantId,
        completions.map((c) => c.accountId),
      ),
      (s) => s.accountId,
    );
    const placed = completions.flatMap((c) => {
      // The account's last sign-in before it finished: where it was working from.
      const before = (signIns.get(c.accountId) ?? []).filter((s) => s.at <= c.occurredAt);
      const last = before[before.length - 1];
      return last ? [{ ...c, place: last.place, signedInAt: last.at }] : [];
    });
    const clusters = [...groupBy(placed, (p) => p.place).values()]
      .flatMap((group) => runs(group, (p) => p.occurredAt, SHARED_PLACE_WINDOW_MINUTES * MINUTE_MS))
      .filter((run) => people(run) >= SHARED_PLACE_MIN_ACCOUNTS);
    const inScope = scope.unitIds === null ? null : new Set(scope.unitIds);
    const visible = (unitId: string | null) => inScope === null || (unitId !== null && inScope.has(unitId));
    const shown = clusters.filter((run) => run.some((c) => visible(c.unitId)));
    const quizIds = shown.flat().filter((c) => c.objectType === 'quiz');
    const timings = await attemptTimings(
      this.db,
      scope.tenantId,
      quizIds.map((c) => c.id),
    );
    const lessonOfAttempt = new Map(timings.map((t) => [t.id, t.lessonId]));
    const [lessons, courses] = await Promise.all([
      lessonFacts(this.db, scope.tenantId, [...lessonOfAttempt.values()]),
      courseTitles(
        this.db,
        scope.tenantId,
        shown.flat().map((c) => c.objectId),
      ),
    ]);
    return shown.map((run) => {
      const first = run[0] as (typeof run)[number];
      const label = `#${first.place.slice(0, 6).toUpperCase()}`;
      const times = run.map((c) => c.occurredAt);
      const span = seconds(earliest(times), latest(times));
      const mine = run.filter((c) => visible(c.unitId));
      const outside = people(run.filter((c) => !visible(c.unitId)));
      return {
        key: keyOf(
          'sharedPlace',
          run.map((c) => c.id),
        ),
        kind: 'sharedPlace' as const,
        at: latest(times),
        summary:
          `${people(run)} tài khoản khác nhau, đăng nhập từ cùng một mạng (${label}), hoàn thành bài trong ` +
          `vòng ${spanText(span)} (ngưỡng: từ ${SHARED_PLACE_MIN_ACCOUNTS} tài khoản trong vòng ` +
          `${SHARED_PLACE_WINDOW_MINUTES} phút).`,
        evidence: mine.map((c) => ({
          accountId: c.accountId,
          unitId: c.unitId,
          at: c.occurredAt,
          subject:
            c.objectType === 'course'
              ? `Hoàn thành khóa học: ${courses.get(c.objectId) ?? ''}`
              : quizLabel(lessons.get(lessonOfAttempt.get(c.id) ?? ''), 'Đạt bài kiểm tra'),
          figures: `Đăng nhập lúc ${vietnamTime(c.signedInAt)} từ mạng ${label}`,
        })),
        othersOutside: outside,
      };
    });
  }

  /**
   * A learner's first readings of lessons of one course, each marked finished sooner after the
   * previous one than its words take to read at READING_WORDS_PER_MINUTE, at least
   * MIN_RUSHED_LESSONS times in the period.
   */
  private async rushedReadings(scope: SignalScope, period: Period): Promise<Signal[]> {
    const lookback = new Date(Date.parse(period.from) - READING_LOOKBACK_MS).toISOString();
    const readings = await firstReadingsIn(this.db, scope.tenantId, scope.unitIds, lookback, period.to);
    const lessons = await lessonFacts(
      this.db,
      scope.tenantId,
      readings.map((r) => r.lessonId),
    );
    const found: Signal[] = [];
    for (const series of groupBy(readings, (r) => `${r.accountId}|${r.courseId}`).values()) {
      const ordered = [...series].sort((a, b) =>
        a.occurredAt === b.occurredAt ? (a.id < b.id ? -1 : 1) : a.occurredAt < b.occurredAt ? -1 : 1,
      );
      const rushed: Evidence[] = [];
      const ids: string[] = [];
      let course = '';
      for (let i = 1; i < ordered.length; i++) {
        const previous = ordered[i - 1] as (typeof ordered)[number];
        const reading = ordered[i] as (typeof ordered)[number];
        const lesson = lessons.get(reading.lessonId);
        if (reading.occurredAt < period.from || !lesson || lesson.words === 0) continue;
        const needed = (lesson.words / READING_WORDS_PER_MINUTE) * 60;
        const gap = seconds(previous.occurredAt, reading.occurredAt);
        if (gap >= needed) continue;
        ids.push(reading.id);
        course = lesson.courseTitle;
        rushed.push({
          accountId: reading.accountId,
          unitId: reading.unitId,
          at: reading.occurredAt,
          subject: `Bài học: ${lesson.title}`,
          figures:
            `Đánh dấu đã đọc ${spanText(gap)} sau bài trước; bài có ${lesson.words.toLocaleString('vi-VN')} ` +
            `chữ, cần ít nhất ${spanText(needed)} để đọc`,
        });
      }
      if (rushed.length < MIN_RUSHED_LESSONS) continue;
      found.push({
        key: keyOf('rushedReading', ids),
        kind: 'rushedReading',
        at: latest(rushed.map((r) => r.at)),
        summary:
          `Đánh dấu đã đọc ${rushed.length} bài của khóa “${course}” nhanh hơn thời gian đọc tối thiểu ` +
          `(ngưỡng: ${READING_WORDS_PER_MINUTE} chữ mỗi phút, từ ${MIN_RUSHED_LESSONS} bài trong một khóa).`,
        evidence: rushed,
        othersOutside: 0,
      });
    }
    return found;
  }
}
