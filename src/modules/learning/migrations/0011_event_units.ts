import { type Kysely, sql } from 'kysely';

/**
 * Each learning event names the learner's unit at the time, so a reorganisation later moves the
 * person but not their history. Events stored before this are given the person's unit now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('learning_events').addColumn('unit_id', 'text').execute();
  await sql`update learning_events set unit_id =
    (select home_unit_id from accounts where accounts.id = learning_events.account_id)`.execute(db);
  await db.schema
    .createIndex('learning_events_tenant_unit')
    .on('learning_events')
    .columns(['tenant_id', 'unit_id', 'occurred_at'])
    .execute();
}
