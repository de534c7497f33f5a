import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { keyOf, QuestionBankService } from '../src/modules/assessment/bankService.js';
import { parseAiken } from '../src/modules/assessment/formats/aiken.js';
import { parseGift } from '../src/modules/assessment/formats/gift.js';
import { questionsXlsx } from '../src/modules/assessment/formats/xlsx.js';
import type { ImportResult, QuestionDraft } from '../src/modules/assessment/questionDraft.js';
import { startTestApp, type TestApp } from './support/app.js';
import { testDialects } from './support/db.js';
import { buildAccount, buildTenant, TEST_PASSWORD } from './support/factories.js';
import { type Browser, signedIn } from './support/http.js';

const BANKS = '/soan-bai/ngan-hang';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/questions/${name}`, import.meta.url));
const GIFT = fixture('all-kinds.gift');
const AIKEN = fixture('single.aiken.txt');
const BAD_GIFT = fixture('bad-mixed.gift');

const questionsOf = (result: ImportResult): QuestionDraft[] => {
  assert.ok(result.ok);
  return result.questions;
};

const decode = (text: string) =>
  text
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The value of a hidden input of a rendered form. */
const hidden = (page: LightMyRequestResponse, name: string) =>
  decode(new RegExp(`name="${name}" value="([^"]*)"`).exec(page.body)?.[1] ?? '');

const choice = (index: number): QuestionDraft => ({
  key: `X-${index}`,
  prompt: `Câu hỏi số ${index}: mật khẩu nào mạnh hơn?`,
  situation: null,
  explanation: 'Mật khẩu dài, có chữ, số và ký hiệu thì khó đoán.',
  difficulty: 'easy',
  tags: ['mật khẩu'],
  frameworks: [],
  body: {
    kind: 'single',
    options: [
      { text: 'Tôi#Yêu#Quê#2024!', correct: true },
      { text: '123456', correct: false },
    ],
  },
});

for (const dialect of testDialects()) {
  describe(`question banks in the browser [${dialect}]`, () => {
    let t: TestApp;
    let manager: Browser;
    let bankId = '';

    const person = (role?: 'contentManager' | 'evaluator') =>
      buildAccount(t.ctx, t.fixture.tenant, t.fixture.villageA, { role, scope: null, block: 'official' });
    const storedCount = async () =>
      Number(
        (
          await t.db.kysely
            .selectFrom('bankQuestions')
            .select((eb) => eb.fn.countAll<number>().as('n'))
            .where('tenantId', '=', t.fixture.tenant.id)
            .executeTakeFirstOrThrow()
        ).n,
      );
    const upload = (filename: string, bytes: Buffer, fields: Record<string, string> = {}) =>
      manager.upload(
        BANKS,
        `${BANKS}/nhap`,
        { bank: '', newBank: 'An toàn trên mạng', format: '', ...fields },
        { field: 'file', filename, bytes },
      );
    const confirm = (preview: LightMyRequestResponse) =>
      manager.post(`${BANKS}/nhap/xac-nhan`, {
        _csrf: hidden(preview, '_csrf'),
        id: hidden(preview, 'id'),
        filename: hidden(preview, 'filename'),
        bank: hidden(preview, 'bank'),
        format: hidden(preview, 'format'),
      });
    const problemLines = (page: LightMyRequestResponse) =>
      [...page.body.matchAll(/Dòng (\d+):/g)].map((m) => Number(m[1]));

    before(async () => {
      t = await startTestApp(dialect);
      manager = await signedIn(t.app, await person('contentManager'));
    });
    after(() => t.close());

    it('starts empty, and offers the xlsx template', async () => {
      const page = await manager.get(BANKS);
      assert.equal(page.statusCode, 200);
      assert.match(page.body, /Chưa có ngân hàng câu hỏi nào/);
      const template = await manager.get(`${BANKS}/mau-cau-hoi.xlsx`);
      assert.equal(template.statusCode, 200);
      assert.equal(
        template.headers['content-type'],
        'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      );
      assert.match(
        String(template.headers['content-disposition']),
        /^attachment; filename="mau-cau-hoi\.xlsx"/,
      );
      assert.equal(template.rawPayload.subarray(0, 4).toString('latin1'), 'PK\x03\x04');
    });

    it('imports GIFT and Aiken files after a preview, and a second import changes nothing', async () => {
      const preview = await upload('all-kinds.gift', GIFT);
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /11 câu mới, 0 câu cập nhật, 0 câu không đổi/);
      assert.match(preview.body, /ngân hàng mới, sẽ được tạo/);
      assert.match(preview.body, /Ghép nối<\/td><td>1</);
      assert.match(preview.body, /Trả lời bằng số<\/td><td>4</);
      assert.equal(await storedCount(), 0, 'a preview stores nothing');

      const done = await confirm(preview);
      assert.equal(done.statusCode, 303);
      const location = String(done.headers.location);
      bankId = /\/soan-bai\/ngan-hang\/([^/?]+)\?/.exec(location)?.[1] ?? '';
      const bankPage = await manager.get(location);
      assert.match(bankPage.body, /Đã nhập: 11 câu mới, 0 câu cập nhật, 0 câu không đổi\./);

      const aikenPreview = await upload('single.aiken.txt', AIKEN, {
        bank: 'An toàn trên mạng',
        newBank: '',
      });
      assert.equal(aikenPreview.statusCode, 200);
      assert.match(aikenPreview.body, /Aiken/);
      assert.match(aikenPreview.body, /3 câu mới, 0 câu cập nhật, 0 câu không đổi/);
      assert.equal((await confirm(aikenPreview)).statusCode, 303);

      const expected = [
        ...questionsOf(parseGift(GIFT.toString())),
        ...questionsOf(parseAiken(AIKEN.toString())),
      ];
      const stored = await new QuestionBankService(t.db).pool(t.fixture.tenant.id, bankId, null, null);
      assert.equal(stored.length, 14);
      const kinds = new Map(stored.map((q) => [q.key, q.draft.body.kind]));
      for (const draft of expected)
        assert.equal(kinds.get(keyOf(draft, null)), draft.body.kind, draft.prompt);

      const again = await upload('all-kinds.gift', GIFT, { bank: 'An toàn trên mạng', newBank: '' });
      assert.match(again.body, /0 câu mới, 0 câu cập nhật, 11 câu không đổi/);
      const repeated = await confirm(again);
      assert.match(
        (await manager.get(String(repeated.headers.location))).body,
        /Đã nhập: 0 câu mới, 0 câu cập nhật, 11 câu không đổi\./,
      );
      assert.equal(await storedCount(), 14, 'no duplicates');

      const list = await manager.get(BANKS);
      assert.match(list.body, /An toàn trên mạng<\/a><\/td><td>14</);
    });

    it('refuses a malformed GIFT file, listing each faulty line, and stores nothing', async () => {
      const before = await storedCount();
      const refused = await upload('bad-mixed.gift', BAD_GIFT);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /không câu hỏi nào được nhập/);
      assert.deepEqual(problemLines(refused), [6, 15]);
      assert.match(refused.body, /Dòng 6: Thiếu dấu &quot;}&quot; đóng câu hỏi bắt đầu ở dòng 6\./);
      assert.match(refused.body, /Dòng 15: Câu trả lời ngắn \(short answer\) chưa được hỗ trợ\./);
      assert.doesNotMatch(refused.body, /name="id"/, 'nothing kept to confirm');
      assert.equal(await storedCount(), before);
    });

    it('keys a GIFT file that repeats a title by content, and refuses text that is not UTF-8', async () => {
      const repeated = Buffer.from(
        '::Câu 1::Có nên bật xác thực hai lớp?{T}\n\n::Câu 1::Có nên dùng chung một mật khẩu?{F}\n',
      );
      const preview = await upload('trung-ten.gift', repeated, { newBank: 'Trùng tên' });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /2 câu mới, 0 câu cập nhật, 0 câu không đổi/);
      const done = await confirm(preview);
      const id = /ngan-hang\/([^/?]+)\?/.exec(String(done.headers.location))?.[1] ?? '';
      const stored = await new QuestionBankService(t.db).pool(t.fixture.tenant.id, id, null, null);
      assert.deepEqual(
        stored.map((q) => /^h-[0-9a-f]{20}$/.test(q.key)),
        [true, true],
      );

      const before = await storedCount();
      // "Câu hỏi" as a Windows-1258 editor might save it: 0xE2 is "â" there, and not UTF-8.
      const legacy = Buffer.concat([
        Buffer.from('C'),
        Buffer.from([0xe2]),
        Buffer.from('u h?\nA. Có\nB. Không\nANSWER: A\n'),
      ]);
      const refused = await upload('cu.txt', legacy);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /không phải văn bản UTF-8/);
      assert.equal(await storedCount(), before);
    });

    it('refuses an xlsx of 500 questions with 2 bad rows, naming exactly those rows', async () => {
      const before = await storedCount();
      const questions = Array.from({ length: 500 }, (_, i) => choice(i));
      questions[136] = { ...choice(136), prompt: '' };
      questions[411] = {
        ...choice(411),
        body: {
          kind: 'single',
          options: [
            { text: 'Một', correct: false },
            { text: 'Hai', correct: false },
          ],
        },
      };
      const refused = await upload('ngan-hang.xlsx', await questionsXlsx(questions), { newBank: 'Mật khẩu' });
      assert.equal(refused.statusCode, 400);
      // Row 1 is the header: question i is on row i + 2.
      assert.deepEqual([...new Set(problemLines(refused))], [138, 413]);
      assert.equal(await storedCount(), before);
      assert.ok(
        !(await new QuestionBankService(t.db).banks(t.fixture.tenant.id)).some((b) => b.name === 'Mật khẩu'),
      );

      questions[136] = choice(136);
      questions[411] = choice(411);
      const preview = await upload('ngan-hang.xlsx', await questionsXlsx(questions), { newBank: 'Mật khẩu' });
      assert.equal(preview.statusCode, 200);
      assert.match(preview.body, /500 câu mới/);
      assert.match(preview.body, /20 câu hỏi đầu tiên/);
      assert.equal((await confirm(preview)).statusCode, 303);
      assert.equal(await storedCount(), before + 500);
    });

    it('refuses forged or spent upload ids and imports nothing', async () => {
      const before = await storedCount();
      const preview = await upload('all-kinds.gift', GIFT, { newBank: 'Giả mạo' });
      const token = hidden(preview, '_csrf');
      const forge = (id: string, format = 'gift') =>
        manager.post(`${BANKS}/nhap/xac-nhan`, {
          _csrf: token,
          id,
          filename: 'x.gift',
          bank: 'Giả mạo',
          format,
        });
      assert.equal((await forge('../../etc/passwd')).statusCode, 400);
      assert.equal((await forge(`${hidden(preview, 'id')}/../x`)).statusCode, 400);
      assert.equal((await forge('0123456789abcdef0123456789abcdef')).statusCode, 404);
      assert.equal((await forge(hidden(preview, 'id'), '../xlsx')).statusCode, 400);
      assert.equal(await storedCount(), before);
      assert.equal((await confirm(preview)).statusCode, 303);
      assert.equal((await confirm(preview)).statusCode, 404, 'a confirmation sent twice imports once');
      assert.equal(await storedCount(), before + 11);
    });

    it("hides this tenant's banks from another tenant's content manager (404)", async () => {
      const other = await buildTenant(t.ctx, 'tinh-khac');
      const account = await buildAccount(t.ctx, other.tenant, other.villageA, {
        role: 'contentManager',
        scope: null,
      });
      const host = 'tinh-khac.hocvuso.test';
      const login = await t.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers: { host },
        payload: { identifier: account.phone, password: TEST_PASSWORD },
      });
      assert.equal(login.statusCode, 200);
      const cookie = (login.cookies as { name: string; value: string }[])
        .map((c) => `${c.name}=${c.value}`)
        .join('; ');
      const [question] = await new QuestionBankService(t.db).pool(t.fixture.tenant.id, bankId, null, null);
      assert.ok(question);
      const own = await t.app.inject({ method: 'GET', url: BANKS, headers: { host, cookie } });
      assert.equal(own.statusCode, 200);
      assert.match(own.body, /Chưa có ngân hàng câu hỏi nào/);
      for (const url of [
        `${BANKS}/${bankId}`,
        `${BANKS}/${bankId}/tai-ve.xlsx`,
        `${BANKS}/${bankId}/cau-hoi/moi`,
        `${BANKS}/${bankId}/cau-hoi/${question.id}`,
      ]) {
        const response = await t.app.inject({ method: 'GET', url, headers: { host, cookie } });
        assert.equal(response.statusCode, 404, url);
      }
    });

    it('saves a question from the form as versions, with its history', async () => {
      const base = `${BANKS}/${bankId}`;
      const fields = {
        kind: 'single',
        situation: 'Có người gọi điện xưng là nhân viên ngân hàng.',
        prompt: 'Họ hỏi mã OTP, bạn làm gì?',
        option1: 'Đọc mã cho họ',
        option2: 'Cúp máy, gọi tổng đài chính thức',
        option3: '',
        correct: '2',
        explanation: '',
        difficulty: 'easy',
        tags: 'OTP, lừa đảo',
        _action: 'luu',
      };
      const refused = await manager.submit(`${base}/cau-hoi/moi`, `${base}/cau-hoi/moi`, fields);
      assert.equal(refused.statusCode, 400);
      assert.match(refused.body, /Hãy viết lời giải thích cho đáp án\./);
      assert.match(refused.body, /Họ hỏi mã OTP, bạn làm gì\?/, 'the form comes back as it was sent');

      const switched = await manager.submit(`${base}/cau-hoi/moi`, `${base}/cau-hoi/moi`, {
        ...fields,
        kind: 'matching',
        _action: 'doi-loai',
      });
      assert.equal(switched.statusCode, 200);
      assert.match(switched.body, /name="left1"/);
      assert.match(switched.body, /Họ hỏi mã OTP, bạn làm gì\?/);

      const explanation = 'Ngân hàng không bao giờ hỏi mã OTP.';
      const created = await manager.submit(`${base}/cau-hoi/moi`, `${base}/cau-hoi/moi`, {
        ...fields,
        explanation,
      });
      assert.equal(created.statusCode, 303);
      const page = String(created.headers.location).replace(/\?.*$/, '');
      assert.match((await manager.get(String(created.headers.location))).body, /phiên bản 1/);

      const changed = await manager.submit(page, page, {
        ...fields,
        explanation,
        prompt: 'Họ hỏi mã OTP qua điện thoại, bạn làm gì?',
      });
      assert.equal(changed.statusCode, 303);
      const edited = await manager.get(page);
      assert.match(edited.body, /Sửa câu hỏi \(phiên bản 2\)/);
      assert.match(edited.body, /Phiên bản 1 · .* · Họ hỏi mã OTP, bạn làm gì\?/);
      assert.match(edited.body, /value="2" checked/);
      const questionId = page.split('/').pop() ?? '';
      const history = await new QuestionBankService(t.db).history(questionId);
      assert.deepEqual(
        history.map((v) => v.number),
        [2, 1],
      );

      const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#36c' } })
        .png()
        .toBuffer();
      const numeric = {
        kind: 'numeric',
        prompt: 'Mã OTP thường có bao nhiêu chữ số?',
        answer: '6',
        tolerance: '',
        explanation: 'Phần lớn ngân hàng gửi mã OTP gồm 6 chữ số.',
        _action: 'luu',
      };
      const noAlt = await manager.upload(
        `${base}/cau-hoi/moi`,
        `${base}/cau-hoi/moi`,
        { ...numeric, alt: '' },
        { field: 'image', filename: 'otp.png', bytes: png },
      );
      assert.equal(noAlt.statusCode, 400);
      assert.match(noAlt.body, /Ảnh cần có mô tả/);
      assert.match(
        noAlt.body,
        /name="imageFile" value="[0-9a-f]{64}-w960\.webp"/,
        'the uploaded picture is kept',
      );
      const withImage = await manager.upload(
        `${base}/cau-hoi/moi`,
        `${base}/cau-hoi/moi`,
        { ...numeric, alt: 'Tin nhắn có mã OTP' },
        { field: 'image', filename: 'otp.png', bytes: png },
      );
      assert.equal(withImage.statusCode, 303);
      const imageQuestion = await new QuestionBankService(t.db).question(
        t.fixture.tenant.id,
        String(withImage.headers.location).replace(/\?.*$/, '').split('/').pop() ?? '',
      );
      assert.deepEqual(imageQuestion?.draft.body, { kind: 'numeric', answer: 6, tolerance: 0 });
      assert.match(imageQuestion?.imageFile ?? '', /^[0-9a-f]{64}-w960\.webp$/);
      assert.equal(imageQuestion?.draft.image?.alt, 'Tin nhắn có mã OTP');
    });

    it('lists, filters and pages a bank, and exports it as xlsx', async () => {
      const banks = await new QuestionBankService(t.db).banks(t.fixture.tenant.id);
      const big = banks.find((b) => b.name === 'Mật khẩu');
      assert.ok(big);
      const first = await manager.get(`${BANKS}/${big.id}`);
      assert.match(first.body, /trang 1\/10/);
      assert.match(first.body, /rel="next" href="\/soan-bai\/ngan-hang\/[^"?]+\?trang=2"/);
      const filtered = await manager.get(`${BANKS}/${big.id}?tim=${encodeURIComponent('câu hỏi số 499')}`);
      assert.match(filtered.body, /1 câu hỏi khớp bộ lọc/);
      const none = await manager.get(`${BANKS}/${big.id}?do-kho=hard`);
      assert.match(none.body, /Không có câu hỏi nào khớp bộ lọc/);
      const exported = await manager.get(`${BANKS}/${big.id}/tai-ve.xlsx`);
      assert.equal(exported.statusCode, 200);
      assert.match(String(exported.headers['content-disposition']), /filename="mat-khau\.xlsx"/);
      const preview = await upload('mat-khau.xlsx', exported.rawPayload, { bank: 'Mật khẩu', newBank: '' });
      assert.match(preview.body, /0 câu mới, 0 câu cập nhật, 500 câu không đổi/);
    });
  });
}
