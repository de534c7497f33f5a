import { existsSync, readFileSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { unzipSync, type Zippable, zipSync } from 'fflate';
import type { FileProblem } from '../../content/yamlSource.js';
import {
  type CoursePackage,
  MANIFEST,
  type PackageResult,
  packageFolders,
  readCoursePackage,
  readCoursePackageFiles,
} from './coursePackage.js';
import { writeCoursePackage } from './packageWriter.js';

export const MAX_ZIP_ENTRIES = 2000;
const MAX_ZIP_BYTES = 500 * 1024 * 1024;

/** Formats that are compressed already: deflating them again only costs time. */
const STORED = /\.(png|jpe?g|webp|mp4|webm|pdf)$/i;
// A fixed time stamp: the same package always gives the same archive bytes.
const MTIME = new Date(2000, 0, 1);

/** The package as a zip archive, its files under one folder named after the course. */
export function zipCoursePackage(pkg: CoursePackage): Uint8Array {
  const entries: Zippable = {};
  for (const [path, bytes] of writeCoursePackage(pkg)) {
    entries[`${pkg.slug}/${path}`] = [bytes, { level: STORED.test(path) ? 0 : 6 }];
  }
  return zipSync(entries, { mtime: MTIME });
}

/**
 * Reads a package from a zip archive, its files at the root or under exactly one folder.
 * An unsafe or oversized archive is refused before anything is inflated. Never throws.
 */
export function readCoursePackageZip(bytes: Uint8Array, label: string): PackageResult {
  const unpacked = unpack(bytes);
  if ('problem' in unpacked)
    return { course: null, problems: [{ file: label, line: 1, message: unpacked.problem }] };
  return readCoursePackageFiles(unpacked.files, posix.join(label, unpacked.root));
}

/** Thrown from fflate's filter: the only way to stop it reading a huge or hostile listing. */
class Refusal extends Error {}

const CORRUPTED =
  'Tệp zip bị hỏng hoặc có mật khẩu, không đọc được. Hãy nén lại thư mục khóa học (không đặt mật khẩu) rồi thử lại.';
const MB = 1024 * 1024;

function unpack(bytes: Uint8Array): { files: Map<string, Buffer>; root: string } | { problem: string } {
  if (!isZip(bytes)) return { problem: 'Tệp này không phải là tệp nén .zip.' };
  const names: string[] = [];
  const unsupported = new Set<string>();
  let total = 0;
  try {
    // First pass: only the listing, with the sizes it declares; nothing is inflated.
    unzipSync(bytes, {
      filter: (entry) => {
        if (names.length >= MAX_ZIP_ENTRIES) {
          throw new Refusal(`Tệp zip có hơn ${MAX_ZIP_ENTRIES.toLocaleString('vi-VN')} tệp: không nhận.`);
        }
        if (!isSafeName(entry.name)) {
          throw new Refusal(
            `Tệp zip chứa đường dẫn không an toàn "${entry.name}" (trỏ ra ngoài thư mục gói): không nhận.`,
          );
        }
        total += Math.max(entry.size, entry.originalSize);
        if (total > MAX_ZIP_BYTES) {
          throw new Refusal(`Tệp zip khi giải nén lớn hơn ${MAX_ZIP_BYTES / MB} MB: không nhận.`);
        }
        names.push(entry.name);
        // fflate inflates only Deflate (8) and reads stored (0) entries.
        if (entry.compression !== 0 && entry.compression !== 8) unsupported.add(entry.name);
        return false;
      },
    });
  } catch (error) {
    return { problem: error instanceof Refusal ? error.message : CORRUPTED };
  }
  const wanted = new Set(names.filter((name) => !name.endsWith('/') && !isJunk(name)));
  const root = packageRoot([...wanted]);
  if (root === null) {
    return { problem: `Không có tệp ${MANIFEST} ở gốc tệp zip, hay trong một thư mục duy nhất ở gốc.` };
  }
  const [strange] = [...wanted].filter((name) => unsupported.has(name));
  if (strange) {
    return {
      problem: `Tệp "${strange}" trong tệp zip dùng kiểu nén không hỗ trợ: hãy nén lại bằng kiểu nén thông thường (Deflate).`,
    };
  }
  try {
    const inflated = unzipSync(bytes, {
      filter: (entry) => wanted.has(entry.name) && entry.name.startsWith(root),
    });
    const files = new Map(
      Object.entries(inflated).map(([name, data]) => [
        name.slice(root.length),
        Buffer.from(data.buffer, data.byteOffset, data.byteLength),
      ]),
    );
    return { files, root };
  } catch {
    return { problem: CORRUPTED };
  }
}

/** A local file header, or the end record of an empty archive. */
const isZip = (bytes: Uint8Array) =>
  bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && bytes[3] === bytes[2] + 1;

/** "Zip slip": a name that would land outside the folder it is extracted to. */
const isSafeName = (name: string) =>
  !name.includes('\\') &&
  !name.includes('\0') &&
  !name.startsWith('/') &&
  !/^[a-z]:/i.test(name) &&
  !name.split('/').includes('..');

/** What archivers add on their own: macOS resource forks and hidden files. */
const isJunk = (name: string) =>
  name.startsWith('__MACOSX/') || name.split('/').some((part) => part.startsWith('.'));

/** "" when the manifest is at the root, "folder/" when everything is in one folder, else null. */
function packageRoot(names: string[]): string | null {
  if (names.includes(MANIFEST)) return '';
  const tops = new Set(names.map((name) => name.split('/')[0]));
  const [top] = tops;
  return tops.size === 1 && names.includes(`${top}/${MANIFEST}`) ? `${top}/` : null;
}

/** Every package under a path (a package folder, a folder of them, or a .zip file), all validated. */
export function readPackages(path: string): { courses: CoursePackage[]; problems: FileProblem[] } {
  const refuse = (message: string) => ({ courses: [], problems: [{ file: path, line: 1, message }] });
  if (!existsSync(path)) return refuse('Không tìm thấy thư mục hoặc tệp .zip.');
  const stat = statSync(path);
  if (stat.isFile()) {
    if (!path.toLowerCase().endsWith('.zip'))
      return refuse('Cần một thư mục gói khóa học hoặc một tệp .zip.');
    // A bigger archive cannot hold a package within the limit; it is not read into memory.
    if (stat.size > MAX_ZIP_BYTES) return refuse(`Tệp zip lớn hơn ${MAX_ZIP_BYTES / MB} MB: không nhận.`);
    const result = readCoursePackageZip(readFileSync(path), path);
    return { courses: result.course ? [result.course] : [], problems: result.problems };
  }
  const folders = packageFolders(path);
  if (folders.length === 0) return refuse(`Không có gói khóa học nào (thiếu ${MANIFEST}).`);
  const courses: CoursePackage[] = [];
  const problems: FileProblem[] = [];
  for (const folder of folders) {
    const result = readCoursePackage(folder);
    if (result.course) courses.push(result.course);
    problems.push(...result.problems);
  }
  return { courses, problems };
}
