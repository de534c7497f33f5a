import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Actor, Role } from '../../src/access/actor.js';
import { loadConfig } from '../../src/config.js';
import { createContext } from '../../src/context.js';
import type { Db } from '../../src/db/database.js';
import { readCoursePackage } from '../../src/modules/catalog/coursePackage.js';
import { importCourse } from '../../src/modules/catalog/importCourse.js';
import type { CourseOutline } from '../../src/modules/catalog/service.js';
import type { Block } from '../../src/modules/identity/blocks.js';
import type { AccountRow } from '../../src/modules/identity/repository.js';
import type { Tenant, Unit } from '../../src/modules/org/service.js';
import type { AppContext } from '../../src/web/context.js';

export const TEST_PASSWORD = 'mat-khau-thu-nghiem';

// Files tests store (course images, certificates) go to a temporary folder, never ./data.
const testDataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-test-'));

export function testContext(db: Db): AppContext {
  const config = loadConfig({
    NODE_ENV: 'test',
    HOCVUSO_SECRET: randomBytes(32).toString('hex'),
    HOCVUSO_DEFAULT_TENANT: 'tinh-thu',
    LOG_LEVEL: 'silent',
    HOCVUSO_DATA_DIR: testDataDir,
  });
  return createContext(config, db);
}

let phoneCounter = 0;
/** A valid mobile number no other test account has. */
export function freshPhone(): string {
  phoneCounter += 1;
  return `09${String(10_000_000 + ((process.pid * 1000 + phoneCounter) % 89_999_999)).padStart(8, '0')}`;
}

/**
 * A tenant with a small real-shaped tree: province → district → two communes, each with a
 * village. Codes are the real Quảng Nam ones (Đại Lộc district).
 */
export async function buildTenant(ctx: AppContext, slug = 'tinh-thu') {
  const tenant: Tenant = await ctx.org.createTenant({
    slug,
    name: 'Tỉnh Quảng Nam',
    root: { kind: 'province', typeLabel: 'Tỉnh', name: 'Quảng Nam', code: '49' },
  });
  const province = (await ctx.org.rootUnit(tenant.id)) as Unit;
  const [district] = await ctx.org.addUnits(tenant.id, [
    { parentId: province.id, kind: 'district', typeLabel: 'Huyện', name: 'Đại Lộc', code: '506' },
  ]);
  const [communeA, communeB] = await ctx.org.addUnits(tenant.id, [
    { parentId: district?.id ?? null, kind: 'commune', typeLabel: 'Xã', name: 'Đại Hiệp', code: '20524' },
    { parentId: district?.id ?? null, kind: 'commune', typeLabel: 'Xã', name: 'Đại Thạnh', code: '20527' },
  ]);
  const [villageA, villageB] = await ctx.org.addUnits(tenant.id, [
    { parentId: communeA?.id ?? null, kind: 'village', typeLabel: 'Thôn', name: 'Phú Hòa' },
    { parentId: communeB?.id ?? null, kind: 'village', typeLabel: 'Thôn', name: 'Thạnh Mỹ' },
  ]);
  return {
    tenant,
    province,
    district: district as Unit,
    communeA: communeA as Unit,
    communeB: communeB as Unit,
    villageA: villageA as Unit,
    villageB: villageB as Unit,
  };
}

export async function buildAccount(
  ctx: AppContext,
  tenant: Tenant,
  home: Unit,
  options: { role?: Role; scope?: Unit | null; block?: Block; fullName?: string; phone?: string } = {},
): Promise<AccountRow> {
  return ctx.identity.createAccount(tenant.id, {
    fullName: options.fullName ?? 'Nguyễn Thị Thử',
    phone: options.phone ?? freshPhone(),
    block: options.block ?? 'citizen',
    homeUnitId: home.id,
    password: TEST_PASSWORD,
    roles: options.role
      ? [{ role: options.role, unitId: options.scope === undefined ? home.id : (options.scope?.id ?? null) }]
      : [],
  });
}

/** The small test course package (two lessons, one quiz with an image and a video link). */
export const MINI_COURSE = fileURLToPath(new URL('../fixtures/courses/mini', import.meta.url));

/** Imports the small test course into a tenant and returns its outline. */
export async function importMiniCourse(ctx: AppContext, tenant: Tenant): Promise<CourseOutline> {
  const { course, problems } = readCoursePackage(MINI_COURSE);
  if (!course) throw new Error(problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
  const { courseId } = await importCourse(ctx, tenant.id, course);
  return (await ctx.catalog.courseById(tenant.id, courseId)) as CourseOutline;
}

/** A signed-in learner as the services see them. */
export async function buildLearner(
  ctx: AppContext,
  tenant: Tenant,
  home: Unit,
  fullName?: string,
): Promise<Actor> {
  const account = await buildAccount(ctx, tenant, home, { fullName });
  return ctx.identity.actorOf(account);
}

/** The ids of every learning event stored for an account, read straight from the table. */
export async function storedEventIds(db: Db, accountId: string): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('learningEvents')
    .select('id')
    .where('accountId', '=', accountId)
    .execute();
  return rows.map((r) => r.id);
}
