import { type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';
import * as assessment0004 from '../modules/assessment/migrations/0004_quizzes.js';
import * as assessment0007 from '../modules/assessment/migrations/0007_question_banks.js';
import * as audit0009 from '../modules/audit/migrations/0009_audit_events.js';
import * as catalog0003 from '../modules/catalog/migrations/0003_courses.js';
import * as catalog0006 from '../modules/catalog/migrations/0006_course_versions.js';
import * as classes0022 from '../modules/classes/migrations/0022_class_sessions.js';
import * as community0021 from '../modules/community/migrations/0021_community_teams.js';
import * as identity0002 from '../modules/identity/migrations/0002_accounts_and_sessions.js';
import * as identity0010 from '../modules/identity/migrations/0010_roster_fields.js';
import * as identity0013 from '../modules/identity/migrations/0013_personal_data.js';
import * as learning0005 from '../modules/learning/migrations/0005_learning_records.js';
import * as learning0008 from '../modules/learning/migrations/0008_progress_versions.js';
import * as learning0011 from '../modules/learning/migrations/0011_event_units.js';
import * as learning0017 from '../modules/learning/migrations/0017_event_blocks.js';
import * as org0001 from '../modules/org/migrations/0001_tenants_and_units.js';
import * as org0012 from '../modules/org/migrations/0012_org_history.js';
import * as programs0014 from '../modules/programs/migrations/0014_programs.js';
import * as programs0015 from '../modules/programs/migrations/0015_reminders.js';
import * as programs0016 from '../modules/programs/migrations/0016_offerings.js';
import * as reports0018 from '../modules/reports/migrations/0018_unit_stats.js';
import * as reports0019 from '../modules/reports/migrations/0019_report_schedules.js';
import * as reports0020 from '../modules/reports/migrations/0020_integrity_reviews.js';
import type { Db } from './database.js';

/**
 * The one ordered list of migrations, for SQLite and PostgreSQL alike. Each module keeps its
 * own files; the number in the name fixes the order across modules. A migration that has
 * landed is never edited: a change is a new migration.
 */
const migrations: Record<string, Migration> = {
  '0001_tenants_and_units': org0001,
  '0002_accounts_and_sessions': identity0002,
  '0003_courses': catalog0003,
  '0004_quizzes': assessment0004,
  '0005_learning_records': learning0005,
  '0006_course_versions': catalog0006,
  '0007_question_banks': assessment0007,
  '0008_progress_versions': learning0008,
  '0009_audit_events': audit0009,
  '0010_roster_fields': identity0010,
  '0011_event_units': learning0011,
  '0012_org_history': org0012,
  '0013_personal_data': identity0013,
  '0014_programs': programs0014,
  '0015_reminders': programs0015,
  '0016_offerings': programs0016,
  '0017_event_blocks': learning0017,
  '0018_unit_stats': reports0018,
  '0019_report_schedules': reports0019,
  '0020_integrity_reviews': reports0020,
  '0021_community_teams': community0021,
  '0022_class_sessions': classes0022,
};

/**
 * On PostgreSQL the migration record lives in the schema the tables go to (the first on the
 * search path): otherwise Kysely finds another schema's record and skips creating its own.
 */
async function migratorFor(db: Db): Promise<Migrator> {
  const schema =
    db.dialect === 'postgres'
      ? (await sql<{ schema: string }>`select current_schema() as schema`.execute(db.kysely)).rows[0]?.schema
      : undefined;
  return new Migrator({
    db: db.kysely,
    provider: { getMigrations: async () => migrations },
    ...(schema ? { migrationTableSchema: schema } : {}),
  });
}

/** Brings the database to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Db): Promise<string[]> {
  const { error, results }: MigrationResultSet = await (await migratorFor(db)).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Brings the database up to and including one migration (to test a later one on old data). */
export async function migrateUpTo(db: Db, name: string): Promise<void> {
  const { error } = await (await migratorFor(db)).migrateTo(name);
  if (error) throw error;
}
