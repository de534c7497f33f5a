import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { QuestionBankService } from '../src/modules/assessment/bankService.js';
import type { StoredBody } from '../src/modules/assessment/questionBody.js';
import type { Answers } from '../src/modules/assessment/service.js';
import { AuthoringService } from '../src/modules/catalog/authoring.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { rightAnswers } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, buildTenant, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const COVERAGE = '/soan-bai/khung-nang-luc';

/** The table row of the page whose header cell holds this text. */
function rowOf(html: string, header: string): string {
  const row = html.split('<tr>').find((r) => r.includes(`<th scope="row">${header}`));
  assert.ok(row, `no row for "${header}"`);
  return row.slice(0, row.indexOf('</tr>'));
}

for (const dialect of testDialects()) {
  describe(`item analysis and framework coverage pages [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;
    let manager: Browser;
    const analysisPath = () => `/soan-bai/khoa-hoc/${course.id}/phan-tich`;

    const person = (role?: 'contentManager' | 'evaluator') =>
      buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { role, scope: null, block: 'official' });

    before(async () => {
      t = await startTestApp(dialect);
      course = await importMiniCourse(t.ctx, t.fixture.tenant);
      manager = await signedIn(t.app, await person('contentManager'));
    });
    after(() => t.close());

    it('shows per question the share of right answers, discrimination and the wrong option chosen most', async () => {
      const empty = await manager.get(analysisPath());
      assert.equal(empty.statusCode, 200);
      assert.match(empty.body, /Chưa có lượt nộp bài nào cho bài kiểm tra này/);
      assert.match(empty.body, /Cách đọc số liệu/);

      const quiz = await t.ctx.assessment.quiz(t.fixture.tenant.id, course.lessons[0]?.quizId ?? '');
      assert.ok(quiz);
      const questions = await t.db.kysely
        .selectFrom('quizQuestions')
        .select(['id', 'key', 'body'])
        .where('quizId', '=', quiz.id)
        .execute();
      const idOf = (key: string) => questions.find((q) => q.key.endsWith(`--${key}`))?.id ?? '';
      /** The id of the option of a question with this text: options are shuffled per attempt. */
      const option = (key: string, text: string): [string, string[]] => {
        const row = questions.find((q) => q.id === idOf(key));
        const body = JSON.parse(row?.body ?? '{}') as StoredBody;
        assert.ok(body.kind === 'single' || body.kind === 'multiple');
        return [idOf(key), [body.options.find((o) => o.text === text)?.id ?? '']];
      };
      const right = await rightAnswers(
        t.db,
        questions.map((q) => q.id),
      );
      const link = option('noi-tai', 'Từ đường link trong tin nhắn lạ.');
      const yes = option('ma-otp', 'Có, nếu họ nói là nhân viên Zalo.');
      // Seven learners: three all right (100%), one wrong only on the OTP question (67%),
      // three wrong on both single-choice questions and blank on the last (0%).
      const submissions: Answers[] = [
        right,
        right,
        right,
        { ...right, [yes[0]]: yes[1] },
        Object.fromEntries([link, yes]),
        Object.fromEntries([link, yes]),
        Object.fromEntries([link, yes]),
      ];
      const scores: number[] = [];
      for (const answers of submissions) {
        const actor = await t.ctx.identity.actorOf(await person());
        const attempt = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
        scores.push((await t.ctx.learning.submitQuiz(actor, attempt.id, answers)).scorePercent);
      }
      assert.deepEqual(scores, [100, 100, 100, 67, 0, 0, 0]);

      const page = await manager.get(analysisPath());
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /7 lượt nộp bài/);
      assert.match(page.body, /phiên bản đang dùng \(số 1\)/);
      const install = rowOf(page.body, '1. Bà nên tải ở đâu?');
      assert.match(install, /<td>7<\/td><td>57%<\/td><td>1,00<\/td>/);
      assert.match(install, /“Từ đường link trong tin nhắn lạ\.” \(3 lượt\)/);
      assert.doesNotMatch(install, /phương án nhiễu/);
      const otp = rowOf(page.body, '2. Có nên đọc mã OTP cho người khác không?');
      assert.match(otp, /<td>43%<\/td>/);
      assert.match(otp, /“Có, nếu họ nói là nhân viên Zalo\.” \(4 lượt\)/);
      assert.match(otp, /phương án nhiễu hút quá nhiều/);
      assert.doesNotMatch(page.body, /Nguyễn Thị Thử/, 'no learner names on the page');
    });

    it('lists framework elements with the courses and questions that cover them, and the gaps', async () => {
      const tenantId = t.fixture.tenant.id;
      const authoring = new AuthoringService(t.db);
      const draft = await authoring.draft(tenantId, course.id);
      await authoring.updateCourse(tenantId, course.id, { ...draft.fields, frameworks: ['TT02-1.1'] });
      const lesson = draft.modules.flatMap((m) => m.lessons).find((l) => l.slug === 'nhan-tin');
      assert.ok(lesson);
      await authoring.updateLesson(tenantId, course.id, lesson.id, {
        ...lesson.fields,
        frameworks: ['TT02-2.1'],
      });
      assert.equal(await authoring.publish(tenantId, course.id, null), 2);
      const banks = new QuestionBankService(t.db);
      const bank = await banks.ensureBank(tenantId, 'Câu hỏi về tìm kiếm');
      await banks.saveQuestion(
        tenantId,
        bank.id,
        null,
        {
          key: null,
          prompt: 'Muốn tìm thông tin chính thống, nên xem ở đâu?',
          situation: null,
          explanation: 'Cổng thông tin của cơ quan nhà nước đăng thông tin chính thức.',
          difficulty: null,
          tags: [],
          frameworks: ['TT02-1.1'],
          body: {
            kind: 'single',
            options: [
              { text: 'Cổng thông tin của cơ quan nhà nước.', correct: true },
              { text: 'Một bài đăng được chia sẻ nhiều.', correct: false },
            ],
          },
        },
        null,
      );

      const page = await manager.get(COVERAGE);
      assert.equal(page.statusCode, 200);
      const search = rowOf(page.body, 'TT02-1.1');
      assert.match(search, /Làm quen với Zalo an toàn/);
      assert.match(search, /<td>1<\/td>/);
      assert.doesNotMatch(search, /Chưa có/);
      const chat = rowOf(page.body, 'TT02-2.1');
      assert.match(chat, /Làm quen với Zalo an toàn/, 'a lesson tag counts for its course');
      assert.match(chat, /Chưa có câu hỏi/);
      assert.doesNotMatch(chat, /Chưa có khóa học/);
      const untagged = rowOf(page.body, 'TT02-1.2');
      assert.match(untagged, /Chưa có khóa học; Chưa có câu hỏi/);
      assert.match(page.body, /\(chưa đối chiếu với văn bản gốc\)/);

      await authoring.setArchived(tenantId, course.id, true);
      assert.match(rowOf((await manager.get(COVERAGE)).body, 'TT02-1.1'), /\(đã lưu trữ\)/);

      const republished = await manager.get(analysisPath());
      assert.match(republished.body, /phiên bản đang dùng \(số 2\)/);
      assert.match(republished.body, /Chưa có lượt nộp bài nào cho bài kiểm tra này/);
    });

    it('refuses learners and evaluators, and finds no course of another tenant', async () => {
      for (const account of [await person(), await person('evaluator')]) {
        const browser = await signedIn(t.app, account);
        assert.equal((await browser.get(analysisPath())).statusCode, 403);
        assert.equal((await browser.get(COVERAGE)).statusCode, 403);
      }
      const other = await buildTenant(t.ctx, 'tinh-khac');
      const theirs = await importMiniCourse(t.ctx, other.tenant);
      assert.equal((await manager.get(`/soan-bai/khoa-hoc/${theirs.id}/phan-tich`)).statusCode, 404);
      assert.equal((await manager.get(`/soan-bai/khoa-hoc/${randomUUID()}/phan-tich`)).statusCode, 404);
    });
  });
}
