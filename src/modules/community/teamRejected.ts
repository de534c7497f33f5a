/**
 * The rejected rows of a refused team file as an .xlsx: the rows as they were, with a "Lỗi"
 * column saying what to fix, so the importer corrects them in their own sheet.
 */
import { createWriteStream } from 'node:fs';
import { PassThrough } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { type Cell, type TableSheet, writeTableXlsx } from '../../files/tableExport.js';
import { rosterRecords, text } from '../identity/rosterFile.js';
import type { RowProblems } from '../identity/rosterImport.js';
import { ERROR_HEADER } from '../identity/rosterRejected.js';

/** Writes the rows of `file` that have problems, under the file's own header, to `output`. */
export async function writeRejectedTeams(
  file: string,
  problems: RowProblems[],
  output: string,
): Promise<boolean> {
  const messages = new Map(problems.filter((p) => p.row > 0).map((p) => [p.row, p.messages.join(' ')]));
  if (messages.size === 0) return false;
  const records = rosterRecords(file);
  const first = await records.next();
  if (first.done) return false;
  const header = first.value.cells.map(text);
  async function* rejected(): AsyncGenerator<Cell[]> {
    for await (const record of records) {
      const message = messages.get(record.number);
      if (message === undefined) continue;
      yield [...header.map((_, i) => record.cells[i] ?? null), message];
    }
  }
  const sheet: TableSheet = {
    sheetName: 'Dòng bị từ chối',
    lines: [],
    columns: [...header.map((h) => ({ header: h, width: 24 })), { header: ERROR_HEADER, width: 80 }],
    rows: rejected(),
  };
  const bytes = new PassThrough();
  const written = writeTableXlsx(sheet, bytes).catch((error: unknown) => {
    bytes.destroy(error as Error);
    throw error;
  });
  await Promise.all([pipeline(bytes, createWriteStream(output)), written]);
  return true;
}
