import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../src/access/actor.js';
import { checkinCodeAt } from '../src/modules/classes/checkinCode.js';
import { ClassService } from '../src/modules/classes/service.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse, TEST_PASSWORD } from './support/factories.js';
import { Browser, signedIn } from './support/http.js';

/** 07:30 on Saturday 5 December 2026 in Vietnam; sessions of the tests start at 08:00. */
const MORNING = new Date('2026-12-05T00:30:00.000Z');
const SECOND = 1000;

for (const dialect of testDialects()) {
  describe(`in-person classes: scheduling, registration and QR check-in [${dialect}]`, () => {
    let t: TestApp;
    let clock: Date;
    let instructor: AccountRow;
    let instructorActor: Actor;
    let teacher: Browser;
    let courseId: string;

    /** A learner of villageA with their signed-in browser. */
    const learner = async (fullName: string, block: 'citizen' | 'official' = 'citizen') => {
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { fullName, block });
      return { account, browser: await signedIn(t.app, account) };
    };

    /** A session at villageA today at 08:00 (Vietnam), scheduled through the service. */
    const schedule = (fields: { title: string; capacity?: number; audienceBlock?: string }) =>
      t.ctx.classes.createSession(instructorActor, {
        unitId: t.fixture.villageA.id,
        courseId,
        title: fields.title,
        place: 'Nhà văn hóa thôn Phú Hòa',
        day: '2026-12-05',
        time: '08:00',
        durationMinutes: '90',
        capacity: String(fields.capacity ?? 30),
        audienceBlock: fields.audienceBlock ?? '',
      });

    /** The check-in address the instructor's QR page shows now, as a path. */
    const qrLink = async (sessionId: string) => {
      const page = await teacher.get(`/quan-tri/lop-hoc/${sessionId}/ma-diem-danh`);
      assert.equal(page.statusCode, 200);
      const url = /(https?:\/\/[^<"\s]+\/diem-danh\?ma=[0-9a-z]+)/.exec(page.body)?.[1];
      assert.ok(url, 'the QR page shows the check-in address');
      const { pathname, search } = new URL(url);
      return `${pathname}${search}`;
    };

    const seats = (sessionId: string) =>
      t.db.kysely.selectFrom('classAttendees').selectAll().where('sessionId', '=', sessionId).execute();

    before(async () => {
      t = await startTestApp(dialect);
      clock = MORNING;
      t.ctx.classes = new ClassService(t.db, t.ctx.org, t.ctx.identity, t.ctx.catalog, t.ctx.audit, {
        now: () => clock,
      });
      const { tenant, communeA } = t.fixture;
      instructor = await buildAccount(t.ctx, tenant, communeA, {
        role: 'instructor',
        fullName: 'Võ Thị Giảng',
      });
      instructorActor = await t.ctx.identity.actorOf(instructor);
      teacher = await signedIn(t.app, instructor);
      courseId = (await importMiniCourse(t.ctx, tenant)).id;
    });
    after(() => t.close());

    it('lets an instructor schedule a session at a village of their commune, refusing nonsense in place', async () => {
      const form = await teacher.get('/quan-tri/lop-hoc/moi');
      assert.equal(form.statusCode, 200);
      assert.match(form.body, /Thôn Phú Hòa/);
      assert.doesNotMatch(
        form.body,
        /Thôn Thạnh Mỹ/,
        'only units the instructor may schedule at are offered',
      );

      const refused = await teacher.submit('/quan-tri/lop-hoc/moi', '/quan-tri/lop-hoc/moi', {
        unitId: t.fixture.villageA.id,
        place: '',
        day: '31/02/2026',
        time: '25:00',
        durationMinutes: '90',
        capacity: '0',
      });
      assert.equal(refused.statusCode, 400);
      for (const message of [
        'Hãy nhập tên buổi học, hoặc chọn một khóa học để dùng tên khóa.',
        'Hãy nhập địa điểm',
        'Hãy nhập ngày học, ví dụ 05/12/2026.',
        'Hãy nhập giờ bắt đầu, ví dụ 08:30.',
        'Số chỗ là một số nguyên từ 1 đến 1000.',
      ]) {
        assert.ok(refused.body.includes(message), `missing "${message}"`);
      }
      assert.equal((await t.db.kysely.selectFrom('classSessions').selectAll().execute()).length, 0);

      const created = await teacher.submit('/quan-tri/lop-hoc/moi', '/quan-tri/lop-hoc/moi', {
        unitId: t.fixture.villageA.id,
        courseId,
        title: '',
        place: 'Nhà văn hóa thôn Phú Hòa',
        day: '05/12/2026',
        time: '8h30',
        durationMinutes: '90',
        capacity: '25',
      });
      assert.equal(created.statusCode, 303);
      const page = await teacher.get(String(created.headers.location));
      assert.match(page.body, /Đã lên lịch buổi học/);
      assert.match(page.body, /Làm quen với Zalo an toàn/, 'the title defaults to the course’s');
      assert.match(page.body, /Thứ Bảy, 05\/12\/2026, 08:30–10:00/);
      assert.match(page.body, /Võ Thị Giảng/);

      const { browser } = await learner('Đặng Văn Gần');
      const list = await browser.get('/lop-hoc');
      assert.match(list.body, /Làm quen với Zalo an toàn/, 'a learner of the village sees it');
      const far = await signedIn(
        t.app,
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB, { fullName: 'Ở Xã Khác' }),
      );
      assert.doesNotMatch((await far.get('/lop-hoc')).body, /Làm quen với Zalo an toàn/);
    });

    it('checks a learner in with the live QR code, once however often they scan', async () => {
      const session = await schedule({ title: 'Buổi QR' });
      const { account, browser } = await learner('Trần Thị Lan');
      const link = await qrLink(session.id);

      const confirm = await browser.get(link);
      assert.equal(confirm.statusCode, 200);
      assert.match(confirm.body, /Xác nhận có mặt/);
      assert.equal((await seats(session.id)).length, 0, 'opening the link alone changes nothing');
      const done = await browser.submit(link, `/lop-hoc/${session.id}/diem-danh`, {
        ma: new URL(link, 'http://x').searchParams.get('ma') ?? '',
      });
      assert.equal(done.statusCode, 303);
      const shown = await browser.get(String(done.headers.location));
      assert.match(shown.body, /Đã ghi nhận bạn có mặt/);
      assert.match(shown.body, /Bạn đã điểm danh lúc 07:30 05\/12\/2026/);

      clock = new Date(MORNING.getTime() + 10 * SECOND);
      const again = await browser.get(await qrLink(session.id));
      assert.match(again.body, /Bạn đã điểm danh lúc 07:30 05\/12\/2026/);
      const code = checkinCodeAt(session.checkinSecret, session.id, clock);
      const twice = await browser.submit(link, `/lop-hoc/${session.id}/diem-danh`, { ma: code });
      assert.equal(twice.statusCode, 303);
      assert.match(String(twice.headers.location), /xong=da-diem-danh/);
      const rows = await seats(session.id);
      assert.equal(rows.length, 1);
      assert.equal(rows[0]?.accountId, account.id);
      assert.equal(rows[0]?.attendedAt, MORNING.toISOString(), 'the first check-in counts');
      assert.equal(rows[0]?.attendanceVia, 'qr');
      clock = MORNING;
    });

    it('accepts a code in the next window but refuses it a minute later, and refuses a forged one, storing nothing', async () => {
      const session = await schedule({ title: 'Buổi mã hết hạn' });
      const { browser } = await learner('Lê Văn Chụp');
      const link = await qrLink(session.id);
      const code = new URL(link, 'http://x').searchParams.get('ma') ?? '';

      clock = new Date(MORNING.getTime() + 65 * SECOND);
      const expired = await browser.get(link);
      assert.equal(expired.statusCode, 400);
      assert.match(expired.body, /Mã điểm danh đã hết hạn, hãy quét mã mới trên màn hình của giảng viên/);
      assert.doesNotMatch(expired.body, /Tôi có mặt/);
      const posted = await browser.submit(`/lop-hoc/${session.id}`, `/lop-hoc/${session.id}/diem-danh`, {
        ma: code,
      });
      assert.equal(posted.statusCode, 400);
      assert.match(posted.body, /Mã điểm danh đã hết hạn/);

      const forged = await browser.submit(`/lop-hoc/${session.id}`, `/lop-hoc/${session.id}/diem-danh`, {
        ma: 'abcdefghjk',
      });
      assert.equal(forged.statusCode, 400);
      assert.match(forged.body, /Mã điểm danh không đúng/);
      assert.equal((await seats(session.id)).length, 0);

      // A code read at the very end of its window still works in the next one.
      clock = new Date(Math.ceil(MORNING.getTime() / 30_000) * 30_000 - SECOND);
      const late = checkinCodeAt(session.checkinSecret, session.id, clock);
      clock = new Date(clock.getTime() + 20 * SECOND);
      const accepted = await browser.submit(`/lop-hoc/${session.id}`, `/lop-hoc/${session.id}/diem-danh`, {
        ma: late,
      });
      assert.equal(accepted.statusCode, 303);
      assert.equal((await seats(session.id)).length, 1);
      clock = MORNING;
    });

    it('refuses a check-in into a full class, but lets in the one who holds the seat', async () => {
      const session = await schedule({ title: 'Buổi một chỗ', capacity: 1 });
      const holder = await learner('Người Giữ Chỗ');
      const late = await learner('Người Đến Sau');
      clock = new Date(MORNING.getTime() - 3600 * SECOND);
      const registered = await holder.browser.submit(
        `/lop-hoc/${session.id}`,
        `/lop-hoc/${session.id}/dang-ky`,
        {},
      );
      assert.equal(registered.statusCode, 303);
      const closed = await late.browser.get(`/lop-hoc/${session.id}`);
      assert.match(closed.body, /Lớp đã đủ chỗ\./);
      assert.doesNotMatch(closed.body, /Đăng ký tham gia<\/button>/);
      const refusedRegistration = await late.browser.submit(
        `/lop-hoc/${session.id}`,
        `/lop-hoc/${session.id}/dang-ky`,
        {},
      );
      assert.equal(refusedRegistration.statusCode, 409);

      clock = MORNING;
      const link = await qrLink(session.id);
      const code = new URL(link, 'http://x').searchParams.get('ma') ?? '';
      const full = await late.browser.submit(link, `/lop-hoc/${session.id}/diem-danh`, { ma: code });
      assert.equal(full.statusCode, 409);
      assert.match(full.body, /Lớp đã đủ chỗ\./);
      const inside = await holder.browser.submit(link, `/lop-hoc/${session.id}/diem-danh`, { ma: code });
      assert.equal(inside.statusCode, 303);
      const rows = await seats(session.id);
      assert.deepEqual(
        rows.map((r) => [r.accountId, r.attendedAt !== null]),
        [[holder.account.id, true]],
      );
    });

    it('never seats more people than the capacity, however many scan at the same moment', async () => {
      const session = await schedule({ title: 'Buổi đông người', capacity: 2 });
      const people = await Promise.all(
        ['Một', 'Hai', 'Ba', 'Bốn', 'Năm'].map(async (name) =>
          t.ctx.identity.actorOf(
            await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { fullName: `Người ${name}` }),
          ),
        ),
      );
      const code = checkinCodeAt(session.checkinSecret, session.id, clock);
      const outcomes = await Promise.allSettled(
        people.map((p) => t.ctx.classes.checkIn(p, session.id, code)),
      );
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 2);
      for (const refused of outcomes.filter((o) => o.status === 'rejected')) {
        assert.match(String((refused as PromiseRejectedResult).reason.message), /Lớp đã đủ chỗ/);
      }
      assert.equal((await seats(session.id)).length, 2);
    });

    it('sends a learner who is not signed in to sign in, and back to the check-in page', async () => {
      const session = await schedule({ title: 'Buổi chưa đăng nhập' });
      const { account } = await learner('Phạm Thị Quên');
      const link = await qrLink(session.id);
      const stranger = new Browser(t.app);
      const first = await stranger.get(link);
      assert.equal(first.statusCode, 303);
      const signIn = String(first.headers.location);
      assert.equal(signIn, `/dang-nhap?next=${encodeURIComponent(link)}`);
      const login = await stranger.submit(signIn, '/dang-nhap', {
        identifier: account.phone ?? '',
        password: TEST_PASSWORD,
        next: link,
      });
      assert.equal(login.statusCode, 303);
      assert.equal(login.headers.location, link);
      assert.match((await stranger.get(link)).body, /Tôi có mặt/);
    });

    it('limits online registration to the session’s block; the instructor still adds anyone at the door', async () => {
      clock = new Date(MORNING.getTime() - 24 * 3600 * SECOND);
      const session = await schedule({ title: 'Buổi cho cán bộ', audienceBlock: 'official' });
      const citizen = await learner('Bà Con Nông Dân', 'citizen');
      const official = await learner('Cán Bộ Xã', 'official');
      const page = `/lop-hoc/${session.id}`;
      assert.match(
        (await citizen.browser.get(page)).body,
        /dành cho đối tượng “Cán bộ, công chức, viên chức”/,
      );
      const refused = await citizen.browser.submit(page, `${page}/dang-ky`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(
        refused.body,
        /dành cho đối tượng “Cán bộ, công chức, viên chức”, nên bạn không đăng ký trực tuyến được/,
      );
      assert.equal((await official.browser.submit(page, `${page}/dang-ky`, {})).statusCode, 303);
      assert.deepEqual(
        (await seats(session.id)).map((r) => r.accountId),
        [official.account.id],
      );

      clock = MORNING;
      const roster = `/quan-tri/lop-hoc/${session.id}/diem-danh`;
      const added = await teacher.submit(roster, `/quan-tri/lop-hoc/${session.id}/them-nguoi`, {
        identifier: citizen.account.phone ?? '',
      });
      assert.equal(added.statusCode, 303);
      const rows = await seats(session.id);
      const door = rows.find((r) => r.accountId === citizen.account.id);
      assert.ok(door?.attendedAt, 'added at the door and present');
      assert.equal(door?.addedBy, instructor.id);
    });

    it('lets a learner give their seat back after confirming, and refuses everything once the session is cancelled', async () => {
      clock = new Date(MORNING.getTime() - 24 * 3600 * SECOND);
      const session = await schedule({ title: 'Buổi sẽ hủy' });
      const lan = await learner('Nguyễn Thị Đổi Ý');
      const minh = await learner('Hồ Văn Chờ');
      const page = `/lop-hoc/${session.id}`;
      await lan.browser.submit(page, `${page}/dang-ky`, {});
      await minh.browser.submit(page, `${page}/dang-ky`, {});
      const confirm = await lan.browser.get(`${page}/huy-dang-ky`);
      assert.match(confirm.body, /Hủy đăng ký buổi học <strong>Buổi sẽ hủy<\/strong>/);
      const given = await lan.browser.submit(`${page}/huy-dang-ky`, `${page}/huy-dang-ky`, {});
      assert.equal(given.statusCode, 303);
      assert.deepEqual(
        (await seats(session.id)).map((r) => r.accountId),
        [minh.account.id],
      );

      const manage = `/quan-tri/lop-hoc/${session.id}`;
      const ask = await teacher.get(`${manage}/huy`);
      assert.match(ask.body, /Hủy buổi học <strong>Buổi sẽ hủy<\/strong>/);
      assert.match(ask.body, /1 người\s+đang giữ chỗ/);
      const cancelled = await teacher.submit(`${manage}/huy`, `${manage}/huy`, {});
      assert.equal(cancelled.statusCode, 303);
      assert.match((await teacher.get(String(cancelled.headers.location))).body, /Đã hủy buổi học\./);

      const refused = await lan.browser.submit(page, `${page}/dang-ky`, {});
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Buổi học này đã bị hủy\./);
      clock = MORNING;
      const code = checkinCodeAt(session.checkinSecret, session.id, clock);
      const checkin = await minh.browser.submit(page, `${page}/diem-danh`, { ma: code });
      assert.equal(checkin.statusCode, 409);
      const qr = await teacher.get(`${manage}/ma-diem-danh`);
      assert.doesNotMatch(qr.body, /<svg/);
      assert.match(qr.body, /Buổi học này đã bị hủy\./);
      assert.equal((await seats(session.id)).filter((r) => r.attendedAt).length, 0);
      const audit = await t.db.kysely
        .selectFrom('auditEvents')
        .select('action')
        .where('subjectId', '=', session.id)
        .execute();
      assert.deepEqual(audit.map((a) => a.action).sort(), ['class.cancelled', 'class.scheduled']);
    });

    it('shows the instructor a QR code of the tenant’s public address that reloads itself, and the count present', async () => {
      const session = await schedule({ title: 'Buổi màn chiếu' });
      const page = await teacher.get(`/quan-tri/lop-hoc/${session.id}/ma-diem-danh`);
      assert.equal(page.headers.refresh, '25');
      assert.match(page.body, /<svg[^>]*viewBox/);
      assert.ok(page.body.includes(`${t.ctx.config.publicUrl}/lop-hoc/${session.id}/diem-danh?ma=`));
      assert.match(page.body, /Đã có mặt: <strong>0<\/strong> người/);

      clock = new Date(MORNING.getTime() + 8 * 3600 * SECOND);
      const over = await teacher.get(`/quan-tri/lop-hoc/${session.id}/ma-diem-danh`);
      assert.doesNotMatch(over.body, /<svg/);
      assert.match(over.body, /Buổi học đã kết thúc/);
      clock = MORNING;
    });
  });
}
