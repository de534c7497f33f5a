import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { todayInVietnam } from '../../src/db/time.js';
import type { CourseOutline } from '../../src/modules/catalog/service.js';
import { addDays } from '../../src/modules/programs/days.js';
import { vietnamDay } from '../../src/web/format.js';
import { answerKey } from '../support/answers.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { answerQuizRight, openPhoneBrowser } from '../support/browser.js';
import { testDialects } from '../support/db.js';
import { buildAccount, importMiniCourse, TEST_PASSWORD } from '../support/factories.js';

const PROGRAM = 'Chương trình Bình dân học vụ số dành cho cán bộ';
const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

async function logIn(page: Page, base: string, phone: string) {
  await page.goto(`${base}/dang-nhap`);
  await page.getByLabel('Số điện thoại hoặc email').fill(phone);
  await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL(`${base}/`);
}

for (const dialect of testDialects()) {
  describe(`mandatory training in a real browser, without JavaScript [${dialect}]`, () => {
    let t: TestApp;
    let base: string;
    let course: CourseOutline;

    before(async () => {
      t = await startTestApp(dialect);
      course = await importMiniCourse(t.ctx, t.fixture.tenant);
      await t.ctx.programs.createProgram(t.fixture.tenant.id, {
        name: PROGRAM,
        targetBlock: 'official',
        validityMonths: 24,
        courses: [{ courseId: course.id, role: 'required' }],
      });
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('a unit manager assigns the program; a learner sees it, completes it and is qualified; the manager sees it done', async () => {
      const { tenant, communeA, villageA } = t.fixture;
      const manager = await buildAccount(t.ctx, tenant, communeA, { role: 'unitManager', block: 'official' });
      const learner = await buildAccount(t.ctx, tenant, villageA, {
        block: 'official',
        fullName: 'Phan Thị Cán Bộ',
      });
      // Two people, two phones: each browser keeps its own session.
      const bossPhone = await openPhoneBrowser({ javaScript: false });
      const learnerPhone = await openPhoneBrowser({ javaScript: false });
      try {
        const boss = await bossPhone.context.newPage();
        await logIn(boss, base, manager.phone ?? '');
        await boss.goto(`${base}/quan-tri/giao-hoc/moi`);
        await boss
          .getByLabel('Chương trình hoặc khóa học')
          .selectOption({ label: `Chương trình: ${PROGRAM}` });
        await boss.getByLabel('Đơn vị (gồm cả các đơn vị trực thuộc)').selectOption({ label: 'Xã Đại Hiệp' });
        await boss.getByLabel('Cán bộ, công chức, viên chức').check();
        await boss.getByLabel('Số ngày', { exact: true }).fill('30');
        await boss.getByRole('button', { name: 'Giao việc học' }).click();
        await boss.waitForURL(/\/quan-tri\/giao-hoc\/[^/]+$/);
        const rulePage = boss.url();
        assert.match(await mainText(boss), /Phan Thị Cán Bộ.*Chưa bắt đầu/s);

        const page = await learnerPhone.context.newPage();
        await logIn(page, base, learner.phone ?? '');
        const home = await mainText(page);
        const due = vietnamDay(addDays(todayInVietnam(), 30));
        assert.match(home, new RegExp(`Bạn có 1 việc học bắt buộc, hạn gần nhất ${due}`));
        await page.getByRole('link', { name: PROGRAM }).click();
        await page.getByRole('link', { name: course.title }).click();
        await page.getByRole('link', { name: 'Bắt đầu học' }).click();
        for (const [index, lesson] of course.lessons.entries()) {
          await page.waitForURL(`${base}/khoa-hoc/${course.slug}/${lesson.slug}`);
          await page.getByRole('button', { name: 'Tôi đã đọc xong bài này' }).click();
          if (lesson.quizId) {
            await page.waitForURL(/\/kiem-tra$/);
            await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();
            await answerQuizRight(page, await answerKey(t.db, lesson.quizId));
            assert.match(await mainText(page), /Đạt: 100%/);
          }
          const nextLesson = course.lessons[index + 1];
          if (nextLesson) await page.goto(`${base}/khoa-hoc/${course.slug}/${nextLesson.slug}`);
        }
        await page.goto(`${base}/`);
        assert.match(await mainText(page), /Bạn đã hoàn thành mọi việc học được giao/);
        await page.goto(`${base}/ho-so`);
        assert.match(
          await mainText(page),
          new RegExp(`${PROGRAM} \\(cấp ngày ${vietnamDay(todayInVietnam())}`),
        );
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.getByRole('link', { name: 'Tải giấy chứng nhận (PDF)' }).click(),
        ]);
        assert.equal(
          readFileSync((await download.path()) ?? '')
            .subarray(0, 5)
            .toString(),
          '%PDF-',
        );

        await boss.goto(rulePage);
        assert.match(await mainText(boss), /Phan Thị Cán Bộ.*Đã hoàn thành/s);
      } finally {
        await bossPhone.close();
        await learnerPhone.close();
      }
    });
  });
}
