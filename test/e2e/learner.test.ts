import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { COURSES_FOLDER } from '../../src/demo/seedDemo.js';
import { importCourse } from '../../src/modules/catalog/importCourse.js';
import { readPackages } from '../../src/modules/catalog/packageArchive.js';
import { answerKey } from '../support/answers.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { answerQuizRight, openPhoneBrowser, signUpCitizen } from '../support/browser.js';
import { testDialects } from '../support/db.js';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

for (const dialect of testDialects()) {
  describe(`the learner journey in a real browser, without JavaScript, at 360×740 [${dialect}]`, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await startTestApp(dialect);
      for (const course of readPackages(COURSES_FOLDER).courses)
        await importCourse(t.ctx, t.fixture.tenant.id, course);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('signs up, finds "lua dao", learns, fails then passes, completes, downloads and verifies the certificate', async () => {
      const browser = await openPhoneBrowser({ javaScript: false });
      try {
        const page = await browser.context.newPage();
        await signUpCitizen(page, base, { fullName: 'Trần Thị Lệ Thủy', phone: '0912 345 111' });

        await page.getByRole('navigation').getByRole('link', { name: 'Khóa học' }).click();
        await page.getByLabel('Tìm khóa học').fill('lua dao');
        await page.getByRole('button', { name: 'Tìm' }).click();
        await page.getByRole('link', { name: 'Nhận diện và phòng tránh lừa đảo trực tuyến' }).first().click();
        assert.match(await mainText(page), /Dành cho: .*Người dân/);
        await page.getByRole('link', { name: 'Bắt đầu học' }).click();

        const course = await t.ctx.catalog.courseBySlug(t.fixture.tenant.id, 'phong-tranh-lua-dao');
        assert.ok(course);
        for (const [index, lesson] of course.lessons.entries()) {
          await page.waitForURL(`${base}/khoa-hoc/${course.slug}/${lesson.slug}`);
          assert.equal(await page.locator('h1').textContent(), lesson.title);
          const missingAlt = await page.locator('article img:not([alt]), article img[alt=""]').count();
          assert.equal(missingAlt, 0);
          await page.getByRole('button', { name: 'Tôi đã đọc xong bài này' }).click();
          await page.waitForURL(/\/kiem-tra$/);

          if (index === 0) {
            // Submit with nothing chosen: a fail, with the explanations shown.
            await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
            await page.getByRole('button', { name: 'Nộp bài' }).click();
            assert.match(await mainText(page), /Chưa đạt: 0%/);
            assert.match(await mainText(page), /Giải thích:/);
            await page.getByRole('link', { name: 'Xem lại và làm lại' }).click();
          }
          await page.getByRole('button', { name: /Bắt đầu làm bài|Làm lại bài kiểm tra/ }).click();
          await answerQuizRight(page, await answerKey(t.db, lesson.quizId ?? ''));
          assert.match(await mainText(page), /Đạt: 100%/);
          const nextLesson = course.lessons[index + 1];
          if (nextLesson) await page.goto(`${base}/khoa-hoc/${course.slug}/${nextLesson.slug}`);
        }

        await page.getByRole('link', { name: 'Về trang khóa học' }).click();
        assert.match(await mainText(page), /Bạn đã hoàn thành khóa học/);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Tải giấy chứng nhận (PDF)' }).click(),
        ]);
        const pdf = readFileSync((await download.path()) ?? '');
        assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
        assert.match(download.suggestedFilename(), /^chung-nhan-.+\.pdf$/);

        await page.getByRole('navigation').getByRole('link', { name: 'Việc học của tôi' }).click();
        assert.match(await mainText(page), /Đã hoàn thành\s*Nhận diện và phòng tránh lừa đảo trực tuyến/);
        await page.getByRole('link', { name: 'Trang kiểm tra' }).click();
        const verify = await mainText(page);
        assert.match(verify, /Giấy chứng nhận hợp lệ/);
        assert.match(verify, /Trần Thị Lệ Thủy/);
        assert.doesNotMatch(verify, /0912/);
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 360, `no sideways scrolling at 360 px (page is ${width} px wide)`);
      } finally {
        await browser.close();
      }
    });
  });
}
