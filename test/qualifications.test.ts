import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { todayInVietnam } from '../src/db/time.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import type { QualificationRow } from '../src/modules/programs/repository.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';
import { insertQualification, qualificationProgram } from './support/qualifications.js';

const LIST = '/quan-tri/dat-yeu-cau';

interface ApiPage {
  items: { code: string; status: string; revokedAt: string | null; revokedReason: string | null }[];
  nextCursor: string | null;
}

for (const dialect of testDialects()) {
  describe(`qualifications as people and other systems see them [${dialect}]`, () => {
    let t: TestApp;
    let holder: AccountRow;
    let valid: QualificationRow;
    let inB: QualificationRow;
    let expired: QualificationRow;
    let admin: Browser;
    let evaluator: Browser;
    const today = todayInVietnam();

    const exportEvents = async () =>
      (await t.ctx.audit.list(t.fixture.tenant.id, { action: 'qualifications.exported' })).total;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, villageA, villageB, province } = t.fixture;
      const { qualify } = await qualificationProgram(t.ctx, tenant);
      holder = await buildAccount(t.ctx, tenant, villageA, { block: 'official', fullName: 'Lê Văn An' });
      valid = await qualify(holder);
      inB = await qualify(
        await buildAccount(t.ctx, tenant, villageB, { block: 'official', fullName: 'Phạm Thị Bình' }),
      );
      expired = await insertQualification(t.db, valid, { issuedOn: '2023-03-01', expiresOn: '2025-03-01' });
      admin = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'tenantAdmin', scope: null }),
      );
      evaluator = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'evaluator', scope: null }),
      );
    });
    after(() => t.close());

    it('verifies a valid qualification on the public page, with holder, program and validity', async () => {
      const page = await t.app.inject(`/verify/${valid.code}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Xác nhận hợp lệ: Đạt yêu cầu, hiệu lực đến hết ngày/);
      assert.match(page.body, /Lê Văn An/);
      assert.match(page.body, /Kỹ năng số cho cán bộ, công chức/);
    });

    it('shows a lapsed qualification as needing recertification', async () => {
      const page = await t.app.inject(`/verify/${expired.code}`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /hết hiệu lực/);
      assert.match(page.body, /cần cấp lại từ ngày 01\/03\/2025/);
      assert.doesNotMatch(page.body, /Xác nhận hợp lệ/);
    });

    it('shows the holder’s qualifications on the profile, and lets them download the certificate', async () => {
      const me = await signedIn(t.app, holder);
      const profile = await me.get('/ho-so');
      assert.match(profile.body, /Đạt yêu cầu, hiệu lực đến hết ngày/);
      assert.match(profile.body, /Cần cấp lại từ ngày 01\/03\/2025/);
      assert.match(profile.body, new RegExp(`/chung-nhan-dat-yeu-cau/${valid.code}\\.pdf`));
      const pdf = await me.get(`/chung-nhan-dat-yeu-cau/${valid.code}.pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString('latin1'), '%PDF-');
      const stranger = await signedIn(t.app, await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA));
      assert.equal((await stranger.get(`/chung-nhan-dat-yeu-cau/${valid.code}.pdf`)).statusCode, 403);
      assert.match((await stranger.get('/ho-so')).body, /Bạn chưa được xác nhận đạt yêu cầu/);
    });

    it('lets a tenant admin revoke with a reason, after confirming; verification then says revoked', async () => {
      const confirm = `${LIST}/${inB.code}/thu-hoi`;
      const form = await admin.get(confirm);
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Không thể hoàn tác/);
      const empty = await admin.submit(confirm, confirm, { reason: '' });
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Hãy ghi lý do thu hồi/);
      const done = await admin.submit(confirm, confirm, { reason: 'Nhập nhầm người học' });
      assert.equal(done.statusCode, 303);
      const page = await t.app.inject(`/verify/${inB.code}`);
      assert.match(page.body, /đã bị <strong>thu hồi<\/strong>/);
      assert.match(page.body, /lý do: Nhập nhầm người học/);
      const events = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'qualification.revoked' });
      assert.equal(events.total, 1);
      assert.equal((await evaluator.get(confirm)).statusCode, 403);
    });

    it('lists qualifications with filters and exports, for overseers', async () => {
      const page = await evaluator.get(LIST);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /3 xác nhận/);
      const communeA = await evaluator.get(`${LIST}?don-vi=${t.fixture.communeA.id}&trang-thai=valid`);
      assert.match(communeA.body, /1 xác nhận khớp bộ lọc/);
      assert.doesNotMatch(communeA.body, /Phạm Thị Bình/);
      const wrong = await evaluator.get(`${LIST}?tu=2026-05-01&den=2026-01-01`);
      assert.equal(wrong.statusCode, 400);
      assert.match(wrong.body, /Ngày kết thúc phải bằng hoặc sau ngày bắt đầu/);
    });

    it('exports an .xlsx with title, filter line, frozen header and rows; audited', async () => {
      const before = await exportEvents();
      const response = await evaluator.get(`${LIST}.xlsx?don-vi=${t.fixture.communeA.id}`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-disposition']), /dat-yeu-cau-\d{4}-\d{2}-\d{2}\.xlsx/);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
      const sheet = workbook.worksheets[0];
      assert.ok(sheet);
      assert.match(String(sheet.getCell('A1').value), /Danh sách xác nhận đạt yêu cầu/);
      assert.match(String(sheet.getCell('A2').value), /^Bộ lọc: đơn vị Xã Đại Hiệp/);
      assert.match(String(sheet.getCell('A3').value), /^Tạo lúc/);
      assert.deepEqual((sheet.getRow(4).values as unknown[]).slice(1, 4), [
        'Số hiệu',
        'Họ và tên',
        'CCCD (4 số cuối)',
      ]);
      assert.equal(sheet.views[0]?.state, 'frozen');
      assert.equal((sheet.views[0] as { ySplit?: number }).ySplit, 4);
      const codes = [5, 6].map((n) => String(sheet.getRow(n).getCell(1).value)).sort();
      assert.deepEqual(codes, [valid.code, expired.code].sort());
      assert.equal(sheet.getRow(7).getCell(1).value, null);
      const issued = sheet.getRow(5).getCell(8).value;
      assert.ok(issued instanceof Date, 'issue days are date cells');
      assert.equal(await exportEvents(), before + 1);
    });

    it('exports a CSV with a BOM and the same columns; audited', async () => {
      const before = await exportEvents();
      const response = await admin.get(`${LIST}.csv?trang-thai=revoked`);
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), /^text\/csv; charset=utf-8/);
      assert.deepEqual([...response.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
      const lines = response.body
        .replace(/^\uFEFF/, '')
        .trim()
        .split('\r\n');
      assert.equal(lines.length, 2);
      assert.match(lines[0] ?? '', /^Số hiệu,Họ và tên,/);
      assert.match(
        lines[1] ?? '',
        new RegExp(`^${inB.code},Phạm Thị Bình,.*,revoked,Đã thu hồi,${today},Nhập nhầm người học,`),
      );
      assert.equal(await exportEvents(), before + 1);
    });

    it('pages the JSON API by cursor, with revocations, auditing each call', async () => {
      const before = await exportEvents();
      const seen: ApiPage['items'] = [];
      let cursor: string | null = null;
      let calls = 0;
      do {
        const response = await evaluator.json(
          'GET',
          `/api/qualifications?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        );
        assert.equal(response.statusCode, 200, response.body);
        const page = response.json() as ApiPage;
        seen.push(...page.items);
        cursor = page.nextCursor;
        calls += 1;
      } while (cursor);
      assert.equal(calls, 2);
      assert.deepEqual(seen.map((i) => i.code).sort(), [valid.code, inB.code, expired.code].sort());
      const revoked = seen.find((i) => i.code === inB.code);
      assert.equal(revoked?.status, 'revoked');
      assert.equal(revoked?.revokedReason, 'Nhập nhầm người học');
      assert.ok(revoked?.revokedAt);
      assert.equal(seen.find((i) => i.code === expired.code)?.status, 'expired');
      assert.equal(await exportEvents(), before + 2);
      const bad = await evaluator.json('GET', '/api/qualifications?cursor=khong-hop-le');
      assert.equal(bad.statusCode, 400);
      const spec = (await t.app.inject('/api/openapi.json')).json() as { paths: Record<string, unknown> };
      assert.ok(spec.paths['/api/qualifications'], 'the API is documented');
    });

    it('keeps unit managers to their subtree and refuses content managers', async () => {
      const managerOfB = await signedIn(
        t.app,
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.communeB, { role: 'unitManager' }),
      );
      const own = (await managerOfB.json('GET', '/api/qualifications')).json() as ApiPage;
      assert.deepEqual(
        own.items.map((i) => i.code),
        [inB.code],
      );
      const ours = await managerOfB.json('GET', `/api/qualifications?unitId=${t.fixture.communeA.id}`);
      assert.equal(ours.statusCode, 403);
      assert.equal((await managerOfB.get(`${LIST}.csv?don-vi=${t.fixture.communeA.id}`)).statusCode, 403);
      const csv = await managerOfB.get(`${LIST}.csv`);
      assert.doesNotMatch(csv.body, /Lê Văn An/);
      const content = await signedIn(
        t.app,
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, {
          role: 'contentManager',
          scope: null,
        }),
      );
      for (const url of [LIST, `${LIST}.xlsx`, `${LIST}.csv`]) {
        assert.equal((await content.get(url)).statusCode, 403, url);
      }
      assert.equal((await content.json('GET', '/api/qualifications')).statusCode, 403);
    });
  });
}
