import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { QuestionBankService } from '../../src/modules/assessment/bankService.js';
import type { StoredBody } from '../../src/modules/assessment/questionBody.js';
import { rightAnswer } from '../support/answers.js';
import { startTestApp, type TestApp } from '../support/app.js';
import { openPhoneBrowser, signUpCitizen } from '../support/browser.js';
import { testDialects } from '../support/db.js';
import { buildAccount, TEST_PASSWORD } from '../support/factories.js';

const mainText = async (page: Page) => (await page.locator('main').textContent()) ?? '';

for (const dialect of testDialects()) {
  describe(`a content manager builds and publishes a course, a learner completes it, in a real browser [${dialect}]`, () => {
    let t: TestApp;
    let base: string;
    before(async () => {
      t = await startTestApp(dialect);
      await new QuestionBankService(t.db).importQuestions(t.fixture.tenant.id, 'Ngân hàng Zalo', [
        {
          imageFile: null,
          draft: {
            key: 'ma-otp',
            prompt: 'Có nên đọc mã OTP cho người gọi tự xưng là nhân viên Zalo không?',
            situation: null,
            explanation: 'Không ai được hỏi mã OTP của bạn, kể cả nhân viên.',
            difficulty: 'easy',
            tags: ['otp'],
            frameworks: [],
            body: { kind: 'trueFalse', answer: false },
          },
        },
        {
          imageFile: null,
          draft: {
            key: 'thu-tu',
            prompt: 'Sắp xếp các bước kiểm tra một tin nhắn lạ.',
            situation: null,
            explanation: 'Dừng lại trước, rồi kiểm tra qua kênh chính thức, cuối cùng mới báo.',
            difficulty: 'medium',
            tags: ['otp'],
            frameworks: [],
            body: {
              kind: 'ordering',
              items: ['Không bấm đường liên kết', 'Gọi số chính thức để hỏi', 'Báo cho công an xã'],
            },
          },
        },
      ]);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
    });
    after(() => t.close());

    it('creates a course with one lesson and a quiz, publishes it, and a learner completes it without JavaScript', async () => {
      const manager = await buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, {
        role: 'contentManager',
        scope: null,
        block: 'official',
      });
      const authorBrowser = await openPhoneBrowser({ javaScript: true });
      try {
        const page = await authorBrowser.context.newPage();
        await page.goto(`${base}/dang-nhap`);
        await page.getByLabel('Số điện thoại hoặc email').fill(manager.phone ?? '');
        await page.getByLabel('Mật khẩu').fill(TEST_PASSWORD);
        await page.getByRole('button', { name: 'Đăng nhập' }).click();
        await page.getByRole('navigation').getByRole('link', { name: 'Soạn bài' }).click();

        await page.getByLabel('Địa chỉ của khóa học').fill('zalo-an-toan');
        await page.getByLabel('Tên khóa học').fill('Dùng Zalo an toàn');
        await page
          .getByLabel('Giới thiệu ngắn (hiện trong danh mục)')
          .fill('Giữ tài khoản Zalo an toàn trước kẻ gian.');
        await page.getByLabel('Chủ đề').selectOption('an-toan-so');
        await page.getByLabel('Người dân').check();
        await page.getByRole('button', { name: 'Tạo bản nháp' }).click();
        await page.waitForURL(/\/soan-bai\/khoa-hoc\/[0-9a-f-]+$/);

        await page.getByLabel('Tên bài').first().fill('Mã OTP và Zalo');
        await page.getByLabel('Địa chỉ').first().fill('ma-otp');
        await page.getByRole('button', { name: 'Thêm bài' }).first().click();
        await page.waitForURL(/\/bai\/[0-9a-f-]+$/);
        const markdown = page.getByLabel('Nội dung (Markdown)');
        await markdown.fill('## Mã OTP\n\nMã OTP là **chìa khóa** tài khoản Zalo của bạn.');
        // The live preview (JavaScript) shows the text before it is saved.
        await page.locator('#xem-truoc strong').getByText('chìa khóa').waitFor();
        await page.getByRole('button', { name: 'Lưu bài', exact: true }).click();
        await page.getByText('Đã lưu.').waitFor();

        await page.getByLabel('Ngân hàng câu hỏi').selectOption({ label: 'Ngân hàng Zalo (2 câu)' });
        await page.getByRole('button', { name: 'Xem câu hỏi' }).click();
        for (const box of await page.locator('input[name="questionIds"]').all()) await box.check();
        await page.getByLabel('Điểm đạt (%)').fill('100');
        await page.getByRole('button', { name: 'Lưu bài kiểm tra' }).click();
        await page.getByText('Đã lưu.').waitFor();

        await page.getByRole('link', { name: 'Dùng Zalo an toàn' }).click();
        await page.getByRole('link', { name: 'Xem thay đổi và xuất bản' }).click();
        assert.match(await mainText(page), /Xuất bản lần đầu/);
        await page.getByRole('button', { name: 'Xuất bản' }).click();
        assert.match(await mainText(page), /Đã xuất bản phiên bản số 1/);
      } finally {
        await authorBrowser.close();
      }

      const learnerBrowser = await openPhoneBrowser({ javaScript: false });
      try {
        const page = await learnerBrowser.context.newPage();
        await signUpCitizen(page, base, { fullName: 'Nguyễn Thị Hoa', phone: '0912 345 222' });
        await page.goto(`${base}/khoa-hoc`);
        await page.getByRole('link', { name: 'Dùng Zalo an toàn' }).first().click();
        await page.getByRole('link', { name: 'Bắt đầu học' }).click();
        assert.match(await mainText(page), /chìa khóa/);
        await page.getByRole('button', { name: 'Tôi đã đọc xong bài này' }).click();
        await page.getByRole('button', { name: 'Bắt đầu làm bài' }).click();

        const ids = await page
          .locator('input[name="p"]')
          .evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).value));
        const rows = await t.db.kysely
          .selectFrom('quizQuestions')
          .select(['id', 'body'])
          .where('id', 'in', ids)
          .execute();
        for (const row of rows) {
          const body = JSON.parse(row.body) as StoredBody;
          const right = rightAnswer(body);
          if (body.kind === 'trueFalse')
            await page.locator(`input[name="q.${row.id}"][value="${right[0]}"]`).check();
          if (body.kind === 'ordering') {
            for (const [index, itemId] of right.entries()) {
              await page.locator(`select[name="q.${row.id}.${itemId}"]`).selectOption(String(index + 1));
            }
          }
        }
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(
          width <= 360,
          `no sideways scrolling on the quiz page at 360 px (page is ${width} px wide)`,
        );
        await page.getByRole('button', { name: 'Nộp bài' }).click();
        assert.match(await mainText(page), /Đạt: 100%/);
        await page.getByRole('link', { name: 'Về trang khóa học' }).click();
        assert.match(await mainText(page), /Bạn đã hoàn thành khóa học/);
      } finally {
        await learnerBrowser.close();
      }
    });
  });
}
