import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { type Db, type DialectName, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** SQLite always; PostgreSQL too when TEST_DATABASE_URL points at a server. */
export function testDialects(): DialectName[] {
  return process.env.TEST_DATABASE_URL ? ['sqlite', 'postgres'] : ['sqlite'];
}

/** A URL for a fresh, empty database that a child process can open (for CLI tests). */
export async function freshDatabaseUrl(
  dialect: DialectName,
): Promise<{ url: string; drop(): Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(path.join(tmpdir(), 'hocvuso-test-'));
    return {
      url: path.join(dir, 'test.sqlite'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.TEST_DATABASE_URL as string;
  const schema = await createSchema(base);
  const url = new URL(base);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return { url: url.toString(), drop: () => dropSchema(base, schema) };
}

async function createSchema(url: string): Promise<string> {
  const schema = `test_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`create schema ${schema}`);
  await client.end();
  return schema;
}

async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`);
  await client.end();
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
  const schema = await createSchema(url);
  const db = openDatabase(url, { searchPath: schema, poolSize: 4 });
  await migrateToLatest(db);
  return {
    ...db,
    close: async () => {
      await db.close();
      await dropSchema(url, schema);
    },
  };
}
