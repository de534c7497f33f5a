import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Fact } from './facts.js';

/** Numbers for a few thousand distinct strings, so a count's key packs into one number. */
class Interner {
  readonly values: string[] = [];
  private readonly ids = new Map<string, number>();

  constructor(
    private readonly capacity: number,
    private readonly what: string,
  ) {}

  id(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      if (id >= this.capacity) throw new Error(`more than ${this.capacity} distinct ${this.what} to count`);
      this.values.push(value);
      this.ids.set(value, id);
    }
    return id;
  }
}

export interface CountRow {
  unitId: string;
  subject: string;
  metric: string;
  block: string;
  day: string;
  n: number;
}

/**
 * Sums facts over every unit above them (themselves included), by day and over all days, in
 * memory: a province's counts are a few million numbers, which a sort-and-group in the database
 * would take minutes to produce from tens of millions of facts.
 */
export class Tally {
  // Capacities multiply to under 2^53, so a packed key is an exact number.
  private readonly units = new Interner(65_536, 'units');
  private readonly subjects = new Interner(4_096, 'subjects');
  private readonly metrics = new Interner(16, 'metrics');
  private readonly blocks = new Interner(16, 'blocks');
  private readonly days = new Interner(65_536, 'days');
  private readonly sums = new Map<number, number>();

  constructor(private readonly ancestorsOf: (unitId: string) => readonly string[] | undefined) {
    this.days.id('');
  }

  add(fact: Fact, n: number = fact.value): void {
    const ancestors = this.ancestorsOf(fact.unitId);
    if (!ancestors) return;
    const rest =
      ((this.subjects.id(fact.subject) * 16 + this.metrics.id(fact.metric)) * 16 +
        this.blocks.id(fact.block)) *
      65_536;
    const day = this.days.id(fact.day);
    for (const unitId of ancestors) {
      const key = (this.units.id(unitId) * 4_096 * 16 * 16 * 65_536 + rest) as number;
      this.sums.set(key + day, (this.sums.get(key + day) ?? 0) + n);
      if (day !== 0) this.sums.set(key, (this.sums.get(key) ?? 0) + n);
    }
  }

  /** The non-zero sums, in the order of the counts' primary key. */
  rows(): CountRow[] {
    const rows: CountRow[] = [];
    for (const [key, n] of this.sums) {
      if (n === 0) continue;
      let rest = key;
      const day = rest % 65_536;
      rest = (rest - day) / 65_536;
      const block = rest % 16;
      rest = (rest - block) / 16;
      const metric = rest % 16;
      rest = (rest - metric) / 16;
      const subject = rest % 4_096;
      const unit = (rest - subject) / 4_096;
      rows.push({
        unitId: this.units.values[unit] as string,
        subject: this.subjects.values[subject] as string,
        metric: this.metrics.values[metric] as string,
        block: this.blocks.values[block] as string,
        day: this.days.values[day] as string,
        n,
      });
    }
    const order = (r: CountRow) => [r.unitId, r.subject, r.metric, r.block, r.day];
    return rows.sort((a, b) => {
      const x = order(a);
      const y = order(b);
      for (let i = 0; i < x.length; i++)
        if (x[i] !== y[i]) return (x[i] as string) < (y[i] as string) ? -1 : 1;
      return 0;
    });
  }
}

/** Rows per statement: as JSON on SQLite, as column arrays on PostgreSQL. */
const BULK = 10_000;

/** Replaces a tenant's counts with these, in the caller's transaction. */
export async function writeCounts(tx: Db, tenantId: string, rows: CountRow[]): Promise<void> {
  await tx.kysely.deleteFrom('statCounts').where('tenantId', '=', tenantId).execute();
  for (let i = 0; i < rows.length; i += BULK) {
    const part = rows.slice(i, i + BULK);
    if (tx.dialect === 'sqlite') {
      await sql`insert into stat_counts (tenant_id, unit_id, subject, metric, block, day, n)
        select ${tenantId}, value ->> 0, value ->> 1, value ->> 2, value ->> 3, value ->> 4, value ->> 5
        from json_each(${JSON.stringify(part.map((r) => [r.unitId, r.subject, r.metric, r.block, r.day, r.n]))})`.execute(
        tx.kysely,
      );
      continue;
    }
    const column = <K extends keyof CountRow>(key: K) => part.map((r) => r[key]);
    await sql`insert into stat_counts (tenant_id, unit_id, subject, metric, block, day, n)
      select ${tenantId}, * from unnest(${column('unitId')}::text[], ${column('subject')}::text[],
        ${column('metric')}::text[], ${column('block')}::text[], ${column('day')}::text[], ${column('n')}::bigint[])`.execute(
      tx.kysely,
    );
  }
}
