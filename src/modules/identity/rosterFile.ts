/**
 * Roster files (HR lists of officials) as UTF-8 CSV or .xlsx, read a row at a time: the layout is
 * in docs/import-people.md. Each row is checked on its own here; checks across rows and against
 * the database are the importer's.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { CsvError, parse } from 'csv-parse';
import { NotXlsxError, type PlainCell, xlsxRows } from '../../files/xlsxRows.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import { normalizeEmail } from './accountInput.js';
import { BLOCK_CODES, BLOCKS, type Block } from './blocks.js';
import { normalizePhone } from './phone.js';
import { type NationalIdKey, nationalIdKey, normalizeNationalId } from './rosterNationalId.js';

/** More rows than this and the file is refused: the duplicate checks keep a little of every row. */
export const MAX_ROSTER_ROWS = 200_000;
export const MAX_ROSTER_BYTES = 50 * 1024 * 1024;

/** The columns, by their header as the template writes it. */
export const ROSTER_HEADERS = {
  fullName: 'Họ và tên',
  phone: 'Số điện thoại',
  email: 'Email',
  nationalId: 'Số CCCD',
  block: 'Khối',
  position: 'Chức vụ',
  unitCode: 'Mã đơn vị',
} as const;
export type RosterColumn = keyof typeof ROSTER_HEADERS;
const COLUMN_BY_HEADER = new Map(
  Object.entries(ROSTER_HEADERS).map(([column, header]) => [foldForSearch(header), column as RosterColumn]),
);

/** One person of a roster, checked and normalised; the CCCD is already reduced to its key. */
export interface RosterRow {
  number: number;
  fullName: string;
  phone: string | null;
  email: string | null;
  nationalId: NationalIdKey | null;
  /** Null when the cell is blank: new people are officials, matched people keep their block. */
  block: Block | null;
  position: string | null;
  unitCode: string;
}

/** A checked record: the row when it has no problem of its own; its unit code, to check either way. */
export interface CheckedRow {
  number: number;
  row: RosterRow | null;
  unitCode: string;
  problems: string[];
}

/** A problem with the whole file (format, encoding, header, size): no row can be trusted. */
export class RosterFileError extends Error {}

/** A raw record of the file: its row number as a spreadsheet shows it, and its cells. */
export interface RosterRecord {
  number: number;
  cells: PlainCell[];
}

const NOT_A_ROSTER =
  'Không đọc được tệp. Hãy dùng tệp Excel (.xlsx) hoặc tệp CSV mã hóa UTF-8 có dòng tiêu đề.';
const OLD_EXCEL =
  'Tệp Excel dạng cũ (.xls) chưa được hỗ trợ; hãy mở bằng Excel và lưu lại dưới dạng "Sổ làm việc Excel (.xlsx)".';
const NOT_UTF8 =
  'Tệp CSV không phải văn bản UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Khi lưu bằng Excel, hãy chọn kiểu ' +
  '"CSV UTF-8 (Comma delimited)", hoặc lưu dưới dạng .xlsx.';

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');
const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');

/** The records of a roster file, header first; throws RosterFileError for an unreadable file. */
export async function* rosterRecords(file: string): AsyncGenerator<RosterRecord> {
  const head = await firstBytes(file, 64 * 1024);
  if (head.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) {
    try {
      yield* xlsxRows(file);
    } catch (error) {
      if (error instanceof NotXlsxError) throw new RosterFileError(NOT_A_ROSTER);
      throw error;
    }
    return;
  }
  if (head.subarray(0, OLE_MAGIC.length).equals(OLE_MAGIC)) throw new RosterFileError(OLD_EXCEL);
  yield* csvRecords(file, head);
}

async function firstBytes(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, 'r');
  try {
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function* csvRecords(file: string, head: Buffer): AsyncGenerator<RosterRecord> {
  // Excel writes ";" where the decimal mark is a comma, as in Vietnamese settings: the header says which.
  const header = head.toString('utf8').split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    header.split(d).length > header.split(best).length ? d : best,
  );
  const parser = createReadStream(file).pipe(
    parse({ bom: true, delimiter, info: true, skip_empty_lines: true, relax_column_count: true }),
  );
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: string[];
      info: { lines: number };
    }>) {
      if (record.some((cell) => cell.includes('\uFFFD'))) throw new RosterFileError(NOT_UTF8);
      if (record.some((cell) => cell.trim() !== '')) yield { number: info.lines, cells: record };
    }
  } catch (error) {
    if (error instanceof CsvError) {
      throw new RosterFileError(
        `Tệp CSV bị lỗi ở dòng ${error.lines}: kiểm tra dấu ngoặc kép trong dòng đó.`,
      );
    }
    throw error;
  } finally {
    parser.destroy();
  }
}

/** Which cell holds which column; throws RosterFileError when the header cannot be used. */
export function readHeader(record: RosterRecord): Map<RosterColumn, number> {
  const columns = new Map<RosterColumn, number>();
  const problems: string[] = [];
  for (const [index, cell] of record.cells.entries()) {
    // Other columns of an HR file (date of birth, gender…) are not read: they are not needed.
    const column = COLUMN_BY_HEADER.get(foldForSearch(text(cell)));
    if (column === undefined) continue;
    if (columns.has(column)) problems.push(`Cột "${ROSTER_HEADERS[column]}" có hai lần ở dòng tiêu đề.`);
    columns.set(column, index);
  }
  for (const column of ['fullName', 'unitCode'] as const) {
    if (!columns.has(column)) problems.push(`Thiếu cột bắt buộc "${ROSTER_HEADERS[column]}".`);
  }
  if (!columns.has('phone') && !columns.has('email')) {
    problems.push(`Cần ít nhất một trong hai cột "${ROSTER_HEADERS.phone}", "${ROSTER_HEADERS.email}".`);
  }
  if (problems.length > 0) {
    const expected = Object.values(ROSTER_HEADERS).join(', ');
    throw new RosterFileError(
      `Dòng tiêu đề (dòng ${record.number}) chưa đúng: ${problems.join(' ')} Các cột: ${expected}.`,
    );
  }
  return columns;
}

const BLOCK_BY_NAME = new Map(
  BLOCK_CODES.flatMap((code): [string, Block][] => [
    [foldForSearch(BLOCKS[code]), code],
    [foldForSearch(code), code],
  ]),
);

/** Checks one record; every problem is a Vietnamese sentence about that row. */
export function checkRecord(
  columns: Map<RosterColumn, number>,
  record: RosterRecord,
  secret: string,
): CheckedRow {
  const cell = (column: RosterColumn) => {
    const index = columns.get(column);
    return index === undefined ? null : (record.cells[index] ?? null);
  };
  const problems: string[] = [];

  const fullName = cleanText(text(cell('fullName')));
  if (fullName === '') problems.push('Thiếu họ và tên.');
  else if (fullName.length > 100) problems.push('Họ và tên dài quá 100 ký tự.');

  const phoneText = digitsRestored(cell('phone'), 9, /^[35789]/);
  const phone = phoneText === '' ? null : normalizePhone(phoneText);
  if (phoneText !== '' && phone === null) {
    problems.push(`Số điện thoại ${quote(phoneText)} không phải số di động Việt Nam hợp lệ.`);
  }
  const emailText = cleanText(text(cell('email')));
  const email = emailText === '' ? null : normalizeEmail(emailText);
  if (emailText !== '' && email === null) problems.push(`Email ${quote(emailText)} không hợp lệ.`);
  if (phoneText === '' && emailText === '')
    problems.push('Thiếu số điện thoại hoặc email (cần ít nhất một).');

  const idText = digitsRestored(cell('nationalId'), 11, /^[1-9]/);
  const digits = idText === '' ? null : normalizeNationalId(idText);
  // The number itself goes no further than this line: only its key is kept.
  const nationalId = digits === null ? null : nationalIdKey(secret, digits);
  if (idText !== '' && digits === null) {
    problems.push(
      'Số CCCD phải gồm đúng 12 chữ số (nếu Excel bỏ mất số 0 đầu, hãy định dạng cột là Văn bản).',
    );
  }

  const blockText = cleanText(text(cell('block')));
  const block = blockText === '' ? null : (BLOCK_BY_NAME.get(foldForSearch(blockText)) ?? null);
  if (blockText !== '' && block === null) {
    problems.push(
      `Khối ${quote(blockText)} không hợp lệ; chọn một trong: ${Object.values(BLOCKS).join('; ')}.`,
    );
  }

  const position = cleanText(text(cell('position'))) || null;
  if (position && position.length > 200) problems.push('Chức vụ dài quá 200 ký tự.');

  const unitCode = cleanText(text(cell('unitCode')));
  if (unitCode === '') problems.push('Thiếu mã đơn vị.');

  const row = { number: record.number, fullName, phone, email, nationalId, block, position, unitCode };
  return { number: record.number, row: problems.length > 0 ? null : row, unitCode, problems };
}

/** A cell as text; '' when blank. */
export function text(cell: PlainCell | undefined): string {
  if (cell === null || cell === undefined) return '';
  return typeof cell === 'number' ? String(cell) : cell;
}

/**
 * Spreadsheets drop the leading 0 of a number typed into a number cell. A phone number of 9
 * digits starting 3, 5, 7, 8 or 9 and a CCCD of 11 digits not starting with 0 can only have lost
 * it (every CCCD starts with 0: province codes run from 001 to 096), so it is put back.
 */
function digitsRestored(cell: PlainCell, shortLength: number, lostZero: RegExp): string {
  const written = cleanText(text(cell));
  const digits = written.replace(/[\s.-]/g, '');
  return digits.length === shortLength && /^\d+$/.test(digits) && lostZero.test(digits)
    ? `0${digits}`
    : written;
}

/** A cell's text in quotes for a message, shortened when long. */
export function quote(value: string): string {
  const chars = [...value];
  return `"${chars.length > 40 ? `${chars.slice(0, 40).join('')}…` : value}"`;
}
