import { CsvError, parse } from 'csv-parse/sync';
import { cleanText } from '../../text/vietnamese.js';

/** One unit as a file describes it, with the line it came from. */
export interface UnitLine {
  line: number;
  code: string;
  name: string;
  typeLabel: string;
  /** Empty: directly below the tenant's root unit. */
  parentCode: string;
  /** Empty: inferred from the type label and the parent. */
  kind: string;
}

export interface LineError {
  line: number;
  message: string;
}

/** `code,name,type,parent_code[,kind]`: any tree, one unit per row. */
const GENERIC = ['code', 'name', 'type', 'parent_code'];
/** The statistics office's district + commune list (resources/vn-admin/quang-nam-2024.csv). */
const DISTRICT_COMMUNE = [
  'district_code',
  'district_name',
  'district_type',
  'commune_code',
  'commune_name',
  'commune_type',
];

export const UNIT_FILE_LAYOUTS = [`${GENERIC.join(',')}[,kind]`, DISTRICT_COMMUNE.join(',')];

export type CsvRecord = { [column: string]: string };

interface ReadResult {
  columns: string[];
  records: { line: number; record: CsvRecord }[];
  errors: LineError[];
}

/** Parses CSV into records keyed by lower-case header; rows with the wrong number of cells are errors. */
export function readCsvRecords(content: string): ReadResult {
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(content, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      trim: true,
      relax_column_count: true,
    }) as unknown as typeof rows;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = (error as CsvError & { lines?: number }).lines ?? 0;
    return {
      columns: [],
      records: [],
      errors: [{ line, message: `Tệp CSV bị lỗi định dạng: ${error.message}` }],
    };
  }
  const [header, ...body] = rows;
  const columns = (header?.record ?? []).map((h) => h.trim().toLowerCase());
  const result: ReadResult = { columns, records: [], errors: [] };
  for (const { record, info } of body) {
    if (record.length !== columns.length) {
      result.errors.push({
        line: info.lines,
        message: `Dòng có ${record.length} cột, cần ${columns.length} cột.`,
      });
      continue;
    }
    result.records.push({
      line: info.lines,
      record: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
    });
  }
  return result;
}

const hasColumns = (columns: string[], wanted: string[]) => wanted.every((c) => columns.includes(c));

/**
 * Reads a unit list in one of the supported layouts (see UNIT_FILE_LAYOUTS). Returns the units
 * in file order and every problem found with its line number; it never throws on bad input.
 */
export function readUnitFile(content: string): { units: UnitLine[]; errors: LineError[] } {
  const { columns, records, errors: shapeErrors } = readCsvRecords(content);
  if (shapeErrors.length === 0 && records.length === 0 && columns.length > 0) {
    return { units: [], errors: [{ line: 1, message: 'Tệp không có dòng dữ liệu nào.' }] };
  }
  const text = (r: CsvRecord, column: string) => cleanText(r[column] ?? '');

  if (hasColumns(columns, GENERIC)) {
    const units = records.map(({ line, record }) => ({
      line,
      code: text(record, 'code'),
      name: text(record, 'name'),
      typeLabel: text(record, 'type'),
      parentCode: text(record, 'parent_code'),
      kind: text(record, 'kind'),
    }));
    return { units, errors: shapeErrors };
  }

  if (hasColumns(columns, DISTRICT_COMMUNE)) {
    const units: UnitLine[] = [];
    const errors: LineError[] = [...shapeErrors];
    const districts = new Map<string, UnitLine>();
    for (const { line, record } of records) {
      const district: UnitLine = {
        line,
        code: text(record, 'district_code'),
        name: text(record, 'district_name'),
        typeLabel: text(record, 'district_type'),
        parentCode: '',
        kind: 'district',
      };
      const seen = districts.get(district.code);
      if (!seen) {
        districts.set(district.code, district);
        units.push(district);
      } else if (seen.name !== district.name || seen.typeLabel !== district.typeLabel) {
        errors.push({
          line,
          message: `Đơn vị cấp huyện mã ${district.code} có tên khác với dòng ${seen.line} ("${seen.typeLabel} ${seen.name}").`,
        });
      }
      units.push({
        line,
        code: text(record, 'commune_code'),
        name: text(record, 'commune_name'),
        typeLabel: text(record, 'commune_type'),
        parentCode: district.code,
        kind: 'commune',
      });
    }
    return { units, errors };
  }

  if (shapeErrors.length > 0 && columns.length === 0) return { units: [], errors: shapeErrors };
  return {
    units: [],
    errors: [
      {
        line: 1,
        message: `Tiêu đề cột không đúng. Các dạng được hỗ trợ: ${UNIT_FILE_LAYOUTS.join(' hoặc ')}.`,
      },
    ],
  };
}
