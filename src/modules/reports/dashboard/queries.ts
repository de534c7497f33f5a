import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';

/** One summed count of a unit's subtree. */
export interface CountRow {
  unitId: string;
  subject: string;
  metric: string;
  block: string;
  n: number;
}

const toRows = (rows: { unitId: string; subject: string; metric: string; block: string; n: unknown }[]) =>
  rows.map((r) => ({ ...r, n: Number(r.n) }));

/**
 * Reads of the subtree counts: every read is a range of the counts' primary key for a
 * few units, so its cost does not grow with the number of learners.
 */
export class DashboardQueries {
  constructor(private readonly db: Db) {}

  private tree(tenantId: string, unitIds: string[]) {
    return this.db.kysely
      .selectFrom('statCounts')
      .where('tenantId', '=', tenantId)
      .where('unitId', 'in', unitIds);
  }

  /** All-time totals of every subject and metric. */
  async totals(tenantId: string, unitIds: string[]): Promise<CountRow[]> {
    if (unitIds.length === 0) return [];
    return toRows(
      await this.tree(tenantId, unitIds)
        .select(['unitId', 'subject', 'metric', 'block', 'n'])
        .where('day', '=', '')
        .where('n', '<>', 0)
        .execute(),
    );
  }

  /** Sums of dated facts of some metrics with their day in [from, to] (either end open when ''). */
  async between(
    tenantId: string,
    unitIds: string[],
    metrics: string[],
    from: string,
    to: string,
  ): Promise<CountRow[]> {
    if (unitIds.length === 0) return [];
    let query = this.tree(tenantId, unitIds)
      .select(['unitId', 'subject', 'metric', 'block', sql<number>`sum(n)`.as('n')])
      .where('metric', 'in', metrics)
      .where('day', '<>', '');
    if (from) query = query.where('day', '>=', from);
    if (to) query = query.where('day', '<=', to);
    return toRows(await query.groupBy(['unitId', 'subject', 'metric', 'block']).execute());
  }

  /** Per day, the counts of some metrics and subjects of one unit's subtree (for the time series). */
  async daily(
    tenantId: string,
    unitId: string,
    subjects: string[],
    metrics: string[],
    block: string,
    from: string,
    to: string,
  ) {
    let query = this.tree(tenantId, [unitId])
      .select(['metric', 'day', sql<number>`sum(n)`.as('n')])
      .where('subject', 'in', subjects)
      .where('metric', 'in', metrics)
      .where('day', '>=', from)
      .where('day', '<=', to);
    if (block) query = query.where('block', '=', block);
    const rows = await query.groupBy(['metric', 'day']).execute();
    return rows.map((r) => ({ metric: r.metric, day: r.day, n: Number(r.n) }));
  }
}
