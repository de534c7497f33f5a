import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../src/db/database.js';
import { BLOCK_CODES } from '../src/modules/identity/blocks.js';
import { hocvuso } from './support/cli.js';
import { freshDatabaseUrl, testDialects } from './support/db.js';

const PEOPLE = 300;

/** Runs the real CLI in a child process, the way an administrator would. */

const synth = (env: Record<string, string>, seed: number, ...extra: string[]) =>
  hocvuso(
    [
      'synth',
      '--tenant',
      'synth',
      '--people',
      String(PEOPLE),
      '--seed',
      String(seed),
      '--until',
      '2025-06-01',
      ...extra,
    ],
    env,
  );

/** A fresh database and data folder; `drop` removes the database again. */
async function fresh(dialect: 'sqlite' | 'postgres') {
  const database = await freshDatabaseUrl(dialect);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'hocvuso-synth-'));
  const env = { DATABASE_URL: database.url, HOCVUSO_DATA_DIR: dataDir };
  const drop = async () => {
    await database.drop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  return { url: database.url, env, drop };
}

/**
 * What a seed decides, free of the ids a database makes up: each person (by phone) with name,
 * block and unit (by official code, or commune code and village name), and every event's kind
 * and times. Equal digests mean the same synthetic tenant.
 */
async function dataDigest(url: string): Promise<string> {
  const db = openDatabase(url);
  try {
    const people = await db.kysely
      .selectFrom('accounts')
      .innerJoin('orgUnits as u', 'u.id', 'accounts.homeUnitId')
      .leftJoin('orgUnits as p', 'p.id', 'u.parentId')
      .select([
        'accounts.phone',
        'accounts.fullName',
        'accounts.block',
        'accounts.createdAt',
        'u.code',
        'u.name',
        'p.code as parentCode',
      ])
      .orderBy('accounts.phone')
      .execute();
    const events = await db.kysely
      .selectFrom('learningEvents')
      .innerJoin('accounts', 'accounts.id', 'learningEvents.accountId')
      .select(['accounts.phone', 'verb', 'objectType', 'result', 'occurredAt', 'storedAt'])
      .orderBy('accounts.phone')
      .orderBy('occurredAt')
      .orderBy('objectType')
      .execute();
    const hash = createHash('sha256');
    for (const p of people)
      hash.update(
        JSON.stringify([p.phone, p.fullName, p.block, p.createdAt, p.code ?? `${p.parentCode}/${p.name}`]),
      );
    for (const e of events) hash.update(JSON.stringify(e));
    return hash.digest('hex');
  } finally {
    await db.close();
  }
}

/** Whether anything was written: a refused command must not even create the tables. */
async function hasTables(dialect: 'sqlite' | 'postgres', url: string): Promise<boolean> {
  if (dialect === 'sqlite') return existsSync(url);
  const db = openDatabase(url);
  try {
    const { rows } = await sql<{ n: number }>`select count(*) as n from information_schema.tables
      where table_schema = current_schema()`.execute(db.kysely);
    return Number(rows[0]?.n) > 0;
  } finally {
    await db.close();
  }
}

for (const dialect of testDialects()) {
  describe(`hocvuso synth [${dialect}]`, () => {
    it('makes a synthetic tenant whose people, progress and events agree, the same for the same seed', async () => {
      const first = await fresh(dialect);
      const second = await fresh(dialect);
      const other = await fresh(dialect);
      try {
        const run = synth(first.env, 7);
        assert.equal(run.code, 0, run.err);
        assert.match(run.out, /100% · 300 người/);
        assert.match(run.out, /1\/5 .*\n(.*\n)*.*5\/5/);

        const db = openDatabase(first.url);
        try {
          const q = db.kysely;
          const tenant = await q
            .selectFrom('tenants')
            .select('id')
            .where('slug', '=', 'synth')
            .executeTakeFirstOrThrow();
          const people = await q
            .selectFrom('accounts')
            .innerJoin('orgUnits', 'orgUnits.id', 'accounts.homeUnitId')
            .select([
              'accounts.id',
              'accounts.block',
              'accounts.isDemo',
              'accounts.phone',
              'accounts.fullName',
              'orgUnits.kind',
              'orgUnits.validTo',
              'orgUnits.tenantId',
            ])
            .execute();
          assert.equal(people.length, PEOPLE);
          // Every person lives in a current unit of the real tree, and can never be used in production.
          assert.ok(people.every((p) => p.tenantId === tenant.id && p.validTo === null && p.isDemo === 1));
          assert.ok(
            people.every(
              (p) => /^\+8450\d{7}$/.test(p.phone ?? '') && p.fullName === p.fullName.normalize('NFC'),
            ),
          );
          assert.equal(new Set(people.map((p) => p.phone)).size, PEOPLE);
          assert.deepEqual(new Set(people.map((p) => p.block)), new Set(BLOCK_CODES));
          assert.ok(people.some((p) => p.kind === 'village') && people.some((p) => p.kind === 'commune'));
          const communes = await q
            .selectFrom('orgUnits')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('tenantId', '=', tenant.id)
            .where('kind', '=', 'commune')
            .executeTakeFirstOrThrow();
          assert.equal(Number(communes.n), 241);

          // Every event carries the person's unit and block.
          const strays = await q
            .selectFrom('learningEvents')
            .innerJoin('accounts', 'accounts.id', 'learningEvents.accountId')
            .select((eb) => eb.fn.countAll().as('n'))
            .where((eb) =>
              eb.or([
                eb('learningEvents.unitId', '!=', eb.ref('accounts.homeUnitId')),
                eb('learningEvents.block', '!=', eb.ref('accounts.block')),
                eb('learningEvents.storedAt', '<', eb.ref('learningEvents.occurredAt')),
              ]),
            )
            .executeTakeFirstOrThrow();
          assert.equal(Number(strays.n), 0);
          const events = await q
            .selectFrom('learningEvents')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow();
          assert.ok(Number(events.n) > PEOPLE * 10, `only ${events.n} events`);

          // Each event's digest as the learning service makes it (a replay is recognised by it).
          const stored = await q
            .selectFrom('learningEvents')
            .select(['accountId', 'verb', 'objectType', 'objectId', 'result', 'occurredAt', 'digest'])
            .execute();
          for (const e of stored) {
            const content = [e.accountId, e.verb, e.objectType, e.objectId, e.result, e.occurredAt];
            assert.equal(e.digest, createHash('sha256').update(JSON.stringify(content)).digest('hex'));
          }

          // A course-completed event exactly where progress says the course was completed, a certificate each.
          const progress = await q.selectFrom('courseProgress').selectAll().execute();
          const completedEvents = await q
            .selectFrom('learningEvents')
            .select(['accountId', 'courseId', 'occurredAt'])
            .where('objectType', '=', 'course')
            .where('verb', '=', 'completed')
            .execute();
          const completed = progress.filter((p) => p.completedAt !== null);
          assert.ok(completed.length > 0 && completed.length < progress.length);
          assert.deepEqual(
            new Set(completedEvents.map((e) => `${e.accountId}:${e.courseId}:${e.occurredAt}`)),
            new Set(completed.map((p) => `${p.accountId}:${p.courseId}:${p.completedAt}`)),
          );
          assert.equal(completedEvents.length, completed.length);
          const certificates = await q
            .selectFrom('certificates')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow();
          assert.equal(Number(certificates.n), completed.length);

          // Lessons read and quizzes passed as the events say.
          const counted = await q
            .selectFrom('learningEvents')
            .select(['accountId', 'courseId'])
            .select(
              sql<number>`count(distinct case when object_type = 'lesson' then object_id end)`.as('read'),
            )
            .select(sql<number>`count(distinct case when verb = 'passed' then object_id end)`.as('passed'))
            .groupBy(['accountId', 'courseId'])
            .execute();
          const byKey = new Map(counted.map((c) => [`${c.accountId}:${c.courseId}`, c]));
          for (const p of progress) {
            const c = byKey.get(`${p.accountId}:${p.courseId}`);
            assert.equal(Number(c?.read), p.lessonsRead);
            assert.equal(Number(c?.passed), p.quizzesPassed);
          }

          // Officials are assigned the program, completed exactly when they completed it.
          const assignments = await q.selectFrom('assignments').selectAll().execute();
          assert.equal(assignments.length, people.filter((p) => p.block === 'official').length);
          assert.ok(
            assignments.some((a) => a.completedAt) && assignments.every((a) => a.dueOn === '2025-04-07'),
          );
        } finally {
          await db.close();
        }

        const again = synth(second.env, 7);
        assert.equal(again.code, 0, again.err);
        const changed = synth(other.env, 8);
        assert.equal(changed.code, 0, changed.err);
        const digest = await dataDigest(first.url);
        assert.equal(await dataDigest(second.url), digest);
        assert.notEqual(await dataDigest(other.url), digest);

        // The same tenant twice would mix two synthetic populations: refused.
        const twice = synth(first.env, 7);
        assert.equal(twice.code, 1);
        assert.match(twice.err, /đã có dữ liệu tổng hợp/);
      } finally {
        await first.drop();
        await second.drop();
        await other.drop();
      }
    });

    it('refuses bad options with a message and creates nothing', async () => {
      const { url, env, drop } = await fresh(dialect);
      try {
        const noTenant = hocvuso(['synth', '--people', '10'], env);
        assert.equal(noTenant.code, 2);
        assert.match(noTenant.err, /Thiếu --tenant SLUG/);
        const negative = hocvuso(['synth', '--tenant', 'synth', '--people=-5'], env);
        assert.equal(negative.code, 2);
        assert.match(negative.err, /--people phải là số nguyên từ 1 đến 5\.000\.000 \(đang là "-5"\)/);
        // Written apart, "-5" reads as an option to the argument parser, which refuses it before synth runs.
        const apart = hocvuso(['synth', '--tenant', 'synth', '--people', '-5'], env);
        assert.equal(apart.code, 2);
        assert.match(apart.err, /Lỗi: tùy chọn không hợp lệ .*--people/);
        for (const [option, value, message] of [
          ['--people', 'mười', /--people phải là số nguyên/],
          ['--people', '0', /--people phải là số nguyên/],
          ['--seed', '1.5', /--seed phải là số nguyên/],
          ['--until', '2025-02-30', /--until phải là một ngày/],
          ['--months', '0', /--months phải là số tháng/],
        ] as const) {
          const refused = hocvuso(['synth', '--tenant', 'synth', '--people', '10', option, value], env);
          assert.equal(refused.code, 2, `${option} ${value}`);
          assert.match(refused.err, message);
        }
        const production = hocvuso(['synth', '--tenant', 'synth', '--people', '10'], {
          ...env,
          NODE_ENV: 'production',
          HOCVUSO_SECRET: 'x'.repeat(40),
        });
        assert.equal(production.code, 2);
        assert.match(production.err, /Không tạo dữ liệu tổng hợp khi NODE_ENV=production/);
        assert.equal(await hasTables(dialect, url), false);
      } finally {
        await drop();
      }
    });
  });
}
