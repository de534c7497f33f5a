import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Debian's Chromium, headless, as a phone: 360×740, touch, Vietnamese. Flags keep it off the
 * network (this machine has none) and out of its first-run work.
 */
export async function openPhoneBrowser(options: { javaScript: boolean }): Promise<{
  context: BrowserContext;
  close(): Promise<void>;
}> {
  const profile = mkdtempSync(path.join(tmpdir(), 'hocvuso-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 360, height: 740 },
    hasTouch: true,
    isMobile: true,
    locale: 'vi-VN',
    javaScriptEnabled: options.javaScript,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Signs up a citizen of Thôn Phú Hòa through the sign-up page, as a person would, without JavaScript. */
export async function signUpCitizen(page: Page, base: string, person: { fullName: string; phone: string }) {
  await page.goto(`${base}/dang-ky`);
  await page.getByLabel('Bước 1. Tìm nơi bạn sống hoặc làm việc').fill('phu hoa');
  await page.getByRole('button', { name: 'Tìm' }).click();
  await page.getByLabel(/Thôn Phú Hòa/).check();
  await page.getByLabel('Họ và tên').fill(person.fullName);
  await page.getByLabel('Số điện thoại di động').fill(person.phone);
  await page.getByLabel('Người dân').check();
  await page.getByLabel('Mật khẩu').fill('mat-khau-rat-dai');
  await page.getByRole('button', { name: 'Đăng ký', exact: true }).click();
  await page.waitForURL(`${base}/`);
}

/** Ticks every right option of the open quiz, page by page, as a learner would, and submits it. */
export async function answerQuizRight(page: Page, key: Set<string>): Promise<void> {
  for (;;) {
    const inputs = page.locator('form.quiz input[type=radio], form.quiz input[type=checkbox]');
    for (const input of await inputs.all()) {
      if (key.has((await input.getAttribute('value')) ?? '')) await input.check();
    }
    const next = page.getByRole('button', { name: 'Lưu, sang trang sau →' });
    if ((await next.count()) === 0) break;
    await next.click();
  }
  await page.getByRole('button', { name: 'Nộp bài' }).click();
}
