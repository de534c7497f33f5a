import assert from 'node:assert/strict';
import { appendFileSync, cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openTestDatabase, testDialects } from '../../../test/support/db.js';
import { buildLearner, buildTenant, MINI_COURSE, testContext } from '../../../test/support/factories.js';
import type { Db } from '../../db/database.js';
import { COURSES_FOLDER } from '../../demo/seedDemo.js';
import type { AppContext } from '../../web/context.js';
import { readCoursePackage } from './coursePackage.js';
import { importCourse } from './importCourse.js';
import { readPackages } from './packageArchive.js';

async function tableSizes(db: Db) {
  const count = async (table: 'courses' | 'lessons' | 'quizzes' | 'quizQuestions' | 'courseModules') =>
    Number(
      (
        await db.kysely
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    courses: await count('courses'),
    modules: await count('courseModules'),
    lessons: await count('lessons'),
    quizzes: await count('quizzes'),
    questions: await count('quizQuestions'),
  };
}

for (const dialect of testDialects()) {
  describe(`course catalog [${dialect}]`, () => {
    let db: Db;
    let ctx: AppContext;
    let fixture: Awaited<ReturnType<typeof buildTenant>>;

    before(async () => {
      db = await openTestDatabase(dialect);
      ctx = testContext(db);
      fixture = await buildTenant(ctx);
      const { courses, problems } = readPackages(COURSES_FOLDER);
      assert.deepEqual(problems, []);
      for (const course of courses)
        assert.equal((await importCourse(ctx, fixture.tenant.id, course)).outcome, 'created');
    });
    after(() => db.close());

    it('imports the shipped packages once: importing them again changes nothing', async () => {
      const before = await tableSizes(db);
      assert.equal(before.courses, 3);
      assert.ok(before.questions >= 3 * 3 * 5);
      const lessonIds = (await db.kysely.selectFrom('lessons').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );
      for (const course of readPackages(COURSES_FOLDER).courses) {
        assert.equal((await importCourse(ctx, fixture.tenant.id, course)).outcome, 'unchanged');
      }
      assert.deepEqual(await tableSizes(db), before);
      const after = (await db.kysely.selectFrom('lessons').select('id').orderBy('id').execute()).map(
        (r) => r.id,
      );
      assert.deepEqual(after, lessonIds);
    });

    it('finds "lừa đảo" typed without diacritics or in capitals, title matches first', async () => {
      for (const query of ['lua dao', 'LỪA ĐẢO', 'Lua Dao']) {
        const found = await ctx.catalog.courses(fixture.tenant.id, { query });
        assert.equal(found[0]?.slug, 'phong-tranh-lua-dao', query);
      }
      const vneid = await ctx.catalog.courses(fixture.tenant.id, { query: 'vneid' });
      assert.equal(vneid[0]?.slug, 'dich-vu-cong-va-vneid');
      assert.deepEqual(await ctx.catalog.courses(fixture.tenant.id, { query: 'xyzzy' }), []);
    });

    it('filters by topic and by block', async () => {
      const safety = await ctx.catalog.courses(fixture.tenant.id, { topic: 'an-toan-so' });
      assert.deepEqual(safety.map((c) => c.slug).sort(), ['an-toan-thong-tin-can-bo', 'phong-tranh-lua-dao']);
      const officials = await ctx.catalog.courses(fixture.tenant.id, { block: 'official' });
      assert.deepEqual(
        officials.map((c) => c.slug),
        ['an-toan-thong-tin-can-bo'],
      );
      assert.deepEqual(await ctx.catalog.courses(fixture.tenant.id, { topic: 'thanh-toan-so' }), []);
    });

    it('keeps courses of one tenant out of another tenant’s catalog', async () => {
      const other = await buildTenant(ctx, 'tinh-khac');
      assert.deepEqual(await ctx.catalog.courses(other.tenant.id), []);
      assert.equal(await ctx.catalog.courseBySlug(other.tenant.id, 'phong-tranh-lua-dao'), null);
    });

    it('publishes a changed package as a new version; a learner who started keeps theirs', async () => {
      const folder = join(mkdtempSync(join(tmpdir(), 'hv-catalog-')), 'mini');
      cpSync(MINI_COURSE, folder, { recursive: true });
      const original = readCoursePackage(folder).course;
      assert.ok(original);
      await importCourse(ctx, fixture.tenant.id, original);
      const first = await ctx.catalog.courseBySlug(fixture.tenant.id, 'lam-quen-zalo');
      const learner = await buildLearner(ctx, fixture.tenant, fixture.villageA);
      await ctx.learning.finishReading(learner, first?.lessons[0]?.id ?? '');

      appendFileSync(join(folder, 'lessons/02-nhan-tin.md'), '\nBổ sung: gọi video cho người thân.\n');
      const changed = readCoursePackage(folder).course;
      assert.ok(changed);
      assert.equal((await importCourse(ctx, fixture.tenant.id, changed)).outcome, 'updated');
      const current = await ctx.catalog.courseBySlug(fixture.tenant.id, 'lam-quen-zalo');
      assert.equal(current?.versionNumber, (first?.versionNumber ?? 0) + 1);
      const fresh = (await ctx.catalog.courseLesson(fixture.tenant.id, 'lam-quen-zalo', 'nhan-tin'))?.lesson;
      assert.match(fresh?.bodyHtml ?? '', /gọi video cho người thân/);

      const theirs = (versionOf: string | null) => async () => versionOf;
      const kept = await ctx.catalog.courseLesson(
        fixture.tenant.id,
        'lam-quen-zalo',
        'nhan-tin',
        theirs(await ctx.learning.versionOf(learner.accountId, first?.id ?? '')),
      );
      assert.equal(kept?.course.versionId, first?.versionId);
      assert.doesNotMatch(kept?.lesson?.bodyHtml ?? '', /gọi video/);
      assert.equal((await ctx.learning.progress(learner.accountId, first?.id ?? ''))?.lessonsRead, 1);
    });
  });
}
