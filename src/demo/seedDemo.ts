import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Role } from '../access/actor.js';
import { todayInVietnam } from '../db/time.js';
import { importCourse } from '../modules/catalog/importCourse.js';
import { readPackages } from '../modules/catalog/packageArchive.js';
import type { Block } from '../modules/identity/blocks.js';
import { importUnits } from '../modules/org/importUnits.js';
import type { Unit } from '../modules/org/service.js';
import type { AppContext } from '../web/context.js';
import { seedCommunityAndClasses } from './seedCommunity.js';

export const DEMO_TENANT_SLUG = 'quang-nam';
/** Published in the README: demo accounts must never exist on a production server. */
export const DEMO_PASSWORD = 'hocvuso-demo';
/** The 2024 list is the structure in force from 1 Nov 2024 (see resources/vn-admin/README.md). */
const STRUCTURE_FROM = '2024-11-01';
const UNITS_FILE = new URL('../../resources/vn-admin/quang-nam-2024.csv', import.meta.url);
const VILLAGES_PER_COMMUNE = 3;
/** The course packages shipped in the repository (content/README.md describes the format). */
export const COURSES_FOLDER = fileURLToPath(new URL('../../content/courses', import.meta.url));

interface DemoPerson {
  fullName: string;
  phone: string;
  block: Block;
  /** Official code of the home unit, or the name of a demo agency / village. */
  home: string;
  role?: Role;
  /** Where the role applies: a unit as in `home`; the whole tenant when absent. */
  scope?: string;
}

/** One account per role, in Đại Lộc district; passwords are all DEMO_PASSWORD. */
export const DEMO_PEOPLE: DemoPerson[] = [
  {
    fullName: 'Quản trị nền tảng (demo)',
    phone: '0900000001',
    block: 'official',
    home: '49',
    role: 'platformAdmin',
  },
  { fullName: 'Nguyễn Văn An', phone: '0900000002', block: 'official', home: '49', role: 'tenantAdmin' },
  {
    fullName: 'Trần Thị Bích',
    phone: '0900000003',
    block: 'official',
    home: 'Sở Khoa học và Công nghệ',
    role: 'contentManager',
  },
  { fullName: 'Lê Văn Cường', phone: '0900000004', block: 'official', home: 'Sở Nội vụ', role: 'evaluator' },
  {
    fullName: 'Phạm Thị Dung',
    phone: '0900000005',
    block: 'official',
    home: '20524',
    role: 'unitManager',
    scope: '20524',
  },
  { fullName: 'Hoàng Văn Em', phone: '0900000006', block: 'official', home: '20524' },
  { fullName: 'Võ Thị Lan', phone: '0900000007', block: 'citizen', home: '20524/Thôn 1' },
  { fullName: 'Đặng Minh Quân', phone: '0900000008', block: 'community', home: '20524/Thôn 2' },
  { fullName: 'Bùi Thị Hoa', phone: '0900000009', block: 'citizen', home: '20527/Thôn 1' },
  {
    fullName: 'Ngô Thị Giang',
    phone: '0900000010',
    block: 'official',
    home: '20524',
    role: 'instructor',
    scope: '20524',
  },
];

const log = (line: string) => process.stdout.write(`${line}\n`);

/**
 * Creates the Quảng Nam demo tenant: its real 18 districts and 241 communes as of 2024, three
 * numbered villages per commune, the two provincial departments, and one account per role.
 * Does nothing when the tenant exists already.
 */
export async function seedDemo(ctx: AppContext): Promise<'created' | 'exists'> {
  if (await ctx.org.tenantBySlug(DEMO_TENANT_SLUG)) return 'exists';
  log('Đang tạo đơn vị chủ quản demo: Tỉnh Quảng Nam…');
  const tenant = await ctx.org.createTenant({
    slug: DEMO_TENANT_SLUG,
    name: 'Tỉnh Quảng Nam',
    root: { kind: 'province', typeLabel: 'Tỉnh', name: 'Quảng Nam', code: '49', validFrom: STRUCTURE_FROM },
  });
  const report = await importUnits(ctx.db, tenant.id, readFileSync(UNITS_FILE, 'utf8'), {
    validFrom: STRUCTURE_FROM,
  });
  if (!report.ok)
    throw new Error(`demo units: ${report.errors.map((e) => `line ${e.line}: ${e.message}`).join('; ')}`);
  log(`  ${report.created} huyện, xã, phường, thị trấn`);

  const root = (await ctx.org.rootUnit(tenant.id)) as Unit;
  const byKey = new Map<string, Unit>([[root.code ?? '', root]]);
  const districts = await ctx.org.children(tenant.id, root.id);
  for (const district of districts) {
    byKey.set(district.code ?? district.id, district);
    for (const commune of await ctx.org.children(tenant.id, district.id))
      byKey.set(commune.code ?? commune.id, commune);
  }
  const communes = [...byKey.values()].filter((u) => u.kind === 'commune');
  const villages = await ctx.db.kysely.transaction().execute((trx) =>
    ctx.org.addUnits(
      tenant.id,
      communes.flatMap((commune) =>
        Array.from({ length: VILLAGES_PER_COMMUNE }, (_, i) => ({
          parentId: commune.id,
          kind: 'village' as const,
          typeLabel: commune.typeLabel === 'Xã' ? 'Thôn' : 'Khối phố',
          name: String(i + 1),
          validFrom: STRUCTURE_FROM,
        })),
      ),
      trx,
    ),
  );
  const communeCode = new Map(communes.map((c) => [c.id, c.code]));
  for (const village of villages)
    byKey.set(`${communeCode.get(village.parentId ?? '')}/${village.fullName}`, village);
  log(`  ${villages.length} thôn, khối phố (đánh số, chỉ để minh họa)`);

  const agencies = await ctx.org.addUnits(
    tenant.id,
    ['Khoa học và Công nghệ', 'Nội vụ'].map((name) => ({
      parentId: root.id,
      kind: 'agency' as const,
      typeLabel: 'Sở',
      name,
      validFrom: STRUCTURE_FROM,
    })),
  );
  for (const agency of agencies) byKey.set(agency.fullName, agency);

  for (const person of DEMO_PEOPLE) {
    const home = byKey.get(person.home);
    const scope = person.scope ? byKey.get(person.scope) : undefined;
    if (!home || (person.scope && !scope)) throw new Error(`demo person ${person.fullName}: unknown unit`);
    await ctx.identity.createAccount(tenant.id, {
      fullName: person.fullName,
      phone: person.phone,
      block: person.block,
      homeUnitId: home.id,
      password: DEMO_PASSWORD,
      isDemo: true,
      roles: person.role ? [{ role: person.role, unitId: scope?.id ?? null }] : [],
    });
  }
  log(`  ${DEMO_PEOPLE.length} tài khoản demo (mật khẩu: ${DEMO_PASSWORD})`);

  const { courses, problems } = readPackages(COURSES_FOLDER);
  if (problems.length > 0) {
    throw new Error(`demo courses: ${problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('; ')}`);
  }
  const courseIds = new Map<string, string>();
  for (const course of courses)
    courseIds.set(course.slug, (await importCourse(ctx, tenant.id, course)).courseId);
  log(`  ${courses.length} khóa học: ${courses.map((c) => c.title).join('; ')}`);

  await assignOfficialsProgram(ctx, tenant.id, courseIds);
  log(`  chương trình "${OFFICIALS_PROGRAM}", giao cho cán bộ toàn tỉnh (hạn ${OFFICIALS_DUE_DAYS} ngày)`);
  for (const line of await seedCommunityAndClasses(ctx, tenant.id, courseIds, byKey)) log(`  ${line}`);
  return 'created';
}

const OFFICIALS_PROGRAM = 'Chương trình Bình dân học vụ số dành cho cán bộ';
const OFFICIALS_DUE_DAYS = 60;

/**
 * The mandatory training the article describes: officials of the whole province must finish the
 * officials' program (information security, then any one of public services or scams), assigned
 * by the tenant admin, so the demo shows duties, reminders and qualification at once.
 */
async function assignOfficialsProgram(ctx: AppContext, tenantId: string, courseIds: Map<string, string>) {
  const id = (slug: string) => {
    const courseId = courseIds.get(slug);
    if (!courseId) throw new Error(`demo program: no course ${slug}`);
    return courseId;
  };
  const program = await ctx.programs.createProgram(tenantId, {
    name: OFFICIALS_PROGRAM,
    description:
      'An toàn thông tin là bắt buộc; chọn thêm một khóa về dịch vụ công hoặc phòng tránh lừa đảo.',
    targetBlock: 'official',
    validityMonths: 24,
    electivesRequired: 1,
    courses: [
      { courseId: id('an-toan-thong-tin-can-bo'), role: 'required' },
      { courseId: id('dich-vu-cong-va-vneid'), role: 'elective' },
      { courseId: id('phong-tranh-lua-dao'), role: 'elective' },
    ],
  });
  const admin = await ctx.identity.accountByIdentifier(tenantId, '0900000002');
  const root = await ctx.org.rootUnit(tenantId);
  if (!admin || !root) throw new Error('demo program: no tenant admin or root unit');
  await ctx.programs.createRule(await ctx.identity.actorOf(admin), tenantId, {
    programId: program.id,
    unitId: root.id,
    blocks: ['official'],
    dueDays: OFFICIALS_DUE_DAYS,
  });
  // The province's targets for this year, as the movement set them for 2025.
  const year = Number(todayInVietnam().slice(0, 4));
  for (const [block, metric, percent] of [
    ['official', 'qualified', 80],
    ['student', 'started', 100],
    ['citizen', 'started', 80],
  ] as const)
    await ctx.dashboards.targets.set(tenantId, { year, block, unitId: '', metric, percent }, admin.id);
}
