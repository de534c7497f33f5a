import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Actor } from '../../access/actor.js';
import { type Db, inTransaction } from '../../db/database.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { AppError, notFound } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { type Answers, AssessmentService, type AttemptResult } from '../assessment/service.js';
import type { AuditService } from '../audit/service.js';
import type { CatalogService, CourseOutline, LessonSummary } from '../catalog/service.js';
import { deriveProgress, foldEvents, type LessonState, type Progress } from './progress.js';
import type { CertificateTable, LearningEventTable } from './tables.js';

/** A learning act sent by a client: for now, "I finished reading this lesson". */
export interface IncomingEvent {
  id: string;
  verb: 'completed';
  object: { type: 'lesson'; id: string };
  timestamp: string;
}

export interface EventOutcome {
  id: string;
  status: 'stored';
}

export interface CourseProgressView extends Progress {
  courseId: string;
  versionId: string;
  startedAt: string | null;
  lessons: Map<string, LessonState>;
}

export type Certificate = CertificateTable;

const EVENT_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{7,99}$/;
/** A device clock may run a little fast; events claimed further in the future are refused. */
const CLOCK_SKEW_MS = 5 * 60 * 1000;
const CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** An unguessable certificate code: 80 random bits as four groups of Crockford base32. */
export function newCertificateCode(): string {
  const bytes = randomBytes(16);
  const chars = [...bytes].map((b) => CODE_ALPHABET[b % 32]).join('');
  return `${chars.slice(0, 4)}-${chars.slice(4, 8)}-${chars.slice(8, 12)}-${chars.slice(12, 16)}`;
}

/** A stable UUID-shaped id derived from a name, so a server-made event is stored once. */
function derivedId(name: string): string {
  const hex = createHash('sha256').update(name).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

function digestOf(
  event: Pick<LearningEventTable, 'accountId' | 'verb' | 'objectType' | 'objectId' | 'result' | 'occurredAt'>,
) {
  return createHash('sha256')
    .update(
      JSON.stringify([
        event.accountId,
        event.verb,
        event.objectType,
        event.objectId,
        event.result,
        event.occurredAt,
      ]),
    )
    .digest('hex');
}

const scoreOf = (result: string | null): number | null => {
  if (!result) return null;
  const scaled = (JSON.parse(result) as { score?: { scaled?: number } }).score?.scaled;
  return typeof scaled === 'number' ? Math.round(scaled * 100) : null;
};

/**
 * Learning records: append-only events, and the progress and certificates derived from
 * them in the same transaction as each event is stored.
 */
/** Called after a learner completes a course (once per learner and course). */
export type CompletionListener = (tenantId: string, accountId: string, courseId: string) => Promise<void>;
/** Called inside the transaction that stored a learner's events in these courses, after their progress. */
export type StoredListener = (
  tx: Db,
  tenantId: string,
  accountId: string,
  courseIds: string[],
) => Promise<void>;

export class LearningService {
  private readonly completionListeners: CompletionListener[] = [];
  private readonly passListeners: CompletionListener[] = [];
  private readonly storedListeners: StoredListener[] = [];

  constructor(
    private readonly db: Db,
    private readonly catalog: CatalogService,
    private readonly assessment: AssessmentService,
    private readonly audit: AuditService,
  ) {}

  /**
   * Stores a batch of client events. The whole batch is checked first: any invalid event
   * (unknown lesson, bad time, an id already used for other content) refuses the batch with
   * an error per event and stores nothing. Then all are stored in one transaction; an id
   * seen before with the same content changes nothing and gets the same answer.
   */
  async recordEvents(actor: Actor, events: IncomingEvent[]): Promise<EventOutcome[]> {
    const lessons = new Map(
      (await this.catalog.lessonsByIds(actor.tenantId, [...new Set(events.map((e) => e.object.id))])).map(
        (l) => [l.id, l],
      ),
    );
    const errors: Record<string, string> = {};
    const rows: LearningEventTable[] = [];
    const storedAt = nowIso();
    const seen = new Map<string, string>();
    for (const [index, event] of events.entries()) {
      const problem = this.eventProblem(event, lessons);
      if (problem) {
        errors[`events[${index}]`] = problem;
        continue;
      }
      const lesson = lessons.get(event.object.id) as LessonSummary;
      const row: LearningEventTable = {
        id: event.id,
        tenantId: actor.tenantId,
        accountId: actor.accountId,
        verb: event.verb,
        objectType: 'lesson',
        objectId: lesson.id,
        courseId: lesson.courseId,
        unitId: actor.homeUnitId,
        block: actor.block,
        result: null,
        occurredAt: new Date(event.timestamp).toISOString(),
        storedAt,
        digest: '',
      };
      row.digest = digestOf(row);
      if (seen.has(row.id) && seen.get(row.id) !== row.digest) {
        errors[`events[${index}]`] =
          'Mã sự kiện bị dùng hai lần trong cùng một lô cho hai nội dung khác nhau.';
        continue;
      }
      seen.set(row.id, row.digest);
      rows.push(row);
    }
    const stored = await this.storedDigests(rows.map((r) => r.id));
    const rowById = new Map(rows.map((r) => [r.id, r]));
    for (const [index, event] of events.entries()) {
      const previous = stored.get(event.id);
      const row = rowById.get(event.id);
      if (previous && row && (previous.accountId !== actor.accountId || previous.digest !== row.digest)) {
        errors[`events[${index}]`] = 'Mã sự kiện này đã được dùng cho một sự kiện khác.';
      }
    }
    if (Object.keys(errors).length > 0) {
      throw new AppError(
        400,
        'invalid_events',
        'Lô sự kiện có sự kiện không hợp lệ; chưa lưu sự kiện nào.',
        errors,
      );
    }
    const fresh = [...rowById.values()].filter((r) => !stored.has(r.id));
    if (fresh.length > 0) {
      const versionOfCourse = new Map(
        fresh.map((r) => [r.courseId, lessons.get(r.objectId)?.versionId as string]),
      );
      const courses = await this.learnedVersions(actor, versionOfCourse);
      const completed = await inTransaction(this.db, async (tx) => {
        // A replay racing its original (a client retrying at once) is stored by whichever commits first.
        await tx.kysely
          .insertInto('learningEvents')
          .values(fresh)
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        await this.applyReadings(tx, actor, fresh);
        const done: string[] = [];
        for (const course of courses) if (await this.refreshProgress(tx, actor, course)) done.push(course.id);
        await this.stored(
          tx,
          actor,
          courses.map((c) => c.id),
        );
        return done;
      });
      await this.completed(actor, completed);
    }
    // A replayed id gets the same answer as the first time: the event is stored (once).
    return events.map((e) => ({ id: e.id, status: 'stored' }));
  }

  /** Lets another module follow course completions (programs complete, assignments are done). */
  onCourseCompleted(listener: CompletionListener): void {
    this.completionListeners.push(listener);
  }

  /** Lets another module follow passed quizzes (a recertification is renewed by passing again). */
  onQuizPassed(listener: CompletionListener): void {
    this.passListeners.push(listener);
  }

  /** Lets another module keep figures in step with stored events, in the same transaction. */
  onEventsStored(listener: StoredListener): void {
    this.storedListeners.push(listener);
  }

  private async stored(tx: Db, actor: Actor, courseIds: string[]): Promise<void> {
    for (const listener of this.storedListeners)
      await listener(tx, actor.tenantId, actor.accountId, courseIds);
  }

  private async completed(actor: Actor, courseIds: string[]): Promise<void> {
    for (const courseId of courseIds)
      for (const listener of this.completionListeners)
        await listener(actor.tenantId, actor.accountId, courseId);
  }

  /** Records "finished reading" from the lesson page's button: an event with a new id. */
  async finishReading(actor: Actor, lessonId: string): Promise<void> {
    await this.recordEvents(actor, [
      { id: randomUUID(), verb: 'completed', object: { type: 'lesson', id: lessonId }, timestamp: nowIso() },
    ]);
  }

  /**
   * Grades a quiz attempt and records it as a passed/failed event, with the progress it
   * changes, in one transaction. Refusals come from the assessment service.
   */
  async submitQuiz(actor: Actor, attemptId: string, answers: Answers): Promise<AttemptResult> {
    const attempt = await this.assessment.attemptOf(actor.tenantId, actor.accountId, attemptId);
    if (!attempt) throw notFound('Không tìm thấy lượt làm bài này.');
    const quiz = await this.assessment.quiz(actor.tenantId, attempt.quizId);
    if (!quiz) throw notFound();
    const [lesson] = await this.catalog.lessonsByIds(actor.tenantId, [quiz.lessonId]);
    if (!lesson) throw notFound();
    const [course] = await this.learnedVersions(actor, new Map([[quiz.courseId, lesson.versionId]]));
    if (!course) throw notFound();
    const { result, done } = await inTransaction(this.db, async (tx) => {
      const { attempt: graded, result } = await new AssessmentService(tx).submit(
        quiz,
        actor.accountId,
        attemptId,
        answers,
      );
      const event: LearningEventTable = {
        id: attemptId,
        tenantId: actor.tenantId,
        accountId: actor.accountId,
        verb: result.passed ? 'passed' : 'failed',
        objectType: 'quiz',
        objectId: quiz.id,
        courseId: quiz.courseId,
        unitId: actor.homeUnitId,
        block: actor.block,
        result: JSON.stringify({
          score: {
            scaled: result.scorePercent / 100,
            raw: result.correctCount,
            min: 0,
            max: result.questionCount,
          },
          success: result.passed,
          completion: true,
        }),
        occurredAt: graded.submittedAt ?? nowIso(),
        storedAt: nowIso(),
        digest: '',
      };
      event.digest = digestOf(event);
      await tx.kysely.insertInto('learningEvents').values(event).execute();
      await this.applyQuizResult(tx, actor, quiz.lessonId, quiz.courseId, event.occurredAt, result);
      const done = await this.refreshProgress(tx, actor, course);
      await this.stored(tx, actor, [course.id]);
      return { result, done };
    });
    if (done) await this.completed(actor, [course.id]);
    if (result.passed) {
      for (const listener of this.passListeners) await listener(actor.tenantId, actor.accountId, course.id);
    }
    return result;
  }

  async progress(accountId: string, courseId: string): Promise<CourseProgressView | null> {
    const row = await this.db.kysely
      .selectFrom('courseProgress')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('courseId', '=', courseId)
      .executeTakeFirst();
    if (!row) return null;
    return {
      courseId,
      lessonsRead: row.lessonsRead,
      quizzesPassed: row.quizzesPassed,
      lessonsTotal: row.lessonsTotal,
      quizzesTotal: row.quizzesTotal,
      percent: row.percent,
      completedAt: row.completedAt,
      startedAt: row.startedAt,
      versionId: row.versionId,
      lessons: await this.statesIn(this.db, accountId, courseId),
    };
  }

  /** Progress computed again from the stored events alone (the check for the stored figures). */
  async recomputedProgress(accountId: string, course: CourseOutline): Promise<Progress> {
    const events = await this.db.kysely
      .selectFrom('learningEvents')
      .select(['verb', 'objectType', 'objectId', 'occurredAt', 'result'])
      .where('accountId', '=', accountId)
      .where('courseId', '=', course.id)
      .execute();
    const lessonOfQuiz = new Map(
      course.lessons.filter((l) => l.quizId).map((l) => [l.quizId as string, l.id]),
    );
    return deriveProgress(
      course.lessons,
      foldEvents(
        events.map((e) => ({
          ...e,
          lessonId: e.objectType === 'quiz' ? (lessonOfQuiz.get(e.objectId) ?? null) : e.objectId,
          score: scoreOf(e.result),
        })),
      ),
    );
  }

  /**
   * When each of these people completed each of these courses (only completions; all people of
   * the tenant when `accountIds` is absent): what assignments and programs are checked against.
   */
  async completions(
    tenantId: string,
    courseIds: string[],
    accountIds?: string[],
  ): Promise<{ accountId: string; courseId: string; completedAt: string }[]> {
    if (courseIds.length === 0 || accountIds?.length === 0) return [];
    let query = this.db.kysely
      .selectFrom('courseProgress')
      .select(['accountId', 'courseId', 'completedAt'])
      .where('tenantId', '=', tenantId)
      .where('courseId', 'in', courseIds)
      .where('completedAt', 'is not', null);
    if (accountIds) query = query.where('accountId', 'in', accountIds);
    return (await query.execute()).map((r) => ({ ...r, completedAt: r.completedAt as string }));
  }

  /** For each of these courses, when the person first passed one of its quizzes on or after `since`. */
  async quizPassesSince(accountId: string, courseIds: string[], since: string): Promise<Map<string, string>> {
    if (courseIds.length === 0) return new Map();
    const rows = await this.db.kysely
      .selectFrom('learningEvents')
      .select(['courseId'])
      .select((eb) => eb.fn.min('occurredAt').as('passedAt'))
      .where('accountId', '=', accountId)
      .where('courseId', 'in', courseIds)
      .where('verb', '=', 'passed')
      .where('occurredAt', '>=', since)
      .groupBy('courseId')
      .execute();
    return new Map(rows.map((r) => [r.courseId, String(r.passedAt)]));
  }

  /** How many courses each of these people has completed (people with none are absent). */
  async completedCounts(accountIds: string[]): Promise<Map<string, number>> {
    if (accountIds.length === 0) return new Map();
    const rows = await this.db.kysely
      .selectFrom('courseProgress')
      .select('accountId')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('accountId', 'in', accountIds)
      .where('completedAt', 'is not', null)
      .groupBy('accountId')
      .execute();
    return new Map(rows.map((r) => [r.accountId, Number(r.n)]));
  }

  /** Which of these people have started any of these courses. */
  async startedAmong(accountIds: string[], courseIds: string[]): Promise<Set<string>> {
    if (accountIds.length === 0 || courseIds.length === 0) return new Set();
    const rows = await this.db.kysely
      .selectFrom('courseProgress')
      .select('accountId')
      .distinct()
      .where('accountId', 'in', accountIds)
      .where('courseId', 'in', courseIds)
      .execute();
    return new Set(rows.map((r) => r.accountId));
  }

  /** Every course the learner has started, most recently active first. */
  async coursesOf(accountId: string) {
    return this.db.kysely
      .selectFrom('courseProgress')
      .select(['courseId', 'percent', 'completedAt', 'startedAt', 'updatedAt'])
      .where('accountId', '=', accountId)
      .orderBy('updatedAt', 'desc')
      .execute();
  }

  async certificatesOf(accountId: string): Promise<Certificate[]> {
    return this.db.kysely
      .selectFrom('certificates')
      .selectAll()
      .where('accountId', '=', accountId)
      .orderBy('issuedAt', 'desc')
      .execute();
  }

  /**
   * Everything the learning records hold about one learner, for their personal-data export:
   * progress per course, per-lesson state, certificates and every stored event.
   */
  async personalDataOf(accountId: string) {
    const q = this.db.kysely;
    const [courses, lessons, certificates, events] = await Promise.all([
      q
        .selectFrom('courseProgress')
        .select([
          'courseId',
          'versionId',
          'lessonsRead',
          'lessonsTotal',
          'quizzesPassed',
          'quizzesTotal',
          'percent',
          'startedAt',
          'completedAt',
          'updatedAt',
        ])
        .where('accountId', '=', accountId)
        .orderBy('startedAt')
        .execute(),
      q
        .selectFrom('lessonStates')
        .select(['courseId', 'lessonId', 'readAt', 'quizPassedAt', 'bestScore', 'attempts'])
        .where('accountId', '=', accountId)
        .orderBy('courseId')
        .orderBy('lessonId')
        .execute(),
      this.certificatesOf(accountId),
      q
        .selectFrom('learningEvents')
        .select([
          'id',
          'verb',
          'objectType',
          'objectId',
          'courseId',
          'unitId',
          'result',
          'occurredAt',
          'storedAt',
        ])
        .where('accountId', '=', accountId)
        .orderBy('occurredAt')
        .orderBy('id')
        .execute(),
    ]);
    return { courses, lessons, certificates, events };
  }

  /**
   * Deletes a learner's certificates within the caller's transaction, when their account is
   * deleted: a certificate names its holder, and its public page would go on showing the name.
   * Events, lesson states and progress stay: once the account is anonymised they name no one,
   * and unit figures are counted from them. Returns the ids of the deleted certificates.
   */
  async removeCertificatesOf(db: Db, accountId: string): Promise<string[]> {
    const rows = await db.kysely
      .deleteFrom('certificates')
      .where('accountId', '=', accountId)
      .returning('id')
      .execute();
    return rows.map((r) => r.id);
  }

  /** A certificate by its code, in any tenant: codes are global and unguessable. */
  async certificateByCode(code: string): Promise<Certificate | null> {
    const row = await this.db.kysely
      .selectFrom('certificates')
      .selectAll()
      .where('code', '=', code.trim().toUpperCase())
      .executeTakeFirst();
    return row ?? null;
  }

  /**
   * Marks a certificate revoked (it stays, and its page says so); false for an unknown code.
   * Only the command line revokes, so the audit event names no person.
   */
  async revokeCertificate(code: string, reason: string): Promise<boolean> {
    const certificate = await this.certificateByCode(code);
    if (!certificate) return false;
    const revokedReason = cleanText(reason);
    await inTransaction(this.db, async (tx) => {
      await tx.kysely
        .updateTable('certificates')
        .set({ revokedAt: nowIso(), revokedReason })
        .where('id', '=', certificate.id)
        .execute();
      await this.audit.record(tx, {
        tenantId: certificate.tenantId,
        actor: null,
        action: 'certificate.revoked',
        subject: {
          type: 'certificate',
          id: certificate.id,
          label: `${certificate.learnerName} – ${certificate.courseTitle}`,
        },
        details: { code: certificate.code, reason: revokedReason },
      });
    });
    return true;
  }

  private eventProblem(event: IncomingEvent, lessons: Map<string, LessonSummary>): string | null {
    if (!EVENT_ID.test(event.id)) return 'Mã sự kiện phải dài 8–100 ký tự, gồm chữ, số và . _ : -';
    const time = Date.parse(event.timestamp);
    if (Number.isNaN(time)) return 'Thời điểm không hợp lệ (cần dạng ISO 8601).';
    if (time > Date.now() + CLOCK_SKEW_MS) return 'Thời điểm nằm ở tương lai.';
    if (!lessons.has(event.object.id)) return 'Không có bài học này.';
    return null;
  }

  private async storedDigests(ids: string[]) {
    if (ids.length === 0) return new Map<string, { accountId: string; digest: string }>();
    const rows = await this.db.kysely
      .selectFrom('learningEvents')
      .select(['id', 'accountId', 'digest'])
      .where('id', 'in', [...new Set(ids)])
      .execute();
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The version of a course this learner learns, or null before they start it. */
  async versionOf(accountId: string, courseId: string): Promise<string | null> {
    const row = await this.db.kysely
      .selectFrom('courseProgress')
      .select('versionId')
      .where('accountId', '=', accountId)
      .where('courseId', '=', courseId)
      .executeTakeFirst();
    return row?.versionId ?? null;
  }

  /**
   * The outline of the version each course is learned in: the learner's own version once
   * started, else the version of the lesson that starts it. Read before the transaction:
   * published versions never change.
   */
  private async learnedVersions(
    actor: Actor,
    versionOfCourse: Map<string, string>,
  ): Promise<CourseOutline[]> {
    const outlines = await Promise.all(
      [...versionOfCourse].map(async ([courseId, startingVersion]) => {
        const own = await this.versionOf(actor.accountId, courseId);
        return this.catalog.versionOutline(actor.tenantId, own ?? startingVersion);
      }),
    );
    return outlines.filter((o): o is CourseOutline => o !== null);
  }

  /**
   * Moves a learner to the course's current version. Lessons whose content did not change
   * (same address and content hash) stay done; the rest must be done again in the new version.
   * Their records in the old version stay as they were.
   */
  async moveToVersion(actor: Actor, courseId: string): Promise<void> {
    const progress = await this.progress(actor.accountId, courseId);
    if (!progress) throw notFound('Bạn chưa học khóa học này.');
    if (progress.completedAt) {
      throw new AppError(
        409,
        'already_completed',
        'Bạn đã hoàn thành khóa học này; không cần chuyển phiên bản.',
      );
    }
    const [current, old] = await Promise.all([
      this.catalog.courseById(actor.tenantId, courseId),
      this.catalog.versionOutline(actor.tenantId, progress.versionId),
    ]);
    if (!current || !old) throw notFound();
    if (current.versionId === old.versionId) return;
    const [oldLessons, newLessons] = await Promise.all([
      this.catalog.lessonsByIds(
        actor.tenantId,
        old.lessons.map((l) => l.id),
      ),
      this.catalog.lessonsByIds(
        actor.tenantId,
        current.lessons.map((l) => l.id),
      ),
    ]);
    const digests = await this.catalog.lessonDigests(
      actor.tenantId,
      [...oldLessons, ...newLessons].map((l) => l.id),
    );
    const unchanged = new Map(
      oldLessons.map((l) => [`${l.slug}:${digests.get(l.id)}`, progress.lessons.get(l.id)] as const),
    );
    const done = await inTransaction(this.db, async (tx) => {
      for (const lesson of newLessons) {
        const state = unchanged.get(`${lesson.slug}:${digests.get(lesson.id)}`);
        if (!state) continue;
        await tx.kysely
          .insertInto('lessonStates')
          .values({
            accountId: actor.accountId,
            lessonId: lesson.id,
            tenantId: actor.tenantId,
            courseId,
            readAt: state.readAt,
            quizPassedAt: state.quizPassedAt,
            bestScore: state.bestScore,
            attempts: 0,
          })
          .onConflict((oc) => oc.columns(['accountId', 'lessonId']).doNothing())
          .execute();
      }
      await tx.kysely
        .updateTable('courseProgress')
        .set({ versionId: current.versionId })
        .where('accountId', '=', actor.accountId)
        .where('courseId', '=', courseId)
        .execute();
      const completed = await this.refreshProgress(tx, actor, current);
      if (completed) await this.stored(tx, actor, [courseId]);
      return completed;
    });
    if (done) await this.completed(actor, [courseId]);
  }

  /** Keeps each lesson's earliest reading time, whatever order the events arrive in. */
  private async applyReadings(tx: Db, actor: Actor, events: LearningEventTable[]): Promise<void> {
    const earliest = new Map<string, LearningEventTable>();
    for (const event of events) {
      const known = earliest.get(event.objectId);
      if (!known || event.occurredAt < known.occurredAt) earliest.set(event.objectId, event);
    }
    await tx.kysely
      .insertInto('lessonStates')
      .values(
        [...earliest.values()].map((e) => ({
          accountId: actor.accountId,
          lessonId: e.objectId,
          tenantId: actor.tenantId,
          courseId: e.courseId,
          readAt: e.occurredAt,
          quizPassedAt: null,
          bestScore: null,
          attempts: 0,
        })),
      )
      .onConflict((oc) =>
        oc.columns(['accountId', 'lessonId']).doUpdateSet({
          readAt: sql`case when lesson_states.read_at is null or excluded.read_at < lesson_states.read_at
                      then excluded.read_at else lesson_states.read_at end`,
        }),
      )
      .execute();
  }

  private async applyQuizResult(
    tx: Db,
    actor: Actor,
    lessonId: string,
    courseId: string,
    at: string,
    result: AttemptResult,
  ): Promise<void> {
    const passedAt = result.passed ? at : null;
    await tx.kysely
      .insertInto('lessonStates')
      .values({
        accountId: actor.accountId,
        lessonId,
        tenantId: actor.tenantId,
        courseId,
        readAt: null,
        quizPassedAt: passedAt,
        bestScore: result.scorePercent,
        attempts: 1,
      })
      .onConflict((oc) =>
        oc.columns(['accountId', 'lessonId']).doUpdateSet({
          attempts: sql`lesson_states.attempts + 1`,
          bestScore: sql`case when lesson_states.best_score is null or excluded.best_score > lesson_states.best_score
                         then excluded.best_score else lesson_states.best_score end`,
          quizPassedAt: sql`case when lesson_states.quiz_passed_at is null
                              or (excluded.quiz_passed_at is not null and excluded.quiz_passed_at < lesson_states.quiz_passed_at)
                            then excluded.quiz_passed_at else lesson_states.quiz_passed_at end`,
        }),
      )
      .execute();
  }

  /** What a learner has done in each lesson of a course, by lesson id. */
  lessonStates(accountId: string, courseId: string): Promise<Map<string, LessonState>> {
    return this.statesIn(this.db, accountId, courseId);
  }

  private async statesIn(db: Db, accountId: string, courseId: string): Promise<Map<string, LessonState>> {
    const rows = await db.kysely
      .selectFrom('lessonStates')
      .select(['lessonId', 'readAt', 'quizPassedAt', 'bestScore', 'attempts'])
      .where('accountId', '=', accountId)
      .where('courseId', '=', courseId)
      .execute();
    return new Map(rows.map((r) => [r.lessonId, r]));
  }

  /**
   * Recomputes one learner's progress in a course from their lesson states, inside the
   * transaction that changed them. The row is locked first (PostgreSQL), so two concurrent
   * batches of the same learner cannot both write a count that misses the other's events.
   * True when this change completed the course.
   */
  private async refreshProgress(tx: Db, actor: Actor, course: CourseOutline): Promise<boolean> {
    const now = nowIso();
    await tx.kysely
      .insertInto('courseProgress')
      .values({
        accountId: actor.accountId,
        courseId: course.id,
        tenantId: actor.tenantId,
        versionId: course.versionId,
        lessonsRead: 0,
        quizzesPassed: 0,
        lessonsTotal: 0,
        quizzesTotal: 0,
        percent: 0,
        startedAt: now,
        completedAt: null,
        updatedAt: now,
      })
      .onConflict((oc) => oc.columns(['accountId', 'courseId']).doNothing())
      .execute();
    let locked = tx.kysely
      .selectFrom('courseProgress')
      .select(['completedAt'])
      .where('accountId', '=', actor.accountId)
      .where('courseId', '=', course.id);
    if (tx.dialect === 'postgres') locked = locked.forUpdate();
    const before = await locked.executeTakeFirstOrThrow();
    const progress = deriveProgress(course.lessons, await this.statesIn(tx, actor.accountId, course.id));
    await tx.kysely
      .updateTable('courseProgress')
      .set({ ...progress, updatedAt: now })
      .where('accountId', '=', actor.accountId)
      .where('courseId', '=', course.id)
      .execute();
    if (!progress.completedAt || before.completedAt) return false;
    await this.complete(tx, actor, course, progress.completedAt);
    return true;
  }

  /** The course-completed event and the certificate, both made once. */
  private async complete(tx: Db, actor: Actor, course: CourseOutline, completedAt: string): Promise<void> {
    const event: LearningEventTable = {
      id: derivedId(`course-completed:${actor.accountId}:${course.id}`),
      tenantId: actor.tenantId,
      accountId: actor.accountId,
      verb: 'completed',
      objectType: 'course',
      objectId: course.id,
      courseId: course.id,
      unitId: actor.homeUnitId,
      block: actor.block,
      result: JSON.stringify({ completion: true, success: true }),
      occurredAt: completedAt,
      storedAt: nowIso(),
      digest: '',
    };
    event.digest = digestOf(event);
    await tx.kysely
      .insertInto('learningEvents')
      .values(event)
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    await tx.kysely
      .insertInto('certificates')
      .values({
        id: randomUUID(),
        code: newCertificateCode(),
        tenantId: actor.tenantId,
        accountId: actor.accountId,
        courseId: course.id,
        learnerName: actor.fullName,
        courseTitle: course.title,
        issuedOn: todayInVietnam(new Date(completedAt)),
        issuedAt: nowIso(),
        revokedAt: null,
        revokedReason: null,
      })
      .onConflict((oc) => oc.columns(['accountId', 'courseId']).doNothing())
      .execute();
  }
}
