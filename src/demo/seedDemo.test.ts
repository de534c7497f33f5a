import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, testDialects } from '../../test/support/db.js';
import { testContext } from '../../test/support/factories.js';
import type { Db } from '../db/database.js';
import { NO_FILTERS } from '../modules/reports/dashboard/figures.js';
import type { AppContext } from '../web/context.js';
import { DEMO_PASSWORD, DEMO_PEOPLE, DEMO_TENANT_SLUG, seedDemo } from './seedDemo.js';

for (const dialect of testDialects()) {
  describe(`demo tenant [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      assert.equal(await seedDemo(ctx), 'created');
    });
    after(() => db.close());

    it('has the real 2024 Quảng Nam tree, villages and the two departments', async () => {
      const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
      assert.ok(tenant);
      assert.equal(await ctx.org.countUnits(tenant.id), 1 + 18 + 241 + 241 * 3 + 2);
      const root = await ctx.org.rootUnit(tenant.id);
      const children = (await ctx.org.children(tenant.id, root?.id ?? '')).map((u) => u.fullName);
      assert.ok(children.includes('Sở Khoa học và Công nghệ') && children.includes('Sở Nội vụ'));
      assert.ok(children.includes('Thành phố Tam Kỳ') && children.includes('Huyện Bắc Trà My'));
      const [village] = await ctx.org.searchUnits(tenant.id, 'thon 1 dai hiep');
      assert.deepEqual(village?.ancestors, ['Xã Đại Hiệp', 'Huyện Đại Lộc', 'Tỉnh Quảng Nam']);
    });

    it('has one demo account per role, each able to log in with the documented password', async () => {
      const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
      const roles = new Set<string>();
      for (const person of DEMO_PEOPLE) {
        const account = await ctx.identity.login(tenant?.id ?? '', person.phone, DEMO_PASSWORD, '127.0.0.1');
        const view = await ctx.identity.view(account);
        for (const r of view.roles) roles.add(r.role);
      }
      assert.deepEqual([...roles].sort(), [
        'contentManager',
        'evaluator',
        'instructor',
        'platformAdmin',
        'tenantAdmin',
        'unitManager',
      ]);
      assert.equal(await ctx.identity.hasDemoAccounts(), true);
    });

    it("assigns the officials' program to every official of the province", async () => {
      const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
      const officials = DEMO_PEOPLE.filter((p) => p.block === 'official');
      for (const person of officials) {
        const account = await ctx.identity.accountByIdentifier(tenant?.id ?? '', person.phone);
        const duties = await ctx.programs.assignmentsOf(account?.id ?? '');
        assert.deepEqual(
          duties.map((d) => [d.targetType, d.status]),
          [['program', 'notStarted']],
          person.fullName,
        );
      }
      const citizen = await ctx.identity.accountByIdentifier(tenant?.id ?? '', '0900000007');
      assert.deepEqual(await ctx.programs.assignmentsOf(citizen?.id ?? ''), [], 'a citizen has no duty');
    });

    it("measures the province against this year's targets, with every demo person counted", async () => {
      const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
      const root = await ctx.org.rootUnit(tenant?.id ?? '');
      const dashboard = await ctx.dashboards.dashboard(tenant?.id ?? '', root?.id ?? '', NO_FILTERS);
      assert.deepEqual(
        dashboard?.targets.map((t) => [t.block, t.metric, t.percent]),
        [
          ['citizen', 'started', 80],
          ['official', 'qualified', 80],
          ['student', 'started', 100],
        ],
      );
      assert.equal(dashboard?.figures.people, DEMO_PEOPLE.length);
      assert.equal(
        dashboard?.figures.assigned,
        DEMO_PEOPLE.filter((p) => p.block === 'official' || p.block === 'community').length,
        "officials and the community team's member are assigned their programs",
      );
    });

    it('has a community team led by the community member, and a class next week with a citizen registered', async () => {
      const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
      const tenantId = tenant?.id ?? '';
      const leader = await ctx.identity.accountByIdentifier(tenantId, '0900000008');
      const [team] = await ctx.community.teamsOf(tenantId, leader?.id ?? '');
      assert.equal(team?.name, 'Tổ công nghệ số cộng đồng Thôn 2');
      assert.equal(team?.leaderAccountId, leader?.id);
      const members = await ctx.community.members(await ctx.community.team(tenantId, team?.id ?? ''));
      assert.deepEqual(members.map((m) => m.fullName).sort(), ['Võ Thị Lan', 'Đặng Minh Quân']);
      const citizen = await ctx.identity.accountByIdentifier(tenantId, '0900000007');
      const seats = await ctx.classes.seatsOf(tenantId, citizen?.id ?? '');
      assert.equal(seats.length, 1, 'the citizen holds a seat in the demo class');
    });

    it('does nothing when run a second time', async () => {
      const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
      const before = await ctx.org.countUnits(tenant?.id ?? '');
      assert.equal(await seedDemo(ctx), 'exists');
      assert.equal(await ctx.org.countUnits(tenant?.id ?? ''), before);
    });
  });
}
