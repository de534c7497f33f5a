import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { xlsxRows } from '../src/files/xlsxRows.js';
import { startTestApp, type TestApp } from './support/app.js';
import { hocvuso } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const ROSTER = new URL('./fixtures/roster/officials.csv', import.meta.url).pathname;
const UNITS = new URL('../resources/vn-admin/quang-nam-2024.csv', import.meta.url).pathname;
const IMPORT = '/to-cong-nghe/nhap';

/** An .xlsx of these rows under the team file's header; phones typed as numbers lose their 0. */
async function teamWorkbook(rows: (string | number)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Tổ');
  sheet.addRow(['Mã đơn vị', 'Tên tổ', 'SĐT tổ trưởng', 'SĐT thành viên', 'Liên hệ']);
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

for (const dialect of testDialects()) {
  describe(`importing community teams from a file [${dialect}]`, () => {
    let t: TestApp;
    let managerA: Browser;
    const phones: Record<'an' | 'binh' | 'cuong' | 'dung', string> = {
      an: '0912 000 101',
      binh: '0912000102',
      cuong: '0912000103',
      dung: '0912000104',
    };

    const upload = (browser: Browser, filename: string, bytes: Buffer) =>
      browser.upload(IMPORT, IMPORT, {}, { field: 'file', filename, bytes });
    const teamCount = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('communityTeams')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );

    before(async () => {
      t = await startTestApp(dialect);
      const { ctx, fixture } = t;
      const { tenant, communeA, villageA } = fixture;
      managerA = await signedIn(t.app, await buildAccount(ctx, tenant, communeA, { role: 'unitManager' }));
      for (const [name, phone] of Object.entries(phones))
        await buildAccount(ctx, tenant, villageA, { fullName: `Người ${name}`, phone });
    });
    after(() => t.close());

    it('refuses learners and evaluators on the import routes', async () => {
      const { tenant, province, villageA } = t.fixture;
      const learner = await signedIn(t.app, await buildAccount(t.ctx, tenant, villageA));
      const evaluator = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'evaluator', scope: null }),
      );
      for (const browser of [learner, evaluator]) {
        assert.equal((await browser.get(IMPORT)).statusCode, 403);
        assert.equal((await browser.get(`${IMPORT}/mau.xlsx`)).statusCode, 403);
        assert.equal((await browser.get(`${IMPORT}/loi/to${'0'.repeat(32)}.xlsx`)).statusCode, 403);
      }
    });

    it('refuses a file with bad rows whole, listing every row, creating nothing', async () => {
      const bytes = await teamWorkbook([
        ['20524', 'Tổ công nghệ số xã Đại Hiệp', 912000101, `${phones.binh}\n${phones.cuong}`],
        ['99999', 'Tổ không có đơn vị', phones.an, ''],
        ['20527', 'Tổ xã bên cạnh', phones.an, ''],
        ['20524', 'Tổ số điện thoại sai', '12345', '0912 000 102, 0123'],
        ['20524', 'Tổ người lạ', '0987 000 999', ''],
        ['20524', 'tổ công nghệ số XÃ ĐẠI HIỆP', phones.dung, ''],
        ['506', 'Tổ của huyện', phones.an, ''],
        ['20524', '', phones.an, ''],
      ]);
      const refused = await upload(managerA, 'to-cns.xlsx', bytes);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Tệp &quot;to-cns.xlsx&quot; có 7 dòng bị lỗi nên chưa tổ nào được tạo\./);
      for (const line of [
        /Dòng 3: Không có đơn vị nào mang mã &quot;99999&quot;/,
        /Dòng 4: Đơn vị &quot;Xã Đại Thạnh&quot; nằm ngoài phạm vi bạn quản lý\./,
        /Dòng 5: Số điện thoại tổ trưởng &quot;12345&quot; không phải số di động Việt Nam hợp lệ\. Số điện thoại thành viên &quot;0123&quot; không phải/,
        /Dòng 6: Tổ trưởng: Chưa có ai dùng số điện thoại 0987 000 999 trên hệ thống/,
        /Dòng 7: Trùng tổ với dòng 2/,
        /Dòng 8: Huyện Đại Lộc không phải thôn, tổ dân phố hay xã, phường/,
        /Dòng 9: Thiếu tên tổ\./,
      ])
        assert.match(refused.body, line);
      assert.doesNotMatch(refused.body, /Dòng 2:/);
      assert.equal(await teamCount(), 0);
      const link = /href="(\/to-cong-nghe\/nhap\/loi\/to[0-9a-f]{32}\.xlsx)"/.exec(refused.body)?.[1];
      assert.ok(link, 'a download of the rejected rows');
      const download = await managerA.get(link);
      assert.equal(download.statusCode, 200);
      const file = path.join(mkdtempSync(path.join(tmpdir(), 'hocvuso-teams-')), 'loi.xlsx');
      writeFileSync(file, download.rawPayload);
      const rows = [];
      for await (const row of xlsxRows(file)) rows.push(row.cells);
      assert.equal(rows.length, 8, 'the header and the seven bad rows');
      assert.equal(rows[0]?.at(-1), 'Lỗi');
      assert.match(String(rows[1]?.at(-1)), /Không có đơn vị nào mang mã/);
    });

    it('refuses a file that is not a team list, and an empty upload', async () => {
      const notSheet = await upload(managerA, 'anh.xlsx', Buffer.from('PK\x03\x04 không phải Excel'));
      assert.equal(notSheet.statusCode, 400);
      assert.match(notSheet.body, /Không đọc được tệp/);
      const wrongHeader = await upload(
        managerA,
        'ds.csv',
        Buffer.from('Họ và tên,Số điện thoại\nA,0912000101\n'),
      );
      assert.equal(wrongHeader.statusCode, 400);
      assert.match(wrongHeader.body, /Thiếu cột bắt buộc &quot;Mã đơn vị&quot;/);
      const empty = await upload(managerA, 'rong.csv', Buffer.alloc(0));
      assert.equal(empty.statusCode, 400);
      assert.match(empty.body, /Hãy chọn tệp danh sách tổ\./);
      assert.equal(await teamCount(), 0);
    });

    it('creates every team of a good file with its leader and members, audited', async () => {
      const csv = [
        'Mã đơn vị;Tên tổ;SĐT tổ trưởng;SĐT thành viên;Liên hệ',
        `20524;Tổ công nghệ số xã Đại Hiệp;${phones.an};"${phones.binh}, ${phones.cuong}";Zalo: CNS Đại Hiệp`,
        `20524;Tổ công nghệ số số 2;912000104;;`,
      ].join('\n');
      const done = await upload(managerA, 'to-cns.csv', Buffer.from(csv));
      assert.equal(done.statusCode, 303);
      assert.match((await managerA.get(String(done.headers.location))).body, /Đã tạo 2 tổ, 4 thành viên\./);
      const teams = await t.db.kysely
        .selectFrom('communityTeams')
        .innerJoin('accounts', 'accounts.id', 'communityTeams.leaderAccountId')
        .select(['communityTeams.name', 'communityTeams.contactNote', 'accounts.fullName'])
        .orderBy('communityTeams.name')
        .execute();
      assert.deepEqual(teams, [
        { name: 'Tổ công nghệ số số 2', contactNote: null, fullName: 'Người dung' },
        { name: 'Tổ công nghệ số xã Đại Hiệp', contactNote: 'Zalo: CNS Đại Hiệp', fullName: 'Người an' },
      ]);
      const audit = await t.db.kysely
        .selectFrom('auditEvents')
        .select('details')
        .where('action', '=', 'community.teams_imported')
        .execute();
      assert.deepEqual(
        audit.map((a) => JSON.parse(a.details)),
        [{ teams: 2, members: 4 }],
      );
      const again = await upload(managerA, 'to-cns.csv', Buffer.from(csv));
      assert.equal(again.statusCode, 400, 'the same teams are not created twice');
      assert.match(again.body, /Dòng 2: Xã Đại Hiệp đã có tổ tên “Tổ công nghệ số xã Đại Hiệp”\./);
    });

    it('places a team in the village named beside its commune code, refusing a village the commune lacks', async () => {
      const file = (village: string, name: string) =>
        Buffer.from(
          [
            'Mã đơn vị,"Thôn, tổ dân phố",Tên tổ,SĐT tổ trưởng,SĐT thành viên',
            `20524,${village},${name},${phones.cuong},`,
            `506,Thôn 1,Tổ của huyện có thôn,${phones.cuong},`,
          ].join('\n'),
        );
      const before = await teamCount();
      const refused = await upload(managerA, 'thon.csv', file('Thôn Hòa Bình', 'Tổ thôn lạ'));
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Dòng 2: Xã Đại Hiệp không có thôn, tổ dân phố &quot;Thôn Hòa Bình&quot;\./);
      assert.match(
        refused.body,
        /Dòng 3: Cột thôn, tổ dân phố đi kèm mã của xã, phường; Huyện Đại Lộc không phải/,
      );
      assert.equal(await teamCount(), before, 'nothing created');
      const placed = await upload(
        managerA,
        'thon.csv',
        Buffer.from(
          [
            'Mã đơn vị,"Thôn, tổ dân phố",Tên tổ,SĐT tổ trưởng,SĐT thành viên',
            `20524,thon phu hoa,Tổ công nghệ số thôn Phú Hòa,${phones.cuong},`,
          ].join('\n'),
        ),
      );
      assert.equal(placed.statusCode, 303);
      const team = await t.db.kysely
        .selectFrom('communityTeams')
        .select('unitId')
        .where('name', '=', 'Tổ công nghệ số thôn Phú Hòa')
        .executeTakeFirstOrThrow();
      assert.equal(team.unitId, t.fixture.villageA.id, 'the team belongs to the village, not the commune');
    });

    it('offers a template whose header the importer reads', async () => {
      const template = await managerA.get(`${IMPORT}/mau.xlsx`);
      assert.equal(template.statusCode, 200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(template.rawPayload as unknown as ArrayBuffer);
      const header: string[] = [];
      book.worksheets[0]?.getRow(1).eachCell((cell) => header.push(String(cell.value)));
      assert.deepEqual(header, [
        'Mã đơn vị',
        'Thôn, tổ dân phố',
        'Tên tổ',
        'SĐT tổ trưởng',
        'SĐT thành viên',
        'Liên hệ',
      ]);
    });
  });

  describe(`hocvuso import teams [${dialect}]`, () => {
    it('refuses a bad file with exit code 1 and creates the teams of a good one', async () => {
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
        assert.equal(hocvuso(['import', 'people', ROSTER, ...tenant], env).code, 0);
        const bad = path.join(dir, 'bad.csv');
        writeFileSync(
          bad,
          'Mã đơn vị,Tên tổ,SĐT tổ trưởng,SĐT thành viên\n20524,Tổ Đại Hiệp,0912000001,0912000002\n99999,Tổ lạ,0912000001,\n',
        );
        const rejected = path.join(dir, 'loi.xlsx');
        const refused = hocvuso(['import', 'teams', bad, ...tenant, '--rejected', rejected], env);
        assert.equal(refused.code, 1, refused.err);
        assert.match(refused.out, /bị từ chối, chưa tổ nào được tạo\. 1 dòng có lỗi:/);
        assert.match(refused.out, /Dòng 3: Không có đơn vị nào mang mã "99999"/);
        assert.match(refused.out, /Đã ghi các dòng bị từ chối/);
        const good = path.join(dir, 'good.csv');
        writeFileSync(
          good,
          'Mã đơn vị,Tên tổ,SĐT tổ trưởng,SĐT thành viên\n20524,Tổ Đại Hiệp,0912000001,"0912000002, 912000004"\n',
        );
        const done = hocvuso(['import', 'teams', good, ...tenant], env);
        assert.equal(done.code, 0, done.err);
        assert.match(done.out, /Đã tạo trong Tỉnh Quảng Nam: 1 tổ, 3 thành viên\./);
      } finally {
        await database.drop();
      }
    });
  });
}
