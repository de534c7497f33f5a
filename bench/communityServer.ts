// The server side of the community bench: opens the database communityFill.ts filled, signs in
// an evaluator and some qualified guides (one per active team), picks the commune with the most
// teams, listens on a free port and prints one JSON line describing them.
import { sql } from 'kysely';
import { todayInVietnam } from '../src/db/time.js';
import { openSyntheticTenant } from './syntheticServer.js';

const [databaseUrl = '', slug = '', guideCount = '32'] = process.argv.slice(2);
const { db, ctx, tenant, province, cookieOf, evaluator, serve } = await openSyntheticTenant(
  databaseUrl,
  slug,
);

const [commune] = await sql<{ id: string; teams: number }>`
  select u.parent_id as id, count(*) as teams from community_teams t join org_units u on u.id = t.unit_id
  where t.tenant_id = ${tenant.id} group by u.parent_id order by count(*) desc, u.parent_id limit 1`
  .execute(db.kysely)
  .then((r) => r.rows);
const teams = await db.kysely
  .selectFrom('communityTeams')
  .select((eb) => eb.fn.countAll<number>().as('n'))
  .where('tenantId', '=', tenant.id)
  .executeTakeFirstOrThrow();

// Guides qualified today, each of a different active team, with the team's village to log help in.
const candidates = await sql<{ teamId: string; accountId: string; unitId: string }>`
  select m.team_id, m.account_id, t.unit_id from community_team_members m
  join community_teams t on t.id = m.team_id
  join qualifications q on q.account_id = m.account_id
  where t.tenant_id = ${tenant.id} and t.status = 'active' and q.revoked_at is null
    and (q.expires_on is null or q.expires_on >= ${todayInVietnam()})
  order by m.team_id, m.account_id`
  .execute(db.kysely)
  .then((r) => r.rows);
const perTeam = new Map(candidates.map((c) => [c.teamId, c]));
const chosen = [...perTeam.values()].slice(0, Number(guideCount));
const guides = await Promise.all(
  chosen.map(async (c) => {
    const account = await ctx.identity.account(tenant.id, c.accountId);
    if (!account) throw new Error(`no account ${c.accountId}`);
    return { cookie: await cookieOf(account), teamId: c.teamId, placeId: c.unitId };
  }),
);

await serve({
  evaluator,
  province: { id: province.id, teams: Number(teams.n) },
  commune: { id: commune?.id, teams: Number(commune?.teams ?? 0) },
  guides,
});
