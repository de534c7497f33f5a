import { cleanText } from '../../text/vietnamese.js';
import { type LineError, readCsvRecords } from './unitFile.js';

/** One row of a reorganisation mapping: the unit with `oldCode` goes into the unit with `newCode`. */
export interface MergeLine {
  line: number;
  oldCode: string;
  newCode: string;
}

/** A unit a mapping may create, from an official list (e.g. resources/vn-admin/communes-2025.csv). */
export interface CatalogUnit {
  code: string;
  name: string;
  typeLabel: string;
}

const CODE = /^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$/;
/** `old_code,new_code`, or the statistics office's `old_commune_code,new_commune_code`. */
const MAPPING_LAYOUTS = [
  ['old_code', 'new_code'],
  ['old_commune_code', 'new_commune_code'],
] as const;

/** Reads a mapping file; every problem comes with its line, and nothing throws on bad input. */
export function readMergeFile(content: string): { lines: MergeLine[]; errors: LineError[] } {
  const { columns, records, errors } = readCsvRecords(content);
  if (errors.length > 0 && columns.length === 0) return { lines: [], errors };
  const layout = MAPPING_LAYOUTS.find((l) => l.every((c) => columns.includes(c)));
  if (!layout) {
    const expected = MAPPING_LAYOUTS.map((l) => l.join(',')).join(' hoặc ');
    return { lines: [], errors: [{ line: 1, message: `Tiêu đề cột không đúng: cần ${expected}.` }] };
  }
  if (records.length === 0 && errors.length === 0) {
    return { lines: [], errors: [{ line: 1, message: 'Tệp không có dòng dữ liệu nào.' }] };
  }
  const problems = [...errors];
  const lines: MergeLine[] = [];
  const seen = new Map<string, MergeLine>();
  for (const { line, record } of records) {
    const oldCode = cleanText(record[layout[0]] ?? '');
    const newCode = cleanText(record[layout[1]] ?? '');
    const bad = [oldCode, newCode].find((code) => !CODE.test(code));
    if (bad !== undefined) {
      problems.push({ line, message: bad ? `Mã đơn vị "${bad}" không hợp lệ.` : 'Thiếu mã đơn vị.' });
      continue;
    }
    const earlier = seen.get(oldCode);
    if (earlier) {
      if (earlier.newCode !== newCode) {
        problems.push({
          line,
          message: `Mã ${oldCode} đã được ghép vào ${earlier.newCode} ở dòng ${earlier.line}: một đơn vị chỉ vào một đơn vị mới.`,
        });
      }
      continue;
    }
    const entry = { line, oldCode, newCode };
    seen.set(oldCode, entry);
    lines.push(entry);
  }
  return { lines, errors: problems };
}

/** Reads an official unit list `code,name,type[,…]` (other columns are ignored). */
export function readUnitCatalog(content: string): { units: Map<string, CatalogUnit>; errors: LineError[] } {
  const { columns, records, errors } = readCsvRecords(content);
  if (!['code', 'name', 'type'].every((c) => columns.includes(c))) {
    return {
      units: new Map(),
      errors: [...errors, { line: 1, message: 'Danh mục đơn vị cần các cột code,name,type.' }],
    };
  }
  const units = new Map<string, CatalogUnit>();
  for (const { record } of records) {
    const unit = {
      code: cleanText(record.code ?? ''),
      name: cleanText(record.name ?? ''),
      typeLabel: cleanText(record.type ?? ''),
    };
    if (unit.code && unit.name && unit.typeLabel) units.set(unit.code, unit);
  }
  return { units, errors };
}
