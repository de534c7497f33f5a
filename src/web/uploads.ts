import { randomBytes } from 'node:crypto';
import { rename } from 'node:fs/promises';
import path from 'node:path';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { notFound } from '../errors.js';

/** A file posted in a multipart form, with the name it had on the author's computer. */
export interface UploadedFile {
  filename: string;
  bytes: Buffer;
}

const LARGEST_UPLOAD = 200 * 1024 * 1024;

/**
 * Lets the routes of this plugin take multipart forms (file uploads). Fields and files land
 * in the body, so the CSRF check sees the form's token like any other form; each module
 * checks what a file is by its content and its own size limit.
 */
export async function acceptUploads(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    attachFieldsToBody: 'keyValues',
    limits: { fileSize: LARGEST_UPLOAD, files: 1, fields: 200 },
    async onFile(part) {
      (part as { value?: unknown }).value = { filename: part.filename, bytes: await part.toBuffer() };
    },
  });
}

export function uploadedFile(body: unknown, name: string): UploadedFile | null {
  const value = (body as Record<string, unknown> | undefined)?.[name] as Partial<UploadedFile> | undefined;
  return value && Buffer.isBuffer(value.bytes) && typeof value.filename === 'string'
    ? { filename: value.filename, bytes: value.bytes }
    : null;
}

/** Where a tenant's uploads wait between their preview and their confirmation. */
export const uploadsFolder = (dataDir: string, tenantId: string) => path.join(dataDir, 'uploads', tenantId);

/**
 * Takes an upload waiting for confirmation by renaming it: a confirmation sent twice finds
 * nothing the second time, so the file is imported once.
 */
export async function claimUpload(file: string): Promise<string> {
  const claimed = `${file}.${randomBytes(8).toString('hex')}`;
  try {
    await rename(file, claimed);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw notFound('Tệp tải lên đã được nhập hoặc đã hết hạn; hãy tải tệp lên lại.');
  }
  return claimed;
}
