import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { QuestionDraft } from './questionDraft.js';
import { parseQuizFile, type QuizFileContext } from './quizFile.js';
import { DEFAULT_QUIZ_SETTINGS } from './quizSettings.js';

const lessonContext: QuizFileContext = {
  resolveImage: (value) =>
    value === 'images/so-do.png' ? { path: value } : { problem: `Không tìm thấy ảnh "${value}".` },
};

const parse = (text: string, context = lessonContext) => parseQuizFile('quiz.yaml', text, context);

/** "line: message" for each problem, in the order they were found. */
const problemsOf = (text: string, context = lessonContext) =>
  parse(text, context).problems.map((p) => `${p.line}: ${p.message}`);

const draft = (
  key: string,
  tags: string[],
  difficulty: QuestionDraft['difficulty'] = null,
): QuestionDraft => ({
  key,
  prompt: `Câu ${key}?`,
  situation: null,
  explanation: 'Vì thế.',
  difficulty,
  tags,
  frameworks: [],
  body: { kind: 'trueFalse', answer: true },
});

describe('quiz files', () => {
  it('reads the format of existing packages: single by default, options as text or text with correct', () => {
    const { quiz, problems } = parse(`passPercent: 60
questions:
  - id: ma-otp
    prompt: Có nên đọc mã OTP cho người khác không?
    options:
      - Có, nếu họ nói là nhân viên Zalo.
      - text: Không bao giờ.
        correct: true
    explanation: Mã OTP là chìa khóa tài khoản.
`);
    assert.deepEqual(problems, []);
    assert.deepEqual(quiz, {
      settings: { ...DEFAULT_QUIZ_SETTINGS, passPercent: 60 },
      questions: [
        {
          key: 'ma-otp',
          prompt: 'Có nên đọc mã OTP cho người khác không?',
          situation: null,
          explanation: 'Mã OTP là chìa khóa tài khoản.',
          difficulty: null,
          tags: [],
          frameworks: [],
          body: {
            kind: 'single',
            options: [
              { text: 'Có, nếu họ nói là nhân viên Zalo.', correct: false },
              { text: 'Không bao giờ.', correct: true },
            ],
          },
        },
      ],
    });
  });

  it('reads every kind of question, their optional fields and every quiz setting', () => {
    const { quiz, problems } = parse(`passPercent: 70
maxAttempts: 3
timeLimitMinutes: 300
shuffleQuestions: false
shuffleOptions: false
feedback: afterLast
partialCredit: true
draws:
  - count: 2
    tags: [otp]
    difficulty: easy
questions:
  - id: nhieu
    kind: multiple
    difficulty: easy
    tags: [otp, lua-dao]
    frameworks: [TT02-4.2, 1.10]
    image: images/so-do.png
    imageAlt: Sơ đồ   các bước
    prompt: Chọn các số chẵn.
    options: [2, 3, {text: "4", correct: true}, {text: "6", correct: true}]
    explanation: Số chẵn chia hết cho 2.
  - id: dung-sai
    kind: trueFalse
    difficulty: easy
    tags: [otp]
    prompt: Mã OTP dùng được nhiều lần.
    answer: false
    explanation: Mỗi mã chỉ dùng một lần.
  - id: ghep
    kind: matching
    prompt: Ghép tình huống với việc cần làm.
    pairs:
      - {left: Chuyển nhầm, right: Gọi tổng đài}
      - {left: Bị giục, right: Dừng lại}
    explanation: Mỗi tình huống một việc.
  - id: sap-xep
    kind: ordering
    prompt: Sắp xếp các năm.
    items: [1945, 1975, 1986]
    explanation: Theo thời gian.
  - id: so
    kind: numeric
    situation: Phí là 0,5% của 2.000.000 đồng.
    prompt: Phí là bao nhiêu nghìn đồng?
    answer: 10
    explanation: 0,5% của 2.000.000 là 10.000.
`);
    assert.deepEqual(problems, []);
    assert.deepEqual(quiz?.settings, {
      passPercent: 70,
      maxAttempts: 3,
      timeLimitMinutes: 300,
      shuffleQuestions: false,
      shuffleOptions: false,
      feedback: 'afterLast',
      partialCredit: true,
      draws: [{ count: 2, tags: ['otp'], difficulty: 'easy' }],
      source: null,
    });
    const [multiple, trueFalse, matching, ordering, numeric] = quiz?.questions ?? [];
    assert.deepEqual(multiple?.image, { src: 'images/so-do.png', alt: 'Sơ đồ các bước' });
    // A plain number keeps its written form: framework code 1.10 is not the number 1.1.
    assert.deepEqual(multiple?.frameworks, ['TT02-4.2', '1.10']);
    assert.deepEqual(multiple?.body, {
      kind: 'multiple',
      options: [
        { text: '2', correct: false },
        { text: '3', correct: false },
        { text: '4', correct: true },
        { text: '6', correct: true },
      ],
    });
    assert.deepEqual(trueFalse?.body, { kind: 'trueFalse', answer: false });
    assert.deepEqual(matching?.body, {
      kind: 'matching',
      pairs: [
        { left: 'Chuyển nhầm', right: 'Gọi tổng đài' },
        { left: 'Bị giục', right: 'Dừng lại' },
      ],
    });
    assert.deepEqual(ordering?.body, { kind: 'ordering', items: ['1945', '1975', '1986'] });
    assert.deepEqual(numeric?.body, { kind: 'numeric', answer: 10, tolerance: 0 });
    assert.equal(numeric?.situation, 'Phí là 0,5% của 2.000.000 đồng.');
    assert.equal('image' in (trueFalse ?? {}), false);
  });

  it('reports a malformed question of each new kind at the line to fix', () => {
    const text = `questions:
  - id: dung-sai-thieu
    kind: trueFalse
    prompt: Thiếu đáp án.
    explanation: Giải thích.
  - id: dung-sai-chu
    kind: trueFalse
    prompt: Đáp án bằng chữ.
    answer: đúng
    options: [Đúng, Sai]
    explanation: Giải thích.
  - id: ghep-thieu-ve
    kind: matching
    prompt: Thiếu một vế.
    pairs:
      - {left: A, right: B}
      - left: C
    explanation: Giải thích.
  - id: ghep-mot-cap
    kind: matching
    prompt: Chỉ một cặp.
    pairs:
      - {left: A, right: B}
    explanation: Giải thích.
  - id: sap-xep-trung
    kind: ordering
    prompt: Hai mục trùng nhau.
    items: [Mở máy, Mở máy, Đăng nhập]
    explanation: Giải thích.
  - id: so-dau-phay
    kind: numeric
    prompt: Đáp số viết bằng dấu phẩy.
    answer: 12,5
    tolerance: -1
    explanation: Giải thích.
  - id: anh-thieu-mo-ta
    kind: single
    prompt: Ảnh không có mô tả.
    image: images/so-do.png
    options: [Một, {text: Hai, correct: true}]
    explanation: Giải thích.
  - id: loai-la
    kind: essay
    difficulty: rat-kho
    prompt: Loại câu hỏi không có.
    explanation: Giải thích.
`;
    assert.deepEqual(problemsOf(text), [
      '2: Thiếu "answer" (true hoặc false).',
      '10: Khóa "options" không dùng cho câu hỏi kiểu trueFalse.',
      '9: "answer" phải là true hoặc false.',
      '17: Cặp ghép nối cần "right" là một đoạn chữ.',
      '19: Câu ghép nối cần từ 2 đến 8 cặp, đang có 1.',
      '25: Các mục sắp xếp phải khác nhau.',
      '33: "answer" phải là một số viết bằng dấu chấm thập phân: 12.5, không phải 12,5.',
      '34: "tolerance" không được là số âm.',
      '39: Ảnh của câu hỏi cần "imageAlt": mô tả ảnh cho người dùng trình đọc màn hình.',
      '43: "kind" phải là một trong single, multiple, trueFalse, matching, ordering, numeric; không phải "essay".',
      '44: "difficulty" phải là easy, medium hoặc hard.',
    ]);
  });

  it('keeps the rules of choice questions and requires an explanation', () => {
    assert.deepEqual(
      problemsOf(`questions:
  - id: khong-dung
    prompt: Chưa có đáp án đúng.
    options: [Một, Hai]
  - id: hai-dung
    prompt: Một đáp án nhưng hai đúng.
    options: [{text: Một, correct: true}, {text: Hai, correct: true}]
    explanation: Giải thích.
  - id: khong-dung
    prompt: Mã trùng.
    options: [Một, {text: Hai, correct: true}]
    explanation: Giải thích.
`),
      [
        '2: Thiếu "explanation".',
        '2: Chưa có phương án đúng.',
        '5: Câu một đáp án chỉ được có 1 phương án đúng, đang có 2.',
        '9: Mã câu hỏi "khong-dung" bị trùng.',
      ],
    );
  });

  it('reports an image the package cannot serve, and alt text without an image', () => {
    assert.deepEqual(
      problemsOf(`questions:
  - id: anh
    prompt: Ảnh không có trong gói.
    image: images/khong-co.png
    imageAlt: Một sơ đồ
    kind: trueFalse
    answer: true
    explanation: Giải thích.
  - id: mo-ta
    prompt: Mô tả không kèm ảnh.
    imageAlt: Một sơ đồ
    kind: trueFalse
    answer: true
    explanation: Giải thích.
`),
      ['4: Không tìm thấy ảnh "images/khong-co.png".', '11: "imageAlt" chỉ dùng kèm "image".'],
    );
  });

  it('checks every quiz setting at its line', () => {
    assert.deepEqual(
      problemsOf(`timeLimitMinutes: 301
feedback: cuoiCung
shuffleOptions: co
draws:
  - tags: [otp]
questions:
  - id: a
    prompt: Đúng không?
    kind: trueFalse
    answer: true
    explanation: Giải thích.
`),
      [
        '5: Thiếu "count" (số câu cần rút).',
        '1: "timeLimitMinutes" phải là số nguyên từ 1 đến 300.',
        '3: "shuffleOptions" phải là true hoặc false.',
        '2: "feedback" phải là afterEach, afterPass hoặc afterLast.',
      ],
    );
  });

  it('reports a draw rule that needs more questions than match, and one earlier rules may starve', () => {
    const questions = [
      draft('a', ['otp'], 'easy'),
      draft('b', ['otp'], 'hard'),
      draft('c', ['otp', 'lua-dao']),
      draft('d', []),
    ]
      .map(
        (q) => `  - id: ${q.key}
    difficulty: ${q.difficulty ?? 'medium'}
    tags: [${q.tags.join(', ')}]
    prompt: ${q.prompt}
    kind: trueFalse
    answer: true
    explanation: Giải thích.`,
      )
      .join('\n');
    assert.deepEqual(
      problemsOf(`draws:
  - count: 2
    tags: [otp]
    difficulty: easy
  - count: 2
    tags: [lua-dao, otp]
  - count: 3
    tags: [otp]
  - count: 1
questions:
${questions}
`),
      [
        '2: Quy tắc rút 2 câu (thẻ otp; mức Dễ) nhưng chỉ có 1 câu phù hợp.',
        '5: Quy tắc rút 2 câu (thẻ lua-dao, otp) nhưng chỉ có 1 câu phù hợp.',
        '7: Quy tắc rút 3 câu (thẻ otp) có thể thiếu câu: các quy tắc phía trên có thể rút mất 2 trong 3 câu phù hợp. Hãy đặt quy tắc hẹp hơn lên trước hoặc giảm số câu.',
        '9: Quy tắc rút 1 câu có thể thiếu câu: các quy tắc phía trên có thể rút mất 4 trong 4 câu phù hợp. Hãy đặt quy tắc hẹp hơn lên trước hoặc giảm số câu.',
      ],
    );
  });

  it('reads a final test without questions: its draws range over every lesson question', () => {
    const lessonQuestions = [draft('a', ['otp']), draft('b', ['otp']), draft('c', [])];
    const finalTest = (text: string, pool: QuestionDraft[] | null = lessonQuestions) =>
      parse(text, { ...lessonContext, lessonQuestions: pool });
    const { quiz, problems } = finalTest(
      'passPercent: 70\ndraws:\n  - count: 2\n    tags: [otp]\n  - count: 1\n',
    );
    assert.deepEqual(problems, []);
    assert.deepEqual(quiz?.questions, []);
    assert.deepEqual(quiz?.settings.source, { allLessons: true });
    assert.deepEqual(
      finalTest('draws:\n  - count: 3\n    tags: [otp]\n').problems.map((p) => `${p.line}: ${p.message}`),
      ['2: Quy tắc rút 3 câu (thẻ otp) nhưng chỉ có 2 câu phù hợp.'],
    );
    // When a lesson quiz could not be read, the pool is unknown: its problems are reported instead.
    assert.deepEqual(finalTest('draws:\n  - count: 30\n', null).problems, []);
    assert.deepEqual(
      finalTest('passPercent: 70\nquestions: []\n').problems.map((p) => `${p.line}: ${p.message}`),
      [
        '1: Bài kiểm tra cuối khóa cần "questions", hoặc "draws" để rút câu hỏi từ các bài kiểm tra của bài học.',
      ],
    );
    assert.deepEqual(problemsOf('draws:\n  - count: 1\n'), ['1: Thiếu danh sách "questions".']);
  });
});
