import { type Kysely, sql } from 'kysely';

/** A learner's progress in a course now names the course version they are learning. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('course_progress').addColumn('version_id', 'text').execute();
  await sql`update course_progress set version_id = 'v1-' || course_id`.execute(db);
}
