import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { Actor } from '../src/access/actor.js';
import type { Db } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import type { EntryInput } from '../src/modules/community/assistance.js';
import {
  addDays,
  lastDayOf,
  nextMonth,
  type Period,
  planPeriod,
  previousMonth,
} from '../src/modules/community/periods.js';
import type { TeamPlace } from '../src/modules/community/teamAccess.js';
import { storedTotals } from '../src/modules/community/totals.js';
import type { AppContext } from '../src/web/context.js';
import { openTestDatabase, testDialects } from './support/db.js';
import { buildAccount, buildTenant, testContext } from './support/factories.js';
import { qualificationProgram } from './support/qualifications.js';

describe('planning a period over month rows and log days', () => {
  const today = '2025-06-20';

  it('reads whole months from month rows and the ends of partial months from the log', () => {
    assert.deepEqual(planPeriod({ from: '2025-01-15', to: '2025-03-10' }, today), {
      allTime: false,
      months: { from: '2025-02', to: '2025-02' },
      days: [
        { from: '2025-01-15', to: '2025-01-31' },
        { from: '2025-03-01', to: '2025-03-10' },
      ],
    });
    assert.deepEqual(planPeriod({ from: '2025-01-01', to: '2025-03-31' }, today), {
      allTime: false,
      months: { from: '2025-01', to: '2025-03' },
      days: [],
    });
    assert.deepEqual(planPeriod({ from: '2025-02-01', to: '2025-02-28' }, today), {
      allTime: false,
      months: { from: '2025-02', to: '2025-02' },
      days: [],
    });
    assert.deepEqual(planPeriod({ from: '2025-01-31', to: '2025-02-01' }, today), {
      allTime: false,
      months: null,
      days: [
        { from: '2025-01-31', to: '2025-01-31' },
        { from: '2025-02-01', to: '2025-02-01' },
      ],
    });
  });

  it('treats an end on or after today as open, and an open start as all time less what came after', () => {
    assert.deepEqual(planPeriod({ from: '2025-06-01', to: today }, today), {
      allTime: false,
      months: { from: '2025-06', to: '9999-12' },
      days: [],
    });
    assert.deepEqual(planPeriod({ from: '', to: '' }, today), { allTime: true, months: null, days: [] });
    assert.deepEqual(planPeriod({ from: '', to: '2025-03-10' }, today), {
      allTime: true,
      months: { from: '2025-04', to: '9999-12' },
      days: [{ from: '2025-03-11', to: '2025-03-31' }],
    });
  });

  it('knows month ends, leap years and year turns', () => {
    assert.equal(lastDayOf('2024-02'), '2024-02-29');
    assert.equal(lastDayOf('2025-02'), '2025-02-28');
    assert.equal(nextMonth('2025-12'), '2026-01');
    assert.equal(previousMonth('2026-01'), '2025-12');
  });
});

/** A small seeded generator, so a failing case can be replayed. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let x = state;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4_294_967_296;
  };
  return {
    int: (below: number) => Math.floor(next() * below),
    pick: <T>(items: readonly T[]) => items[Math.floor(next() * items.length)] as T,
  };
}

const SERVICES = ['vneid', 'public-service', 'cashless', 'scam-report', 'social-insurance', 'other'];

for (const dialect of testDialects()) {
  describe(`assistance totals by service and period [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;
    let teamA: TeamPlace;
    let teamB: TeamPlace;
    let guides: { actor: Actor; place: TeamPlace }[];
    let leaderA: Actor;
    const today = todayInVietnam();

    const entryInput = (
      fields: Partial<EntryInput> & Pick<EntryInput, 'helpedOn' | 'service' | 'people'>,
    ) => ({
      id: randomUUID(),
      villageUnitId: '',
      citizenPhone: '',
      consent: false,
      note: '',
      ...fields,
    });

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
      const { tenant, communeB, villageA, villageB } = fixture;
      const manager = await ctx.identity.actorOf(
        await buildAccount(ctx, tenant, fixture.province, { role: 'tenantAdmin', scope: null }),
      );
      const { qualify } = await qualificationProgram(ctx, tenant);
      const person = async (home: typeof villageA, fullName: string) => {
        const account = await buildAccount(ctx, tenant, home, { fullName, block: 'community' });
        await qualify(account);
        return account;
      };
      const [a1, a2, b1] = [
        await person(villageA, 'Hướng Dẫn Một'),
        await person(villageA, 'Hướng Dẫn Hai'),
        await person(villageB, 'Hướng Dẫn Ba'),
      ];
      const created = async (unitId: string, name: string, leader: typeof a1, others: (typeof a1)[]) => {
        const team = await ctx.community.createTeam(manager, {
          unitId,
          name,
          leaderPhone: leader.phone ?? '',
          contactPhone: '',
          contactNote: '',
        });
        const place = await ctx.community.team(tenant.id, team.id);
        for (const other of others) await ctx.community.addMember(manager, place, other.phone ?? '');
        return ctx.community.team(tenant.id, team.id);
      };
      teamA = await created(villageA.id, 'Tổ Phú Hòa', a1, [a2]);
      teamB = await created(communeB.id, 'Tổ Đại Thạnh', b1, []);
      leaderA = await ctx.identity.actorOf(a1);
      guides = [
        { actor: leaderA, place: teamA },
        { actor: await ctx.identity.actorOf(a2), place: teamA },
        { actor: await ctx.identity.actorOf(b1), place: teamB },
      ];
    });
    after(() => db.close());

    /** What the log says a period holds, counted by hand: per service, entries and people. */
    const byHand = async (period: Period, teamIds: string[]) => {
      const rows = await db.kysely.selectFrom('assistanceLogs').selectAll().execute();
      const sums = new Map(SERVICES.map((s) => [s, { entries: 0, people: 0 }]));
      for (const row of rows) {
        if (!teamIds.includes(row.teamId)) continue;
        if (period.from && row.helpedOn < period.from) continue;
        if (period.to && row.helpedOn > period.to) continue;
        const sum = sums.get(row.service) as { entries: number; people: number };
        sum.entries += 1;
        sum.people += row.people;
      }
      return SERVICES.map((s) => ({ service: s, ...sums.get(s) }));
    };

    /** Each guide's help to a team in the period, counted from the log, the most people first. */
    const guidesByHand = async (period: Period, teamId: string) => {
      const rows = await db.kysely.selectFrom('assistanceLogs').selectAll().execute();
      const sums = new Map<string, { accountId: string; entries: number; people: number }>();
      for (const row of rows) {
        if (row.teamId !== teamId) continue;
        if (period.from && row.helpedOn < period.from) continue;
        if (period.to && row.helpedOn > period.to) continue;
        const sum = sums.get(row.guideAccountId) ?? { accountId: row.guideAccountId, entries: 0, people: 0 };
        sum.entries += 1;
        sum.people += row.people;
        sums.set(row.guideAccountId, sum);
      }
      return [...sums.values()].sort((a, b) => a.accountId.localeCompare(b.accountId));
    };

    const summaryOf = async (period: Period) => {
      const { tenant, province, district } = fixture;
      return ctx.community.unitSummary(tenant.id, province, [district], period);
    };

    it('counts entries on a month’s last and the next month’s first day in the right months, and a mid-month to mid-month period', async () => {
      const month = today.slice(0, 7);
      // A 31-day month that ended at least a month ago.
      let m = previousMonth(previousMonth(month));
      while (!lastDayOf(m).endsWith('-31')) m = previousMonth(m);
      const [last, first] = [lastDayOf(m), `${nextMonth(m)}-01`];
      const villageA = fixture.villageA.id;
      const log = (helpedOn: string, service: string, people: string) =>
        ctx.community.logAssistance(
          leaderA,
          teamA,
          entryInput({ helpedOn, service, people, villageUnitId: villageA }),
        );
      await log(last, 'vneid', '2');
      await log(first, 'vneid', '3');
      await log(`${m}-15`, 'cashless', '4');
      await log(`${nextMonth(m)}-20`, 'vneid', '5');
      const people = async (period: Period, service = 'vneid') =>
        (await ctx.community.teamHelp(teamA, period)).byService.find((s) => s.service === service)?.people;
      assert.equal(await people({ from: `${m}-01`, to: last }), 2, 'the 31st counts in its own month');
      assert.equal(await people({ from: first, to: lastDayOf(nextMonth(m)) }), 8, 'the 1st in the next');
      assert.equal(await people({ from: last, to: first }), 5, 'the two days across the boundary');
      assert.equal(await people({ from: `${m}-16`, to: `${nextMonth(m)}-15` }), 5, 'mid-month to mid-month');
      assert.equal(await people({ from: `${m}-15`, to: `${nextMonth(m)}-15` }, 'cashless'), 4);
      assert.equal(await people({ from: '', to: `${nextMonth(m)}-19` }), 5, 'everything up to a day');
      assert.equal(await people({ from: first, to: '' }), 8, 'from a day on');
      assert.equal(await people({ from: '', to: '' }), 10);
      const summary = await summaryOf({ from: `${m}-16`, to: `${nextMonth(m)}-15` });
      assert.equal(summary.byService.find((s) => s.service === 'vneid')?.people, 5);
      assert.equal(summary.children[0]?.people, 5, 'the district holds commune A’s team');
    });

    it('keeps the totals equal to a recount of the log through random entries, corrections and deletions', async () => {
      const random = generator(20250526);
      const oldest = addDays(today, -360);
      const randomDay = () => addDays(oldest, random.int(361));
      const villageOf = (place: TeamPlace) => place.team.unitId;
      const logged: { id: string; guide: (typeof guides)[number] }[] = [];
      for (let i = 0; i < 80; i += 1) {
        const guide = random.pick(guides);
        const entry = await ctx.community.logAssistance(
          guide.actor,
          guide.place,
          entryInput({
            helpedOn: randomDay(),
            service: random.pick(SERVICES),
            people: String(1 + random.int(20)),
            villageUnitId: villageOf(guide.place),
          }),
        );
        logged.push({ id: entry.id, guide });
      }
      for (let i = 0; i < 15; i += 1) {
        const { id, guide } = logged[random.int(logged.length)] as (typeof logged)[number];
        await ctx.community.correctEntry(
          guide.actor,
          guide.place,
          id,
          entryInput({
            id,
            helpedOn: randomDay(),
            service: random.pick(SERVICES),
            people: String(1 + random.int(20)),
            villageUnitId: villageOf(guide.place),
          }),
        );
      }
      for (let i = 0; i < 25; i += 1) {
        const [{ id, guide }] = logged.splice(random.int(logged.length), 1) as [(typeof logged)[number]];
        const deleter = guide.place === teamA && random.int(2) === 0 ? leaderA : guide.actor;
        await ctx.community.deleteEntry(deleter, guide.place, id);
      }
      assert.deepEqual(
        await storedTotals(db, fixture.tenant.id),
        await ctx.community.recountTotals(fixture.tenant.id),
      );

      const days = () => {
        const choice = random.int(4);
        if (choice === 0) return '';
        const day = randomDay();
        return choice === 1 ? `${day.slice(0, 7)}-01` : choice === 2 ? lastDayOf(day.slice(0, 7)) : day;
      };
      for (let i = 0; i < 40; i += 1) {
        const [a, b] = [days(), days()];
        const period = a && b && a > b ? { from: b, to: a } : { from: a, to: b };
        const summary = await summaryOf(period);
        const expected = await byHand(period, [teamA.team.id, teamB.team.id]);
        assert.deepEqual(
          summary.byService.map((s) => ({ service: s.service, entries: s.entries, people: s.people })),
          expected,
          JSON.stringify(period),
        );
        const team = await ctx.community.teamHelp(teamB, period);
        assert.deepEqual(
          team.byService.map((s) => ({ service: s.service, entries: s.entries, people: s.people })),
          await byHand(period, [teamB.team.id]),
          `team B ${JSON.stringify(period)}`,
        );
        assert.deepEqual(
          team.guides
            .map((g) => ({ accountId: g.accountId, entries: g.entries, people: g.people }))
            .sort((x, y) => x.accountId.localeCompare(y.accountId)),
          await guidesByHand(period, teamB.team.id),
          `team B's guides ${JSON.stringify(period)}`,
        );
      }
    });
  });
}
