import { type Kysely, sql } from 'kysely';

/**
 * In-app notifications (assignment milestones and nudges, with their email state) and the jobs
 * of the scheduler. The unique key of notifications is what makes each reminder exactly-once,
 * however many processes run the reminders at the same time.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('assignment_id', 'text', (c) => c.notNull().references('assignments.id'))
    .addColumn('occasion', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('due_on', 'text', (c) => c.notNull())
    .addColumn('sender_name', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('read_at', 'text')
    .addColumn('email_status', 'text', (c) => c.notNull())
    .addColumn('emailed_at', 'text')
    .addUniqueConstraint('notifications_once', ['assignment_id', 'kind', 'occasion'])
    .execute();
  // The bell's count and the list page: one person's notifications, newest first.
  await db.schema
    .createIndex('notifications_account_created')
    .on('notifications')
    .columns(['account_id', 'created_at'])
    .execute();
  // The mail queue: only the few rows still waiting are indexed.
  await db.schema
    .createIndex('notifications_email_pending')
    .on('notifications')
    .columns(['created_at'])
    .where(sql.ref('email_status'), '=', 'pending')
    .execute();

  await db.schema
    .createTable('scheduled_jobs')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('locked_by', 'text')
    .addColumn('locked_until', 'text')
    .addColumn('last_run_at', 'text')
    .addColumn('last_result', 'text')
    .execute();
}
