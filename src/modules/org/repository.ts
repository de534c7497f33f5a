import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { OrgSuccessionTable, OrgUnitPlacementTable, OrgUnitTable, TenantTable } from './tables.js';

export type TenantRow = Selectable<TenantTable>;
export type UnitRow = Selectable<OrgUnitTable>;
export type SuccessionRow = Selectable<OrgSuccessionTable>;
export type PlacementRow = Selectable<OrgUnitPlacementTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** Units current on `date`: started on or before it and not yet closed. */
const currentOn = (date: string) =>
  sql<boolean>`valid_from <= ${date} and (valid_to is null or valid_to > ${date})`;

/** The exclusive upper bound of all paths that start with `path` (which ends in "/"). */
const pathUpperBound = (path: string) => `${path.slice(0, -1)}0`;

export const orgRepository = {
  insertTenant: (q: Q, tenant: TenantRow) => q.insertInto('tenants').values(tenant).execute(),

  tenantBySlug: (q: Q, slug: string) =>
    q.selectFrom('tenants').selectAll().where('slug', '=', slug).executeTakeFirst(),

  tenantsBySlugs: (q: Q, slugs: string[]) =>
    q.selectFrom('tenants').selectAll().where('slug', 'in', slugs).execute(),

  tenantById: (q: Q, id: string) =>
    q.selectFrom('tenants').selectAll().where('id', '=', id).executeTakeFirst(),

  listTenants: (q: Q) => q.selectFrom('tenants').selectAll().orderBy('slug').execute(),

  async insertUnits(q: Q, units: UnitRow[]): Promise<void> {
    for (let i = 0; i < units.length; i += 500) {
      await q
        .insertInto('orgUnits')
        .values(units.slice(i, i + 500))
        .execute();
    }
  },

  unitById: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('orgUnits')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  unitsByIds: (q: Q, tenantId: string, ids: string[]) =>
    ids.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('orgUnits')
          .selectAll()
          .where('tenantId', '=', tenantId)
          .where('id', 'in', ids)
          .execute(),

  currentUnitByCode: (q: Q, tenantId: string, code: string) =>
    q
      .selectFrom('orgUnits')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('code', '=', code)
      .where('validTo', 'is', null)
      .executeTakeFirst(),

  rootUnit: (q: Q, tenantId: string) =>
    q
      .selectFrom('orgUnits')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('parentId', 'is', null)
      .where('validTo', 'is', null)
      .executeTakeFirst(),

  currentUnitsWithCodes: (q: Q, tenantId: string) =>
    q
      .selectFrom('orgUnits')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('code', 'is not', null)
      .where('validTo', 'is', null)
      .execute(),

  children: (q: Q, tenantId: string, parentId: string, date: string) =>
    q
      .selectFrom('orgUnits')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('parentId', '=', parentId)
      .where(currentOn(date))
      .execute(),

  /** The unit at `path` and every unit below it, shallowest first. */
  subtree: (q: Q, tenantId: string, path: string) =>
    q
      .selectFrom('orgUnits')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('path', '>=', path)
      .where('path', '<', pathUpperBound(path))
      .orderBy('depth')
      .execute(),

  /**
   * Re-roots a subtree: every path that starts with `from` starts with `to` instead, and depths
   * shift by the same amount. One statement, so the tree is never seen half moved.
   */
  movePaths: (q: Q, tenantId: string, from: string, to: string, depthShift: number) =>
    q
      .updateTable('orgUnits')
      .set({
        path: sql`${to} || substr(path, ${from.length + 1})`,
        depth: sql`depth + ${depthShift}`,
      })
      .where('tenantId', '=', tenantId)
      .where('path', '>=', from)
      .where('path', '<', pathUpperBound(from))
      .execute(),

  setParent: (q: Q, tenantId: string, id: string, parentId: string, updatedAt: string) =>
    q
      .updateTable('orgUnits')
      .set({ parentId, updatedAt })
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .execute(),

  /** Current units whose own or ancestors' names contain every token; own-name matches first. */
  search(q: Q, tenantId: string, tokens: string[], date: string, limit: number) {
    let query = q.selectFrom('orgUnits').selectAll().where('tenantId', '=', tenantId).where(currentOn(date));
    for (const token of tokens) query = query.where('searchPath', 'like', `%${token}%`);
    const ownMatch = tokens.reduce(
      (acc, token) => sql`${acc} and search_name like ${`%${token}%`}`,
      sql`1 = 1`,
    );
    return query
      .orderBy(sql`case when ${ownMatch} then 0 else 1 end`)
      .orderBy('depth')
      .limit(limit)
      .execute();
  },

  /**
   * Keeps the place of every unit at and below `path` as it was until `leftOn`. A second move on
   * the same day keeps the first record: the place in between lasted no day at all.
   */
  recordPlacements: (q: Q, tenantId: string, path: string, leftOn: string) =>
    q
      .insertInto('orgUnitPlacements')
      .columns(['unitId', 'tenantId', 'parentId', 'path', 'depth', 'leftOn'])
      .expression((eb) =>
        eb
          .selectFrom('orgUnits')
          .select(['id', 'tenantId', 'parentId', 'path', 'depth', sql<string>`${leftOn}`.as('leftOn')])
          .where('tenantId', '=', tenantId)
          .where('path', '>=', path)
          .where('path', '<', pathUpperBound(path)),
      )
      .onConflict((oc) => oc.columns(['unitId', 'leftOn']).doNothing())
      .execute(),

  /** The latest day on which anything at or below `path` moved, merged or closed. */
  async lastChangeIn(q: Q, tenantId: string, path: string): Promise<string | null> {
    const subtree = q
      .selectFrom('orgUnits')
      .where('tenantId', '=', tenantId)
      .where('path', '>=', path)
      .where('path', '<', pathUpperBound(path));
    const [moved, closed] = await Promise.all([
      q
        .selectFrom('orgUnitPlacements')
        .select((eb) => eb.fn.max('leftOn').as('day'))
        .where('unitId', 'in', subtree.select('id'))
        .executeTakeFirst(),
      subtree.select((eb) => eb.fn.max('validTo').as('day')).executeTakeFirst(),
    ]);
    const days = [moved?.day, closed?.day].filter((d): d is string => typeof d === 'string');
    return days.sort().at(-1) ?? null;
  },

  allUnits: (q: Q, tenantId: string) =>
    q.selectFrom('orgUnits').selectAll().where('tenantId', '=', tenantId).execute(),

  placements: (q: Q, tenantId: string) =>
    q
      .selectFrom('orgUnitPlacements')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('leftOn')
      .execute(),

  successions: (q: Q, tenantId: string) =>
    q.selectFrom('orgSuccessions').selectAll().where('tenantId', '=', tenantId).execute(),

  insertSuccessions: (q: Q, rows: SuccessionRow[]) =>
    rows.length === 0
      ? Promise.resolve()
      : q
          .insertInto('orgSuccessions')
          .values(rows)
          .execute()
          .then(() => {}),

  closeUnits: (q: Q, tenantId: string, ids: string[], validTo: string, updatedAt: string) =>
    q
      .updateTable('orgUnits')
      .set({ validTo, updatedAt })
      .where('tenantId', '=', tenantId)
      .where('id', 'in', ids)
      .execute(),

  updateUnit: (q: Q, id: string, changes: Partial<UnitRow>) =>
    q.updateTable('orgUnits').set(changes).where('id', '=', id).execute(),

  currentUnitsByTenant: (q: Q) =>
    q
      .selectFrom('orgUnits')
      .select('tenantId')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('validTo', 'is', null)
      .groupBy('tenantId')
      .execute(),

  countUnits: async (q: Q, tenantId: string) =>
    Number(
      (
        await q
          .selectFrom('orgUnits')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('tenantId', '=', tenantId)
          .executeTakeFirstOrThrow()
      ).n,
    ),
};
