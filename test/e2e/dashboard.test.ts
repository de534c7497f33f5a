import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { passQuiz } from '../support/answers.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openPhoneBrowser } from '../support/browser.js';
import { testDialects } from '../support/db.js';
import { buildAccount, importMiniCourse, TEST_PASSWORD } from '../support/factories.js';

const LEARNER = 'Đặng Thị Chăm Học';
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

async function downloaded(page: Page, click: () => Promise<void>): Promise<Buffer> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return readFileSync((await download.path()) ?? '');
}

for (const dialect of testDialects()) {
  describe(`an evaluator's monitoring in a real browser, without JavaScript [${dialect}]`, () => {
    let t: TestApp;
    let base: string;

    before(async () => {
      t = await startTestApp(dialect);
      const { tenant, villageA } = t.fixture;
      const course = await importMiniCourse(t.ctx, tenant);
      const lesson = course.lessons.find((l) => l.quizId);
      const quiz = await t.ctx.assessment.quiz(tenant.id, lesson?.quizId as string);
      assert.ok(quiz);
      const learner = await t.ctx.identity.actorOf(
        await buildAccount(t.ctx, tenant, villageA, { fullName: LEARNER, block: 'official' }),
      );
      await passQuiz(t.ctx, learner, quiz);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('drills from the province to a commune to a person, exports the list and downloads the PDF summary', async () => {
      const { tenant, province } = t.fixture;
      const evaluator = await buildAccount(t.ctx, tenant, province, {
        role: 'evaluator',
        scope: null,
        fullName: 'Sở Nội vụ',
      });
      const phone = await openPhoneBrowser({ javaScript: false });
      try {
        const page = await phone.context.newPage();
        await page.goto(`${base}/dang-nhap`);
        await page.getByLabel('Số điện thoại hoặc email').fill(evaluator.phone ?? '');
        await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.waitForURL(`${base}/`);
        await page.getByRole('link', { name: 'Báo cáo' }).first().click();
        await page.waitForURL(/\/tong-quan$/);
        assert.match(await mainText(page), /Tổng quan học tập: Tỉnh Quảng Nam/);
        assert.match(await mainText(page), /Đã bắt đầu học\s*1/);
        // Province → district → commune, by the child-unit table.
        await page.getByRole('link', { name: 'Đại Lộc', exact: true }).click();
        await page.getByRole('link', { name: 'Đại Hiệp', exact: true }).click();
        assert.match(await mainText(page), /Tổng quan học tập: Xã Đại Hiệp/);
        const chart = await page
          .locator('img[src*="theo-ngay.svg"]')
          .evaluate((img) => (img as HTMLImageElement).naturalWidth);
        assert.ok(chart > 0, 'the time-series chart loads as an image');
        // The number of people who started opens the list behind it; the name opens their record.
        await page
          .locator('dt', { hasText: 'Đã bắt đầu học' })
          .locator('xpath=following-sibling::dd[1]//a')
          .click();
        assert.match(await mainText(page), new RegExp(LEARNER));
        const sheet = await downloaded(page, () => page.getByRole('link', { name: 'Excel (.xlsx)' }).click());
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(sheet as unknown as ArrayBuffer);
        const names: string[] = [];
        book.worksheets[0]?.eachRow((row) => names.push(String(row.getCell(1).value ?? '')));
        assert.ok(names.includes(LEARNER), 'the exported list names the learner');
        await page.getByRole('link', { name: LEARNER }).click();
        assert.match(await mainText(page), new RegExp(`${LEARNER}`));
        assert.match(await mainText(page), /Đạt/);
        // Back to the commune's dashboard for the summary to send to the Party committee.
        await page.goBack();
        await page.getByRole('link', { name: /Tổng quan Xã Đại Hiệp/ }).click();
        const pdf = await downloaded(page, () =>
          page.getByRole('link', { name: /Báo cáo tóm tắt \(PDF\)/ }).click(),
        );
        assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      } finally {
        await phone.close();
      }
    });
  });
}
