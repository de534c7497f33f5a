import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Locator, Page } from 'playwright-core';
import { todayInVietnam } from '../../src/db/time.js';
import { vietnamDayAndTime } from '../../src/modules/classes/sessionInput.js';
import type { AccountRow } from '../../src/modules/identity/repository.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openPhoneBrowser } from '../support/browser.js';
import { testDialects } from '../support/db.js';
import { buildAccount, TEST_PASSWORD } from '../support/factories.js';
import { qualificationProgram } from '../support/qualifications.js';

const TEAM = 'Tổ công nghệ số thôn Phú Hòa';
const CLASS = 'Dùng VNeID trên điện thoại';
const VNEID = 'Kích hoạt, sử dụng VNeID';
const LEADER = 'Trần Văn Trưởng';
const GUIDE = 'Nguyễn Thị Hướng';
const LEARNER = 'Lê Văn Học';
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

/** Fills the sign-in form already on screen and sends it. */
async function signIn(page: Page, phone: string) {
  await page.getByLabel('Số điện thoại hoặc email').fill(phone);
  await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
}

async function logIn(page: Page, base: string, phone: string) {
  await page.goto(`${base}/dang-nhap`);
  await signIn(page, phone);
  await page.waitForURL(`${base}/`);
}

/** The cells of the first table row headed by `name` within `scope`, as trimmed text. */
async function rowOf(scope: Page | Locator, name: string): Promise<string[]> {
  // A `has` locator is matched inside each row, so it is built from the page, not the scope.
  const page = 'page' in scope ? scope.page() : scope;
  const row = scope.locator('tr', { has: page.getByRole('rowheader', { name, exact: true }) }).first();
  return (await row.locator('th, td').allTextContents()).map((cell) => cell.trim());
}

/**
 * Today in Vietnam, up to half an hour ago (never yesterday), to the minute: a session starting
 * then is under way, so its QR check-in is open and the session counts as held today.
 */
function startedLately(): { day: string; time: string } {
  const midnight = Date.parse(`${todayInVietnam()}T00:00:00+07:00`);
  return vietnamDayAndTime(new Date(Math.max(midnight, Date.now() - 30 * 60_000)).toISOString());
}

for (const dialect of testDialects()) {
  describe(`a commune's community team and in-person class in a real browser, without JavaScript [${dialect}]`, () => {
    let t: TestApp;
    let base: string;
    let people: Record<'manager' | 'leader' | 'guide' | 'instructor' | 'learner', AccountRow>;

    before(async () => {
      t = await startTestApp(dialect);
      const { ctx } = t;
      const { tenant, communeA, villageA } = t.fixture;
      const villager = (fullName: string, block: 'community' | 'citizen' = 'community') =>
        buildAccount(ctx, tenant, villageA, { fullName, block });
      people = {
        manager: await buildAccount(ctx, tenant, communeA, {
          role: 'unitManager',
          block: 'official',
          fullName: 'Phạm Thị Quản Lý',
        }),
        leader: await villager(LEADER),
        guide: await villager(GUIDE),
        instructor: await buildAccount(ctx, tenant, communeA, {
          role: 'instructor',
          block: 'official',
          fullName: 'Võ Thị Giảng',
        }),
        learner: await villager(LEARNER, 'citizen'),
      };
      // The guide earned the qualification the way a learner does, before joining any team.
      await (await qualificationProgram(ctx, tenant)).qualify(people.guide);
      await ctx.community.createTeam(await ctx.identity.actorOf(people.manager), {
        unitId: villageA.id,
        name: TEAM,
        leaderPhone: people.leader.phone ?? '',
        contactPhone: '',
        contactNote: '',
      });
      const { day, time } = startedLately();
      await ctx.classes.createSession(await ctx.identity.actorOf(people.instructor), {
        unitId: villageA.id,
        title: CLASS,
        place: 'Nhà văn hóa thôn Phú Hòa',
        day,
        time,
        durationMinutes: '90',
        capacity: '30',
      });
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('a leader adds a qualified guide who logs VNeID help; a learner checks in by QR; the commune dashboard shows both', async () => {
      // Each person has their own phone, so each browser keeps its own session.
      const phones: Awaited<ReturnType<typeof openPhoneBrowser>>[] = [];
      const phonePage = async () => {
        const phone = await openPhoneBrowser({ javaScript: false });
        phones.push(phone);
        return phone.context.newPage();
      };
      const signedInPage = async (person: AccountRow) => {
        const page = await phonePage();
        await logIn(page, base, person.phone ?? '');
        return page;
      };
      try {
        // The leader adds the guide to the team by phone number.
        const leader = await signedInPage(people.leader);
        await leader.getByRole('link', { name: 'Tổ công nghệ số', exact: true }).click();
        await leader.getByRole('link', { name: TEAM }).click();
        assert.match(await mainText(leader), new RegExp(`${LEADER} \\(tổ trưởng\\)`));
        await leader.getByLabel('Số điện thoại của người cần thêm').fill(people.guide.phone ?? '');
        await leader.getByRole('button', { name: 'Thêm vào tổ' }).click();
        assert.match(await mainText(leader), /Đã thêm thành viên\./);
        const [, training] = await rowOf(leader, GUIDE);
        assert.match(
          training ?? '',
          /^Đạt yêu cầu, hiệu lực đến hết ngày \d\d\/\d\d\/\d{4} – hướng dẫn viên$/,
        );
        const teamUrl = leader.url().replace(/\?.*$/, '');

        // The guide, on their own phone, logs three people helped with VNeID.
        const guide = await signedInPage(people.guide);
        await guide.getByRole('link', { name: 'Tổ công nghệ số', exact: true }).click();
        assert.match(await mainText(guide), /Tình trạng học tập của bạn: Đạt yêu cầu/);
        await guide.getByRole('link', { name: TEAM }).click();
        await guide.getByRole('link', { name: 'Ghi nhận hỗ trợ người dân' }).click();
        await guide.getByLabel(VNEID).check();
        await guide.getByLabel('Số người được hỗ trợ').fill('3');
        await guide.getByRole('button', { name: 'Ghi nhận', exact: true }).click();
        assert.match(await mainText(guide), new RegExp(`Đã ghi nhận: 3 người, ${VNEID}\\.`));
        const logged = await guide.locator('#so-ghi-nhan tbody tr').first().locator('td').allTextContents();
        assert.deepEqual(logged.slice(1, 5), [VNEID, '3', 'Thôn Phú Hòa', GUIDE]);
        await guide.getByRole('link', { name: TEAM }).click();
        assert.deepEqual((await rowOf(guide, VNEID)).slice(1), ['1', '3']);
        const byGuide = guide.locator('table', { hasText: 'Theo hướng dẫn viên' });
        assert.deepEqual((await rowOf(byGuide, GUIDE)).slice(1), ['1', '3']);
        // The leader's page shows the same once reloaded.
        await leader.goto(teamUrl);
        assert.deepEqual((await rowOf(leader, VNEID)).slice(1), ['1', '3']);

        // The instructor puts the session's QR code on screen.
        const instructor = await signedInPage(people.instructor);
        await instructor.getByRole('link', { name: 'Lớp học trực tiếp', exact: true }).click();
        await instructor.getByRole('link', { name: 'Quản lý lớp học' }).click();
        await instructor.getByRole('link', { name: CLASS }).click();
        await instructor.getByRole('link', { name: 'Mã QR điểm danh' }).click();
        assert.match(await mainText(instructor), /Quét mã để điểm danh/);
        assert.equal(
          await instructor.getByRole('img', { name: 'Mã QR điểm danh' }).locator('svg').count(),
          1,
        );
        assert.match(await mainText(instructor), /Đã có mặt: 0 người/);
        const shown = await instructor
          .locator('main p', { hasText: 'Hoặc mở địa chỉ:' })
          .locator('strong')
          .textContent();
        // The code holds the public address; the learner's phone reaches this test server.
        const address = new URL((shown ?? '').trim());
        assert.match(address.pathname, /^\/lop-hoc\/[^/]+\/diem-danh$/);
        assert.match(address.searchParams.get('ma') ?? '', /^[0-9a-z]{10}$/);
        const scanned = `${base}${address.pathname}${address.search}`;

        // The learner scans it, signs in, and confirms being there.
        const learner = await phonePage();
        await learner.goto(scanned);
        await learner.waitForURL(/\/dang-nhap\?next=/);
        await signIn(learner, people.learner.phone ?? '');
        await learner.waitForURL(scanned);
        assert.match(await mainText(learner), new RegExp(`Xác nhận có mặt\\s*${CLASS}`));
        await learner.getByRole('button', { name: 'Tôi có mặt' }).click();
        assert.match(await mainText(learner), /Đã ghi nhận bạn có mặt\. Chúc bạn học tốt!/);
        assert.match(await mainText(learner), /Bạn đã điểm danh lúc/);

        // The instructor's screen, reloaded, counts them; the roster has them ticked.
        await instructor.reload();
        assert.match(await mainText(instructor), /Đã có mặt: 1 người/);
        await instructor.getByRole('link', { name: 'Danh sách điểm danh' }).click();
        assert.match(await mainText(instructor), /Có mặt 1 người/);
        const ticked = instructor.getByRole('checkbox', { name: new RegExp(LEARNER) });
        assert.equal(await ticked.isChecked(), true);
        assert.match((await ticked.locator('xpath=..').textContent()) ?? '', /Quét mã tại lớp/);

        // The commune's unit manager sees both on the commune's dashboard.
        const manager = await signedInPage(people.manager);
        await manager.getByRole('link', { name: 'Báo cáo' }).first().click();
        await manager.waitForURL(/\/tong-quan$/);
        assert.match(await mainText(manager), /Tổng quan học tập: Xã Đại Hiệp/);
        const section = (heading: string) =>
          manager.locator('section', { has: manager.getByRole('heading', { name: heading, exact: true }) });
        const community = section('Tổ công nghệ số cộng đồng');
        const helped = (await community.textContent()) ?? '';
        assert.match(helped, /Số tổ\s*1/);
        assert.match(helped, /Hướng dẫn viên đạt yêu cầu\s*1/);
        assert.match(helped, /Người dân được hỗ trợ \([^)]*\)\s*3/);
        assert.deepEqual((await rowOf(community, VNEID)).slice(1), ['1', '3']);
        assert.deepEqual((await rowOf(community, 'Phú Hòa')).slice(1), ['1', '0', '3']);
        const classes = section('Lớp học trực tiếp');
        assert.equal(await classes.count(), 1, 'the dashboard has a section on in-person classes');
        const held = (await classes.textContent()) ?? '';
        assert.match(held, /Buổi học đã tổ chức \([^)]*\)\s*1/);
        assert.match(held, /Lượt có mặt\s*1/);
        assert.match(held, /Trong đó khách chưa có tài khoản\s*0/);
        assert.deepEqual((await rowOf(classes, 'Phú Hòa')).slice(1), ['1', '1', '0']);
      } finally {
        await Promise.all(phones.map((phone) => phone.close()));
      }
    });
  });
}
