import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import type { Actor } from '../src/access/actor.js';
import type { Db } from '../src/db/database.js';
import { todayInVietnam } from '../src/db/time.js';
import { readCoursePackage } from '../src/modules/catalog/coursePackage.js';
import { importCourse } from '../src/modules/catalog/importCourse.js';
import type { Block } from '../src/modules/identity/blocks.js';
import type { AppContext } from '../src/web/context.js';
import { passQuiz } from './support/answers.js';
import { openTestDatabase, testDialects } from './support/db.js';
import {
  buildAccount,
  buildTenant,
  importMiniCourse,
  MINI_COURSE,
  testContext,
} from './support/factories.js';

/** Every non-zero count and every fact of a tenant, in one order: what a rebuild must reproduce. */
async function statistics(db: Db, tenantId: string) {
  const counts = await db.kysely
    .selectFrom('statCounts')
    .select(['unitId', 'subject', 'metric', 'block', 'day', 'n'])
    .where('tenantId', '=', tenantId)
    .execute();
  const facts = await db.kysely
    .selectFrom('statFacts')
    .select(['accountId', 'subject', 'metric', 'unitId', 'block', 'day', 'value'])
    .where('tenantId', '=', tenantId)
    .execute();
  const line = (row: Record<string, unknown>) => Object.values(row).map(String).join('|');
  return {
    counts: counts
      .filter((c) => Number(c.n) !== 0)
      .map((c) => line({ ...c, n: Number(c.n) }))
      .sort(),
    facts: facts.map((f) => line({ ...f, value: Number(f.value) })).sort(),
  };
}

const op = fc.oneof(
  fc.record({
    kind: fc.constant('read' as const),
    who: fc.nat(3),
    course: fc.nat(1),
    lesson: fc.nat(1),
    minutesAgo: fc.nat(60 * 24 * 40),
  }),
  fc.record({ kind: fc.constant('quiz' as const), who: fc.nat(3), course: fc.nat(1), pass: fc.boolean() }),
  fc.record({ kind: fc.constant('move' as const), who: fc.nat(3), to: fc.nat(3) }),
  fc.record({
    kind: fc.constant('block' as const),
    who: fc.nat(3),
    block: fc.constantFrom<Block>('official', 'citizen', 'student'),
  }),
  fc.record({ kind: fc.constant('exempt' as const), who: fc.nat(3) }),
  fc.record({ kind: fc.constant('reorganise' as const) }),
);

type Op = typeof op extends fc.Arbitrary<infer T> ? T : never;

/** Runs one random stream of events and changes on a fresh tenant; returns the tenant's id. */
async function play(ctx: AppContext, run: number, ops: Op[]): Promise<string> {
  const { tenant, province, district, communeA, communeB, villageA, villageB } = await buildTenant(
    ctx,
    `tinh-${run}-${randomUUID().slice(0, 8)}`,
  );
  const units = [villageA, villageB, communeA, communeB];
  const course = await importMiniCourse(ctx, tenant);
  // A second course, in no program: "any course" figures span both.
  const { course: copy } = readCoursePackage(MINI_COURSE);
  assert.ok(copy);
  const { courseId } = await importCourse(ctx, tenant.id, { ...copy, slug: 'ban-sao', digest: 'ban-sao' });
  const courses = [course, (await ctx.catalog.courseById(tenant.id, courseId)) as typeof course];
  const quizzes = await Promise.all(
    courses.map((c) => ctx.assessment.quiz(tenant.id, c.lessons.find((l) => l.quizId)?.quizId as string)),
  );
  const program = await ctx.programs.createProgram(tenant.id, {
    name: 'Chương trình cán bộ',
    targetBlock: 'official',
    validityMonths: 24,
    courses: [{ courseId: course.id, role: 'required' }],
  });
  const admin = await ctx.identity.actorOf(
    await buildAccount(ctx, tenant, province, { role: 'tenantAdmin', scope: null, block: 'official' }),
  );
  await ctx.programs.createRule(admin, tenant.id, {
    programId: program.id,
    unitId: province.id,
    blocks: ['official'],
    dueDays: 30,
  });
  const blocks: Block[] = ['official', 'official', 'citizen', 'student'];
  const accounts = await Promise.all(
    blocks.map((block, i) => buildAccount(ctx, tenant, units[i % units.length] ?? villageA, { block })),
  );
  const actor = async (who: number): Promise<Actor> =>
    ctx.identity.actorOf((await ctx.identity.account(tenant.id, accounts[who]?.id as string)) as never);
  let reorganised = false;
  for (const step of ops) {
    if (step.kind === 'read') {
      const lessons = courses[step.course]?.lessons ?? [];
      const lesson = lessons[step.lesson % lessons.length];
      await ctx.learning.recordEvents(await actor(step.who), [
        {
          id: randomUUID(),
          verb: 'completed',
          object: { type: 'lesson', id: lesson?.id as string },
          timestamp: new Date(Date.now() - step.minutesAgo * 60_000).toISOString(),
        },
      ]);
    } else if (step.kind === 'quiz') {
      const learner = await actor(step.who);
      const quiz = quizzes[step.course];
      assert.ok(quiz);
      if (step.pass) await passQuiz(ctx, learner, quiz);
      else {
        const attempt = await ctx.assessment.startAttempt(quiz, learner.accountId);
        await ctx.learning.submitQuiz(learner, attempt.id, {});
      }
    } else if (step.kind === 'move' || step.kind === 'block') {
      const changes =
        step.kind === 'move' ? { homeUnitId: (units[step.to] ?? villageA).id } : { block: step.block };
      await ctx.db.kysely
        .updateTable('accounts')
        .set(changes)
        .where('id', '=', accounts[step.who]?.id as string)
        .execute();
      await ctx.identity.peopleChanged(tenant.id, [accounts[step.who]?.id as string]);
    } else if (step.kind === 'exempt') {
      const [assignment] = await ctx.programs.assignmentsOf(accounts[step.who]?.id as string);
      if (assignment && !assignment.exemptAt)
        await ctx.programs.exempt(admin, tenant.id, assignment.id, 'Nghỉ dài hạn');
    } else if (!reorganised) {
      // Village A moves to commune B: its people's figures now roll up through commune B.
      await ctx.org.moveUnit(tenant.id, villageA.id, communeB.id, todayInVietnam());
      await ctx.identity.peopleChanged(tenant.id, null);
      reorganised = true;
    }
  }
  assert.ok(district);
  return tenant.id;
}

for (const dialect of testDialects()) {
  describe(`unit statistics [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
    });
    after(() => db.close());

    it('a rebuild from events gives exactly the numbers kept incrementally, after any stream of events', async () => {
      let run = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
          run += 1;
          const tenantId = await play(ctx, run, ops);
          const incremental = await statistics(db, tenantId);
          await ctx.stats.rebuild(tenantId);
          const rebuilt = await statistics(db, tenantId);
          assert.deepEqual(incremental.facts, rebuilt.facts);
          assert.deepEqual(incremental.counts, rebuilt.counts);
          assert.ok(rebuilt.counts.length > 0, 'a tenant with people has figures');
        }),
        { numRuns: dialect === 'sqlite' ? 30 : 12 },
      );
    });

    it('counts, once, a tenant whose people have no statistics yet (a database from before them)', async () => {
      const tenantId = await play(ctx, 0, [{ kind: 'quiz', who: 0, course: 0, pass: true }]);
      const kept = await statistics(db, tenantId);
      await db.kysely.deleteFrom('statFacts').where('tenantId', '=', tenantId).execute();
      await db.kysely.deleteFrom('statCounts').where('tenantId', '=', tenantId).execute();
      assert.deepEqual(await ctx.stats.rebuildMissing([tenantId]), [tenantId]);
      assert.deepEqual(await statistics(db, tenantId), kept);
      assert.deepEqual(await ctx.stats.rebuildMissing([tenantId]), [], 'a counted tenant is left alone');
    });
  });
}
