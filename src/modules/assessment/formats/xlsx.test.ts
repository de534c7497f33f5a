import assert from 'node:assert/strict';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import { strToU8, zipSync } from 'fflate';
import { type ImportResult, QUESTION_KINDS, type QuestionDraft } from '../questionDraft.js';
import { MAX_QUESTION_ROWS, questionTemplateXlsx, readQuestionsXlsx, writeQuestionsXlsx } from './xlsx.js';

const HEADERS = [
  'Mã',
  'Loại',
  'Tình huống',
  'Câu hỏi',
  ...'ABCDEFGH'.split('').map((letter) => `Phương án ${letter}`),
  'Đáp án',
  'Sai số',
  'Giải thích',
  'Độ khó',
  'Thẻ',
  'Khung năng lực',
];
const NOT_XLSX = /không phải là tệp Excel \.xlsx hợp lệ/;

let dir = '';
let fileCount = 0;
const tempFile = () => path.join(dir, `bank-${++fileCount}.xlsx`);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hocvuso-xlsx-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Writes rows as they are onto a first sheet "Câu hỏi"; an empty array leaves a blank row. */
async function writeSheet(rows: ExcelJS.CellValue[][], extraSheet?: ExcelJS.CellValue[][]): Promise<string> {
  const file = tempFile();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: file, useSharedStrings: true });
  for (const [name, sheetRows] of [
    ['Câu hỏi', rows],
    ['Ghi chú', extraSheet],
  ] as const) {
    if (!sheetRows) continue;
    const sheet = workbook.addWorksheet(name);
    for (const row of sheetRows) sheet.addRow(row).commit();
    sheet.commit();
  }
  await workbook.commit();
  return file;
}

/** A row in the template's column order, from the cells given by header. */
function row(cells: Record<string, ExcelJS.CellValue>): ExcelJS.CellValue[] {
  return HEADERS.map((header) => cells[header] ?? null);
}

const singleRow = (prompt: string, answer = 'B') =>
  row({
    Loại: 'Một đáp án',
    'Câu hỏi': prompt,
    'Phương án A': 'Chuyển tiền ngay',
    'Phương án B': 'Cúp máy và gọi lại số chính thức',
    'Phương án C': 'Đọc mã OTP cho họ',
    'Phương án D': 'Hẹn gặp để đưa tiền mặt',
    'Đáp án': answer,
  });

function problemsOf(result: ImportResult): { line: number; message: string }[] {
  assert.equal(result.ok, false, 'the file should be refused');
  return result.ok ? [] : result.problems;
}

function questionsOf(result: ImportResult): QuestionDraft[] {
  assert.ok(result.ok, `the file should import: ${JSON.stringify(result.ok ? [] : result.problems)}`);
  return result.questions;
}

const base = { key: null, situation: null, explanation: '', difficulty: null, tags: [], frameworks: [] };

const DRAFTS: QuestionDraft[] = [
  {
    key: 'LD-01',
    situation: 'Có người gọi điện xưng là công an, yêu cầu chuyển tiền vào "tài khoản tạm giữ".',
    prompt: 'Bạn nên làm gì?',
    explanation: 'Công an không bao giờ yêu cầu chuyển tiền qua điện thoại.',
    difficulty: 'easy',
    tags: ['lừa đảo', 'cuộc gọi'],
    frameworks: ['4.2', 'NLS-1.1'],
    body: {
      kind: 'single',
      options: [
        { text: 'Chuyển tiền ngay', correct: false },
        { text: 'Cúp máy, gọi lại số chính thức', correct: true },
      ],
    },
  },
  {
    ...base,
    key: 'LD-02',
    prompt: 'Dấu hiệu nào cho thấy tin nhắn là lừa đảo?',
    difficulty: 'medium',
    body: {
      kind: 'multiple',
      options: [
        { text: 'Thúc giục làm ngay', correct: true },
        { text: 'Nhắc lịch hẹn bạn tự đặt', correct: false },
        { text: 'Xin mã OTP', correct: true },
        { text: 'Đường dẫn lạ: http://vneid-gov.xyz', correct: true },
        { text: 'Phương án E', correct: false },
        { text: 'Phương án F', correct: false },
        { text: 'Phương án G', correct: false },
        { text: 'Phương án H', correct: false },
      ],
    },
  },
  { ...base, prompt: 'Ngân hàng có thể hỏi mã OTP của bạn.', body: { kind: 'trueFalse', answer: false } },
  { ...base, prompt: 'Mật khẩu mạnh nên dài ít nhất 12 ký tự.', body: { kind: 'trueFalse', answer: true } },
  {
    ...base,
    prompt: 'Ghép việc cần làm với ứng dụng phù hợp.',
    difficulty: 'hard',
    body: {
      kind: 'matching',
      pairs: [
        { left: 'Căn cước điện tử', right: 'VNeID' },
        { left: 'Nộp hồ sơ trực tuyến', right: 'Cổng Dịch vụ công' },
      ],
    },
  },
  {
    ...base,
    prompt: 'Sắp xếp các bước khi lỡ nhập mật khẩu vào trang giả mạo.',
    body: { kind: 'ordering', items: ['Gọi ngân hàng khóa tài khoản', 'Đổi mật khẩu', 'Báo công an'] },
  },
  {
    ...base,
    prompt: 'Gói cước 70.000 đồng có 15 GB; mỗi GB giá bao nhiêu nghìn đồng?',
    body: { kind: 'numeric', answer: 4.67, tolerance: 0.01 },
  },
  {
    ...base,
    prompt: 'Một mã PIN 4 chữ số có bao nhiêu cách đặt?',
    body: { kind: 'numeric', answer: 10000, tolerance: 0 },
  },
];

describe('xlsx question files', () => {
  it('reads back every kind of question it writes', async () => {
    const file = tempFile();
    await writeQuestionsXlsx(DRAFTS, file);
    assert.deepEqual(questionsOf(await readQuestionsXlsx(file)), DRAFTS);
  });

  it('keeps every Vietnamese letter of a large file, wherever the file’s chunks are cut', async () => {
    // Letters with diacritics take 2–3 bytes; a reader that decodes chunk by chunk garbles those
    // cut by a chunk boundary, which only shows in files larger than one chunk.
    const many = Array.from(
      { length: 4000 },
      (_, i): QuestionDraft => ({
        ...(DRAFTS[0] as QuestionDraft),
        key: `cau-${i + 1}`,
        prompt: `Câu ${i + 1}: Bà Lũy ở xã Điện Hồng nhận được tin nhắn lạ, bà nên làm gì trước tiên?`,
        explanation: `Giải thích ${i + 1}: không bấm đường liên kết, gọi tổng đài chính thức để hỏi.`,
      }),
    );
    const file = tempFile();
    await writeQuestionsXlsx(many, file);
    const read = questionsOf(await readQuestionsXlsx(file));
    assert.equal(read.length, many.length);
    const garbled = read.filter(
      (q, i) => q.prompt !== many[i]?.prompt || q.explanation !== many[i]?.explanation,
    );
    assert.deepEqual(
      garbled.map((q) => q.key),
      [],
    );
  });

  it('writes to and reads from streams', async () => {
    const file = tempFile();
    await writeQuestionsXlsx(DRAFTS, createWriteStream(file));
    assert.deepEqual(questionsOf(await readQuestionsXlsx(createReadStream(file))), DRAFTS);
    const bytes = await readFile(file);
    assert.deepEqual(questionsOf(await readQuestionsXlsx(Readable.from([bytes]))), DRAFTS);
  });

  it('offers a template that imports, with one example of each kind and a guide', async () => {
    const template = await questionTemplateXlsx();
    const questions = questionsOf(await readQuestionsXlsx(Readable.from([template])));
    assert.deepEqual(
      questions.map((q) => q.body.kind),
      [...QUESTION_KINDS],
    );

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(template as unknown as ExcelJS.Buffer);
    assert.deepEqual(
      workbook.worksheets.map((sheet) => sheet.name),
      ['Câu hỏi', 'Hướng dẫn'],
    );
    const sheet = workbook.worksheets[0];
    assert.ok(sheet);
    assert.deepEqual((sheet.getRow(1).values as ExcelJS.CellValue[]).slice(1), HEADERS);
    assert.equal(sheet.getRow(1).getCell(1).font?.bold, true);
    assert.equal(sheet.views[0]?.state, 'frozen');
    const guide = workbook.getWorksheet('Hướng dẫn');
    const guideText = guide?.getSheetValues().flat().join('\n') ?? '';
    for (const header of HEADERS) assert.ok(guideText.includes(header), `the guide explains "${header}"`);
  });

  it('refuses a 500-question file with two bad rows, naming exactly those rows', async () => {
    const rows = [
      HEADERS,
      ...Array.from({ length: 500 }, (_, i) => singleRow(`Câu số ${i + 1}: bạn nên làm gì?`)),
    ];
    rows[36] = singleRow('Câu có đáp án sai', 'E');
    rows[411] = singleRow('');
    const problems = problemsOf(await readQuestionsXlsx(await writeSheet(rows)));
    assert.deepEqual(problems, [
      { line: 37, message: 'Đáp án "E" không có phương án tương ứng.' },
      { line: 412, message: 'Thiếu nội dung câu hỏi.' },
    ]);
  });

  it('matches headers in any order, case and accents', async () => {
    const file = await writeSheet([
      ['đáp án', 'CAU HOI', 'phuong an b', 'Phương Án A', 'LOẠI', 'do kho', 'the'],
      [
        'A',
        'VNeID là ứng dụng của cơ quan nào?',
        'Ngân hàng',
        'Bộ Công an',
        'single',
        'De',
        'VNeID, định danh',
      ],
    ]);
    assert.deepEqual(questionsOf(await readQuestionsXlsx(file)), [
      {
        ...base,
        prompt: 'VNeID là ứng dụng của cơ quan nào?',
        difficulty: 'easy',
        tags: ['VNeID', 'định danh'],
        body: {
          kind: 'single',
          options: [
            { text: 'Bộ Công an', correct: true },
            { text: 'Ngân hàng', correct: false },
          ],
        },
      },
    ]);
  });

  it('reports unknown, repeated and missing headers', async () => {
    const file = await writeSheet([
      ['Mã', 'Câu hỏi', 'Ghi chú', 'Phương án A', 'phuong an a'],
      ['X', 'Câu hỏi?', '', 'Có', 'Không'],
    ]);
    const problems = problemsOf(await readQuestionsXlsx(file));
    assert.ok(problems.every((p) => p.line === 1));
    const messages = problems.map((p) => p.message);
    assert.ok(
      messages.some((m) => m.includes('Không nhận ra cột "Ghi chú"')),
      messages.join('\n'),
    );
    assert.ok(messages.includes('Cột "Phương án A" có hai lần ở dòng tiêu đề.'), messages.join('\n'));
    assert.ok(messages.includes('Thiếu cột bắt buộc "Loại".'), messages.join('\n'));
  });

  it('accepts the usual spellings of kinds and answers', async () => {
    const options = { 'Phương án A': 'Một', 'Phương án B': 'Hai', 'Phương án C': 'Ba' };
    const file = await writeSheet([
      HEADERS,
      row({ 'Câu hỏi': 'Loại để trống là một đáp án', ...options, 'Đáp án': 'c' }),
      row({ Loại: 'nhieu dap an', 'Câu hỏi': 'Dấu phẩy', ...options, 'Đáp án': 'A,C' }),
      row({ Loại: 'multiple', 'Câu hỏi': 'Liền nhau', ...options, 'Đáp án': 'AC' }),
      row({ Loại: 'Nhiều đáp án', 'Câu hỏi': 'Chấm phẩy', ...options, 'Đáp án': 'a; c' }),
      row({ Loại: 'Đúng/Sai', 'Câu hỏi': 'Đ', 'Đáp án': 'Đ' }),
      row({ Loại: 'trueFalse', 'Câu hỏi': 'S', 'Đáp án': 's' }),
      row({ Loại: 'dung sai', 'Câu hỏi': 'Ô kiểu đúng/sai của Excel', 'Đáp án': true }),
      row({ Loại: 'Trả lời bằng số', 'Câu hỏi': 'Dấu phẩy thập phân', 'Đáp án': '3,5', 'Sai số': '0,25' }),
      row({ Loại: 'numeric', 'Câu hỏi': 'Công thức', 'Đáp án': { formula: '6*7', result: 42 } }),
      row({
        Loại: 'Ghép nối',
        'Câu hỏi': 'Ghép',
        'Phương án A': 'OTP=>Mã một lần',
        'Phương án B': 'PIN => Mã cá nhân',
      }),
    ]);
    const questions = questionsOf(await readQuestionsXlsx(file));
    const correct = (q: QuestionDraft | undefined) =>
      q?.body.kind === 'single' || q?.body.kind === 'multiple' ? q.body.options.map((o) => o.correct) : null;
    assert.deepEqual(questions[0]?.body.kind, 'single');
    assert.deepEqual(correct(questions[0]), [false, false, true]);
    for (const q of questions.slice(1, 4)) assert.deepEqual(correct(q), [true, false, true], q.prompt);
    assert.deepEqual(
      questions.slice(4, 7).map((q) => q.body),
      [
        { kind: 'trueFalse', answer: true },
        { kind: 'trueFalse', answer: false },
        { kind: 'trueFalse', answer: true },
      ],
    );
    assert.deepEqual(questions[7]?.body, { kind: 'numeric', answer: 3.5, tolerance: 0.25 });
    assert.deepEqual(questions[8]?.body, { kind: 'numeric', answer: 42, tolerance: 0 });
    assert.deepEqual(questions[9]?.body, {
      kind: 'matching',
      pairs: [
        { left: 'OTP', right: 'Mã một lần' },
        { left: 'PIN', right: 'Mã cá nhân' },
      ],
    });
  });

  it('reads rich text, links and formulas as their text, in NFC', async () => {
    const decomposed = 'Lừa đảo'.normalize('NFD');
    const file = await writeSheet([
      HEADERS,
      row({
        'Câu hỏi': {
          richText: [{ text: 'Đâu là ' }, { text: 'trang chính thức', font: { bold: true } }, { text: '?' }],
        },
        'Phương án A': { text: 'dichvucong.gov.vn', hyperlink: 'https://dichvucong.gov.vn' },
        'Phương án B': { formula: '"dichvucong"&".vn.com"', result: 'dichvucong.vn.com' },
        'Đáp án': 'A',
        Thẻ: `${decomposed},  ,  an toàn `,
      }),
    ]);
    const [question] = questionsOf(await readQuestionsXlsx(file));
    assert.equal(question?.prompt, 'Đâu là trang chính thức?');
    assert.deepEqual(question?.tags, ['Lừa đảo', 'an toàn']);
    assert.deepEqual(question?.body.kind === 'single' && question.body.options.map((o) => o.text), [
      'dichvucong.gov.vn',
      'dichvucong.vn.com',
    ]);
  });

  it('skips blank rows and reads only the first sheet', async () => {
    const file = await writeSheet(
      [[], HEADERS, [], singleRow('Câu một'), [], [], singleRow('Câu hai'), []],
      [
        ['Không phải câu hỏi', 42],
        ['Loại', 'Câu hỏi'],
      ],
    );
    // Row 1 is blank, so the header is not where it must be.
    assert.deepEqual(
      problemsOf(await readQuestionsXlsx(file)).map((p) => p.line),
      [1],
    );

    const good = await writeSheet(
      [HEADERS, [], singleRow('Câu một'), [], [], singleRow('Câu hai'), []],
      [['Không phải câu hỏi', 42]],
    );
    assert.deepEqual(
      questionsOf(await readQuestionsXlsx(good)).map((q) => q.prompt),
      ['Câu một', 'Câu hai'],
    );
    const bad = await writeSheet([HEADERS, [], singleRow('Câu một'), [], singleRow('Câu hai', 'Z')]);
    assert.deepEqual(problemsOf(await readQuestionsXlsx(bad)), [
      { line: 5, message: 'Đáp án "Z" không có phương án tương ứng.' },
    ]);
  });

  it('lists every reason a row is wrong', async () => {
    const file = await writeSheet([
      HEADERS,
      row({ Mã: 'Q1', Loại: 'Tự luận', 'Câu hỏi': 'Loại lạ', 'Độ khó': 'rất khó' }),
      row({
        Mã: 'Q2',
        Loại: 'Ghép nối',
        'Câu hỏi': 'Ghép',
        'Phương án A': 'a => b',
        'Phương án B': 'c',
        'Đáp án': 'A',
      }),
      row({
        Mã: 'Q1',
        Loại: 'Sắp xếp thứ tự',
        'Câu hỏi': 'Thứ tự',
        'Phương án A': 'Một',
        'Phương án C': 'Ba',
      }),
      row({ Loại: 'Đúng/Sai', 'Câu hỏi': 'Đúng sai', 'Phương án A': 'Đúng', 'Đáp án': 'Có lẽ' }),
      row({ Loại: 'Trả lời bằng số', 'Câu hỏi': 'Số', 'Đáp án': '1.000', 'Sai số': -1 }),
      row({
        Loại: 'Một đáp án',
        'Câu hỏi': 'Hai đáp án',
        'Phương án A': 'X',
        'Phương án B': 'Y',
        'Đáp án': 'A, B',
      }),
      row({
        Loại: 'Nhiều đáp án',
        'Câu hỏi': 'Không đáp án',
        'Phương án A': 'X',
        'Phương án B': 'x',
        'Sai số': 1,
      }),
      [
        ...row({ 'Câu hỏi': 'Ô thừa', 'Phương án A': 'X', 'Phương án B': 'Y', 'Đáp án': 'A' }),
        null,
        'ghi chú',
      ],
    ]);
    const byLine = new Map<number, string[]>();
    for (const { line, message } of problemsOf(await readQuestionsXlsx(file))) {
      byLine.set(line, [...(byLine.get(line) ?? []), message]);
    }
    assert.deepEqual(Object.fromEntries(byLine), {
      2: [
        'Loại "Tự luận" không hợp lệ; chọn một trong: Một đáp án, Nhiều đáp án, Đúng/Sai, Ghép nối, Sắp xếp thứ tự, Trả lời bằng số.',
        'Độ khó "rất khó" không hợp lệ; chọn Dễ, Trung bình, Khó.',
      ],
      3: [
        'Câu "Ghép nối" không dùng cột "Đáp án" vì các phương án đã ghi theo đúng đáp án; hãy để trống.',
        'Phương án B của câu ghép nối phải có dạng "vế trái => vế phải".',
      ],
      4: [
        'Phương án B để trống trong khi phương án sau có nội dung; hãy điền liền nhau từ A.',
        'Mã "Q1" trùng với mã ở dòng 2.',
      ],
      5: [
        'Câu "Đúng/Sai" không dùng các cột "Phương án"; hãy để trống.',
        'Đáp án "Có lẽ" phải là "Đúng" hoặc "Sai".',
      ],
      6: [
        'Đáp số "1.000" không phải là một số hợp lệ; ghi số không có dấu phân cách hàng nghìn, ví dụ 1500 hoặc 3,5.',
      ],
      7: ['Câu một đáp án chỉ được có 1 phương án đúng, đang có 2.'],
      8: [
        'Cột "Sai số" chỉ dùng cho câu "Trả lời bằng số"; hãy để trống.',
        'Thiếu đáp án: ghi chữ cái của phương án đúng, ví dụ "A, C".',
      ],
      9: ['Ô T9 có dữ liệu nhưng cột không có tiêu đề ở dòng 1.'],
    });
  });

  it('reports a negative tolerance with the shared validator', async () => {
    const file = await writeSheet([
      HEADERS,
      row({ Loại: 'numeric', 'Câu hỏi': 'Số?', 'Đáp án': 2, 'Sai số': -1 }),
    ]);
    assert.deepEqual(problemsOf(await readQuestionsXlsx(file)), [
      { line: 2, message: 'Sai số cho phép phải là số không âm.' },
    ]);
  });

  it('refuses a file without questions', async () => {
    const headerOnly = problemsOf(await readQuestionsXlsx(await writeSheet([HEADERS])));
    assert.match(headerOnly[0]?.message ?? '', /không có câu hỏi nào/);
    const empty = problemsOf(await readQuestionsXlsx(await writeSheet([])));
    assert.match(empty[0]?.message ?? '', /không có câu hỏi nào/);
  });

  it(`refuses more than ${MAX_QUESTION_ROWS} questions without reading on`, async () => {
    const file = tempFile();
    const question = DRAFTS[2] as QuestionDraft;
    await writeQuestionsXlsx(Array(MAX_QUESTION_ROWS + 1).fill(question), file);
    assert.deepEqual(problemsOf(await readQuestionsXlsx(file)), [
      { line: 0, message: 'Tệp có hơn 20.000 câu hỏi; hãy chia thành nhiều tệp, mỗi tệp tối đa 20.000 câu.' },
    ]);
  });

  it('reads a workbook written by other tools, taking the first sheet in tab order', async () => {
    const relType = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet';
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const shared = (ref: string, index: number) => `<c r="${ref}" t="s"><v>${index}</v></c>`;
    const sheet = (rows: string) =>
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows}</sheetData></worksheet>`;
    const zip = zipSync({
      'xl/workbook.xml': strToU8(
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">' +
          '<sheets><sheet name="Câu hỏi" sheetId="1" r:id="rId2"/><sheet name="Ghi chú" sheetId="2" r:id="rId1"/></sheets></workbook>',
      ),
      'xl/_rels/workbook.xml.rels': strToU8(
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
          `<Relationship Id="rId1" Type="${relType}" Target="worksheets/sheet1.xml"/>` +
          `<Relationship Id="rId2" Type="${relType}" Target="worksheets/sheet2.xml"/></Relationships>`,
      ),
      'xl/sharedStrings.xml': strToU8('<sst><si><t>Loại</t></si><si><t>Đúng/Sai</t></si></sst>'),
      'xl/worksheets/sheet1.xml': strToU8(sheet(`<row r="1">${cell('A1', 'Ghi chú riêng')}</row>`)),
      'xl/worksheets/sheet2.xml': strToU8(
        sheet(
          `<row r="1">${shared('A1', 0)}${cell('B1', 'Câu hỏi')}${cell('C1', 'Đáp án')}</row>` +
            `<row r="2">${shared('A2', 1)}${cell('B2', 'Mã OTP có thể cho người khác biết.')}${cell('C2', 'Sai')}</row>`,
        ),
      ),
    });
    assert.deepEqual(questionsOf(await readQuestionsXlsx(Readable.from([Buffer.from(zip)]))), [
      { ...base, prompt: 'Mã OTP có thể cho người khác biết.', body: { kind: 'trueFalse', answer: false } },
    ]);
  });

  it('refuses files that are not xlsx workbooks, without throwing', async () => {
    const valid = await readFile(await writeSheet([HEADERS, singleRow('Câu hỏi?')]));
    const brokenSheet = zipSync({
      'xl/worksheets/sheet1.xml': strToU8('<worksheet><sheetData><row r="1"></c></sheetData></worksheet>'),
    });
    const inputs: [string, Uint8Array][] = [
      ['text renamed .xlsx', strToU8('Mã,Loại,Câu hỏi\nQ1,Một đáp án,Xin chào\n')],
      ['empty file', new Uint8Array()],
      ['truncated xlsx', valid.subarray(0, Math.floor(valid.length / 2))],
      ['xlsx cut in its last bytes', valid.subarray(0, valid.length - 10)],
      ['zip without a workbook', zipSync({ 'hello.txt': strToU8('xin chào') })],
      ['zip with a broken sheet', brokenSheet],
      ['random bytes', Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919) % 251)],
    ];
    for (const [name, bytes] of inputs) {
      const file = tempFile();
      await writeFile(file, bytes);
      const fromFile = problemsOf(await readQuestionsXlsx(file));
      const fromStream = problemsOf(await readQuestionsXlsx(Readable.from([Buffer.from(bytes)])));
      assert.deepEqual(fromStream, fromFile, name);
      assert.equal(fromFile.length, 1, name);
      assert.match(fromFile[0]?.message ?? '', NOT_XLSX, name);
    }
    const missing = problemsOf(await readQuestionsXlsx(path.join(dir, 'missing.xlsx')));
    assert.deepEqual(missing, [{ line: 0, message: 'Không đọc được tệp tải lên.' }]);
  });

  it('rejects a write to a folder that does not exist, without crashing', async () => {
    await assert.rejects(writeQuestionsXlsx(DRAFTS, path.join(dir, 'no-such-folder', 'bank.xlsx')), /ENOENT/);
  });
});
