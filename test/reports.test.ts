import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInVietnam } from '../src/db/time.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

/** The cells of the table row headed by `name`, as text. */
function rowOf(html: string, name: string): string[] | undefined {
  const row = [...html.matchAll(/<tr>(.*?)<\/tr>/gs)]
    .map((m) => m[1] ?? '')
    .find((r) => r.includes(`>${name}<`));
  return (
    row && [...row.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/gs)].map((m) => (m[1] ?? '').replace(/<[^>]+>/g, ''))
  );
}

for (const dialect of testDialects()) {
  describe(`unit learning report pages [${dialect}]`, () => {
    let t: TestApp;
    let evaluator: Browser;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, villageA } = t.fixture;
      evaluator = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'evaluator', scope: null }),
      );
      const course = await importMiniCourse(t.ctx, tenant);
      const learner = await t.ctx.identity.actorOf(await buildAccount(t.ctx, tenant, villageA));
      for (const lesson of course.lessons) await t.ctx.learning.finishReading(learner, lesson.id);
    });
    after(() => t.close());

    it('starts an evaluator at the whole province, today', async () => {
      const response = await evaluator.get('/bao-cao/don-vi');
      assert.equal(response.statusCode, 303);
      assert.equal(
        response.headers.location,
        `/bao-cao/don-vi/${t.fixture.province.id}?ngay=${todayInVietnam()}&co-cau=theo-ngay`,
      );
    });

    it('counts a learner in their commune, with totals, and drills down by link', async () => {
      const page = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}`);
      assert.equal(page.statusCode, 200);
      assert.deepEqual(rowOf(page.body, 'Xã Đại Hiệp'), ['Xã Đại Hiệp', '1', '0', '0']);
      assert.deepEqual(rowOf(page.body, 'Xã Đại Thạnh'), ['Xã Đại Thạnh', '0', '0', '0']);
      assert.deepEqual(rowOf(page.body, 'Tổng cộng'), ['Tổng cộng', '1', '0', '0']);
      assert.match(page.body, new RegExp(`href="/bao-cao/don-vi/${t.fixture.communeA.id}\\?ngay=`));
    });

    it('says so when the day cannot be read, and shows today instead', async () => {
      const page = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}?ngay=2025-13-45`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Ngày không hợp lệ; đang xem đến hôm nay\./);
      assert.deepEqual(rowOf(page.body, 'Tổng cộng'), ['Tổng cộng', '1', '0', '0']);
    });

    it('shows nothing of a day before the units existed', async () => {
      const page = await evaluator.get(`/bao-cao/don-vi/${t.fixture.district.id}?ngay=2020-01-01`);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /chưa được thành lập vào ngày 01\/01\/2020/);
    });
  });
}
