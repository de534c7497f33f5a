// The server side of `npm run bench`, in its own process so the load generator does not share
// its CPU: seeds a fresh demo database, adds learners with sessions, listens on a free port and
// prints one JSON line describing what to request.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { DEMO_TENANT_SLUG, seedDemo } from '../src/demo/seedDemo.js';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { buildApp, createContext } from '../src/server.js';

const [databaseUrl = '', learnerCount = '100'] = process.argv.slice(2);
const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-bench-files-'));
const config = loadConfig({
  ...process.env,
  NODE_ENV: 'test',
  LOG_LEVEL: 'silent',
  HOCVUSO_DATA_DIR: dataDir,
});
const db = openDatabase(databaseUrl);
await migrateToLatest(db);
const ctx = createContext(config, db);
await seedDemo(ctx);
const tenant = await ctx.org.tenantBySlug(DEMO_TENANT_SLUG);
if (!tenant) throw new Error('demo tenant missing');

const summaries = await ctx.catalog.courses(tenant.id);
const courses = (await Promise.all(
  summaries.map((c) => ctx.catalog.courseById(tenant.id, c.id)),
)) as CourseOutline[];
const villages = await db.kysely
  .selectFrom('orgUnits')
  .select('id')
  .where('kind', '=', 'village')
  .limit(50)
  .execute();
const cookies: string[] = [];
for (let i = 0; i < Number(learnerCount); i++) {
  const account = await ctx.identity.createAccount(tenant.id, {
    fullName: `Người học ${i + 1}`,
    phone: `098${String(1_000_000 + i).padStart(7, '0')}`,
    block: 'citizen',
    homeUnitId: villages[i % villages.length]?.id ?? '',
    password: 'mat-khau-do-hieu-nang',
  });
  // As a returning browser would: its session, and the CSRF cookie it got on its first visit.
  const csrf = randomBytes(18).toString('base64url');
  cookies.push(`hv_session=${await ctx.identity.startSession(account)}; hv_csrf=${csrf}`);
}

const app = await buildApp(ctx);
await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(
  `${JSON.stringify({
    port: (app.server.address() as AddressInfo).port,
    dialect: db.dialect,
    cookies,
    lessonPaths: courses.flatMap((c) => c.lessons.map((l) => `/khoa-hoc/${c.slug}/${l.slug}`)),
    lessonIds: courses.flatMap((c) => c.lessons.map((l) => l.id)),
    quizIds: courses.flatMap((c) => c.lessons.flatMap((l) => (l.quizId ? [l.quizId] : []))),
  })}\n`,
);
process.on('SIGTERM', async () => {
  await app.close();
  await db.close();
  process.exit(0);
});
