import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { COURSES_FOLDER } from '../src/demo/seedDemo.js';
import { importCourse } from '../src/modules/catalog/importCourse.js';
import { readPackages } from '../src/modules/catalog/packageArchive.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { passQuiz } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse, storedEventIds, TEST_PASSWORD } from './support/factories.js';
import { Browser } from './support/http.js';

const LESSON = '/khoa-hoc/lam-quen-zalo/cai-dat';
const QUIZ = `${LESSON}/kiem-tra`;
const EXPLANATIONS = ['Cửa hàng chính thức kiểm duyệt', 'Mã OTP là chìa khóa', 'Lừa đảo thường tạo áp lực'];

/** The options of an attempt page, grouped by question input name, in page order. */
function optionsOnPage(html: string): Map<string, string[]> {
  const questions = new Map<string, string[]>();
  for (const match of html.matchAll(/<input type="(?:radio|checkbox)" name="(q\.[^"]+)" value="([^"]+)"/g)) {
    const [, name, value] = match as unknown as [string, string, string];
    questions.set(name, [...(questions.get(name) ?? []), value]);
  }
  return questions;
}

for (const dialect of testDialects()) {
  describe(`learner pages and API [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;

    before(async () => {
      t = await startTestApp(dialect);
      course = await importMiniCourse(t.ctx, t.fixture.tenant);
    });
    after(() => t.close());

    async function signedInLearner(fullName = 'Phan Văn Tùng') {
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { fullName });
      const browser = new Browser(t.app);
      assert.equal((await browser.login(account.phone ?? '', TEST_PASSWORD)).statusCode, 200);
      return { browser, account };
    }

    it('shows a lesson to anyone, with its image, video link and escaped HTML, and no script', async () => {
      const page = await new Browser(t.app).get(LESSON);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /<h1>Cài đặt và đăng ký<\/h1>/);
      assert.match(
        page.body,
        /<img src="\/tep\/[0-9a-f]{64}\.svg" alt="Biểu tượng cửa hàng ứng dụng trên điện thoại"/,
      );
      assert.match(page.body, /&lt;script&gt;alert/);
      assert.doesNotMatch(page.body, /<script/);
      assert.match(page.body, /Đăng nhập<\/a> để lưu tiến độ học/);
      const image = /src="(\/tep\/[^"]+)"/.exec(page.body)?.[1] ?? '';
      const file = await new Browser(t.app).get(image);
      assert.equal(file.headers['content-type'], 'image/svg+xml');
      assert.match(String(file.headers['content-security-policy']), /default-src 'none'/);
      const video = await new Browser(t.app).get('/khoa-hoc/lam-quen-zalo/nhan-tin');
      assert.match(
        video.body,
        /href="https:\/\/example.org\/video\/nhan-tin"[^>]*>Xem video: Video hướng dẫn nhắn tin/,
      );
      assert.doesNotMatch(video.body, /autoplay/);
    });

    it('records "finished reading" only through a form with a valid CSRF token', async () => {
      const { browser, account } = await signedInLearner();
      const forged = await browser.post(`${LESSON}/da-doc`, { _csrf: 'gia-mao' });
      assert.equal(forged.statusCode, 403);
      assert.equal((await storedEventIds(t.db, account.id)).length, 0);
      const done = await browser.submit(LESSON, `${LESSON}/da-doc`, {});
      assert.equal(done.statusCode, 303);
      assert.equal(done.headers.location, QUIZ);
      assert.match((await browser.get(LESSON)).body, /Bạn đã đọc xong bài này/);
      assert.match((await browser.get('/khoa-hoc/lam-quen-zalo')).body, /Tiến độ của bạn: 33%/);
    });

    it('serves a quiz page with no answer key, then grades it with every explanation', async () => {
      const { browser } = await signedInLearner();
      const started = await browser.submit(QUIZ, QUIZ, {});
      assert.equal(started.statusCode, 303);
      const attemptUrl = String(started.headers.location);
      const page = await browser.get(attemptUrl);
      assert.equal(page.statusCode, 200);
      for (const explanation of EXPLANATIONS) assert.ok(!page.body.includes(explanation));
      assert.doesNotMatch(page.body, /correct|đáp án đúng|Giải thích/i);
      const options = optionsOnPage(page.body);
      assert.deepEqual([...options.values()].map((o) => o.length).sort(), [2, 3, 3]);

      // Answer the first option everywhere: a fail, shown with what was right and why.
      const answers = [...options].map(([name, values]) => [name, values[0] as string] as [string, string]);
      assert.equal((await browser.submit(attemptUrl, attemptUrl, answers)).statusCode, 303);
      const result = await browser.get(attemptUrl);
      for (const explanation of EXPLANATIONS) assert.ok(result.body.includes(explanation));
      assert.match(result.body, /(Đạt|Chưa đạt): \d+%/);
      assert.match(result.body, /Đáp án đúng/);
      const again = await browser.submit(attemptUrl, attemptUrl, answers);
      assert.equal(again.statusCode, 409);
      assert.match(again.body, /đã được nộp và chấm điểm/);
      assert.equal((await browser.get(QUIZ)).statusCode, 200);
    });

    it('does not let another learner see or submit someone else’s attempt', async () => {
      const owner = await signedInLearner();
      const intruder = await signedInLearner('Kẻ Tò Mò');
      const attemptUrl = String((await owner.browser.submit(QUIZ, QUIZ, {})).headers.location);
      assert.equal((await intruder.browser.get(attemptUrl)).statusCode, 404);
      const id = attemptUrl.split('/').pop();
      const api = await intruder.browser.json('POST', `/api/quiz-attempts/${id}/submission`, { answers: {} });
      assert.equal(api.statusCode, 404);
      assert.equal(api.json().error.code, 'not_found');
      assert.match((await owner.browser.get(attemptUrl)).body, /Nộp bài/);
    });

    it('takes event batches over the API, and refuses malformed ones with per-event errors', async () => {
      const { browser, account } = await signedInLearner();
      const event = {
        id: randomUUID(),
        verb: 'completed',
        object: { type: 'lesson', id: course.lessons[1]?.id },
        timestamp: new Date().toISOString(),
      };
      const ok = await browser.json('POST', '/api/learning/events', { events: [event] });
      assert.equal(ok.statusCode, 200);
      assert.deepEqual(ok.json(), { results: [{ id: event.id, status: 'stored' }] });
      assert.deepEqual(
        (await browser.json('POST', '/api/learning/events', { events: [event] })).json(),
        ok.json(),
      );

      const malformed = await browser.json('POST', '/api/learning/events', {
        events: [
          { ...event, id: randomUUID() },
          { ...event, id: randomUUID(), verb: 'liked' },
        ],
      });
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.json().error.code, 'validation_failed');
      const unknown = await browser.json('POST', '/api/learning/events', {
        events: [
          { ...event, id: randomUUID() },
          { ...event, id: randomUUID(), object: { type: 'lesson', id: randomUUID() } },
        ],
      });
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(unknown.json().error.fields, { 'events[1]': 'Không có bài học này.' });
      assert.equal((await storedEventIds(t.db, account.id)).length, 1);
      const anonymous = await new Browser(t.app).json('POST', '/api/learning/events', { events: [event] });
      assert.equal(anonymous.statusCode, 401);
    });

    it('finds courses ignoring diacritics and case, and filters by topic and block', async () => {
      const browser = new Browser(t.app);
      for (const query of ['zalo', 'ZALO', 'lam quen', 'Làm Quen']) {
        const found = await browser.json('GET', `/api/courses?q=${encodeURIComponent(query)}`);
        assert.deepEqual(
          found.json().items.map((c: { slug: string }) => c.slug),
          ['lam-quen-zalo'],
          query,
        );
      }
      const citizen = await signedInLearner();
      assert.match(
        (await citizen.browser.get('/khoa-hoc')).body,
        /Dành cho bạn \(Người dân\)[\s\S]*Làm quen với Zalo an toàn/,
      );
      const official = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.communeA, { block: 'official' });
      const officialBrowser = new Browser(t.app);
      await officialBrowser.login(official.phone ?? '', TEST_PASSWORD);
      assert.doesNotMatch((await officialBrowser.get('/khoa-hoc')).body, /Dành cho bạn/);
      const none = await browser.get('/khoa-hoc?tim=khong+co+gi');
      assert.match(none.body, /Không tìm thấy khóa học phù hợp/);
      assert.equal((await browser.json('GET', '/api/courses?topic=dich-vu-cong')).json().items.length, 0);
      assert.equal((await browser.json('GET', '/api/courses?block=official')).json().items.length, 0);
      assert.equal((await browser.json('GET', '/api/courses?block=student')).json().items.length, 1);
    });

    it('verifies certificates publicly: valid, revoked, and unknown codes', async () => {
      const { browser, account } = await signedInLearner('Võ Thị Hồng');
      const actor = await t.ctx.identity.actorOf(account);
      const quiz = await t.ctx.assessment.quiz(actor.tenantId, course.lessons[0]?.quizId ?? '');
      assert.ok(quiz);
      await passQuiz(t.ctx, actor, quiz);
      for (const lesson of course.lessons) await t.ctx.learning.finishReading(actor, lesson.id);
      const [certificate] = await t.ctx.learning.certificatesOf(account.id);
      assert.ok(certificate);

      const mine = await browser.get('/hoc-tap');
      assert.match(mine.body, new RegExp(`/chung-nhan/${certificate.code}.pdf`));
      const pdf = await browser.get(`/chung-nhan/${certificate.code}.pdf`);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const stranger = await signedInLearner('Người Lạ');
      assert.equal((await stranger.browser.get(`/chung-nhan/${certificate.code}.pdf`)).statusCode, 403);

      const anonymous = new Browser(t.app);
      const valid = await anonymous.get(`/verify/${certificate.code}`);
      assert.equal(valid.statusCode, 200);
      assert.match(valid.body, /Giấy chứng nhận hợp lệ/);
      assert.match(valid.body, /Võ Thị Hồng/);
      assert.match(valid.body, /Làm quen với Zalo an toàn/);
      assert.ok(!valid.body.includes(account.phone?.slice(3) ?? '?'));

      const random = await anonymous.get(`/verify/${randomUUID().slice(0, 19).toUpperCase()}`);
      assert.equal(random.statusCode, 404);
      assert.match(random.body, /Không tìm thấy giấy chứng nhận/);

      await t.ctx.learning.revokeCertificate(certificate.code, 'Cấp nhầm');
      const revoked = await anonymous.get(`/verify/${certificate.code}`);
      assert.match(revoked.body, /đã bị <strong>thu hồi<\/strong>/);
      assert.doesNotMatch(revoked.body, /Giấy chứng nhận hợp lệ/);
    });
  });
}

describe('lesson page weight (the budget for cheap phones on slow networks)', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp('sqlite');
    for (const course of readPackages(COURSES_FOLDER).courses)
      await importCourse(t.ctx, t.fixture.tenant.id, course);
  });
  after(() => t.close());

  it('opens the lessons of a locked course one after the other', async () => {
    const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { block: 'official' });
    const browser = new Browser(t.app);
    await browser.login(account.phone ?? '', TEST_PASSWORD);
    const course = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, 'an-toan-thong-tin-can-bo');
    assert.ok(course?.lockLessons);
    const [first, second] = course.lessons;
    assert.ok(first && second);
    const secondPath = `/khoa-hoc/${course.slug}/${second.slug}`;
    assert.match((await browser.get(secondPath)).body, /Bài này chưa mở/);
    const early = await browser.submit(`/khoa-hoc/${course.slug}/${first.slug}`, `${secondPath}/da-doc`, {});
    assert.equal(early.statusCode, 403);
    assert.equal((await browser.get(`${secondPath}/kiem-tra`)).statusCode, 403);

    const actor = await t.ctx.identity.actorOf(account);
    await t.ctx.learning.finishReading(actor, first.id);
    assert.match((await browser.get(secondPath)).body, /Bài này chưa mở/);
    const quiz = await t.ctx.assessment.quiz(t.fixture.tenant.id, first.quizId ?? '');
    assert.ok(quiz);
    await passQuiz(t.ctx, actor, quiz);
    const open = await browser.get(secondPath);
    assert.doesNotMatch(open.body, /Bài này chưa mở/);
    assert.match(open.body, /Tôi đã đọc xong bài này/);
  });

  it('keeps every shipped lesson ≤ 14 KB of compressed HTML, and ≤ 30 KB with its stylesheet', async () => {
    const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
    const cookie = `hv_session=${await t.ctx.identity.startSession(account)}`;
    const headers = { 'accept-encoding': 'gzip, deflate, br', cookie };
    const css = await t.app.inject({ method: 'GET', url: '/static/app.css', headers });
    assert.equal(css.headers['content-encoding'], 'gzip');
    for (const summary of await t.ctx.catalog.courses(t.fixture.tenant.id)) {
      const course = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, summary.slug);
      for (const lesson of course?.lessons ?? []) {
        const page = await t.app.inject({
          method: 'GET',
          url: `/khoa-hoc/${summary.slug}/${lesson.slug}`,
          headers,
        });
        assert.equal(page.statusCode, 200);
        assert.equal(page.headers['content-encoding'], 'gzip');
        assert.ok(gunzipSync(page.rawPayload).toString().includes(`<h1>${lesson.title}</h1>`));
        const html = page.rawPayload.length;
        assert.ok(html <= 14 * 1024, `${lesson.slug}: ${html} bytes of HTML`);
        assert.ok(
          html + css.rawPayload.length <= 30 * 1024,
          `${lesson.slug}: ${html + css.rawPayload.length} bytes`,
        );
        assert.doesNotMatch(page.body, /<script/);
      }
    }
  });
});
