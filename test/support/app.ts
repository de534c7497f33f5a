import type { FastifyInstance } from 'fastify';
import type { Db, DialectName } from '../../src/db/database.js';
import { buildApp } from '../../src/server.js';
import type { AppContext } from '../../src/web/context.js';
import { openTestDatabase } from './db.js';
import { buildTenant, testContext } from './factories.js';

export interface TestApp {
  db: Db;
  ctx: AppContext;
  app: FastifyInstance;
  fixture: Awaited<ReturnType<typeof buildTenant>>;
  close(): Promise<void>;
}

/** A fresh database with the small fixture tenant, and the web app over it. */
export async function startTestApp(dialect: DialectName): Promise<TestApp> {
  const db = await openTestDatabase(dialect);
  const ctx = testContext(db);
  const fixture = await buildTenant(ctx);
  const app = await buildApp(ctx);
  return {
    db,
    ctx,
    app,
    fixture,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}
