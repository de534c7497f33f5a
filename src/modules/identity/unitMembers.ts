import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/time.js';

/** Who belongs to a unit, as a reorganisation needs to know and change it. */
export interface UnitMembers {
  /** How many people have each unit as their home unit and how many roles are scoped to it. */
  countIn(db: Db, tenantId: string, unitIds: string[]): Promise<{ people: number; roles: number }>;
  /** Moves people and role scopes from each `from` unit to its `to` unit; returns the counts moved. */
  move(db: Db, tenantId: string, moves: Map<string, string>): Promise<{ people: number; roles: number }>;
}

const count = (rows: { n: number | string | bigint }[]) => Number(rows[0]?.n ?? 0);

/**
 * The identity module's part in a reorganisation: people move with their unit (their learning
 * records keep the unit they learned in), and a role over a merged unit covers its successor.
 */
export const unitMembers: UnitMembers = {
  async countIn(db, tenantId, unitIds) {
    if (unitIds.length === 0) return { people: 0, roles: 0 };
    const [people, roles] = await Promise.all([
      db.kysely
        .selectFrom('accounts')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('tenantId', '=', tenantId)
        .where('homeUnitId', 'in', unitIds)
        .where('deletedAt', 'is', null)
        .execute(),
      db.kysely
        .selectFrom('roleGrants')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('tenantId', '=', tenantId)
        .where('unitId', 'in', unitIds)
        .execute(),
    ]);
    return { people: count(people), roles: count(roles) };
  },

  async move(db, tenantId, moves) {
    let people = 0;
    let roles = 0;
    const updatedAt = nowIso();
    for (const [from, to] of moves) {
      const moved = await db.kysely
        .updateTable('accounts')
        .set({ homeUnitId: to, updatedAt })
        .where('tenantId', '=', tenantId)
        .where('homeUnitId', '=', from)
        .executeTakeFirst();
      people += Number(moved.numUpdatedRows);
      // Someone holding the same role over two merged units keeps one grant over their successor.
      const grants = await db.kysely
        .selectFrom('roleGrants')
        .select(['id', 'accountId', 'role', 'unitId'])
        .where('tenantId', '=', tenantId)
        .where('unitId', 'in', [from, to])
        .orderBy('grantedAt')
        .execute();
      const kept = new Set<string>();
      for (const grant of grants) {
        const key = `${grant.accountId}:${grant.role}`;
        const query = kept.has(key)
          ? db.kysely.deleteFrom('roleGrants').where('id', '=', grant.id)
          : db.kysely.updateTable('roleGrants').set({ unitId: to }).where('id', '=', grant.id);
        await query.execute();
        kept.add(key);
      }
      roles += grants.filter((g) => g.unitId === from).length;
    }
    return { people, roles };
  },
};

/** People on each tenant's rolls (accounts deleted at their owner's request are not people any more). */
export async function peopleByTenant(db: Db): Promise<Map<string, number>> {
  const rows = await db.kysely
    .selectFrom('accounts')
    .select('tenantId')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('deletedAt', 'is', null)
    .groupBy('tenantId')
    .execute();
  return new Map(rows.map((r) => [r.tenantId, Number(r.n)]));
}
