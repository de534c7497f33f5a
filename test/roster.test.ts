import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { xlsxRows } from '../src/files/xlsxRows.js';
import { startTestApp, type TestApp } from './support/app.js';
import { hocvuso } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const ROSTER = (name: string) => new URL(`./fixtures/roster/${name}`, import.meta.url).pathname;
const UNITS = new URL('../resources/vn-admin/quang-nam-2024.csv', import.meta.url).pathname;

const upload = (browser: Browser, name: string, bytes = readFileSync(ROSTER(name))) =>
  browser.upload(
    '/quan-tri/danh-sach',
    '/quan-tri/danh-sach/nhap',
    {},
    { field: 'file', filename: name, bytes },
  );

for (const dialect of testDialects()) {
  describe(`hocvuso import people [${dialect}]`, () => {
    it('imports a roster idempotently and refuses a file with two bad rows, writing them out', async () => {
      const database = await freshDatabaseUrl(dialect);
      const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-cli-'));
      const env = { DATABASE_URL: database.url, HOCVUSO_DATA_DIR: dir };
      try {
        const tenant = ['--tenant', 'quang-nam'];
        const root = ['--root-type', 'Tỉnh', '--root-name', 'Quảng Nam', '--root-code', '49'];
        assert.equal(
          hocvuso(['tenant', 'create', 'quang-nam', '--name', 'Tỉnh Quảng Nam', ...root], env).code,
          0,
        );
        assert.equal(hocvuso(['import', 'units', UNITS, ...tenant], env).code, 0);
        const first = hocvuso(['import', 'people', ROSTER('officials.csv'), ...tenant], env);
        assert.equal(first.code, 0, first.err);
        assert.match(first.out, /4 người mới, 0 người cập nhật, 0 người không đổi/);
        const again = hocvuso(['import', 'people', ROSTER('officials.csv'), ...tenant], env);
        assert.match(again.out, /0 người mới, 0 người cập nhật, 4 người không đổi/);

        const rejected = path.join(dir, 'loi.xlsx');
        const bad = hocvuso(
          ['import', 'people', ROSTER('two-bad.csv'), ...tenant, '--rejected', rejected],
          env,
        );
        assert.equal(bad.code, 1);
        assert.match(bad.out, /bị từ chối, không có thay đổi nào. 2 dòng có lỗi/);
        assert.match(bad.out, /Dòng 3: Thiếu họ và tên/);
        assert.match(bad.out, /Dòng 4: Số CCCD .* Khối "Khối lạ" không hợp lệ.* mã "99999"/);
        const rows = [];
        for await (const row of xlsxRows(rejected)) rows.push(row.cells);
        assert.equal(rows.length, 3);
        assert.equal(rows[0]?.at(-1), 'Lỗi');
      } finally {
        await database.drop();
      }
    });
  });

  describe(`roster pages [${dialect}]`, () => {
    let t: TestApp;
    before(async () => {
      t = await startTestApp(dialect);
    });
    after(() => t.close());

    it('refuses learners, evaluators and content managers on every roster route', async () => {
      const { tenant, villageA } = t.fixture;
      for (const role of [undefined, 'evaluator', 'contentManager'] as const) {
        const browser = await signedIn(
          t.app,
          await buildAccount(t.ctx, tenant, villageA, { role, scope: null }),
        );
        assert.equal((await browser.get('/quan-tri/danh-sach')).statusCode, 403, role);
        const id = `ds${'0'.repeat(32)}`;
        assert.equal((await browser.get(`/quan-tri/danh-sach/loi/${id}.xlsx`)).statusCode, 403, role);
        assert.equal((await browser.post('/quan-tri/danh-sach/nhap/xac-nhan', { id })).statusCode, 403, role);
      }
    });

    it('previews, then imports on confirmation; a refused file offers its rejected rows', async () => {
      const { tenant, villageA, communeA } = t.fixture;
      const admin = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, villageA, { role: 'tenantAdmin', scope: null }),
      );
      const refused = await upload(admin, 'two-bad.csv');
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /có 2 dòng bị lỗi/);
      const link = /href="(\/quan-tri\/danh-sach\/loi\/ds[0-9a-f]{32}\.xlsx)"/.exec(refused.body)?.[1];
      assert.ok(link, 'a download link for the rejected rows');
      const download = await admin.get(link);
      assert.equal(download.statusCode, 200);
      assert.equal(download.rawPayload.subarray(0, 2).toString(), 'PK');
      assert.equal((await admin.get('/quan-tri/danh-sach/loi/..%2F..%2Fsecret.xlsx')).statusCode, 404);

      const preview = await upload(admin, 'officials.csv');
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /4 người mới, 0 người cập nhật, 0 người không đổi/);
      assert.match(preview.body, /\*{8}0123/);
      assert.doesNotMatch(preview.body, /049085000123/);
      const id = /name="id" value="([^"]+)"/.exec(preview.body)?.[1] ?? '';
      const done = await admin.submit('/quan-tri/danh-sach', '/quan-tri/danh-sach/nhap/xac-nhan', {
        id,
        filename: 'officials.csv',
      });
      assert.equal(done.statusCode, 303);
      assert.match((await admin.get(done.headers.location as string)).body, /Đã nhập danh sách: 4 người mới/);
      const an = await t.db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('fullName', '=', 'Nguyễn Văn An')
        .executeTakeFirstOrThrow();
      assert.equal(an.homeUnitId, communeA.id);
      const twice = await admin.submit('/quan-tri/danh-sach', '/quan-tri/danh-sach/nhap/xac-nhan', {
        id,
        filename: 'officials.csv',
      });
      assert.equal(twice.statusCode, 404);
    });
  });
}
