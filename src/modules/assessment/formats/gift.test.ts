import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ImportResult, QuestionBody, QuestionDraft } from '../questionDraft.js';
import { parseGift } from './gift.js';

const fixture = (name: string) => readFileSync(`test/fixtures/questions/${name}`, 'utf8');

const SCAMS = ['An toàn trên mạng', 'Lừa đảo'];
const APPS = ['Kỹ năng số', 'Ứng dụng'];

function draft(
  key: string | null,
  prompt: string,
  tags: string[],
  body: QuestionBody,
  explanation = '',
): QuestionDraft {
  return { key, prompt, situation: null, explanation, difficulty: null, tags, frameworks: [], body };
}

function questionsOf(result: ImportResult): QuestionDraft[] {
  assert.ok(result.ok, JSON.stringify(result));
  return result.questions;
}

function problemsOf(result: ImportResult): [number, string][] {
  assert.ok(!result.ok, 'the file should be refused');
  return result.problems.map((p) => [p.line, p.message]);
}

const options = (correct: string[], wrong: string[]) => [
  ...correct.map((text) => ({ text, correct: true })),
  ...wrong.map((text) => ({ text, correct: false })),
];

describe('GIFT import', () => {
  it('reads every supported kind with titles, categories, feedback and escapes', () => {
    assert.deepEqual(questionsOf(parseGift(fixture('all-kinds.gift'))), [
      draft(
        'mat-khau',
        'Mật khẩu nào an toàn nhất?',
        SCAMS,
        { kind: 'single', options: options(['Tôi#Yêu#Quê#2024!'], ['123456', 'Ngày sinh của bạn']) },
        'Mật khẩu mạnh cần dài, khó đoán và không dùng lại ở nơi khác.',
      ),
      draft('dau-hieu', 'Những dấu hiệu nào cho thấy một tin nhắn có thể là lừa đảo?', SCAMS, {
        kind: 'multiple',
        options: options(
          ['Yêu cầu chuyển tiền & gấp', 'Có đường dẫn lạ, ví dụ vn-nganhang.xyz'],
          ['Đến từ tổng đài chính thức đã lưu trong danh bạ'],
        ),
      }),
      draft(
        'otp',
        'Ngân hàng có thể gọi điện hỏi mã OTP của bạn.',
        SCAMS,
        { kind: 'trueFalse', answer: false },
        'Ngân hàng không bao giờ hỏi mã OTP.',
      ),
      draft('Câu 4: Wi-Fi công cộng', 'Có thể dùng Wi-Fi công cộng để xem tin tức.', SCAMS, {
        kind: 'trueFalse',
        answer: true,
      }),
      draft(null, 'Khi nhận cuộc gọi lạ yêu cầu chuyển tiền, bạn nên _____ để kiểm tra.', SCAMS, {
        kind: 'single',
        options: options(['gác máy và gọi lại số chính thức'], ['làm theo ngay', 'đọc mã OTP cho người gọi']),
      }),
      draft('ghep-ung-dung', 'Ghép ứng dụng với công dụng của nó.', APPS, {
        kind: 'matching',
        pairs: [
          { left: 'VNeID', right: 'Định danh điện tử' },
          { left: 'Zalo', right: 'Nhắn tin, gọi điện' },
          { left: 'Google Maps', right: 'Tìm đường' },
        ],
      }),
      draft('so-otp', 'Mã OTP thường có bao nhiêu chữ số?', APPS, {
        kind: 'numeric',
        answer: 6,
        tolerance: 0,
      }),
      draft(
        'sac-pin',
        'Nên sạc điện thoại khi pin còn khoảng bao nhiêu phần trăm?',
        APPS,
        { kind: 'numeric', answer: 30, tolerance: 10 },
        'Sạc khi pin còn 20–40% giúp pin bền hơn.',
      ),
      draft('do-dai', 'Một mật khẩu mạnh nên dài từ 12 đến 16 ký tự. Hãy nêu một độ dài hợp lệ.', APPS, {
        kind: 'numeric',
        answer: 14,
        tolerance: 2,
      }),
      draft('dung-luong', 'Dung lượng 1,5 GB bằng bao nhiêu MB (lấy 1 GB = 1024 MB)?', APPS, {
        kind: 'numeric',
        answer: 1536,
        tolerance: 0,
      }),
      draft('ky-tu', 'Ký tự nào dùng để bắt đầu một thẻ (hashtag): { } hay #? Chọn một.', APPS, {
        kind: 'single',
        options: options(['#'], ['{ }', '~']),
      }),
    ]);
  });

  it('reads CRLF, a byte-order mark and decomposed (NFD) text like the plain file', () => {
    const text = fixture('all-kinds.gift');
    const windows = `\uFEFF${text.normalize('NFD').replace(/\n/g, '\r\n')}`;
    assert.deepEqual(parseGift(windows), parseGift(text));
    const [first] = questionsOf(parseGift(windows));
    assert.equal(first?.prompt, 'Mật khẩu nào an toàn nhất?'.normalize('NFC'));
  });

  it('refuses the whole file and lists only the broken questions, at the lines where they start', () => {
    assert.deepEqual(problemsOf(parseGift(fixture('bad-mixed.gift'))), [
      [6, 'Thiếu dấu "}" đóng câu hỏi bắt đầu ở dòng 6.'],
      [15, 'Câu trả lời ngắn (short answer) chưa được hỗ trợ.'],
    ]);
  });

  it('explains each unsupported or malformed question', () => {
    assert.deepEqual(problemsOf(parseGift(fixture('bad-kinds.gift'))), [
      [1, 'Câu tự luận (essay) chưa được hỗ trợ.'],
      [3, 'Thiếu dấu "::" đóng tên câu hỏi.'],
      [5, 'Câu hỏi thiếu phần đáp án trong dấu "{…}" (câu mô tả chưa được hỗ trợ).'],
      [7, 'Trọng số "%abc%" không hợp lệ: cần một số từ -100 đến 100, ví dụ "~%50%".'],
      [9, 'Chưa có phương án đúng.'],
      [11, 'Đáp số "3,5" không phải là số. Hãy dùng dấu chấm thập phân: 3.5.'],
      [13, 'Khoảng số "5..1" có số đầu lớn hơn số cuối.'],
      [15, 'Mỗi câu hỏi chỉ có một phần đáp án "{…}"; hãy ngăn các câu hỏi bằng một dòng trống.'],
      [18, 'Cặp ghép nối "Hai" cần có dạng "=vế trái -> vế phải".'],
    ]);
  });

  it('refuses a file without questions', () => {
    for (const text of ['', '  \n\n', '// chỉ có chú thích\n\n$CATEGORY: $course$/top/Trống\n']) {
      assert.deepEqual(problemsOf(parseGift(text)), [[1, 'Tệp không có câu hỏi nào.']]);
    }
  });

  it('reports the shared validator’s problems at the question’s line', () => {
    const text = '// một câu đúng\nCâu một {T}\n\n\n::trung::Chọn một.{\n=Có\n~có\n}';
    assert.deepEqual(problemsOf(parseGift(text)), [[5, 'Có hai phương án trùng nhau.']]);
  });

  it('counts a question from its first line that is not a comment', () => {
    assert.deepEqual(problemsOf(parseGift('// chú thích\n// thêm\nCâu hỏi {}')), [
      [3, 'Câu tự luận (essay) chưa được hỗ trợ.'],
    ]);
  });

  it('makes a question with several right answers or weighted wrong ones a multiple-answer one', () => {
    const kinds = ['{=a =b ~c}', '{=a ~%50%b ~c}', '{=a ~%0%b ~%-50%c}', '{~%100%a ~b}'].map((answers) => {
      const [question] = questionsOf(parseGift(`Chọn. ${answers}`));
      return question?.body;
    });
    assert.deepEqual(kinds, [
      { kind: 'multiple', options: options(['a', 'b'], ['c']) },
      { kind: 'multiple', options: options(['a', 'b'], ['c']) },
      { kind: 'single', options: options(['a'], ['b', 'c']) },
      { kind: 'multiple', options: options(['a'], ['b']) },
    ]);
  });

  it('keys a numeric question to its first full-credit alternative', () => {
    const [question] = questionsOf(parseGift('Số? {#=%50%1 =2:0.5#Đúng =3 ~Sai rồi}'));
    assert.deepEqual(question?.body, { kind: 'numeric', answer: 2, tolerance: 0.5 });
    assert.deepEqual(problemsOf(parseGift('Số? {#=%50%1 =%25%2}')), [
      [1, 'Câu trả lời số cần một đáp án được 100% điểm.'],
    ]);
    assert.deepEqual(problemsOf(parseGift('Số? {#}')), [[1, 'Câu trả lời số thiếu đáp số sau dấu "#".']]);
  });

  it('puts the blank where the answers stand in a missing-word question', () => {
    const [question] = questionsOf(parseGift('{=Hà Nội ~Huế} là thủ đô của Việt Nam.'));
    assert.equal(question?.prompt, '_____ là thủ đô của Việt Nam.');
  });

  it('turns [html] into plain text and decodes entities', () => {
    const text = '[html]<p>Dòng một</p><p>Dòng <b>hai</b> &#7843; &#x1EA1; &lt;3&gt;</p>{T}';
    const [question] = questionsOf(parseGift(text));
    assert.equal(question?.prompt, 'Dòng một Dòng hai ả ạ <3>');
  });

  it('keeps [markdown] text as written and folds \\n and line breaks into spaces', () => {
    const [question] = questionsOf(
      parseGift('::  tên  ::[markdown]**Đậm**\\nvà\nxuống dòng, dấu \\\\ giữ lại.{F}'),
    );
    assert.equal(question?.key, 'tên');
    assert.equal(question?.prompt, '**Đậm** và xuống dòng, dấu \\ giữ lại.');
  });

  it('refuses text before the first answer and a stray brace', () => {
    assert.deepEqual(problemsOf(parseGift('Câu hỏi {lạ =a ~b}\n\nCâu } lẻ {T}')), [
      [1, 'Có chữ "lạ" trước phương án đầu tiên; mỗi phương án bắt đầu bằng "=" hoặc "~".'],
      [3, 'Có dấu "}" thừa; viết "\\}" nếu đó là một ký tự trong câu.'],
    ]);
  });
});
