import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { rightAnswers } from '../../../test/support/answers.js';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import {
  buildLearner,
  buildTenant,
  importMiniCourse,
  MINI_COURSE,
  storedEventIds,
  testContext,
} from '../../../test/support/factories.js';
import { refusal } from '../../../test/support/refusal.js';
import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import type { AppContext } from '../../web/context.js';
import type { Answers } from '../assessment/service.js';
import { readCoursePackage } from '../catalog/coursePackage.js';
import { importCourse } from '../catalog/importCourse.js';
import type { CourseOutline } from '../catalog/service.js';
import type { IncomingEvent } from './service.js';

const readLesson = (lessonId: string, timestamp: string, id: string = randomUUID()): IncomingEvent => ({
  id,
  verb: 'completed',
  object: { type: 'lesson', id: lessonId },
  timestamp,
});

for (const dialect of testDialects()) {
  describe(`learning records [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let course: CourseOutline;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
      course = await importMiniCourse(ctx, fixture.tenant);
    });
    after(() => db.close());

    const lesson = (n: number) => course.lessons[n - 1] as NonNullable<CourseOutline['lessons'][number]>;
    const learner = () => buildLearner(ctx, fixture.tenant, fixture.villageA, 'Lê Thị Mai');

    /** Answers every question of a fresh attempt right, or all but one wrong. */
    async function takeQuiz(actor: Actor, correctly: boolean) {
      const quiz = await ctx.assessment.quiz(actor.tenantId, lesson(1).quizId as string);
      assert.ok(quiz);
      const attempt = await ctx.assessment.startAttempt(quiz, actor.accountId);
      const { questions } = await ctx.assessment.attemptQuestions(attempt);
      const blank: Answers = Object.fromEntries(questions.map((q) => [q.id, []]));
      const answers = correctly
        ? await rightAnswers(
            db,
            questions.map((q) => q.id),
          )
        : blank;
      return { attempt, result: await ctx.learning.submitQuiz(actor, attempt.id, answers) };
    }

    it('stores an event id once: the same batch posted twice gives the same answer and one row', async () => {
      const actor = await learner();
      const batch = [readLesson(lesson(1).id, '2026-11-20T08:00:00.000Z')];
      const first = await ctx.learning.recordEvents(actor, batch);
      const second = await ctx.learning.recordEvents(actor, batch);
      assert.deepEqual(second, first);
      assert.equal((await storedEventIds(db, actor.accountId)).length, 1);
      const progress = await ctx.learning.progress(actor.accountId, course.id);
      assert.equal(progress?.lessonsRead, 1);
    });

    it('refuses a batch with any invalid event, with an error per event, and stores none of it', async () => {
      const actor = await learner();
      const other = await learner();
      const taken = readLesson(lesson(1).id, '2026-11-20T08:00:00.000Z');
      await ctx.learning.recordEvents(other, [taken]);
      const error = await refusal(
        ctx.learning.recordEvents(actor, [
          readLesson(lesson(1).id, '2026-11-21T08:00:00.000Z'),
          readLesson(randomUUID(), '2026-11-21T08:00:00.000Z'),
          readLesson(lesson(2).id, 'hôm qua'),
          readLesson(lesson(2).id, '2099-01-01T00:00:00.000Z'),
          { ...taken },
        ]),
      );
      assert.equal(error.status, 400);
      assert.deepEqual(error.fields, {
        'events[1]': 'Không có bài học này.',
        'events[2]': 'Thời điểm không hợp lệ (cần dạng ISO 8601).',
        'events[3]': 'Thời điểm nằm ở tương lai.',
        'events[4]': 'Mã sự kiện này đã được dùng cho một sự kiện khác.',
      });
      assert.equal((await storedEventIds(db, actor.accountId)).length, 0);
      assert.equal(await ctx.learning.progress(actor.accountId, course.id), null);
    });

    it('refuses events for a lesson of another tenant as unknown', async () => {
      const otherTenant = await buildTenant(ctx, 'tinh-khac');
      const foreignCourse = await importMiniCourse(ctx, otherTenant.tenant);
      const actor = await learner();
      const error = await refusal(
        ctx.learning.recordEvents(actor, [
          readLesson(foreignCourse.lessons[0]?.id ?? '', '2026-11-21T08:00:00.000Z'),
        ]),
      );
      assert.deepEqual(error.fields, { 'events[0]': 'Không có bài học này.' });
    });

    it('derives the same progress and completion time whatever order the events arrive in', async () => {
      const inOrder = await learner();
      const shuffled = await learner();
      const early = '2026-11-01T08:00:00.000Z';
      const late = '2026-11-03T08:00:00.000Z';
      await ctx.learning.recordEvents(inOrder, [
        readLesson(lesson(1).id, early),
        readLesson(lesson(2).id, late),
      ]);
      await ctx.learning.recordEvents(shuffled, [readLesson(lesson(2).id, late)]);
      await ctx.learning.recordEvents(shuffled, [readLesson(lesson(1).id, '2026-11-05T08:00:00.000Z')]);
      await ctx.learning.recordEvents(shuffled, [readLesson(lesson(1).id, early)]);
      for (const actor of [inOrder, shuffled]) {
        const stored = await ctx.learning.progress(actor.accountId, course.id);
        assert.equal(stored?.lessonsRead, 2);
        assert.equal(stored?.lessons.get(lesson(1).id)?.readAt, early);
        // Two lessons read out of three requirements (two lessons + one quiz).
        assert.equal(stored?.percent, 66);
        assert.equal(stored?.completedAt, null);
        const recomputed = await ctx.learning.recomputedProgress(actor.accountId, course);
        assert.deepEqual(recomputed, {
          ...recomputed,
          lessonsRead: stored?.lessonsRead,
          percent: stored?.percent,
        });
      }
    });

    it('completes the course when every lesson is read and the quiz passed, once, with a certificate', async () => {
      const actor = await learner();
      const failed = await takeQuiz(actor, false);
      assert.equal(failed.result.passed, false);
      assert.equal(failed.result.scorePercent, 0);
      await ctx.learning.recordEvents(actor, [
        readLesson(lesson(1).id, '2026-11-10T08:00:00.000Z'),
        readLesson(lesson(2).id, '2026-11-10T09:00:00.000Z'),
      ]);
      assert.equal((await ctx.learning.progress(actor.accountId, course.id))?.completedAt, null);
      assert.deepEqual(await ctx.learning.certificatesOf(actor.accountId), []);

      const passed = await takeQuiz(actor, true);
      assert.equal(passed.result.passed, true);
      assert.equal(passed.result.scorePercent, 100);
      const progress = await ctx.learning.progress(actor.accountId, course.id);
      assert.equal(progress?.percent, 100);
      assert.ok(progress?.completedAt);
      assert.equal(progress?.lessons.get(lesson(1).id)?.attempts, 2);
      assert.equal(progress?.lessons.get(lesson(1).id)?.bestScore, 100);
      assert.deepEqual(await ctx.learning.recomputedProgress(actor.accountId, course), {
        lessonsRead: 2,
        quizzesPassed: 1,
        lessonsTotal: 2,
        quizzesTotal: 1,
        percent: 100,
        completedAt: progress?.completedAt,
      });

      // A later failed retake neither un-completes the course nor issues a second certificate.
      await takeQuiz(actor, false);
      const [certificate, ...others] = await ctx.learning.certificatesOf(actor.accountId);
      assert.deepEqual(others, []);
      assert.equal(certificate?.learnerName, 'Lê Thị Mai');
      assert.equal(certificate?.courseTitle, 'Làm quen với Zalo an toàn');
      assert.match(certificate?.code ?? '', /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
      assert.equal(
        (await ctx.learning.progress(actor.accountId, course.id))?.completedAt,
        progress?.completedAt,
      );
      assert.equal(
        (await ctx.learning.certificateByCode(certificate?.code ?? ''))?.accountId,
        actor.accountId,
      );
    });

    it('refuses forged submissions: foreign questions, a second submission, someone else’s attempt', async () => {
      const actor = await learner();
      const intruder = await learner();
      const quiz = await ctx.assessment.quiz(actor.tenantId, lesson(1).quizId as string);
      assert.ok(quiz);
      const attempt = await ctx.assessment.startAttempt(quiz, actor.accountId);
      const [question] = (await ctx.assessment.attemptQuestions(attempt)).questions;
      assert.ok(question);

      const foreign = await refusal(ctx.learning.submitQuiz(actor, attempt.id, { [randomUUID()]: ['x'] }));
      assert.equal(foreign.status, 400);
      const badOption = await refusal(
        ctx.learning.submitQuiz(actor, attempt.id, { [question.id]: ['khong-co'] }),
      );
      assert.equal(badOption.status, 400);
      const stolen = await refusal(ctx.learning.submitQuiz(intruder, attempt.id, {}));
      assert.equal(stolen.status, 404);
      assert.equal(
        (await ctx.assessment.attemptOf(actor.tenantId, actor.accountId, attempt.id))?.submittedAt,
        null,
      );

      await ctx.learning.submitQuiz(actor, attempt.id, {});
      const again = await refusal(ctx.learning.submitQuiz(actor, attempt.id, {}));
      assert.equal(again.status, 409);
      const attempts = await ctx.assessment.attemptsOf(actor.accountId, quiz.id);
      assert.deepEqual(
        attempts.map((a) => [a.scorePercent, a.passed]),
        [[0, false]],
      );
      assert.equal((await storedEventIds(db, actor.accountId)).length, 1);
    });

    it('allows retakes up to the quiz’s attempt limit, and keeps the best score', async () => {
      const folder = join(mkdtempSync(join(tmpdir(), 'hv-limit-')), 'mini');
      cpSync(MINI_COURSE, folder, { recursive: true });
      const manifest = join(folder, 'course.yaml');
      writeFileSync(
        manifest,
        readFileSync(manifest, 'utf8').replace('slug: lam-quen-zalo', 'slug: hai-luot'),
      );
      const quizFile = join(folder, 'quizzes/01-cai-dat.yaml');
      writeFileSync(quizFile, `maxAttempts: 2\n${readFileSync(quizFile, 'utf8')}`);
      const limited = readCoursePackage(folder).course;
      assert.ok(limited);
      const { courseId } = await importCourse(ctx, fixture.tenant.id, limited);
      const outline = await ctx.catalog.courseById(fixture.tenant.id, courseId);
      const quiz = await ctx.assessment.quiz(fixture.tenant.id, outline?.lessons[0]?.quizId ?? '');
      assert.equal(quiz?.settings.maxAttempts, 2);
      const actor = await learner();
      const first = await ctx.assessment.startAttempt(quiz as NonNullable<typeof quiz>, actor.accountId);
      await ctx.learning.submitQuiz(actor, first.id, {});
      const second = await ctx.assessment.startAttempt(quiz as NonNullable<typeof quiz>, actor.accountId);
      const { questions } = await ctx.assessment.attemptQuestions(second);
      await ctx.learning.submitQuiz(
        actor,
        second.id,
        await rightAnswers(
          db,
          questions.map((q) => q.id),
        ),
      );
      const third = await refusal(
        ctx.assessment.startAttempt(quiz as NonNullable<typeof quiz>, actor.accountId),
      );
      assert.equal(third.status, 409);
      assert.equal(third.code, 'attempts_exhausted');
      const states = await ctx.learning.lessonStates(actor.accountId, courseId);
      assert.equal(states.get(outline?.lessons[0]?.id ?? '')?.bestScore, 100);
      assert.equal(states.get(outline?.lessons[0]?.id ?? '')?.attempts, 2);
    });

    it('shuffles questions and options per attempt without changing what is asked', async () => {
      const actor = await learner();
      const quiz = await ctx.assessment.quiz(actor.tenantId, lesson(1).quizId as string);
      assert.ok(quiz);
      const orders = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const attempt = await ctx.assessment.startAttempt(quiz, actor.accountId);
        const { questions } = await ctx.assessment.attemptQuestions(attempt);
        assert.equal(questions.length, 3);
        orders.add(
          questions
            .map((q) => `${q.id}:${'options' in q.shown ? q.shown.options.map((o) => o.id).join(',') : ''}`)
            .join('|'),
        );
        await ctx.learning.submitQuiz(actor, attempt.id, {});
      }
      // 3! question orders × option orders: twelve attempts all alike would mean no shuffling.
      assert.ok(orders.size > 1);
    });
  });
}
