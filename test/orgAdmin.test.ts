import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

for (const dialect of testDialects()) {
  describe(`org tree administration [${dialect}]`, () => {
    let t: TestApp;
    let admin: Browser;
    const unitPage = (id: string) => `/quan-tri/don-vi/${id}`;

    before(async () => {
      t = await startTestApp(dialect);
      const account = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.province, {
        role: 'tenantAdmin',
        scope: null,
      });
      admin = await signedIn(t.app, account);
      for (let i = 0; i < 3; i++) await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA);
      await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB);
    });
    after(() => t.close());

    it('browses the tree with head counts per subtree, and finds units typed without diacritics', async () => {
      const district = await admin.get(unitPage(t.fixture.district.id));
      assert.equal(district.statusCode, 200);
      assert.match(district.body, /Xã Đại Hiệp<\/a><\/td><td>20524<\/td><td>3<\/td>/);
      assert.match(district.body, /Xã Đại Thạnh<\/a><\/td><td>20527<\/td><td>1<\/td>/);
      const found = await admin.get('/quan-tri/don-vi?tim=dai%20thanh');
      assert.match(found.body, new RegExp(unitPage(t.fixture.communeB.id)));
    });

    it('renames a unit and refuses a code another current unit already has, changing nothing', async () => {
      const page = unitPage(t.fixture.villageA.id);
      const taken = await admin.submit(page, page, {
        typeLabel: 'Thôn',
        name: 'Phú Hòa 1',
        code: '20527',
        kind: 'village',
      });
      assert.equal(taken.statusCode, 400);
      assert.match(
        taken.body,
        /Mã &quot;20527&quot; đã là mã của Xã Đại Thạnh|Mã "20527" đã là mã của Xã Đại Thạnh/,
      );
      assert.equal((await t.ctx.org.unit(t.fixture.tenant.id, t.fixture.villageA.id))?.name, 'Phú Hòa');
      const saved = await admin.submit(page, page, {
        typeLabel: 'Thôn',
        name: 'Phú Hòa 1',
        code: '',
        kind: 'village',
      });
      assert.equal(saved.statusCode, 303);
      assert.equal((await t.ctx.org.unit(t.fixture.tenant.id, t.fixture.villageA.id))?.name, 'Phú Hòa 1');
    });

    it('adds a village, then moves a village with its people to another commune', async () => {
      const commune = unitPage(t.fixture.communeA.id);
      const added = await admin.submit(commune, `${commune}/don-vi-con`, {
        typeLabel: 'Thôn',
        name: 'Phú Hòa 2',
        code: '',
        kind: 'village',
      });
      assert.equal(added.statusCode, 303);
      const village = unitPage(t.fixture.villageA.id);
      const into = await admin.submit(village, `${village}/chuyen`, { parentId: t.fixture.villageA.id });
      assert.equal(into.statusCode, 400, 'a unit cannot go under itself');
      const summary = await admin.submit(village, `${village}/chuyen`, {
        parentId: t.fixture.communeB.id,
        _action: 'xem',
      });
      assert.match(summary.body, /và 3 người vào/);
      const moved = await admin.submit(village, `${village}/chuyen`, {
        parentId: t.fixture.communeB.id,
        _action: 'xac-nhan',
      });
      assert.equal(moved.statusCode, 303);
      const unit = await t.ctx.org.unit(t.fixture.tenant.id, t.fixture.villageA.id);
      assert.equal(unit?.parentId, t.fixture.communeB.id);
      assert.ok(unit?.path.startsWith(t.fixture.communeB.path));
      const communeB = await admin.get(unitPage(t.fixture.communeB.id));
      assert.match(communeB.body, /4 người thuộc đơn vị/);
      const found = await t.ctx.org.searchUnits(t.fixture.tenant.id, 'phu hoa 1 dai thanh');
      assert.equal(found[0]?.id, t.fixture.villageA.id, 'search knows the new parent');
    });

    it('lets a unit manager manage only their own subtree; learners not at all', async () => {
      const manager = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.communeA, {
        role: 'unitManager',
        scope: t.fixture.communeA,
      });
      const browser = await signedIn(t.app, manager);
      assert.equal((await browser.get(unitPage(t.fixture.communeA.id))).statusCode, 200);
      assert.equal((await browser.get(unitPage(t.fixture.communeB.id))).statusCode, 403);
      const token =
        /name="_csrf" value="([^"]+)"/.exec((await browser.get(unitPage(t.fixture.communeA.id))).body)?.[1] ??
        '';
      const foreign = await browser.post(unitPage(t.fixture.communeB.id), {
        _csrf: token,
        typeLabel: 'Xã',
        name: 'Bị đổi',
        code: '',
        kind: 'commune',
      });
      assert.equal(foreign.statusCode, 403);
      assert.equal((await t.ctx.org.unit(t.fixture.tenant.id, t.fixture.communeB.id))?.name, 'Đại Thạnh');
      const learner = await signedIn(t.app, await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageB));
      assert.equal((await learner.get('/quan-tri/don-vi')).statusCode, 403);
      assert.equal((await learner.get(unitPage(t.fixture.communeA.id))).statusCode, 403);
    });
  });
}
