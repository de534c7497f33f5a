import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { openDatabase } from '../src/db/database.js';
import { hocvuso } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';

const MAPPING = new URL('../resources/vn-admin/quang-nam-merge-2025.csv', import.meta.url).pathname;

/** What a reorganisation changes, read straight from the tables. */
async function treeState(url: string) {
  const db = openDatabase(url);
  try {
    const units = await db.kysely
      .selectFrom('orgUnits')
      .select(['code', 'kind', 'validTo', 'parentId'])
      .execute();
    const current = units.filter((u) => u.validTo === null);
    const manager = await db.kysely
      .selectFrom('roleGrants')
      .innerJoin('orgUnits', 'orgUnits.id', 'roleGrants.unitId')
      .select(['orgUnits.code', 'orgUnits.name'])
      .where('roleGrants.role', '=', 'unitManager')
      .executeTakeFirst();
    return {
      units: units.length,
      currentCommunes: current.filter((u) => u.kind === 'commune').length,
      currentDistricts: current.filter((u) => u.kind === 'district').length,
      closed: units.filter((u) => u.validTo === '2025-07-01').length,
      managerScope: manager && `${manager.name} (${manager.code})`,
    };
  } finally {
    await db.close();
  }
}

for (const dialect of testDialects()) {
  describe(`hocvuso org apply-merge on the Quảng Nam demo [${dialect}]`, () => {
    it('dry-runs, then applies the 2025 mapping in one command, and a re-run changes nothing', async () => {
      const database = await freshDatabaseUrl(dialect);
      const env = {
        DATABASE_URL: database.url,
        HOCVUSO_DATA_DIR: mkdtempSync(path.join(tmpdir(), 'hocvuso-')),
      };
      const merge = (...extra: string[]) =>
        hocvuso(
          ['org', 'apply-merge', MAPPING, '--effective', '2025-07-01', '--tenant', 'quang-nam', ...extra],
          env,
        );
      try {
        assert.equal(hocvuso(['seed', '--demo'], env).code, 0);
        const seeded = await treeState(database.url);
        assert.deepEqual(
          { ...seeded, units: undefined },
          {
            units: undefined,
            currentCommunes: 241,
            currentDistricts: 18,
            closed: 0,
            managerScope: 'Đại Hiệp (20524)',
          },
        );

        const dry = merge('--dry-run');
        assert.equal(dry.code, 0, dry.err);
        assert.match(dry.out, /Xã Đại Lộc \(20500, đơn vị mới\) ← .*Xã Đại Hiệp \(20524\)/);
        assert.match(dry.out, /Sáp nhập 241 đơn vị vào 78 đơn vị \(78 đơn vị mới\) từ ngày 01\/07\/2025\./);
        assert.match(dry.out, /Giải thể 18 đơn vị không còn đơn vị trực thuộc/);
        assert.match(dry.out, /Chạy thử: chưa thay đổi gì/);
        assert.deepEqual(await treeState(database.url), seeded, 'a dry run writes nothing');

        const applied = merge();
        assert.equal(applied.code, 0, applied.err);
        assert.match(applied.out, /Đã áp dụng trong một giao dịch/);
        const merged = await treeState(database.url);
        assert.deepEqual(merged, {
          units: seeded.units + 78,
          currentCommunes: 78,
          currentDistricts: 0,
          closed: 241 + 18,
          managerScope: 'Đại Lộc (20500)',
        });

        const again = merge();
        assert.equal(again.code, 0, again.err);
        assert.match(again.out, /241 dòng đã được áp dụng từ trước/);
        assert.deepEqual(await treeState(database.url), merged);

        const refused = hocvuso(
          ['org', 'apply-merge', MAPPING, '--effective', '2025-08-01', '--tenant', 'quang-nam'],
          env,
        );
        assert.equal(refused.code, 1);
        assert.match(refused.out, /Dòng 3: Không có đơn vị đang hoạt động mang mã 20338\./);
        assert.deepEqual(await treeState(database.url), merged);
      } finally {
        await database.drop();
      }
    });
  });
}
