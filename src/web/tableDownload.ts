import { PassThrough, Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type TableSheet, tableCsv, writeTableXlsx } from '../files/tableExport.js';

export type TableFormat = 'xlsx' | 'csv';

const TYPES: Record<TableFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  csv: 'text/csv; charset=utf-8',
};

/**
 * Sends a table as a download, written while it is sent: an error half-way ends the download
 * broken rather than silently short. `name` is the file name without its extension.
 */
export function sendTable(
  request: FastifyRequest,
  reply: FastifyReply,
  table: TableSheet,
  format: TableFormat,
  name: string,
) {
  reply
    .header('content-type', TYPES[format])
    .header('content-disposition', `attachment; filename="${name}.${format}"`)
    .header('cache-control', 'no-store');
  if (format === 'csv') return reply.send(Readable.from(tableCsv(table)));
  const bytes = new PassThrough();
  writeTableXlsx(table, bytes).catch((error: unknown) => {
    request.log.error(error, 'table export failed');
    bytes.destroy(error as Error);
  });
  return reply.send(bytes);
}
