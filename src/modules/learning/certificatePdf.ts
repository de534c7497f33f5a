import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import { PDF_COLORS, vietnameseFont } from '../../files/pdfStyle.js';
import { cleanText } from '../../text/vietnamese.js';

export interface CertificateDocument {
  code: string;
  learnerName: string;
  /** What was completed: the course's title, or the program's name for a qualification. */
  courseTitle: string;
  /** YYYY-MM-DD */
  issuedOn: string;
  tenantName: string;
  verifyUrl: string;
  /** What the certificate confirms; a course completion when not given. */
  award?: CertificateAward;
  /** YYYY-MM-DD, the last day the certificate counts; none: it does not lapse. */
  validUntil?: string | null;
}

/** The wording around the name of what was completed, so one design serves every certificate. */
export interface CertificateAward {
  /** The line under "GIẤY CHỨNG NHẬN", in capitals. */
  title: string;
  /** The words between the person's name and what they completed. */
  lead: string;
  /** The document title viewers show, before what was completed. */
  documentTitle: string;
}

export const COURSE_AWARD: CertificateAward = {
  title: 'HOÀN THÀNH KHÓA HỌC',
  lead: 'đã hoàn thành khóa học',
  documentTitle: 'Giấy chứng nhận hoàn thành khóa học',
};

const REGULAR_FONT = vietnameseFont('400Regular');
const BOLD_FONT = vietnameseFont('700Bold');

const PAPER = '#fffdf6';
const { ink: INK, muted: MUTED, red: RED, navy: NAVY, gold: GOLD } = PDF_COLORS;

/** A4 landscape in points. */
const PAGE_WIDTH = 841.89;
const PAGE_HEIGHT = 595.28;
const OUTER_FRAME_INSET = 22;
const INNER_FRAME_INSET = 30;
const CONTENT_LEFT = 70;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * CONTENT_LEFT;

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

interface TextStyle {
  font: string;
  maxSize: number;
  minSize: number;
  color: string;
  align?: 'left' | 'center';
  characterSpacing?: number;
}

export async function renderCertificatePdf(doc: CertificateDocument): Promise<Buffer> {
  // Every text is drawn in NFC: decomposed marks become separate glyphs that text extraction and
  // search in PDF viewers do not put back together.
  const learnerName = cleanText(doc.learnerName);
  const courseTitle = cleanText(doc.courseTitle);
  const tenantName = cleanText(doc.tenantName);
  const code = cleanText(doc.code);
  const verifyUrl = doc.verifyUrl.normalize('NFC').trim();
  const issuedOn = vietnameseDate(doc.issuedOn);
  const validUntil = doc.validUntil ? vietnameseDate(doc.validUntil) : null;
  const award = doc.award ?? COURSE_AWARD;

  const pdf = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    // No margins: every text is placed in an explicit box, and a margin would only let pdfkit start a
    // second page when a box sits below it.
    margin: 0,
    font: REGULAR_FONT,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: `${award.documentTitle}: ${courseTitle}`,
      Author: tenantName,
      Subject: `Chứng nhận ${learnerName} ${award.lead} “${courseTitle}” — Bình dân học vụ số`,
      Keywords: code,
      Creator: 'hocvuso',
    },
  });
  const finished = collect(pdf);

  drawBackgroundAndFrame(pdf);

  drawFitted(pdf, tenantName.toLocaleUpperCase('vi'), box(48, 22), {
    font: BOLD_FONT,
    maxSize: 15,
    minSize: 9,
    color: RED,
  });
  drawFitted(pdf, 'Phong trào “Bình dân học vụ số”', box(72, 18), {
    font: REGULAR_FONT,
    maxSize: 12,
    minSize: 12,
    color: MUTED,
  });
  drawDivider(pdf, 102);
  drawFitted(pdf, 'GIẤY CHỨNG NHẬN', box(114, 56), {
    font: BOLD_FONT,
    maxSize: 42,
    minSize: 42,
    color: RED,
  });
  drawFitted(pdf, award.title, box(168, 22), {
    font: REGULAR_FONT,
    maxSize: 15,
    minSize: 15,
    color: NAVY,
    characterSpacing: 1,
  });

  drawFitted(pdf, 'Chứng nhận Ông/Bà', box(206, 18), {
    font: REGULAR_FONT,
    maxSize: 13,
    minSize: 13,
    color: MUTED,
  });
  // One line of 36 pt, or two lines only once the name is down to 22 pt: names read best unbroken.
  drawFitted(pdf, learnerName, box(226, 56), { font: BOLD_FONT, maxSize: 36, minSize: 14, color: NAVY });
  drawFitted(pdf, award.lead, box(288, 18), {
    font: REGULAR_FONT,
    maxSize: 13,
    minSize: 13,
    color: MUTED,
  });
  drawFitted(pdf, courseTitle, box(310, 84), { font: BOLD_FONT, maxSize: 22, minSize: 11, color: INK });

  const qrSize = 118;
  const qrTop = PAGE_HEIGHT - INNER_FRAME_INSET - 18 - qrSize;
  drawQrCode(pdf, verifyUrl, CONTENT_LEFT, qrTop, qrSize);
  drawFitted(
    pdf,
    `Quét mã để kiểm tra:\n${verifyUrl}`,
    { x: CONTENT_LEFT + qrSize + 12, y: qrTop + 8, width: 200, height: qrSize - 16 },
    { font: REGULAR_FONT, maxSize: 10, minSize: 6, color: MUTED, align: 'left' },
  );

  const issueBlock = { x: PAGE_WIDTH - CONTENT_LEFT - 280, width: 280 };
  drawFitted(
    pdf,
    `Cấp ${issuedOn}`,
    { ...issueBlock, y: qrTop + 30, height: 20 },
    { font: REGULAR_FONT, maxSize: 13, minSize: 8, color: INK },
  );
  drawFitted(
    pdf,
    `Số hiệu: ${code}`,
    { ...issueBlock, y: qrTop + 56, height: 20 },
    { font: BOLD_FONT, maxSize: 13, minSize: 7, color: INK },
  );
  if (validUntil) {
    drawFitted(
      pdf,
      `Có giá trị đến hết ${validUntil}`,
      { ...issueBlock, y: qrTop + 82, height: 20 },
      { font: REGULAR_FONT, maxSize: 13, minSize: 8, color: INK },
    );
  }

  pdf.end();
  return finished;
}

/**
 * "ngày 29 tháng 11 năm 2026". Days below 10 and months below 3 keep their leading zero, as
 * administrative documents write them (Nghị định 30/2020/NĐ-CP), so "ngày 05 tháng 02".
 */
function vietnameseDate(isoDate: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  const [year, month, day] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [0, 0, 0];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (!match || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    throw new RangeError(`Ngày cấp không hợp lệ: ${isoDate} (cần dạng YYYY-MM-DD)`);
  }
  const monthText = month < 3 ? String(month).padStart(2, '0') : String(month);
  return `ngày ${String(day).padStart(2, '0')} tháng ${monthText} năm ${year}`;
}

/** A full-width content band at a given height. */
function box(y: number, height: number): Box {
  return { x: CONTENT_LEFT, y, width: CONTENT_WIDTH, height };
}

/**
 * Draws text vertically centred in a box at the largest size (in half points) at which it fits, wrapping
 * as needed; text that does not fit even at the smallest size is cut with "…" rather than overflowing.
 */
function drawFitted(pdf: PDFKit.PDFDocument, text: string, area: Box, style: TextStyle): void {
  const options = {
    width: area.width,
    align: style.align ?? 'center',
    characterSpacing: style.characterSpacing ?? 0,
  };
  pdf.font(style.font);
  let size = style.maxSize;
  while (size > style.minSize && pdf.fontSize(size).heightOfString(text, options) > area.height) {
    size -= 0.5;
  }
  pdf.fontSize(size);
  const top = area.y + Math.max(0, (area.height - pdf.heightOfString(text, options)) / 2);
  pdf.fillColor(style.color).text(text, area.x, top, {
    ...options,
    height: area.y + area.height - top,
    ellipsis: '…',
  });
}

function drawBackgroundAndFrame(pdf: PDFKit.PDFDocument): void {
  pdf.rect(0, 0, PAGE_WIDTH, PAGE_HEIGHT).fill(PAPER);
  pdf
    .lineWidth(4)
    .rect(
      OUTER_FRAME_INSET,
      OUTER_FRAME_INSET,
      PAGE_WIDTH - 2 * OUTER_FRAME_INSET,
      PAGE_HEIGHT - 2 * OUTER_FRAME_INSET,
    )
    .stroke(RED);
  pdf
    .lineWidth(1)
    .rect(
      INNER_FRAME_INSET,
      INNER_FRAME_INSET,
      PAGE_WIDTH - 2 * INNER_FRAME_INSET,
      PAGE_HEIGHT - 2 * INNER_FRAME_INSET,
    )
    .stroke(GOLD);
  for (const x of [INNER_FRAME_INSET, PAGE_WIDTH - INNER_FRAME_INSET]) {
    for (const y of [INNER_FRAME_INSET, PAGE_HEIGHT - INNER_FRAME_INSET]) {
      drawDiamond(pdf, x, y, 6);
    }
  }
}

/** A short gold rule with a diamond in the middle, between the header and the title. */
function drawDivider(pdf: PDFKit.PDFDocument, y: number): void {
  const middle = PAGE_WIDTH / 2;
  pdf
    .lineWidth(0.8)
    .moveTo(middle - 90, y)
    .lineTo(middle - 10, y)
    .moveTo(middle + 10, y)
    .lineTo(middle + 90, y)
    .stroke(GOLD);
  drawDiamond(pdf, middle, y, 4);
}

function drawDiamond(pdf: PDFKit.PDFDocument, x: number, y: number, radius: number): void {
  pdf.polygon([x, y - radius], [x + radius, y], [x, y + radius], [x - radius, y]).fill(GOLD);
}

/**
 * Draws the QR code as vector squares (sharp at any zoom or print size) on a white square that
 * includes the 4-module quiet zone scanners need.
 */
function drawQrCode(pdf: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: 'M' });
  const quietZone = 4;
  const moduleSize = size / (modules.size + 2 * quietZone);
  const origin = quietZone * moduleSize;
  pdf.rect(x, y, size, size).fill('#ffffff');
  for (let row = 0; row < modules.size; row++) {
    // One rectangle per run of dark modules keeps the path short.
    let col = 0;
    while (col < modules.size) {
      if (!modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < modules.size && modules.get(row, col)) col++;
      pdf.rect(
        x + origin + start * moduleSize,
        y + origin + row * moduleSize,
        (col - start) * moduleSize,
        moduleSize,
      );
    }
  }
  // Filled as one path so viewers do not show hairline seams between rows.
  pdf.fill('#000000');
}

function collect(pdf: PDFKit.PDFDocument): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
