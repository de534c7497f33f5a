import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { CourseOutline } from '../src/modules/catalog/service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

for (const dialect of testDialects()) {
  describe(`programs and assignment pages [${dialect}]`, () => {
    let t: TestApp;
    let course: CourseOutline;
    let admin: Browser;
    let managerOfA: Browser;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, communeA, villageA, villageB } = t.fixture;
      course = await importMiniCourse(t.ctx, tenant);
      admin = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'tenantAdmin', scope: null }),
      );
      managerOfA = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, communeA, { role: 'unitManager' }),
      );
      await buildAccount(t.ctx, tenant, villageA, { block: 'official', fullName: 'Cán Bộ Xã A' });
      await buildAccount(t.ctx, tenant, villageB, { block: 'official', fullName: 'Cán Bộ Xã B' });
    });
    after(() => t.close());

    it('refuses a program without courses or with more electives than it has, creating nothing', async () => {
      const page = '/quan-tri/chuong-trinh/moi';
      const refused = await admin.submit(page, page, {
        name: 'Chương trình thử',
        electivesRequired: '2',
        [`role-${course.id}`]: 'elective',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Số khóa tự chọn cần hoàn thành phải từ 0 đến 1\./);
      const empty = await admin.submit(page, page, { name: 'Chương trình thử', electivesRequired: '0' });
      assert.match(empty.body, /Hãy chọn ít nhất một khóa học cho chương trình\./);
      assert.deepEqual(await t.ctx.programs.programs(t.fixture.tenant.id), []);
    });

    it('lets a commune manager follow their own people under a province-wide rule, and nobody else', async () => {
      const made = await admin.submit('/quan-tri/chuong-trinh/moi', '/quan-tri/chuong-trinh/moi', {
        name: 'Chương trình cho cán bộ',
        validityMonths: '24',
        electivesRequired: '0',
        [`role-${course.id}`]: 'required',
      });
      assert.equal(made.statusCode, 303);
      const [program] = await t.ctx.programs.programs(t.fixture.tenant.id);
      assert.ok(program);
      const assigned = await admin.submit('/quan-tri/giao-hoc/moi', '/quan-tri/giao-hoc/moi', [
        ['target', `program:${program.id}`],
        ['unitId', t.fixture.province.id],
        ['blocks', 'official'],
        ['dueKind', 'days'],
        ['dueDays', '30'],
      ]);
      assert.equal(assigned.statusCode, 303);
      const rulePage = assigned.headers.location as string;
      const whole = await admin.get(rulePage);
      assert.match(whole.body, /Cán Bộ Xã A/);
      assert.match(whole.body, /Cán Bộ Xã B/);
      assert.match(whole.body, /name="reason"/, 'the tenant admin can exempt');

      const own = await managerOfA.get(rulePage);
      assert.equal(own.statusCode, 200);
      assert.match(own.body, /Cán Bộ Xã A/);
      assert.doesNotMatch(own.body, /Cán Bộ Xã B/);
      assert.match(own.body, /bạn thấy những người thuộc đơn vị mình quản lý/);
      assert.doesNotMatch(own.body, /name="reason"/, 'a partial view changes nothing');
      const list = await managerOfA.get('/quan-tri/giao-hoc');
      assert.match(list.body, /Chương trình cho cán bộ/);
    });

    it('refuses a due day in the past, saying why, and assigns nothing', async () => {
      const [program] = await t.ctx.programs.programs(t.fixture.tenant.id);
      const before = (await t.ctx.programs.rules(t.fixture.tenant.id)).length;
      const refused = await managerOfA.submit('/quan-tri/giao-hoc/moi', '/quan-tri/giao-hoc/moi', [
        ['target', `program:${program?.id}`],
        ['unitId', t.fixture.communeA.id],
        ['dueKind', 'date'],
        ['dueOn', '2020-01-01'],
      ]);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Hạn hoàn thành phải là một ngày hợp lệ, từ hôm nay trở đi\./);
      assert.equal((await t.ctx.programs.rules(t.fixture.tenant.id)).length, before);
      const outside = await managerOfA.submit('/quan-tri/giao-hoc/moi', '/quan-tri/giao-hoc/moi', [
        ['target', `program:${program?.id}`],
        ['unitId', t.fixture.communeB.id],
        ['dueKind', 'days'],
        ['dueDays', '30'],
      ]);
      assert.equal(outside.statusCode, 403, 'another commune is not theirs to assign');
    });
  });
}
