/**
 * Question banks as Excel workbooks: the first sheet holds one question a row under a header row
 * (layout in docs/import-xlsx.md). Files are read and written with exceljs's streaming reader and
 * writer, so a large bank is never held in memory as a workbook, only as drafts. A file with any
 * problem is refused whole, every problem listed with its row number.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { PassThrough, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { workbookReader, ZipInput } from '../../../files/xlsxRows.js';
import { cleanText, foldForSearch } from '../../../text/vietnamese.js';
import {
  DIFFICULTIES,
  DIFFICULTY_LABELS,
  type Difficulty,
  type ImportProblem,
  type ImportResult,
  MAX_OPTIONS,
  MAX_PROMPT_LENGTH,
  QUESTION_KIND_LABELS,
  QUESTION_KINDS,
  type QuestionBody,
  type QuestionDraft,
  type QuestionKind,
  questionProblems,
} from '../questionDraft.js';

/** More question rows than this and the file is refused without reading the rest. */
export const MAX_QUESTION_ROWS = 20_000;

const QUESTION_SHEET = 'Câu hỏi';
const GUIDE_SHEET = 'Hướng dẫn';
const NOT_XLSX =
  'Tệp không phải là tệp Excel .xlsx hợp lệ; hãy lưu lại bằng Excel với kiểu "Sổ làm việc Excel (.xlsx)".';

/** The header of each single column. */
const H = {
  key: 'Mã',
  kind: 'Loại',
  situation: 'Tình huống',
  prompt: 'Câu hỏi',
  answer: 'Đáp án',
  tolerance: 'Sai số',
  explanation: 'Giải thích',
  difficulty: 'Độ khó',
  tags: 'Thẻ',
  frameworks: 'Khung năng lực',
} as const;

const LETTERS = Array.from({ length: MAX_OPTIONS }, (_, i) => String.fromCharCode(65 + i));
const OPTION_HEADERS = LETTERS.map((letter) => `Phương án ${letter}`);
const KIND_NAMES = QUESTION_KINDS.map((kind) => QUESTION_KIND_LABELS[kind]);
const DIFFICULTY_NAMES = DIFFICULTIES.map((difficulty) => DIFFICULTY_LABELS[difficulty]);

/** The columns in the order files are written, with their width and what the guide sheet says. */
const COLUMNS: { headers: string[]; width: number; guide: string }[] = [
  {
    headers: [H.key],
    width: 10,
    guide:
      'Không bắt buộc. Mã riêng của câu hỏi để tra cứu về sau, ví dụ "LD-01". Hai dòng không được trùng mã.',
  },
  {
    headers: [H.kind],
    width: 18,
    guide: `Chọn một trong: ${KIND_NAMES.join(', ')}. Để trống nghĩa là "${QUESTION_KIND_LABELS.single}".`,
  },
  {
    headers: [H.situation],
    width: 40,
    guide: 'Không bắt buộc. Một tình huống đời thường ngắn, hiện phía trên câu hỏi.',
  },
  {
    headers: [H.prompt],
    width: 50,
    guide: `Bắt buộc. Nội dung câu hỏi, tối đa ${MAX_PROMPT_LENGTH.toLocaleString('vi-VN')} ký tự.`,
  },
  {
    headers: OPTION_HEADERS,
    width: 28,
    guide: [
      `${QUESTION_KIND_LABELS.single}, ${QUESTION_KIND_LABELS.multiple}: mỗi ô một phương án, điền liền nhau từ A, ` +
        `từ 2 đến ${MAX_OPTIONS} phương án.`,
      `${QUESTION_KIND_LABELS.matching}: mỗi ô một cặp "vế trái => vế phải"; học viên thấy các vế phải bị xáo trộn.`,
      `${QUESTION_KIND_LABELS.ordering}: các mục theo ĐÚNG thứ tự; học viên thấy chúng bị xáo trộn.`,
      `${QUESTION_KIND_LABELS.trueFalse}, ${QUESTION_KIND_LABELS.numeric}: để trống.`,
    ].join(' '),
  },
  {
    headers: [H.answer],
    width: 12,
    guide:
      `${QUESTION_KIND_LABELS.single}: chữ cái của phương án đúng, ví dụ "B". ` +
      `${QUESTION_KIND_LABELS.multiple}: các chữ cái đúng, ví dụ "A, C". ` +
      `${QUESTION_KIND_LABELS.trueFalse}: "Đúng" hoặc "Sai". ` +
      `${QUESTION_KIND_LABELS.numeric}: đáp số, ví dụ 3,5 (không dùng dấu phân cách hàng nghìn). ` +
      `${QUESTION_KIND_LABELS.matching} và ${QUESTION_KIND_LABELS.ordering}: để trống, vì các phương án đã ghi theo đúng đáp án.`,
  },
  {
    headers: [H.tolerance],
    width: 8,
    guide:
      `Chỉ dùng cho câu "${QUESTION_KIND_LABELS.numeric}": câu trả lời lệch khỏi đáp số không quá mức này ` +
      'vẫn được tính đúng. Để trống nghĩa là phải đúng chính xác.',
  },
  {
    headers: [H.explanation],
    width: 45,
    guide: 'Không bắt buộc. Hiện cho học viên sau khi trả lời, giải thích vì sao đáp án đúng.',
  },
  { headers: [H.difficulty], width: 12, guide: `Không bắt buộc. ${DIFFICULTY_NAMES.join(', ')}.` },
  {
    headers: [H.tags],
    width: 20,
    guide: 'Không bắt buộc. Các thẻ để lọc câu hỏi, cách nhau bằng dấu phẩy, ví dụ "lừa đảo, OTP".',
  },
  {
    headers: [H.frameworks],
    width: 16,
    guide:
      'Không bắt buộc. Mã các thành phần năng lực số mà câu hỏi đánh giá, cách nhau bằng dấu phẩy, ví dụ "4.2, 2.3".',
  },
];
const HEADERS = COLUMNS.flatMap((column) => column.headers);
const HEADER_BY_NAME = new Map(HEADERS.map((header) => [foldForSearch(header), header]));

const GENERAL_GUIDE = [
  `Chỉ trang tính đầu tiên ("${QUESTION_SHEET}") được đọc; trang này chỉ để hướng dẫn.`,
  'Dòng 1 là dòng tiêu đề. Thứ tự các cột tùy ý; tên cột không phân biệt chữ hoa, chữ thường, có dấu hay không dấu. ' +
    `Bắt buộc có cột "${H.kind}" và "${H.prompt}"; cột có tên khác những cột dưới đây sẽ bị báo lỗi.`,
  'Mỗi dòng sau dòng tiêu đề là một câu hỏi; dòng trống được bỏ qua.',
  'Nếu có dòng sai, cả tệp không được nhập; mọi lỗi được liệt kê kèm số dòng để bạn sửa rồi tải lên lại.',
  `Mỗi tệp có tối đa ${MAX_QUESTION_ROWS.toLocaleString('vi-VN')} câu hỏi.`,
];

type Cell = ExcelJS.CellValue;

// ---------------------------------------------------------------------------------------------
// Reading

/** What exceljs's streaming reader knows but does not declare. */
interface WorkbookReaderState {
  model?: { sheets?: { name?: string }[] };
}
interface WorksheetReaderState {
  name?: string;
}

/** Reads the questions of an .xlsx file or stream; never rejects, a bad file gives problems. */
export function readQuestionsXlsx(input: string | NodeJS.ReadableStream): Promise<ImportResult> {
  return new Promise((resolve) => {
    const refuse = (message: string) => {
      bytes.destroy();
      resolve(fileProblem(message));
    };
    const bytes = new ZipInput(() => refuse(NOT_XLSX));
    const source = typeof input === 'string' ? createReadStream(input) : input;
    pipeline(source, bytes).catch(() => refuse('Không đọc được tệp tải lên.'));
    const reader = workbookReader(bytes);
    readFirstSheet(reader).then(
      (result) => {
        resolve(result);
        bytes.destroy();
      },
      () => refuse(NOT_XLSX),
    );
  });
}

async function readFirstSheet(reader: ExcelJS.stream.xlsx.WorkbookReader): Promise<ImportResult> {
  let result: ImportResult | null = null;
  for await (const worksheet of reader) {
    // Worksheets come in archive order; the workbook part, usually read before them, gives tab order.
    const first = (reader as unknown as WorkbookReaderState).model?.sheets?.[0]?.name;
    const name = (worksheet as unknown as WorksheetReaderState).name;
    if (result === null && (first === undefined || name === first)) {
      const sheet = new QuestionSheet();
      for await (const row of worksheet) {
        if (!sheet.read(row)) return sheet.result();
      }
      result = sheet.result();
    } else {
      // Read through, so that exceljs closes and deletes its temporary copy of the sheet.
      for await (const _row of worksheet) {
      }
    }
  }
  return result ?? fileProblem(NOT_XLSX);
}

function fileProblem(message: string): ImportResult {
  return { ok: false, problems: [{ line: 0, message }] };
}

/** The questions of one sheet, read a row at a time. */
class QuestionSheet {
  /** The known header of each column number, once the header row is read. */
  private headers: Map<number, string> | null = null;
  private headerOk = false;
  private rows = 0;
  private tooMany = false;
  private readonly problems: ImportProblem[] = [];
  private readonly questions: QuestionDraft[] = [];
  private readonly keyRows = new Map<string, number>();

  /** Takes the next row; false when the sheet has too many questions to read on. */
  read(row: ExcelJS.Row): boolean {
    const cells = new Map<number, Cell>();
    row.eachCell((cell, column) => {
      if (cellText(cell.value) !== '') cells.set(column, cell.value);
    });
    if (cells.size === 0) return true;
    if (this.headers === null) {
      this.headers = this.readHeader(row.number, cells);
      this.headerOk = this.problems.length === 0;
      return true;
    }
    // Rows under a wrong header cannot be read, and the header's problems say what to fix.
    if (!this.headerOk) return true;
    this.rows += 1;
    if (this.rows > MAX_QUESTION_ROWS) {
      this.tooMany = true;
      return false;
    }
    this.readQuestion(row.number, cells);
    return true;
  }

  result(): ImportResult {
    if (this.tooMany) {
      const limit = MAX_QUESTION_ROWS.toLocaleString('vi-VN');
      return fileProblem(
        `Tệp có hơn ${limit} câu hỏi; hãy chia thành nhiều tệp, mỗi tệp tối đa ${limit} câu.`,
      );
    }
    if (this.problems.length > 0) return { ok: false, problems: this.problems };
    if (this.questions.length === 0) {
      return fileProblem('Trang tính đầu tiên không có câu hỏi nào dưới dòng tiêu đề.');
    }
    return { ok: true, questions: this.questions };
  }

  private readHeader(rowNumber: number, cells: Map<number, Cell>): Map<number, string> {
    const headers = new Map<number, string>();
    const report = (message: string) => this.problems.push({ line: 1, message });
    if (rowNumber !== 1) {
      report(`Dòng 1 phải là dòng tiêu đề (${H.kind}, ${H.prompt}, …) nhưng đang để trống.`);
      return headers;
    }
    const unknown: string[] = [];
    for (const [column, value] of cells) {
      const text = cellText(value);
      const header = HEADER_BY_NAME.get(foldForSearch(text));
      if (header === undefined) unknown.push(quote(text));
      else if ([...headers.values()].includes(header)) report(`Cột "${header}" có hai lần ở dòng tiêu đề.`);
      else headers.set(column, header);
    }
    if (unknown.length > 0) {
      report(`Không nhận ra cột ${unknown.join(', ')}. Các cột hợp lệ: ${HEADERS.join(', ')}.`);
    }
    for (const required of [H.kind, H.prompt]) {
      if (![...headers.values()].includes(required)) report(`Thiếu cột bắt buộc "${required}".`);
    }
    return headers;
  }

  private readQuestion(line: number, cells: Map<number, Cell>): void {
    const values = new Map<string, Cell>();
    const unlabelled: string[] = [];
    for (const [column, value] of cells) {
      const header = this.headers?.get(column);
      if (header === undefined) unlabelled.push(`${columnLetters(column)}${line}`);
      else values.set(header, value);
    }
    const { fields, body, problems } = parseRow(values);
    if (unlabelled.length > 0) {
      problems.unshift(`Ô ${unlabelled.join(', ')} có dữ liệu nhưng cột không có tiêu đề ở dòng 1.`);
    }
    if (fields.key !== null) {
      const earlier = this.keyRows.get(fields.key);
      if (earlier === undefined) this.keyRows.set(fields.key, line);
      else problems.push(`Mã "${fields.key}" trùng với mã ở dòng ${earlier}.`);
    }
    // Without a body only the rest can be checked; a true/false body has no checks of its own.
    const draft: QuestionDraft = { ...fields, body: body ?? { kind: 'trueFalse', answer: true } };
    problems.push(...questionProblems(draft));
    for (const message of problems) this.problems.push({ line, message });
    // A file with a problem is refused, so its drafts need not be kept.
    if (this.problems.length === 0) this.questions.push(draft);
  }
}

interface ParsedRow {
  fields: Omit<QuestionDraft, 'body'>;
  /** Null when the row's answer columns cannot be read; its problems then say why. */
  body: QuestionBody | null;
  problems: string[];
}

function parseRow(values: Map<string, Cell>): ParsedRow {
  const text = (header: string) => cellText(values.get(header));
  const problems: string[] = [];
  const kind = parseKind(text(H.kind), problems);
  const fields = {
    key: text(H.key) || null,
    prompt: text(H.prompt),
    situation: text(H.situation) || null,
    explanation: text(H.explanation),
    difficulty: parseDifficulty(text(H.difficulty), problems),
    tags: splitList(text(H.tags)),
    frameworks: splitList(text(H.frameworks)),
  };
  const body =
    kind === null
      ? null
      : parseBody(kind, OPTION_HEADERS.map(text), values.get(H.answer), values.get(H.tolerance), problems);
  return { fields, body, problems };
}

const KIND_BY_NAME = new Map(
  QUESTION_KINDS.flatMap((kind): [string, QuestionKind][] => [
    [foldForSearch(QUESTION_KIND_LABELS[kind]), kind],
    [foldForSearch(kind), kind],
  ]),
);

function parseKind(text: string, problems: string[]): QuestionKind | null {
  if (text === '') return 'single';
  const kind = KIND_BY_NAME.get(foldForSearch(text));
  if (kind === undefined) {
    problems.push(`Loại ${quote(text)} không hợp lệ; chọn một trong: ${KIND_NAMES.join(', ')}.`);
  }
  return kind ?? null;
}

const DIFFICULTY_BY_NAME = new Map(
  DIFFICULTIES.flatMap((difficulty): [string, Difficulty][] => [
    [foldForSearch(DIFFICULTY_LABELS[difficulty]), difficulty],
    [difficulty, difficulty],
  ]),
);

function parseDifficulty(text: string, problems: string[]): Difficulty | null {
  if (text === '') return null;
  const difficulty = DIFFICULTY_BY_NAME.get(foldForSearch(text));
  if (difficulty === undefined) {
    problems.push(`Độ khó ${quote(text)} không hợp lệ; chọn ${DIFFICULTY_NAMES.join(', ')}.`);
  }
  return difficulty ?? null;
}

function parseBody(
  kind: QuestionKind,
  optionCells: string[],
  answer: Cell,
  tolerance: Cell,
  problems: string[],
): QuestionBody | null {
  const label = QUESTION_KIND_LABELS[kind];
  const answerText = cellText(answer);
  if (kind !== 'numeric' && cellText(tolerance) !== '') {
    problems.push(`Cột "${H.tolerance}" chỉ dùng cho câu "${QUESTION_KIND_LABELS.numeric}"; hãy để trống.`);
  }
  if (kind === 'trueFalse' || kind === 'numeric') {
    if (optionCells.some((cell) => cell !== '')) {
      problems.push(`Câu "${label}" không dùng các cột "Phương án"; hãy để trống.`);
    }
    return kind === 'trueFalse'
      ? trueFalseBody(answerText, problems)
      : numericBody(answer, tolerance, problems);
  }
  if ((kind === 'matching' || kind === 'ordering') && answerText !== '') {
    problems.push(
      `Câu "${label}" không dùng cột "${H.answer}" vì các phương án đã ghi theo đúng đáp án; hãy để trống.`,
    );
  }
  const options = filledOptions(optionCells, problems);
  if (options === null) return null;
  if (kind === 'ordering') return { kind, items: options };
  if (kind === 'matching') return matchingBody(options, problems);
  return choiceBody(kind, options, answerText, problems);
}

/** The options from A to the last filled one; null when one in between is blank. */
function filledOptions(cells: string[], problems: string[]): string[] | null {
  const count = cells.findLastIndex((cell) => cell !== '') + 1;
  const blanks = LETTERS.slice(0, count).filter((_, i) => cells[i] === '');
  if (blanks.length === 0) return cells.slice(0, count);
  problems.push(
    `Phương án ${blanks.join(', ')} để trống trong khi phương án sau có nội dung; hãy điền liền nhau từ A.`,
  );
  return null;
}

function choiceBody(
  kind: 'single' | 'multiple',
  options: string[],
  answer: string,
  problems: string[],
): QuestionBody | null {
  const example = kind === 'single' ? '"B"' : '"A, C"';
  const letters = answer.toUpperCase().replace(/[\s,;]+/g, '');
  if (answer === '') {
    problems.push(`Thiếu đáp án: ghi chữ cái của phương án đúng, ví dụ ${example}.`);
    return null;
  }
  if (!/^[A-Z]+$/.test(letters)) {
    problems.push(`Đáp án ${quote(answer)} phải là chữ cái của phương án, ví dụ ${example}.`);
    return null;
  }
  const correct = new Set([...letters].map((letter) => letter.charCodeAt(0) - 65));
  const missing = [...correct].filter((index) => index >= options.length);
  for (const index of missing) {
    problems.push(`Đáp án "${String.fromCharCode(65 + index)}" không có phương án tương ứng.`);
  }
  if (missing.length > 0) return null;
  return { kind, options: options.map((text, index) => ({ text, correct: correct.has(index) })) };
}

function matchingBody(cells: string[], problems: string[]): QuestionBody | null {
  const pairs = cells.map((cell) => cell.split('=>'));
  const malformed = pairs.flatMap((parts, index) => (parts.length === 2 ? [] : [LETTERS[index]]));
  if (malformed.length > 0) {
    problems.push(`Phương án ${malformed.join(', ')} của câu ghép nối phải có dạng "vế trái => vế phải".`);
    return null;
  }
  return {
    kind: 'matching',
    pairs: pairs.map(([left = '', right = '']) => ({ left: cleanText(left), right: cleanText(right) })),
  };
}

const TRUE_WORDS = new Set(['dung', 'd', 'true']);
const FALSE_WORDS = new Set(['sai', 's', 'false']);

function trueFalseBody(answer: string, problems: string[]): QuestionBody | null {
  const word = foldForSearch(answer);
  if (TRUE_WORDS.has(word) || FALSE_WORDS.has(word))
    return { kind: 'trueFalse', answer: TRUE_WORDS.has(word) };
  problems.push(
    answer === ''
      ? 'Thiếu đáp án: ghi "Đúng" hoặc "Sai".'
      : `Đáp án ${quote(answer)} phải là "Đúng" hoặc "Sai".`,
  );
  return null;
}

function numericBody(answerCell: Cell, toleranceCell: Cell, problems: string[]): QuestionBody | null {
  const answer = cellNumber(answerCell);
  const answerText = cellText(answerCell);
  if (answerText === '') problems.push(`Thiếu đáp số ở cột "${H.answer}".`);
  else if (answer === null) problems.push(`Đáp số ${quote(answerText)} ${NOT_A_NUMBER}`);
  const toleranceText = cellText(toleranceCell);
  const tolerance = toleranceText === '' ? 0 : cellNumber(toleranceCell);
  if (tolerance === null) problems.push(`Sai số ${quote(toleranceText)} ${NOT_A_NUMBER}`);
  if (answer === null || tolerance === null) return null;
  return { kind: 'numeric', answer, tolerance };
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map(cleanText)
    .filter((item) => item !== '');
}

/** What a cell shows: a formula gives its result, rich text and a link their text. */
function plainValue(value: unknown): string | number | boolean | Date | null {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value !== 'object' || value === null) return null;
  if ('richText' in value && Array.isArray(value.richText)) return value.richText.map(runText).join('');
  if ('result' in value) return plainValue(value.result);
  if ('text' in value) return plainValue(value.text);
  if ('error' in value) return plainValue(value.error);
  return null;
}

function runText(run: unknown): string {
  return typeof run === 'object' && run !== null && 'text' in run && typeof run.text === 'string'
    ? run.text
    : '';
}

/** A cell as stored text; '' for a blank cell. */
function cellText(value: Cell): string {
  const plain = plainValue(value);
  if (typeof plain === 'string') return cleanText(plain);
  if (typeof plain === 'number') return Number.isFinite(plain) ? String(plain) : '';
  if (typeof plain === 'boolean') return plain ? 'TRUE' : 'FALSE';
  if (plain === null || Number.isNaN(plain.getTime())) return '';
  return plain.toISOString().replace('T00:00:00.000Z', '');
}

const NOT_A_NUMBER =
  'không phải là một số hợp lệ; ghi số không có dấu phân cách hàng nghìn, ví dụ 1500 hoặc 3,5.';

/**
 * A number cell, or text such as "3,5" or "-2.25" (a comma or a point before the decimals). Text
 * like "1.000" is refused: in Vietnamese it is one thousand, elsewhere one.
 */
function cellNumber(value: Cell): number | null {
  const plain = plainValue(value);
  if (typeof plain === 'number') return Number.isFinite(plain) ? plain : null;
  if (typeof plain !== 'string') return null;
  const compact = plain.replace(/\s+/g, '').replace('−', '-');
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact) || /^[+-]?[1-9]\d{0,2}[.,]\d{3}$/.test(compact)) return null;
  const number = Number(compact.replace(',', '.'));
  return Number.isFinite(number) ? number : null;
}

/** A cell's text in quotes for a message, shortened when long. */
function quote(text: string): string {
  const chars = [...text];
  return `"${chars.length > 60 ? `${chars.slice(0, 60).join('')}…` : text}"`;
}

function columnLetters(column: number): string {
  let letters = '';
  for (let n = column; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

// ---------------------------------------------------------------------------------------------
// Writing

/** exceljs validates whole ranges of a streamed sheet but does not declare it. */
interface ValidatedSheet {
  dataValidations: { add(range: string, validation: ExcelJS.DataValidation): void };
}

/**
 * Writes questions in exactly the layout the importer reads, with the guide sheet, so an exported
 * bank can be edited and imported again. The output stream is ended when the file is complete.
 */
export async function writeQuestionsXlsx(
  questions: QuestionDraft[],
  output: string | NodeJS.WritableStream,
): Promise<void> {
  const bytes = new PassThrough();
  const written = writeWorkbook(questions, bytes).catch((error: unknown) => {
    bytes.destroy(error as Error);
    throw error;
  });
  await Promise.all([
    pipeline(bytes, typeof output === 'string' ? createWriteStream(output) : output),
    written,
  ]);
}

/** The downloadable template: the layout with one example question of each kind, and the guide. */
export const questionTemplateXlsx = (): Promise<Buffer> => questionsXlsx(TEMPLATE_QUESTIONS);

/** Questions as an .xlsx file in memory (a bank's export, the template, tests). */
export async function questionsXlsx(questions: QuestionDraft[]): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk);
      done();
    },
  });
  await writeQuestionsXlsx(questions, sink);
  return Buffer.concat(chunks);
}

async function writeWorkbook(questions: QuestionDraft[], stream: PassThrough): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: true,
  });
  const sheet = workbook.addWorksheet(QUESTION_SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = COLUMNS.flatMap(({ headers, width }) => headers.map(() => ({ width })));
  const listOf = (header: string, names: string[]) => {
    const column = columnLetters(HEADERS.indexOf(header) + 1);
    (sheet as unknown as ValidatedSheet).dataValidations.add(`${column}2:${column}${MAX_QUESTION_ROWS + 1}`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${names.join(',')}"`],
      showErrorMessage: true,
      errorStyle: 'warning',
      errorTitle: header,
      error: `Hãy chọn một giá trị trong danh sách: ${names.join(', ')}.`,
    });
  };
  listOf(H.kind, KIND_NAMES);
  listOf(H.difficulty, DIFFICULTY_NAMES);
  const header = sheet.addRow(HEADERS);
  header.font = { bold: true };
  header.commit();
  for (const question of questions) sheet.addRow(rowValues(question)).commit();
  sheet.commit();

  const guide = workbook.addWorksheet(GUIDE_SHEET);
  guide.columns = [{ width: 24 }, { width: 110 }];
  const addGuideRow = (values: string[], bold = false) => {
    const row = guide.addRow(values);
    row.alignment = { wrapText: true, vertical: 'top' };
    if (bold) row.font = { bold: true };
    row.commit();
  };
  addGuideRow(['Lưu ý chung'], true);
  for (const text of GENERAL_GUIDE) addGuideRow(['', text]);
  addGuideRow(['Cột', 'Cách điền'], true);
  for (const { headers, guide: text } of COLUMNS) addGuideRow([headers.join(', '), text]);
  guide.commit();
  await workbook.commit();
}

function rowValues(question: QuestionDraft): Cell[] {
  const values = new Map<string, Cell>([
    [H.key, question.key],
    [H.kind, QUESTION_KIND_LABELS[question.body.kind]],
    [H.situation, question.situation],
    [H.prompt, question.prompt],
    [H.explanation, question.explanation],
    [H.difficulty, question.difficulty && DIFFICULTY_LABELS[question.difficulty]],
    [H.tags, question.tags.join(', ')],
    [H.frameworks, question.frameworks.join(', ')],
  ]);
  const body = question.body;
  const options = (texts: string[]) => {
    for (const [index, header] of OPTION_HEADERS.entries()) values.set(header, texts[index]);
  };
  switch (body.kind) {
    case 'single':
    case 'multiple':
      options(body.options.map((option) => option.text));
      values.set(H.answer, LETTERS.filter((_, index) => body.options[index]?.correct).join(', '));
      break;
    case 'trueFalse':
      values.set(H.answer, body.answer ? 'Đúng' : 'Sai');
      break;
    case 'matching':
      options(body.pairs.map((pair) => `${pair.left} => ${pair.right}`));
      break;
    case 'ordering':
      options(body.items);
      break;
    case 'numeric':
      values.set(H.answer, body.answer);
      values.set(H.tolerance, body.tolerance);
      break;
  }
  return HEADERS.map((header) => {
    const value = values.get(header);
    return value === undefined || value === '' ? null : value;
  });
}

const TEMPLATE_QUESTIONS: QuestionDraft[] = [
  {
    key: 'VD-01',
    situation:
      'Một người gọi điện xưng là cán bộ công an, nói bạn liên quan đến một vụ án và yêu cầu chuyển tiền vào "tài khoản tạm giữ".',
    prompt: 'Bạn nên làm gì?',
    body: {
      kind: 'single',
      options: [
        { text: 'Chuyển tiền ngay để không bị liên lụy', correct: false },
        { text: 'Cúp máy, tự gọi số công an địa phương để hỏi', correct: true },
        { text: 'Đọc số tài khoản của mình để họ kiểm tra', correct: false },
        { text: 'Hẹn gặp riêng để đưa tiền mặt cho họ', correct: false },
      ],
    },
    explanation:
      'Công an không làm việc qua điện thoại và không bao giờ yêu cầu chuyển tiền vào "tài khoản tạm giữ". Hãy cúp máy và tự gọi số chính thức để xác minh.',
    difficulty: 'easy',
    tags: ['lừa đảo', 'cuộc gọi'],
    frameworks: ['4.2'],
  },
  {
    key: 'VD-02',
    situation: null,
    prompt: 'Những dấu hiệu nào cho thấy một tin nhắn có thể là lừa đảo?',
    body: {
      kind: 'multiple',
      options: [
        { text: 'Thúc giục làm ngay kẻo tài khoản bị khóa', correct: true },
        { text: 'Gửi đường dẫn lạ, đề nghị đăng nhập ngân hàng', correct: true },
        { text: 'Nhắc lịch khám bệnh mà bạn đã tự đặt trước', correct: false },
        { text: 'Xin mã OTP để "xác nhận nhận quà tặng"', correct: true },
      ],
    },
    explanation:
      'Kẻ gian thường tạo áp lực thời gian, gửi đường dẫn giả mạo và xin mã OTP. Ngân hàng không bao giờ hỏi mã OTP của bạn.',
    difficulty: 'medium',
    tags: ['lừa đảo', 'tin nhắn', 'OTP'],
    frameworks: ['4.2'],
  },
  {
    key: 'VD-03',
    situation: null,
    prompt: 'Nhân viên ngân hàng có thể hỏi mã OTP qua điện thoại để giúp bạn khóa tài khoản.',
    body: { kind: 'trueFalse', answer: false },
    explanation: 'Sai. Mã OTP chỉ dành cho chính bạn; ai hỏi mã OTP, dù xưng là ai, đều là kẻ gian.',
    difficulty: 'easy',
    tags: ['OTP'],
    frameworks: ['4.2'],
  },
  {
    key: 'VD-04',
    situation: null,
    prompt: 'Ghép mỗi việc cần làm với nơi thực hiện phù hợp.',
    body: {
      kind: 'matching',
      pairs: [
        { left: 'Xuất trình căn cước điện tử', right: 'Ứng dụng VNeID' },
        { left: 'Nộp hồ sơ thủ tục hành chính trực tuyến', right: 'Cổng Dịch vụ công quốc gia' },
        { left: 'Phản ánh tin nhắn rác, lừa đảo', right: 'Tổng đài 5656' },
      ],
    },
    explanation:
      'VNeID là ứng dụng định danh điện tử của Bộ Công an; thủ tục hành chính nộp trên Cổng Dịch vụ công quốc gia; tin nhắn rác được phản ánh qua tổng đài 5656.',
    difficulty: 'medium',
    tags: ['VNeID', 'dịch vụ công'],
    frameworks: ['2.3'],
  },
  {
    key: 'VD-05',
    situation: null,
    prompt: 'Sắp xếp các bước đăng nhập Cổng Dịch vụ công quốc gia bằng tài khoản VNeID theo đúng thứ tự.',
    body: {
      kind: 'ordering',
      items: [
        'Mở trang dichvucong.gov.vn và chọn "Đăng nhập"',
        'Chọn đăng nhập bằng tài khoản định danh điện tử VNeID',
        'Nhập số định danh cá nhân và mật khẩu',
        'Xác nhận đăng nhập trên ứng dụng VNeID hoặc bằng mã OTP',
      ],
    },
    explanation: 'Luôn tự gõ địa chỉ dichvucong.gov.vn thay vì bấm vào đường dẫn do người lạ gửi.',
    difficulty: 'hard',
    tags: ['VNeID', 'dịch vụ công'],
    frameworks: ['2.3'],
  },
  {
    key: 'VD-06',
    situation: 'Gói cước 4G giá 70.000 đồng mỗi tháng, có 15 GB dữ liệu.',
    prompt: 'Trung bình mỗi GB giá bao nhiêu nghìn đồng?',
    body: { kind: 'numeric', answer: 4.67, tolerance: 0.01 },
    explanation: '70 nghìn đồng chia cho 15 GB được khoảng 4,67 nghìn đồng mỗi GB.',
    difficulty: 'medium',
    tags: ['gói cước'],
    frameworks: ['5.2'],
  },
];
