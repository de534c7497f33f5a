import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Actor } from '../src/access/actor.js';
import { checkinCodeAt } from '../src/modules/classes/checkinCode.js';
import type { SessionRow } from '../src/modules/classes/queries.js';
import { ClassService } from '../src/modules/classes/service.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, freshPhone, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

/** 07:30 on Saturday 5 December 2026 in Vietnam; the sessions start at 08:00 and last 90 minutes. */
const MORNING = new Date('2026-12-05T00:30:00.000Z');
const AFTER_CLASS = new Date('2026-12-05T04:00:00.000Z');

/** The text of a PDF as pdftotext (poppler-utils) reads it, white space folded. */
function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'class-kit-'));
  try {
    const file = path.join(dir, 'kit.pdf');
    writeFileSync(file, pdf);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      .normalize('NFC')
      .replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const dialect of testDialects()) {
  describe(`in-person classes: roster, walk-ins, paper results, kit and reports [${dialect}]`, () => {
    let t: TestApp;
    let clock: Date;
    let instructor: AccountRow;
    let instructorActor: Actor;
    let teacher: Browser;
    let otherManager: Browser;
    let evaluator: Browser;
    let courseId: string;
    let session: SessionRow;
    let registered: AccountRow;
    let scanner: AccountRow;
    const walkInPhone = freshPhone();

    const manage = (suffix = '') => `/quan-tri/lop-hoc/${session.id}${suffix}`;
    const seats = (sessionId = session.id) =>
      t.db.kysely.selectFrom('classAttendees').selectAll().where('sessionId', '=', sessionId).execute();
    const auditOf = (action: string) =>
      t.db.kysely
        .selectFrom('auditEvents')
        .selectAll()
        .where('action', '=', action)
        .orderBy('occurredAt')
        .execute();

    before(async () => {
      t = await startTestApp(dialect);
      clock = new Date(MORNING.getTime() - 24 * 3600 * 1000);
      t.ctx.classes = new ClassService(t.db, t.ctx.org, t.ctx.identity, t.ctx.catalog, t.ctx.audit, {
        now: () => clock,
      });
      const { tenant, province, communeA, communeB, villageA } = t.fixture;
      instructor = await buildAccount(t.ctx, tenant, communeA, {
        role: 'instructor',
        fullName: 'Võ Thị Giảng',
      });
      instructorActor = await t.ctx.identity.actorOf(instructor);
      teacher = await signedIn(t.app, instructor);
      otherManager = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, communeB, { role: 'unitManager' }),
      );
      evaluator = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'evaluator', scope: null }),
      );
      courseId = (await importMiniCourse(t.ctx, tenant)).id;
      session = await t.ctx.classes.createSession(instructorActor, {
        unitId: villageA.id,
        courseId,
        title: 'Dùng Zalo an toàn cho người cao tuổi',
        place: 'Nhà văn hóa thôn Phú Hòa',
        day: '2026-12-05',
        time: '08:00',
        durationMinutes: '90',
        capacity: '6',
      });
      registered = await buildAccount(t.ctx, tenant, villageA, { fullName: 'Trần Thị Đăng Ký' });
      scanner = await buildAccount(t.ctx, tenant, villageA, { fullName: 'Lê Văn Quét Mã' });
      await t.ctx.classes.register(await t.ctx.identity.actorOf(registered), session.id);
      await t.ctx.classes.register(await t.ctx.identity.actorOf(scanner), session.id);
      clock = MORNING;
    });
    after(() => t.close());

    it('refuses a unit manager of another commune the roster, the QR page, the results and the kit, changing nothing', async () => {
      for (const page of ['/diem-danh', '/ma-diem-danh', '/ket-qua', '/bo-tai-lieu.pdf', '/sua', '/huy']) {
        assert.equal((await otherManager.get(manage(page))).statusCode, 403, page);
      }
      const [first] = await seats();
      const token = /name="_csrf" value="([^"]+)"/.exec((await otherManager.get('/lop-hoc')).body)?.[1] ?? '';
      const posts: [string, [string, string][]][] = [
        [
          '/diem-danh',
          [
            ['shown', `${first?.id}:0`],
            ['present', first?.id ?? ''],
          ],
        ],
        [
          '/ket-qua',
          [
            ['maxScore', '10'],
            [`score_${first?.id}`, '9'],
          ],
        ],
        [
          '/khach',
          [
            ['walkInName', 'Kẻ Lạ'],
            ['walkInPhone', ''],
          ],
        ],
        ['/them-nguoi', [['identifier', registered.phone ?? '']]],
        ['/huy', []],
      ];
      for (const [page, fields] of posts) {
        const response = await otherManager.post(manage(page), [...fields, ['_csrf', token]]);
        assert.equal(response.statusCode, 403, page);
      }
      const rows = await seats();
      assert.equal(rows.length, 2);
      assert.ok(rows.every((r) => r.attendedAt === null && r.paperScore === null));
      const stored = await t.db.kysely
        .selectFrom('classSessions')
        .select('status')
        .where('id', '=', session.id)
        .executeTakeFirst();
      assert.equal(stored?.status, 'scheduled');
      // An evaluator reads the session's report, and runs nothing.
      const report = await evaluator.get(manage());
      assert.equal(report.statusCode, 200);
      assert.match(report.body, /Báo cáo buổi học/);
      assert.doesNotMatch(report.body, /Mã QR điểm danh/);
      assert.equal((await evaluator.get(manage('/diem-danh'))).statusCode, 403);
    });

    it('saves the ticks an instructor changed, without unticking someone who scanned while the page was open', async () => {
      const page = await teacher.get(manage('/diem-danh'));
      assert.match(page.body, /Trần Thị Đăng Ký/);
      const rows = await seats();
      const byAccount = (id: string) => rows.find((r) => r.accountId === id)?.id as string;
      // The learner scans after the page was loaded…
      const code = checkinCodeAt(session.checkinSecret, session.id, clock);
      await t.ctx.classes.checkIn(await t.ctx.identity.actorOf(scanner), session.id, code);
      // …and the instructor, from that page, ticks only the registered person.
      const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
      const saved = await teacher.post(manage('/diem-danh'), [
        ['shown', `${byAccount(registered.id)}:0`],
        ['shown', `${byAccount(scanner.id)}:0`],
        ['present', byAccount(registered.id)],
        ['_csrf', token],
      ]);
      assert.equal(saved.statusCode, 303);
      const after = await seats();
      assert.ok(after.find((r) => r.accountId === registered.id)?.attendedAt);
      assert.equal(after.find((r) => r.accountId === registered.id)?.attendanceVia, 'roster');
      assert.equal(after.find((r) => r.accountId === scanner.id)?.attendanceVia, 'qr', 'still present');

      const forged = await teacher.submit(manage('/diem-danh'), manage('/diem-danh'), [
        ['shown', 'khong-co:0'],
        ['present', 'khong-co'],
      ]);
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /Danh sách điểm danh đã thay đổi/);
      const [marked] = await auditOf('class.attendance_marked');
      assert.equal(marked?.actorAccountId, instructor.id);
    });

    it('refuses nonsense paper scores whole, and audits every score that changes', async () => {
      const rows = await seats();
      const first = rows.find((r) => r.accountId === registered.id);
      const second = rows.find((r) => r.accountId === scanner.id);
      assert.ok(first?.attendedAt && second?.attendedAt);
      const results = manage('/ket-qua');
      for (const [fields, message] of [
        [{ maxScore: '10', [`score_${first.id}`]: '11' }, 'Điểm lớn hơn điểm tối đa (10).'],
        [{ maxScore: '10', [`score_${first.id}`]: '-1' }, 'Điểm không được âm.'],
        [{ maxScore: '10', [`score_${first.id}`]: 'tám' }, 'Điểm phải là một số, ví dụ 7 hoặc 7,5.'],
        [{ maxScore: 'mười', [`score_${first.id}`]: '7' }, 'Điểm tối đa là một số lớn hơn 0'],
        [
          { maxScore: '10', passPercent: '150', [`score_${first.id}`]: '7' },
          'Điểm đạt là phần trăm, từ 0 đến 100.',
        ],
      ] as const) {
        const refused = await teacher.submit(results, results, { ...fields, [`score_${second.id}`]: '6' });
        assert.equal(refused.statusCode, 400);
        assert.ok(refused.body.includes(message), `missing "${message}"`);
      }
      const absent = await teacher.submit(results, results, { maxScore: '10', score_khong_co_mat: '5' });
      assert.equal(absent.statusCode, 400);
      assert.ok(
        (await seats()).every((r) => r.paperScore === null),
        'nothing stored',
      );
      assert.equal((await auditOf('class.result_recorded')).length, 0);

      const saved = await teacher.submit(results, results, {
        maxScore: '10',
        passPercent: '60',
        [`score_${first.id}`]: '7,5',
        [`score_${second.id}`]: '5',
      });
      assert.equal(saved.statusCode, 303);
      const stored = await seats();
      const one = stored.find((r) => r.id === first.id);
      const two = stored.find((r) => r.id === second.id);
      assert.deepEqual([one?.paperScore, one?.paperMax, one?.paperPassed], [7.5, 10, 1]);
      assert.deepEqual([two?.paperScore, two?.paperPassed], [5, 0], '5/10 is below a 60% pass mark');

      const changed = await teacher.submit(results, results, {
        maxScore: '10',
        passPercent: '60',
        [`score_${first.id}`]: '7,5',
        [`score_${second.id}`]: '8',
      });
      assert.equal(changed.statusCode, 303);
      const events = await auditOf('class.result_recorded');
      assert.equal(events.length, 3, 'two scores entered, then one changed');
      const last = JSON.parse(events.at(-1)?.details ?? '{}');
      assert.deepEqual([last.score, last.previous], ['8/10 (đạt)', '5/10 (chưa đạt)']);
      const form = await teacher.get(results);
      assert.match(form.body, /value="7,5"/);
      assert.match(form.body, /name="passPercent" type="text" value="60"/);
    });

    it('moves a walk-in’s attendance and result to the account made later, into the learning record', async () => {
      const roster = manage('/diem-danh');
      const noName = await teacher.submit(roster, manage('/khach'), { walkInName: '', walkInPhone: '0123' });
      assert.equal(noName.statusCode, 400);
      assert.match(noName.body, /Hãy nhập họ và tên của khách\./);
      assert.match(noName.body, /Số điện thoại di động không hợp lệ/);
      const recorded = await teacher.submit(roster, manage('/khach'), {
        walkInName: 'Bà Năm Vãng Lai',
        walkInPhone: walkInPhone,
      });
      assert.equal(recorded.statusCode, 303);
      const walkIn = (await seats()).find((r) => r.walkInName === 'Bà Năm Vãng Lai');
      assert.ok(walkIn?.attendedAt);
      assert.equal(walkIn?.accountId, null);
      const results = manage('/ket-qua');
      const scored = await teacher.submit(results, results, { maxScore: '10', [`score_${walkIn.id}`]: '9' });
      assert.equal(scored.statusCode, 303, scored.body);

      // After class she signs up with the phone she gave.
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Nguyễn Thị Năm',
        phone: walkInPhone,
      });
      const page = await teacher.get(roster);
      assert.match(page.body, /Số điện thoại này đã có tài khoản: Nguyễn Thị Năm\./);
      const link = manage(`/khach/${walkIn.id}/lien-ket`);
      const confirm = await teacher.get(link);
      assert.match(confirm.body, /Bà Năm Vãng Lai/);
      const unknown = await teacher.submit(link, link, { identifier: '0999999999' });
      assert.equal(unknown.statusCode, 400);
      const linked = await teacher.submit(link, link, { identifier: walkInPhone });
      assert.equal(linked.statusCode, 303);

      const rows = await seats();
      assert.equal(rows.filter((r) => r.walkInName !== null).length, 0, 'the walk-in row is gone');
      const moved = rows.find((r) => r.accountId === person.id);
      assert.equal(moved?.attendedAt, walkIn.attendedAt);
      assert.deepEqual([moved?.paperScore, moved?.paperMax, moved?.paperPassed], [9, 10, 1]);
      assert.equal((await teacher.get(link)).statusCode, 409, 'linked already');
      const [event] = await auditOf('class.walk_in_linked');
      assert.equal(event?.subjectId, person.id);

      const record = await evaluator.get(`/bao-cao/nguoi/${person.id}`);
      const section = record.body.slice(record.body.indexOf('<section aria-labelledby="lop-hoc">'));
      assert.match(section, /Dùng Zalo an toàn cho người cao tuổi/);
      assert.match(section, /Làm quen với Zalo an toàn/);
      assert.match(section, /Có mặt lúc 07:30 05\/12\/2026/);
      assert.match(section, /9\/10 \(đạt\)/);

      const download = await evaluator.get(`/bao-cao/nguoi/${person.id}/ho-so.xlsx`);
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.load(download.rawPayload as unknown as ArrayBuffer);
      const lines: string[] = [];
      workbook.worksheets[0]?.eachRow((row) => lines.push((row.values as unknown[]).slice(1).join(' | ')));
      assert.ok(lines.includes('Lớp học trực tiếp: có mặt 1 trong 1 buổi'), lines.join('\n'));
      const act = lines.find((line) => line.includes('| Lớp học trực tiếp |'));
      assert.ok(act?.includes('Dùng Zalo an toàn cho người cao tuổi — Nhà văn hóa thôn Phú Hòa'), act);
      assert.ok(act?.includes('Có mặt; bài kiểm tra trên giấy 9/10 (đạt)'), act);
    });

    it('merges a walk-in into the seat the account already holds, keeping its attendance and result', async () => {
      clock = AFTER_CLASS;
      const before = (await seats()).find((r) => r.accountId === registered.id);
      assert.ok(before?.attendedAt && before.paperScore === 7.5);
      const recorded = await teacher.submit(manage('/diem-danh'), manage('/khach'), {
        walkInName: 'Chị Đăng Ký Quên Máy',
        walkInPhone: '',
      });
      assert.equal(recorded.statusCode, 303);
      const walkIn = (await seats()).find((r) => r.walkInName === 'Chị Đăng Ký Quên Máy');
      assert.ok(walkIn);
      const link = manage(`/khach/${walkIn.id}/lien-ket`);
      assert.equal(
        (await teacher.submit(link, link, { identifier: registered.phone ?? '' })).statusCode,
        303,
      );
      const mine = (await seats()).filter((r) => r.accountId === registered.id);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]?.attendedAt, before.attendedAt);
      assert.equal(mine[0]?.paperScore, 7.5);
      assert.equal(
        (await seats()).some((r) => r.id === walkIn.id),
        false,
      );
    });

    it('prints the kit: the attendance sheet with everyone’s name and masked phone, then the course handout', async () => {
      const response = await teacher.get(manage('/bo-tai-lieu.pdf'));
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers['content-type'], 'application/pdf');
      const pdf = response.rawPayload;
      assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
      const text = pdfText(pdf);
      for (const expected of [
        'DANH SÁCH ĐIỂM DANH',
        'Dùng Zalo an toàn cho người cao tuổi',
        'Nhà văn hóa thôn Phú Hòa',
        'Thứ Bảy, 05/12/2026, 08:00–09:30',
        'Võ Thị Giảng',
        'Trần Thị Đăng Ký',
        'Lê Văn Quét Mã',
        'Nguyễn Thị Năm',
        `••• ••• ${(registered.phone ?? '').slice(-3)}`,
        'Ký tên',
        'Mục lục',
        'Làm quen với Zalo an toàn',
      ]) {
        assert.ok(text.includes(expected), `missing "${expected}"`);
      }
      assert.ok(!text.includes((registered.phone ?? '').slice(3)), 'no whole phone number on the sheet');
      // Blank lines up to the capacity of 6 after the 3 people.
      assert.match(text, /\b6 \b/);
    });

    it('reports the session on its page and the figures per unit for the dashboard', async () => {
      const page = await evaluator.get(manage());
      for (const [label, value] of [
        ['Giữ chỗ', '3/6'],
        ['Có mặt', '3'],
        ['Quét mã QR', '1'],
        ['Đạt bài kiểm tra giấy', '3'],
      ] as const) {
        assert.match(page.body, new RegExp(`<dt>${label}</dt><dd>${value.replace('/', '\\/')}</dd>`), label);
      }
      const { province, communeA, communeB } = t.fixture;
      await t.ctx.classes.cancelSession(
        instructorActor,
        (
          await t.ctx.classes.createSession(instructorActor, {
            unitId: communeA.id,
            title: 'Buổi bị hủy',
            place: 'Hội trường xã',
            day: '2026-12-06',
            time: '08:00',
            durationMinutes: '60',
            capacity: '10',
          })
        ).id,
      );
      const figures = await t.ctx.classes.unitSummary(
        t.fixture.tenant.id,
        [province, communeA, communeB].map((u) => ({ id: u.id, path: u.path })),
        { from: '2026-12-01', to: '2026-12-31' },
      );
      const expected = { sessions: 1, attendances: 3, walkIns: 0, paperPassed: 3 };
      assert.deepEqual(figures.get(province.id), expected);
      assert.deepEqual(figures.get(communeA.id), expected);
      assert.deepEqual(figures.get(communeB.id), { sessions: 0, attendances: 0, walkIns: 0, paperPassed: 0 });
      const earlier = await t.ctx.classes.unitSummary(
        t.fixture.tenant.id,
        [{ id: province.id, path: province.path }],
        {
          from: '2026-11-01',
          to: '2026-12-04',
        },
      );
      assert.equal(
        earlier.get(province.id)?.sessions,
        0,
        'a session on the 5th is outside a period ending on the 4th',
      );
    });
  });
}
