import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import type { ImportResult, QuestionDraft } from '../questionDraft.js';
import { parseAiken } from './aiken.js';

const fixture = (name: string) => readFileSync(`test/fixtures/questions/${name}`, 'utf8');

function single(prompt: string, texts: string[], right: number, explanation = ''): QuestionDraft {
  return {
    key: null,
    prompt,
    situation: null,
    explanation,
    difficulty: null,
    tags: [],
    frameworks: [],
    body: { kind: 'single', options: texts.map((text, i) => ({ text, correct: i === right })) },
  };
}

function questionsOf(result: ImportResult): QuestionDraft[] {
  assert.ok(result.ok, JSON.stringify(result));
  return result.questions;
}

function problemsOf(result: ImportResult): [number, string][] {
  assert.ok(!result.ok, 'the file should be refused');
  return result.problems.map((p) => [p.line, p.message]);
}

describe('Aiken import', () => {
  it('reads one-answer questions with multi-line text, both option styles and explanations', () => {
    assert.deepEqual(questionsOf(parseAiken(fixture('single.aiken.txt'))), [
      single(
        'Khi nhận được tin nhắn trúng thưởng yêu cầu nộp phí, bạn nên làm gì?',
        [
          'Chuyển tiền ngay để nhận thưởng',
          'Bỏ qua và báo cho nhà mạng',
          'Gửi số tài khoản cho người nhắn',
          'Nhắn lại hỏi thêm thông tin',
        ],
        1,
        'Tin nhắn trúng thưởng đòi nộp phí là thủ đoạn lừa đảo phổ biến.',
      ),
      single(
        'Ứng dụng nào dùng để định danh điện tử cho công dân Việt Nam?',
        ['VNeID', 'Zalo', 'Facebook'],
        0,
      ),
      single(
        'Mã OTP có được phép chia sẻ cho nhân viên ngân hàng không?',
        ['Có, nếu họ gọi từ số tổng đài', 'Không, không bao giờ chia sẻ'],
        1,
        'Ngân hàng không bao giờ hỏi mã OTP của khách hàng.',
      ),
    ]);
  });

  it('reads CRLF, a byte-order mark, decomposed text and lower-case keywords', () => {
    const text =
      '\uFEFFMạng xã hội nào?\r\nA) Zalo\r\nB) Word\r\nanswer: a\r\ngiải thích: Zalo là mạng xã hội.\r\n';
    assert.deepEqual(questionsOf(parseAiken(text.normalize('NFD'))), [
      single('Mạng xã hội nào?', ['Zalo', 'Word'], 0, 'Zalo là mạng xã hội.'),
    ]);
  });

  it('does not need blank lines between questions', () => {
    const text = 'Một?\nA. x\nB. y\nANSWER: B\nHai?\nA. x\nB. y\nANSWER: A';
    assert.deepEqual(questionsOf(parseAiken(text)), [
      single('Một?', ['x', 'y'], 1),
      single('Hai?', ['x', 'y'], 0),
    ]);
  });

  it('refuses the whole file and lists only the broken questions, at the lines where they start', () => {
    assert.deepEqual(problemsOf(parseAiken(fixture('bad-mixed.aiken.txt'))), [
      [6, 'Câu Aiken bắt đầu ở dòng 6 cần dòng "ANSWER: X" sau các phương án.'],
      [15, 'Đáp án "D" ở dòng 18 không có trong các phương án (A–B).'],
    ]);
  });

  it('explains options out of order, too few options, stray lines and the validator’s problems', () => {
    assert.deepEqual(problemsOf(parseAiken(fixture('bad-structure.aiken.txt'))), [
      [1, 'Phương án "C" ở dòng 3 sai thứ tự: cần phương án "B".'],
      [6, 'Câu hỏi cần ít nhất 2 phương án "A. …", "B. …", đang có 1.'],
      [10, 'Các phương án này không có nội dung câu hỏi phía trên.'],
      [14, 'Dòng "ANSWER" không thuộc câu hỏi nào.'],
      [16, 'Dòng giải thích phải nằm ngay sau dòng "ANSWER: X".'],
      [18, 'Có hai phương án trùng nhau.'],
    ]);
  });

  it('ends a question without ANSWER where the next question’s text begins', () => {
    const text = 'Câu một?\n\nCâu hai?\nA. x\nB. y\nANSWER: A';
    assert.deepEqual(problemsOf(parseAiken(text)), [
      [1, 'Câu hỏi cần ít nhất 2 phương án "A. …", "B. …", đang có 0.'],
      [1, 'Câu Aiken bắt đầu ở dòng 1 cần dòng "ANSWER: X" sau các phương án.'],
    ]);
  });

  it('needs one answer letter and leaves more than eight options to the validator', () => {
    assert.deepEqual(problemsOf(parseAiken('Chọn?\nA. x\nB. y\nANSWER: A, B')), [
      [1, 'Dòng 4 phải ghi đúng một chữ cái đáp án, ví dụ "ANSWER: B".'],
    ]);
    const nine = [...'ABCDEFGHI'].map((letter, i) => `${letter}. Phương án ${i + 1}`).join('\n');
    assert.deepEqual(problemsOf(parseAiken(`Chọn?\n${nine}\nANSWER: I`)), [
      [1, 'Cần từ 2 đến 8 phương án, đang có 9.'],
    ]);
  });

  it('refuses a file without questions', () => {
    for (const text of ['', '\uFEFF', ' \r\n\r\n ']) {
      assert.deepEqual(problemsOf(parseAiken(text)), [[1, 'Tệp không có câu hỏi nào.']]);
    }
  });
});
