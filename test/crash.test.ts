import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';
import {
  buildAccount,
  buildTenant,
  importMiniCourse,
  storedEventIds,
  TEST_PASSWORD,
  testContext,
} from './support/factories.js';

const MAIN = new URL('../src/main.ts', import.meta.url).pathname;
const KILLS = 5;
const BATCH = 25;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The real server as a child process, started the way an operator starts it. */
async function startServer(env: Record<string, string>, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, 'serve'], {
    env: { ...process.env, ...env, PORT: String(port), NODE_ENV: 'development', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return child;
    } catch {
      await sleep(100);
    }
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) =>
    child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve()),
  );

for (const dialect of testDialects()) {
  describe(`crash safety of learning events [${dialect}]`, () => {
    it(`keeps every acknowledged event, once, through ${KILLS} SIGKILLs mid-stream`, async () => {
      const database = await freshDatabaseUrl(dialect);
      const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-crash-'));
      const env = {
        DATABASE_URL: database.url,
        HOCVUSO_DATA_DIR: dataDir,
        HOCVUSO_SECRET: randomBytes(32).toString('hex'),
        HOCVUSO_DEFAULT_TENANT: 'tinh-thu',
      };
      let db = openDatabase(database.url);
      await migrateToLatest(db);
      const ctx = testContext(db);
      const fixture = await buildTenant(ctx);
      const course: CourseOutline = await importMiniCourse(ctx, fixture.tenant);
      const account = await buildAccount(ctx, fixture.tenant, fixture.villageA);
      await db.close();

      const port = await freePort();
      const base = `http://127.0.0.1:${port}`;
      let server = await startServer(env, port);
      const login = await fetch(`${base}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ identifier: account.phone, password: TEST_PASSWORD }),
      });
      assert.equal(login.status, 200);
      const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';

      const acknowledged = new Set<string>();
      let retried = 0;
      const makeBatch = () =>
        Array.from({ length: BATCH }, (_, i) => ({
          id: randomUUID(),
          verb: 'completed',
          object: { type: 'lesson', id: course.lessons[i % course.lessons.length]?.id },
          timestamp: new Date(Date.now() - Math.floor(Math.random() * 86_400_000)).toISOString(),
        }));
      const send = async (events: unknown[]) => {
        const response = await fetch(`${base}/api/learning/events`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ events }),
        });
        assert.equal(response.status, 200, await response.clone().text());
        return (await response.json()) as { results: { id: string }[] };
      };

      try {
        for (let kill = 0; kill < KILLS; kill++) {
          const victim = server;
          const killer = sleep(150 + Math.random() * 250).then(() => victim.kill('SIGKILL'));
          let pending = makeBatch();
          // A client streams batches until the server dies under it; the batch in flight is unconfirmed.
          for (;;) {
            try {
              const { results } = await send(pending);
              for (const r of results) acknowledged.add(r.id);
              pending = makeBatch();
            } catch (error) {
              if (error instanceof assert.AssertionError) throw error;
              break;
            }
          }
          await killer;
          await exited(victim);
          server = await startServer(env, port);
          // The client retries the unconfirmed batch with the same ids, as an offline client would.
          const { results } = await send(pending);
          for (const r of results) acknowledged.add(r.id);
          retried += pending.length;
        }
      } finally {
        server.kill('SIGTERM');
        await exited(server);
      }

      db = openDatabase(database.url);
      try {
        const check = testContext(db);
        const stored = await storedEventIds(db, account.id);
        assert.ok(acknowledged.size > KILLS * BATCH, `only ${acknowledged.size} events acknowledged`);
        assert.equal(new Set(stored).size, stored.length, 'an event was stored twice');
        const storedSet = new Set(stored);
        const lost = [...acknowledged].filter((id) => !storedSet.has(id));
        assert.deepEqual(lost, [], `${lost.length} acknowledged events lost`);
        assert.ok(retried >= KILLS * BATCH);
        const progress = await check.learning.progress(account.id, course.id);
        const recomputed = await check.learning.recomputedProgress(account.id, course);
        assert.deepEqual(
          {
            lessonsRead: progress?.lessonsRead,
            quizzesPassed: progress?.quizzesPassed,
            percent: progress?.percent,
            completedAt: progress?.completedAt,
          },
          {
            lessonsRead: recomputed.lessonsRead,
            quizzesPassed: recomputed.quizzesPassed,
            percent: recomputed.percent,
            completedAt: recomputed.completedAt,
          },
        );
        for (const lesson of course.lessons) {
          const earliest = await db.kysely
            .selectFrom('learningEvents')
            .select((eb) => eb.fn.min('occurredAt').as('first'))
            .where('objectId', '=', lesson.id)
            .executeTakeFirstOrThrow();
          assert.equal(progress?.lessons.get(lesson.id)?.readAt, earliest.first);
        }
      } finally {
        await db.close();
        await database.drop();
      }
    });
  });
}
