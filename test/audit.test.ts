import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Role } from '../src/access/actor.js';
import type { Unit } from '../src/modules/org/service.js';
import { passQuiz } from './support/answers.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import {
  buildAccount,
  buildLearner,
  buildTenant,
  importMiniCourse,
  TEST_PASSWORD,
} from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const LOG = '/quan-tri/nhat-ky';
const CSV = '/quan-tri/nhat-ky.csv';

/** The data rows of a CSV export (after the BOM and the header). */
const csvRows = (body: string) =>
  body
    .replace(/^\uFEFF/, '')
    .split('\r\n')
    .slice(1, -1);

for (const dialect of testDialects()) {
  describe(`audit log pages [${dialect}]`, () => {
    let t: TestApp;
    let admin: Browser;
    let evaluator: Browser;
    let adminId: string;

    const person = (role: Role, scope: Unit | null, fullName?: string) =>
      buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { role, scope, fullName });

    before(async () => {
      t = await startTestApp(dialect);
      const adminAccount = await person('tenantAdmin', null, 'Trần Quản Trị');
      adminId = adminAccount.id;
      admin = await signedIn(t.app, adminAccount);
      evaluator = await signedIn(t.app, await person('evaluator', null, 'Ngô Giám Sát'));

      // A role granted by the admin, and a certificate revoked from the command line.
      const manager = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB, {
        fullName: 'Hồ Văn Đức',
      });
      await t.ctx.identity.grantRole(
        t.fixture.tenant.id,
        manager.id,
        'unitManager',
        t.fixture.communeB.id,
        adminId,
      );
      const course = await importMiniCourse(t.ctx, t.fixture.tenant);
      const learner = await buildLearner(t.ctx, t.fixture.tenant, t.fixture.villageA, 'Lê Thị Mai');
      for (const lesson of course.lessons) await t.ctx.learning.finishReading(learner, lesson.id);
      const quiz = await t.ctx.assessment.quiz(
        t.fixture.tenant.id,
        course.lessons.find((l) => l.quizId)?.quizId as string,
      );
      assert.ok(quiz);
      await passQuiz(t.ctx, learner, quiz);
      const [certificate] = await t.ctx.learning.certificatesOf(learner.accountId);
      assert.ok(certificate);
      await t.ctx.learning.revokeCertificate(certificate.code, 'Cấp nhầm người');
    });
    after(() => t.close());

    it('shows the events to a tenant admin and to an evaluator, in Vietnam time', async () => {
      for (const browser of [admin, evaluator]) {
        const page = await browser.get(LOG);
        assert.equal(page.statusCode, 200);
        assert.match(page.body, /<a href="\/quan-tri\/nhat-ky">Nhật ký<\/a>/);
        assert.match(page.body, /<h1>Nhật ký hoạt động<\/h1>/);
        assert.match(page.body, /<td>Trần Quản Trị<\/td><td>Cấp vai trò<\/td><td>Hồ Văn Đức/);
        assert.match(page.body, /Vai trò: Quản lý đơn vị; phạm vi: Xã Đại Thạnh/);
        assert.match(
          page.body,
          /<td>Hệ thống<\/td><td>Thu hồi giấy chứng nhận<\/td><td>Lê Thị Mai – Làm quen/,
        );
        assert.match(page.body, /lý do: Cấp nhầm người/);
        assert.match(page.body, /<time datetime="[^"]+Z">\d\d:\d\d \d\d\/\d\d\/\d{4}<\/time>/);
      }
    });

    it('filters by action and by actor name typed without diacritics', async () => {
      const revoked = await admin.get(`${LOG}?hanh-dong=certificate.revoked`);
      assert.match(revoked.body, /1 hoạt động khớp bộ lọc/);
      assert.match(revoked.body, /Lê Thị Mai – Làm quen/);
      assert.doesNotMatch(revoked.body, /Hồ Văn Đức/);
      assert.match(revoked.body, /<option value="certificate.revoked" selected>/);

      const byAdmin = await admin.get(`${LOG}?nguoi=tran+quan+tri`);
      assert.match(byAdmin.body, /1 hoạt động khớp bộ lọc/);
      assert.match(byAdmin.body, /Hồ Văn Đức/);
      assert.doesNotMatch(byAdmin.body, /Thu hồi giấy chứng nhận<\/td>/);

      const none = await admin.get(`${LOG}?nguoi=khong+ai`);
      assert.match(none.body, /Không có hoạt động nào khớp bộ lọc/);
      // Malformed filters are dropped, not refused.
      assert.equal((await admin.get(`${LOG}?hanh-dong=drop+table&tu=hom-qua&trang=abc`)).statusCode, 200);
    });

    it('refuses learners, content managers and unit managers (403) on both routes', async () => {
      const refused = [
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA),
        await person('contentManager', null),
        await person('unitManager', t.fixture.communeA),
      ];
      for (const account of refused) {
        const browser = await signedIn(t.app, account);
        assert.equal((await browser.get(LOG)).statusCode, 403);
        assert.equal((await browser.get(CSV)).statusCode, 403);
        assert.doesNotMatch((await browser.get('/')).body, /Nhật ký<\/a>/);
      }
      // Overseeing one unit does not reach the tenant's log.
      const unitEvaluator = await signedIn(t.app, await person('evaluator', t.fixture.communeA));
      assert.equal((await unitEvaluator.get(LOG)).statusCode, 403);
      assert.equal((await unitEvaluator.get(CSV)).statusCode, 403);
      // Anyone signed out is sent to sign in.
      assert.equal((await t.app.inject({ method: 'GET', url: LOG })).statusCode, 303);
      const exports = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'audit.exported' });
      assert.equal(exports.total, 0);
    });

    it('exports the filtered rows as CSV with a BOM, and records the export', async () => {
      const response = await admin.get(`${CSV}?hanh-dong=role.granted&nguoi=tran`);
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /^text\/csv; charset=utf-8/);
      assert.match(
        response.headers['content-disposition'] as string,
        /^attachment; filename="nhat-ky-hoat-dong-\d{4}-\d{2}-\d{2}\.csv"$/,
      );
      assert.deepEqual([...response.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const body = response.rawPayload.toString('utf8');
      assert.match(body, /^\uFEFFThời gian \(giờ Việt Nam\),Thời điểm \(UTC\),Người thực hiện,Mã hành động,/);
      const rows = csvRows(body);
      assert.equal(rows.length, 1);
      assert.match(
        rows[0] ?? '',
        /^\d\d:\d\d \d\d\/\d\d\/\d{4},[^,]+Z,Trần Quản Trị,role\.granted,Cấp vai trò,Tài khoản,[^,]+,Hồ Văn Đức,Vai trò: Quản lý đơn vị; phạm vi: Xã Đại Thạnh$/,
      );

      const { events } = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'audit.exported' });
      assert.equal(events.length, 1);
      assert.equal(events[0]?.actorAccountId, adminId);
      assert.equal(events[0]?.actorName, 'Trần Quản Trị');
      assert.deepEqual(events[0]?.details, {
        action: 'role.granted',
        actorQuery: 'tran',
        from: null,
        to: null,
      });
      const page = await evaluator.get(`${LOG}?hanh-dong=audit.exported`);
      assert.match(page.body, /Tải về nhật ký hoạt động<\/td>/);
      assert.match(page.body, /Bộ lọc: hành động “Cấp vai trò”, người thực hiện “tran”/);

      // The whole log, by the evaluator: every event, its own export included.
      const all = csvRows((await evaluator.get(CSV)).body);
      assert.equal(all.length, (await t.ctx.audit.list(t.fixture.tenant.id)).total);
      assert.match(all[0] ?? '', /,Ngô Giám Sát,audit\.exported,/);
    });

    it("shows another tenant's admin none of this tenant's events", async () => {
      const other = await buildTenant(t.ctx, 'tinh-khac');
      const theirs = await buildAccount(t.ctx, other.tenant, other.villageA, {
        role: 'tenantAdmin',
        scope: null,
        fullName: 'Đinh Quản Trị Khác',
      });
      const host = 'tinh-khac.hocvuso.test';
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { host },
        payload: { identifier: theirs.phone, password: TEST_PASSWORD },
      });
      assert.equal(login.statusCode, 200);
      const cookie = (login.cookies as { name: string; value: string }[])
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      const page = await t.app.inject({ method: 'GET', url: LOG, headers: { host, cookie } });
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Đinh Quản Trị Khác/);
      for (const name of ['Hồ Văn Đức', 'Lê Thị Mai', 'Trần Quản Trị', 'Ngô Giám Sát']) {
        assert.doesNotMatch(page.body, new RegExp(name));
      }
      const csv = await t.app.inject({ method: 'GET', url: CSV, headers: { host, cookie } });
      assert.doesNotMatch(csv.body, /Hồ Văn Đức|Lê Thị Mai|Trần Quản Trị/);
      // Their session is theirs only: on this tenant's address it signs no one in.
      assert.equal((await t.app.inject({ method: 'GET', url: LOG, headers: { cookie } })).statusCode, 303);
    });

    it('pages the log by 50, newest first, keeping the filters', async () => {
      for (let n = 1; n <= 51; n += 1) {
        await t.ctx.audit.record(t.db, {
          tenantId: t.fixture.tenant.id,
          actor: { accountId: adminId, fullName: 'Trần Quản Trị' },
          action: 'record.viewed',
          subject: { type: 'account', id: `a${n}`, label: `Người xem số ${n}` },
        });
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const first = await admin.get(`${LOG}?hanh-dong=record.viewed`);
      assert.match(first.body, /51 hoạt động khớp bộ lọc · trang 1\/2/);
      assert.match(first.body, /Người xem số 51</);
      assert.doesNotMatch(first.body, /Người xem số 1</);
      assert.match(first.body, /href="\/quan-tri\/nhat-ky\?hanh-dong=record.viewed&amp;trang=2"/);
      const second = await admin.get(`${LOG}?hanh-dong=record.viewed&trang=2`);
      assert.match(second.body, /trang 2\/2/);
      assert.match(second.body, /Người xem số 1</);
      assert.doesNotMatch(second.body, /Người xem số 2</);
      assert.match(second.body, /rel="prev" href="\/quan-tri\/nhat-ky\?hanh-dong=record.viewed"/);
    });
  });
}
