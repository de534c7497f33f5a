import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';

type Q = Kysely<Database> | Transaction<Database>;

/** The exclusive upper bound of every path below `path` (which ends in "/"). */
const pathUpperBound = (path: string) => `${path.slice(0, -1)}0`;

/**
 * The ids of a tenant's live accounts whose home unit lies in one of `unitPaths` (null: anywhere,
 * or nowhere yet), as a query other modules nest: records that name a person (qualifications,
 * exports) are filtered by where the person belongs now, without reading the accounts table.
 * Deleted accounts are never among them.
 *
 * @example
 * q.selectFrom('qualifications').selectAll()
 *   .where('accountId', 'in', holdersQuery(q, tenantId, [communeA.path]))
 */
export function holdersQuery(q: Q, tenantId: string, unitPaths: readonly string[] | null) {
  const live = q
    .selectFrom('accounts')
    .select('accounts.id')
    .where('accounts.tenantId', '=', tenantId)
    .where('accounts.deletedAt', 'is', null);
  if (unitPaths === null) return live;
  return live.where(({ exists, selectFrom }) =>
    exists(
      selectFrom('orgUnits')
        .select('orgUnits.id')
        .whereRef('orgUnits.id', '=', 'accounts.homeUnitId')
        .where((eb) =>
          eb.or(
            unitPaths.map((path) =>
              eb.and([eb('orgUnits.path', '>=', path), eb('orgUnits.path', '<', pathUpperBound(path))]),
            ),
          ),
        ),
    ),
  );
}

/** What a record about a person may show of them besides their name. */
export interface HolderFacts {
  homeUnitId: string | null;
  /** The last four digits of the CCCD, for a masked display; null when unknown. */
  nationalIdLast4: string | null;
}

/** The facts of some accounts of a tenant, by id (unknown and deleted accounts are absent). */
export async function holderFacts(
  q: Q,
  tenantId: string,
  accountIds: readonly string[],
): Promise<Map<string, HolderFacts>> {
  if (accountIds.length === 0) return new Map();
  const rows = await q
    .selectFrom('accounts')
    .select(['id', 'homeUnitId', 'nationalIdLast4'])
    .where('tenantId', '=', tenantId)
    .where('deletedAt', 'is', null)
    .where('id', 'in', [...new Set(accountIds)])
    .execute();
  return new Map(rows.map((r) => [r.id, { homeUnitId: r.homeUnitId, nationalIdLast4: r.nationalIdLast4 }]));
}
