/**
 * The rows of the first worksheet of an .xlsx file, one at a time, through exceljs's streaming
 * reader: a large file is never held in memory as a workbook.
 */
import { createReadStream } from 'node:fs';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import ExcelJS from 'exceljs';

/** A cell as its plain value: text, a number, or null when blank. */
export type PlainCell = string | number | null;

export interface XlsxRow {
  /** Excel's own row number (1 is the first row). */
  number: number;
  /** Cells from column A on; index 0 is column A. */
  cells: PlainCell[];
}

/** The file is not a readable .xlsx archive (a corrupt, truncated or other kind of file). */
export class NotXlsxError extends Error {}

/** What exceljs's streaming reader knows but does not declare. */
interface WorkbookReaderState {
  model?: { sheets?: { name?: string }[] };
}
interface WorksheetReaderState {
  name?: string;
}

/**
 * The bytes handed to exceljs, which pipes them into its unzipper; two of the unzipper's habits
 * are handled here, on the unzipper itself. Every .xlsx reader of the project goes through it.
 */
export class ZipInput extends PassThrough {
  constructor(private readonly onZipError: () => void) {
    super();
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    // A corrupt or truncated archive is reported only as an 'error' event, while exceljs keeps
    // waiting for the rest of the entry.
    destination.on('error', this.onZipError);
    // The unzipper emits 'end' as soon as all bytes are written, while entries may still wait in
    // its buffer; exceljs stops at that 'end' and loses them (exceljs issues #683, #3064).
    const unzip = destination as unknown as Readable;
    const emit = unzip.emit.bind(unzip);
    unzip.emit = (event: string | symbol, ...args: unknown[]) =>
      event === 'end' && !unzip.readableEnded ? false : emit(event, ...args);
    return super.pipe(destination, options);
  }
}

/** The two parts of a workbook that hold text, as exceljs 4.4 reads them (not declared). */
interface ReaderInternals {
  _parseWorksheet(chunks: AsyncIterable<Buffer | string>, sheetNo: string): unknown;
  _parseSharedStrings(entry: Readable): unknown;
}

/**
 * exceljs decodes every chunk of a part on its own, so a character cut by a chunk boundary is
 * lost (every Vietnamese letter with a diacritic takes 2 or 3 bytes): it is given the parts as
 * text decoded across chunk boundaries instead.
 */
/** exceljs's streaming reader over these bytes, set up as every importer needs it. */
export function workbookReader(bytes: ZipInput): ExcelJS.stream.xlsx.WorkbookReader {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(bytes, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
  });
  decodeAcrossChunks(reader);
  return reader;
}

function decodeAcrossChunks(reader: ExcelJS.stream.xlsx.WorkbookReader): void {
  const internals = reader as unknown as ReaderInternals;
  const parseWorksheet = internals._parseWorksheet.bind(reader);
  internals._parseWorksheet = (chunks, sheetNo) => parseWorksheet(utf8Text(chunks), sheetNo);
  const parseSharedStrings = internals._parseSharedStrings.bind(reader);
  internals._parseSharedStrings = (entry) =>
    parseSharedStrings(entry.pipe(new PassThrough()).setEncoding('utf8'));
}

async function* utf8Text(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const chunk of chunks) yield typeof chunk === 'string' ? chunk : decoder.write(chunk);
  yield decoder.end();
}

/** Yields the non-blank rows of the first sheet (in tab order); throws NotXlsxError for a bad file. */
export async function* xlsxRows(file: string): AsyncGenerator<XlsxRow> {
  // exceljs waits forever on a broken archive: every step also ends when the archive fails. One
  // slot, not a race with a shared promise, which would keep every row it ever raced against.
  let failure: Error | null = null;
  let onFailure: ((error: Error) => void) | null = null;
  const fail = (error: Error) => {
    failure ??= error;
    onFailure?.(error);
  };
  const step = <T>(next: Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(failure);
      onFailure = reject;
      next.then(resolve, reject).finally(() => {
        onFailure = null;
      });
    });
  const bytes = new ZipInput(() => fail(new NotXlsxError()));
  pipeline(createReadStream(file), bytes).catch((error: Error) => fail(error));
  const reader = workbookReader(bytes);
  try {
    const sheets = reader[Symbol.asyncIterator]();
    let firstRead = false;
    for (let sheet = await step(sheets.next()); !sheet.done; sheet = await step(sheets.next())) {
      // Worksheets come in archive order; the workbook part, usually read before them, gives tab order.
      const first = (reader as unknown as WorkbookReaderState).model?.sheets?.[0]?.name;
      const name = (sheet.value as unknown as WorksheetReaderState).name;
      const wanted: boolean = !firstRead && (first === undefined || name === first);
      firstRead ||= wanted;
      const rows = sheet.value[Symbol.asyncIterator]();
      // Other sheets are read through, so that exceljs deletes its temporary copy of them.
      for (let row = await step(rows.next()); !row.done; row = await step(rows.next())) {
        if (!wanted) continue;
        const cells: PlainCell[] = [];
        row.value.eachCell((cell, column) => {
          cells[column - 1] = plainValue(cell.value);
        });
        if (cells.some((cell) => cell !== null && cell !== undefined && cell !== '')) {
          yield { number: row.value.number, cells: Array.from(cells, (cell) => cell ?? null) };
        }
      }
    }
    if (!firstRead) throw new NotXlsxError();
  } catch (error) {
    throw error instanceof NotXlsxError || (error as NodeJS.ErrnoException).code ? error : new NotXlsxError();
  } finally {
    bytes.destroy();
  }
}

/** What a cell shows: a formula gives its result, rich text and a link their text, a date its day. */
function plainValue(value: unknown): PlainCell {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date)
    return Number.isNaN(value.getTime()) ? null : value.toISOString().replace('T00:00:00.000Z', '');
  if (typeof value !== 'object' || value === null) return null;
  if ('richText' in value && Array.isArray(value.richText))
    return value.richText
      .map((run: { text?: unknown }) => (typeof run.text === 'string' ? run.text : ''))
      .join('');
  if ('result' in value) return plainValue(value.result);
  if ('text' in value) return plainValue(value.text);
  return null;
}
