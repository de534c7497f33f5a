import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildTenant, testContext } from '../../../test/support/factories.js';
import type { Db } from '../../db/database.js';
import type { AppContext } from '../../web/context.js';
import { importUnits } from './importUnits.js';
import type { Tenant } from './service.js';

const QUANG_NAM_2024 = readFileSync(
  new URL('../../../resources/vn-admin/quang-nam-2024.csv', import.meta.url),
  'utf8',
);

for (const dialect of testDialects()) {
  describe(`org units [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let tenant: Tenant;

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      tenant = await ctx.org.createTenant({
        slug: 'quang-nam',
        name: 'Tỉnh Quảng Nam',
        root: { kind: 'province', typeLabel: 'Tỉnh', name: 'Quảng Nam', code: '49' },
      });
    });
    after(() => db.close());

    it('imports the real 2024 Quảng Nam list, and a second import changes nothing', async () => {
      const first = await importUnits(db, tenant.id, QUANG_NAM_2024);
      assert.deepEqual(first.errors, []);
      assert.equal(first.created, 18 + 241);
      const count = await ctx.org.countUnits(tenant.id);
      assert.equal(count, 1 + 18 + 241);

      const second = await importUnits(db, tenant.id, QUANG_NAM_2024);
      assert.deepEqual(
        { ...second, errors: second.errors.length },
        {
          ok: true,
          created: 0,
          updated: 0,
          unchanged: 259,
          errors: 0,
        },
      );
      assert.equal(await ctx.org.countUnits(tenant.id), count);
    });

    it('puts communes under their district and finds them without diacritics', async () => {
      for (const query of ['dai loc', 'DAI LOC', 'Đại Lộc', 'đai loc']) {
        const [first] = await ctx.org.searchUnits(tenant.id, query);
        assert.equal(first?.fullName, 'Huyện Đại Lộc', query);
      }
      const results = await ctx.org.searchUnits(tenant.id, 'dai loc', 30);
      assert.ok(results.length > 10, 'communes of Đại Lộc are found through their district');
      const hiep = results.find((u) => u.name === 'Đại Hiệp');
      assert.deepEqual(hiep?.ancestors, ['Huyện Đại Lộc', 'Tỉnh Quảng Nam']);

      const [aiNghia] = await ctx.org.searchUnits(tenant.id, 'ai nghia');
      assert.equal(aiNghia?.fullName, 'Thị trấn Ái Nghĩa');
      const [dien] = await ctx.org.searchUnits(tenant.id, 'DIEN BAN');
      assert.equal(dien?.fullName, 'Thị xã Điện Bàn');
      assert.deepEqual(await ctx.org.searchUnits(tenant.id, '%'), []);
    });

    it('lists children in Vietnamese alphabetical order', async () => {
      const district = await ctx.org.currentUnitByCode(tenant.id, '506');
      const names = (await ctx.org.children(tenant.id, district?.id ?? '')).map((u) => u.name);
      assert.equal(names.length, 18);
      assert.equal(names[0], 'Ái Nghĩa');
      assert.ok(names.indexOf('Đại An') > names.indexOf('Ái Nghĩa'));
    });

    it('refuses a file with bad rows whole, listing each bad line', async () => {
      const before = await ctx.org.countUnits(tenant.id);
      const file = [
        'code,name,type,parent_code',
        '90001,Thôn Mới,Thôn,20524',
        '90002,,Thôn,20524',
        '90003,Thôn Ba,Thôn,99999',
        '9 0004,Thôn Bốn,Thôn,20524',
        '90001,Thôn Trùng,Thôn,20524',
        '90006,Thôn Sáu,Thôn,20524',
      ].join('\n');
      const report = await importUnits(db, tenant.id, file);
      assert.equal(report.ok, false);
      assert.deepEqual(
        report.errors.map((e) => e.line),
        [3, 4, 5, 6],
      );
      assert.match(report.errors[0]?.message ?? '', /Thiếu tên/);
      assert.match(report.errors[1]?.message ?? '', /99999/);
      assert.match(report.errors[3]?.message ?? '', /dòng 2/);
      assert.equal(await ctx.org.countUnits(tenant.id), before, 'nothing was imported');
      assert.equal(await ctx.org.currentUnitByCode(tenant.id, '90001'), undefined);
    });

    it('refuses malformed CSV, an unknown layout, a move and a parent loop', async () => {
      const cases: [string, number, RegExp][] = [
        ['code,name,type,parent_code\n90001,"Thôn Mở,Thôn,20524\n', 2, /định dạng/],
        ['ma,ten\n1,2\n', 1, /Tiêu đề cột/],
        ['code,name,type,parent_code\n20524,Đại Hiệp,Xã,502\n', 2, /tổ chức lại/],
        ['code,name,type,parent_code,kind\nA1,Một,Khu,A2,village\nA2,Hai,Khu,A1,village\n', 2, /vòng lặp/],
        ['code,name,type,parent_code\n', 1, /không có dòng/],
        ['code,name,type,parent_code\n90009,Nhà Văn Hóa,Nhà,20524\n', 2, /kind/],
      ];
      const before = await ctx.org.countUnits(tenant.id);
      for (const [file, line, message] of cases) {
        const report = await importUnits(db, tenant.id, file);
        assert.equal(report.ok, false, file);
        assert.equal(report.errors[0]?.line, line, file);
        assert.match(report.errors[0]?.message ?? '', message, file);
      }
      assert.equal(await ctx.org.countUnits(tenant.id), before);
    });

    it('adds villages with the generic layout and renames keep search in step', async () => {
      const add = 'code,name,type,parent_code\n20524-01,Phú Hòa,Thôn,20524\n';
      assert.equal((await importUnits(db, tenant.id, add)).created, 1);
      const renamed = await importUnits(
        db,
        tenant.id,
        'code,name,type,parent_code\n20524,Đại Hiệp Mới,Xã,506\n',
      );
      assert.equal(renamed.updated, 1);
      const [village] = await ctx.org.searchUnits(tenant.id, 'phu hoa dai hiep moi');
      assert.equal(village?.fullName, 'Thôn Phú Hòa');
      assert.deepEqual(village?.ancestors, ['Xã Đại Hiệp Mới', 'Huyện Đại Lộc', 'Tỉnh Quảng Nam']);
    });

    it('keeps subtrees apart by path, across tenants too', async () => {
      const other = testContext(db);
      const fixture = await buildTenant(other, 'tinh-khac');
      const ids = await ctx.org.subtreeIds(fixture.tenant.id, fixture.communeA.path);
      assert.deepEqual(new Set(ids), new Set([fixture.communeA.id, fixture.villageA.id]));
      assert.deepEqual(await ctx.org.searchUnits(fixture.tenant.id, 'ai nghia'), []);
    });
  });
}
