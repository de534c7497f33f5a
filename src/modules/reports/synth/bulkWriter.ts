import { CompiledQuery, type Kysely } from 'kysely';
import type pg from 'pg';
import type { Db } from '../../../db/database.js';
import type { Database } from '../../../db/schema.js';

/** A table to bulk-load: its SQL name and columns, with each column's PostgreSQL array type. */
export interface BulkTable {
  name: string;
  columns: readonly (readonly [column: string, pgType: 'text' | 'int'])[];
}

/** Rows of one table gathered row after row in one flat array (`values.push(a, b, c…)`), ready to write. */
export class RowBuffer {
  readonly width: number;

  constructor(
    readonly table: BulkTable,
    readonly values: unknown[] = [],
  ) {
    this.width = table.columns.length;
  }

  get length(): number {
    return this.values.length / this.width;
  }

  clear(): void {
    this.values.length = 0;
  }
}

/** SQLite allows at most 32,766 bound values per statement. */
const SQLITE_MAX_VARIABLES = 32_766;
const SQLITE_MAX_ROWS = 1_000;

function sqliteInsert(table: BulkTable, rows: number): string {
  const row = `(${table.columns.map(() => '?').join(',')})`;
  return `insert into ${table.name} (${table.columns.map(([c]) => c).join(',')}) values ${Array(rows).fill(row).join(',')}`;
}

function pgInsert(table: BulkTable): string {
  const arrays = table.columns.map(([, type], i) => `$${i + 1}::${type}[]`).join(', ');
  return `insert into ${table.name} (${table.columns.map(([c]) => c).join(',')}) select * from unnest(${arrays})`;
}

/**
 * Writes many rows fast, on both engines, in the caller's transaction: SQLite gets prepared
 * multi-row inserts of a fixed few sizes (so the statement cache keeps them prepared), PostgreSQL
 * one `insert … select from unnest(arrays)` per table, whatever the number of rows.
 */
export async function writeRows(
  q: Kysely<Database>,
  dialect: Db['dialect'],
  buffer: RowBuffer,
): Promise<void> {
  const { table, values, width, length } = buffer;
  if (length === 0) return;
  if (dialect === 'postgres') {
    const columns = table.columns.map((_, c) => {
      const column = new Array(length);
      for (let r = 0, i = c; r < length; r++, i += width) column[r] = values[i];
      return column;
    });
    await q.executeQuery(CompiledQuery.raw(pgInsert(table), columns));
    return;
  }
  const full = Math.min(SQLITE_MAX_ROWS, Math.floor(SQLITE_MAX_VARIABLES / width));
  let start = 0;
  for (const size of [full, 100, 10, 1]) {
    if (size > full) continue;
    const statement = sqliteInsert(table, size);
    while (length - start >= size) {
      await q.executeQuery(CompiledQuery.raw(statement, values.slice(start * width, (start + size) * width)));
      start += size;
    }
  }
}

const NEEDS_ESCAPE = /[\\\t\n\r]/;

/**
 * The rows as PostgreSQL `COPY … FROM STDIN` text: tab between columns, a line per row, `\N` for
 * null, backslash escapes. Made where the rows are made, so the writer only sends bytes.
 */
export function copyText(buffer: RowBuffer): Uint8Array {
  const { values, width } = buffer;
  let text = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) text += '\\N';
    else if (typeof value === 'string') {
      text += NEEDS_ESCAPE.test(value)
        ? value.replace(/[\\\t\n\r]/g, (c) =>
            c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
          )
        : value;
    } else text += String(value);
    text += (i + 1) % width === 0 ? '\n' : '\t';
  }
  return Buffer.from(text, 'utf8');
}

export const copyStatement = (table: BulkTable) =>
  `copy ${table.name} (${table.columns.map(([c]) => c).join(',')}) from stdin`;

/** The parts of pg's connection a COPY needs (pg-copy-streams uses the same). */
interface CopyConnection {
  query(text: string): void;
  sendCopyFromChunk(chunk: Uint8Array): void;
  endCopyFrom(): void;
}

/**
 * `COPY … FROM STDIN` of ready bytes, as a query pg's client runs in turn with its others: the
 * fastest way to load rows into PostgreSQL, without another package.
 */
class CopyIn {
  callback: ((error: Error | null) => void) | undefined;
  private error: Error | null = null;

  constructor(
    private readonly text: string,
    private readonly data: Uint8Array,
  ) {}

  submit(connection: CopyConnection): void {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: CopyConnection): void {
    // A Buffer over the same bytes (what crossed from the worker is a plain Uint8Array).
    const data = Buffer.from(this.data.buffer, this.data.byteOffset, this.data.byteLength);
    const chunk = 1 << 20;
    for (let at = 0; at < data.length; at += chunk) {
      connection.sendCopyFromChunk(data.subarray(at, Math.min(data.length, at + chunk)));
    }
    connection.endCopyFrom();
  }

  handleError(error: Error): void {
    this.error = error;
  }

  handleReadyForQuery(): void {
    this.callback?.(this.error);
  }

  handleCommandComplete(): void {}
  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyData(): void {}
}

/** Runs one COPY of `data` into `table` on a client (in its current transaction, if any). */
export function copyInto(client: pg.ClientBase, table: BulkTable, data: Uint8Array): Promise<void> {
  if (data.length === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const copy = new CopyIn(copyStatement(table), data);
    copy.callback = (error) => (error ? reject(error) : resolve());
    (client as unknown as { query(q: CopyIn): void }).query(copy);
  });
}
