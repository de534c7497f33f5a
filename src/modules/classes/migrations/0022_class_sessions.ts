import { type Kysely, sql } from 'kysely';

/**
 * In-person class sessions and their attendees (registered, added at the door, checked in,
 * walk-ins without an account), with the results of a paper quiz taken in class.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('class_sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('unit_id', 'text', (c) => c.notNull().references('org_units.id'))
    .addColumn('course_id', 'text')
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('place', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'text', (c) => c.notNull())
    .addColumn('duration_minutes', 'integer', (c) => c.notNull())
    .addColumn('capacity', 'integer', (c) => c.notNull().check(sql`capacity >= 1`))
    .addColumn('audience_block', 'text')
    .addColumn('audience_note', 'text')
    .addColumn('instructor_account_id', 'text', (c) => c.notNull().references('accounts.id'))
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('checkin_secret', 'text', (c) => c.notNull())
    .addColumn('paper_pass_percent', 'integer')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('class_sessions_unit_time')
    .on('class_sessions')
    .columns(['tenant_id', 'unit_id', 'starts_at'])
    .execute();
  await db.schema
    .createIndex('class_sessions_instructor')
    .on('class_sessions')
    .columns(['instructor_account_id'])
    .execute();

  await db.schema
    .createTable('class_attendees')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id'))
    .addColumn('session_id', 'text', (c) => c.notNull().references('class_sessions.id'))
    .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
    .addColumn('walk_in_name', 'text')
    .addColumn('walk_in_phone', 'text')
    .addColumn('registered_at', 'text')
    .addColumn('added_by', 'text')
    .addColumn('attended_at', 'text')
    .addColumn('attendance_via', 'text')
    .addColumn('paper_score', 'double precision')
    .addColumn('paper_max', 'double precision')
    .addColumn('paper_passed', 'integer')
    .addColumn('result_by', 'text')
    .addColumn('result_at', 'text')
    // One seat per account and session; walk-ins (no account) are NULLs, which never collide.
    .addUniqueConstraint('class_attendees_one_seat', ['session_id', 'account_id'])
    .execute();
  await db.schema
    .createIndex('class_attendees_account')
    .on('class_attendees')
    .columns(['account_id'])
    .execute();
}
