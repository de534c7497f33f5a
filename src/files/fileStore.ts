import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const EXTENSIONS: Record<string, string> = {
  'image/svg+xml': 'svg',
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/webp': 'webp',
  'video/mp4': 'mp4',
  'video/webm': 'webm',
  'application/pdf': 'pdf',
  'text/vtt': 'vtt',
};

export const MEDIA_TYPE_OF_EXTENSION = Object.fromEntries(Object.entries(EXTENSIONS).map(([t, e]) => [e, t]));

/** A content hash, optionally with a derived variant's width (`-w480`), and an extension. */
const NAME = /^[0-9a-f]{64}(-w[0-9]{2,4})?\.[a-z0-9]+$/;

/** The stored name of an image's variant of this width, from the name of another of its variants. */
export const imageVariant = (name: string, width: number): string =>
  name.replace(/-w\d+\.webp$/, `-w${width}.webp`);

/**
 * Content-addressed files on the local disk: a file's name is the SHA-256 of its bytes, so
 * storing the same file twice keeps one copy and a stored file never changes. (An
 * S3-compatible store is the path for several machines; only this class would change.)
 */
export class FileStore {
  constructor(private readonly root: string) {}

  /** Stores the bytes and returns the file's name, e.g. `3f…a9.svg`. */
  put(bytes: Buffer, mediaType: string): string {
    const name = `${createHash('sha256').update(bytes).digest('hex')}.${EXTENSIONS[mediaType] ?? 'bin'}`;
    this.putNamed(name, bytes);
    return name;
  }

  /**
   * Stores a file derived from another under a name made from the source's hash (e.g. a
   * resized image `<hash>-w480.webp`): the same source always gives the same derived file.
   */
  putNamed(name: string, bytes: Buffer): void {
    if (!NAME.test(name)) throw new Error(`Not a stored file name: ${name}`);
    const path = this.pathOf(name);
    if (!existsSync(path)) {
      mkdirSync(join(this.root, name.slice(0, 2)), { recursive: true });
      // Write then rename, so a crash never leaves a half-written file under the final name.
      const temporary = `${path}.${process.pid}.tmp`;
      writeFileSync(temporary, bytes);
      renameSync(temporary, path);
    }
  }

  /** The bytes of a stored file, or null for a name that is malformed or unknown. */
  get(name: string): Buffer | null {
    if (!NAME.test(name)) return null;
    try {
      return readFileSync(this.pathOf(name));
    } catch {
      return null;
    }
  }

  private pathOf(name: string): string {
    return join(this.root, name.slice(0, 2), name);
  }
}
