import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../support/app.js';
import { openPhoneBrowser } from '../support/browser.js';
import { testDialects } from '../support/db.js';
import { buildAccount, TEST_PASSWORD } from '../support/factories.js';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';
const HEADER = 'Họ và tên,Số điện thoại,Email,Số CCCD,Khối,Chức vụ,Mã đơn vị';
const roster = (unitOfSecond: string) => ({
  name: 'nhan-su.csv',
  mimeType: 'text/csv',
  buffer: Buffer.from(
    `${HEADER}\nHoàng Văn Tư,0913 200 001,,049085000777,,Chủ tịch UBND xã,20524\nNgô Thị Năm,0913200002,,,,Văn thư,${unitOfSecond}\n`,
  ),
});

for (const dialect of testDialects()) {
  describe(`a tenant admin imports a roster in a real browser [${dialect}]`, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await startTestApp(dialect);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('sees one error, fixes the file, previews and imports; the people are in their units', async () => {
      const admin = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        role: 'tenantAdmin',
        scope: null,
        block: 'official',
      });
      const browser = await openPhoneBrowser({ javaScript: false });
      try {
        const page = await browser.context.newPage();
        await page.goto(`${base}/dang-nhap`);
        await page.getByLabel('Số điện thoại hoặc email').fill(admin.phone ?? '');
        await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.waitForURL(`${base}/`);

        await page.goto(`${base}/quan-tri/danh-sach`);
        await page.getByLabel('Tệp danh sách').setInputFiles(roster('00000'));
        await page.getByRole('button', { name: 'Xem trước' }).click();
        const refused = await mainText(page);
        assert.match(refused, /có 1 dòng bị lỗi/);
        assert.match(refused, /Dòng 3: Không có đơn vị nào mang mã "00000"/);
        await page.getByRole('link', { name: /Tải các dòng bị lỗi/ }).waitFor();

        await page.getByRole('link', { name: 'tải lên lại' }).click();
        await page.getByLabel('Tệp danh sách').setInputFiles(roster('20527'));
        await page.getByRole('button', { name: 'Xem trước' }).click();
        const preview = await mainText(page);
        assert.match(preview, /2 người mới, 0 người cập nhật, 0 người không đổi/);
        assert.match(preview, /\*{8}0777/);
        assert.doesNotMatch(preview, /049085000777/);
        await page.getByRole('button', { name: 'Nhập 2 người' }).click();
        assert.match(await mainText(page), /Đã nhập danh sách: 2 người mới/);
      } finally {
        await browser.close();
      }
      const people = await t.db.kysely
        .selectFrom('accounts')
        .select(['fullName', 'homeUnitId', 'position'])
        .where('fullName', 'in', ['Hoàng Văn Tư', 'Ngô Thị Năm'])
        .orderBy('fullName')
        .execute();
      assert.deepEqual(people, [
        { fullName: 'Hoàng Văn Tư', homeUnitId: t.fixture.communeA.id, position: 'Chủ tịch UBND xã' },
        { fullName: 'Ngô Thị Năm', homeUnitId: t.fixture.communeB.id, position: 'Văn thư' },
      ]);
    });
  });
}
