import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Actor } from '../src/access/actor.js';
import { COURSES_FOLDER } from '../src/demo/seedDemo.js';
import type { Quiz } from '../src/modules/assessment/service.js';
import { readCoursePackage } from '../src/modules/catalog/coursePackage.js';
import { importCourse } from '../src/modules/catalog/importCourse.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { decodeList } from '../src/text/lists.js';
import { rightAnswers } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, TEST_PASSWORD } from './support/factories.js';
import { Browser, signedIn } from './support/http.js';
import { refusal } from './support/refusal.js';

const EVERY_KIND = fileURLToPath(new URL('./fixtures/courses/every-kind', import.meta.url));
const MINUTE = 60_000;

for (const dialect of testDialects()) {
  describe(`the quiz engine: kinds, draws, deadlines, autosave, feedback [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;
    let scams: CourseOutline;

    const load = async (folder: string) => {
      const pkg = readCoursePackage(folder).course;
      assert.ok(pkg);
      const { courseId } = await importCourse(t.ctx, t.fixture.tenant.id, pkg);
      return (await t.ctx.catalog.courseById(t.fixture.tenant.id, courseId)) as CourseOutline;
    };
    const learner = async (): Promise<Actor> =>
      t.ctx.identity.actorOf(await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA));
    const quizOf = async (lesson: { quizId: string | null } | undefined): Promise<Quiz> => {
      const quiz = await t.ctx.assessment.quiz(t.fixture.tenant.id, lesson?.quizId ?? '');
      assert.ok(quiz);
      return quiz;
    };
    const finalTest = () => quizOf(course.lessons.find((l) => l.kind === 'final'));

    before(async () => {
      t = await startTestApp(dialect);
      course = await load(EVERY_KIND);
      scams = await load(`${COURSES_FOLDER}/phong-tranh-lua-dao`);
    });
    after(() => t.close());

    it('grades all six question kinds: every right answer scores 100%, blank answers 0%', async () => {
      const kinds = new Set<string>();
      for (const lesson of course.lessons.filter((l) => l.kind !== 'final')) {
        const quiz = await quizOf(lesson);
        const actor = await learner();
        const attempt = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
        const { questions } = await t.ctx.assessment.attemptQuestions(attempt);
        for (const q of questions) kinds.add(q.kind);
        const result = await t.ctx.learning.submitQuiz(
          actor,
          attempt.id,
          await rightAnswers(
            t.db,
            questions.map((q) => q.id),
          ),
        );
        assert.equal(result.scorePercent, 100);
        const blank = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
        assert.equal((await t.ctx.learning.submitQuiz(actor, blank.id, {})).scorePercent, 0);
      }
      assert.deepEqual([...kinds].sort(), [
        'matching',
        'multiple',
        'numeric',
        'ordering',
        'single',
        'trueFalse',
      ]);
    });

    it('completes a course only when its final test is passed too', async () => {
      const actor = await learner();
      const pass = async (quiz: Quiz) => {
        const attempt = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
        const { questions } = await t.ctx.assessment.attemptQuestions(attempt);
        return t.ctx.learning.submitQuiz(
          actor,
          attempt.id,
          await rightAnswers(
            t.db,
            questions.map((q) => q.id),
          ),
        );
      };
      for (const lesson of course.lessons.filter((l) => l.kind !== 'final')) {
        await t.ctx.learning.finishReading(actor, lesson.id);
        await pass(await quizOf(lesson));
      }
      const before = await t.ctx.learning.progress(actor.accountId, course.id);
      assert.equal(before?.completedAt, null);
      assert.equal(before?.lessonsTotal, 2, 'the final test is not a lesson to read');
      assert.equal((await pass(await finalTest())).passed, true);
      const after = await t.ctx.learning.progress(actor.accountId, course.id);
      assert.ok(after?.completedAt);
      assert.equal(after?.percent, 100);
      assert.equal((await t.ctx.learning.certificatesOf(actor.accountId)).length, 1);
    });

    it('draws questions by rule: never a repeat within an attempt, each rule gets its count', async () => {
      const quiz = await finalTest();
      assert.deepEqual(
        quiz.settings.draws?.map((r) => r.count),
        [2, 2, 1],
      );
      const rows = await t.db.kysely
        .selectFrom('quizQuestions')
        .select(['id', 'tags', 'difficulty'])
        .where('quizId', '=', quiz.id)
        .execute();
      assert.equal(rows.length, 6, 'the final test froze every lesson question as its pool');
      const meta = new Map(rows.map((r) => [r.id, { tags: decodeList(r.tags), difficulty: r.difficulty }]));
      const drawn = new Set<string>();
      for (let i = 0; i < 25; i++) {
        const actor = await learner();
        const attempt = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
        const ids = (await t.ctx.assessment.attemptQuestions(attempt)).questions.map((q) => q.id);
        assert.equal(ids.length, 5);
        assert.equal(new Set(ids).size, 5, 'no question twice in one attempt');
        const easyOtp = ids.filter(
          (id) => meta.get(id)?.tags.includes('otp') && meta.get(id)?.difficulty === 'easy',
        );
        const transfer = ids.filter((id) => meta.get(id)?.tags.includes('chuyen-tien'));
        assert.ok(easyOtp.length >= 2, 'rule 1 drew its 2 easy OTP questions');
        assert.ok(transfer.length >= 2, 'rule 2 drew its 2 money-transfer questions');
        drawn.add([...ids].sort().join());
      }
      assert.ok(drawn.size > 1, 'attempts got different draws');
    });

    it('grades a late submission of a timed attempt on what was saved before the deadline', async () => {
      const quiz = await finalTest();
      assert.equal(quiz.settings.timeLimitMinutes, 20);
      const actor = await learner();
      const start = new Date(Date.now() - 25 * MINUTE);
      const attempt = await t.ctx.assessment.startAttempt(quiz, actor.accountId, start);
      assert.equal(attempt.deadlineAt, new Date(start.getTime() + 20 * MINUTE).toISOString());
      const { questions } = await t.ctx.assessment.attemptQuestions(attempt);
      const right = await rightAnswers(
        t.db,
        questions.map((q) => q.id),
      );
      const [first, second] = questions;
      assert.ok(first && second);
      await t.ctx.assessment.saveAnswers(
        actor.tenantId,
        actor.accountId,
        attempt.id,
        { [first.id]: right[first.id] ?? [], [second.id]: right[second.id] ?? [] },
        new Date(start.getTime() + 5 * MINUTE),
      );
      const tooLate = await refusal(
        t.ctx.assessment.saveAnswers(
          actor.tenantId,
          actor.accountId,
          attempt.id,
          right,
          new Date(start.getTime() + 21 * MINUTE),
        ),
      );
      assert.equal(tooLate.code, 'time_up');
      // Sent now, 25 minutes after the start: everything right, but only the two saved answers count.
      const result = await t.ctx.learning.submitQuiz(actor, attempt.id, right);
      assert.equal(result.late, true);
      assert.equal(result.correctCount, 2);
      assert.equal(result.scorePercent, 40);

      const onTime = await learner();
      const begun = await t.ctx.assessment.startAttempt(
        quiz,
        onTime.accountId,
        new Date(Date.now() - 20 * MINUTE - 10_000),
      );
      const all = await rightAnswers(
        t.db,
        (await t.ctx.assessment.attemptQuestions(begun)).questions.map((q) => q.id),
      );
      const graced = await t.ctx.learning.submitQuiz(onTime, begun.id, all);
      assert.equal(graced.late, false, 'ten seconds past the deadline is within the grace');
      assert.equal(graced.scorePercent, 100);
    });

    it('grades an abandoned timed attempt from its autosave when the learner comes back', async () => {
      const quiz = await finalTest();
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const actor = await t.ctx.identity.actorOf(account);
      const attempt = await t.ctx.assessment.startAttempt(
        quiz,
        actor.accountId,
        new Date(Date.now() - 30 * MINUTE),
      );
      const browser = new Browser(t.app);
      await browser.login(account.phone ?? '', TEST_PASSWORD);
      const page = await browser.get(`/bai-lam/${attempt.id}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Kết quả lần làm thứ 1/);
      assert.match(page.body, /hết giờ/);
      const stored = await t.ctx.assessment.attemptOf(actor.tenantId, actor.accountId, attempt.id);
      assert.equal(stored?.scorePercent, 0);
    });

    it('keeps autosaved answers through a lost connection, page by page, without JavaScript', async () => {
      const quiz = await quizOf(scams.lessons[0]);
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const phone = new Browser(t.app);
      await phone.login(account.phone ?? '', TEST_PASSWORD);
      const quizPage = `/khoa-hoc/${scams.slug}/${scams.lessons[0]?.slug}/kiem-tra`;
      const started = await phone.submit(quizPage, quizPage, {});
      const attemptUrl = String(started.headers.location);
      const firstPage = (await phone.get(attemptUrl)).body;
      assert.match(firstPage, /trang 1\/2/);
      const shown = [...firstPage.matchAll(/name="p" value="([^"]+)"/g)].map((m) => m[1] as string);
      assert.equal(shown.length, 5);
      const right = await rightAnswers(t.db, shown);
      const fields: [string, string][] = shown.flatMap((id): [string, string][] => [
        ['p', id],
        ...(right[id] ?? []).map((v): [string, string] => [`q.${id}`, v]),
      ]);
      const saved = await phone.submit(attemptUrl, attemptUrl, [
        ...fields,
        ['trang', '1'],
        ['_action', 'trang-2'],
      ]);
      assert.equal(saved.statusCode, 303);
      assert.match(String(saved.headers.location), /trang=2/);

      // The connection drops; later the learner signs in again on another phone.
      const other = new Browser(t.app);
      await other.login(account.phone ?? '', TEST_PASSWORD);
      const back = (await other.get(`${attemptUrl}?trang=1`)).body;
      for (const id of shown) {
        for (const value of right[id] ?? []) {
          assert.match(back, new RegExp(`name="q\\.${id}" value="${value}" checked`), `answer of ${id} kept`);
        }
      }
      assert.match(back, /đã trả lời 5\/7 câu/);
      const lastPage = (await other.get(`${attemptUrl}?trang=2`)).body;
      const rest = [...lastPage.matchAll(/name="p" value="([^"]+)"/g)].map((m) => m[1] as string);
      const restRight = await rightAnswers(t.db, rest);
      await other.submit(`${attemptUrl}?trang=2`, attemptUrl, [
        ...rest.flatMap((id): [string, string][] => [
          ['p', id],
          ...(restRight[id] ?? []).map((v): [string, string] => [`q.${id}`, v]),
        ]),
        ['_action', 'nop-bai'],
      ]);
      const attempt = (await t.ctx.assessment.attemptsOf(account.id, quiz.id))[0];
      assert.equal(attempt?.scorePercent, 100);
    });

    it('refuses forged autosaves: someone else’s attempt, a question not in the attempt', async () => {
      const quiz = await quizOf(scams.lessons[1]);
      const owner = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const intruder = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const attempt = await t.ctx.assessment.startAttempt(quiz, owner.id);
      const { questions } = await t.ctx.assessment.attemptQuestions(attempt);
      const first = questions[0];
      assert.ok(first && 'options' in first.shown);
      const mine = await signedIn(t.app, owner);
      const saved = await mine.json('PUT', `/api/quiz-attempts/${attempt.id}/answers`, {
        answers: { [first.id]: [first.shown.options[0]?.id ?? ''] },
      });
      assert.equal(saved.statusCode, 200);
      const theirs = await signedIn(t.app, intruder);
      const stolen = await theirs.json('PUT', `/api/quiz-attempts/${attempt.id}/answers`, {
        answers: { [first.id]: [first.shown.options[1]?.id ?? ''] },
      });
      assert.equal(stolen.statusCode, 404);
      const foreign = await mine.json('PUT', `/api/quiz-attempts/${attempt.id}/answers`, {
        answers: { 'khong-co': ['x'] },
      });
      assert.equal(foreign.statusCode, 400);
      const after = await t.ctx.assessment.attemptQuestions(attempt);
      assert.deepEqual(
        after.saved,
        { [first.id]: [first.shown.options[0]?.id ?? ''] },
        'nothing else was saved',
      );
    });

    it('holds back the key until the quiz’s feedback rule allows it', async () => {
      const quiz = await finalTest();
      assert.equal(quiz.settings.feedback, 'afterLast');
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const actor = await t.ctx.identity.actorOf(account);
      const browser = new Browser(t.app);
      await browser.login(account.phone ?? '', TEST_PASSWORD);
      const first = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
      const api = await browser.json('POST', `/api/quiz-attempts/${first.id}/submission`, { answers: {} });
      assert.equal(api.statusCode, 200);
      assert.ok(api.json().questions.every((q: { feedback: unknown }) => q.feedback === null));
      assert.doesNotMatch((await browser.get(`/bai-lam/${first.id}`)).body, /Đáp án đúng|Giải thích/);
      const second = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
      await t.ctx.learning.submitQuiz(actor, second.id, {});
      const last = (await browser.get(`/bai-lam/${second.id}`)).body;
      assert.match(last, /Đáp án đúng/, 'after the last attempt the key is shown');
      assert.match((await browser.get(`/bai-lam/${first.id}`)).body, /Đáp án đúng/);
    });
  });
}
