import { randomUUID } from 'node:crypto';
import type { Db } from '../../../db/database.js';
import { nowIso } from '../../../db/time.js';
import type { TargetMetric } from './figures.js';

export interface Target {
  id: string;
  year: number;
  block: string;
  /** '' for the whole tenant. */
  unitId: string;
  metric: TargetMetric;
  percent: number;
}

/** The tenant's targets ("by the end of 2025, 80% of officials qualified"), per year, block and unit. */
export class Targets {
  constructor(private readonly db: Db) {}

  list(tenantId: string): Promise<Target[]> {
    return this.db.kysely
      .selectFrom('reportTargets')
      .select(['id', 'year', 'block', 'unitId', 'metric', 'percent'])
      .where('tenantId', '=', tenantId)
      .orderBy('year', 'desc')
      .orderBy('unitId')
      .orderBy('block')
      .orderBy('metric')
      .execute() as Promise<Target[]>;
  }

  /** Sets (or replaces) the target of one year, block, unit and metric. */
  async set(tenantId: string, target: Omit<Target, 'id'>, by: string): Promise<void> {
    await this.db.kysely
      .insertInto('reportTargets')
      .values({ id: randomUUID(), tenantId, ...target, updatedBy: by, updatedAt: nowIso() })
      .onConflict((oc) =>
        oc
          .columns(['tenantId', 'year', 'block', 'unitId', 'metric'])
          .doUpdateSet({ percent: target.percent, updatedBy: by, updatedAt: nowIso() }),
      )
      .execute();
  }

  async remove(tenantId: string, id: string): Promise<Target | undefined> {
    const target = (await this.db.kysely
      .selectFrom('reportTargets')
      .select(['id', 'year', 'block', 'unitId', 'metric', 'percent'])
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst()) as Target | undefined;
    if (target) await this.db.kysely.deleteFrom('reportTargets').where('id', '=', id).execute();
    return target;
  }

  /**
   * The targets of `year` that apply to a unit (given its path, root first): for each block and
   * metric the one set nearest above it (the unit itself, its ancestors, then tenant-wide).
   */
  async applying(tenantId: string, year: number, ancestorIds: string[]): Promise<Target[]> {
    const rows = (await this.db.kysely
      .selectFrom('reportTargets')
      .select(['id', 'year', 'block', 'unitId', 'metric', 'percent'])
      .where('tenantId', '=', tenantId)
      .where('year', '=', year)
      .where('unitId', 'in', ['', ...ancestorIds])
      .execute()) as Target[];
    // Paths run from the root down: the later an ancestor, the nearer; tenant-wide is farthest.
    const rank = (t: Target) => (t.unitId === '' ? -1 : ancestorIds.indexOf(t.unitId));
    const nearest = new Map<string, Target>();
    for (const row of rows) {
      const key = `${row.block}:${row.metric}`;
      const known = nearest.get(key);
      if (!known || rank(row) > rank(known)) nearest.set(key, row);
    }
    return [...nearest.values()].sort(
      (a, b) => a.block.localeCompare(b.block) || a.metric.localeCompare(b.metric),
    );
  }
}
