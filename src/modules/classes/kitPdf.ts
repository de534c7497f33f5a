/**
 * The printable kit of a class session: the attendance sheet people sign on paper, then the
 * handout of the session's course, as one PDF to print before going to the village hall.
 */
import { PDF_COLORS, vietnameseFont } from '../../files/pdfStyle.js';
import { cleanText } from '../../text/vietnamese.js';
import {
  drawHandout,
  HANDOUT_PAGE,
  type HandoutCourse,
  handoutDocument,
  type ImageLoader,
} from '../catalog/handoutPdf.js';

export interface AttendanceSheet {
  tenantName: string;
  title: string;
  courseTitle: string | null;
  when: string;
  place: string;
  unitName: string;
  instructorName: string;
  capacity: number;
  /** Everyone holding a seat, in the order printed; phones already masked. */
  people: { name: string; phone: string }[];
}

type PDF = PDFKit.PDFDocument;

const REGULAR = vietnameseFont('400Regular');
const BOLD = vietnameseFont('700Bold');
const { ink: INK, muted: MUTED, red: RED, navy: NAVY } = PDF_COLORS;
const RULE = '#8c8c8c';
const SHADE = '#eef2f7';

const { width: PAGE_WIDTH, height: PAGE_HEIGHT, margin: MARGIN } = HANDOUT_PAGE;
const WIDTH = PAGE_WIDTH - 2 * MARGIN;
const BOTTOM = PAGE_HEIGHT - MARGIN;
/** Tall enough to sign in, with a pen, on a table in a village hall. */
const ROW_HEIGHT = 26;
const COLUMNS = [
  { title: 'STT', width: 32, align: 'center' as const },
  { title: 'Họ và tên', width: 215, align: 'left' as const },
  { title: 'Số điện thoại', width: 90, align: 'left' as const },
  { title: 'Ký tên', width: WIDTH - 337, align: 'left' as const },
];
/** Room the signature lines under the table need. */
const SIGNATURE_HEIGHT = 90;

/**
 * The kit as PDF bytes: the sheet's pages (numbered on their own), then the handout when the
 * session teaches a course.
 */
export async function renderClassKit(
  sheet: AttendanceSheet,
  handout: HandoutCourse | null,
  loadImage: ImageLoader,
): Promise<Buffer> {
  const { pdf, bytes } = handoutDocument({
    title: `Danh sách điểm danh: ${sheet.title}`,
    author: sheet.tenantName,
    subject: 'Bộ tài liệu lớp học trực tiếp — Bình dân học vụ số',
  });
  pdf.outline.addItem('Danh sách điểm danh');
  drawSheet(pdf, sheet);
  if (handout) {
    pdf.addPage();
    await drawHandout(pdf, handout, loadImage);
  }
  pdf.end();
  return bytes;
}

function drawSheet(pdf: PDF, sheet: AttendanceSheet): void {
  const centered = { width: WIDTH, align: 'center' as const };
  pdf.font(BOLD).fontSize(10.5).fillColor(RED);
  pdf.text(cleanText(sheet.tenantName).toLocaleUpperCase('vi'), MARGIN, MARGIN, centered);
  pdf.font(REGULAR).fontSize(9.5).fillColor(MUTED).text('Bình dân học vụ số', centered);
  pdf.moveDown(0.8).font(BOLD).fontSize(17).fillColor(NAVY).text('DANH SÁCH ĐIỂM DANH', centered);
  pdf.moveDown(0.2).font(BOLD).fontSize(13).fillColor(INK).text(cleanText(sheet.title), centered);
  pdf.moveDown(0.8);
  const facts: [string, string | null][] = [
    ['Khóa học', sheet.courseTitle],
    ['Thời gian', sheet.when],
    ['Địa điểm', sheet.place],
    ['Đơn vị tổ chức', sheet.unitName],
    ['Giảng viên', sheet.instructorName],
    ['Số chỗ', String(sheet.capacity)],
  ];
  for (const [label, value] of facts) {
    if (!value) continue;
    pdf
      .font(BOLD)
      .fontSize(10.5)
      .fillColor(INK)
      .text(`${label}: `, MARGIN, pdf.y, { continued: true, width: WIDTH });
    pdf.font(REGULAR).text(cleanText(value));
  }
  pdf.moveDown(0.8);

  const blanks = Math.max(sheet.capacity - sheet.people.length, 0);
  const rows = [...sheet.people, ...Array.from({ length: blanks }, () => ({ name: '', phone: '' }))];
  drawHeaderRow(pdf);
  rows.forEach((person, index) => {
    if (pdf.y + ROW_HEIGHT > BOTTOM) {
      pdf.addPage();
      drawHeaderRow(pdf);
    }
    drawRow(pdf, [String(index + 1), cleanText(person.name), person.phone, ''], false);
  });

  if (pdf.y + SIGNATURE_HEIGHT > BOTTOM) pdf.addPage();
  pdf.moveDown(1.5);
  const half = WIDTH / 2;
  const top = pdf.y;
  pdf.font(BOLD).fontSize(10.5).fillColor(INK);
  pdf.text('Người lập danh sách', MARGIN, top, { width: half, align: 'center' });
  pdf.text('Giảng viên', MARGIN + half, top, { width: half, align: 'center' });
  pdf.font(REGULAR).fontSize(9).fillColor(MUTED);
  pdf.text('(Ký, ghi rõ họ tên)', MARGIN, pdf.y, { width: half, align: 'center' });
  pdf.text('(Ký, ghi rõ họ tên)', MARGIN + half, top + 14, { width: half, align: 'center' });
  drawSheetFooters(pdf, cleanText(sheet.title));
}

function drawHeaderRow(pdf: PDF): void {
  pdf.rect(MARGIN, pdf.y, WIDTH, ROW_HEIGHT).fill(SHADE);
  drawRow(
    pdf,
    COLUMNS.map((c) => c.title),
    true,
  );
}

function drawRow(pdf: PDF, cells: string[], header: boolean): void {
  const top = pdf.y;
  let x = MARGIN;
  pdf
    .font(header ? BOLD : REGULAR)
    .fontSize(10)
    .fillColor(INK);
  for (const [index, column] of COLUMNS.entries()) {
    pdf.lineWidth(0.6).rect(x, top, column.width, ROW_HEIGHT).stroke(RULE);
    const text = cells[index] ?? '';
    if (text) {
      const fitted = fit(pdf, text, column.width - 10);
      const offset = column.align === 'center' ? (column.width - pdf.widthOfString(fitted)) / 2 : 5;
      pdf.text(fitted, x + offset, top + 8, { lineBreak: false });
    }
    x += column.width;
  }
  pdf.x = MARGIN;
  pdf.y = top + ROW_HEIGHT;
}

/** "Danh sách điểm danh — title · Trang N/M" at the foot of the sheet's pages. */
function drawSheetFooters(pdf: PDF, title: string): void {
  const range = pdf.bufferedPageRange();
  const count = range.count;
  const y = PAGE_HEIGHT - MARGIN + 24;
  for (let page = range.start; page < range.start + count; page++) {
    pdf.switchToPage(page);
    pdf.font(REGULAR).fontSize(8.5).fillColor(MUTED);
    const number = `Trang ${page - range.start + 1}/${count}`;
    const numberWidth = pdf.widthOfString(number);
    // No width: given one, pdfkit would start a new page for text below the bottom margin.
    pdf.text(fit(pdf, `Danh sách điểm danh — ${title}`, WIDTH - numberWidth - 24), MARGIN, y, {
      lineBreak: false,
    });
    pdf.text(number, MARGIN + WIDTH - numberWidth, y, { lineBreak: false });
  }
}

/** The text, shortened with "…" at a word boundary until it fits `width` in the current font. */
function fit(pdf: PDF, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) return text;
  let words = text.split(' ');
  while (words.length > 1 && pdf.widthOfString(`${words.join(' ')}…`) > width) words = words.slice(0, -1);
  return `${words.join(' ')}…`;
}
