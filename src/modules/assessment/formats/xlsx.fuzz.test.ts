import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { cleanText } from '../../../text/vietnamese.js';
import {
  type ImportResult,
  type QuestionBody,
  type QuestionDraft,
  questionProblems,
} from '../questionDraft.js';
import { questionTemplateXlsx, readQuestionsXlsx, writeQuestionsXlsx } from './xlsx.js';

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

/** Values that mean something in some column, so that random sheets sometimes import. */
const MEANINGFUL = [
  'Một đáp án',
  'Nhiều đáp án',
  'Đúng/Sai',
  'Ghép nối',
  'Sắp xếp thứ tự',
  'Trả lời bằng số',
  'numeric',
  'A',
  'B',
  'A, C',
  'E',
  'Đúng',
  'Sai',
  '3,5',
  '-0.25',
  'OTP => Mã một lần',
  'VNeID => Định danh',
  'Cuộc gọi lừa đảo',
  'Dễ',
  'Khó',
  'lừa đảo, OTP',
  ' ',
  '',
];

let dir = '';
let fileCount = 0;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);

before(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'hocvuso-xlsx-fuzz-'));
  process.on('unhandledRejection', onUnhandled);
});
after(async () => {
  process.off('unhandledRejection', onUnhandled);
  await rm(dir, { recursive: true, force: true });
});

/** Reads the bytes from a file or a stream, and checks that the answer is one a caller can use. */
async function readChecked(bytes: Uint8Array, fromFile: boolean): Promise<ImportResult> {
  let result: ImportResult;
  if (fromFile) {
    const file = path.join(dir, `fuzz-${++fileCount}.xlsx`);
    await writeFile(file, bytes);
    result = await readQuestionsXlsx(file);
    await rm(file);
  } else {
    result = await readQuestionsXlsx(Readable.from([Buffer.from(bytes)]));
  }
  // Let stray stream errors surface before judging.
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(unhandled, [], 'no unhandled rejection');
  if (result.ok) {
    assert.ok(result.questions.length > 0);
    for (const question of result.questions) assert.deepEqual(questionProblems(question), []);
  } else {
    assert.ok(result.problems.length > 0);
    for (const { line, message } of result.problems) {
      assert.ok(Number.isInteger(line) && line >= 0, `line ${line}`);
      assert.ok(message.length > 0 && message === message.normalize('NFC'), message);
    }
  }
  return result;
}

async function sheetBytes(rows: ExcelJS.CellValue[][], zip: { store?: boolean } = {}): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream, useSharedStrings: true, zip });
  const sheet = workbook.addWorksheet('Câu hỏi');
  for (const row of rows) sheet.addRow(row).commit();
  sheet.commit();
  await workbook.commit();
  return Buffer.concat(chunks);
}

const cellValue: fc.Arbitrary<ExcelJS.CellValue> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...MEANINGFUL) },
  { weight: 2, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 10 }) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.boolean() },
);

const sheet = fc
  .tuple(
    fc.shuffledSubarray(HEADERS, { minLength: 1 }),
    fc.array(
      fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('CÂU HỎI', 'loai', 'Ghi chú')),
      {
        maxLength: 1,
      },
    ),
    fc.array(fc.array(cellValue, { maxLength: 20 }), { maxLength: 8 }),
  )
  .map(([headers, extra, rows]) => [[...headers, ...extra], ...rows]);

/** Text as stored, without the separators of the tag lists and of matching pairs. */
const text = fc
  .string({ unit: 'grapheme', minLength: 1, maxLength: 30 })
  .map(cleanText)
  .filter((t) => t !== '' && !t.includes(',') && !t.includes('=>'));
const distinct = (min: number) =>
  fc.uniqueArray(text, { selector: (t) => t.toLowerCase(), minLength: min, maxLength: 8 });
const number = fc.double({ noNaN: true, noDefaultInfinity: true }).filter((n) => !Object.is(n, -0));

const body: fc.Arbitrary<QuestionBody> = fc.oneof(
  fc.tuple(distinct(2), fc.nat()).map(
    ([texts, pick]): QuestionBody => ({
      kind: 'single',
      options: texts.map((t, i) => ({ text: t, correct: i === pick % texts.length })),
    }),
  ),
  fc.tuple(distinct(2), fc.nat()).map(
    ([texts, pick]): QuestionBody => ({
      kind: 'multiple',
      options: texts.map((t, i) => ({ text: t, correct: i === pick % texts.length || i % 2 === 1 })),
    }),
  ),
  fc.boolean().map((answer): QuestionBody => ({ kind: 'trueFalse', answer })),
  fc
    .tuple(distinct(2), distinct(8))
    .filter(([lefts, rights]) => rights.length >= lefts.length)
    .map(
      ([lefts, rights]): QuestionBody => ({
        kind: 'matching',
        pairs: lefts.map((left, i) => ({ left, right: rights[i] ?? '' })),
      }),
    ),
  distinct(2).map((items): QuestionBody => ({ kind: 'ordering', items })),
  fc
    .tuple(
      number,
      number.filter((n) => n >= 0),
    )
    .map(([answer, tolerance]): QuestionBody => ({ kind: 'numeric', answer, tolerance })),
);

const draft: fc.Arbitrary<QuestionDraft> = fc.record({
  key: fc.option(text, { nil: null }),
  prompt: text,
  situation: fc.option(text, { nil: null }),
  explanation: fc.oneof(fc.constant(''), text),
  difficulty: fc.constantFrom(null, 'easy' as const, 'medium' as const, 'hard' as const),
  tags: fc.array(text, { maxLength: 3 }),
  frameworks: fc.array(text, { maxLength: 3 }),
  body,
});

describe('xlsx import under random input', () => {
  it('answers every random sheet with questions that validate or with problems', {
    timeout: 20_000,
  }, async () => {
    await fc.assert(
      fc.asyncProperty(sheet, fc.boolean(), async (rows, fromFile) => {
        await readChecked(await sheetBytes(rows), fromFile);
      }),
      { numRuns: 150 },
    );
  });

  it('reads back any valid questions it writes', { timeout: 20_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(draft, { minLength: 1, maxLength: 5 }),
        fc.boolean(),
        async (drafts, fromFile) => {
          const keyed = drafts.map((d, index) => ({ ...d, key: d.key && `${d.key}-${index}` }));
          const file = path.join(dir, `drafts-${++fileCount}.xlsx`);
          await writeQuestionsXlsx(keyed, file);
          const result = await readChecked(await readFile(file), fromFile);
          assert.deepEqual(result.ok && result.questions, keyed);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('never throws on damaged or cut xlsx files', { timeout: 20_000 }, async () => {
    const drafts: QuestionDraft[] = [
      {
        key: 'Q1',
        prompt: 'Mã OTP có được đưa cho người khác không?',
        situation: null,
        explanation: '',
        difficulty: null,
        tags: ['OTP'],
        frameworks: [],
        body: { kind: 'trueFalse', answer: false },
      },
    ];
    const deflated = await questionTemplateXlsx();
    // A stored (uncompressed) archive lets damage reach the XML rather than the compressed data.
    const cells: Record<string, string> = {
      Loại: 'Đúng/Sai',
      'Câu hỏi': 'Mật khẩu nên dài?',
      'Đáp án': 'Đúng',
    };
    const stored = await sheetBytes([HEADERS, HEADERS.map((header) => cells[header] ?? null)], {
      store: true,
    });
    const written = path.join(dir, 'written.xlsx');
    await writeQuestionsXlsx(drafts, written);
    const bases = [deflated, stored, await readFile(written)];
    // These reads also catch exceljs losing the last entries of an archive (see ZipInput in xlsx.ts).
    for (const base of bases) assert.ok((await readChecked(base, false)).ok, 'the undamaged file imports');

    const damage = fc.record({
      base: fc.constantFrom(...bases),
      flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
      cut: fc.option(fc.nat(), { nil: null }),
      fromFile: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(damage, async ({ base, flips, cut, fromFile }) => {
        const bytes = Uint8Array.from(base);
        for (const [at, value] of flips) bytes[at % bytes.length] = value;
        await readChecked(cut === null ? bytes : bytes.subarray(0, cut % bytes.length), fromFile);
      }),
      { numRuns: 600 },
    );
  });
});
