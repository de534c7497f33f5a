import type { Db } from '../../db/database.js';

const columns = ['id', 'homeUnitId', 'block', 'deletedAt'] as const;
const toState = (r: { id: string; homeUnitId: string | null; block: string; deletedAt: string | null }) => ({
  accountId: r.id,
  unitId: r.homeUnitId,
  block: r.block,
  deleted: r.deletedAt !== null,
});

/**
 * Where these people count now: unit, block, and whether the account was deleted. Looked up by
 * id alone (then kept to the tenant): with the tenant in the query, SQLite's planner walks the
 * tenant's whole index instead of the few ids.
 */
export async function peopleStates(db: Db, tenantId: string, accountIds: string[]) {
  if (accountIds.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('accounts')
    .select([...columns, 'tenantId'])
    .where('id', 'in', accountIds)
    .execute();
  return rows.filter((r) => r.tenantId === tenantId).map(toState);
}

/**
 * The next people of a tenant by id: the pages a whole-tenant recount walks. The walk follows
 * the primary key over every tenant (keeping this one's), which stays a range scan however many
 * people there are; `next` is where the following page starts, null at the end.
 */
export async function peoplePage(db: Db, tenantId: string, after: string, limit: number) {
  const rows = await db.kysely
    .selectFrom('accounts')
    .select([...columns, 'tenantId'])
    .where('id', '>', after)
    .orderBy('id')
    .limit(limit)
    .execute();
  return {
    people: rows.filter((r) => r.tenantId === tenantId).map(toState),
    next: rows.length === limit ? (rows.at(-1)?.id ?? null) : null,
  };
}

export async function peopleCount(db: Db, tenantId: string): Promise<number> {
  const row = await db.kysely
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('tenantId', '=', tenantId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Names (and positions) of these people, for lists behind report figures. */
export async function namesOf(db: Db, tenantId: string, accountIds: string[]) {
  if (accountIds.length === 0) return new Map<string, { fullName: string; position: string | null }>();
  const rows = await db.kysely
    .selectFrom('accounts')
    .select(['id', 'fullName', 'position'])
    .where('tenantId', '=', tenantId)
    .where('id', 'in', [...new Set(accountIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { fullName: r.fullName, position: r.position }]));
}
