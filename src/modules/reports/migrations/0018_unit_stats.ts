import type { Kysely } from 'kysely';

/**
 * Unit statistics kept as learning and people change (see `stats/`):
 * - `stat_facts`: what each person adds to the figures, one row per (person, subject, metric);
 *   the list of people behind any number, and what a change is compared with.
 * - `stat_counts`: the sums of those facts over each unit's whole subtree, per subject, metric,
 *   block and day (and over all days), so a dashboard never scans learners.
 * - `stat_unit_paths`: each unit's ancestors in today's tree (closed units through their
 *   successors): where a fact is counted, and which units a list of people spans.
 * - `report_targets`: the share of a block to reach by the end of a year, tenant-wide or per unit.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('stat_facts')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_facts_pk', ['account_id', 'subject', 'metric'])
    .execute();
  // The people behind a number: by unit, then person, for keyset pages.
  await db.schema
    .createIndex('stat_facts_drill')
    .on('stat_facts')
    .columns(['tenant_id', 'subject', 'metric', 'unit_id', 'account_id'])
    .execute();

  await db.schema
    .createTable('stat_counts')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_counts_pk', ['tenant_id', 'unit_id', 'subject', 'metric', 'block', 'day'])
    .execute();

  await db.schema
    .createTable('stat_unit_paths')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('ancestor_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('stat_unit_paths_pk', ['tenant_id', 'unit_id', 'ancestor_id'])
    .execute();

  await db.schema
    .createTable('report_targets')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('unit_id', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('percent', 'integer', (c) => c.notNull())
    .addColumn('updated_by', 'text')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('report_targets_once', ['tenant_id', 'year', 'block', 'unit_id', 'metric'])
    .execute();
}
