import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInVietnam } from '../src/db/time.js';
import { storedTotals } from '../src/modules/community/totals.js';
import type { AccountRow } from '../src/modules/identity/repository.js';
import { revokeQualification } from '../src/modules/programs/qualificationRevoke.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';
import { insertQualification, qualificationProgram } from './support/qualifications.js';

/** The cells of the table row headed by `name`, as text. */
function rowOf(html: string, name: string): string[] | undefined {
  for (const row of html.matchAll(/<tr>(.*?)<\/tr>/gs)) {
    const cells = [...(row[1] ?? '').matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((c) =>
      (c[1] ?? '').replace(/<[^>]+>/g, '').trim(),
    );
    if (cells[0] === name) return cells;
  }
  return undefined;
}

const VNEID = 'Kích hoạt, sử dụng VNeID';

for (const dialect of testDialects()) {
  describe(`community digital technology teams [${dialect}]`, () => {
    let t: TestApp;
    let managerA: Browser;
    let managerB: Browser;
    let evaluator: Browser;
    let people: Record<'leader' | 'member' | 'guide' | 'lapsed' | 'revoked' | 'newcomer', AccountRow>;
    let teamUrl: string;
    let teamId: string;

    const logs = () => t.db.kysely.selectFrom('assistanceLogs').selectAll().execute();
    const totals = () => t.db.kysely.selectFrom('assistanceTotals').selectAll().execute();
    const teamRow = () =>
      t.db.kysely.selectFrom('communityTeams').selectAll().where('id', '=', teamId).executeTakeFirstOrThrow();
    const as = (person: AccountRow) => signedIn(t.app, person);
    const entry = (fields: Record<string, string> = {}) => ({
      helpedOn: todayInVietnam(),
      villageUnitId: t.fixture.villageA.id,
      service: 'vneid',
      people: '3',
      citizenPhone: '',
      note: '',
      ...fields,
    });

    before(async () => {
      t = await startTestApp(dialect);
      const { ctx, fixture } = t;
      const { tenant, province, communeA, communeB, villageA } = fixture;
      managerA = await signedIn(t.app, await buildAccount(ctx, tenant, communeA, { role: 'unitManager' }));
      managerB = await signedIn(t.app, await buildAccount(ctx, tenant, communeB, { role: 'unitManager' }));
      evaluator = await signedIn(
        t.app,
        await buildAccount(ctx, tenant, province, { role: 'evaluator', scope: null }),
      );
      const person = (fullName: string) =>
        buildAccount(ctx, tenant, villageA, { fullName, block: 'community' });
      people = {
        leader: await person('Trần Văn Trưởng'),
        member: await person('Lê Thị Mới'),
        guide: await person('Nguyễn Thị Hướng'),
        lapsed: await person('Phạm Văn Hết'),
        revoked: await person('Võ Thị Thu'),
        newcomer: await person('Đỗ Văn Sau'),
      };
      const { qualify } = await qualificationProgram(ctx, tenant);
      await qualify(people.guide);
      const held = await qualify(people.lapsed);
      await ctx.db.kysely.deleteFrom('qualifications').where('id', '=', held.id).execute();
      await insertQualification(ctx.db, held, { issuedOn: '2023-01-10', expiresOn: '2025-01-10' });
      const revoked = await qualify(people.revoked);
      const admin = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null }),
      );
      await revokeQualification(ctx, admin, tenant.id, revoked.code, 'Gian lận khi làm bài kiểm tra');
    });
    after(() => t.close());

    it('lets a unit manager create a team in their commune with its leader as first member', async () => {
      const form = `/to-cong-nghe/moi?don-vi=${t.fixture.communeA.id}`;
      const page = await managerA.get(form);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Thôn Phú Hòa/);
      const refused = await managerA.submit(form, '/to-cong-nghe/moi', {
        contextUnitId: t.fixture.communeA.id,
        unitId: t.fixture.villageA.id,
        name: 'x',
        leaderPhone: '0900 000 000',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Tên tổ cần từ 2 đến 120 ký tự\./);
      assert.match(refused.body, /Chưa có ai dùng số điện thoại 0900 000 000/);
      const created = await managerA.submit(form, '/to-cong-nghe/moi', {
        contextUnitId: t.fixture.communeA.id,
        unitId: t.fixture.villageA.id,
        name: 'Tổ công nghệ số thôn Phú Hòa',
        leaderPhone: people.leader.phone ?? '',
        contactNote: 'Nhóm Zalo “CNS Phú Hòa”',
      });
      assert.equal(created.statusCode, 303);
      teamUrl = String(created.headers.location).replace(/\?.*$/, '');
      teamId = teamUrl.split('/').at(-1) as string;
      const shown = await managerA.get(teamUrl);
      assert.match(shown.body, /Trần Văn Trưởng \(tổ trưởng\)/);
      assert.match(shown.body, /Nhóm Zalo “CNS Phú Hòa”/);
      const again = await managerA.submit(form, '/to-cong-nghe/moi', {
        contextUnitId: t.fixture.communeA.id,
        unitId: t.fixture.villageA.id,
        name: 'TỔ CÔNG NGHỆ SỐ THÔN PHÚ HÒA',
      });
      assert.equal(again.statusCode, 400);
      assert.match(again.body, /đã có tổ tên/);
    });

    it("refuses a manager of another commune everything on commune A's team, changing nothing", async () => {
      const before = await teamRow();
      const members = async () =>
        (
          await t.db.kysely
            .selectFrom('communityTeamMembers')
            .select('accountId')
            .where('teamId', '=', teamId)
            .execute()
        ).length;
      const count = await members();
      const own = `/to-cong-nghe/moi?don-vi=${t.fixture.communeB.id}`;
      assert.equal((await managerB.get(`/to-cong-nghe/moi?don-vi=${t.fixture.communeA.id}`)).statusCode, 403);
      assert.equal((await managerB.get(teamUrl)).statusCode, 403);
      assert.equal((await managerB.get(`${teamUrl}/sua`)).statusCode, 403);
      assert.equal((await managerB.get(`/to-cong-nghe/don-vi/${t.fixture.communeA.id}`)).statusCode, 403);
      const posts: [string, Record<string, string>][] = [
        [
          '/to-cong-nghe/moi',
          { contextUnitId: t.fixture.communeB.id, unitId: t.fixture.villageA.id, name: 'Tổ lạ' },
        ],
        [
          `${teamUrl}/sua`,
          { unitId: t.fixture.villageB.id, name: 'Đổi tên', leaderAccountId: '', contactNote: 'x' },
        ],
        [`${teamUrl}/thanh-vien`, { phone: people.member.phone ?? '' }],
        [`${teamUrl}/trang-thai`, { status: 'dissolved' }],
        [`${teamUrl}/xoa`, {}],
        [`${teamUrl}/thanh-vien/${people.leader.id}/xoa`, {}],
      ];
      for (const [url, fields] of posts) {
        const response = await managerB.submit(own, url, fields);
        assert.equal(response.statusCode, 403, url);
      }
      assert.deepEqual(await teamRow(), before);
      assert.equal(await members(), count);
      const teams = await t.db.kysely.selectFrom('communityTeams').select('name').execute();
      assert.deepEqual(
        teams.map((r) => r.name),
        ['Tổ công nghệ số thôn Phú Hòa'],
      );
    });

    it('lets the leader add members by phone, and refuses a plain member, an unknown or a malformed number', async () => {
      const leader = await as(people.leader);
      for (const person of [people.member, people.guide, people.lapsed, people.revoked]) {
        const added = await leader.submit(teamUrl, `${teamUrl}/thanh-vien`, { phone: person.phone ?? '' });
        assert.equal(added.statusCode, 303);
      }
      const unknown = await leader.submit(teamUrl, `${teamUrl}/thanh-vien`, { phone: '0987 654 321' });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Chưa có ai dùng số điện thoại 0987 654 321 trên hệ thống/);
      const malformed = await leader.submit(teamUrl, `${teamUrl}/thanh-vien`, { phone: '12345' });
      assert.equal(malformed.statusCode, 400);
      assert.match(malformed.body, /không phải số di động Việt Nam hợp lệ/);
      const twice = await leader.submit(teamUrl, `${teamUrl}/thanh-vien`, {
        phone: people.member.phone ?? '',
      });
      assert.match(twice.body, /Lê Thị Mới đã là thành viên của tổ\./);

      const member = await as(people.member);
      assert.doesNotMatch((await member.get(teamUrl)).body, /Thêm vào tổ/);
      const refused = await member.submit(teamUrl, `${teamUrl}/thanh-vien`, {
        phone: people.newcomer.phone ?? '',
      });
      assert.equal(refused.statusCode, 403);
      const ids = await t.db.kysely
        .selectFrom('communityTeamMembers')
        .select('accountId')
        .where('teamId', '=', teamId)
        .execute();
      assert.ok(!ids.some((r) => r.accountId === people.newcomer.id));
    });

    it("shows each member's training status on the team page", async () => {
      const page = await managerA.get(teamUrl);
      assert.match(
        rowOf(page.body, 'Nguyễn Thị Hướng')?.[1] ?? '',
        /^Đạt yêu cầu, hiệu lực đến hết ngày \d\d\/\d\d\/\d{4} – hướng dẫn viên$/,
      );
      assert.equal(rowOf(page.body, 'Lê Thị Mới')?.[1], 'Chưa có chứng nhận đạt yêu cầu');
      assert.equal(rowOf(page.body, 'Phạm Văn Hết')?.[1], 'Cần cấp lại từ ngày 10/01/2025');
      assert.match(rowOf(page.body, 'Võ Thị Thu')?.[1] ?? '', /^Đã thu hồi ngày/);
    });

    it('refuses an unqualified, a lapsed and a revoked member logging help, storing nothing', async () => {
      const url = `${teamUrl}/ho-tro`;
      const member = await as(people.member);
      const page = await member.get(url);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Bạn chưa là hướng dẫn viên đạt yêu cầu/);
      assert.doesNotMatch(page.body, /name="people"/);
      for (const [person, why] of [
        [people.member, /Hãy hoàn thành chương trình học bắt buộc/],
        [people.lapsed, /Cần cấp lại từ ngày 10\/01\/2025/],
        [people.revoked, /Đã thu hồi ngày/],
      ] as const) {
        const refused = await (await as(person)).submit(teamUrl, url, entry());
        assert.equal(refused.statusCode, 403, person.fullName);
        assert.match(refused.body, /Bạn chưa là hướng dẫn viên đạt yêu cầu: cần có chứng nhận đạt yêu cầu/);
        assert.match(refused.body, why);
      }
      const manager = await managerA.submit(teamUrl, url, entry());
      assert.equal(manager.statusCode, 403, 'a manager is not a member of the team');
      assert.deepEqual(await logs(), []);
      assert.deepEqual(await totals(), []);
    });

    it('lets a qualified guide log three people helped with VNeID, shown for the team and the commune', async () => {
      const guide = await as(people.guide);
      const url = `${teamUrl}/ho-tro`;
      const form = await guide.get(url);
      assert.match(form.body, /name="people"/);
      assert.match(form.body, new RegExp(`<option value="${t.fixture.villageA.id}" selected`));
      const done = await guide.submit(url, url, entry());
      assert.equal(done.statusCode, 303);
      const next = await guide.get(String(done.headers.location));
      assert.match(next.body, /Đã ghi nhận: 3 người, Kích hoạt, sử dụng VNeID\./);
      assert.match(next.body, /value="vneid" checked/, 'the next entry starts with the same service');

      const team = await managerA.get(teamUrl);
      assert.deepEqual(rowOf(team.body, VNEID)?.slice(1), ['1', '3']);
      const commune = await managerA.get(`/to-cong-nghe/don-vi/${t.fixture.communeA.id}`);
      assert.equal(commune.statusCode, 200);
      assert.deepEqual(rowOf(commune.body, VNEID)?.slice(1), ['1', '3']);
      assert.deepEqual(rowOf(commune.body, 'Tổng cộng')?.slice(1), ['1', '3']);
      assert.deepEqual(rowOf(commune.body, 'Nguyễn Thị Hướng')?.slice(1), [
        'Tổ công nghệ số thôn Phú Hòa',
        '1',
        '3',
      ]);
      const province = await evaluator.get(`/to-cong-nghe/don-vi/${t.fixture.province.id}`);
      assert.deepEqual(rowOf(province.body, VNEID)?.slice(1), ['1', '3']);
    });

    it('refuses a phone number without the consent box, then keeps it with the consent', async () => {
      const guide = await as(people.guide);
      const url = `${teamUrl}/ho-tro`;
      const before = (await logs()).length;
      const refused = await guide.submit(url, url, entry({ people: '1', citizenPhone: '0905 123 456' }));
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Chỉ ghi số điện thoại khi người dân đồng ý/);
      assert.equal((await logs()).length, before);
      const kept = await guide.submit(
        url,
        url,
        entry({ people: '1', citizenPhone: '0905 123 456', consent: '1' }),
      );
      assert.equal(kept.statusCode, 303);
      const stored = (await logs()).find((r) => r.citizenPhone !== null);
      assert.equal(stored?.citizenPhone, '+84905123456');
      assert.ok(stored?.consentAt);
      assert.doesNotMatch(
        (await (await as(people.member)).get(url)).body,
        /0905 123 456/,
        'members do not see it',
      );
      assert.match((await (await as(people.leader)).get(url)).body, /0905 123 456/, 'the leader does');
    });

    it('refuses a bad entry field by field, and stores a form sent twice once', async () => {
      const guide = await as(people.guide);
      const url = `${teamUrl}/ho-tro`;
      const before = (await logs()).length;
      const bad = await guide.submit(url, url, {
        helpedOn: '2999-01-01',
        villageUnitId: t.fixture.villageB.id,
        service: 'khong-co',
        people: '501',
      });
      assert.equal(bad.statusCode, 400);
      for (const message of [
        /Ngày hỗ trợ không thể sau hôm nay\./,
        /Hãy chọn thôn, tổ dân phố nơi hỗ trợ\./,
        /Hãy chọn nội dung hỗ trợ\./,
        /Số người được hỗ trợ cần là số từ 1 đến 500/,
      ])
        assert.match(bad.body, message);
      const form = await guide.get(url);
      const id = /name="id" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const token = /name="_csrf" value="([^"]+)"/.exec(form.body)?.[1] ?? '';
      const fields = { ...entry({ service: 'cashless', people: '2' }), id, _csrf: token };
      assert.equal((await guide.post(url, fields)).statusCode, 303);
      assert.equal((await guide.post(url, fields)).statusCode, 303);
      assert.equal((await logs()).length, before + 1);
    });

    it('lists the teams without a qualified guide, on the commune page and its filter', async () => {
      const { ctx, fixture } = t;
      const manager = await ctx.identity.actorOf(
        await buildAccount(ctx, fixture.tenant, fixture.communeA, { role: 'unitManager' }),
      );
      await ctx.community.createTeam(manager, {
        unitId: fixture.communeA.id,
        name: 'Tổ công nghệ số xã Đại Hiệp',
        leaderPhone: people.member.phone ?? '',
        contactPhone: '',
        contactNote: '',
      });
      const url = `/to-cong-nghe/don-vi/${fixture.communeA.id}`;
      const page = await managerA.get(url);
      assert.match(page.body, /Tổ chưa có hướng dẫn viên đạt yêu cầu<\/dt><dd><a[^>]*>1</);
      const filtered = await managerA.get(`${url}?chua-co-hdv=1`);
      assert.deepEqual(rowOf(filtered.body, 'Tổ công nghệ số xã Đại Hiệp')?.slice(1, 5), [
        'Xã Đại Hiệp',
        'Lê Thị Mới',
        '1',
        '0',
      ]);
      assert.equal(rowOf(filtered.body, 'Tổ công nghệ số thôn Phú Hòa'), undefined);
      const all = await managerA.get(url);
      assert.deepEqual(rowOf(all.body, 'Tổ công nghệ số thôn Phú Hòa')?.slice(3, 5), ['5', '1']);
    });

    it('lets a guide correct their own entry and the leader delete it, audited; a plain member can do neither', async () => {
      const [own] = (await logs()).filter((r) => r.service === 'cashless');
      assert.ok(own);
      const entryUrl = `${teamUrl}/ho-tro/${own.id}`;
      const member = await as(people.member);
      assert.equal((await member.get(`${entryUrl}/sua`)).statusCode, 403);
      assert.equal((await member.get(`${entryUrl}/xoa`)).statusCode, 403);
      const guide = await as(people.guide);
      const corrected = await guide.submit(
        `${entryUrl}/sua`,
        `${entryUrl}/sua`,
        entry({ service: 'cashless', people: '4' }),
      );
      assert.equal(corrected.statusCode, 303);
      const cashless = async () =>
        (
          await t.ctx.community.teamHelp(await t.ctx.community.team(t.fixture.tenant.id, teamId), {
            from: '',
            to: '',
          })
        ).byService.find((s) => s.service === 'cashless');
      assert.equal((await cashless())?.people, 4);
      const leader = await as(people.leader);
      const confirm = await leader.get(`${entryUrl}/xoa`);
      assert.match(confirm.body, /Thanh toán không dùng tiền mặt, 4 người/);
      assert.equal((await leader.submit(`${entryUrl}/xoa`, `${entryUrl}/xoa`, {})).statusCode, 303);
      assert.equal((await cashless())?.people, 0);
      const audit = await t.db.kysely
        .selectFrom('auditEvents')
        .select(['action', 'actorName'])
        .where('action', '=', 'community.assistance_deleted')
        .execute();
      assert.deepEqual(audit, [{ action: 'community.assistance_deleted', actorName: 'Trần Văn Trưởng' }]);
      assert.deepEqual(
        await storedTotals(t.db, t.fixture.tenant.id),
        await t.ctx.community.recountTotals(t.fixture.tenant.id),
      );
    });

    it('lets a manager pause a team (no new help is logged) and refuses deleting a team that logged help', async () => {
      const paused = await managerA.submit(teamUrl, `${teamUrl}/trang-thai`, { status: 'paused' });
      assert.equal(paused.statusCode, 303);
      assert.equal((await teamRow()).status, 'paused');
      const guide = await as(people.guide);
      const before = (await logs()).length;
      const refused = await guide.submit(teamUrl, `${teamUrl}/ho-tro`, entry());
      assert.equal(refused.statusCode, 409);
      assert.match(refused.body, /Tổ đang ở trạng thái “Tạm ngừng” nên chưa ghi nhận được hỗ trợ mới\./);
      assert.equal((await logs()).length, before);
      await managerA.submit(teamUrl, `${teamUrl}/trang-thai`, { status: 'active' });
      const kept = await managerA.submit(`${teamUrl}/xoa`, `${teamUrl}/xoa`, {});
      assert.equal(kept.statusCode, 409);
      assert.match(kept.body, /hãy chuyển trạng thái sang “Đã giải thể”/);
      const leader = await as(people.leader);
      assert.equal((await leader.get(`${teamUrl}/xoa`)).statusCode, 403, 'only managers delete a team');
      const status = await t.db.kysely
        .selectFrom('auditEvents')
        .select('action')
        .where('action', '=', 'community.team_status')
        .execute();
      assert.equal(status.length, 2);
    });

    it("lets the leader change the team's contacts only, and a manager change its leader among the members", async () => {
      const leader = await as(people.leader);
      const form = await leader.get(`${teamUrl}/sua`);
      assert.equal(form.statusCode, 200);
      assert.doesNotMatch(form.body, /name="leaderAccountId"/);
      const saved = await leader.submit(`${teamUrl}/sua`, `${teamUrl}/sua`, {
        contactPhone: '0905 000 111',
        contactNote: 'Sinh hoạt tối thứ Bảy tại nhà văn hóa thôn',
        name: 'Tên khác',
      });
      assert.equal(saved.statusCode, 303);
      const row = await teamRow();
      assert.equal(row.contactPhone, '+84905000111');
      assert.equal(row.name, 'Tổ công nghệ số thôn Phú Hòa', 'the leader does not rename the team');
      assert.equal((await (await as(people.member)).get(`${teamUrl}/sua`)).statusCode, 403);

      const outsider = await managerA.submit(`${teamUrl}/sua`, `${teamUrl}/sua`, {
        unitId: t.fixture.villageA.id,
        name: row.name,
        leaderAccountId: people.newcomer.id,
      });
      assert.equal(outsider.statusCode, 400);
      assert.match(outsider.body, /Tổ trưởng phải là một thành viên của tổ\./);
      const removeLeader = await managerA.submit(
        teamUrl,
        `${teamUrl}/thanh-vien/${people.leader.id}/xoa`,
        {},
      );
      assert.equal(removeLeader.statusCode, 409);
      const changed = await managerA.submit(`${teamUrl}/sua`, `${teamUrl}/sua`, {
        unitId: t.fixture.villageA.id,
        name: row.name,
        leaderAccountId: people.guide.id,
        contactPhone: '0905 000 111',
      });
      assert.equal(changed.statusCode, 303);
      assert.equal((await teamRow()).leaderAccountId, people.guide.id);
      const removed = await managerA.submit(teamUrl, `${teamUrl}/thanh-vien/${people.lapsed.id}/xoa`, {});
      assert.equal(removed.statusCode, 303);
      assert.doesNotMatch((await managerA.get(teamUrl)).body, /Phạm Văn Hết/);
    });

    it("shows a member their teams and training, and a manager their commune's teams", async () => {
      const mine = await (await as(people.member)).get('/to-cong-nghe');
      assert.equal(mine.statusCode, 200);
      assert.match(mine.body, /Tổ công nghệ số thôn Phú Hòa/);
      assert.match(mine.body, /Tình trạng học tập của bạn: Chưa có chứng nhận đạt yêu cầu\./);
      const managed = await managerA.get('/to-cong-nghe');
      assert.match(
        managed.body,
        new RegExp(`href="/to-cong-nghe/don-vi/${t.fixture.communeA.id}">Xã Đại Hiệp`),
      );
      assert.match(managed.body, /Nhập danh sách tổ từ tệp Excel/);
      const learner = await signedIn(t.app, await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB));
      assert.match(
        (await learner.get('/to-cong-nghe')).body,
        /Bạn chưa là thành viên của tổ công nghệ số nào/,
      );
      assert.equal((await learner.get(teamUrl)).statusCode, 403);
      assert.equal((await learner.get(`${teamUrl}/ho-tro`)).statusCode, 403);
      assert.equal((await evaluator.get(teamUrl)).statusCode, 200, 'evaluators read every team');
      assert.equal(
        (await evaluator.get(`/to-cong-nghe/moi?don-vi=${t.fixture.communeA.id}`)).statusCode,
        403,
      );
    });
  });
}
