import { type Kysely, PostgresAdapter, sql } from 'kysely';

/** Column type for text compared byte by byte (materialized paths, range scans) on both engines. */
export function byteOrderedText(db: Kysely<unknown>) {
  // SQLite's default collation is already binary; PostgreSQL's follows the database locale.
  return db.getExecutor().adapter instanceof PostgresAdapter ? sql`text collate "C"` : sql`text`;
}
