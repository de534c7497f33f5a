import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import sharp from 'sharp';
import type { Actor } from '../src/access/actor.js';
import { QuestionBankService } from '../src/modules/assessment/bankService.js';
import type { QuestionDraft } from '../src/modules/assessment/questionDraft.js';
import type { Quiz } from '../src/modules/assessment/service.js';
import { AuthoringService } from '../src/modules/catalog/authoring.js';
import { rightAnswers } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, TEST_PASSWORD } from './support/factories.js';
import { Browser, signedIn } from './support/http.js';

const choice = (prompt: string, right: string, wrong: string[]): QuestionDraft => ({
  key: null,
  prompt,
  situation: null,
  explanation: `Vì: ${right}`,
  difficulty: 'easy',
  tags: ['otp'],
  frameworks: [],
  body: {
    kind: 'single',
    options: [{ text: right, correct: true }, ...wrong.map((text) => ({ text, correct: false }))],
  },
});

const QUESTIONS = [
  choice('Ai được hỏi mã OTP của bạn?', 'Không ai cả', ['Nhân viên ngân hàng', 'Công an qua điện thoại']),
  choice('Tải ứng dụng ở đâu?', 'Cửa hàng ứng dụng chính thức', ['Đường link trong tin nhắn lạ']),
  choice('Khi bị lừa, việc đầu tiên là gì?', 'Gọi ngân hàng khóa tài khoản', ['Im lặng chờ xem']),
];

const SLUG = 'giu-an-toan-tai-khoan';

for (const dialect of testDialects()) {
  describe(`course authoring, publishing and versions [${dialect}]`, () => {
    let t: TestApp;
    let author: Browser;
    let courseId = '';

    const person = (role?: 'contentManager' | 'evaluator') =>
      buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { role, scope: null, block: 'official' });
    const quizOf = async (id: string): Promise<Quiz> => {
      const quiz = await t.ctx.assessment.quiz(t.fixture.tenant.id, id);
      assert.ok(quiz);
      return quiz;
    };

    /** Publishes the draft and follows the redirect to the page that reports it. */
    const publish = async () => {
      const page = `/soan-bai/khoa-hoc/${courseId}/xuat-ban`;
      const response = await author.submit(page, page, {});
      assert.equal(response.statusCode, 303, response.body);
      return author.get(String(response.headers.location));
    };

    before(async () => {
      t = await startTestApp(dialect);
      author = await signedIn(t.app, await person('contentManager'));
    });
    after(() => t.close());

    it('refuses learners and evaluators (403) on every authoring route: courses, banks, analysis, coverage', async () => {
      const routes = t.app.registeredRoutes.filter(
        (r) => r.url.startsWith('/soan-bai') || r.url.startsWith('/api/authoring'),
      );
      assert.ok(routes.length >= 20, `only ${routes.length} authoring routes found`);
      for (const account of [await person(), await person('evaluator')]) {
        const browser = await signedIn(t.app, account);
        const token = /name="_csrf" value="([^"]+)"/.exec((await browser.get('/ho-so')).body)?.[1] ?? '';
        for (const route of routes) {
          const url = route.url.replace(/:[a-zA-Z]+/g, '00000000-0000-4000-8000-000000000000');
          const response = await t.app.inject({
            method: route.method as 'GET',
            url,
            headers: { cookie: browser.cookieHeader, 'x-csrf-token': token },
            ...(route.method === 'GET' ? {} : { payload: { _csrf: token } }),
          });
          assert.equal(response.statusCode, 403, `${route.method} ${route.url} gave ${response.statusCode}`);
          assert.doesNotMatch(
            response.body,
            /Biểu mẫu đã hết hạn/,
            `${route.method} ${route.url}: CSRF, not policy`,
          );
        }
      }
      const anonymous = await t.app.inject({ method: 'GET', url: '/soan-bai' });
      assert.equal(anonymous.statusCode, 303);
    });

    it('builds a course in the browser: lesson, picture, quiz from a bank, then publishes version 1', async () => {
      const created = await author.submit('/soan-bai', '/soan-bai/khoa-hoc', [
        ['slug', SLUG],
        ['title', 'Giữ an toàn tài khoản'],
        ['summary', 'Những việc cần làm để không mất tiền vì lộ mã OTP.'],
        ['topic', 'an-toan-so'],
        ['blocks', 'citizen'],
        ['blocks', 'official'],
      ]);
      assert.equal(created.statusCode, 303);
      courseId = String(created.headers.location).split('/').pop() ?? '';
      const editor = await author.get(`/soan-bai/khoa-hoc/${courseId}`);
      assert.match(editor.body, /Phần 1/);
      const moduleId = /name="moduleId" value="([^"]+)"/.exec(editor.body)?.[1] ?? '';

      const refused = await author.submit(
        `/soan-bai/khoa-hoc/${courseId}`,
        `/soan-bai/khoa-hoc/${courseId}/bai`,
        {
          moduleId,
          slug: 'Bài Một!',
          title: 'Mã OTP',
        },
      );
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /chữ thường không dấu/);

      const added = await author.submit(
        `/soan-bai/khoa-hoc/${courseId}`,
        `/soan-bai/khoa-hoc/${courseId}/bai`,
        {
          moduleId,
          slug: 'ma-otp',
          title: 'Mã OTP là gì',
        },
      );
      assert.equal(added.statusCode, 303);
      const lessonPage = String(added.headers.location);

      const png = await sharp({ create: { width: 1600, height: 900, channels: 3, background: '#c33' } })
        .png()
        .toBuffer();
      const noAlt = await author.upload(
        lessonPage,
        `${lessonPage}/tep`,
        { kind: 'image', alt: '' },
        {
          field: 'file',
          filename: 'otp.png',
          bytes: png,
        },
      );
      assert.equal(noAlt.statusCode, 400);
      const uploaded = await author.upload(
        lessonPage,
        `${lessonPage}/tep`,
        { kind: 'image', alt: 'Tin nhắn chứa mã OTP' },
        {
          field: 'file',
          filename: 'otp.png',
          bytes: png,
        },
      );
      assert.equal(uploaded.statusCode, 200);
      const snippet = /!\[Tin nhắn chứa mã OTP\]\(\/tep\/([0-9a-f]{64})-w960\.webp\)/.exec(uploaded.body);
      assert.ok(snippet, 'the page gives the Markdown for the uploaded picture');
      for (const width of [480, 960]) {
        const variant = t.ctx.files.get(`${snippet[1]}-w${width}.webp`);
        assert.ok(variant);
        assert.equal((await sharp(variant).metadata()).width, width);
      }

      const missingAlt = await author.submit(lessonPage, lessonPage, {
        title: 'Mã OTP là gì',
        minutes: '8',
        markdown: 'Ảnh: ![](/tep/x.webp)',
      });
      assert.equal(missingAlt.statusCode, 400);
      assert.match(missingAlt.body, /Ảnh ở dòng 1 chưa có mô tả/);
      const saved = await author.submit(lessonPage, lessonPage, {
        title: 'Mã OTP là gì',
        minutes: '8',
        markdown: `## Mã OTP\n\nMã OTP chỉ dùng một lần. ${snippet[0]}\n\nKhông đọc mã cho ai.`,
      });
      assert.equal(saved.statusCode, 303);
      assert.match((await author.get(lessonPage)).body, /srcset="\/tep\/[0-9a-f]{64}-w480\.webp 480w/);

      const bank = await new QuestionBankService(t.db).importQuestions(
        t.fixture.tenant.id,
        'Ngân hàng an toàn',
        QUESTIONS.map((draft) => ({ draft, imageFile: null })),
      );
      const withBank = await author.get(`${lessonPage}?nganHang=${bank.bankId}`);
      const questionIds = [...withBank.body.matchAll(/name="questionIds" value="([^"]+)"/g)].map(
        (m) => m[1] as string,
      );
      assert.equal(questionIds.length, 3);
      const quizSaved = await author.submit(
        `${lessonPage}?nganHang=${bank.bankId}`,
        `${lessonPage}/kiem-tra`,
        [
          ['bankId', bank.bankId],
          ...questionIds.map((id): [string, string] => ['questionIds', id]),
          ['passPercent', '60'],
          ['maxAttempts', ''],
          ['timeLimitMinutes', ''],
          ['feedback', 'afterEach'],
          ['shuffleOptions', '1'],
          ['_action', 'luu'],
        ],
      );
      assert.equal(quizSaved.statusCode, 303);

      assert.equal((await t.app.inject({ method: 'GET', url: `/khoa-hoc/${SLUG}` })).statusCode, 404);
      const check = await author.get(`/soan-bai/khoa-hoc/${courseId}/xuat-ban`);
      assert.match(check.body, /Xuất bản lần đầu/);
      assert.doesNotMatch(check.body, /Cần sửa trước khi xuất bản/);
      assert.match((await publish()).body, /Đã xuất bản phiên bản số 1/);
      assert.equal((await t.app.inject({ method: 'GET', url: `/khoa-hoc/${SLUG}` })).statusCode, 200);
    });

    it('lists at most 200 questions of a large bank to pick from, filtered by the words typed', async () => {
      const big = await new QuestionBankService(t.db).importQuestions(
        t.fixture.tenant.id,
        'Ngân hàng lớn',
        Array.from({ length: 250 }, (_, i) => ({
          draft: choice(`Câu số ${i + 1}: nên làm gì với tin nhắn lạ?`, 'Không bấm liên kết', ['Bấm ngay']),
          imageFile: null,
        })),
      );
      await author.submit(`/soan-bai/khoa-hoc/${courseId}`, `/soan-bai/khoa-hoc/${courseId}/ban-nhap`, {});
      const editor = await author.get(`/soan-bai/khoa-hoc/${courseId}`);
      const lessonPage =
        /href="(\/soan-bai\/khoa-hoc\/[^"]+\/bai\/[0-9a-f-]{36})"/.exec(editor.body)?.[1] ?? '';
      const all = await author.get(`${lessonPage}?nganHang=${big.bankId}`);
      assert.equal([...all.body.matchAll(/name="questionIds"/g)].length, 200);
      assert.match(all.body, /Đang hiện 200 trong 250 câu/);
      const filtered = await author.get(
        `${lessonPage}?nganHang=${big.bankId}&timCau=${encodeURIComponent('số 17')}`,
      );
      assert.equal([...filtered.body.matchAll(/name="questionIds"/g)].length, 11, 'câu 17 and 170–179');
      const discard = `/soan-bai/khoa-hoc/${courseId}/bo-nhap`;
      assert.equal((await author.submit(discard, discard, { _action: 'xac-nhan' })).statusCode, 303);
    });

    it('keeps a learner on the version they started, with their attempts gradeable, after version 2', async () => {
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Lê Thị Mai',
      });
      const actor: Actor = await t.ctx.identity.actorOf(account);
      const v1 = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, SLUG);
      const v1Lesson = v1?.lessons[0];
      assert.ok(v1Lesson?.quizId);
      await t.ctx.learning.finishReading(actor, v1Lesson.id);
      const quiz = await quizOf(v1Lesson.quizId);
      const first = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
      await t.ctx.learning.submitQuiz(actor, first.id, {});

      assert.equal(v1?.versionNumber, 1);
      const before = await author.get(`/soan-bai/khoa-hoc/${courseId}`);
      assert.match(before.body, /Sửa khóa học \(tạo bản nháp/);
      assert.equal(
        (await new AuthoringService(t.db).course(t.fixture.tenant.id, courseId))?.draftId,
        null,
        'a GET makes no draft',
      );
      const started = await author.submit(
        `/soan-bai/khoa-hoc/${courseId}`,
        `/soan-bai/khoa-hoc/${courseId}/ban-nhap`,
        {},
      );
      assert.equal(started.statusCode, 303);
      const editor = await author.get(`/soan-bai/khoa-hoc/${courseId}`);
      const draftLessonId = /\/bai\/([0-9a-f-]{36})"/.exec(editor.body)?.[1] ?? '';
      assert.notEqual(draftLessonId, v1Lesson.id, 'editing works on a copy of the published version');
      const draftPage = `/soan-bai/khoa-hoc/${courseId}/bai/${draftLessonId}`;
      const edited = await author.submit(draftPage, draftPage, {
        title: 'Mã OTP là gì',
        minutes: '9',
        markdown: 'Nội dung mới: mã OTP là chìa khóa tài khoản.',
      });
      assert.equal(edited.statusCode, 303);
      const diff = await author.get(`/soan-bai/khoa-hoc/${courseId}/xuat-ban`);
      assert.match(diff.body, /Sửa bài &quot;Mã OTP là gì&quot;|Sửa bài "Mã OTP là gì"/);
      assert.match((await publish()).body, /Đã xuất bản phiên bản số 2/);

      const mine = await t.ctx.catalog.courseLesson(t.fixture.tenant.id, SLUG, 'ma-otp', (id) =>
        t.ctx.learning.versionOf(actor.accountId, id),
      );
      assert.equal(mine?.course.versionNumber, 1);
      assert.doesNotMatch(mine?.lesson?.bodyHtml ?? '', /Nội dung mới/);
      const fresh = await t.ctx.catalog.courseLesson(t.fixture.tenant.id, SLUG, 'ma-otp');
      assert.equal(fresh?.course.versionNumber, 2);
      assert.match(fresh?.lesson?.bodyHtml ?? '', /Nội dung mới/);

      const learner = new Browser(t.app);
      await learner.login(account.phone ?? '', TEST_PASSWORD);
      const past = await learner.get(`/bai-lam/${first.id}`);
      assert.equal(past.statusCode, 200);
      assert.match(past.body, /Chưa đạt: 0%/);
      const coursePage = await learner.get(`/khoa-hoc/${SLUG}`);
      assert.match(coursePage.body, /phiên bản mới \(phiên bản 2\)/);

      const second = await t.ctx.assessment.startAttempt(quiz, actor.accountId);
      const { questions } = await t.ctx.assessment.attemptQuestions(second);
      const result = await t.ctx.learning.submitQuiz(
        actor,
        second.id,
        await rightAnswers(
          t.db,
          questions.map((q) => q.id),
        ),
      );
      assert.equal(result.scorePercent, 100);
      const progress = await t.ctx.learning.progress(actor.accountId, courseId);
      assert.equal(progress?.versionId, v1?.versionId);
      assert.ok(progress?.completedAt, 'the learner completed version 1');
    });

    it('moves a learner who asks to the new version: changed lessons must be done again', async () => {
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const actor = await t.ctx.identity.actorOf(account);
      const current = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, SLUG);
      assert.ok(current);
      // Started on the current version, then a version 3 changes only the summary.
      await t.ctx.learning.finishReading(actor, current.lessons[0]?.id ?? '');
      const editor = await author.get(`/soan-bai/khoa-hoc/${courseId}`);
      assert.equal(editor.statusCode, 200);
      await author.submit(`/soan-bai/khoa-hoc/${courseId}`, `/soan-bai/khoa-hoc/${courseId}`, [
        ['title', 'Giữ an toàn tài khoản'],
        ['summary', 'Phiên bản 3: thêm lời khuyên về mật khẩu mạnh.'],
        ['topic', 'an-toan-so'],
        ['blocks', 'citizen'],
      ]);
      await author.submit(
        `/soan-bai/khoa-hoc/${courseId}/xuat-ban`,
        `/soan-bai/khoa-hoc/${courseId}/xuat-ban`,
        {},
      );
      const learner = new Browser(t.app);
      await learner.login(account.phone ?? '', TEST_PASSWORD);
      const moved = await learner.submit(`/khoa-hoc/${SLUG}`, `/khoa-hoc/${SLUG}/phien-ban-moi`, {});
      assert.equal(moved.statusCode, 303);
      const progress = await t.ctx.learning.progress(actor.accountId, courseId);
      const v3 = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, SLUG);
      assert.equal(progress?.versionId, v3?.versionId);
      assert.equal(v3?.versionNumber, 3);
      assert.equal(progress?.lessonsRead, 1, 'the unchanged lesson stays read');
    });

    it('archives a course: gone from the catalog, records kept, and back again', async () => {
      await author.submit(`/soan-bai/khoa-hoc/${courseId}`, `/soan-bai/khoa-hoc/${courseId}/luu-tru`, {
        _action: 'an',
      });
      const catalog = await t.app.inject({ method: 'GET', url: '/khoa-hoc' });
      assert.doesNotMatch(catalog.body, /Giữ an toàn tài khoản/);
      assert.equal((await t.app.inject({ method: 'GET', url: `/khoa-hoc/${SLUG}` })).statusCode, 404);
      const attempts = await t.db.kysely.selectFrom('quizAttempts').select(['id', 'accountId']).execute();
      assert.ok(attempts.length >= 2);
      // A learner who started it still reaches their course and records.
      const started = await t.ctx.identity.account(t.fixture.tenant.id, attempts[0]?.accountId ?? '');
      const learner = await signedIn(t.app, { phone: started?.phone ?? null });
      assert.equal((await learner.get(`/khoa-hoc/${SLUG}`)).statusCode, 200);
      assert.equal((await learner.get(`/bai-lam/${attempts[0]?.id}`)).statusCode, 200);
      await author.submit(`/soan-bai/khoa-hoc/${courseId}`, `/soan-bai/khoa-hoc/${courseId}/luu-tru`, {
        _action: 'hien',
      });
      assert.match((await t.app.inject({ method: 'GET', url: '/khoa-hoc' })).body, /Giữ an toàn tài khoản/);
    });

    it('refuses to publish a draft with an empty lesson, listing why', async () => {
      await author.submit(`/soan-bai/khoa-hoc/${courseId}`, `/soan-bai/khoa-hoc/${courseId}/ban-nhap`, {});
      const editor = await author.get(`/soan-bai/khoa-hoc/${courseId}`);
      const moduleId = /name="moduleId" value="([^"]+)"/.exec(editor.body)?.[1] ?? '';
      await author.submit(`/soan-bai/khoa-hoc/${courseId}`, `/soan-bai/khoa-hoc/${courseId}/bai`, {
        moduleId,
        slug: 'bai-trong',
        title: 'Bài chưa viết',
      });
      const check = await author.get(`/soan-bai/khoa-hoc/${courseId}/xuat-ban`);
      assert.match(
        check.body,
        /Bài &quot;Bài chưa viết&quot; chưa có nội dung|Bài "Bài chưa viết" chưa có nội dung/,
      );
      const refused = await author.submit(
        `/soan-bai/khoa-hoc/${courseId}`,
        `/soan-bai/khoa-hoc/${courseId}/xuat-ban`,
        {},
      );
      assert.equal(refused.statusCode, 409);
      const course = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, SLUG);
      assert.equal(course?.versionNumber, 3);
    });
  });
}
