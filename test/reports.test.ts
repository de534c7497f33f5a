import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, buildTenant, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

/** Every table row of a page, as the text of its cells. */
const tableRows = (html: string): string[][] =>
  [...html.matchAll(/<tr>(.*?)<\/tr>/gs)].map((row) =>
    [...(row[1] ?? '').matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((cell) =>
      (cell[1] ?? '').replace(/<[^>]+>/g, ''),
    ),
  );

/** The cells of the row headed by `name`. */
const rowOf = (html: string, name: string) => tableRows(html).find((cells) => cells[0] === name);

for (const dialect of testDialects()) {
  describe(`unit learning report pages [${dialect}]`, () => {
    let t: TestApp;
    let evaluator: Browser;
    let learnerId: string;
    let courseTitle: string;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, villageA } = t.fixture;
      evaluator = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'evaluator', scope: null }),
      );
      const course = await importMiniCourse(t.ctx, tenant);
      courseTitle = course.title;
      const learner = await t.ctx.identity.actorOf(
        await buildAccount(t.ctx, tenant, villageA, { fullName: 'Trương Thị Học' }),
      );
      learnerId = learner.accountId;
      for (const lesson of course.lessons) await t.ctx.learning.finishReading(learner, lesson.id);
    });
    after(() => t.close());

    it("starts an evaluator at the whole province's dashboard", async () => {
      const response = await evaluator.get('/bao-cao/don-vi');
      assert.equal(response.statusCode, 303);
      assert.equal(response.headers.location, `/bao-cao/don-vi/${t.fixture.province.id}/tong-quan`);
    });

    it('counts a learner in their commune, with totals, and drills down by link', async () => {
      const page = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}`);
      assert.equal(page.statusCode, 200);
      assert.deepEqual(rowOf(page.body, 'Xã Đại Hiệp'), ['Xã Đại Hiệp', '1', '0', '0']);
      assert.deepEqual(rowOf(page.body, 'Xã Đại Thạnh'), ['Xã Đại Thạnh', '0', '0', '0']);
      assert.deepEqual(rowOf(page.body, 'Tổng cộng'), ['Tổng cộng', '1', '0', '0']);
      assert.match(page.body, new RegExp(`href="/bao-cao/don-vi/${t.fixture.communeA.id}\\?ngay=`));
    });

    it("lists a commune's people, opens one's learning record, and the look is audited", async () => {
      const list = await evaluator.get(`/bao-cao/don-vi/${t.fixture.communeA.id}/nguoi`);
      assert.equal(list.statusCode, 200);
      assert.match(list.body, new RegExp(`<a href="/bao-cao/nguoi/${learnerId}">Trương Thị Học</a>`));
      const record = await evaluator.get(`/bao-cao/nguoi/${learnerId}`);
      assert.equal(record.statusCode, 200);
      const [course] = tableRows(record.body).slice(1);
      // Two lessons read, the quiz not yet passed: two of three steps.
      assert.deepEqual(course?.slice(0, 4), [courseTitle, '2/2', '0/1', '66%']);
      const audit = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'record.viewed' });
      assert.deepEqual(
        audit.events.map((e) => [e.subjectLabel, e.subjectId]),
        [['Trương Thị Học', learnerId]],
      );
    });

    it("exports a commune's people to .xlsx that reads back with the same rows, audited", async () => {
      const download = await evaluator.get(`/bao-cao/don-vi/${t.fixture.communeA.id}/nguoi.xlsx`);
      assert.equal(download.statusCode, 200);
      assert.match(
        String(download.headers['content-disposition']),
        /attachment; filename="nguoi-hoc-20524\.xlsx"/,
      );
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      const rows: unknown[][] = [];
      sheet?.eachRow((row) =>
        rows.push(Array.from({ length: 5 }, (_, i) => row.getCell(i + 1).value ?? null)),
      );
      assert.equal(rows[0]?.[0], 'Người thuộc Xã Đại Hiệp và các đơn vị trực thuộc');
      assert.deepEqual(rows[2], ['Họ và tên', 'Đối tượng', 'Đơn vị', 'Chức vụ', 'Số khóa học đã hoàn thành']);
      assert.deepEqual(rows.slice(3), [['Trương Thị Học', 'Người dân', 'Thôn Phú Hòa', null, 0]]);
      assert.deepEqual(
        [sheet?.views[0]?.state, (sheet?.views[0] as { ySplit?: number })?.ySplit],
        ['frozen', 3],
      );
      const audit = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'personal_data.exported' });
      assert.deepEqual(
        audit.events.map((e) => e.subjectLabel),
        ['Danh sách người: Xã Đại Hiệp'],
      );
    });

    it('exports the unit table to CSV with a BOM, the same figures as the page', async () => {
      const csv = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}/bao-cao.csv`);
      assert.equal(csv.statusCode, 200);
      assert.ok(csv.body.startsWith('\uFEFFĐơn vị,Mã đơn vị,Người đã học'));
      assert.match(csv.body, /\r\nXã Đại Hiệp,20524,1,0,0\r\n/);
      assert.match(csv.body, /\r\nTổng cộng,,1,0,0\r\n$/);
    });

    it('says so when the day cannot be read, and shows today instead', async () => {
      const page = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}?ngay=2025-13-45`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Ngày không hợp lệ; đang xem đến hôm nay\./);
      assert.deepEqual(rowOf(page.body, 'Tổng cộng'), ['Tổng cộng', '1', '0', '0']);
    });

    it('shows nothing of a day before the units existed', async () => {
      const page = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}?ngay=2020-01-01`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /chưa được thành lập vào ngày 01\/01\/2020/);
    });
  });
}

for (const dialect of testDialects()) {
  describe(`national roll-up across tenants [${dialect}]`, () => {
    let t: TestApp;

    before(async () => {
      t = await startTestApp(dialect);
      const second = await buildTenant(t.ctx, 'tinh-hai');
      const course = await importMiniCourse(t.ctx, second.tenant);
      for (const home of [second.villageA, second.villageB]) {
        const learner = await t.ctx.identity.actorOf(await buildAccount(t.ctx, second.tenant, home));
        for (const lesson of course.lessons) await t.ctx.learning.finishReading(learner, lesson.id);
      }
    });
    after(() => t.close());

    it('shows a platform admin every tenant with its totals', async () => {
      const { tenant, province } = t.fixture;
      const admin = await buildAccount(t.ctx, tenant, province, { role: 'platformAdmin', scope: null });
      const page = await (await signedIn(t.app, admin)).get('/nen-tang');
      assert.equal(page.statusCode, 200);
      // Units in force: the province, a district, two communes, two villages in each tenant.
      const rows = tableRows(page.body).slice(1);
      assert.deepEqual(rows, [
        ['Tỉnh Quảng Nam (tinh-hai)', '6', '2', '2', '0'],
        ['Tỉnh Quảng Nam (tinh-thu)', '6', '1', '0', '0'],
        ['Tổng cộng', '12', '3', '2', '0'],
      ]);
    });

    it('refuses a tenant admin: one province does not see the others', async () => {
      const { tenant, province } = t.fixture;
      const admin = await buildAccount(t.ctx, tenant, province, { role: 'tenantAdmin', scope: null });
      const page = await (await signedIn(t.app, admin)).get('/nen-tang');
      assert.equal(page.statusCode, 403);
      assert.doesNotMatch(page.body, /tinh-hai/);
    });
  });
}
