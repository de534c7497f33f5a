// Assignment rules at province scale: a tenant with 200,000 people and 20 rules; the time of a
// full re-evaluation (every rule against everyone) and of an incremental one after one person
// joins, in this process, on a fresh database per run.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../src/config.js';
import { createContext } from '../src/context.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { nowIso } from '../src/db/time.js';
import { BLOCKS, type Block } from '../src/modules/identity/blocks.js';
import { importUnits } from '../src/modules/org/importUnits.js';
import type { Unit } from '../src/modules/org/service.js';
import { median } from './cliRun.js';

const HERE = path.dirname(new URL(import.meta.url).pathname);
const UNITS = readFileSync(path.join(HERE, '../resources/vn-admin/quang-nam-2024.csv'), 'utf8');
const PEOPLE = Number(process.env.BENCH_RULE_PEOPLE ?? 200_000);
const RULES = 20;
const RUNS = 3;
const JOINS = 50;
const BLOCK_CODES = Object.keys(BLOCKS) as Block[];

/** An account row straight for the table (the roster import has its own benchmark). */
const personRow = (
  tenantId: string,
  n: string,
  block: Block,
  homeUnitId: string,
  position: string | null,
) => ({
  id: randomUUID(),
  tenantId,
  fullName: `Người ${n}`,
  phone: `+84${n}`,
  email: null,
  block,
  homeUnitId,
  position,
  nationalIdHash: null,
  nationalIdLast4: null,
  birthYear: null,
  passwordHash: 'x',
  deletedAt: null,
  isDemo: 0,
  createdAt: nowIso(),
  updatedAt: nowIso(),
});

async function oneRun(databaseUrl: string, dataDir: string) {
  const db = openDatabase(databaseUrl);
  await migrateToLatest(db);
  const ctx = createContext(
    loadConfig({
      NODE_ENV: 'test',
      HOCVUSO_SECRET: 'b'.repeat(40),
      HOCVUSO_DATA_DIR: dataDir,
      LOG_LEVEL: 'silent',
    }),
    db,
  );
  try {
    const tenant = await ctx.org.createTenant({
      slug: 'quang-nam',
      name: 'Tỉnh Quảng Nam',
      root: { kind: 'province', typeLabel: 'Tỉnh', name: 'Quảng Nam', code: '49' },
    });
    await importUnits(db, tenant.id, UNITS);
    const root = (await ctx.org.rootUnit(tenant.id)) as Unit;
    const districts = await ctx.org.children(tenant.id, root.id);
    const communes = (await Promise.all(districts.map((d) => ctx.org.children(tenant.id, d.id)))).flat();
    const now = nowIso();
    for (let i = 0; i < PEOPLE; i += 1000) {
      await db.kysely
        .insertInto('accounts')
        .values(
          Array.from({ length: Math.min(1000, PEOPLE - i) }, (_, j) =>
            personRow(
              tenant.id,
              `9${String(i + j).padStart(8, '0')}`,
              BLOCK_CODES[(i + j) % BLOCK_CODES.length] as Block,
              (communes[(i + j) % communes.length] as Unit).id,
              (i + j) % 7 === 0 ? 'Công chức văn phòng - thống kê' : null,
            ),
          ),
        )
        .execute();
    }
    const course = { id: randomUUID() };
    const program = await db.kysely
      .insertInto('programs')
      .values({
        id: randomUUID(),
        tenantId: tenant.id,
        slug: 'can-bo',
        name: 'Chương trình cho cán bộ',
        description: '',
        targetBlock: 'official',
        electivesRequired: 0,
        validityMonths: 24,
        createdAt: now,
        updatedAt: now,
        archivedAt: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db.kysely
      .insertInto('programCourses')
      .values({ programId: program.id, courseId: course.id, position: 0, role: 'required' })
      .execute();
    // Rules of every shape: the province, districts, communes; one block, several, a position.
    const scopes = [root, ...districts.slice(0, 9), ...communes.slice(0, 10)];
    await db.kysely
      .insertInto('assignmentRules')
      .values(
        scopes.slice(0, RULES).map((unit, i) => ({
          id: randomUUID(),
          tenantId: tenant.id,
          programId: program.id,
          courseId: null,
          unitId: unit.id,
          blocks: i % 3 === 0 ? 'official' : i % 3 === 1 ? 'official,community' : '',
          position: i === 5 ? 'Công chức văn phòng - thống kê' : null,
          role: null,
          dueOn: null,
          dueDays: 30,
          createdBy: null,
          createdAt: now,
          archivedAt: null,
        })),
      )
      .execute();

    const fullStart = performance.now();
    await ctx.programs.evaluateTenant(tenant.id);
    const fullMs = performance.now() - fullStart;
    const assignments = Number(
      (
        await db.kysely
          .selectFrom('assignments')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

    const joins: number[] = [];
    for (let i = 0; i < JOINS; i++) {
      const person = personRow(
        tenant.id,
        `8${String(i).padStart(8, '0')}`,
        'official',
        (communes[i % 10] as Unit).id,
        null,
      );
      await db.kysely.insertInto('accounts').values(person).execute();
      const start = performance.now();
      await ctx.programs.evaluatePeople(tenant.id, [person.id]);
      joins.push(performance.now() - start);
    }
    joins.sort((a, b) => a - b);
    return {
      fullMs,
      assignments,
      joinP50: joins[Math.floor(JOINS / 2)] ?? 0,
      joinP95: joins[Math.floor(JOINS * 0.95)] ?? 0,
    };
  } finally {
    await db.close();
  }
}

export async function benchAssignmentRules(label: string, dir: string, databaseUrl: () => Promise<string>) {
  const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
  for (let i = 0; i < RUNS; i++) runs.push(await oneRun(await databaseUrl(), dir));
  const mid = (pick: (r: (typeof runs)[number]) => number) => Math.round(median(runs.map(pick)));
  console.log(
    `\n${label}, assignment rules: ${PEOPLE.toLocaleString('en')} people, ${RULES} rules, median of ${RUNS}`,
  );
  console.log(
    `  full re-evaluation: ${(mid((r) => r.fullMs) / 1000).toFixed(1)} s (${mid((r) => r.assignments)} assignments)`,
  );
  console.log(
    `  one person joins (incremental): p50 ${mid((r) => r.joinP50)} ms, p95 ${mid((r) => r.joinP95)} ms`,
  );
}
