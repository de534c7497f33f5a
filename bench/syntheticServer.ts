// What the bench servers over a synthetic tenant share: the services over its database (served as
// the default tenant, so requests to 127.0.0.1 reach it), signed-in cookies, an evaluator, and
// serving until the bench sends SIGTERM.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { buildApp } from '../src/server.js';

const EVALUATOR_PHONE = '0989999001';

/** The synthetic tenant `slug` of `databaseUrl`, its root unit, and a signed-in evaluator. */
export async function openSyntheticTenant(databaseUrl: string, slug: string) {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-bench-'));
  const config = loadConfig({
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    HOCVUSO_DATA_DIR: dataDir,
    HOCVUSO_DEFAULT_TENANT: slug,
  });
  const db = openDatabase(databaseUrl);
  const ctx = createContext(config, db);
  const tenant = await ctx.org.tenantBySlug(slug);
  const province = tenant && (await ctx.org.rootUnit(tenant.id));
  if (!tenant || !province) throw new Error(`no synthetic tenant "${slug}"`);

  /** A returning browser's cookies: its session, and the CSRF cookie it got on its first visit. */
  const cookieOf = async (account: Parameters<typeof ctx.identity.startSession>[0]) =>
    `hv_session=${await ctx.identity.startSession(account)}; hv_csrf=${randomBytes(18).toString('base64url')}`;

  const evaluator =
    (await ctx.identity.accountByIdentifier(tenant.id, EVALUATOR_PHONE)) ??
    (await ctx.identity.createAccount(tenant.id, {
      fullName: 'Sở Nội vụ (đo hiệu năng)',
      phone: EVALUATOR_PHONE,
      block: 'official',
      homeUnitId: province.id,
      password: randomBytes(12).toString('hex'),
      roles: [{ role: 'evaluator', unitId: null }],
    }));

  /** Listens on a free port, prints one JSON line (the port, then `info`), and serves until SIGTERM. */
  const serve = async (info: Record<string, unknown>) => {
    const app = await buildApp(ctx);
    await app.listen({ host: '127.0.0.1', port: 0 });
    const port = (app.server.address() as AddressInfo).port;
    process.stdout.write(`${JSON.stringify({ port, dialect: db.dialect, tenantId: tenant.id, ...info })}\n`);
    process.on('SIGTERM', async () => {
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
      process.exit(0);
    });
  };

  return { db, ctx, tenant, province, cookieOf, evaluator: await cookieOf(evaluator), serve };
}
