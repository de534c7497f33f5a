import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { todayInVietnam } from '../src/db/time.js';
import type { Unit } from '../src/modules/org/service.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const mergePage = (id: string) => `/quan-tri/don-vi/${id}/sap-nhap`;

for (const dialect of testDialects()) {
  describe(`merging units on the admin pages [${dialect}]`, () => {
    let t: TestApp;
    let manager: Browser;
    let villages: Unit[];

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, communeA, villageA } = t.fixture;
      villages = [
        villageA,
        ...(await t.ctx.org.addUnits(tenant.id, [
          { parentId: communeA.id, kind: 'village', typeLabel: 'Thôn', name: 'Phú An' },
          { parentId: communeA.id, kind: 'village', typeLabel: 'Thôn', name: 'Phú Xuân' },
        ])),
      ];
      for (const village of villages) await buildAccount(t.ctx, tenant, village);
      manager = await signedIn(t.app, await buildAccount(t.ctx, tenant, communeA, { role: 'unitManager' }));
    });
    after(() => t.close());

    const fields = (extra: Record<string, string>): [string, string][] => [
      ['unitIds', villages[1]?.id ?? ''],
      ['unitIds', villages[2]?.id ?? ''],
      ['receiver', 'new'],
      ['typeLabel', 'Thôn'],
      ['name', 'Phú Hòa An'],
      ['code', ''],
      ['kind', 'village'],
      ['effectiveOn', todayInVietnam()],
      ...Object.entries(extra),
    ];

    it('shows what would change, and changes nothing until confirmed', async () => {
      const page = mergePage(villages[0]?.id ?? '');
      const preview = await manager.submit(page, page, fields({ _action: 'xem' }));
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /Thôn Phú Hòa An \(đơn vị mới\) ← Thôn Phú Hòa, Thôn Phú An, Thôn Phú Xuân/);
      assert.match(preview.body, /Chuyển theo: 0 đơn vị cấp dưới, 3 người, 0 vai trò\./);
      const current = await t.ctx.org.children(t.fixture.tenant.id, t.fixture.communeA.id);
      assert.equal(current.length, 3);
    });

    it('refuses a merge with no other unit chosen, saying why', async () => {
      const page = mergePage(villages[0]?.id ?? '');
      const alone = await manager.submit(page, page, [
        ['receiver', 'keep'],
        ['effectiveOn', todayInVietnam()],
        ['_action', 'xac-nhan'],
      ]);
      assert.equal(alone.statusCode, 400);
      assert.match(alone.body, /Hãy chọn ít nhất hai đơn vị để sáp nhập\./);
      assert.equal((await t.ctx.org.children(t.fixture.tenant.id, t.fixture.communeA.id)).length, 3);
    });

    it('merges three villages into a new one: people move, the old villages close, and it is audited', async () => {
      const page = mergePage(villages[0]?.id ?? '');
      const done = await manager.submit(page, page, fields({ _action: 'xac-nhan' }));
      assert.equal(done.statusCode, 303);
      const now = await t.ctx.org.children(t.fixture.tenant.id, t.fixture.communeA.id);
      assert.deepEqual(
        now.map((u) => u.fullName),
        ['Thôn Phú Hòa An'],
      );
      assert.equal(done.headers.location, `/quan-tri/don-vi/${now[0]?.id}?xong=1`);
      const counts = await t.ctx.identity.memberCountsByUnit(t.fixture.tenant.id, [now[0]?.id ?? '']);
      assert.equal(counts.get(now[0]?.id ?? ''), 3);
      const audit = await t.ctx.audit.list(t.fixture.tenant.id, { action: 'units.merged' });
      assert.equal(audit.events[0]?.subjectLabel, 'Thôn Phú Hòa An');
    });

    it('does not let a commune manager merge communes (their parent is the district)', async () => {
      const page = await manager.get(mergePage(t.fixture.communeA.id));
      assert.equal(page.statusCode, 403);
    });
  });
}
