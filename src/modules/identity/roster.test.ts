import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildAccount, buildTenant, testContext } from '../../../test/support/factories.js';
import type { Db } from '../../db/database.js';
import { xlsxRows } from '../../files/xlsxRows.js';
import type { AppContext } from '../../web/context.js';
import { importRoster } from './rosterImport.js';
import { writeRejectedRows } from './rosterRejected.js';

const HEADER = 'Họ và tên,Số điện thoại,Email,Số CCCD,Khối,Chức vụ,Mã đơn vị';
const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-roster-'));
let files = 0;
const csv = (...lines: string[]) => {
  const file = path.join(dir, `roster-${files++}.csv`);
  writeFileSync(file, `${[HEADER, ...lines].join('\n')}\n`);
  return file;
};

for (const dialect of testDialects()) {
  describe(`roster import [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let t: Awaited<ReturnType<typeof buildTenant>>;
    const accounts = () =>
      db.kysely
        .selectFrom('accounts')
        .selectAll()
        .where('tenantId', '=', t.tenant.id)
        .orderBy('fullName')
        .execute();

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      t = await buildTenant(ctx);
    });
    after(() => db.close());

    it('creates people in their units, and a second import of the same file changes nothing', async () => {
      const file = csv(
        'Nguyễn Văn An,0912 100 001,an@daihiep.gov.vn,049085000123,,Chủ tịch UBND xã,20524',
        'Trần Thị Bình,0912100002,,,Người dân,,20527',
      );
      const first = await importRoster(ctx, t.tenant.id, null, file);
      assert.deepEqual(first.ok && first.counts, { created: 2, updated: 0, unchanged: 0 });
      const an = (await accounts()).find((a) => a.fullName === 'Nguyễn Văn An');
      assert.equal(an?.homeUnitId, t.communeA.id);
      assert.equal(an?.block, 'official');
      assert.equal(an?.position, 'Chủ tịch UBND xã');
      assert.equal(an?.nationalIdLast4, '0123');
      assert.equal(an?.isDemo, 0);
      const binh = (await accounts()).find((a) => a.fullName === 'Trần Thị Bình');
      assert.equal(binh?.homeUnitId, t.communeB.id);
      assert.equal(binh?.block, 'citizen');
      const again = await importRoster(ctx, t.tenant.id, null, file);
      assert.deepEqual(again.ok && again.counts, { created: 0, updated: 0, unchanged: 2 });
      const audited = await db.kysely
        .selectFrom('auditEvents')
        .select(['action', 'details'])
        .where('action', '=', 'people.imported')
        .execute();
      assert.equal(audited.length, 2, 'each import is in the audit log');
      assert.deepEqual(JSON.parse(audited[0]?.details ?? '{}'), { created: 2, updated: 0, unchanged: 0 });
    });

    it('never stores the CCCD number in clear', async () => {
      const rows = await db.kysely.selectFrom('accounts').selectAll().execute();
      assert.doesNotMatch(JSON.stringify(rows), /049085000123/);
    });

    it('links a person who signed up themselves instead of creating a second account', async () => {
      const own = await buildAccount(ctx, t.tenant, t.villageA, {
        fullName: 'Lê Thị Cúc',
        phone: '0912 100 003',
      });
      const before = (await accounts()).length;
      const result = await importRoster(
        ctx,
        t.tenant.id,
        null,
        csv('LE THI CUC,0912100003,,,,Văn thư,20524'),
      );
      assert.deepEqual(result.ok && result.counts, { created: 0, updated: 1, unchanged: 0 });
      const after = await accounts();
      assert.equal(after.length, before);
      const linked = after.find((a) => a.id === own.id);
      assert.equal(linked?.fullName, 'Lê Thị Cúc');
      assert.equal(linked?.homeUnitId, t.communeA.id);
      assert.equal(linked?.position, 'Văn thư');
      // No "Khối" given: the block the person chose is kept.
      assert.equal(linked?.block, 'citizen');
    });

    it('refuses a row whose phone belongs to someone with another name, changing nothing', async () => {
      const stored = JSON.stringify(await accounts());
      const result = await importRoster(
        ctx,
        t.tenant.id,
        null,
        csv('Hồ Văn Mới,0912100010,,,,,20524', 'Phan Văn Khác,0912 100 001,,,,,20527'),
      );
      assert.equal(result.ok, false);
      assert.deepEqual(!result.ok && result.problems.map((p) => p.row), [3]);
      assert.match(!result.ok ? (result.problems[0]?.messages.join(' ') ?? '') : '', /họ tên khác/);
      assert.equal(JSON.stringify(await accounts()), stored);
    });

    it('refuses a phone that matches one account and an email that matches another', async () => {
      const result = await importRoster(
        ctx,
        t.tenant.id,
        null,
        csv('Nguyễn Văn An,0912100002,an@daihiep.gov.vn,,,,20524'),
      );
      assert.equal(result.ok, false);
      assert.match(JSON.stringify(result), /hai tài khoản khác nhau/);
    });

    it('refuses a file with three bad rows whole, lists exactly those rows, and writes them with a "Lỗi" column', async () => {
      const stored = JSON.stringify(await accounts());
      const file = csv(
        'Đỗ Văn Một,0912100020,,,,,20524',
        ',0912100021,,,,,20524',
        'Đỗ Văn Ba,0912100022,,12345,,,99999',
        'Đỗ Văn Bốn,0912100020,,,,,20524',
        'Đỗ Văn Năm,0912100024,,,,,506',
      );
      const result = await importRoster(ctx, t.tenant.id, null, file);
      assert.equal(result.ok, false);
      const problems = result.ok ? [] : result.problems;
      assert.deepEqual(
        problems.map((p) => p.row),
        [3, 4, 5],
      );
      assert.match(problems[1]?.messages.join(' ') ?? '', /CCCD.*12 chữ số.*mã "99999"/s);
      assert.match(problems[2]?.messages.join(' ') ?? '', /trùng với dòng 2/);
      assert.equal(JSON.stringify(await accounts()), stored);

      const out = path.join(dir, 'rejected.xlsx');
      assert.equal(await writeRejectedRows(file, problems, out), true);
      const rows = [];
      for await (const row of xlsxRows(out)) rows.push(row.cells);
      assert.equal(rows[0]?.at(-1), 'Lỗi');
      assert.deepEqual(
        rows.slice(1).map((r) => r[0]),
        ['', 'Đỗ Văn Ba', 'Đỗ Văn Bốn'],
      );
      assert.equal(rows[2]?.[3], '********2345');
    });

    it('reads .xlsx rosters, putting back the leading zeros Excel drops from number cells', async () => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Nhân sự');
      sheet.addRow(HEADER.split(','));
      sheet.addRow([
        'Vũ Thị Số',
        912100030,
        null,
        49085000999,
        'Cán bộ, công chức, viên chức',
        'Kế toán',
        '20527',
      ]);
      const file = path.join(dir, 'roster.xlsx');
      await workbook.xlsx.writeFile(file);
      const result = await importRoster(ctx, t.tenant.id, null, file);
      assert.deepEqual(result.ok && result.counts, { created: 1, updated: 0, unchanged: 0 });
      const person = (await accounts()).find((a) => a.fullName === 'Vũ Thị Số');
      assert.equal(person?.phone, '+84912100030');
      assert.equal(person?.nationalIdLast4, '0999');
    });

    it('lets a unit manager enrol people only in their own subtree', async () => {
      const manager = await ctx.identity.actorOf(
        await buildAccount(ctx, t.tenant, t.communeA, { role: 'unitManager', scope: t.communeA }),
      );
      const outside = await importRoster(
        ctx,
        t.tenant.id,
        manager,
        csv('Mai Văn Trong,0912100040,,,,,20524', 'Mai Văn Ngoai,0912100041,,,,,20527'),
      );
      assert.equal(outside.ok, false);
      assert.deepEqual(!outside.ok && outside.problems.map((p) => p.row), [3]);
      assert.match(JSON.stringify(outside), /ngoài phạm vi bạn quản lý/);
      const inside = await importRoster(ctx, t.tenant.id, manager, csv('Mai Văn Trong,0912100040,,,,,20524'));
      assert.deepEqual(inside.ok && inside.counts, { created: 1, updated: 0, unchanged: 0 });
    });

    it('refuses an unreadable file and a file without the required columns', async () => {
      const broken = path.join(dir, 'broken.xlsx');
      writeFileSync(broken, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 7)]));
      assert.match(JSON.stringify(await importRoster(ctx, t.tenant.id, null, broken)), /Không đọc được tệp/);
      const noUnit = path.join(dir, 'no-unit.csv');
      writeFileSync(noUnit, 'Họ và tên,Email\nAn,an@x.vn\n');
      assert.match(
        JSON.stringify(await importRoster(ctx, t.tenant.id, null, noUnit)),
        /Thiếu cột bắt buộc \\"Mã đơn vị\\"/,
      );
    });
  });
}
