import type { Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import { orgRepository as repo, type UnitRow } from './repository.js';

/**
 * Moves `unit`, with everything below it, under `parent` from `effectiveOn`, keeping where each
 * of them sat before so reports of earlier days still find them there.
 */
export async function relocate(
  trx: Transaction<Database>,
  tenantId: string,
  unit: UnitRow,
  parent: UnitRow,
  effectiveOn: string,
  now: string,
): Promise<void> {
  await repo.recordPlacements(trx, tenantId, unit.path, effectiveOn);
  const to = `${parent.path}${unit.id}/`;
  await repo.movePaths(trx, tenantId, unit.path, to, parent.depth + 1 - unit.depth);
  await repo.setParent(trx, tenantId, unit.id, parent.id, now);
  await refreshSearchPaths(trx, tenantId, to);
}

/** Recomputes the parent-name part of search keys below (and at) `path` after a move. */
async function refreshSearchPaths(trx: Transaction<Database>, tenantId: string, path: string): Promise<void> {
  const rows = await repo.subtree(trx, tenantId, path);
  const ids = path.split('/').filter(Boolean);
  const above = await repo.unitsByIds(trx, tenantId, ids.slice(0, -1));
  const searchPaths = new Map(above.map((u) => [u.id, u.searchPath]));
  for (const row of rows) {
    const parentSearch = row.parentId ? searchPaths.get(row.parentId) : undefined;
    const searchPath = parentSearch ? `${row.searchName} ${parentSearch}` : row.searchName;
    searchPaths.set(row.id, searchPath);
    await trx.updateTable('orgUnits').set({ searchPath }).where('id', '=', row.id).execute();
  }
}
