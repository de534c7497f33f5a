// Fills a fresh database with a synthetic province's community teams for the community bench:
// `hocvuso synth` makes the real Quảng Nam tree (with villages), the demo courses and a program;
// then teams on villages (at least one per commune when there are enough), their members as
// community accounts, most of them qualified, and months of assistance log rows, written in
// bulk as synth writes; the running totals are `recountTotals` of that log, and `hocvuso stats
// rebuild` counts the new people into the dashboards.
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { type Db, inTransaction, openDatabase } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import { SERVICE_CODES, type ServiceType } from '../src/modules/community/serviceTypes.js';
import { suggestedTeamName } from '../src/modules/community/teams.js';
import { recountTotals } from '../src/modules/community/totals.js';
import { addDays, addMonths } from '../src/modules/programs/days.js';
import { type BulkTable, RowBuffer, writeRows } from '../src/modules/reports/synth/bulkWriter.js';
import { synthId, TABLES, vnInstant } from '../src/modules/reports/synth/model.js';
import { vietnameseName } from '../src/modules/reports/synth/names.js';
import { apportion, cumulative, Prng } from '../src/modules/reports/synth/prng.js';
import { runCli } from './cliRun.js';

/** People `hocvuso synth` makes around the teams: the tree and the dashboards are what matter here. */
const SYNTH_PEOPLE = 1_000;
/** Log rows written per transaction. */
const LOG_BATCH = 20_000;
const TOTALS_BATCH = 50_000;
const DAYS = 365;
/** How often each kind of help is logged. */
const SERVICE_WEIGHTS: Record<ServiceType, number> = {
  vneid: 30,
  'public-service': 25,
  cashless: 15,
  'scam-report': 12,
  'social-insurance': 12,
  other: 6,
};

const text = 'text' as const;
const int = 'int' as const;
const COMMUNITY_TABLES = {
  teams: {
    name: 'community_teams',
    columns: [
      ['id', text],
      ['tenant_id', text],
      ['unit_id', text],
      ['name', text],
      ['leader_account_id', text],
      ['contact_phone', text],
      ['contact_note', text],
      ['status', text],
      ['created_at', text],
      ['updated_at', text],
    ],
  },
  members: {
    name: 'community_team_members',
    columns: [
      ['team_id', text],
      ['account_id', text],
      ['tenant_id', text],
      ['joined_at', text],
      ['added_by', text],
    ],
  },
  logs: {
    name: 'assistance_logs',
    columns: [
      ['id', text],
      ['tenant_id', text],
      ['team_id', text],
      ['guide_account_id', text],
      ['village_unit_id', text],
      ['helped_on', text],
      ['service', text],
      ['people', int],
      ['citizen_phone', text],
      ['consent_at', text],
      ['note', text],
      ['created_at', text],
      ['updated_at', text],
    ],
  },
  totals: {
    name: 'assistance_totals',
    columns: [
      ['tenant_id', text],
      ['team_id', text],
      ['guide_account_id', text],
      ['service', text],
      ['period', text],
      ['entries', int],
      ['people', int],
    ],
  },
} satisfies Record<string, BulkTable>;

export interface CommunityFill {
  teams: number;
  members: number;
  guides: number;
  totals: number;
  seconds: number;
}

interface Unit {
  id: string;
  parentId: string | null;
  kind: string;
  typeLabel: string;
  name: string;
}

interface Team {
  id: string;
  unit: Unit;
  /** The commune and its villages: where the team's help may be given. */
  places: string[];
  /** Members with a valid qualification today. */
  guides: string[];
  activity: number;
}

const iso = (t: number) => new Date(t).toISOString();
const fmt = (n: number) => Math.round(n).toLocaleString('en');

/** Writes a buffer's rows in slices of `size` rows, a transaction each. */
async function writeInSlices(db: Db, buffer: RowBuffer, size: number): Promise<void> {
  const { table, values, width } = buffer;
  for (let at = 0; at < values.length; at += size * width) {
    const slice = new RowBuffer(table, values.slice(at, at + size * width));
    await inTransaction(db, (tx) => writeRows(tx.kysely, db.dialect, slice));
  }
}

/**
 * Spreads `count` teams over the villages: one per commune first (when there are enough), the
 * rest by a skewed weight per village, so some communes have many teams.
 */
function teamsPerVillage(prng: Prng, communes: Unit[], villagesOf: Map<string, Unit[]>, count: number) {
  const villages = communes.flatMap((c) => villagesOf.get(c.id) ?? []);
  const perVillage = new Map(villages.map((v) => [v.id, 0]));
  const eachCommune = count >= communes.length;
  if (eachCommune) {
    for (const commune of communes) {
      const village = prng.pick(villagesOf.get(commune.id) ?? []);
      perVillage.set(village.id, 1);
    }
  }
  const rest = apportion(
    count - (eachCommune ? communes.length : 0),
    villages.map(() => prng.logNormal(0.9)),
  );
  villages.forEach((v, i) => {
    perVillage.set(v.id, (perVillage.get(v.id) ?? 0) + (rest[i] as number));
  });
  return villages.flatMap((v) => Array.from({ length: perVillage.get(v.id) ?? 0 }, (_, k) => ({ v, k })));
}

/**
 * Teams (5–7 members each, the first their leader; a few paused or dissolved; about 3% newly
 * formed, nobody qualified yet), their members as community accounts and the members'
 * qualifications: 85% valid today, 5% expired, the rest none.
 */
async function writeTeams(
  db: Db,
  tenantId: string,
  namespace: string,
  units: Unit[],
  teamCount: number,
  today: string,
  prng: Prng,
): Promise<{ teams: Team[]; members: number }> {
  const [program, hashed] = await Promise.all([
    db.kysely
      .selectFrom('programs')
      .select(['id', 'name', 'targetBlock'])
      .where('tenantId', '=', tenantId)
      .orderBy('createdAt')
      .executeTakeFirstOrThrow(),
    db.kysely
      .selectFrom('accounts')
      .select('passwordHash')
      .where('tenantId', '=', tenantId)
      .executeTakeFirstOrThrow(),
  ]);
  const communes = units.filter((u) => u.kind === 'commune');
  const villagesOf = new Map(
    communes.map((c) => [c.id, units.filter((u) => u.parentId === c.id && u.kind === 'village')]),
  );
  const rows = {
    accounts: new RowBuffer(TABLES.accounts),
    qualifications: new RowBuffer(TABLES.qualifications),
    teams: new RowBuffer(COMMUNITY_TABLES.teams),
    members: new RowBuffer(COMMUNITY_TABLES.members),
  };
  const teams: Team[] = [];
  let memberCount = 0;
  // Teams formed before the first qualification of their members.
  const formedOn = addMonths(today, -20);
  for (const [n, { v, k }] of teamsPerVillage(prng, communes, villagesOf, teamCount).entries()) {
    const teamId = synthId(namespace, '10', n);
    const commune = v.parentId ?? '';
    const team: Team = {
      id: teamId,
      unit: v,
      places: [commune, ...(villagesOf.get(commune) ?? []).map((u) => u.id)],
      guides: [],
      activity: prng.logNormal(0.7),
    };
    const newlyFormed = prng.chance(0.03);
    const size = prng.int(5, 7);
    const memberIds = Array.from({ length: size }, (_, i) => synthId(namespace, 'a0', memberCount + i));
    for (const accountId of memberIds) {
      memberCount += 1;
      const fullName = vietnameseName(prng, false);
      const createdAt = iso(vnInstant(formedOn, 9));
      rows.accounts.values.push(
        accountId,
        tenantId,
        fullName,
        `+84399${String(memberCount).padStart(6, '0')}`,
        'community',
        v.id,
        null,
        hashed.passwordHash,
        1,
        createdAt,
        createdAt,
      );
      rows.members.values.push(teamId, accountId, tenantId, createdAt, null);
      const draw = newlyFormed ? 1 : prng.next();
      if (draw >= 0.9) continue;
      // Valid: issued within the last 18 months, for 24. Expired: issued 26 months ago.
      const issuedOn = draw < 0.85 ? addDays(today, -prng.int(30, 540)) : addMonths(today, -26);
      const expiresOn = addMonths(issuedOn, 24);
      if (expiresOn > today) team.guides.push(accountId);
      rows.qualifications.values.push(
        synthId(namespace, 'd0', rows.qualifications.length),
        `TCNS-${String(rows.qualifications.length).padStart(7, '0')}`,
        tenantId,
        accountId,
        program.id,
        fullName,
        program.name,
        program.targetBlock,
        issuedOn,
        expiresOn,
        iso(vnInstant(issuedOn, 10)),
      );
    }
    const roll = prng.next();
    const status = roll < 0.01 ? 'dissolved' : roll < 0.03 ? 'paused' : 'active';
    const name = suggestedTeamName(v) + (k > 0 ? ` (tổ ${k + 1})` : '');
    const createdAt = iso(vnInstant(formedOn, 8));
    rows.teams.values.push(
      teamId,
      tenantId,
      v.id,
      name,
      memberIds[0],
      null,
      null,
      status,
      createdAt,
      createdAt,
    );
    teams.push(team);
  }
  await inTransaction(db, async (tx) => {
    for (const buffer of [rows.accounts, rows.qualifications, rows.teams, rows.members])
      await writeRows(tx.kysely, db.dialect, buffer);
  });
  return { teams, members: memberCount };
}

/**
 * `records` log rows over the last DAYS days, day after day (a log grows in time order), more of
 * them lately; each by a guide qualified today of a team drawn by its activity, mostly in the
 * team's own village. Prints a line at every tenth.
 */
async function writeLog(
  db: Db,
  tenantId: string,
  namespace: string,
  teams: Team[],
  records: number,
  today: string,
  prng: Prng,
  log: (line: string) => void,
): Promise<void> {
  const helping = teams.filter((t) => t.guides.length > 0);
  const teamWeights = cumulative(helping.map((t) => t.activity));
  const serviceWeights = cumulative(SERVICE_CODES.map((s) => SERVICE_WEIGHTS[s]));
  const perDay = apportion(
    records,
    Array.from({ length: DAYS }, (_, d) => 0.5 + d / DAYS),
  );
  const buffer = new RowBuffer(COMMUNITY_TABLES.logs);
  const started = performance.now();
  let written = 0;
  let reported = 0;
  const flush = async () => {
    await inTransaction(db, (tx) => writeRows(tx.kysely, db.dialect, buffer));
    written += buffer.length;
    buffer.clear();
    if (Math.floor((written * 10) / records) > reported) {
      reported = Math.floor((written * 10) / records);
      const seconds = (performance.now() - started) / 1000;
      log(`  ${String(reported * 10).padStart(3)}% · ${fmt(written)} log rows (${fmt(written / seconds)}/s)`);
    }
  };
  for (const [d, count] of perDay.entries()) {
    const helpedOn = addDays(today, d - DAYS + 1);
    for (let i = 0; i < count; i++) {
      const team = helping[prng.weighted(teamWeights)] as Team;
      const createdAt = iso(Math.min(Date.now(), vnInstant(helpedOn, 7 + prng.next() * 14)));
      const withPhone = prng.chance(0.15);
      buffer.values.push(
        synthId(namespace, '20', written + buffer.length),
        tenantId,
        team.id,
        prng.pick(team.guides),
        prng.chance(0.8) ? team.unit.id : prng.pick(team.places),
        helpedOn,
        SERVICE_CODES[prng.weighted(serviceWeights)],
        Math.min(40, 1 + Math.floor(prng.exp(1.5))),
        withPhone ? `+84388${String(prng.int(0, 999_999)).padStart(6, '0')}` : null,
        withPhone ? createdAt : null,
        prng.chance(0.05) ? 'Hỗ trợ tại nhà văn hóa thôn' : null,
        createdAt,
        null,
      );
      if (buffer.length === LOG_BATCH) await flush();
    }
  }
  if (buffer.length > 0) await flush();
}

/** The running totals as `recountTotals` counts them from the whole log; how many rows. */
async function writeTotals(db: Db, tenantId: string): Promise<number> {
  const totals = await recountTotals(db, tenantId);
  const buffer = new RowBuffer(COMMUNITY_TABLES.totals);
  for (const t of totals)
    buffer.values.push(t.tenantId, t.teamId, t.guideAccountId, t.service, t.period, t.entries, t.people);
  await writeInSlices(db, buffer, TOTALS_BATCH);
  return totals.length;
}

/** Fills `databaseUrl` (fresh) with the tenant `slug`, its teams and `records` log rows. */
export async function fillCommunity(
  databaseUrl: string,
  slug: string,
  teamCount: number,
  records: number,
  log: (line: string) => void,
): Promise<CommunityFill> {
  const started = performance.now();
  const step = (since: number) => `${((performance.now() - since) / 1000).toFixed(1)} s`;
  const env = { DATABASE_URL: databaseUrl };
  runCli(['migrate'], env);
  runCli(['synth', '--tenant', slug, '--people', String(SYNTH_PEOPLE), '--seed', '1'], env);
  log(`hocvuso synth --people ${fmt(SYNTH_PEOPLE)} (the Quảng Nam tree with villages): ${step(started)}`);
  const db = openDatabase(databaseUrl);
  try {
    // As synth does: a larger SQLite page cache while loading (this connection only).
    if (db.dialect === 'sqlite') await sql`pragma cache_size = -262144`.execute(db.kysely);
    const tenant = await db.kysely
      .selectFrom('tenants')
      .select('id')
      .where('slug', '=', slug)
      .executeTakeFirstOrThrow();
    const units = await db.kysely
      .selectFrom('orgUnits')
      .select(['id', 'parentId', 'kind', 'typeLabel', 'name'])
      .where('tenantId', '=', tenant.id)
      .where('validTo', 'is', null)
      .orderBy('path')
      .execute();
    const namespace = createHash('sha256').update(`community:${tenant.id}`).digest('hex').slice(0, 12);
    const prng = new Prng(1, 0x0c0_4417);
    const today = todayInVietnam();

    let since = performance.now();
    const { teams, members } = await writeTeams(db, tenant.id, namespace, units, teamCount, today, prng);
    const guides = teams.reduce((n, t) => n + t.guides.length, 0);
    log(`${fmt(teams.length)} teams, ${fmt(members)} members, ${fmt(guides)} qualified: ${step(since)}`);

    since = performance.now();
    await writeLog(db, tenant.id, namespace, teams, records, today, prng, log);
    log(`${fmt(records)} assistance log rows: ${step(since)}`);

    since = performance.now();
    const totals = await writeTotals(db, tenant.id);
    log(`assistance_totals from recountTotals: ${fmt(totals)} rows, ${step(since)}`);

    if (db.dialect === 'postgres') {
      since = performance.now();
      for (const table of [
        'accounts',
        'qualifications',
        ...Object.values(COMMUNITY_TABLES).map((t) => t.name),
      ])
        await sql`analyze ${sql.table(table)}`.execute(db.kysely);
      log(`analyze: ${step(since)}`);
    }
    since = performance.now();
    runCli(['stats', 'rebuild', '--tenant', slug], env);
    log(`hocvuso stats rebuild: ${step(since)}`);
    return {
      teams: teams.length,
      members,
      guides,
      totals,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await db.close();
  }
}
