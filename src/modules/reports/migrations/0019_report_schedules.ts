import type { Kysely } from 'kysely';

/**
 * Scheduled reports (see reports/scheduleRunner.ts):
 * - `report_schedules`: what to report on (a unit's subtree, subject, block) and when (daily,
 *   weekly on a weekday, monthly on a day, at a time in Vietnam); `next_run_at` is the next
 *   occurrence to claim.
 * - `report_snapshots`: one row per run. The unique key (schedule_id, due_at) makes each
 *   occurrence run once: the row is inserted first, as the claim, then filled with the figures
 *   (JSON) and the names of the stored files. A claim whose process died is taken over once its
 *   lease (`locked_until`) has passed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('report_schedules')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('block', 'text', (c) => c.notNull())
    .addColumn('frequency', 'text', (c) => c.notNull())
    .addColumn('weekday', 'integer')
    .addColumn('month_day', 'integer')
    .addColumn('time_of_day', 'text', (c) => c.notNull())
    .addColumn('next_run_at', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('paused_at', 'text')
    .addColumn('removed_at', 'text')
    .addColumn('removed_by', 'text')
    .execute();
  // The runner's question: which schedules are due.
  await db.schema
    .createIndex('report_schedules_due')
    .on('report_schedules')
    .columns(['next_run_at'])
    .execute();
  await db.schema
    .createIndex('report_schedules_tenant')
    .on('report_schedules')
    .columns(['tenant_id', 'created_at'])
    .execute();

  await db.schema
    .createTable('report_snapshots')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('schedule_id', 'text', (c) => c.notNull().references('report_schedules.id'))
    .addColumn('due_at', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('claimed_at', 'text', (c) => c.notNull())
    .addColumn('finished_at', 'text')
    .addColumn('figures', 'text')
    .addColumn('xlsx_file', 'text')
    .addColumn('pdf_file', 'text')
    .addColumn('error', 'text')
    // The claim: one run per occurrence. Also the schedule page's list, newest first.
    .addUniqueConstraint('report_snapshots_once', ['schedule_id', 'due_at'])
    .execute();
  // Runs to take over (a process died, or an attempt failed and waits to be retried).
  await db.schema
    .createIndex('report_snapshots_open')
    .on('report_snapshots')
    .columns(['status', 'locked_until'])
    .execute();
}
