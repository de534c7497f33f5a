// Reads the rendered PDF back with poppler-utils (pdftotext, pdfinfo), the way a committee's
// secretary would copy from it or search in it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { type ChildRow, type Dashboard, type Figures, ratesOf, ZERO } from './dashboard/figures.js';
import { summaryPdf } from './summaryPdf.js';

const workDirectory = mkdtempSync(path.join(tmpdir(), 'summary-pdf-'));
let fileCount = 0;

function run(tool: string, args: string[]): string {
  try {
    return execFileSync(tool, args, { encoding: 'utf8' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new Error(`${tool} is not installed: apt-get install -y poppler-utils`);
    }
    throw error;
  }
}

function saved(pdf: Buffer): string {
  const file = path.join(workDirectory, `summary-${++fileCount}.pdf`);
  writeFileSync(file, pdf);
  return file;
}

/** Every page's text, runs of white space folded so wrapped lines still match. */
const textOf = (file: string): string => run('pdftotext', ['-layout', file, '-']).replace(/\s+/g, ' ');
/** One page's text (1-based). */
const pageText = (file: string, page: number): string =>
  run('pdftotext', ['-layout', '-f', String(page), '-l', String(page), file, '-']).replace(/\s+/g, ' ');
const pageCount = (file: string): number => Number(/Pages:\s+(\d+)/.exec(run('pdfinfo', [file]))?.[1]);

const figures = (counts: Partial<Figures>): Figures => ({ ...ZERO, ...counts });
const child = (name: string, counts: Partial<Figures>): ChildRow => {
  const f = figures(counts);
  return { unitId: name, name, figures: f, rates: ratesOf(f) };
};

const total = figures({
  people: 1250,
  assigned: 1200,
  done: 540,
  exempt: 3,
  overdue: 60,
  started: 900,
  completed: 540,
  qualified: 300,
  quizzes: 800,
  passes: 620,
  scores: 800 * 76.5,
});

function dashboard(over: Partial<Dashboard> = {}): Dashboard {
  return {
    tenantId: 'tenant',
    // Decomposed on purpose: the PDF must still carry NFC text.
    unit: {
      id: 'u1',
      name: 'Đại Lộc'.normalize('NFD'),
      fullName: 'Huyện Đại Lộc'.normalize('NFD'),
      path: '/p/u1/',
    },
    filters: { subject: '*', block: 'official', from: '2025-03-01', to: '2025-03-31' },
    subjectTitle: 'Mọi khóa học và chương trình',
    today: '2025-04-02',
    rateBase: 'assigned',
    figures: total,
    rates: ratesOf(total),
    byBlock: [
      { block: 'official', figures: total, rates: ratesOf(total) },
      { block: 'citizen', figures: ZERO, rates: ratesOf(ZERO) },
    ],
    children: [
      child('Xã Đại Hiệp', { people: 700, assigned: 700, started: 600, completed: 420, qualified: 250 }),
      child('Xã Đại Thạnh', { people: 550, assigned: 500, started: 300, completed: 120, overdue: 60 }),
    ],
    series: Array.from({ length: 31 }, (_, i) => ({
      day: `2025-03-${String(i + 1).padStart(2, '0')}`,
      started: i % 7 === 0 ? 60 : 25,
      completed: i % 5 === 0 ? 30 : 15,
    })),
    targets: [
      {
        year: 2025,
        block: 'official',
        metric: 'qualified',
        percent: 80,
        setAt: '',
        people: 1250,
        reached: 300,
        actual: 24,
        attained: false,
      },
    ],
    ...over,
  };
}

const OPTIONS = {
  tenantName: 'Tỉnh Quảng Nam',
  generatedAt: new Date('2025-04-02T02:35:00Z'),
  author: 'Nguyễn Thị Hồng Nhung',
};

after(() => rmSync(workDirectory, { recursive: true, force: true }));

describe('summary PDF', () => {
  it('is a PDF with the unit, period, filters and key figures in extractable Vietnamese', async () => {
    const pdf = await summaryPdf(dashboard(), OPTIONS);
    assert.equal(pdf.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = textOf(saved(pdf));
    assert.equal(text, text.normalize('NFC'));
    for (const expected of [
      'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
      'KẾT QUẢ PHỔ CẬP KỸ NĂNG SỐ – BÌNH DÂN HỌC VỤ SỐ',
      'HUYỆN ĐẠI LỘC',
      'Huyện Đại Lộc, Tỉnh Quảng Nam',
      'Từ ngày 01/03/2025 đến ngày 31/03/2025',
      'Nội dung học: Mọi khóa học và chương trình',
      'Khối: Cán bộ, công chức, viên chức',
      'lập lúc 09:35 ngày 02/04/2025',
      // Key figures: counts with Vietnamese digit grouping, rates on the 1.200 assigned.
      'Người trong danh sách 1.250',
      'Người đã bắt đầu học 900 75%',
      'Người đã hoàn thành 540 45%',
      'Người đạt yêu cầu (còn hiệu lực) 300 25%',
      'Người quá hạn chưa hoàn thành 60 5%',
      'Bài kiểm tra đã làm / đã đạt 800 / 620 77,5%',
      'Điểm trung bình bài kiểm tra (thang 100) 76,5',
      // Target attainment.
      'Đạt 0 trên 1 chỉ tiêu.',
      '80% 24% (300/1.250) Chưa đạt',
      // The charts' words, drawn as text rather than pictures.
      'Bắt đầu học',
      'Đường nét đứt: toàn đơn vị 45%.',
      // The child-unit table and the unit's own row.
      '1 Xã Đại Hiệp 700 600 (85,7%) 420 (60%) 250 (35,7%) 0 (0%)',
      'Toàn đơn vị 1.250 900 (75%) 540 (45%) 300 (25%) 60 (5%)',
      // The signature block.
      'Người lập biểu',
      'Thủ trưởng đơn vị',
      '(Ký tên, đóng dấu)',
      'Nguyễn Thị Hồng Nhung',
      'ngày …… tháng …… năm ……',
    ]) {
      assert.ok(text.includes(expected), `"${expected}" not in:\n${text}`);
    }
    const info = run('pdfinfo', [saved(pdf)]);
    assert.match(info, /Title:\s+Báo cáo kết quả phổ cập kỹ năng số – Huyện Đại Lộc, Tỉnh Quảng Nam/);
  });

  it('says "đến ngày" without a start, and the day figures were read without an end', async () => {
    const open = dashboard({ filters: { subject: '*', block: '', from: '', to: '' } });
    const text = textOf(saved(await summaryPdf(open, OPTIONS)));
    assert.ok(text.includes('(Đến ngày 02/04/2025)'));
    assert.ok(text.includes('Khối: Tất cả các khối'));
  });

  it('runs a long child-unit table over pages, its header on each, numbered "Trang N/M"', async () => {
    const children = Array.from({ length: 120 }, (_, i) =>
      child(`Xã Thử Nghiệm ${i + 1}`, { people: 100, assigned: 100, started: i % 100, completed: i % 50 }),
    );
    const file = saved(await summaryPdf(dashboard({ children }), OPTIONS));
    const pages = pageCount(file);
    assert.ok(pages >= 5, `${pages} pages`);
    const text = textOf(file);
    for (const n of [1, 60, 120]) assert.ok(text.includes(` ${n} Xã Thử Nghiệm ${n} `), `row ${n}`);
    assert.ok(text.includes('12 đơn vị cao nhất và 12 thấp nhất trong 120 đơn vị.'));
    for (let page = 1; page <= pages; page++) {
      const onPage = pageText(file, page);
      assert.ok(onPage.includes(`Trang ${page}/${pages}`), `footer of page ${page}`);
      if (onPage.includes('Xã Thử Nghiệm 9'))
        assert.ok(onPage.includes('TT Đơn vị Số người'), `header ${page}`);
    }
    assert.ok(pageText(file, pages).includes('Người lập biểu'));
  });

  it('prints an empty unit without failing', async () => {
    const empty = dashboard({
      figures: ZERO,
      rates: ratesOf(ZERO),
      byBlock: [],
      children: [],
      series: [],
      targets: [],
    });
    const text = textOf(saved(await summaryPdf(empty, { ...OPTIONS, author: undefined })));
    assert.ok(text.includes('Chưa đặt chỉ tiêu cho đơn vị này.'));
    assert.ok(text.includes('Chưa có dữ liệu trong khoảng thời gian này.'));
    assert.ok(text.includes('Đơn vị không có đơn vị trực thuộc.'));
    assert.ok(text.includes('Người lập biểu'));
  });
});
