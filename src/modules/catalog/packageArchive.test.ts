import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { strToU8, type Zippable, zipSync } from 'fflate';
import {
  type CoursePackage,
  packageFolders,
  readCoursePackage,
  readCoursePackageFiles,
} from './coursePackage.js';
import { MAX_ZIP_ENTRIES, readCoursePackageZip, readPackages, zipCoursePackage } from './packageArchive.js';
import { writeCoursePackage } from './packageWriter.js';

const fixture = (path: string) => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const EVERY_KIND = fixture('test/fixtures/courses/every-kind');
const PACKAGES = [
  ...packageFolders(fixture('content/courses')),
  fixture('test/fixtures/courses/mini'),
  EVERY_KIND,
];

function read(folder: string): CoursePackage {
  const { course, problems } = readCoursePackage(folder);
  assert.deepEqual(problems, []);
  assert.ok(course);
  return course;
}

/** The problems of reading bytes as a package archive; the reader must never throw. */
function refusal(bytes: Uint8Array): string[] {
  const result = readCoursePackageZip(bytes, 'goi.zip');
  assert.equal(result.course, null);
  return result.problems.map((p) => `${p.file}: ${p.message}`);
}

/** An archive of the every-kind package plus extra entries. */
function zipWith(extra: Zippable): Uint8Array {
  const entries: Zippable = { ...extra };
  for (const [path, bytes] of writeCoursePackage(read(EVERY_KIND))) entries[path] = bytes;
  return zipSync(entries);
}

describe('package archives', () => {
  it('write, zip and read back every package as the same package with the same digest', () => {
    assert.equal(PACKAGES.length, 5);
    for (const folder of PACKAGES) {
      const original = read(folder);
      const { course, problems } = readCoursePackageZip(zipCoursePackage(original), `${original.slug}.zip`);
      assert.deepEqual(problems, [], original.slug);
      assert.deepEqual(course, original, original.slug);
      assert.equal(course?.digest, original.digest);
    }
  });

  it('writes the layout of the format: the manifest, lessons, numbered quizzes, the final test and assets', () => {
    const files = writeCoursePackage(read(EVERY_KIND));
    assert.deepEqual([...files.keys()].sort(), [
      'course.yaml',
      'files/huong-dan.pdf',
      'images/bia.png',
      'images/tin-nhan-otp.svg',
      'lessons/01-nhan-dien-ma-otp.md',
      'lessons/02-chuyen-tien-an-toan.md',
      'quizzes/01-nhan-dien-ma-otp.yaml',
      'quizzes/02-chuyen-tien-an-toan.yaml',
      'quizzes/cuoi-khoa.yaml',
      'videos/huong-dan-360p.mp4',
      'videos/huong-dan.mp4',
      'videos/huong-dan.vtt',
    ]);
    const manifest = files.get('course.yaml')?.toString('utf8') ?? '';
    assert.match(manifest, /^title: Giữ an toàn khi dùng mã OTP và chuyển tiền$/m);
    assert.match(manifest, /^blocks: \[citizen, community\]$/m);
    assert.ok(manifest.split('\n').every((line) => line.length <= 100));
    assert.deepEqual(readCoursePackageFiles(files, 'bo-nho').course?.digest, read(EVERY_KIND).digest);
  });

  it('puts the files under one folder named after the course, and gives the same bytes every time', () => {
    const course = read(EVERY_KIND);
    const zip = zipCoursePackage(course);
    assert.deepEqual(zip, zipCoursePackage(course));
    const names = new TextDecoder().decode(zip);
    assert.match(names, /moi-loai-cau-hoi\/course\.yaml/);
  });

  it('reads an archive with the files at its root, ignoring what archivers add', () => {
    const zip = zipWith({ '__MACOSX/._course.yaml': strToU8('rác'), '.DS_Store': strToU8('rác') });
    const { course, problems } = readCoursePackageZip(zip, 'goi.zip');
    assert.deepEqual(problems, []);
    assert.equal(course?.digest, read(EVERY_KIND).digest);
  });

  it('names a problem inside an archive by the archive, its folder and the file', () => {
    const entries: Zippable = {};
    for (const [path, bytes] of writeCoursePackage(read(EVERY_KIND))) {
      entries[`goc/${path}`] = path === 'quizzes/cuoi-khoa.yaml' ? strToU8('draws:\n  - count: 99\n') : bytes;
    }
    assert.deepEqual(refusal(zipSync(entries)), [
      'goi.zip/goc/quizzes/cuoi-khoa.yaml: Quy tắc rút 99 câu nhưng chỉ có 6 câu phù hợp.',
    ]);
  });

  it('refuses, without throwing, what is not a package archive', () => {
    assert.deepEqual(refusal(strToU8('Đây không phải tệp zip.')), [
      'goi.zip: Tệp này không phải là tệp nén .zip.',
    ]);
    const zip = zipCoursePackage(read(EVERY_KIND));
    assert.deepEqual(refusal(zip.subarray(0, zip.length - 40)), [
      'goi.zip: Tệp zip bị hỏng hoặc có mật khẩu, không đọc được. Hãy nén lại thư mục khóa học (không đặt mật khẩu) rồi thử lại.',
    ]);
    assert.deepEqual(refusal(zipSync({ 'ghi-chu.txt': strToU8('Không có gì.') })), [
      'goi.zip: Không có tệp course.yaml ở gốc tệp zip, hay trong một thư mục duy nhất ở gốc.',
    ]);
    const twoFolders = zipSync({ 'a/course.yaml': strToU8('slug: a'), 'b/course.yaml': strToU8('slug: b') });
    assert.deepEqual(refusal(twoFolders), [
      'goi.zip: Không có tệp course.yaml ở gốc tệp zip, hay trong một thư mục duy nhất ở gốc.',
    ]);
  });

  it('refuses "zip slip": names that climb out of the folder, absolute names and backslashes', () => {
    for (const name of [
      '../ngoai.md',
      'goc/../../ngoai.md',
      '/etc/ngoai.md',
      'C:/ngoai.md',
      'images\\anh.png',
    ]) {
      assert.deepEqual(refusal(zipWith({ [name]: strToU8('x') })), [
        `goi.zip: Tệp zip chứa đường dẫn không an toàn "${name}" (trỏ ra ngoài thư mục gói): không nhận.`,
      ]);
    }
  });

  it('refuses more than 2,000 entries, and more than 500 MB declared, before inflating anything', () => {
    const many: Zippable = {};
    for (let i = 0; i <= MAX_ZIP_ENTRIES; i++) many[`images/${i}.svg`] = new Uint8Array();
    assert.deepEqual(refusal(zipWith(many)), ['goi.zip: Tệp zip có hơn 2.000 tệp: không nhận.']);

    // The central directory claims 600 MB for one small file: the claim alone refuses it.
    const zip = zipWith({ 'videos/lon.mp4': [strToU8('nhỏ'), { level: 0 }] });
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    for (let at = 0; at + 46 <= zip.length; at++) {
      if (view.getUint32(at, true) === 0x02014b50) view.setUint32(at + 24, 600 * 1024 * 1024, true);
    }
    assert.deepEqual(refusal(zip), ['goi.zip: Tệp zip khi giải nén lớn hơn 500 MB: không nhận.']);
  });

  it('reads a .zip path like a package folder', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'hv-zip-')), 'khoa-hoc.zip');
    writeFileSync(path, zipCoursePackage(read(EVERY_KIND)));
    const { courses, problems } = readPackages(path);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      courses.map((c) => c.digest),
      [read(EVERY_KIND).digest],
    );
    const text = join(mkdtempSync(join(tmpdir(), 'hv-zip-')), 'ghi-chu.txt');
    writeFileSync(text, 'x');
    assert.deepEqual(readPackages(text).problems, [
      { file: text, line: 1, message: 'Cần một thư mục gói khóa học hoặc một tệp .zip.' },
    ]);
  });
});
