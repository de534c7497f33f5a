import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import { OrgService } from '../../org/service.js';
import type { Fact, Metric } from './facts.js';
import { Tally } from './tally.js';

export type Family = readonly Metric[];

interface Change {
  accountId: string;
  facts: Fact[];
}

const keyOf = (f: Pick<Fact, 'subject' | 'metric'>) => `${f.subject}\u0000${f.metric}`;
const same = (a: Fact, b: Fact) =>
  a.unitId === b.unitId && a.block === b.block && a.day === b.day && a.value === b.value;
/** Rows per statement: far below SQLite's and PostgreSQL's limits on bound values. */
const CHUNK = 500;

function chunks<T>(items: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * The statistics tables: the facts of each person and the counts summed from them. A change
 * replaces a person's facts of one family and adds the difference to the counts of the fact's
 * unit and of every unit above it, by day and in the all-days total, in the caller's
 * transaction. Counts are written in one sorted order, so two transactions never wait for each
 * other in a circle.
 */
export class StatsStore {
  /**
   * Replaces the facts of a family for these people (of some subjects only, when given);
   * returns the metrics that changed.
   */
  async replace(
    tx: Db,
    tenantId: string,
    family: Family,
    changes: Change[],
    subjects?: string[],
  ): Promise<Set<string>> {
    if (changes.length === 0) return new Set();
    const accountIds = changes.map((c) => c.accountId);
    const old = new Map<string, Map<string, Fact>>();
    for (const ids of chunks(accountIds)) {
      const rows = await tx.kysely
        .selectFrom('statFacts')
        .select(['accountId', 'subject', 'metric', 'unitId', 'block', 'day', 'value'])
        .where('accountId', 'in', ids)
        .where('metric', 'in', family)
        .$if(subjects !== undefined, (q) => q.where('subject', 'in', subjects as string[]))
        .execute();
      for (const r of rows) {
        const facts = old.get(r.accountId) ?? new Map<string, Fact>();
        old.set(r.accountId, facts);
        facts.set(keyOf(r as Fact), { ...(r as Fact), value: Number(r.value) });
      }
    }
    const deltas: (Fact & { sign: 1 | -1 })[] = [];
    const rewritten: Change[] = [];
    for (const change of changes) {
      const before = old.get(change.accountId) ?? new Map<string, Fact>();
      const after = new Map(change.facts.map((f) => [keyOf(f), f]));
      let changed = false;
      for (const [key, fact] of before) {
        const now = after.get(key);
        if (now && same(now, fact)) continue;
        deltas.push({ ...fact, sign: -1 });
        changed = true;
      }
      for (const [key, fact] of after) {
        const was = before.get(key);
        if (was && same(was, fact)) continue;
        deltas.push({ ...fact, sign: 1 });
        changed = true;
      }
      if (changed) rewritten.push(change);
    }
    if (rewritten.length === 0) return new Set();
    for (const ids of chunks(rewritten.map((c) => c.accountId)))
      await tx.kysely
        .deleteFrom('statFacts')
        .where('accountId', 'in', ids)
        .where('metric', 'in', family)
        .$if(subjects !== undefined, (q) => q.where('subject', 'in', subjects as string[]))
        .execute();
    const rows = rewritten.flatMap((c) => c.facts.map((f) => ({ tenantId, accountId: c.accountId, ...f })));
    for (const part of chunks(rows)) await tx.kysely.insertInto('statFacts').values(part).execute();
    await this.addCounts(tx, tenantId, deltas);
    return new Set(deltas.map((d) => d.metric));
  }

  private async addCounts(tx: Db, tenantId: string, deltas: (Fact & { sign: 1 | -1 })[]): Promise<void> {
    const paths = await this.ancestorsOf(tx, tenantId, [...new Set(deltas.map((d) => d.unitId))]);
    const tally = new Tally((unitId) => paths.get(unitId));
    for (const delta of deltas) tally.add(delta, delta.sign * delta.value);
    for (const part of chunks(tally.rows())) {
      await tx.kysely
        .insertInto('statCounts')
        .values(part.map((r) => ({ tenantId, ...r })))
        .onConflict((oc) =>
          oc
            .columns(['tenantId', 'unitId', 'subject', 'metric', 'block', 'day'])
            .doUpdateSet({ n: sql`stat_counts.n + excluded.n` }),
        )
        .execute();
    }
  }

  /**
   * The units above each unit (itself included) in today's tree. A unit not met before (new
   * since the last roll-up) is placed from its materialized path; a closed one through the unit
   * that took it over.
   */
  private async ancestorsOf(tx: Db, tenantId: string, unitIds: string[]): Promise<Map<string, string[]>> {
    const paths = new Map<string, string[]>();
    if (unitIds.length === 0) return paths;
    const rows = await tx.kysely
      .selectFrom('statUnitPaths')
      .select(['unitId', 'ancestorId'])
      .where('tenantId', '=', tenantId)
      .where('unitId', 'in', unitIds)
      .execute();
    for (const r of rows) paths.set(r.unitId, [...(paths.get(r.unitId) ?? []), r.ancestorId]);
    const missing = unitIds.filter((id) => !paths.has(id));
    if (missing.length === 0) return paths;
    const units = await new OrgService(tx).inForceMany(tenantId, missing);
    const added: { tenantId: string; unitId: string; ancestorId: string }[] = [];
    for (const id of missing) {
      const unit = units.get(id);
      if (!unit) continue;
      const ancestors = unit.path.split('/').filter(Boolean);
      paths.set(id, ancestors);
      for (const ancestorId of ancestors) added.push({ tenantId, unitId: id, ancestorId });
    }
    for (const part of chunks(added))
      await tx.kysely
        .insertInto('statUnitPaths')
        .values(part)
        .onConflict((oc) => oc.columns(['tenantId', 'unitId', 'ancestorId']).doNothing())
        .execute();
    return paths;
  }
}

/** Rows per statement of a bulk load (as JSON on SQLite, as column arrays on PostgreSQL). */
const BULK = 10_000;

/** Writes many people's facts at once, without counting them (a rebuild counts at the end). */
export async function insertFacts(tx: Db, tenantId: string, changes: Change[]): Promise<void> {
  const rows = changes.flatMap((c) => c.facts.map((f) => ({ tenantId, accountId: c.accountId, ...f })));
  if (tx.dialect === 'sqlite') {
    // One statement and one bound value per chunk: compiling thousands of placeholders costs more
    // than SQLite takes to read the rows back out of JSON.
    for (const part of chunks(rows, BULK))
      await sql`insert into stat_facts (tenant_id, account_id, subject, metric, unit_id, block, day, value)
        select value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5, value ->> 6, value ->> 7
        from json_each(${JSON.stringify(
          part.map((r) => [r.tenantId, r.accountId, r.subject, r.metric, r.unitId, r.block, r.day, r.value]),
        )})`.execute(tx.kysely);
    return;
  }
  for (const part of chunks(rows, BULK)) {
    const column = <K extends keyof (typeof rows)[number]>(key: K) => part.map((r) => r[key]);
    await sql`insert into stat_facts (tenant_id, account_id, subject, metric, unit_id, block, day, value)
      select * from unnest(${column('tenantId')}::text[], ${column('accountId')}::text[],
        ${column('subject')}::text[], ${column('metric')}::text[], ${column('unitId')}::text[],
        ${column('block')}::text[], ${column('day')}::text[], ${column('value')}::integer[])`.execute(
      tx.kysely,
    );
  }
}
