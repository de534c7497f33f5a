/**
 * Files authors upload, checked by their content (never by the name or type the browser
 * claims) and stored in the file store. Images become WebP in two widths for phones, with
 * camera metadata (such as GPS position) dropped.
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { validationFailed } from '../errors.js';
import type { FileStore } from './fileStore.js';

export const IMAGE_WIDTHS = [480, 960] as const;
const LARGEST = IMAGE_WIDTHS[IMAGE_WIDTHS.length - 1] as number;

export const UPLOAD_LIMITS = {
  image: 10 * 1024 * 1024,
  pdf: 20 * 1024 * 1024,
  video: 200 * 1024 * 1024,
  captions: 1024 * 1024,
} as const;
export type UploadKind = keyof typeof UPLOAD_LIMITS;

const MB = (bytes: number) => `${Math.round(bytes / 1024 / 1024)} MB`;

function refuse(field: string, message: string): never {
  throw validationFailed({ [field]: message }, message);
}

function checkSize(field: string, kind: UploadKind, bytes: Buffer): void {
  if (bytes.length === 0) refuse(field, 'Chưa chọn tệp, hoặc tệp rỗng.');
  if (bytes.length > UPLOAD_LIMITS[kind]) refuse(field, `Tệp lớn quá ${MB(UPLOAD_LIMITS[kind])}.`);
}

/** Stores an uploaded picture as WebP variants and returns the largest one's name. */
export async function storeImage(files: FileStore, bytes: Buffer, field = 'image'): Promise<string> {
  checkSize(field, 'image', bytes);
  try {
    const metadata = await sharp(bytes).metadata();
    if (!metadata.width || !metadata.height) throw new Error('no size');
  } catch {
    refuse(field, 'Tệp này không phải là ảnh (JPEG, PNG, WebP, GIF hoặc SVG).');
  }
  const hash = createHash('sha256').update(bytes).digest('hex');
  for (const width of IMAGE_WIDTHS) {
    const variant = await sharp(bytes)
      .rotate()
      .resize({ width, withoutEnlargement: true })
      .webp({ quality: 78 })
      .toBuffer();
    files.putNamed(`${hash}-w${width}.webp`, variant);
  }
  return `${hash}-w${LARGEST}.webp`;
}

export function storePdf(files: FileStore, bytes: Buffer, field = 'attachment'): string {
  checkSize(field, 'pdf', bytes);
  if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-')
    refuse(field, 'Tài liệu kèm theo phải là tệp PDF.');
  return files.put(bytes, 'application/pdf');
}

export function storeVideo(files: FileStore, bytes: Buffer, field = 'video'): string {
  checkSize(field, 'video', bytes);
  if (bytes.subarray(4, 8).toString('latin1') === 'ftyp') return files.put(bytes, 'video/mp4');
  if (bytes.readUInt32BE(0) === 0x1a45dfa3) return files.put(bytes, 'video/webm');
  return refuse(field, 'Video phải là tệp MP4 hoặc WebM.');
}

export function storeCaptions(files: FileStore, bytes: Buffer, field = 'captions'): string {
  checkSize(field, 'captions', bytes);
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!text.startsWith('WEBVTT'))
    refuse(field, 'Phụ đề phải là tệp WebVTT (.vtt), bắt đầu bằng dòng "WEBVTT".');
  return files.put(Buffer.from(text.normalize('NFC')), 'text/vtt');
}
