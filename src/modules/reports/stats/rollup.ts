import type { Db } from '../../../db/database.js';
import { todayInVietnam } from '../../../db/time.js';
import type { OrgService } from '../../org/service.js';
import type { Fact } from './facts.js';
import { Tally, writeCounts } from './tally.js';

export interface UnitPath {
  tenantId: string;
  unitId: string;
  ancestorId: string;
}

/**
 * Places every unit, closed ones too, under its ancestors in today's tree: a closed unit counts
 * where the unit that took it over stands.
 */
export async function unitPaths(org: OrgService, tenantId: string): Promise<UnitPath[]> {
  const snapshot = await org.snapshotOn(tenantId, todayInVietnam());
  const rows: UnitPath[] = [];
  for (const unitId of snapshot.everyUnitId()) {
    const standing = snapshot.resolve(unitId);
    if (!standing) continue;
    for (const ancestorId of standing.path.split('/').filter(Boolean))
      rows.push({ tenantId, unitId, ancestorId });
  }
  return rows;
}

/** The ancestors of each unit, from the rows of `unitPaths`. */
export function ancestorMap(paths: UnitPath[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const p of paths) {
    const list = map.get(p.unitId);
    if (list) list.push(p.ancestorId);
    else map.set(p.unitId, [p.ancestorId]);
  }
  return map;
}

/** Stores the units' places (read before the transaction: on SQLite it holds the only connection). */
export async function writePaths(tx: Db, tenantId: string, paths: UnitPath[]): Promise<void> {
  await tx.kysely.deleteFrom('statUnitPaths').where('tenantId', '=', tenantId).execute();
  for (let i = 0; i < paths.length; i += 500)
    await tx.kysely
      .insertInto('statUnitPaths')
      .values(paths.slice(i, i + 500))
      .execute();
}

/** Facts read back a page at a time, by primary key (other tenants' skipped). */
const FACTS_PAGE = 20_000;

/**
 * After a reorganisation: every count summed again from the stored facts along today's tree, in
 * the caller's transaction.
 */
export async function recount(tx: Db, tenantId: string, paths: UnitPath[]): Promise<void> {
  await writePaths(tx, tenantId, paths);
  const ancestors = ancestorMap(paths);
  const tally = new Tally((unitId) => ancestors.get(unitId));
  let after: [string, string, string] = ['', '', ''];
  for (;;) {
    const [accountId, subject, metric] = after;
    const rows = await tx.kysely
      .selectFrom('statFacts')
      .select(['tenantId', 'accountId', 'subject', 'metric', 'unitId', 'block', 'day', 'value'])
      .where((eb) =>
        eb.or([
          eb('accountId', '>', accountId),
          eb.and([eb('accountId', '=', accountId), eb('subject', '>', subject)]),
          eb.and([eb('accountId', '=', accountId), eb('subject', '=', subject), eb('metric', '>', metric)]),
        ]),
      )
      .orderBy('accountId')
      .orderBy('subject')
      .orderBy('metric')
      .limit(FACTS_PAGE)
      .execute();
    for (const row of rows) if (row.tenantId === tenantId) tally.add(row as Fact, Number(row.value));
    const last = rows.at(-1);
    if (!last || rows.length < FACTS_PAGE) break;
    after = [last.accountId, last.subject, last.metric];
  }
  await writeCounts(tx, tenantId, tally.rows());
}
