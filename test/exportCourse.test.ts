import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AssessmentService } from '../src/modules/assessment/service.js';
import { AuthoringService } from '../src/modules/catalog/authoring.js';
import { readCoursePackage } from '../src/modules/catalog/coursePackage.js';
import { exportCoursePackage } from '../src/modules/catalog/exportCourse.js';
import { importCourse } from '../src/modules/catalog/importCourse.js';
import { readCoursePackageZip, zipCoursePackage } from '../src/modules/catalog/packageArchive.js';
import type { Tenant } from '../src/modules/org/service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, buildTenant, TEST_PASSWORD } from './support/factories.js';
import { Browser } from './support/http.js';

const EVERY_KIND = fileURLToPath(new URL('./fixtures/courses/every-kind', import.meta.url));

for (const dialect of testDialects()) {
  describe(`course export: a package another tenant imports as the same course [${dialect}]`, () => {
    let t: TestApp;
    let other: Tenant;
    before(async () => {
      t = await startTestApp(dialect);
      other = (await buildTenant(t.ctx, 'tinh-khac')).tenant;
    });
    after(() => t.close());

    /** Everything a learner meets in a course's published version, without ids. */
    async function contentOf(tenantId: string, courseId: string) {
      const authoring = new AuthoringService(t.db);
      const assessment = new AssessmentService(t.db);
      const course = await authoring.course(tenantId, courseId);
      const view = await authoring.versionView(t.db, tenantId, courseId, course?.publishedVersionId ?? '');
      const lessons = [];
      for (const lesson of view.modules.flatMap((m) => m.lessons)) {
        const frozen = lesson.quiz ? await assessment.frozenQuestions(lesson.quiz.id) : [];
        const { source, ...settings } = lesson.quiz?.settings ?? { source: null };
        lessons.push({
          slug: lesson.slug,
          kind: lesson.kind,
          fields: lesson.fields,
          quiz: lesson.quiz ? { settings, allLessons: source !== null && 'allLessons' in source } : null,
          questions: frozen.map((q) => ({
            ...q.draft,
            key: q.key.replace(/^.*--/, ''),
            imageFile: q.imageFile,
          })),
        });
      }
      return { slug: view.slug, fields: view.fields, modules: view.modules.map((m) => m.title), lessons };
    }

    it('exports every part of a course (media too) and re-imports it identically into a fresh tenant', async () => {
      const pkg = readCoursePackage(EVERY_KIND).course;
      assert.ok(pkg);
      const { courseId } = await importCourse(t.ctx, t.fixture.tenant.id, pkg);
      const exported = await exportCoursePackage(t.ctx, t.fixture.tenant.id, courseId);
      const zip = zipCoursePackage(exported);
      const read = readCoursePackageZip(zip, 'moi-loai-cau-hoi.zip');
      assert.deepEqual(read.problems, []);
      assert.ok(read.course);
      assert.equal(
        read.course.assets.size,
        pkg.assets.size,
        'every picture, video, caption and PDF is in the zip',
      );
      const copy = await importCourse(t.ctx, other.id, read.course);
      assert.equal(copy.outcome, 'created');
      assert.deepEqual(
        await contentOf(other.id, copy.courseId),
        await contentOf(t.fixture.tenant.id, courseId),
      );
      for (const name of [...read.course.assets.values()].map((a) => a.path.split('/').pop() ?? '')) {
        assert.ok(t.ctx.files.get(name), `${name} is stored`);
      }
    });

    it('serves the zip and a printable handout to the content manager', async () => {
      const manager = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        role: 'contentManager',
        scope: null,
      });
      const browser = new Browser(t.app);
      await browser.login(manager.phone ?? '', TEST_PASSWORD);
      const courseId =
        (await new AuthoringService(t.db).courseIdBySlug(t.fixture.tenant.id, 'moi-loai-cau-hoi')) ?? '';
      const zip = await browser.get(`/soan-bai/khoa-hoc/${courseId}/goi.zip`);
      assert.equal(zip.statusCode, 200);
      assert.equal(zip.headers['content-type'], 'application/zip');
      assert.equal(zip.rawPayload.subarray(0, 2).toString(), 'PK');
      const pdf = await browser.get(`/soan-bai/khoa-hoc/${courseId}/tai-lieu.pdf`);
      assert.equal(pdf.headers['content-type'], 'application/pdf');
      assert.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-');
      const publicCopy = await t.app.inject({
        method: 'GET',
        url: '/khoa-hoc/moi-loai-cau-hoi/tai-lieu.pdf',
      });
      assert.equal(publicCopy.statusCode, 200);
      const foreign = await browser.get(`/soan-bai/khoa-hoc/${randomUUID()}/goi.zip`);
      assert.equal(foreign.statusCode, 404);
    });
  });
}
