import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { attemptHistory } from '../assessment/attemptHistory.js';
import type { AccountRow } from '../identity/repository.js';
import { maskNationalId } from '../identity/rosterNationalId.js';
import { coursesLearned, lessonHistory } from '../learning/lessonHistory.js';
import { programCompletedAt } from '../programs/completion.js';
import {
  lastValidDay,
  QUALIFICATION_STATUS_LABELS,
  qualificationStatus,
  statusSentence,
} from '../programs/qualificationStatus.js';
import { STATUS_LABELS } from '../programs/status.js';
import type { ProgramCourseRole } from '../programs/tables.js';
import { type LearningAct, type TimeSplit, timeSpent } from './recordTime.js';

/** One person's learning, as their managers and the evaluators of the Department of Home Affairs review it. */
export type LearningRecord = Awaited<ReturnType<typeof readRecord>>;
export type RecordCourse = LearningRecord['courses'][number];
export type RecordAttempt = LearningRecord['attempts'][number];

export const COURSE_ROLE_LABELS: Record<ProgramCourseRole, string> = {
  required: 'Bắt buộc',
  elective: 'Tự chọn',
  final: 'Bài kiểm tra cuối',
};

const NO_SPLIT: TimeSplit = { readingMs: 0, quizMs: 0 };

const byTime =
  <T>(at: (item: T) => string) =>
  (a: T, b: T) =>
    at(a).localeCompare(at(b));

/** Everything the record shows, read without any audit (the callers record the access). */
export async function readRecord(ctx: AppContext, account: AccountRow) {
  const { tenantId, id: accountId } = account;
  const [
    view,
    learned,
    history,
    attemptRows,
    certificates,
    assignmentRows,
    qualificationRows,
    programsNow,
    classes,
  ] = await Promise.all([
    ctx.identity.view(account),
    coursesLearned(ctx.db, tenantId, accountId),
    lessonHistory(ctx.db, tenantId, accountId),
    attemptHistory(ctx.db, tenantId, accountId),
    ctx.learning.certificatesOf(accountId),
    ctx.programs.assignmentsOf(accountId),
    ctx.programs.qualificationsOf(accountId),
    ctx.programs.programs(tenantId),
    ctx.classes.classesOf(tenantId, accountId),
  ]);
  const today = todayInVietnam();

  // Programs: those assigned or granting a qualification held, and those holding a course begun.
  const begun = new Set(learned.map((c) => c.courseId));
  const assignedPrograms = new Set(
    assignmentRows.flatMap((a) => (a.targetType === 'program' ? [a.targetId] : [])),
  );
  const wanted = new Set([...assignedPrograms, ...qualificationRows.map((q) => q.programId)]);
  const programs = programsNow.filter(
    (p) => wanted.has(p.id) || p.courses.some((c) => begun.has(c.courseId)),
  );
  for (const id of wanted) {
    if (programs.some((p) => p.id === id)) continue;
    const archived = await ctx.programs.program(tenantId, id);
    if (archived) programs.push(archived);
  }

  // Courses: every one begun or tried, and every one the person must still do.
  const mustDo = [
    ...assignmentRows.flatMap((a) => (a.targetType === 'course' ? [a.targetId] : [])),
    ...programs
      .filter((p) => assignedPrograms.has(p.id))
      .flatMap((p) => p.courses.filter((c) => c.role !== 'elective').map((c) => c.courseId)),
  ];
  const courseIds = [
    ...new Set([...learned.map((c) => c.courseId), ...attemptRows.map((a) => a.courseId), ...mustDo]),
  ];
  const programCourseIds = programs.flatMap((p) => p.courses.map((c) => c.courseId));
  const lessonIds = [
    ...new Set([...history.lessons.map((l) => l.lessonId), ...attemptRows.map((a) => a.lessonId)]),
  ];
  const [courseRows, lessonRows] = await Promise.all([
    ctx.catalog.coursesByIds(tenantId, [...new Set([...courseIds, ...programCourseIds])]),
    ctx.catalog.lessonsByIds(tenantId, lessonIds),
  ]);
  const courseOf = new Map(courseRows.map((c) => [c.id, c]));
  const titleOf = (courseId: string) => courseOf.get(courseId)?.title ?? 'Khóa học đã xóa';
  const lessonTitles = new Map(lessonRows.map((l) => [l.id, l.title]));
  const lessonTitle = (lessonId: string) => lessonTitles.get(lessonId) ?? 'Bài học đã xóa';

  const attempts = attemptRows.map((a) => ({
    id: a.id,
    quizId: a.quizId,
    courseId: a.courseId,
    courseTitle: titleOf(a.courseId),
    quizTitle: lessonTitle(a.lessonId),
    passPercent: a.passPercent,
    number: a.number,
    startedAt: a.startedAt,
    submittedAt: a.submittedAt,
    durationMs: a.submittedAt ? Math.max(0, Date.parse(a.submittedAt) - Date.parse(a.startedAt)) : null,
    scorePercent: a.scorePercent,
    correctCount: a.correctCount,
    questionCount: a.questionCount,
    passed: a.passed === null ? null : a.passed === 1,
    late: a.late === 1,
  }));

  const acts: LearningAct[] = [
    ...history.readings.map((r) => ({
      courseId: r.courseId,
      from: r.occurredAt,
      to: r.occurredAt,
      quiz: false,
    })),
    ...attemptRows.map((a) => ({
      courseId: a.courseId,
      from: a.startedAt,
      to: a.submittedAt ?? a.startedAt,
      quiz: true,
    })),
  ];
  const time = timeSpent(acts);

  // A course is begun at its first act: progress is stored when the events arrive, which for an
  // offline client is later than they happened.
  const firstActOf = new Map<string, string>();
  for (const act of acts) {
    const known = firstActOf.get(act.courseId);
    if (!known || act.from < known) firstActOf.set(act.courseId, act.from);
  }
  const progressOf = new Map(
    learned.map((c) => {
      const first = firstActOf.get(c.courseId);
      return [c.courseId, { ...c, startedAt: first && first < c.startedAt ? first : c.startedAt }];
    }),
  );
  const courses = courseIds
    .map((courseId) => {
      const progress = progressOf.get(courseId) ?? null;
      const mine = attempts.filter((a) => a.courseId === courseId);
      const quizIds = [...new Set(mine.map((a) => a.quizId))];
      return {
        courseId,
        title: titleOf(courseId),
        slug: courseOf.get(courseId)?.slug ?? null,
        progress,
        lessons: history.lessons
          .filter((l) => l.courseId === courseId)
          .map((l) => ({ ...l, title: lessonTitle(l.lessonId) })),
        quizzes: quizIds.map((quizId) => {
          const of = mine.filter((a) => a.quizId === quizId);
          return {
            quizId,
            title: of[0]?.quizTitle ?? '',
            passPercent: of[0]?.passPercent ?? 0,
            attempts: of,
          };
        }),
        time: time.byCourse.get(courseId) ?? NO_SPLIT,
      };
    })
    // Begun courses in the order begun; the ones not yet begun after them.
    .sort((a, b) => (a.progress?.startedAt ?? '~').localeCompare(b.progress?.startedAt ?? '~'));

  const completedAt = new Map(learned.flatMap((c) => (c.completedAt ? [[c.courseId, c.completedAt]] : [])));
  const qualificationOf = new Map(qualificationRows.map((q) => [q.programId, q]));
  const recordPrograms = programs.map((p) => ({
    id: p.id,
    slug: p.slug,
    name: p.name,
    assigned: assignedPrograms.has(p.id),
    electivesRequired: p.electivesRequired,
    completedAt: programCompletedAt(p, completedAt),
    held: qualificationOf.has(p.id),
    courses: [...p.courses]
      .sort((a, b) => a.position - b.position)
      .map((c) => ({
        courseId: c.courseId,
        title: titleOf(c.courseId),
        role: COURSE_ROLE_LABELS[c.role],
        percent: progressOf.get(c.courseId)?.percent ?? null,
        completedAt: completedAt.get(c.courseId) ?? null,
      })),
  }));

  const programNames = new Map(programs.map((p) => [p.id, p.name]));
  const assignments = assignmentRows.map((a) => ({
    id: a.id,
    title:
      a.targetType === 'program'
        ? `Chương trình: ${programNames.get(a.targetId) ?? 'đã xóa'}`
        : `Khóa học: ${titleOf(a.targetId)}`,
    assignedAt: a.assignedAt,
    dueOn: a.dueOn,
    status: a.status,
    statusLabel: STATUS_LABELS[a.status],
    completedAt: a.completedAt,
    exemptReason: a.exemptReason,
  }));

  const qualifications = qualificationRows.map((q) => {
    const status = qualificationStatus(q, today);
    return {
      code: q.code,
      programName: q.programName,
      issuedOn: q.issuedOn,
      lastValidDay: lastValidDay(q),
      status,
      statusLabel: QUALIFICATION_STATUS_LABELS[status],
      sentence: statusSentence(q, today),
      revokedReason: q.revokedReason,
    };
  });

  return {
    today,
    person: {
      id: account.id,
      fullName: account.fullName,
      phone: view.phone,
      email: account.email,
      blockLabel: view.blockLabel,
      unit: view.homeUnit ? [view.homeUnit.fullName, ...view.homeUnit.ancestors].join(', ') : null,
      position: account.position,
      nationalId: account.nationalIdLast4 ? maskNationalId(account.nationalIdLast4) : null,
    },
    summary: {
      coursesBegun: learned.length,
      coursesCompleted: completedAt.size,
      lessonsFinished: history.lessons.length,
      attemptsSubmitted: attempts.filter((a) => a.submittedAt !== null).length,
      attemptsPassed: attempts.filter((a) => a.passed === true).length,
      classesAttended: classes.filter((c) => c.attendance === 'present').length,
    },
    time,
    courses,
    attempts,
    lessons: history.lessons
      .map((l) => ({ ...l, title: lessonTitle(l.lessonId), courseTitle: titleOf(l.courseId) }))
      .sort(byTime((l) => l.firstAt)),
    programs: recordPrograms,
    assignments,
    qualifications,
    certificates,
    /** In-person classes the person held a seat in, the latest first. */
    classes,
  };
}

/**
 * The record of `account`, as `viewer` sees it. Anyone's look at someone else's record is an
 * access to personal data and goes into the audit log (evaluators' reviews above all).
 */
export async function learningRecord(
  ctx: AppContext,
  viewer: Actor,
  account: AccountRow,
): Promise<LearningRecord> {
  const record = await readRecord(ctx, account);
  if (viewer.accountId !== account.id) {
    await ctx.audit.record(ctx.db, {
      tenantId: account.tenantId,
      actor: viewer,
      action: 'record.viewed',
      subject: { type: 'account', id: account.id, label: account.fullName },
      unitId: account.homeUnitId,
    });
  }
  return record;
}
