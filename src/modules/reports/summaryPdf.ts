/**
 * A unit's dashboard as a printable report for the Party committee and the people's committee:
 * the administrative header, what the figures cover, the key figures with their rates, the
 * figures per block, the targets, the charts (drawn as vectors), every child unit in a table that
 * runs over as many pages as it needs, and the signature block.
 */
import PDFDocument from 'pdfkit';
import SVGtoPDF from 'svg-to-pdfkit';
import { PDF_COLORS, vietnameseFont } from '../../files/pdfStyle.js';
import { cleanText } from '../../text/vietnamese.js';
import { BLOCKS } from '../identity/blocks.js';
import { blockName, childChart, formatCount, formatDay, formatPercent, seriesChart } from './charts.js';
import { baseOf, type Dashboard, type Figures, type TargetProgress } from './dashboard/figures.js';

export interface SummaryPdfOptions {
  tenantName: string;
  generatedAt: Date;
  /** Who made the report: printed under "Người lập biểu". */
  author?: string;
}

export const REPORT_TITLE = 'KẾT QUẢ PHỔ CẬP KỸ NĂNG SỐ – BÌNH DÂN HỌC VỤ SỐ';

const REGULAR = 'regular';
const BOLD = 'bold';
const ITALIC = 'italic';
const BOLD_ITALIC = 'bold-italic';

const { ink: INK, muted: MUTED, red: RED, navy: NAVY } = PDF_COLORS;
const RULE = '#bfbfbf';
const SHADE = '#eef2f7';

/** A4 portrait in points; margins after Nghị định 30/2020/NĐ-CP (left 30 mm, right 20 mm). */
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = { top: 50, bottom: 62, left: 80, right: 52 };
const LEFT = MARGIN.left;
const WIDTH = PAGE_WIDTH - MARGIN.left - MARGIN.right;
const BOTTOM = PAGE_HEIGHT - MARGIN.bottom;
/** Charts are drawn at this many CSS pixels wide and scaled to the text width. */
const CHART_PIXELS = 560;
/** The child-unit chart shows at most this many bars; the table has every unit. */
const CHART_CHILDREN = 24;
/** A chart taller than this is drawn narrower, so that it shares its page with its heading. */
const CHART_MAX_HEIGHT = 540;

const METRIC_NAMES = { started: 'Bắt đầu học', completed: 'Hoàn thành', qualified: 'Đạt yêu cầu' };

const clock = new Intl.DateTimeFormat('vi-VN', {
  timeZone: 'Asia/Ho_Chi_Minh',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  day: '2-digit',
  month: '2-digit',
  year: 'numeric',
});

/** "09:35 ngày 29/11/2026", in Vietnam's time. */
function vietnamMoment(at: Date): string {
  const parts = Object.fromEntries(clock.formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.hour}:${parts.minute} ngày ${parts.day}/${parts.month}/${parts.year}`;
}

/** The period the figures cover, in words. */
export function periodText(dashboard: Dashboard): string {
  const { from, to } = dashboard.filters;
  const end = formatDay(to || dashboard.today);
  return from ? `Từ ngày ${formatDay(from)} đến ngày ${end}` : `Đến ngày ${end}`;
}

export async function summaryPdf(dashboard: Dashboard, options: SummaryPdfOptions): Promise<Buffer> {
  const tenantName = cleanText(options.tenantName);
  const unitName = cleanText(dashboard.unit.fullName || dashboard.unit.name);
  // "Huyện Đại Lộc, Tỉnh Quảng Nam": the unit placed in its province, unless it is the province.
  const fullName = unitName.toLocaleLowerCase('vi').endsWith(tenantName.toLocaleLowerCase('vi'))
    ? unitName
    : `${unitName}, ${tenantName}`;
  const author = options.author ? cleanText(options.author) : '';
  const generated = vietnamMoment(options.generatedAt);

  const pdf = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    // Page numbers ("Trang N/M") are written once every page exists.
    bufferPages: true,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `Báo cáo kết quả phổ cập kỹ năng số – ${fullName}`,
      Author: author || tenantName,
      Subject: `${periodText(dashboard)}. ${cleanText(dashboard.subjectTitle)}`,
      Creator: 'hocvuso',
    },
  });
  pdf.registerFont(REGULAR, vietnameseFont('400Regular'));
  pdf.registerFont(BOLD, vietnameseFont('700Bold'));
  pdf.registerFont(ITALIC, vietnameseFont('400Regular_Italic'));
  pdf.registerFont(BOLD_ITALIC, vietnameseFont('700Bold_Italic'));
  pdf.font(REGULAR);
  const finished = collect(pdf);
  const out = new Writer(pdf);

  drawHeader(pdf, tenantName, unitName);
  out.gap(22);
  out.line('BÁO CÁO', { font: BOLD, size: 16, color: RED, align: 'center' });
  out.line(REPORT_TITLE, { font: BOLD, size: 13, color: RED, align: 'center' });
  out.line(fullName, { font: BOLD, size: 12, color: NAVY, align: 'center' });
  out.line(`(${periodText(dashboard)})`, { font: ITALIC, size: 11, align: 'center' });
  out.gap(12);

  const block = dashboard.filters.block;
  out.field('Đơn vị', fullName);
  out.field('Kỳ báo cáo', periodText(dashboard));
  out.field('Nội dung học', cleanText(dashboard.subjectTitle));
  out.field('Khối', block ? blockName(block) : 'Tất cả các khối');
  out.field('Số liệu', `tính đến ngày ${formatDay(dashboard.today)}, lập lúc ${generated}`);

  out.heading('I. SỐ LIỆU CHÍNH');
  keyFigures(out, dashboard);

  out.heading('II. KẾT QUẢ THEO KHỐI');
  byBlock(out, dashboard);

  out.heading('III. THỰC HIỆN CHỈ TIÊU');
  targets(out, dashboard.targets);

  const series = seriesChart(dashboard.series, { width: CHART_PIXELS, height: 300, title: false });
  out.heading('IV. NGƯỜI BẮT ĐẦU HỌC VÀ HOÀN THÀNH THEO NGÀY', chartHeight(series.svg));
  out.chart(series.svg);
  // An empty chart already says there is nothing to show.
  if (dashboard.series.length > 0) out.paragraph(series.summary, { font: ITALIC, size: 9.5, color: MUTED });

  children(out, dashboard);

  signatures(out, author);

  drawFooters(pdf, tenantName, generated);
  pdf.end();
  return finished;
}

// ---------------------------------------------------------------------------------------------

interface TextStyle {
  font?: string;
  size?: number;
  color?: string;
  align?: 'left' | 'center' | 'right';
}

interface Column {
  title: string;
  width: number;
  align?: 'left' | 'center' | 'right';
}

type Row = { cells: string[]; bold?: boolean; shade?: boolean };

/** Writes down the page, starting a new one where the next piece would not fit. */
class Writer {
  constructor(readonly pdf: PDFKit.PDFDocument) {}

  /** Starts a new page unless `height` more points fit on this one. */
  room(height: number): void {
    if (this.pdf.y + height > BOTTOM) {
      this.pdf.addPage();
      this.pdf.y = MARGIN.top;
    }
  }

  gap(points: number): void {
    this.pdf.y += points;
  }

  private style(style: TextStyle): void {
    this.pdf
      .font(style.font ?? REGULAR)
      .fontSize(style.size ?? 11)
      .fillColor(style.color ?? INK);
  }

  line(text: string, style: TextStyle = {}): void {
    this.paragraph(text, style, 2);
  }

  paragraph(text: string, style: TextStyle = {}, after = 6): void {
    this.style(style);
    const height = this.pdf.heightOfString(cleanText(text), { width: WIDTH });
    this.room(Math.min(height, 60));
    this.pdf.text(cleanText(text), LEFT, this.pdf.y, { width: WIDTH, align: style.align ?? 'left' });
    this.pdf.y += after;
  }

  /** "Label: value" with the label in bold. */
  field(label: string, value: string): void {
    this.style({ size: 11 });
    this.room(16);
    this.pdf.font(BOLD).text(`${label}: `, LEFT, this.pdf.y, { width: WIDTH, continued: true });
    this.pdf.font(REGULAR).text(cleanText(value));
    this.pdf.y += 2;
  }

  /** A section heading, kept on one page with the first `keep` points of what follows. */
  heading(text: string, keep = 100): void {
    this.pdf.y += 10;
    this.room(keep + 24);
    this.style({ font: BOLD, size: 12, color: NAVY });
    this.pdf.text(text, LEFT, this.pdf.y, { width: WIDTH });
    this.pdf.y += 5;
  }

  /** An echarts SVG drawn as vectors across the text width. */
  chart(svg: string): void {
    const height = chartHeight(svg);
    const width = (WIDTH * height) / chartHeight(svg, false);
    this.room(height + 4);
    const top = this.pdf.y;
    SVGtoPDF(this.pdf, svg.normalize('NFC'), LEFT + (WIDTH - width) / 2, top, {
      width,
      height,
      fontCallback: (_family, bold, italic) =>
        bold ? (italic ? BOLD_ITALIC : BOLD) : italic ? ITALIC : REGULAR,
      warningCallback: () => {},
    });
    this.pdf.y = top + height + 4;
    this.pdf.x = LEFT;
  }

  /**
   * A table with a shaded header repeated on every page it runs over; each row as tall as its
   * tallest cell.
   */
  table(columns: Column[], rows: Row[], size = 9.5): void {
    const padding = 4;
    const heightOf = (cells: string[], font: string) => {
      this.pdf.font(font).fontSize(size);
      return (
        Math.max(
          ...cells.map((cell, i) =>
            this.pdf.heightOfString(cell, { width: (columns[i]?.width ?? 40) - 2 * padding }),
          ),
        ) +
        2 * padding
      );
    };
    const draw = (cells: string[], font: string, fill?: string) => {
      const height = heightOf(cells, font);
      const top = this.pdf.y;
      let x = LEFT;
      if (fill) this.pdf.rect(LEFT, top, WIDTH, height).fill(fill);
      this.pdf.font(font).fontSize(size).fillColor(INK);
      for (const [i, column] of columns.entries()) {
        this.pdf.text(cells[i] ?? '', x + padding, top + padding, {
          width: column.width - 2 * padding,
          align: column.align ?? 'left',
        });
        x += column.width;
      }
      this.pdf
        .lineWidth(0.5)
        .moveTo(LEFT, top + height)
        .lineTo(LEFT + WIDTH, top + height)
        .stroke(RULE);
      this.pdf.y = top + height;
      this.pdf.x = LEFT;
    };
    const header = columns.map((c) => c.title);
    const headerHeight = heightOf(header, BOLD);
    const first = rows[0];
    this.room(headerHeight + (first ? heightOf(first.cells, REGULAR) : 0));
    draw(header, BOLD, SHADE);
    for (const row of rows) {
      const font = row.bold ? BOLD : REGULAR;
      if (this.pdf.y + heightOf(row.cells, font) > BOTTOM) {
        this.pdf.addPage();
        this.pdf.y = MARGIN.top;
        draw(header, BOLD, SHADE);
      }
      draw(row.cells, font, row.shade ? SHADE : undefined);
    }
    this.pdf.y += 6;
  }
}

/** How tall a chart comes out once scaled to the text width, and cut down to the tallest allowed. */
function chartHeight(svg: string, capped = true): number {
  const size = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(svg);
  const pixelsWide = Number(size?.[1] ?? CHART_PIXELS);
  const pixelsHigh = Number(size?.[2] ?? CHART_PIXELS / 2);
  const height = (pixelsHigh * WIDTH) / pixelsWide;
  return capped ? Math.min(height, CHART_MAX_HEIGHT) : height;
}

/** Column widths from shares of the text width. */
const columnsOf = (spec: [string, number, Column['align']?][]): Column[] => {
  const total = spec.reduce((sum, [, share]) => sum + share, 0);
  return spec.map(([title, share, align]) => ({ title, width: (share / total) * WIDTH, align }));
};

/** "1.234 (45,3%)": a count with its rate, or the count alone when there is no base. */
const countAndRate = (count: number, rate: number | null) =>
  rate === null ? formatCount(count) : `${formatCount(count)} (${formatPercent(rate)})`;

function drawHeader(pdf: PDFKit.PDFDocument, tenantName: string, unitName: string): void {
  const top = MARGIN.top;
  const leftWidth = WIDTH * 0.42;
  const rightX = LEFT + leftWidth;
  const rightWidth = WIDTH - leftWidth;
  pdf.fillColor(INK).font(REGULAR).fontSize(10.5);
  const sameName = unitName.toLocaleUpperCase('vi') === tenantName.toLocaleUpperCase('vi');
  let y = top;
  if (!sameName) {
    pdf.text(tenantName.toLocaleUpperCase('vi'), LEFT, y, { width: leftWidth, align: 'center' });
    y = pdf.y;
  }
  pdf.font(BOLD).text(unitName.toLocaleUpperCase('vi'), LEFT, y, { width: leftWidth, align: 'center' });
  const leftRule = pdf.y + 2;
  pdf
    .lineWidth(0.6)
    .moveTo(LEFT + leftWidth / 2 - 35, leftRule)
    .lineTo(LEFT + leftWidth / 2 + 35, leftRule)
    .stroke(INK);

  pdf.font(BOLD).fontSize(10.5).fillColor(INK);
  pdf.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', rightX, top, { width: rightWidth, align: 'center' });
  pdf.fontSize(11.5).text('Độc lập – Tự do – Hạnh phúc', rightX, pdf.y, {
    width: rightWidth,
    align: 'center',
  });
  const mottoWidth = pdf.widthOfString('Độc lập – Tự do – Hạnh phúc');
  const rightRule = pdf.y + 2;
  pdf
    .lineWidth(0.6)
    .moveTo(rightX + (rightWidth - mottoWidth) / 2, rightRule)
    .lineTo(rightX + (rightWidth + mottoWidth) / 2, rightRule)
    .stroke(INK);
  pdf.x = LEFT;
  pdf.y = Math.max(leftRule, rightRule) + 4;
}

function keyFigures(out: Writer, dashboard: Dashboard): void {
  const f = dashboard.figures;
  const r = dashboard.rates;
  const rows: Row[] = [
    { cells: ['1', 'Người trong danh sách', formatCount(f.people), ''] },
    { cells: ['2', 'Người được giao học', formatCount(f.assigned), ''] },
    { cells: ['3', 'Người đã bắt đầu học', formatCount(f.started), formatPercent(r.started)] },
    { cells: ['4', 'Người đã hoàn thành', formatCount(f.completed), formatPercent(r.completed)] },
    {
      cells: ['5', 'Người đạt yêu cầu (còn hiệu lực)', formatCount(f.qualified), formatPercent(r.qualified)],
    },
    {
      cells: ['6', 'Người quá hạn chưa hoàn thành', formatCount(f.overdue), formatPercent(r.overdue)],
    },
    { cells: ['7', 'Người được miễn học', formatCount(f.exempt), ''] },
    {
      cells: [
        '8',
        'Bài kiểm tra đã làm / đã đạt',
        `${formatCount(f.quizzes)} / ${formatCount(f.passes)}`,
        formatPercent(r.passRate),
      ],
    },
    {
      cells: [
        '9',
        'Điểm trung bình bài kiểm tra (thang 100)',
        r.averageScore === null ? '–' : formatPercent(r.averageScore).replace('%', ''),
        '',
      ],
    },
  ];
  out.table(
    columnsOf([
      ['TT', 6, 'center'],
      ['Nội dung', 54],
      ['Số lượng', 20, 'right'],
      ['Tỉ lệ', 20, 'right'],
    ]),
    rows,
    10,
  );
  const base = dashboard.rateBase === 'assigned' ? 'người được giao học' : 'người trong danh sách';
  out.paragraph(
    baseOf(f, dashboard.rateBase) === 0
      ? 'Chưa có người trong danh sách để tính tỉ lệ.'
      : `Tỉ lệ các dòng 3–5 tính trên ${formatCount(baseOf(f, dashboard.rateBase))} ${base}; tỉ lệ quá hạn tính trên ` +
          `người được giao học; tỉ lệ đạt tính trên số bài kiểm tra đã làm.`,
    { font: ITALIC, size: 9, color: MUTED },
  );
}

function byBlock(out: Writer, dashboard: Dashboard): void {
  const shown = dashboard.byBlock.filter((b) => b.figures.people > 0 || b.figures.assigned > 0);
  if (shown.length === 0) {
    out.paragraph('Chưa có người học trong danh sách.');
    return;
  }
  out.table(
    columnsOf([
      ['Khối', 34],
      ['Số người', 13, 'right'],
      ['Bắt đầu học', 18, 'right'],
      ['Hoàn thành', 18, 'right'],
      ['Đạt yêu cầu', 18, 'right'],
    ]),
    shown.map((b) => ({
      cells: [
        BLOCKS[b.block as keyof typeof BLOCKS] ?? b.block,
        formatCount(b.figures.people),
        countAndRate(b.figures.started, b.rates.started),
        countAndRate(b.figures.completed, b.rates.completed),
        countAndRate(b.figures.qualified, b.rates.qualified),
      ],
    })),
  );
}

function targets(out: Writer, list: TargetProgress[]): void {
  if (list.length === 0) {
    out.paragraph('Chưa đặt chỉ tiêu cho đơn vị này.');
    return;
  }
  const attained = list.filter((t) => t.attained).length;
  out.paragraph(`Đạt ${attained} trên ${list.length} chỉ tiêu.`);
  out.table(
    columnsOf([
      ['Khối', 30],
      ['Chỉ tiêu', 24],
      ['Mục tiêu', 12, 'right'],
      ['Thực hiện', 20, 'right'],
      ['Đánh giá', 14, 'center'],
    ]),
    list.map((t) => ({
      cells: [
        blockName(t.block),
        `${METRIC_NAMES[t.metric]} năm ${t.year}`,
        formatPercent(t.percent),
        t.actual === null
          ? 'chưa có người'
          : `${formatPercent(t.actual)} (${formatCount(t.reached)}/${formatCount(t.people)})`,
        t.attained ? 'Đạt' : 'Chưa đạt',
      ],
    })),
  );
}

function children(out: Writer, dashboard: Dashboard): void {
  const heading = 'V. KẾT QUẢ CÁC ĐƠN VỊ TRỰC THUỘC';
  if (dashboard.children.length === 0) {
    out.heading(heading);
    out.paragraph('Đơn vị không có đơn vị trực thuộc.');
    return;
  }
  const chart = childChart(dashboard.children, 'completed', {
    width: CHART_PIXELS,
    title: false,
    overall: dashboard.rates.completed,
    limit: CHART_CHILDREN,
  });
  out.heading(heading, chartHeight(chart.svg) + 24);
  out.paragraph('Tỉ lệ hoàn thành của các đơn vị trực thuộc:', { font: BOLD_ITALIC, size: 10 }, 2);
  out.chart(chart.svg);
  out.paragraph(chart.summary, { font: ITALIC, size: 9.5, color: MUTED });
  const cells = (f: Figures, r: Dashboard['rates']) => [
    formatCount(f.people),
    countAndRate(f.started, r.started),
    countAndRate(f.completed, r.completed),
    countAndRate(f.qualified, r.qualified),
    countAndRate(f.overdue, r.overdue),
  ];
  out.table(
    columnsOf([
      ['TT', 5, 'center'],
      ['Đơn vị', 25],
      ['Số người', 11, 'right'],
      ['Bắt đầu học', 15, 'right'],
      ['Hoàn thành', 15, 'right'],
      ['Đạt yêu cầu', 15, 'right'],
      ['Quá hạn', 14, 'right'],
    ]),
    [
      ...dashboard.children.map((c, i) => ({
        cells: [String(i + 1), cleanText(c.name), ...cells(c.figures, c.rates)],
      })),
      {
        cells: ['', 'Toàn đơn vị', ...cells(dashboard.figures, dashboard.rates)],
        bold: true,
        shade: true,
      },
    ],
    8.5,
  );
}

function signatures(out: Writer, author: string): void {
  const { pdf } = out;
  out.gap(16);
  out.room(150);
  const top = pdf.y;
  const half = WIDTH / 2;
  const right = LEFT + half;
  pdf.font(ITALIC).fontSize(10.5).fillColor(INK);
  pdf.text('…………, ngày …… tháng …… năm ……', right, top, { width: half, align: 'center' });
  const titles = pdf.y + 2;
  pdf.font(BOLD).fontSize(11.5);
  pdf.text('Người lập biểu', LEFT, titles, { width: half, align: 'center' });
  pdf.text('Thủ trưởng đơn vị', right, titles, { width: half, align: 'center' });
  const notes = pdf.y;
  pdf.font(ITALIC).fontSize(10);
  pdf.text('(Ký, ghi rõ họ tên)', LEFT, notes, { width: half, align: 'center' });
  pdf.text('(Ký tên, đóng dấu)', right, notes, { width: half, align: 'center' });
  if (author) {
    pdf.font(BOLD).fontSize(11.5);
    pdf.text(author, LEFT, notes + 80, { width: half, align: 'center' });
  }
  pdf.x = LEFT;
  pdf.y = notes + 100;
}

/** On every page: where the report comes from, when it was made, and "Trang N/M". */
function drawFooters(pdf: PDFKit.PDFDocument, tenantName: string, generated: string): void {
  const range = pdf.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    pdf.switchToPage(i);
    // Writing below the bottom margin would otherwise start a new page.
    const bottom = pdf.page.margins.bottom;
    pdf.page.margins.bottom = 0;
    const y = PAGE_HEIGHT - MARGIN.bottom + 22;
    pdf
      .lineWidth(0.5)
      .moveTo(LEFT, y - 6)
      .lineTo(LEFT + WIDTH, y - 6)
      .stroke(RULE);
    pdf.font(REGULAR).fontSize(8.5).fillColor(MUTED);
    pdf.text(`Bình dân học vụ số – ${tenantName}. Lập lúc ${generated}.`, LEFT, y, {
      width: WIDTH - 80,
      lineBreak: false,
      ellipsis: '…',
    });
    pdf.text(`Trang ${i - range.start + 1}/${range.count}`, LEFT + WIDTH - 80, y, {
      width: 80,
      align: 'right',
      lineBreak: false,
    });
    pdf.page.margins.bottom = bottom;
  }
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
