/**
 * A table written for people who open it in Excel: a streamed .xlsx (title, filter and
 * generation lines above a frozen header with an auto-filter; days as date cells) or CSV
 * (UTF-8 with BOM, days as ISO text). Rows arrive one at a time, so memory stays bounded
 * whatever the row count.
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { CSV_BOM, csvLine } from '../modules/audit/csv.js';

export type Cell = string | number | null;

export interface TableColumn {
  header: string;
  /** Width in characters, for the sheet. */
  width: number;
  /** A calendar day `YYYY-MM-DD`: a date cell in the sheet, the ISO text in CSV. */
  day?: boolean;
}

export interface TableSheet {
  sheetName: string;
  /** Lines above the header: the title first, then the filter and the generation time. */
  lines: string[];
  columns: readonly TableColumn[];
  rows: AsyncIterable<Cell[]> | Iterable<Cell[]>;
}

/** A calendar day as an Excel date (midnight UTC, so no time zone moves it). */
const excelDay = (day: string) => new Date(`${day}T00:00:00Z`);

/** The row number of the header in a sheet with these lines above it. */
const headerRowOf = (sheet: Pick<TableSheet, 'lines'>) => sheet.lines.length + 1;

export async function writeTableXlsx(table: TableSheet, stream: Writable): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  workbook.creator = 'hocvuso';
  const headerRow = headerRowOf(table);
  const lastColumn = String.fromCharCode(64 + table.columns.length);
  const sheet = workbook.addWorksheet(table.sheetName, { views: [{ state: 'frozen', ySplit: headerRow }] });
  sheet.autoFilter = `A${headerRow}:${lastColumn}${headerRow}`;
  sheet.columns = table.columns.map((c) => ({
    width: c.width,
    ...(c.day ? { style: { numFmt: 'dd/mm/yyyy' } } : {}),
  }));
  for (const [i, line] of table.lines.entries()) {
    const row = sheet.addRow([line]);
    if (i === 0) row.font = { bold: true, size: 14 };
    row.commit();
  }
  const header = sheet.addRow(table.columns.map((c) => c.header));
  header.font = { bold: true };
  header.commit();
  for await (const cells of table.rows) {
    sheet
      .addRow(
        cells.map((value, i) =>
          table.columns[i]?.day && typeof value === 'string' ? excelDay(value) : value,
        ),
      )
      .commit();
  }
  sheet.commit();
  await workbook.commit();
}

/** The CSV file, a line at a time: BOM and header, then one line per row. */
export async function* tableCsv(table: Pick<TableSheet, 'columns' | 'rows'>): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(table.columns.map((c) => c.header));
  for await (const cells of table.rows) yield csvLine(cells.map((v) => (v === null ? '' : String(v))));
}
