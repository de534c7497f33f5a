// The server side of the community bench: opens the database communityFill.ts filled, signs in
// an evaluator and some qualified guides (one per active team), picks the commune with the most
// teams, listens on a free port and prints one JSON line describing them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import { buildApp } from '../src/server.js';

const [databaseUrl = '', slug = '', guideCount = '32'] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-community-'));
// Requests to 127.0.0.1 are served the default tenant: the synthetic one here.
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOCVUSO_DATA_DIR: dataDir,
  HOCVUSO_DEFAULT_TENANT: slug,
});
const db = openDatabase(databaseUrl);
const ctx = createContext(config, db);
const tenant = await ctx.org.tenantBySlug(slug);
const province = tenant && (await ctx.org.rootUnit(tenant.id));
if (!tenant || !province) throw new Error(`no synthetic tenant "${slug}"`);

/** A returning browser's cookies: its session, and the CSRF cookie it got on its first visit. */
const cookieOf = async (account: Parameters<typeof ctx.identity.startSession>[0]) =>
  `hv_session=${await ctx.identity.startSession(account)}; hv_csrf=${randomBytes(18).toString('base64url')}`;

const evaluator = await ctx.identity.createAccount(tenant.id, {
  fullName: 'Sở Nội vụ (đo hiệu năng)',
  phone: '0989999001',
  block: 'official',
  homeUnitId: province.id,
  password: randomBytes(12).toString('hex'),
  roles: [{ role: 'evaluator', unitId: null }],
});

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

const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(
  `${JSON.stringify({
    port: (app.server.address() as AddressInfo).port,
    dialect: db.dialect,
    tenantId: tenant.id,
    evaluator: await cookieOf(evaluator),
    province: { id: province.id, teams: Number(teams.n) },
    commune: { id: commune?.id, teams: Number(commune?.teams ?? 0) },
    guides,
  })}\n`,
);
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  rmSync(dataDir, { recursive: true, force: true });
  process.exit(0);
});
