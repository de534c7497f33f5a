import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { type Db, type DialectName, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL points at a server. */
export function testDialects(): DialectName[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/**
 * A fresh, migrated, isolated database: an in-memory SQLite database, or a new schema of its
 * own on the PostgreSQL server. `close()` drops it again.
 */
export async function openTestDatabase(dialect: DialectName): Promise<Db> {
  if (dialect === 'sqlite') {
    const db = openDatabase(':memory:');
    await migrateToLatest(db);
    return db;
  }
  const url = process.env.TEST_DATABASE_URL as string;
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`create schema ${schema}`);
  await admin.end();
  const db = openDatabase(url, { searchPath: schema, poolSize: 4 });
  await migrateToLatest(db);
  return {
    ...db,
    close: async () => {
      await db.close();
      const dropper = new pg.Client({ connectionString: url });
      await dropper.connect();
      await dropper.query(`drop schema ${schema} cascade`);
      await dropper.end();
    },
  };
}
