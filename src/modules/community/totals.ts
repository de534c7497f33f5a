/**
 * The running totals of the assistance log (`assistance_totals`): kept in the transaction of every
 * entry logged, corrected or deleted, read per period by `readTotals`, and recounted from the log
 * by `recountTotals` to prove they never drift.
 */
import { type Expression, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { PeriodPlan } from './periods.js';
import { type AssistanceRow, inSlices } from './repository.js';

type Q = Kysely<Database> | Transaction<Database>;

/** What the help of a team (guide '') or of one guide of it adds up to for one service. */
export interface TotalRow {
  teamId: string;
  /** '' for the whole team. */
  guideAccountId: string;
  service: string;
  entries: number;
  people: number;
}

/** A stored row of the totals, as `recountTotals` rebuilds them. */
export interface StoredTotal extends TotalRow {
  tenantId: string;
  period: string;
}

type Counted = Pick<
  AssistanceRow,
  'tenantId' | 'teamId' | 'guideAccountId' | 'service' | 'helpedOn' | 'people'
>;

const PK = ['teamId', 'period', 'guideAccountId', 'service'] as const;

/** The four rows an entry adds to: the team and its guide, all time and the entry's month. */
function rowsOf(entry: Counted, sign: 1 | -1): StoredTotal[] {
  const month = entry.helpedOn.slice(0, 7);
  return ['', entry.guideAccountId].flatMap((guideAccountId) =>
    ['', month].map((period) => ({
      tenantId: entry.tenantId,
      teamId: entry.teamId,
      guideAccountId,
      service: entry.service,
      period,
      entries: sign,
      people: sign * entry.people,
    })),
  );
}

/**
 * Adds an entry to the totals (`sign` 1) or takes it away (-1), inside the caller's transaction;
 * rows that fall to nothing are dropped.
 * @example await inTransaction(db, async (tx) => { await insertEntry(tx, e); await countEntry(tx.kysely, e, 1); })
 */
export async function countEntry(q: Q, entry: Counted, sign: 1 | -1): Promise<void> {
  await q
    .insertInto('assistanceTotals')
    .values(rowsOf(entry, sign))
    .onConflict((oc) =>
      oc.columns([...PK]).doUpdateSet((eb) => ({
        entries: eb('assistanceTotals.entries', '+', eb.ref('excluded.entries')),
        people: eb('assistanceTotals.people', '+', eb.ref('excluded.people')),
      })),
    )
    .execute();
  if (sign > 0) return;
  await q
    .deleteFrom('assistanceTotals')
    .where('teamId', '=', entry.teamId)
    .where('period', 'in', ['', entry.helpedOn.slice(0, 7)])
    .where('guideAccountId', 'in', ['', entry.guideAccountId])
    .where('service', '=', entry.service)
    .where('entries', '<=', 0)
    .execute();
}

/** Totals keyed by team, guide and service, with rows of the same key added up. */
function merged(rows: TotalRow[]): TotalRow[] {
  const byKey = new Map<string, TotalRow>();
  for (const row of rows) {
    const key = `${row.teamId}\n${row.guideAccountId}\n${row.service}`;
    const kept = byKey.get(key);
    if (kept) {
      kept.entries += row.entries;
      kept.people += row.people;
    } else byKey.set(key, { ...row });
  }
  return [...byKey.values()].filter((r) => r.entries !== 0 || r.people !== 0);
}

/**
 * The help these teams gave in a planned period: per team and service (`byGuide` false; guide
 * ''), or per guide of each team with the services added up (service ''). One query on the totals
 * and one on the log per range of partial days.
 */
export async function readTotals(
  q: Q,
  teamIds: readonly string[],
  plan: PeriodPlan,
  byGuide: boolean,
): Promise<TotalRow[]> {
  const sign = (column: 'entries' | 'people') =>
    plan.allTime
      ? sql<number>`sum(case when ${sql.ref('period')} = '' then ${sql.ref(column)} else -${sql.ref(column)} end)`
      : sql<number>`sum(${sql.ref(column)})`;
  const { months } = plan;
  // What is kept apart: the service for a team's figures, the guide for the list of guides.
  const keyed = [
    'teamId',
    (byGuide ? sql.ref<string>('guideAccountId') : sql.lit('')).as('guideAccountId'),
    (byGuide ? sql.lit('') : sql.ref<string>('service')).as('service'),
  ] as const;
  const groups = ['teamId', byGuide ? 'guideAccountId' : 'service'] as const;
  const fromTotals =
    plan.allTime || months
      ? await inSlices(teamIds, (slice) =>
          q
            .selectFrom('assistanceTotals')
            .select(keyed)
            .select([sign('entries').as('entries'), sign('people').as('people')])
            .where('teamId', 'in', slice)
            .where('guideAccountId', byGuide ? '!=' : '=', '')
            .where((eb) => {
              const periods: Expression<SqlBool>[] = [];
              if (plan.allTime) periods.push(eb('period', '=', ''));
              if (months) periods.push(eb.between('period', months.from, months.to));
              return eb.or(periods);
            })
            .groupBy(groups)
            .execute(),
        )
      : [];
  const daySign = plan.allTime ? -1 : 1;
  // One query per range of days (at most two): with both in one `or`, neither engine uses the
  // index's day column, and a province's read scanned every entry of its teams.
  const fromLog = [];
  for (const days of plan.days)
    fromLog.push(
      ...(await inSlices(teamIds, (slice) =>
        q
          .selectFrom('assistanceLogs')
          .select(keyed)
          .select((eb) => [eb.fn.countAll<number>().as('entries'), eb.fn.sum<number>('people').as('people')])
          .where('teamId', 'in', slice)
          .where('helpedOn', '>=', days.from)
          .where('helpedOn', '<=', days.to)
          .groupBy(groups)
          .execute(),
      )),
    );
  return merged([
    ...fromTotals.map((r) => ({ ...r, entries: Number(r.entries), people: Number(r.people) })),
    ...fromLog.map((r) => ({
      ...r,
      entries: daySign * Number(r.entries),
      people: daySign * Number(r.people),
    })),
  ]);
}

const byStoredKey = (a: StoredTotal, b: StoredTotal) =>
  a.teamId.localeCompare(b.teamId) ||
  a.period.localeCompare(b.period) ||
  a.guideAccountId.localeCompare(b.guideAccountId) ||
  a.service.localeCompare(b.service);

/**
 * The totals of a tenant as they should be, counted again from the whole log, in key order:
 * what `assistance_totals` must hold (rows of nothing are not kept).
 */
export async function recountTotals(db: Db, tenantId: string): Promise<StoredTotal[]> {
  const rows = await db.kysely
    .selectFrom('assistanceLogs')
    .select(['teamId', 'guideAccountId', 'service'])
    .select((eb) => [
      sql<string>`substr(${sql.ref('helpedOn')}, 1, 7)`.as('month'),
      eb.fn.countAll<number>().as('entries'),
      eb.fn.sum<number>('people').as('people'),
    ])
    .where('tenantId', '=', tenantId)
    .groupBy(['teamId', 'guideAccountId', 'service', sql`substr(${sql.ref('helpedOn')}, 1, 7)`])
    .execute();
  const totals = new Map<string, StoredTotal>();
  for (const row of rows) {
    for (const guideAccountId of ['', row.guideAccountId]) {
      for (const period of ['', row.month]) {
        const key = `${row.teamId}\n${period}\n${guideAccountId}\n${row.service}`;
        const total = totals.get(key) ?? {
          tenantId,
          teamId: row.teamId,
          guideAccountId,
          service: row.service,
          period,
          entries: 0,
          people: 0,
        };
        total.entries += Number(row.entries);
        total.people += Number(row.people);
        totals.set(key, total);
      }
    }
  }
  return [...totals.values()].sort(byStoredKey);
}

/** The stored totals of a tenant in key order, to hold against `recountTotals`. */
export async function storedTotals(db: Db, tenantId: string): Promise<StoredTotal[]> {
  const rows = await db.kysely
    .selectFrom('assistanceTotals')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .execute();
  return rows.map((r) => ({ ...r, entries: Number(r.entries), people: Number(r.people) })).sort(byStoredKey);
}
