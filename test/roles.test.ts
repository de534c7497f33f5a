import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const ROLES = '/quan-tri/vai-tro';

for (const dialect of testDialects()) {
  describe(`roles administration [${dialect}]`, () => {
    let t: TestApp;
    let admin: Browser;
    const auditActions = async () =>
      (await t.db.kysely.selectFrom('auditEvents').select('action').orderBy('occurredAt').execute()).map(
        (r) => r.action,
      );

    before(async () => {
      t = await startTestApp(dialect);
      admin = await signedIn(
        t.app,
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, { role: 'tenantAdmin', scope: null }),
      );
    });
    after(() => t.close());

    it('grants a tenant-wide role by phone and revokes it after confirmation, both audited', async () => {
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Ngô Thị Soạn',
      });
      const granted = await admin.submit(ROLES, ROLES, {
        person: person.phone ?? '',
        role: 'contentManager',
        unitCode: '',
      });
      assert.equal(granted.statusCode, 303);
      const grants = await t.ctx.identity.grants(t.fixture.tenant.id);
      const grant = grants.find((g) => g.accountId === person.id);
      assert.equal(grant?.role, 'contentManager');
      assert.equal(grant?.unitId, null);
      const list = await admin.get(ROLES);
      assert.match(list.body, /Ngô Thị Soạn<\/td><td>Quản lý nội dung học tập<\/td><td>Toàn đơn vị chủ quản/);
      const confirm = await admin.get(`${ROLES}/${grant?.id}/thu-hoi`);
      assert.match(confirm.body, /Thu hồi vai trò/);
      assert.equal(
        (await admin.submit(`${ROLES}/${grant?.id}/thu-hoi`, `${ROLES}/${grant?.id}/thu-hoi`, {})).statusCode,
        303,
      );
      assert.equal(
        (await t.ctx.identity.grants(t.fixture.tenant.id)).some((g) => g.accountId === person.id),
        false,
      );
      const actions = await auditActions();
      assert.deepEqual(actions.slice(-2), ['role.granted', 'role.revoked']);
    });

    it('refuses unknown people and unit codes with a message, changing nothing', async () => {
      const before = (await t.ctx.identity.grants(t.fixture.tenant.id)).length;
      const nobody = await admin.submit(ROLES, ROLES, {
        person: '0999999999',
        role: 'evaluator',
        unitCode: '',
      });
      assert.equal(nobody.statusCode, 400);
      assert.match(nobody.body, /Không tìm thấy người/);
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const badUnit = await admin.submit(ROLES, ROLES, {
        person: person.phone ?? '',
        role: 'unitManager',
        unitCode: '99999',
      });
      assert.equal(badUnit.statusCode, 400);
      assert.match(badUnit.body, /Không có đơn vị nào mã/);
      assert.equal((await t.ctx.identity.grants(t.fixture.tenant.id)).length, before);
    });

    it('lets a unit manager grant unit managers only in their subtree, to people of their subtree', async () => {
      const manager = await signedIn(
        t.app,
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.communeA, {
          role: 'unitManager',
          scope: t.fixture.communeA,
        }),
      );
      const local = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Trưởng Thôn Mới',
      });
      const outsider = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB);
      const before = (await t.ctx.identity.grants(t.fixture.tenant.id)).length;
      const wrongRole = await manager.submit(ROLES, ROLES, {
        person: local.phone ?? '',
        role: 'contentManager',
        unitCode: '20524',
      });
      assert.equal(wrongRole.statusCode, 403);
      const wrongScope = await manager.submit(ROLES, ROLES, {
        person: local.phone ?? '',
        role: 'unitManager',
        unitCode: '20527',
      });
      assert.equal(wrongScope.statusCode, 403);
      const wrongPerson = await manager.submit(ROLES, ROLES, {
        person: outsider.phone ?? '',
        role: 'unitManager',
        unitCode: '20524',
      });
      assert.equal(wrongPerson.statusCode, 403);
      assert.equal((await t.ctx.identity.grants(t.fixture.tenant.id)).length, before, 'nothing granted');
      const ok = await manager.submit(ROLES, ROLES, {
        person: local.phone ?? '',
        role: 'unitManager',
        unitCode: '20524',
      });
      assert.equal(ok.statusCode, 303);
      const teacher = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        fullName: 'Giảng Viên Thôn',
      });
      const instructor = await manager.submit(ROLES, ROLES, {
        person: teacher.phone ?? '',
        role: 'instructor',
        unitCode: '20524',
      });
      assert.equal(instructor.statusCode, 303, 'a unit manager appoints class instructors in their commune');
      const held = await t.ctx.identity.actorOf(teacher);
      assert.deepEqual(
        held.grants.map((g) => g.role),
        ['instructor'],
      );
      const list = await manager.get(ROLES);
      assert.match(list.body, /Trưởng Thôn Mới/);
      assert.doesNotMatch(
        list.body,
        /Toàn đơn vị chủ quản/,
        'tenant-wide grants are outside a unit manager’s view',
      );
    });

    it('shows an evaluator the roles read-only, and refuses learners', async () => {
      const evaluator = await signedIn(
        t.app,
        await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, { role: 'evaluator', scope: null }),
      );
      const page = await evaluator.get(ROLES);
      assert.equal(page.statusCode, 200);
      assert.doesNotMatch(page.body, /Cấp vai trò<\/h2>|Thu hồi…/);
      const person = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      const refused = await evaluator.submit(ROLES, ROLES, {
        person: person.phone ?? '',
        role: 'evaluator',
        unitCode: '',
      });
      assert.equal(refused.statusCode, 403);
      const learner = await signedIn(t.app, await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB));
      assert.equal((await learner.get(ROLES)).statusCode, 403);
    });
  });
}
