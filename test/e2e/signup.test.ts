import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startTestApp, type TestApp } from '../support/app.js';
import { openPhoneBrowser, signUpCitizen } from '../support/browser.js';
import { testDialects } from '../support/db.js';

for (const dialect of testDialects()) {
  describe(`sign-up in a real browser, without JavaScript, at 360×740 [${dialect}]`, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await startTestApp(dialect);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('finds the village without diacritics, signs up, and sees the profile', async () => {
      const browser = await openPhoneBrowser({ javaScript: false });
      try {
        const page = await browser.context.newPage();
        await signUpCitizen(page, base, { fullName: 'Võ Thị Lan', phone: '0912 888 777' });
        assert.match((await page.locator('main').textContent()) ?? '', /Xin chào, Võ Thị Lan/);
        await page.getByRole('link', { name: 'Hồ sơ', exact: true }).click();
        const profile = (await page.locator('main').textContent()) ?? '';
        assert.match(profile, /0912 888 777/);
        assert.match(profile, /Thôn Phú Hòa, Xã Đại Hiệp, Huyện Đại Lộc, Tỉnh Quảng Nam/);
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(overflow <= 360, `no sideways scrolling at 360 px (page is ${overflow} px wide)`);

        await page.getByRole('button', { name: 'Đăng xuất' }).click();
        await page.waitForURL(`${base}/`);
        assert.ok(await page.getByRole('navigation').getByRole('link', { name: 'Đăng nhập' }).isVisible());
      } finally {
        await browser.close();
      }
    });
  });
}
