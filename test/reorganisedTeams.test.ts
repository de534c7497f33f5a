import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Db } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import { mergeUnits } from '../src/modules/org/merge.js';
import { movedWithUnits } from '../src/modules/org/movedWithUnits.js';
import { addDays } from '../src/modules/programs/days.js';
import type { AppContext } from '../src/web/context.js';
import { openTestDatabase, testDialects } from './support/db.js';
import { buildAccount, buildTenant, testContext } from './support/factories.js';

for (const dialect of testDialects()) {
  describe(`community teams and class sessions in a reorganisation [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;
    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
    });
    after(() => db.close());

    it('moves the teams and sessions of a merged commune into the one that takes it over', async () => {
      const { tenant, province, communeA, communeB, villageB } = fixture;
      const admin = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null }),
      );
      const team = async (unitId: string, leaderHome: typeof communeA) =>
        ctx.community.createTeam(admin, {
          unitId,
          name: 'Tổ công nghệ số cộng đồng xã',
          leaderPhone: (await buildAccount(ctx, tenant, leaderHome)).phone ?? '',
          contactPhone: '',
          contactNote: '',
        });
      const kept = await team(communeA.id, communeA);
      const merged = await team(communeB.id, communeB);
      const inVillage = await ctx.community.createTeam(admin, {
        unitId: villageB.id,
        name: 'Tổ thôn Thạnh Mỹ',
        leaderPhone: (await buildAccount(ctx, tenant, villageB)).phone ?? '',
        contactPhone: '',
        contactNote: '',
      });
      const session = await ctx.classes.createSession(admin, {
        unitId: communeB.id,
        title: 'Thanh toán không dùng tiền mặt',
        place: 'Hội trường xã Đại Thạnh',
        day: addDays(todayInVietnam(), 3),
        time: '14:00',
        durationMinutes: '60',
        capacity: '40',
      });

      const plan = await mergeUnits(
        db,
        { members: movedWithUnits, audit: ctx.audit },
        tenant.id,
        [{ line: 2, oldCode: '20527', newCode: '20524' }],
        { effectiveOn: todayInVietnam(), catalog: new Map(), dryRun: false, actor: null },
      );
      assert.deepEqual(plan.errors, []);

      const placed = async (id: string) => (await ctx.community.team(tenant.id, id)).team;
      assert.deepEqual(
        [await placed(kept.id), await placed(merged.id)].map((t) => [t.unitId, t.name]),
        [
          [communeA.id, 'Tổ công nghệ số cộng đồng xã'],
          [communeA.id, 'Tổ công nghệ số cộng đồng xã (2)'],
        ],
        'the merged commune’s team joins Đại Hiệp under a name of its own',
      );
      assert.equal((await placed(inVillage.id)).unitId, villageB.id, 'a village team moves with its village');
      const summary = await ctx.community.unitSummary(tenant.id, communeA, [], { from: '', to: '' });
      assert.equal(summary.teams, 3, 'Đại Hiệp now counts all three teams');
      const moved = await db.kysely
        .selectFrom('classSessions')
        .select('unitId')
        .where('id', '=', session.id)
        .executeTakeFirstOrThrow();
      assert.equal(moved.unitId, communeA.id, 'the coming class is organised by Đại Hiệp now');
    });
  });
}
