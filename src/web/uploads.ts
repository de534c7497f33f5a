import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';

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
