import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, importMiniCourse } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const LIST = '/quan-tri/suat-hoc';

for (const dialect of testDialects()) {
  describe(`seat-limited offering pages [${dialect}]`, () => {
    let t: TestApp;
    let admin: Browser;
    let manager: Browser;
    let offeringPage: string;

    /** The quota row of a unit as the page shows it: unit, seats, nominated, free. */
    const quotaRow = (body: string, unit: string) =>
      new RegExp(`<td>${unit}</td><td>(\\d+)</td><td>(\\d+)</td><td>(\\d+)</td>`)
        .exec(body)
        ?.slice(1)
        .map(Number);

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, province, communeA } = t.fixture;
      admin = await signedIn(
        t.app,
        await buildAccount(t.ctx, tenant, province, { role: 'tenantAdmin', scope: null }),
      );
      manager = await signedIn(t.app, await buildAccount(t.ctx, tenant, communeA, { role: 'unitManager' }));
      await importMiniCourse(t.ctx, tenant);
    });
    after(() => t.close());

    it('lets a tenant admin create an offering and share its seats out by unit code', async () => {
      const empty = await admin.get(LIST);
      assert.match(empty.body, /Chưa có đợt phân suất học nào\./);
      const form = await admin.get(`${LIST}/moi`);
      const courseId = /<option value="([^"]+)"/.exec(form.body)?.[1];
      assert.ok(courseId);

      const refused = await admin.submit(`${LIST}/moi`, `${LIST}/moi`, {
        name: '',
        courseId,
        seatsTotal: 'năm',
      });
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Số suất phải là một số nguyên\./);

      const created = await admin.submit(`${LIST}/moi`, `${LIST}/moi`, {
        name: 'Học bổng Luyện AI',
        courseId,
        seatsTotal: '500',
        closesOn: '',
      });
      assert.equal(created.statusCode, 303);
      offeringPage = String(created.headers.location);

      const tooMany = await admin.submit(offeringPage, `${offeringPage}/chi-tieu`, {
        unitCode: '20524',
        newSeats: '501',
      });
      assert.equal(tooMany.statusCode, 400);
      assert.match(tooMany.body, /Tổng chỉ tiêu các đơn vị \(501\) vượt quá số suất của đợt \(500\)\./);

      const saved = await admin.submit(offeringPage, `${offeringPage}/chi-tieu`, {
        unitCode: '20524',
        newSeats: '2',
      });
      assert.equal(saved.statusCode, 303);
      assert.deepEqual(quotaRow((await admin.get(offeringPage)).body, 'Xã Đại Hiệp'), [2, 0, 2]);
    });

    it('lets a unit manager nominate up to the quota, see the count, and withdraw after confirming', async () => {
      const { tenant, villageA } = t.fixture;
      const [first, second, third] = [
        await buildAccount(t.ctx, tenant, villageA, { fullName: 'Trần Văn Một' }),
        await buildAccount(t.ctx, tenant, villageA, { fullName: 'Lê Thị Hai' }),
        await buildAccount(t.ctx, tenant, villageA, { fullName: 'Phạm Văn Ba' }),
      ];
      const page = await manager.get(offeringPage);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Chưa có ai được đề cử trong phạm vi bạn quản lý\./);
      assert.doesNotMatch(page.body, /Phân bổ chỉ tiêu/, 'only tenant admins share seats out');

      for (const person of [first, second]) {
        const done = await manager.submit(offeringPage, `${offeringPage}/de-cu`, {
          identifier: person.phone ?? '',
        });
        assert.equal(done.statusCode, 303);
      }
      const full = await manager.submit(offeringPage, `${offeringPage}/de-cu`, {
        identifier: third.phone ?? '',
      });
      assert.equal(full.statusCode, 409);
      assert.match(full.body, /Đơn vị đã dùng hết suất: Xã Đại Hiệp đã đề cử đủ 2 người/);

      const listed = await manager.get(offeringPage);
      assert.deepEqual(quotaRow(listed.body, 'Xã Đại Hiệp'), [2, 2, 0]);
      assert.match(listed.body, /Trần Văn Một/);
      const withdrawLink = /href="([^"]+\/rut\/[^"]+)"/.exec(listed.body)?.[1];
      assert.ok(withdrawLink);

      const confirm = await manager.get(withdrawLink);
      assert.match(confirm.body, /Rút đề cử <strong>Trần Văn Một<\/strong>/);
      const withdrawn = await manager.submit(withdrawLink, withdrawLink, {});
      assert.equal(withdrawn.statusCode, 303);
      assert.match(
        (await manager.get(String(withdrawn.headers.location))).body,
        /suất được trả lại cho đơn vị/,
      );

      const freed = await manager.submit(offeringPage, `${offeringPage}/de-cu`, {
        identifier: third.phone ?? '',
      });
      assert.equal(freed.statusCode, 303);
      const after = await manager.get(offeringPage);
      assert.deepEqual(quotaRow(after.body, 'Xã Đại Hiệp'), [2, 2, 0]);
      assert.match(after.body, /Phạm Văn Ba/);
      assert.doesNotMatch(after.body, /Trần Văn Một/);
    });

    it('refuses a person outside the manager’s units and an unknown phone number, in place', async () => {
      const { tenant, villageB } = t.fixture;
      const outsider = await buildAccount(t.ctx, tenant, villageB);
      const other = await manager.submit(offeringPage, `${offeringPage}/de-cu`, {
        identifier: outsider.phone ?? '',
      });
      assert.equal(other.statusCode, 400);
      assert.match(other.body, /không thuộc đơn vị nào được phân suất trong đợt này/);
      const unknown = await manager.submit(offeringPage, `${offeringPage}/de-cu`, {
        identifier: '0900000000',
      });
      assert.equal(unknown.statusCode, 400);
      assert.match(unknown.body, /Không tìm thấy ai có số điện thoại hoặc email này\./);
    });
  });
}
