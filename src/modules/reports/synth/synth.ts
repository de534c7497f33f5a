import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { sql } from 'kysely';
import pg from 'pg';
import { COURSES_FOLDER, DEMO_PASSWORD } from '../../../demo/seedDemo.js';
import { AppError } from '../../../errors.js';
import type { AppContext } from '../../../web/context.js';
import { importCourse } from '../../catalog/importCourse.js';
import { readPackages } from '../../catalog/packageArchive.js';
import { hashPassword } from '../../identity/password.js';
import { importUnits } from '../../org/importUnits.js';
import type { NewUnit } from '../../org/service.js';
import { addDays, addMonths, daysBetween } from '../../programs/days.js';
import type { Program } from '../../programs/service.js';
import { copyInto, RowBuffer, writeRows } from './bulkWriter.js';
import { type Layout, layoutPeople, type TreeUnit } from './layout.js';
import {
  MAX_SYNTH_PEOPLE,
  SYNTH_PHONE_END,
  SYNTH_PHONE_FIRST,
  type SynthCourse,
  type SynthProgram,
  type SynthRule,
  synthAccountPrefix,
  synthId,
  TABLES,
  type TableName,
  vnInstant,
  type World,
} from './model.js';
import type { BatchMessage, WorkerInput } from './worker.js';

export interface SynthOptions {
  tenant: string;
  people: number;
  seed: number;
  /** The day the generated period ends (exclusive): learning happens in the months before it. */
  until: string;
  months: number;
}

export interface SynthSummary {
  tenantId: string;
  rows: Record<TableName, number>;
  seconds: number;
}

const UNITS_FILE = new URL('../../../../resources/vn-admin/quang-nam-2024.csv', import.meta.url);
/** As the demo: the 2024 structure is in force from 1 Nov 2024. */
const STRUCTURE_FROM = '2024-11-01';
const VILLAGES_PER_COMMUNE = 3;
const OFFICIALS_PROGRAM = 'Chương trình Bình dân học vụ số dành cho cán bộ';
const DEMO_PROGRAM_COURSES = [
  ['an-toan-thong-tin-can-bo', 'required'],
  ['dich-vu-cong-va-vneid', 'elective'],
  ['phong-tranh-lua-dao', 'elective'],
] as const;
/** People written per transaction (about 40,000 events). */
const BATCH_PEOPLE = 2_000;
/** PostgreSQL connections writing batches at once. */
const PG_WRITERS = 2;

const TABLE_NAMES = Object.keys(TABLES) as TableName[];
const fmt = (n: number) => Math.round(n).toLocaleString('vi-VN');
const duration = (ms: number) => {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} giây` : `${Math.floor(s / 60)} phút ${s % 60} giây`;
};

/**
 * Generates a synthetic tenant for benchmarks and demos: the real Quảng Nam unit tree (with
 * numbered villages), `people` accounts spread over it by block, the demo courses, the
 * officials' program assigned province-wide with a due day inside the period, and months of
 * learning events with the progress, certificates, assignments and qualifications they make.
 * Everything follows from the seed and `until`. Rows are streamed in batches, so memory stays
 * flat however many people.
 */
export async function synthTenant(
  ctx: AppContext,
  options: SynthOptions,
  log: (line: string) => void,
): Promise<SynthSummary> {
  if (options.people < 1 || options.people > MAX_SYNTH_PEOPLE) throw new Error('synth: people out of range');
  const started = performance.now();
  const startDay = addMonths(options.until, -options.months);
  const windowStart = vnInstant(startDay);
  const windowEnd = vnInstant(options.until);
  const periodDays = daysBetween(startDay, options.until);

  log(`1/5 Đơn vị chủ quản và cây đơn vị…`);
  let tenant = await ctx.org.tenantBySlug(options.tenant);
  if (tenant && (await hasSyntheticPeople(ctx, tenant.id))) {
    throw new AppError(
      409,
      'synth_exists',
      `Đơn vị chủ quản "${options.tenant}" đã có dữ liệu tổng hợp; không tạo thêm. Hãy dùng một đơn vị chủ quản khác hoặc một cơ sở dữ liệu mới.`,
    );
  }
  const validFrom = startDay < STRUCTURE_FROM ? startDay : STRUCTURE_FROM;
  if (!tenant) {
    tenant = await ctx.org.createTenant({
      slug: options.tenant,
      name: 'Tỉnh Quảng Nam',
      root: { kind: 'province', typeLabel: 'Tỉnh', name: 'Quảng Nam', code: '49', validFrom },
    });
    log(`  đã tạo đơn vị chủ quản ${tenant.name} (${tenant.slug})`);
  }
  const tenantId = tenant.id;
  let units = await currentUnits(ctx, tenantId);
  if (units.length <= 1) {
    await buildQuangNamTree(ctx, tenantId, validFrom, log);
    units = await currentUnits(ctx, tenantId);
  } else log(`  dùng cây đơn vị hiện có: ${fmt(units.length)} đơn vị`);
  const root = units.find((u) => u.parentId === null) as TreeUnit;

  log('2/5 Khóa học, chương trình và quy tắc giao học…');
  const courses = await loadCourses(ctx, tenantId, log);
  const program = await officialsProgram(ctx, tenantId, courses);
  const namespace = createHash('sha256').update(`${tenantId}:${options.seed}`).digest('hex').slice(0, 12);
  const assignedAt = vnInstant(addDays(startDay, Math.min(10, Math.floor(periodDays / 6))), 8.5);
  const dueOn = addDays(startDay, Math.round(periodDays * 0.7));
  const ruleId = synthId(namespace, 'b0', 0);
  // Written as it stands once made (`createRule` refuses a due day already past, and the
  // assignments are written with the people below: evaluating the rule one completion at a time
  // does not scale to a province).
  await ctx.db.kysely
    .insertInto('assignmentRules')
    .values({
      id: ruleId,
      tenantId,
      programId: program.id,
      courseId: null,
      unitId: root.id,
      blocks: 'official',
      position: null,
      role: null,
      dueOn,
      dueDays: null,
      createdBy: null,
      createdAt: new Date(assignedAt).toISOString(),
      archivedAt: null,
    })
    .execute();
  const programs = (await ctx.programs.programs(tenantId)).map(toSynthProgram);
  const rules = await synthRules(ctx, tenantId, units, programs);
  const ours = rules.find((r) => r.id === ruleId) as SynthRule;
  log(`  chương trình "${program.name}" giao cho cán bộ toàn tỉnh, hạn ${dueOn}`);

  const world: World = {
    tenantId,
    seed: options.seed,
    namespace,
    windowStart,
    windowEnd,
    passwordHash: await hashPassword(DEMO_PASSWORD),
    courses,
    officials: { program: toSynthProgram(program), rule: ours, dueEnd: vnInstant(addDays(dueOn, 1)) - 1 },
    rules,
    programs,
  };

  log(`3/5 Phân bố ${fmt(options.people)} người theo đơn vị và khối…`);
  const layout = layoutPeople(units, options.people, options.seed);
  log(`  ${fmt(layout.communes)} xã, phường, thị trấn; ${fmt(layout.villages)} thôn, khối phố`);

  log(`4/5 Người học, sự kiện học tập và tiến độ (${startDay} → ${addDays(options.until, -1)})…`);
  const restoreCache = await largerSqliteCache(ctx);
  try {
    const rows = await streamPeople(ctx, world, layout, options.people, log);
    log('5/5 Hoàn tất…');
    await finish(ctx, tenantId, namespace, log);
    const seconds = (performance.now() - started) / 1000;
    log(
      `Xong sau ${duration(seconds * 1000)}: ${fmt(rows.accounts)} tài khoản, ${fmt(rows.events)} sự kiện học tập, ` +
        `${fmt(rows.certificates)} giấy chứng nhận, ${fmt(rows.assignments)} việc được giao, ${fmt(rows.qualifications)} lần đạt yêu cầu.`,
    );
    log(
      `Tài khoản tổng hợp (tài khoản demo, mật khẩu: ${DEMO_PASSWORD}) đăng nhập bằng số 050xxxxxxx, ví dụ 0500000000.`,
    );
    return { tenantId, rows, seconds };
  } finally {
    await restoreCache();
  }
}

/**
 * SQLite: a larger page cache while loading and counting (the indexes being appended to stay in
 * memory); gives back a function that puts the old size back.
 */
async function largerSqliteCache(ctx: AppContext): Promise<() => Promise<void>> {
  if (ctx.db.dialect !== 'sqlite') return async () => {};
  const { rows } = await sql<Record<string, number>>`pragma cache_size`.execute(ctx.db.kysely);
  const before = Number(Object.values(rows[0] ?? {})[0] ?? -2000);
  await sql`pragma cache_size = -262144`.execute(ctx.db.kysely);
  return async () => {
    await sql.raw(`pragma cache_size = ${before}`).execute(ctx.db.kysely);
  };
}

/** After the people: those already there, the planner's statistics, the unit statistics. */
async function finish(ctx: AppContext, tenantId: string, namespace: string, log: (line: string) => void) {
  await evaluateOthers(ctx, tenantId, synthAccountPrefix(namespace), log);
  if (ctx.db.dialect === 'postgres') {
    for (const table of ['accounts', 'learning_events', 'lesson_states', 'course_progress', 'assignments'])
      await sql`analyze ${sql.table(table)}`.execute(ctx.db.kysely);
  }
  log('  thống kê đơn vị: tính lại từ đầu…');
  const statsStarted = performance.now();
  let statsReported = 0;
  await ctx.stats.rebuild(tenantId, (done, total) => {
    const twentieths = total === 0 ? 20 : Math.floor((done * 20) / total);
    if (twentieths <= statsReported) return;
    statsReported = twentieths;
    const elapsed = performance.now() - statsStarted;
    log(
      `  ${String(twentieths * 5).padStart(3)}% · ${fmt(done)} người (${fmt(done / (elapsed / 1000))}/giây) · ${duration(elapsed)}`,
    );
  });
  log(`  thống kê đơn vị: xong sau ${duration(performance.now() - statsStarted)}`);
}

async function hasSyntheticPeople(ctx: AppContext, tenantId: string): Promise<boolean> {
  const row = await ctx.db.kysely
    .selectFrom('accounts')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('phone', '>=', SYNTH_PHONE_FIRST)
    .where('phone', '<', SYNTH_PHONE_END)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

function currentUnits(ctx: AppContext, tenantId: string): Promise<TreeUnit[]> {
  return ctx.db.kysely
    .selectFrom('orgUnits')
    .select(['id', 'parentId', 'path', 'kind', 'typeLabel', 'name', 'code'])
    .where('tenantId', '=', tenantId)
    .where('validTo', 'is', null)
    .execute();
}

/** The 2024 districts and communes of Quảng Nam, and numbered villages in each commune (as the demo). */
async function buildQuangNamTree(
  ctx: AppContext,
  tenantId: string,
  validFrom: string,
  log: (line: string) => void,
): Promise<void> {
  const report = await importUnits(ctx.db, tenantId, readFileSync(UNITS_FILE, 'utf8'), { validFrom });
  if (!report.ok) throw new Error(`synth units: ${report.errors.map((e) => e.message).join('; ')}`);
  const communes = (await currentUnits(ctx, tenantId)).filter((u) => u.kind === 'commune');
  const villages: NewUnit[] = communes.flatMap((commune) =>
    Array.from({ length: VILLAGES_PER_COMMUNE }, (_, i) => ({
      parentId: commune.id,
      kind: 'village' as const,
      typeLabel: commune.typeLabel === 'Xã' ? 'Thôn' : 'Khối phố',
      name: String(i + 1),
      validFrom,
    })),
  );
  await ctx.db.kysely.transaction().execute((trx) => ctx.org.addUnits(tenantId, villages, trx));
  log(`  ${fmt(report.created)} huyện, xã, phường, thị trấn; ${fmt(villages.length)} thôn, khối phố`);
}

/** The tenant's published courses (the demo courses are imported when it has none). */
async function loadCourses(ctx: AppContext, tenantId: string, log: (line: string) => void) {
  let summaries = await ctx.catalog.courses(tenantId);
  if (summaries.length === 0) {
    const { courses, problems } = readPackages(COURSES_FOLDER);
    if (problems.length > 0) throw new Error(`synth courses: ${problems.map((p) => p.message).join('; ')}`);
    for (const course of courses) await importCourse(ctx, tenantId, course);
    summaries = await ctx.catalog.courses(tenantId);
    log(`  đã nhập ${courses.length} khóa học demo`);
  }
  const courses: SynthCourse[] = [];
  for (const summary of [...summaries].sort((a, b) => (a.slug < b.slug ? -1 : 1))) {
    const outline = await ctx.catalog.courseById(tenantId, summary.id);
    if (!outline || outline.lessons.length === 0) continue;
    const quizzes = new Map<string, SynthCourse['quizzes'] extends Map<string, infer Q> ? Q : never>();
    for (const lesson of outline.lessons) {
      if (!lesson.quizId) continue;
      const quiz = await ctx.assessment.quiz(tenantId, lesson.quizId);
      if (!quiz) continue;
      quizzes.set(lesson.id, {
        id: quiz.id,
        questions: Math.max(1, await ctx.assessment.questionCount(quiz)),
        passPercent: quiz.settings.passPercent,
        maxAttempts: quiz.settings.maxAttempts,
      });
    }
    courses.push({
      id: outline.id,
      title: outline.title,
      versionId: outline.versionId,
      blocks: outline.blocks,
      lessons: outline.lessons,
      quizzes,
    });
    log(`  khóa học: ${outline.title} (${outline.lessons.length} bài)`);
  }
  if (courses.length === 0) throw new Error('synth: the tenant has no published course with lessons');
  return courses;
}

/** The tenant's program for officials; the demo's is created when there is none. */
async function officialsProgram(ctx: AppContext, tenantId: string, courses: SynthCourse[]): Promise<Program> {
  const existing = (await ctx.programs.programs(tenantId)).find((p) => p.targetBlock === 'official');
  if (existing) return existing;
  const bySlug = new Map(
    (await ctx.catalog.courses(tenantId))
      .map((c) => [c.slug, c.id] as const)
      .filter(([, id]) => courses.some((c) => c.id === id)),
  );
  const demo = DEMO_PROGRAM_COURSES.every(([slug]) => bySlug.has(slug));
  const forOfficials = courses.find((c) => c.blocks.includes('official')) ?? (courses[0] as SynthCourse);
  return ctx.programs.createProgram(tenantId, {
    name: OFFICIALS_PROGRAM,
    description: demo
      ? 'An toàn thông tin là bắt buộc; chọn thêm một khóa về dịch vụ công hoặc phòng tránh lừa đảo.'
      : 'Chương trình bắt buộc dành cho cán bộ, công chức, viên chức.',
    targetBlock: 'official',
    validityMonths: 24,
    electivesRequired: demo ? 1 : 0,
    courses: demo
      ? DEMO_PROGRAM_COURSES.map(([slug, role]) => ({ courseId: bySlug.get(slug) as string, role }))
      : [{ courseId: forOfficials.id, role: 'required' }],
  });
}

const toSynthProgram = (p: Program): SynthProgram => ({
  id: p.id,
  name: p.name,
  targetBlock: p.targetBlock,
  validityMonths: p.validityMonths,
  electivesRequired: p.electivesRequired,
  courses: p.courses.map((c) => ({
    courseId: c.courseId,
    role: c.role as SynthProgram['courses'][number]['role'],
  })),
});

/** Every open rule of the tenant, with the subtree it covers today. */
async function synthRules(
  ctx: AppContext,
  tenantId: string,
  units: TreeUnit[],
  programs: SynthProgram[],
): Promise<SynthRule[]> {
  const paths = new Map(units.map((u) => [u.id, u.path]));
  return (await ctx.programs.rules(tenantId)).flatMap((rule) => {
    const unitPath = paths.get(rule.unitId);
    const program = rule.programId ? programs.find((p) => p.id === rule.programId) : null;
    if (!unitPath || (rule.programId && !program)) return [];
    return [
      {
        id: rule.id,
        createdAt: Date.parse(rule.createdAt),
        unitPath,
        blocks: rule.blocks.split(',').filter(Boolean),
        position: rule.position,
        role: rule.role,
        dueOn: rule.dueOn,
        dueDays: rule.dueDays,
        courseId: rule.courseId,
        program: program ?? null,
      },
    ];
  });
}

/**
 * Starts the generating thread: the built JavaScript, or — running from the TypeScript sources
 * under tsx (development, tests), whose hooks a worker does not inherit — the source through tsx.
 */
function startWorker(input: WorkerInput): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./worker.js', import.meta.url), { workerData: input });
  const source = new URL('./worker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  return new Worker(
    `import(${JSON.stringify(tsx)}).then((tsx) => tsx.tsImport(${JSON.stringify(source)}, ${JSON.stringify(source)}))`,
    {
      eval: true,
      workerData: input,
    },
  );
}

/**
 * Generates people on a second thread and writes them here, a batch per transaction, so making
 * the next batch and writing this one go on at once.
 */
async function streamPeople(
  ctx: AppContext,
  world: World,
  layout: Layout,
  people: number,
  log: (line: string) => void,
): Promise<Record<TableName, number>> {
  const { db } = ctx;
  const sqlite = db.dialect === 'sqlite';
  const totals = Object.fromEntries(TABLE_NAMES.map((k) => [k, 0])) as Record<TableName, number>;
  let completions = 0;
  const started = performance.now();
  // PostgreSQL: COPY on connections of their own, writing two batches at once.
  const clients = sqlite
    ? []
    : Array.from({ length: PG_WRITERS }, () => new pg.Client({ connectionString: ctx.config.databaseUrl }));
  const input: WorkerInput = {
    world,
    layout,
    people,
    batch: BATCH_PEOPLE,
    format: sqlite ? 'rows' : 'copy',
    ahead: Math.max(1, clients.length) + 1,
  };
  const worker = startWorker(input);
  const batches = new BatchQueue(worker);
  let reported = 0;
  const written = (batch: BatchMessage) => {
    worker.postMessage('more');
    for (const name of TABLE_NAMES) totals[name] += batch.rows[name];
    completions = Math.max(completions, batch.counters.completions);
    const done = totals.accounts;
    if (Math.floor((done * 20) / people) > reported) {
      reported = Math.floor((done * 20) / people);
      const elapsed = (performance.now() - started) / 1000;
      log(
        `  ${String(reported * 5).padStart(3)}% · ${fmt(done)} người · ${fmt(totals.events)} sự kiện ` +
          `(${fmt(totals.events / elapsed)}/giây) · ${fmt(totals.courseProgress)} tiến độ khóa học · ${duration(elapsed * 1000)}`,
      );
    }
  };
  const writeSqlite = (batch: BatchMessage) =>
    db.kysely.transaction().execute(async (trx) => {
      for (const name of TABLE_NAMES)
        await writeRows(trx, db.dialect, new RowBuffer(TABLES[name], batch.tables[name] as unknown[]));
    });
  const writePostgres = async (client: pg.Client, batch: BatchMessage) => {
    await client.query('begin');
    try {
      await client.query('set local synchronous_commit = off');
      for (const name of TABLE_NAMES) await copyInto(client, TABLES[name], batch.tables[name] as Uint8Array);
      await client.query('commit');
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  };
  const slots: (Promise<void> | null)[] = sqlite ? [null] : clients.map(() => null);
  try {
    for (const client of clients) await client.connect();
    for (let made = 0, slot = 0; made < people; slot = (slot + 1) % slots.length) {
      const batch = await batches.next();
      made = batch.end;
      await slots[slot];
      const client = clients[slot];
      const writing = (client ? writePostgres(client, batch) : writeSqlite(batch)).then(() => written(batch));
      // Awaited when the slot is next used, or at the end.
      writing.catch(() => {});
      slots[slot] = writing;
    }
    for (const writing of slots) await writing;
  } finally {
    await worker.terminate();
    for (const client of clients) await client.end().catch(() => {});
  }
  const elapsed = (performance.now() - started) / 1000;
  const perSecond = (n: number) => `${fmt(n)} (${fmt(n / elapsed)}/giây)`;
  log(`  tài khoản: ${perSecond(totals.accounts)}`);
  log(`  sự kiện học tập: ${perSecond(totals.events)}, trong đó ${fmt(completions)} hoàn thành khóa học`);
  log(
    `  trạng thái bài học: ${perSecond(totals.lessonStates)}; tiến độ khóa học: ${perSecond(totals.courseProgress)}`,
  );
  log(
    `  giấy chứng nhận: ${fmt(totals.certificates)}; việc được giao: ${fmt(totals.assignments)}; đạt yêu cầu: ${fmt(totals.qualifications)}`,
  );
  return totals;
}

/** The batches a worker sends, one at a time; a failure of the worker fails the next wait. */
class BatchQueue {
  private readonly ready: BatchMessage[] = [];
  private waiting: { resolve: (b: BatchMessage) => void; reject: (e: unknown) => void } | null = null;
  private failure: unknown = null;

  constructor(worker: Worker) {
    worker.on('message', (batch: BatchMessage) => {
      if (this.waiting) {
        this.waiting.resolve(batch);
        this.waiting = null;
      } else this.ready.push(batch);
    });
    const fail = (error: unknown) => {
      this.failure ??= error;
      this.waiting?.reject(error);
      this.waiting = null;
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`synth worker stopped (exit code ${code})`)));
  }

  next(): Promise<BatchMessage> {
    const batch = this.ready.shift();
    if (batch) return Promise.resolve(batch);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }
}

/**
 * People the tenant had before (the demo's officials, say) fall under the new rule too: they
 * are assigned as the product assigns anyone who joins or changes.
 */
async function evaluateOthers(
  ctx: AppContext,
  tenantId: string,
  syntheticPrefix: string,
  log: (line: string) => void,
): Promise<void> {
  const others = await ctx.db.kysely
    .selectFrom('accounts')
    .select('id')
    .where('tenantId', '=', tenantId)
    .where('block', '=', 'official')
    .where('deletedAt', 'is', null)
    .where('id', 'not like', `${syntheticPrefix}%`)
    .execute();
  if (others.length === 0) return;
  await ctx.programs.evaluatePeople(
    tenantId,
    others.map((o) => o.id),
  );
  log(`  đã xét giao học cho ${fmt(others.length)} cán bộ có sẵn`);
}
