import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Actor } from '../src/access/actor.js';
import { todayInVietnam } from '../src/db/time.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import { vietnamDay } from '../src/web/format.js';
import { rightAnswers } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

/** The text a reader sees in a piece of HTML: tags dropped, spaces collapsed. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:)])/g, '$1')
    .replace(/\( /g, '(')
    .trim();

/** The rows of the tables in a piece of HTML, header rows included, as the text of their cells. */
const tableRows = (html: string): string[][] =>
  [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((cell) => textOf(cell[1] ?? '')),
  );

/** The HTML of the innermost section headed by the element with this id. */
function sectionOf(html: string, id: string): string {
  const start = html.indexOf(`<section aria-labelledby="${id}">`);
  assert.ok(start >= 0, `the page has a section "${id}"`);
  return html.slice(start, html.indexOf('</section>', start));
}

const PROGRAM = 'Kỹ năng số cho người dân';
const DUE_ON = '2027-06-30';

for (const dialect of testDialects()) {
  describe(`the complete learning record of one person [${dialect}]`, () => {
    let t: TestApp;
    let evaluator: Browser;
    let evaluatorAccount: AccountRow;
    let learner: AccountRow;
    let idle: AccountRow;
    let courseId: string;
    let courseTitle: string;
    let quizId: string;
    let failedScore: number;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, communeA, villageA } = t.fixture;
      evaluatorAccount = await buildAccount(t.ctx, tenant, province, { role: 'evaluator', scope: null });
      evaluator = await signedIn(t.app, evaluatorAccount);
      const course = await importMiniCourse(t.ctx, tenant);
      courseId = course.id;
      courseTitle = course.title;
      const program = await t.ctx.programs.createProgram(tenant.id, {
        name: PROGRAM,
        targetBlock: 'citizen',
        courses: [{ courseId, role: 'required' }],
        validityMonths: 24,
      });
      learner = await buildAccount(t.ctx, tenant, villageA, { fullName: 'Trương Thị Học' });
      idle = await buildAccount(t.ctx, tenant, villageA, { fullName: 'Lê Văn Chậm' });
      const admin = await t.ctx.identity.actorOf(
        await buildAccount(t.ctx, tenant, province, { role: 'tenantAdmin', scope: null }),
      );
      await t.ctx.programs.createRule(admin, tenant.id, {
        programId: program.id,
        unitId: communeA.id,
        blocks: ['citizen'],
        dueOn: DUE_ON,
      });

      // One sitting on 2 March 2026 (UTC times; 08:00 in Vietnam): two lessons, then the quiz twice.
      const actor: Actor = await t.ctx.identity.actorOf(learner);
      const [first, second] = course.lessons;
      assert.ok(first && second);
      await t.ctx.learning.recordEvents(actor, [
        {
          id: randomUUID(),
          verb: 'completed',
          object: { type: 'lesson', id: first.id },
          timestamp: '2026-03-02T01:00:00.000Z',
        },
        {
          id: randomUUID(),
          verb: 'completed',
          object: { type: 'lesson', id: second.id },
          timestamp: '2026-03-02T01:10:00.000Z',
        },
      ]);
      quizId = course.lessons.find((l) => l.quizId)?.quizId as string;
      const quiz = await t.ctx.assessment.quiz(tenant.id, quizId);
      assert.ok(quiz);
      const attempt = async (startedAt: string, submittedAt: string, right: boolean) => {
        const started = await t.ctx.assessment.startAttempt(quiz, learner.id, new Date(startedAt));
        const { questions } = await t.ctx.assessment.attemptQuestions(started);
        const answers = right
          ? await rightAnswers(
              t.db,
              questions.map((q) => q.id),
            )
          : {};
        const result = await t.ctx.learning.submitQuiz(actor, started.id, answers);
        // The clock of the sitting: submitted at the given moment, not when the test ran.
        await t.db.kysely
          .updateTable('quizAttempts')
          .set({ submittedAt })
          .where('id', '=', started.id)
          .execute();
        await t.db.kysely
          .updateTable('learningEvents')
          .set({ occurredAt: submittedAt })
          .where('id', '=', started.id)
          .execute();
        return result;
      };
      failedScore = (await attempt('2026-03-02T01:12:00.000Z', '2026-03-02T01:15:20.000Z', false))
        .scorePercent;
      const passed = await attempt('2026-03-02T01:20:00.000Z', '2026-03-02T01:24:00.000Z', true);
      assert.equal(passed.passed, true);

      // The other learner never began, and their due day has passed.
      await t.db.kysely
        .updateTable('assignments')
        .set({ dueOn: '2026-01-15' })
        .where('accountId', '=', idle.id)
        .execute();
    });
    after(() => t.close());

    const recordViews = async () =>
      (await t.ctx.audit.list(t.fixture.tenant.id, { action: 'record.viewed' })).events.map((e) => [
        e.actorName,
        e.subjectLabel,
      ]);

    it('shows an evaluator every lesson, attempt, certificate, qualification, assignment and the time spent; audited', async () => {
      const page = await evaluator.get(`/bao-cao/nguoi/${learner.id}`);
      assert.equal(page.statusCode, 200);
      const html = page.body;
      assert.match(html, /<h1>Hồ sơ học tập: Trương Thị Học<\/h1>/);
      for (const heading of [
        'Khóa học',
        'Tóm tắt',
        'Việc học được giao',
        'Chương trình',
        'Đạt yêu cầu Bình dân học vụ số',
        'Giấy chứng nhận hoàn thành khóa học',
        'Chi tiết từng khóa học',
        'Cách tính thời gian học',
      ]) {
        assert.match(html, new RegExp(`<h2 id="[a-z-]+">${heading}</h2>`), heading);
      }

      // The course, its two lessons with when each was finished, both attempts.
      assert.deepEqual(tableRows(sectionOf(html, 'khoa-hoc'))[1]?.slice(0, 4), [
        courseTitle,
        '2/2',
        '1/1',
        '100%',
      ]);
      assert.match(html, new RegExp(`<h3 id="khoa-${courseId}">${courseTitle}</h3>`));
      // Begun at the first lesson finished, though the events were stored later.
      assert.match(
        textOf(sectionOf(html, `khoa-${courseId}`)),
        /Bắt đầu lúc 08:00 02\/03\/2026; hoàn thành lúc/,
      );
      assert.deepEqual(tableRows(sectionOf(html, `bai-${courseId}`)), [
        ['Bài học', 'Đọc xong lúc'],
        ['Cài đặt và đăng ký', '08:00 02/03/2026'],
        ['Nhắn tin với người thân', '08:10 02/03/2026'],
      ]);
      const quiz = sectionOf(html, `kt-${quizId}`);
      assert.match(textOf(quiz), /^Bài kiểm tra: Cài đặt và đăng ký Điểm đạt: từ 60%\./);
      assert.deepEqual(tableRows(quiz), [
        ['Lần', 'Nộp bài lúc', 'Thời gian làm bài', 'Điểm', 'Kết quả'],
        ['1', '08:15 02/03/2026', '3 phút 20 giây', `${failedScore}%`, 'Chưa đạt'],
        ['2', '08:24 02/03/2026', '4 phút', '100%', 'Đạt'],
      ]);

      // Time: 10 + 2 + 4:40 minutes between acts, 3:20 + 4:00 in the quiz; one sitting.
      const summary = textOf(sectionOf(html, 'tom-tat'));
      assert.match(
        summary,
        /Thời gian học \(ước tính\) Khoảng 24 phút: đọc bài khoảng 17 phút \(ước tính\), làm bài kiểm tra 7 phút; 1 buổi học\./,
      );
      assert.match(summary, /Bài học đã đọc xong 2 bài/);
      assert.match(summary, /Bài kiểm tra 2 lần nộp bài, 1 lần đạt/);
      assert.match(textOf(sectionOf(html, 'cach-tinh')), /khoảng nghỉ dài hơn 30 phút/i);

      const today = vietnamDay(todayInVietnam());
      assert.deepEqual(tableRows(sectionOf(html, 'giao-hoc')), [
        ['Nội dung', 'Hạn hoàn thành', 'Tình trạng'],
        [`Chương trình: ${PROGRAM}`, '30/06/2027', `Đã hoàn thành ngày ${today}`],
      ]);
      assert.match(
        textOf(
          sectionOf(html, `chuong-trinh-${(await t.ctx.programs.programs(t.fixture.tenant.id))[0]?.id}`),
        ),
        /Được giao\. Đã hoàn thành ngày/,
      );

      const [qualification] = await t.ctx.programs.qualificationsOf(learner.id);
      assert.ok(qualification?.expiresOn);
      const [certificate] = await t.ctx.learning.certificatesOf(learner.id);
      assert.ok(certificate);
      const lastDay = new Date(`${qualification.expiresOn}T00:00:00Z`);
      lastDay.setUTCDate(lastDay.getUTCDate() - 1);
      assert.deepEqual(tableRows(sectionOf(html, 'dat-yeu-cau')).slice(1), [
        [
          PROGRAM,
          vietnamDay(qualification.issuedOn),
          vietnamDay(lastDay.toISOString().slice(0, 10)),
          'Đạt yêu cầu',
          qualification.code,
        ],
      ]);
      assert.deepEqual(tableRows(sectionOf(html, 'chung-nhan')).slice(1), [
        [courseTitle, vietnamDay(certificate.issuedOn), certificate.code, 'Còn hiệu lực'],
      ]);

      assert.deepEqual(await recordViews(), [[evaluatorAccount.fullName, 'Trương Thị Học']]);
    });

    it('shows the learner their own record without auditing it', async () => {
      const own = await (await signedIn(t.app, learner)).get(`/bao-cao/nguoi/${learner.id}`);
      assert.equal(own.statusCode, 200);
      assert.match(own.body, /Hồ sơ học tập: Trương Thị Học/);
      assert.equal((await recordViews()).length, 1);
    });

    it('shows a course not begun and an assignment overdue', async () => {
      const page = await evaluator.get(`/bao-cao/nguoi/${idle.id}`);
      assert.equal(page.statusCode, 200);
      assert.deepEqual(tableRows(sectionOf(page.body, 'khoa-hoc'))[1], [
        courseTitle,
        '–',
        '–',
        'Chưa bắt đầu',
        'Chưa',
      ]);
      assert.deepEqual(tableRows(sectionOf(page.body, 'giao-hoc'))[1], [
        `Chương trình: ${PROGRAM}`,
        '15/01/2026',
        'Quá hạn',
      ]);
      assert.match(
        textOf(sectionOf(page.body, 'tom-tat')),
        /Thời gian học \(ước tính\) Chưa có hoạt động học nào được ghi lại\. Cách tính/,
      );
      assert.match(page.body, /Chưa đọc xong bài nào\./);
    });

    it('refuses the unit manager of another commune, the page and the download alike', async () => {
      const { tenant, communeB } = t.fixture;
      const other = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, communeB, { role: 'unitManager' }),
      );
      for (const url of [`/bao-cao/nguoi/${learner.id}`, `/bao-cao/nguoi/${learner.id}/ho-so.xlsx`]) {
        const response = await other.get(url);
        assert.equal(response.statusCode, 403, url);
        assert.doesNotMatch(response.body, /Trương Thị Học/);
      }
    });

    it('downloads the record as .xlsx with the same attempt rows as the page, audited as a personal-data export', async () => {
      const before = (await t.ctx.audit.list(t.fixture.tenant.id, { action: 'personal_data.exported' }))
        .events;
      const download = await evaluator.get(`/bao-cao/nguoi/${learner.id}/ho-so.xlsx`);
      assert.equal(download.statusCode, 200);
      assert.match(
        String(download.headers['content-disposition']),
        new RegExp(`attachment; filename="ho-so-hoc-tap-${learner.id}\\.xlsx"`),
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      assert.ok(sheet);
      const rows: unknown[][] = [];
      sheet.eachRow((row) =>
        rows.push(Array.from({ length: 10 }, (_, i) => row.getCell(i + 1).value ?? null)),
      );
      assert.equal(rows[0]?.[0], 'Hồ sơ học tập: Trương Thị Học');
      assert.match(
        String(rows[2]?.[0]),
        /^Thời gian học \(ước tính\): khoảng 24 phút, gồm đọc bài khoảng 17 phút/,
      );
      assert.match(
        String(rows[3]?.[0]),
        new RegExp(`^Đạt yêu cầu Bình dân học vụ số: ${PROGRAM}: Đạt yêu cầu, hiệu lực đến hết ngày`),
      );
      assert.match(
        String(rows[4]?.[0]),
        new RegExp(`^Việc học được giao: Chương trình: ${PROGRAM}, hạn 30/06/2027: đã hoàn thành`),
      );
      const header = rows.findIndex((r) => r[0] === 'Ngày');
      assert.deepEqual(rows[header], [
        'Ngày',
        'Giờ',
        'Khóa học',
        'Hoạt động',
        'Bài học, bài kiểm tra',
        'Lần làm bài',
        'Thời gian làm bài',
        'Thời gian làm bài (giây)',
        'Điểm (%)',
        'Kết quả',
      ]);
      const acts = rows.slice(header + 1);
      const day = (value: unknown) => (value as Date).toISOString().slice(0, 10);
      assert.deepEqual(
        acts.slice(0, 2).map((r) => [day(r[0]), r[1], r[2], r[3], r[4]]),
        [
          ['2026-03-02', '08:00', courseTitle, 'Đọc xong bài học', 'Cài đặt và đăng ký'],
          ['2026-03-02', '08:10', courseTitle, 'Đọc xong bài học', 'Nhắn tin với người thân'],
        ],
      );
      // The attempts, as the page's table shows them.
      const page = await evaluator.get(`/bao-cao/nguoi/${learner.id}`);
      const shown = tableRows(sectionOf(page.body, `kt-${quizId}`)).slice(1);
      const attempts = acts.filter((r) => r[3] === 'Làm bài kiểm tra');
      assert.deepEqual(
        attempts.map((r) => [String(r[5]), `${r[1]} ${vietnamDay(day(r[0]))}`, r[6], `${r[8]}%`, r[9]]),
        shown,
      );
      assert.deepEqual(
        attempts.map((r) => [r[4], r[7]]),
        [
          ['Cài đặt và đăng ký', 200],
          ['Cài đặt và đăng ký', 240],
        ],
      );
      assert.deepEqual(acts.at(-1)?.slice(2, 4), [courseTitle, 'Hoàn thành khóa học']);

      const after = (await t.ctx.audit.list(t.fixture.tenant.id, { action: 'personal_data.exported' }))
        .events;
      assert.equal(after.length, before.length + 1);
      const [latest] = after;
      assert.deepEqual(
        [latest?.actorName, latest?.subjectId, latest?.subjectLabel],
        [evaluatorAccount.fullName, learner.id, 'Hồ sơ học tập: Trương Thị Học'],
      );
    });
  });
}
