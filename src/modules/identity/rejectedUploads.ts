/**
 * The files a refused spreadsheet import leaves behind in the tenant's upload folder: its
 * rejected rows as `.xlsx`, kept a day for download. Shared by the importers that refuse a file
 * whole (people here, community teams); each names its files with its own prefix.
 */
import { createReadStream } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { notFound } from '../../errors.js';

const STALE_MS = 24 * 60 * 60 * 1000;
const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Drops the files of one importer (their names match `uploadId` once `.xlsx` is cut) older than a day. */
export async function dropStaleUploads(dir: string, uploadId: RegExp): Promise<void> {
  const cutoff = Date.now() - STALE_MS;
  for (const name of await readdir(dir)) {
    if (!uploadId.test(name.replace(/\.xlsx$/, ''))) continue;
    const info = await stat(path.join(dir, name)).catch(() => null);
    if (info && info.mtimeMs < cutoff) await rm(path.join(dir, name), { force: true });
  }
}

/** Sends the rejected rows `name` (`<upload id>.xlsx`) as a download, or a 404 once it is gone. */
export async function sendRejectedRows(
  reply: FastifyReply,
  dir: string,
  name: string,
  uploadId: RegExp,
  downloadName: string,
) {
  const id = /^(.+)\.xlsx$/.exec(name)?.[1] ?? '';
  if (!uploadId.test(id)) throw notFound();
  const file = path.join(dir, `${id}.xlsx`);
  if (!(await stat(file).catch(() => null))) throw notFound('Tệp lỗi đã hết hạn; hãy tải danh sách lên lại.');
  return reply
    .header('content-type', XLSX_TYPE)
    .header('content-disposition', `attachment; filename="${downloadName}"`)
    .header('cache-control', 'no-store')
    .send(createReadStream(file));
}
