/**
 * The rejected rows of a refused roster as an .xlsx: the rows as they were (the CCCD masked, so
 * the file holds no ID number), with a "Lỗi" column saying what to fix. Written while the roster
 * is read again, a row at a time, so a large file is never held in memory.
 */
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import type { PlainCell } from '../../files/xlsxRows.js';
import { readHeader, rosterRecords, text } from './rosterFile.js';
import type { RowProblems } from './rosterImport.js';
import { maskNationalId } from './rosterNationalId.js';

export const ERROR_HEADER = 'Lỗi';

/** Writes the rows of `file` that have problems to `output`; false when no row has one. */
export async function writeRejectedRows(
  file: string,
  problems: RowProblems[],
  output: string,
): Promise<boolean> {
  const messages = new Map(problems.filter((p) => p.row > 0).map((p) => [p.row, p.messages.join(' ')]));
  if (messages.size === 0) return false;
  const bytes = new PassThrough();
  const written = writeWorkbook(file, messages, bytes).catch((error: unknown) => {
    bytes.destroy(error as Error);
    throw error;
  });
  await Promise.all([pipeline(bytes, createWriteStream(output)), written]);
  return true;
}

async function writeWorkbook(
  file: string,
  messages: Map<number, string>,
  stream: PassThrough,
): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet('Dòng bị từ chối', { views: [{ state: 'frozen', ySplit: 1 }] });
  let width = 0;
  let idColumn: number | undefined;
  for await (const record of rosterRecords(file)) {
    if (width === 0) {
      idColumn = readHeader(record).get('nationalId');
      width = record.cells.length;
      const header = sheet.addRow([...record.cells.map(text), ERROR_HEADER]);
      header.font = { bold: true };
      header.commit();
      continue;
    }
    const message = messages.get(record.number);
    if (message === undefined) continue;
    const cells: PlainCell[] = Array.from({ length: width }, (_, i) => record.cells[i] ?? null);
    if (idColumn !== undefined && cells[idColumn] !== null) {
      const digits = text(cells[idColumn]).replace(/\D/g, '');
      cells[idColumn] = maskNationalId(digits.slice(-4) || null);
    }
    sheet.addRow([...cells, message]).commit();
  }
  sheet.commit();
  await workbook.commit();
}
