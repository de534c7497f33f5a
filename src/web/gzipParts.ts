import { constants, crc32, deflateRawSync } from 'node:zlib';

/** Text compressed once, ahead of time, that can stand anywhere inside a gzip response. */
export interface PrecompressedPart {
  raw: Buffer;
  deflated: Buffer;
}

// Each segment ends on a byte boundary (a sync flush) and refers to nothing before it, so
// independently compressed segments concatenate into one valid DEFLATE stream.
const SEGMENT = { finishFlush: constants.Z_SYNC_FLUSH };
const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff]);

/** Compresses a large, unchanging piece of a page (a lesson body) once, at the highest level. */
export function precompress(text: string): PrecompressedPart {
  const raw = Buffer.from(text);
  return { raw, deflated: deflateRawSync(raw, { ...SEGMENT, level: 9 }) };
}

/**
 * A gzip body made of fresh parts (compressed now, quickly) and precompressed parts (copied as
 * they are): a page whose bulk never changes costs only the compression of what does.
 */
export function gzipParts(parts: (Buffer | PrecompressedPart)[]): Buffer {
  const chunks: Buffer[] = [GZIP_HEADER];
  let crc = 0;
  let size = 0;
  for (const part of parts) {
    const raw = Buffer.isBuffer(part) ? part : part.raw;
    crc = crc32(raw, crc);
    size += raw.length;
    chunks.push(Buffer.isBuffer(part) ? deflateRawSync(part, { ...SEGMENT, level: 1 }) : part.deflated);
  }
  chunks.push(deflateRawSync(Buffer.alloc(0)));
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(size % 2 ** 32, 4);
  chunks.push(trailer);
  return Buffer.concat(chunks);
}
