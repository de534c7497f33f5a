import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Actor } from '../src/access/actor.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { FileStore } from '../src/files/fileStore.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { NO_FILTERS } from '../src/modules/reports/dashboard/figures.js';
import { MAX_ATTEMPTS, runDueSchedules } from '../src/modules/reports/scheduleRunner.js';
import {
  blockLabel,
  createSchedule,
  EMPTY_FORM,
  recurrenceOf,
  type ScheduleForm,
  type ScheduleRow,
} from '../src/modules/reports/scheduleService.js';
import type { SnapshotStatus } from '../src/modules/reports/scheduleTables.js';
import { lastOccurrence, nextOccurrence } from '../src/modules/reports/scheduleTime.js';
import type { AppContext } from '../src/web/context.js';
import { startTestApp, type TestApp } from './support/app.js';
import { schedulerOnce } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';
import { buildAccount, buildTenant, importMiniCourse, testContext } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const NEW = '/bao-cao/lich/moi';
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

/** A weekly Monday 07:00 report on a unit, as the form posts it. */
const weekly = (unitId: string, name = 'Báo cáo tuần gửi Ban chỉ đạo'): ScheduleForm => ({
  ...EMPTY_FORM,
  ten: name,
  'don-vi': unitId,
  'tan-suat': 'hang-tuan',
  thu: '1',
  gio: '07:00',
});

/** Every row of the first sheet, as the values of its cells (ExcelJS counts from 1: index 0 dropped). */
async function sheetRows(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const sheet = workbook.worksheets[0];
  assert.ok(sheet);
  const rows: unknown[][] = [];
  sheet.eachRow((row) => {
    rows.push((row.values as unknown[]).slice(1));
  });
  return rows;
}

const schedules = async (ctx: AppContext) =>
  ctx.db.kysely.selectFrom('reportSchedules').selectAll().orderBy('createdAt').execute();
const snapshotsOf = async (ctx: AppContext, scheduleId: string) =>
  ctx.db.kysely
    .selectFrom('reportSnapshots')
    .selectAll()
    .where('scheduleId', '=', scheduleId)
    .orderBy('dueAt', 'desc')
    .execute();
const scheduleRow = async (ctx: AppContext, id: string) =>
  ctx.db.kysely.selectFrom('reportSchedules').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** Makes a schedule due: its next run moved into the past. */
const makeDue = async (ctx: AppContext, id: string, at: Date) =>
  ctx.db.kysely
    .updateTable('reportSchedules')
    .set({ nextRunAt: at.toISOString() })
    .where('id', '=', id)
    .execute();

for (const dialect of testDialects()) {
  describe(`scheduled reports [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;
    let evaluatorActor: Actor;
    let evaluator: Browser;
    let admin: Browser;
    let managerA: Browser;
    let managerB: Browser;
    const learners: Actor[] = [];
    /** The evaluator's weekly report on communeA, made through the form. */
    let schedule: ScheduleRow;
    let snapshotPath: string;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, communeA, communeB, villageA } = t.fixture;
      const evaluatorAccount = await buildAccount(t.ctx, tenant, province, {
        role: 'evaluator',
        scope: null,
        block: 'official',
      });
      evaluatorActor = await t.ctx.identity.actorOf(evaluatorAccount);
      evaluator = await signedIn(t.app, evaluatorAccount);
      admin = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'tenantAdmin', scope: null, block: 'official' }),
      );
      managerA = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, communeA, { role: 'unitManager', block: 'official' }),
      );
      managerB = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, communeB, { role: 'unitManager', block: 'official' }),
      );
      course = await importMiniCourse(t.ctx, tenant);
      for (const name of ['Lê Văn Một', 'Trần Thị Hai'])
        learners.push(
          await t.ctx.identity.actorOf(
            await buildAccount(t.ctx, tenant, villageA, { fullName: name, block: 'official' }),
          ),
        );
    });
    after(() => t?.close());

    it('refuses bad schedules with Vietnamese messages, and creates nothing', async () => {
      const form = await evaluator.get(NEW);
      assert.equal(form.statusCode, 200);
      for (const [id, label] of [
        ['ten', 'Tên báo cáo'],
        ['don-vi', 'Đơn vị (gồm cả các đơn vị trực thuộc)'],
        ['mon', 'Khóa học hoặc chương trình'],
        ['khoi', 'Khối'],
        ['thu', 'Ngày trong tuần (khi lập hằng tuần)'],
        ['ngay-trong-thang', 'Ngày trong tháng (khi lập hằng tháng)'],
        ['gio', 'Giờ lập (giờ Việt Nam)'],
      ] as const)
        assert.match(form.body, new RegExp(`<label for="${id}">${label.replace(/[()]/g, '\\$&')}</label>`));
      assert.match(form.body, /<legend>Lập báo cáo<\/legend>/);

      const good = weekly(t.fixture.communeA.id);
      const refused: [Partial<ScheduleForm>, string][] = [
        [{ ten: '   ' }, 'Hãy đặt tên cho báo cáo định kỳ.'],
        [{ ten: 'x'.repeat(121) }, 'Tên báo cáo dài quá 120 ký tự.'],
        [{ gio: '25:00' }, 'Giờ lập phải có dạng giờ:phút, từ 00:00 đến 23:59, ví dụ 07:00.'],
        [{ gio: 'bảy giờ sáng' }, 'Giờ lập phải có dạng giờ:phút'],
        [{ thu: '8' }, 'Hãy chọn một ngày trong tuần, từ Thứ Hai đến Chủ Nhật.'],
        [{ thu: '' }, 'Hãy chọn một ngày trong tuần'],
        [
          { 'tan-suat': 'hang-thang', 'ngay-trong-thang': '32' },
          'Ngày trong tháng phải là một số từ 1 đến 31.',
        ],
        [{ 'tan-suat': 'hang-nam' }, 'Hãy chọn tần suất: hằng ngày, hằng tuần hoặc hằng tháng.'],
        [{ 'don-vi': '' }, 'Hãy chọn đơn vị cần báo cáo.'],
        [{ 'don-vi': 'khong-co-don-vi-nay' }, 'Không tìm thấy đơn vị này'],
        [{ mon: 'khong-co-khoa-hoc-nay' }, 'Khóa học hoặc chương trình đã chọn không có trong danh sách.'],
        [{ khoi: 'robot' }, 'Khối đã chọn không có trong danh sách.'],
      ];
      for (const [change, message] of refused) {
        const response = await evaluator.submit(NEW, NEW, { ...good, ...change });
        assert.equal(response.statusCode, 400, JSON.stringify(change));
        assert.ok(response.body.includes(message), `${JSON.stringify(change)}: ${message}`);
        assert.match(response.body, /Chưa lập được lịch báo cáo, vui lòng kiểm tra lại\./);
      }
      // A weekday or day of month that does not apply to the frequency chosen is not held against it.
      assert.equal(
        (await evaluator.submit(NEW, NEW, { ...good, ten: '', 'ngay-trong-thang': '99' })).body.includes(
          'Ngày trong tháng phải',
        ),
        false,
      );

      // A unit manager schedules only within their commune: the other commune is not offered, and refused.
      const own = await managerA.get(NEW);
      assert.ok(own.body.includes(`value="${t.fixture.communeA.id}"`));
      assert.ok(!own.body.includes(`value="${t.fixture.communeB.id}"`));
      const outside = await managerA.submit(NEW, NEW, weekly(t.fixture.communeB.id));
      assert.equal(outside.statusCode, 400);
      assert.ok(
        outside.body.includes('Đơn vị này nằm ngoài phạm vi bạn được xem báo cáo, nên không lập lịch được.'),
      );

      // A forged post (no token, or another's) is refused before anything is read.
      for (const token of [undefined, 'gia-mao']) {
        const forged = await evaluator.post(NEW, token ? { ...good, _csrf: token } : { ...good });
        assert.equal(forged.statusCode, 403);
        assert.match(forged.body, /Biểu mẫu đã hết hạn hoặc không hợp lệ/);
      }
      assert.deepEqual(await schedules(t.ctx), [], 'nothing was scheduled');
    });

    it('schedules a weekly report for Monday 07:00 in Vietnam', async () => {
      const before = Date.now();
      const response = await evaluator.submit(NEW, NEW, weekly(t.fixture.communeA.id));
      assert.equal(response.statusCode, 303, response.body);
      const location = String(response.headers.location);
      const id = /^\/bao-cao\/lich\/([^?]+)\?da=lap$/.exec(location)?.[1];
      assert.ok(id, location);
      schedule = await scheduleRow(t.ctx, id);
      assert.equal(schedule.frequency, 'weekly');
      assert.equal(schedule.weekday, 1);
      assert.equal(schedule.timeOfDay, '07:00');
      assert.equal(schedule.unitId, t.fixture.communeA.id);
      assert.equal(schedule.createdBy, evaluatorActor.accountId);
      const next = new Date(Date.parse(schedule.nextRunAt) + 7 * 60 * MINUTE);
      assert.equal(next.getUTCDay(), 1, 'a Monday in Vietnam');
      assert.equal(next.toISOString().slice(11, 16), '07:00');
      assert.ok(
        Date.parse(schedule.nextRunAt) > before && Date.parse(schedule.nextRunAt) <= before + 7 * DAY,
      );

      const page = await evaluator.get(location);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Đã lập lịch báo cáo\./);
      assert.match(page.body, /Hằng tuần, Thứ Hai, lúc 07:00/);
      assert.match(page.body, /Chưa lập lần nào\./);
      const list = await evaluator.get('/bao-cao/lich');
      assert.ok(list.body.includes(`href="/bao-cao/lich/${id}">Báo cáo tuần gửi Ban chỉ đạo</a>`));
    });

    it('stores a snapshot whose figures and files never change, while the live dashboard does', async () => {
      const [first, second] = course.lessons;
      assert.ok(first && second);
      await t.ctx.learning.finishReading(learners[0] as Actor, first.id);
      await makeDue(t.ctx, schedule.id, new Date(Date.now() - 21 * DAY));
      const due = lastOccurrence(recurrenceOf(schedule), new Date());
      assert.deepEqual(await runDueSchedules(t.ctx), { done: 1, retrying: 0, failed: 0 });

      const [snapshot, ...more] = await snapshotsOf(t.ctx, schedule.id);
      assert.ok(snapshot);
      assert.equal(more.length, 0, 'three missed weeks make one catch-up run');
      assert.equal(snapshot.status, 'done' satisfies SnapshotStatus);
      assert.equal(snapshot.dueAt, due.toISOString(), 'for the latest occurrence');
      assert.ok(snapshot.xlsxFile?.endsWith('.xlsx') && snapshot.pdfFile?.endsWith('.pdf'));
      const stored = JSON.parse(snapshot.figures ?? 'null');
      assert.equal(stored.unit.id, t.fixture.communeA.id);
      assert.equal(stored.figures.started, 1);
      assert.equal(
        (await scheduleRow(t.ctx, schedule.id)).nextRunAt,
        nextOccurrence(recurrenceOf(schedule), new Date(snapshot.claimedAt)).toISOString(),
      );

      const schedulePage = await evaluator.get(`/bao-cao/lich/${schedule.id}`);
      snapshotPath = `/bao-cao/lich/${schedule.id}/ban-chup/${snapshot.id}`;
      assert.ok(schedulePage.body.includes(`href="${snapshotPath}/bao-cao.xlsx"`));
      assert.ok(schedulePage.body.includes(`href="${snapshotPath}/tom-tat.pdf"`));
      assert.match(schedulePage.body, /Các lần lập \(1\)/);

      const xlsx = await evaluator.get(`${snapshotPath}/bao-cao.xlsx`);
      assert.equal(xlsx.statusCode, 200);
      assert.equal(
        xlsx.headers['content-type'],
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      assert.match(
        String(xlsx.headers['content-disposition']),
        /^attachment; filename="bao-cao-dinh-ky-.*\.xlsx"$/,
      );
      const rows = await sheetRows(xlsx.rawPayload);
      assert.equal(rows[0]?.[0], 'Báo cáo tuần gửi Ban chỉ đạo: Xã Đại Hiệp');
      assert.match(
        String(rows[1]?.[0]),
        /^Lọc: Mọi khóa học và chương trình; khối: mọi khối; số liệu tính đến ngày/,
      );
      assert.match(String(rows[2]?.[0]), /^Báo cáo định kỳ, kỳ 07:00 \d\d\/\d\d\/\d{4}; tạo lúc /);
      assert.deepEqual(rows[3]?.slice(0, 5), [
        'Phần',
        'Tên',
        'Người trong danh sách',
        'Được giao',
        'Đã bắt đầu',
      ]);
      const total = rows.find((r) => r[0] === 'Toàn đơn vị');
      assert.deepEqual(total?.slice(0, 5), [
        'Toàn đơn vị',
        'Xã Đại Hiệp',
        stored.figures.people,
        stored.figures.assigned,
        1,
      ]);
      assert.deepEqual(
        rows.filter((r) => r[0] === 'Theo khối').map((r) => r[1]),
        stored.byBlock.map((b: { block: string }) => blockLabel(b.block)),
      );
      const official = rows.find((r) => r[0] === 'Theo khối' && r[1] === 'Cán bộ, công chức, viên chức');
      assert.equal(official?.[4], 1, 'the learner started, as an official');
      const village = rows.find((r) => r[0] === 'Đơn vị trực thuộc');
      assert.deepEqual(village?.slice(0, 2), ['Đơn vị trực thuộc', 'Phú Hòa']);
      assert.equal(village?.[4], 1);

      const pdf = await evaluator.get(`${snapshotPath}/tom-tat.pdf`);
      assert.equal(pdf.statusCode, 200);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');

      const view = await evaluator.get(snapshotPath);
      assert.equal(view.statusCode, 200);
      assert.match(view.body, /không thay đổi\s+về sau/);
      const figuresOf = (html: string) =>
        html.slice(html.indexOf('<h2>Số liệu chính</h2>'), html.indexOf('</main>'));

      // More learning: the live dashboard moves on, the snapshot does not.
      for (const learner of learners) await t.ctx.learning.finishReading(learner, second.id);
      const live = await t.ctx.dashboards.dashboard(t.fixture.tenant.id, t.fixture.communeA.id, NO_FILTERS);
      assert.equal(live?.figures.started, 2, 'the live dashboard counts the new learner');
      const [again] = await snapshotsOf(t.ctx, schedule.id);
      assert.equal(again?.figures, snapshot.figures, 'the stored figures are the same JSON');
      const xlsxAgain = await evaluator.get(`${snapshotPath}/bao-cao.xlsx`);
      assert.equal(Buffer.compare(xlsxAgain.rawPayload, xlsx.rawPayload), 0, 'the same .xlsx, byte for byte');
      assert.equal(figuresOf((await evaluator.get(snapshotPath)).body), figuresOf(view.body));

      // Nothing is due again until next Monday.
      assert.deepEqual(await runDueSchedules(t.ctx), { done: 0, retrying: 0, failed: 0 });
      assert.equal((await snapshotsOf(t.ctx, schedule.id)).length, 1);
    });

    it("keeps a schedule and its snapshots to its unit's report readers", async () => {
      const base = `/bao-cao/lich/${schedule.id}`;
      for (const url of [base, snapshotPath, `${snapshotPath}/bao-cao.xlsx`, `${snapshotPath}/tom-tat.pdf`]) {
        assert.equal((await managerB.get(url)).statusCode, 403, `another commune's manager: ${url}`);
        assert.equal((await managerA.get(url)).statusCode, 200, `the commune's manager: ${url}`);
        assert.equal((await admin.get(url)).statusCode, 200, `a tenant admin: ${url}`);
      }
      const list = await managerB.get('/bao-cao/lich');
      assert.equal(list.statusCode, 200);
      assert.ok(!list.body.includes('Báo cáo tuần gửi Ban chỉ đạo'));
      assert.ok((await managerA.get('/bao-cao/lich')).body.includes('Báo cáo tuần gửi Ban chỉ đạo'));
      assert.equal(
        (await managerB.get(`/bao-cao/lich/khong-co/ban-chup/${snapshotPath.split('/').pop()}`)).statusCode,
        404,
      );
    });

    it('is paused, resumed and removed by its creator or a tenant admin only; removal keeps the snapshots', async () => {
      const base = `/bao-cao/lich/${schedule.id}`;
      // The commune's manager reads it but did not make it: no buttons, and refused.
      const seen = await managerA.get(base);
      assert.ok(!seen.body.includes(`${base}/tam-dung`));
      assert.equal(
        (await managerA.submit(base, `${base}/tam-dung`, { 'trang-thai': 'tam-dung' })).statusCode,
        403,
      );
      assert.equal((await managerA.get(`${base}/xoa`)).statusCode, 403);
      assert.equal((await managerA.submit(base, `${base}/xoa`, { 'xac-nhan': 'co' })).statusCode, 403);
      assert.equal((await scheduleRow(t.ctx, schedule.id)).pausedAt, null);

      // A tenant admin pauses it: nothing runs while paused, even when due.
      const paused = await admin.submit(base, `${base}/tam-dung`, { 'trang-thai': 'tam-dung' });
      assert.equal(paused.statusCode, 303);
      assert.equal(paused.headers.location, `${base}?da=tam-dung`);
      assert.ok((await scheduleRow(t.ctx, schedule.id)).pausedAt);
      await makeDue(t.ctx, schedule.id, new Date(Date.now() - DAY));
      assert.deepEqual(await runDueSchedules(t.ctx), { done: 0, retrying: 0, failed: 0 });
      assert.match((await evaluator.get(base)).body, /Cho chạy tiếp/);
      // Its creator resumes it: from the next occurrence, without making up the paused one.
      assert.equal(
        (await evaluator.submit(base, `${base}/tam-dung`, { 'trang-thai': 'tiep-tuc' })).statusCode,
        303,
      );
      const resumed = await scheduleRow(t.ctx, schedule.id);
      assert.equal(resumed.pausedAt, null);
      assert.ok(Date.parse(resumed.nextRunAt) > Date.now());
      assert.equal(
        (await evaluator.submit(base, `${base}/tam-dung`, { 'trang-thai': 'khac' })).statusCode,
        400,
      );

      // Removing asks first, says what happens to the snapshots, and needs the confirmation.
      const confirm = await evaluator.get(`${base}/xoa`);
      assert.equal(confirm.statusCode, 200);
      assert.match(
        confirm.body,
        /1 lần lập đã có vẫn được giữ nguyên, xem và tải về được tại trang của lịch/,
      );
      assert.equal((await evaluator.submit(base, `${base}/xoa`, {})).statusCode, 400);
      assert.equal((await scheduleRow(t.ctx, schedule.id)).removedAt, null);
      const removed = await evaluator.submit(`${base}/xoa`, `${base}/xoa`, { 'xac-nhan': 'co' });
      assert.equal(removed.statusCode, 303);
      const row = await scheduleRow(t.ctx, schedule.id);
      assert.ok(row.removedAt);
      assert.equal(row.removedBy, evaluatorActor.accountId);
      await makeDue(t.ctx, schedule.id, new Date(Date.now() - DAY));
      assert.deepEqual(await runDueSchedules(t.ctx), { done: 0, retrying: 0, failed: 0 });
      const page = await evaluator.get(`${base}?da=xoa`);
      assert.match(page.body, /Các bản chụp đã lập vẫn được giữ dưới đây\./);
      assert.ok(!page.body.includes(`${base}/tam-dung`));
      assert.equal((await evaluator.get(`${snapshotPath}/bao-cao.xlsx`)).statusCode, 200);
      assert.match((await evaluator.get('/bao-cao/lich')).body, /<h2>Lịch đã xóa<\/h2>/);
      assert.equal(
        (await admin.submit(base, `${base}/tam-dung`, { 'trang-thai': 'tiep-tuc' })).statusCode,
        409,
      );

      // A unit manager schedules on their own commune, and manages what they made.
      const made = await managerA.submit(NEW, NEW, {
        ...weekly(t.fixture.villageA.id, 'Báo cáo ngày của thôn'),
        'tan-suat': 'hang-ngay',
        gio: '17:30',
      });
      assert.equal(made.statusCode, 303, made.body);
      const own = String(made.headers.location).split('?')[0] as string;
      assert.equal(
        (await managerA.submit(own, `${own}/tam-dung`, { 'trang-thai': 'tam-dung' })).statusCode,
        303,
      );
      assert.equal((await managerB.get(own)).statusCode, 403);
    });

    it('runs an occurrence once under racing runners, takes over a dead run, and gives up on a failing one', async () => {
      const now = new Date();
      const make = async (name: string, form: Partial<ScheduleForm> = {}) =>
        createSchedule(t.ctx, evaluatorActor, t.fixture.tenant.id, {
          ...weekly(t.fixture.communeA.id, name),
          'tan-suat': 'hang-ngay',
          gio: '06:30',
          ...form,
        });
      // A daily report down for a week: one run, for today's (or yesterday's) 06:30.
      const daily = await make('Báo cáo ngày');
      const rule = recurrenceOf(daily);
      await makeDue(t.ctx, daily.id, new Date(lastOccurrence(rule, now).getTime() - 7 * DAY));
      const races = await Promise.all([1, 2, 3].map(() => runDueSchedules(t.ctx, now)));
      assert.equal(
        races.reduce((n, r) => n + r.done, 0),
        1,
        JSON.stringify(races),
      );
      const runs = await snapshotsOf(t.ctx, daily.id);
      assert.deepEqual(
        runs.map((r) => [r.dueAt, r.status, r.attempts]),
        [[lastOccurrence(rule, now).toISOString(), 'done', 1]],
      );
      assert.equal((await scheduleRow(t.ctx, daily.id)).nextRunAt, nextOccurrence(rule, now).toISOString());

      // Runs claimed by processes that stopped: one whose lease passed is taken over and finished;
      // one still held is left alone; one that has had its attempts is given up, with a reason.
      const claim = async (id: string, fields: { lockedUntil: Date; attempts: number }) => {
        await t.db.kysely
          .insertInto('reportSnapshots')
          .values({
            id: `ban-chup-${id}`,
            tenantId: t.fixture.tenant.id,
            scheduleId: id,
            dueAt: new Date(now.getTime() - DAY).toISOString(),
            status: 'running',
            attempts: fields.attempts,
            lockedBy: 'may-da-tat:1',
            lockedUntil: fields.lockedUntil.toISOString(),
            claimedAt: new Date(now.getTime() - 30 * MINUTE).toISOString(),
            finishedAt: null,
            figures: null,
            xlsxFile: null,
            pdfFile: null,
            error: null,
          })
          .execute();
        return `ban-chup-${id}`;
      };
      const dead = await claim((await make('Chạy dở')).id, {
        lockedUntil: new Date(now.getTime() - MINUTE),
        attempts: 1,
      });
      const held = await claim((await make('Đang chạy')).id, {
        lockedUntil: new Date(now.getTime() + MINUTE),
        attempts: 1,
      });
      const spent = await claim((await make('Hỏng mãi')).id, {
        lockedUntil: new Date(now.getTime() - MINUTE),
        attempts: MAX_ATTEMPTS,
      });
      // A run whose subject is gone fails for good at once.
      const orphan = await make('Mất khóa học');
      await t.db.kysely
        .updateTable('reportSchedules')
        .set({ subject: 'khoa-hoc-da-xoa' })
        .where('id', '=', orphan.id)
        .execute();
      await makeDue(t.ctx, orphan.id, new Date(now.getTime() - MINUTE));

      assert.deepEqual(await runDueSchedules(t.ctx, now), { done: 1, retrying: 0, failed: 2 });
      const byId = async (id: string) =>
        t.db.kysely.selectFrom('reportSnapshots').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      const taken = await byId(dead);
      assert.deepEqual([taken.status, taken.attempts, taken.lockedBy], ['done', 2, null]);
      assert.ok(taken.figures && taken.xlsxFile);
      const stillHeld = await byId(held);
      assert.deepEqual(
        [stillHeld.status, stillHeld.lockedBy, stillHeld.figures],
        ['running', 'may-da-tat:1', null],
      );
      const givenUp = await byId(spent);
      assert.deepEqual(
        [givenUp.status, givenUp.error],
        ['failed', 'Đã thử nhiều lần mà không lập được báo cáo.'],
      );
      const [lost] = await snapshotsOf(t.ctx, orphan.id);
      assert.equal(lost?.status, 'failed');
      assert.match(lost?.error ?? '', /không còn/);
      const page = await evaluator.get(`/bao-cao/lich/${orphan.id}`);
      assert.match(page.body, /Lỗi: Không lập được báo cáo/);
    });
  });

  const processes = dialect === 'postgres' ? 2 : 1;
  describe(`scheduled reports from scheduler processes [${dialect}]`, () => {
    it(`stores one snapshot per due time, with its files, with ${processes} scheduler process(es) at once`, async () => {
      const database = await freshDatabaseUrl(dialect);
      const db = openDatabase(database.url);
      try {
        await migrateToLatest(db);
        const ctx = testContext(db);
        const fixture = await buildTenant(ctx);
        const evaluator = await ctx.identity.actorOf(
          await buildAccount(ctx, fixture.tenant, fixture.province, { role: 'evaluator', scope: null }),
        );
        const schedule = await createSchedule(ctx, evaluator, fixture.tenant.id, weekly(fixture.communeA.id));
        const rule = recurrenceOf(schedule);
        await makeDue(ctx, schedule.id, new Date(Date.parse(schedule.nextRunAt) - 3 * 7 * DAY));
        const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-'));
        const env = {
          DATABASE_URL: database.url,
          HOCVUSO_DATA_DIR: dataDir,
          HOCVUSO_SECRET: randomBytes(32).toString('hex'),
        };
        // SQLite serves one process; PostgreSQL is where several run side by side.
        const runs = await Promise.all(Array.from({ length: processes }, () => schedulerOnce(env)));
        for (const run of runs) assert.equal(run.code, 0, run.out);
        const ran = runs.filter((run) =>
          /^report-schedules: 1 bản chụp báo cáo định kỳ mới; 0 chờ thử lại; 0 lỗi\.$/m.test(run.out),
        );
        assert.equal(ran.length, 1, runs.map((r) => r.out).join('\n---\n'));

        const snapshots = await snapshotsOf(ctx, schedule.id);
        assert.deepEqual(
          snapshots.map((s) => [s.dueAt, s.status]),
          [[lastOccurrence(rule, new Date()).toISOString(), 'done']],
        );
        const files = new FileStore(path.join(dataDir, 'files'));
        const [snapshot] = snapshots;
        const xlsx = files.get(snapshot?.xlsxFile ?? '');
        assert.ok(xlsx, 'the .xlsx is stored');
        assert.equal((await sheetRows(xlsx))[0]?.[0], 'Báo cáo tuần gửi Ban chỉ đạo: Xã Đại Hiệp');
        assert.equal(
          files
            .get(snapshot?.pdfFile ?? '')
            ?.subarray(0, 5)
            .toString(),
          '%PDF-',
        );

        // Run again (the next tick, or another process): nothing new.
        await db.kysely
          .updateTable('scheduledJobs')
          .set({ runAfter: new Date(0).toISOString() })
          .execute();
        const again = await schedulerOnce(env);
        assert.equal(again.code, 0, again.out);
        assert.match(again.out, /^report-schedules: 0 bản chụp báo cáo định kỳ mới/m);
        assert.equal((await snapshotsOf(ctx, schedule.id)).length, 1);
      } finally {
        await db.close();
        await database.drop();
      }
    });
  });
}
