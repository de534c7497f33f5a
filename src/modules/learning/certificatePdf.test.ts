// Reads the rendered PDF back with poppler-utils (pdftotext, pdfinfo, pdftoppm) and zbar-tools (zbarimg),
// the way a learner's viewer or a verifier's phone would see it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CertificateDocument, renderCertificatePdf } from './certificatePdf.js';

const sample: CertificateDocument = {
  code: 'HVS-QNA-2026-000123',
  learnerName: 'Nguyễn Thị Hồng Nhung',
  courseTitle: 'Nhận diện và phòng tránh lừa đảo trực tuyến',
  issuedOn: '2026-11-29',
  tenantName: 'Tỉnh Quảng Nam',
  verifyUrl: 'https://hocvuso.quangnam.gov.vn/chung-nhan/HVS-QNA-2026-000123',
};

const A4_LANDSCAPE = { width: 841.89, height: 595.28 };
/** The gold inner frame; no text may be drawn outside it. */
const FRAME_INSET = 30;

const APT_PACKAGE: Record<string, string> = {
  pdftotext: 'poppler-utils',
  pdfinfo: 'poppler-utils',
  pdftoppm: 'poppler-utils',
  zbarimg: 'zbar-tools',
};

const workDirectory = mkdtempSync(path.join(tmpdir(), 'certificate-pdf-'));
let fileCount = 0;

function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install -y ${APT_PACKAGE[tool]}`);
    }
    throw error;
  }
}

function saved(pdf: Buffer): string {
  const file = path.join(workDirectory, `certificate-${++fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** The page text as pdftotext lays it out, with runs of white space folded so wrapped lines still match. */
function pageText(file: string): string {
  return run('pdftotext', ['-layout', file, '-']).replace(/\s+/g, ' ');
}

function pdfInfo(file: string): Map<string, string> {
  const lines = run('pdfinfo', [file]).split('\n');
  return new Map(lines.map((line) => line.split(/:\s+(.*)/s, 2) as [string, string]));
}

interface Word {
  text: string;
  xMin: number;
  yMin: number;
  xMax: number;
  yMax: number;
}

function words(file: string): Word[] {
  const html = run('pdftotext', ['-bbox', file, '-']);
  return [
    ...html.matchAll(
      /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g,
    ),
  ].map(([, xMin, yMin, xMax, yMax, text]) => ({
    text: text ?? '',
    xMin: Number(xMin),
    yMin: Number(yMin),
    xMax: Number(xMax),
    yMax: Number(yMax),
  }));
}

function assertAllTextInsideFrame(file: string): void {
  const found = words(file);
  assert.ok(found.length > 20, `expected the certificate's words, found ${found.length}`);
  const outside = found.filter(
    (word) =>
      word.xMin < FRAME_INSET ||
      word.yMin < FRAME_INSET ||
      word.xMax > A4_LANDSCAPE.width - FRAME_INSET ||
      word.yMax > A4_LANDSCAPE.height - FRAME_INSET,
  );
  assert.deepEqual(outside, [], 'text drawn over or outside the frame');
}

describe('certificate PDF', () => {
  let pdf: Buffer;
  let file: string;

  before(async () => {
    pdf = await renderCertificatePdf(sample);
    file = saved(pdf);
  });

  after(() => rmSync(workDirectory, { recursive: true, force: true }));

  it('is a complete PDF file', () => {
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.match(pdf.subarray(-16).toString('latin1'), /%%EOF\s*$/);
  });

  it('is a single A4 landscape page', () => {
    const mediaBoxes = [...pdf.toString('latin1').matchAll(/\/MediaBox \[([^\]]+)\]/g)];
    assert.equal(mediaBoxes.length, 1);
    const [x0, y0, x1, y1] = (mediaBoxes[0]?.[1] ?? '').trim().split(/\s+/).map(Number);
    assert.deepEqual([x0, y0], [0, 0]);
    assert.ok(Math.abs((x1 ?? 0) - A4_LANDSCAPE.width) < 0.5, `width ${x1}`);
    assert.ok(Math.abs((y1 ?? 0) - A4_LANDSCAPE.height) < 0.5, `height ${y1}`);
    assert.equal(pdfInfo(file).get('Pages'), '1');
  });

  it('embeds Be Vietnam Pro regular and bold as TrueType font files', () => {
    const raw = pdf.toString('latin1');
    const descriptors = [...raw.matchAll(/\/Type \/FontDescriptor[\s\S]*?endobj/g)].map(([object]) => object);
    for (const style of ['Regular', 'Bold']) {
      const descriptor = descriptors.find((object) =>
        new RegExp(`/FontName /[A-Z]{6}\\+BeVietnamPro-${style}\\b`).test(object),
      );
      assert.ok(descriptor, `no font descriptor for BeVietnamPro-${style}`);
      assert.match(descriptor, /\/FontFile2 \d+ 0 R/);
    }
    // Nothing falls back to a standard font, which has no Vietnamese letters.
    assert.doesNotMatch(raw, /\/BaseFont \/(Helvetica|Times|Courier)/);
  });

  it('shows the tenant, learner, course, date in words and code with their diacritics', () => {
    const text = pageText(file);
    assert.equal(text, text.normalize('NFC'));
    for (const expected of [
      'TỈNH QUẢNG NAM',
      'Bình dân học vụ số',
      'GIẤY CHỨNG NHẬN',
      'HOÀN THÀNH KHÓA HỌC',
      'Nguyễn Thị Hồng Nhung',
      'Nhận diện và phòng tránh lừa đảo trực tuyến',
      'ngày 29 tháng 11 năm 2026',
      'HVS-QNA-2026-000123',
      'Quét mã để kiểm tra:',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`);
    }
  });

  it('names the course, tenant and learner in the document properties', () => {
    const info = pdfInfo(file);
    assert.equal(info.get('Author'), 'Tỉnh Quảng Nam');
    assert.match(info.get('Title') ?? '', /Nhận diện và phòng tránh lừa đảo trực tuyến/);
    assert.match(info.get('Subject') ?? '', /Nguyễn Thị Hồng Nhung/);
  });

  it('has a QR code that scans to the verification address', () => {
    const imagePrefix = path.join(workDirectory, 'scan');
    run('pdftoppm', ['-r', '150', '-png', '-singlefile', file, imagePrefix]);
    const decoded = run('zbarimg', ['--quiet', '--raw', `${imagePrefix}.png`]).trim();
    assert.equal(decoded, sample.verifyUrl);
  });

  it('keeps all text inside the frame', () => {
    assertAllTextInsideFrame(file);
  });

  it('extracts composed text even when given decomposed (NFD) input', async () => {
    const decomposed = await renderCertificatePdf({
      ...sample,
      learnerName: sample.learnerName.normalize('NFD'),
      courseTitle: sample.courseTitle.normalize('NFD'),
      tenantName: sample.tenantName.normalize('NFD'),
    });
    const text = pageText(saved(decomposed));
    assert.ok(text.includes('Nguyễn Thị Hồng Nhung'), text);
    assert.ok(text.includes('Nhận diện và phòng tránh lừa đảo trực tuyến'), text);
    assert.ok(text.includes('TỈNH QUẢNG NAM'), text);
  });

  it('writes early days and months with a leading zero, as official documents do', async () => {
    const february = pageText(saved(await renderCertificatePdf({ ...sample, issuedOn: '2026-02-05' })));
    assert.ok(february.includes('ngày 05 tháng 02 năm 2026'), february);
    const april = pageText(saved(await renderCertificatePdf({ ...sample, issuedOn: '2026-04-07' })));
    assert.ok(april.includes('ngày 07 tháng 4 năm 2026'), april);
  });

  it('refuses an issue date that is not a real YYYY-MM-DD day', async () => {
    for (const issuedOn of ['2026-02-30', '29/11/2026', '2026-13-01', '']) {
      await assert.rejects(renderCertificatePdf({ ...sample, issuedOn }), RangeError, issuedOn);
    }
  });

  it('words another award (a qualification) with its validity, in the same design', async () => {
    const qualification = saved(
      await renderCertificatePdf({
        ...sample,
        courseTitle: 'Kỹ năng số cho cán bộ, công chức',
        award: {
          title: 'ĐẠT YÊU CẦU BÌNH DÂN HỌC VỤ SỐ',
          lead: 'đã hoàn thành chương trình',
          documentTitle: 'Giấy chứng nhận đạt yêu cầu Bình dân học vụ số',
        },
        validUntil: '2028-11-28',
      }),
    );
    const text = pageText(qualification);
    for (const expected of [
      'ĐẠT YÊU CẦU BÌNH DÂN HỌC VỤ SỐ',
      'đã hoàn thành chương trình',
      'Kỹ năng số cho cán bộ, công chức',
      'Có giá trị đến hết ngày 28 tháng 11 năm 2028',
    ]) {
      assert.ok(text.includes(expected), `missing "${expected}" in: ${text}`);
    }
    assert.ok(!text.includes('HOÀN THÀNH KHÓA HỌC'), text);
    assert.match(pdfInfo(qualification).get('Title') ?? '', /^Giấy chứng nhận đạt yêu cầu/);
    assertAllTextInsideFrame(qualification);
    // A course certificate does not lapse, and says nothing about validity.
    assert.ok(!pageText(file).includes('Có giá trị'));
  });

  it('fits very long names, titles, tenants and addresses on the one page', async () => {
    const longDocument: CertificateDocument = {
      ...sample,
      learnerName: 'Công Tằng Tôn Nữ Thị Phương Thảo Nguyễn Hoàng Bảo Ngọc Trâm Anh Diệu Hương',
      courseTitle:
        'Kỹ năng số cơ bản cho người cao tuổi: sử dụng điện thoại thông minh, dịch vụ công trực tuyến, ' +
        'thanh toán không dùng tiền mặt, nhận diện tin giả và bảo vệ thông tin cá nhân trên mạng xã hội. '.repeat(
          12,
        ),
      tenantName:
        'Ủy ban nhân dân phường Điện Bàn Đông, thành phố Đà Nẵng, Cộng hòa xã hội chủ nghĩa Việt Nam',
      verifyUrl: `https://hocvuso.quangnam.gov.vn/chung-nhan/kiem-tra?ma=HVS-QNA-2026-000123&t=${'x'.repeat(150)}`,
    };
    const longFile = saved(await renderCertificatePdf(longDocument));
    assert.equal(pdfInfo(longFile).get('Pages'), '1');
    assertAllTextInsideFrame(longFile);
    const text = pageText(longFile);
    assert.ok(text.includes('Công Tằng Tôn Nữ Thị Phương Thảo'), text);
    assert.ok(text.includes('Kỹ năng số cơ bản cho người cao tuổi'), text);
    assert.ok(text.includes('…'), 'a title too long even at the smallest size should end in …');
    assert.ok(text.includes('ngày 29 tháng 11 năm 2026'), text);
    assert.ok(text.includes('HVS-QNA-2026-000123'), text);
  });
});
