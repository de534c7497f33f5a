import { type Kysely, sql } from 'kysely';

/**
 * Each learning event also names the learner's block (khối) at the time, so unit statistics
 * rebuilt from events count a person who later changed block where they were. Events stored
 * before this are given the person's block now.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('learning_events').addColumn('block', 'text').execute();
  await sql`update learning_events set block =
    (select block from accounts where accounts.id = learning_events.account_id)`.execute(db);
}
