import MarkdownIt from 'markdown-it';
import PDFDocument from 'pdfkit';
import sharp from 'sharp';
import { PDF_COLORS, vietnameseFont } from '../../files/pdfStyle.js';
import { cleanText, compareVietnamese } from '../../text/vietnamese.js';
import type { QuestionDraft } from '../assessment/questionDraft.js';

export interface HandoutCourse {
  title: string;
  summary: string;
  tenantName: string;
  /** e.g. "Phiên bản 3 — 29/11/2026" */
  versionLabel: string;
  modules: { title: string; lessons: HandoutLesson[] }[];
}

export interface HandoutLesson {
  title: string;
  minutes: number;
  markdown: string;
  questions: HandoutQuestion[];
}

export type HandoutQuestion = Pick<QuestionDraft, 'prompt' | 'situation' | 'body'>;

/** Gives the bytes of an image a lesson refers to (its `src` as written), or null when it is missing. */
export type ImageLoader = (src: string) => Promise<Buffer | null>;

type PDF = PDFKit.PDFDocument;
type Token = ReturnType<MarkdownIt['parse']>[number];

const REGULAR = vietnameseFont('400Regular');
const ITALIC = vietnameseFont('400Regular_Italic');
const BOLD = vietnameseFont('700Bold');
const BOLD_ITALIC = vietnameseFont('700Bold_Italic');
// Code in lessons is addresses, file names and passwords. There is no monospaced face with Vietnamese
// marks among the dependencies, and Courier's different ascender and line height would break the line
// layout of mixed runs, so code is set in a heavier weight and its own colour instead.
const CODE_FONT = vietnameseFont('600SemiBold');

const { ink: INK, muted: MUTED, red: RED, navy: NAVY, gold: GOLD } = PDF_COLORS;
const CODE = '#7c2d12';
const RULE = '#c8c8c8';
const SHADE = '#f1efe8';

/** A4 portrait in points. */
const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56;
const CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN;
const CONTENT_HEIGHT = PAGE_HEIGHT - 2 * MARGIN;

const BODY_SIZE = 11;
const LINE_GAP = 2.5;
const PARAGRAPH_GAP = 7;
const LIST_INDENT = 18;
const QUOTE_INDENT = 16;
/** Space a heading needs below it (about three lines of text) so that it is not left alone at a page foot. */
const KEEP_WITH_HEADING = 3 * (BODY_SIZE * 1.3 + LINE_GAP);
/** Big enough for one illustration with text around it, not a page taken by a single picture. */
const MAX_IMAGE_HEIGHT = CONTENT_HEIGHT * 0.5;
/** Images are printed at this resolution at most: sharp on paper, small enough to photocopy quickly. */
const PRINT_DPI = 200;
/** CSS pixels (what image sizes in lessons mean on screen) to points. */
const POINTS_PER_PIXEL = 0.75;
const BOX_SIZE = 8.5;

// The same options as the lesson page, so the handout shows what learners read online.
const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false });

/** A4 portrait with the handout's margins, in points, for documents that add pages of their own. */
export const HANDOUT_PAGE = { width: PAGE_WIDTH, height: PAGE_HEIGHT, margin: MARGIN } as const;

/** What a PDF viewer shows as the document's properties. */
export interface DocumentInfo {
  title: string;
  author: string;
  subject: string;
}

/**
 * A document set up like the handout (A4, its margins, Be Vietnam Pro, pages kept in memory so
 * page numbers and contents are written last), and its bytes once `pdf.end()` is called.
 * @example const { pdf, bytes } = handoutDocument(info); drawSheet(pdf); pdf.addPage(); await drawHandout(pdf, course, load); pdf.end();
 */
export function handoutDocument(info: DocumentInfo): { pdf: PDF; bytes: Promise<Buffer> } {
  const pdf = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    // Page numbers ("Trang N/M") and the table of contents are written once every page exists.
    bufferPages: true,
    font: REGULAR,
    lang: 'vi-VN',
    displayTitle: true,
    info: {
      Title: cleanText(info.title),
      Author: cleanText(info.author),
      Subject: info.subject,
      Creator: 'hocvuso',
    },
  });
  return { pdf, bytes: collect(pdf) };
}

export async function renderHandoutPdf(course: HandoutCourse, loadImage: ImageLoader): Promise<Buffer> {
  const { pdf, bytes } = handoutDocument({
    title: course.title,
    author: course.tenantName,
    subject: 'Tài liệu phát tay — Bình dân học vụ số',
  });
  await drawHandout(pdf, course, loadImage);
  pdf.end();
  return bytes;
}

/**
 * Draws a course's handout (title page, contents, lessons with their questions) from the current
 * page of `pdf`, which must be empty, to the end. Its pages are numbered on their own, so the
 * handout reads the same after other pages (an attendance sheet) as alone.
 */
export async function drawHandout(pdf: PDF, course: HandoutCourse, loadImage: ImageLoader): Promise<void> {
  const title = cleanText(course.title);
  const first = currentPage(pdf);
  drawTitlePage(pdf, course);

  // Modules without lessons have nothing to print; numbers stay those of the course.
  const modules = course.modules
    .map((module, index) => ({ number: index + 1, title: cleanText(module.title), lessons: module.lessons }))
    .filter((module) => module.lessons.length > 0);
  const toc: TocEntry[] = [];
  let lessonNumber = 0;
  for (const module of modules) {
    toc.push({ text: `Phần ${module.number}. ${module.title}`, level: 0, page: 0 });
    for (const lesson of module.lessons) {
      toc.push({ text: `Bài ${++lessonNumber}. ${cleanText(lesson.title)}`, level: 1, page: 0 });
    }
  }
  const tocLayout = layoutToc(pdf, toc);
  const tocStart = currentPage(pdf) + 1;
  for (let page = 0; page < tocLayout.pages; page++) pdf.addPage();
  pdf.outline.addItem('Mục lục');

  lessonNumber = 0;
  let entry = 0;
  for (const module of modules) {
    const moduleEntry = toc[entry++];
    const outline = pdf.outline.addItem(moduleEntry?.text ?? module.title);
    for (const [index, lesson] of module.lessons.entries()) {
      pdf.addPage();
      const page = currentPage(pdf) - first + 1;
      if (moduleEntry && index === 0) moduleEntry.page = page;
      const lessonEntry = toc[entry++];
      if (lessonEntry) lessonEntry.page = page;
      outline.addItem(lessonEntry?.text ?? lesson.title);
      drawLessonHeading(pdf, index === 0 ? module : null, ++lessonNumber, lesson);
      await new LessonBody(pdf, loadImage).render(lesson.markdown);
      drawQuestions(pdf, lesson.questions);
    }
  }

  drawToc(pdf, toc, tocLayout, tocStart);
  drawFooters(pdf, title, first);
}

// ---------------------------------------------------------------------------------------------------
// Pages

function drawTitlePage(pdf: PDF, course: HandoutCourse): void {
  const centered = { width: CONTENT_WIDTH, align: 'center' as const };
  pdf.rect(0, 0, PAGE_WIDTH, 10).fill(NAVY);
  pdf
    .font(BOLD)
    .fontSize(12)
    .fillColor(RED)
    .text(cleanText(course.tenantName).toLocaleUpperCase('vi'), MARGIN, MARGIN + 10, centered);
  pdf.moveDown(0.3).font(REGULAR).fontSize(10.5).fillColor(MUTED);
  pdf.text('Tài liệu phát tay — Bình dân học vụ số', MARGIN, pdf.y, centered);

  pdf.font(BOLD).fontSize(28).fillColor(NAVY);
  pdf.text(cleanText(course.title), MARGIN, PAGE_HEIGHT * 0.3, { ...centered, lineGap: 4 });
  const dividerY = pdf.y + 18;
  const middle = PAGE_WIDTH / 2;
  pdf
    .lineWidth(0.8)
    .moveTo(middle - 90, dividerY)
    .lineTo(middle + 90, dividerY)
    .stroke(GOLD);
  const summaryWidth = CONTENT_WIDTH - 60;
  pdf.font(REGULAR).fontSize(12.5).fillColor(INK);
  pdf.text(cleanText(course.summary), (PAGE_WIDTH - summaryWidth) / 2, dividerY + 20, {
    width: summaryWidth,
    align: 'center',
    lineGap: 4,
  });

  const lessons = course.modules.flatMap((module) => module.lessons);
  const minutes = lessons.reduce((sum, lesson) => sum + lesson.minutes, 0);
  const questions = lessons.reduce((sum, lesson) => sum + lesson.questions.length, 0);
  const facts = [`${lessons.length} bài học`, `khoảng ${minutes} phút`, `${questions} câu hỏi ôn tập`];
  pdf.font(REGULAR).fontSize(10.5).fillColor(MUTED);
  pdf.text(facts.join(' · '), MARGIN, PAGE_HEIGHT - MARGIN - 44, centered);
  pdf.moveDown(0.3).text(cleanText(course.versionLabel), MARGIN, pdf.y, centered);
}

interface ModuleHeading {
  number: number;
  title: string;
}

function drawLessonHeading(
  pdf: PDF,
  module: ModuleHeading | null,
  number: number,
  lesson: HandoutLesson,
): void {
  // No letter spacing in the "PHẦN"/"BÀI" labels: text extraction would split the words ("BÀ I").
  if (module) {
    pdf.font(BOLD).fontSize(10).fillColor(RED);
    pdf.text(`PHẦN ${module.number}`, MARGIN, MARGIN, { width: CONTENT_WIDTH });
    pdf.font(BOLD).fontSize(16).fillColor(RED).text(module.title, { width: CONTENT_WIDTH, lineGap: 2 });
    pdf.y += 6;
    horizontalRule(pdf, MARGIN, CONTENT_WIDTH, GOLD, 1);
    pdf.y += 22;
  }
  pdf.font(BOLD).fontSize(9.5).fillColor(MUTED);
  pdf.text(`BÀI ${number}`, MARGIN, pdf.y, { width: CONTENT_WIDTH });
  pdf.y += 2;
  pdf.font(BOLD).fontSize(20).fillColor(NAVY);
  pdf.text(cleanText(lesson.title), MARGIN, pdf.y, { width: CONTENT_WIDTH, lineGap: 2 });
  pdf.y += 4;
  pdf.font(REGULAR).fontSize(10).fillColor(MUTED);
  pdf.text(`Thời gian học: ${lesson.minutes} phút`, MARGIN, pdf.y, { width: CONTENT_WIDTH });
  pdf.y += 8;
  horizontalRule(pdf, MARGIN, CONTENT_WIDTH, RULE, 0.6);
  pdf.y += 14;
}

interface TocEntry {
  text: string;
  level: 0 | 1;
  /** 1-based page number, known once the lesson is rendered. */
  page: number;
}

interface TocLayout {
  pages: number;
  /** Where each entry goes: page offset from the first contents page, and top. */
  positions: { page: number; y: number }[];
}

const TOC_HEADING_HEIGHT = 48;
const TOC_NUMBER_WIDTH = 36;
const TOC_LESSON_INDENT = 18;

function tocStyle(pdf: PDF, entry: TocEntry): { x: number; width: number; gapBefore: number } {
  pdf
    .font(entry.level === 0 ? BOLD : REGULAR)
    .fontSize(entry.level === 0 ? 11.5 : 11)
    .fillColor(entry.level === 0 ? NAVY : INK);
  const indent = entry.level === 0 ? 0 : TOC_LESSON_INDENT;
  return {
    x: MARGIN + indent,
    width: CONTENT_WIDTH - indent - TOC_NUMBER_WIDTH,
    gapBefore: entry.level === 0 ? 12 : 5,
  };
}

/** Lays the contents out before any lesson is drawn, since its pages must be reserved in front of them. */
function layoutToc(pdf: PDF, entries: TocEntry[]): TocLayout {
  const positions: TocLayout['positions'] = [];
  let page = 0;
  let y = MARGIN + TOC_HEADING_HEIGHT;
  for (const entry of entries) {
    const style = tocStyle(pdf, entry);
    const height = pdf.heightOfString(entry.text, { width: style.width, lineGap: LINE_GAP });
    if (y + style.gapBefore + height > PAGE_HEIGHT - MARGIN) {
      page++;
      y = MARGIN;
    } else {
      y += style.gapBefore;
    }
    positions.push({ page, y });
    y += height;
  }
  return { pages: page + 1, positions };
}

function drawToc(pdf: PDF, entries: TocEntry[], layout: TocLayout, firstPage: number): void {
  const last = currentPage(pdf);
  pdf.switchToPage(firstPage);
  pdf.font(BOLD).fontSize(18).fillColor(NAVY).text('Mục lục', MARGIN, MARGIN, { width: CONTENT_WIDTH });
  for (const [index, entry] of entries.entries()) {
    const position = layout.positions[index];
    if (!position) continue;
    pdf.switchToPage(firstPage + position.page);
    const style = tocStyle(pdf, entry);
    pdf.text(entry.text, style.x, position.y, { width: style.width, lineGap: LINE_GAP });
    const number = String(entry.page);
    pdf.text(number, MARGIN + CONTENT_WIDTH - pdf.widthOfString(number), position.y, { lineBreak: false });
  }
  pdf.switchToPage(last);
}

/** "Trang N/M" (of the handout's pages) and the course title under a hairline on every page but the title page. */
function drawFooters(pdf: PDF, title: string, first: number): void {
  const range = pdf.bufferedPageRange();
  const end = range.start + range.count;
  const y = PAGE_HEIGHT - MARGIN + 24;
  for (let page = first + 1; page < end; page++) {
    pdf.switchToPage(page);
    horizontalRuleAt(pdf, MARGIN, y - 6, CONTENT_WIDTH, RULE, 0.5);
    pdf.font(REGULAR).fontSize(8.5).fillColor(MUTED);
    const number = `Trang ${page - first + 1}/${end - first}`;
    const numberWidth = pdf.widthOfString(number);
    // Without a width pdfkit neither wraps nor starts a new page for text below the bottom margin.
    pdf.text(truncate(pdf, title, CONTENT_WIDTH - numberWidth - 24), MARGIN, y, { lineBreak: false });
    pdf.text(number, MARGIN + CONTENT_WIDTH - numberWidth, y, { lineBreak: false });
  }
}

function truncate(pdf: PDF, text: string, width: number): string {
  if (pdf.widthOfString(text) <= width) return text;
  let words = text.split(' ');
  while (words.length > 1 && pdf.widthOfString(`${words.join(' ')}…`) > width) words = words.slice(0, -1);
  return `${words.join(' ')}…`;
}

// ---------------------------------------------------------------------------------------------------
// Lesson Markdown

/** A piece of a paragraph in one style. */
interface Run {
  text: string;
  bold?: boolean;
  italic?: boolean;
  code?: boolean;
  /** Printed addresses of links, quieter than the text they follow. */
  muted?: boolean;
}

type InlinePart = { kind: 'text'; runs: Run[] } | { kind: 'image'; src: string; alt: string; title: string };

interface ParagraphStyle {
  size: number;
  color: string;
  lineGap: number;
  align?: 'left' | 'center';
}

const BODY: ParagraphStyle = { size: BODY_SIZE, color: INK, lineGap: LINE_GAP };
const HEADING_SIZES: Record<string, number> = { h1: 16, h2: 14, h3: 12.5 };

/** Draws one lesson's Markdown from the current position, walking markdown-it's block tokens. */
class LessonBody {
  private indent = 0;
  private readonly lists: { ordered: boolean; next: number }[] = [];
  /** The bullet or number of a list item, drawn beside the item's first line. */
  private marker: string | null = null;
  private readonly quotes: { page: number; y: number; x: number }[] = [];

  constructor(
    private readonly pdf: PDF,
    private readonly loadImage: ImageLoader,
  ) {}

  private get left(): number {
    return MARGIN + this.indent;
  }

  private get width(): number {
    return CONTENT_WIDTH - this.indent;
  }

  private get style(): ParagraphStyle {
    return this.quotes.length > 0 ? { ...BODY, color: MUTED } : BODY;
  }

  async render(source: string): Promise<void> {
    const tokens = markdown.parse(source.normalize('NFC'), {});
    for (let index = 0; index < tokens.length; index++) {
      const token = tokens[index] as Token;
      const children = tokens[index + 1]?.children ?? [];
      switch (token.type) {
        case 'heading_open':
          this.heading(token.tag, children);
          break;
        case 'paragraph_open':
          await this.paragraph(children, token.hidden);
          break;
        case 'bullet_list_open':
        case 'ordered_list_open':
          this.lists.push({
            ordered: token.type === 'ordered_list_open',
            next: Number(token.attrGet('start') ?? 1),
          });
          this.indent += LIST_INDENT;
          break;
        case 'bullet_list_close':
        case 'ordered_list_close':
          this.lists.pop();
          this.indent -= LIST_INDENT;
          // Items of a tight list sit close together; the list as a whole is spaced like a paragraph.
          if (this.lists.length === 0) this.pdf.y += PARAGRAPH_GAP - 3;
          break;
        case 'list_item_open': {
          const list = this.lists.at(-1);
          this.marker = list?.ordered ? `${list.next++}.` : this.lists.length > 1 ? '–' : '•';
          break;
        }
        case 'blockquote_open':
          this.quotes.push({ page: currentPage(this.pdf), y: this.pdf.y, x: this.left + 2 });
          this.indent += QUOTE_INDENT;
          break;
        case 'blockquote_close':
          this.indent -= QUOTE_INDENT;
          this.quoteBar();
          break;
        case 'hr':
          ensureSpace(this.pdf, 20);
          this.pdf.y += 6;
          horizontalRule(this.pdf, this.left + this.width / 4, this.width / 2, GOLD, 0.8);
          this.pdf.y += 14;
          break;
        case 'fence':
        case 'code_block':
          this.codeBlock(token.content);
          break;
        case 'table_open':
          index = this.table(tokens, index);
          break;
      }
    }
  }

  private heading(tag: string, children: Token[]): void {
    const style: ParagraphStyle = { size: HEADING_SIZES[tag] ?? BODY_SIZE, color: NAVY, lineGap: 1 };
    const runs = textOf(children).map((run) => ({ ...run, bold: true }));
    const height = measureRuns(this.pdf, runs, this.width, style);
    ensureSpace(this.pdf, height + KEEP_WITH_HEADING);
    gapBefore(this.pdf, 10);
    drawRuns(this.pdf, runs, this.left, this.width, style);
    this.pdf.y += 5;
  }

  private async paragraph(children: Token[], tight: boolean): Promise<void> {
    for (const part of inlineParts(children)) {
      if (part.kind === 'image') {
        await this.image(part);
        continue;
      }
      // At least two lines together, and the list marker on the same page as its text.
      const twoLines = 2 * (BODY_SIZE * 1.3 + LINE_GAP);
      ensureSpace(this.pdf, Math.min(measureRuns(this.pdf, part.runs, this.width, this.style), twoLines));
      this.drawMarker();
      drawRuns(this.pdf, part.runs, this.left, this.width, this.style);
      this.pdf.y += tight ? 3 : PARAGRAPH_GAP;
    }
  }

  private drawMarker(): void {
    if (!this.marker) return;
    const { pdf } = this;
    const y = pdf.y;
    pdf.font(REGULAR).fontSize(BODY_SIZE).fillColor(this.style.color);
    pdf.text(this.marker, this.left - 5 - pdf.widthOfString(this.marker), y, { lineBreak: false });
    pdf.y = y;
    this.marker = null;
  }

  private async image(part: Extract<InlinePart, { kind: 'image' }>): Promise<void> {
    const { pdf } = this;
    const image = await printableImage(part.src, this.loadImage);
    if (!image) {
      const alt = cleanText(part.alt);
      ensureSpace(pdf, BODY_SIZE * 2);
      this.drawMarker();
      drawRuns(pdf, [{ text: alt ? `[Hình: ${alt}]` : '[Hình]', italic: true }], this.left, this.width, {
        ...this.style,
        color: MUTED,
      });
      pdf.y += PARAGRAPH_GAP;
      return;
    }
    let width = Math.min(this.width, image.naturalWidth);
    let height = (width * image.height) / image.width;
    if (height > MAX_IMAGE_HEIGHT) {
      width *= MAX_IMAGE_HEIGHT / height;
      height = MAX_IMAGE_HEIGHT;
    }
    const caption = cleanText(part.title);
    const captionStyle: ParagraphStyle = { size: 9.5, color: MUTED, lineGap: 1, align: 'center' };
    const captionRuns = [{ text: caption, italic: true }];
    const captionHeight = caption ? 4 + measureRuns(pdf, captionRuns, this.width, captionStyle) : 0;
    const room = pdf.page.maxY() - pdf.y - 4 - captionHeight;
    // Slightly smaller beats leaving the rest of the page blank.
    if (height > room && room >= 0.75 * height) {
      width *= room / height;
      height = room;
    }
    ensureSpace(pdf, height + captionHeight);
    gapBefore(pdf, 4);
    this.drawMarker();
    const top = pdf.y;
    pdf.image(image.data, this.left + (this.width - width) / 2, top, { width, height });
    pdf.y = top + height + 4;
    if (caption) drawRuns(pdf, captionRuns, this.left, this.width, captionStyle);
    pdf.y += PARAGRAPH_GAP + 4;
  }

  private codeBlock(source: string): void {
    const { pdf } = this;
    const code = source.replace(/\t/g, '    ').replace(/\n$/, '');
    const padding = 8;
    const options = { width: this.width - 2 * padding, lineGap: 1.5 };
    pdf.font(REGULAR).fontSize(9.5);
    const height = pdf.heightOfString(code, options) + 2 * padding;
    ensureSpace(pdf, height);
    this.drawMarker();
    const top = pdf.y;
    // A block longer than a page is printed without its background rather than with a broken one.
    const shaded = top + height <= pdf.page.maxY();
    if (shaded) pdf.rect(this.left, top, this.width, height).fill(SHADE);
    pdf.font(REGULAR).fontSize(9.5).fillColor(INK);
    pdf.text(code, this.left + padding, top + padding, options);
    pdf.y = (shaded ? top + height : pdf.y) + PARAGRAPH_GAP;
  }

  /** A simple grid: columns as wide as their longest text allows, the header row repeated after a page break. */
  private table(tokens: Token[], start: number): number {
    const rows: { header: boolean; cells: string[] }[] = [];
    let index = start;
    for (; index < tokens.length && tokens[index]?.type !== 'table_close'; index++) {
      const token = tokens[index] as Token;
      if (token.type === 'tr_open') rows.push({ header: false, cells: [] });
      else if (token.type === 'th_open') {
        const row = rows.at(-1);
        if (row) row.header = true;
      } else if (token.type === 'inline') rows.at(-1)?.cells.push(plainText(token.children ?? []));
    }

    const { pdf } = this;
    const size = 10;
    const padding = 5;
    const columns = Math.max(...rows.map((row) => row.cells.length));
    const natural = Array.from({ length: columns }, (_, column) =>
      Math.max(
        40,
        ...rows.map((row) =>
          pdf
            .font(row.header ? BOLD : REGULAR)
            .fontSize(size)
            .widthOfString(row.cells[column] ?? ''),
        ),
      ),
    );
    const total = natural.reduce((sum, width) => sum + width, 0);
    const widths = natural.map((width) => (width / total) * this.width);
    const rowHeight = (row: (typeof rows)[number]): number =>
      2 * padding +
      Math.max(
        ...widths.map((width, column) =>
          pdf
            .font(row.header ? BOLD : REGULAR)
            .fontSize(size)
            .heightOfString(row.cells[column] ?? '', { width: width - 2 * padding, lineGap: 1 }),
        ),
      );
    const drawRow = (row: (typeof rows)[number]): void => {
      const top = pdf.y;
      const height = rowHeight(row);
      let x = this.left;
      for (const [column, width] of widths.entries()) {
        if (row.header) pdf.rect(x, top, width, height).fill(SHADE);
        pdf.lineWidth(0.5).rect(x, top, width, height).stroke(RULE);
        pdf
          .font(row.header ? BOLD : REGULAR)
          .fontSize(size)
          .fillColor(INK)
          .text(row.cells[column] ?? '', x + padding, top + padding, {
            width: width - 2 * padding,
            lineGap: 1,
          });
        x += width;
      }
      pdf.y = top + height;
    };

    const header = rows[0]?.header ? rows[0] : null;
    gapBefore(pdf, 2);
    for (const row of rows) {
      const needed = rowHeight(row) + (row === header ? rowHeight(rows[1] ?? row) : 0);
      if (pdf.y + needed > pdf.page.maxY() && pdf.y > MARGIN + 1) {
        pdf.addPage();
        if (header && row !== header) drawRow(header);
      }
      drawRow(row);
    }
    pdf.y += PARAGRAPH_GAP + 2;
    return index;
  }

  /** The gold bar left of a quotation, on every page the quotation covers. */
  private quoteBar(): void {
    const start = this.quotes.pop();
    if (!start) return;
    const { pdf } = this;
    const end = { page: currentPage(pdf), y: pdf.y - PARAGRAPH_GAP };
    for (let page = start.page; page <= end.page; page++) {
      pdf.switchToPage(page);
      const top = page === start.page ? start.y : MARGIN;
      const bottom = page === end.page ? end.y : pdf.page.maxY();
      if (bottom > top) pdf.lineWidth(2).moveTo(start.x, top).lineTo(start.x, bottom).stroke(GOLD);
    }
    pdf.switchToPage(end.page);
  }
}

/**
 * The text runs and images of a paragraph's inline tokens. An image splits its paragraph: on paper it
 * takes the full width between the text before and after it.
 */
function inlineParts(tokens: Token[]): InlinePart[] {
  const parts: InlinePart[] = [];
  let runs: Run[] = [];
  let bold = 0;
  let italic = 0;
  const links: { href: string; from: number }[] = [];
  const flush = (): void => {
    const first = runs[0];
    const last = runs.at(-1);
    if (first) first.text = first.text.trimStart();
    if (last) last.text = last.text.trimEnd();
    if (runs.some((run) => run.text !== '')) parts.push({ kind: 'text', runs });
    runs = [];
  };
  for (const token of tokens) {
    const style = { bold: bold > 0, italic: italic > 0 };
    switch (token.type) {
      case 'text':
        runs.push({ text: token.content, ...style });
        break;
      case 'code_inline':
        runs.push({ text: token.content, ...style, code: true });
        break;
      case 'softbreak':
        runs.push({ text: ' ', ...style });
        break;
      case 'hardbreak':
        runs.push({ text: '\n', ...style });
        break;
      case 'strong_open':
        bold++;
        break;
      case 'strong_close':
        bold--;
        break;
      case 'em_open':
        italic++;
        break;
      case 'em_close':
        italic--;
        break;
      case 'link_open':
        links.push({ href: token.attrGet('href') ?? '', from: runs.length });
        break;
      case 'link_close': {
        const link = links.pop();
        const shown = link
          ? printedAddress(
              link.href,
              runs
                .slice(link.from)
                .map((run) => run.text)
                .join(''),
            )
          : null;
        if (shown) runs.push({ text: ` (${shown})`, muted: true });
        break;
      }
      case 'image':
        flush();
        parts.push({
          kind: 'image',
          src: token.attrGet('src') ?? '',
          alt: plainText(token.children ?? []),
          title: token.attrGet('title') ?? '',
        });
        break;
    }
  }
  flush();
  return parts;
}

/** The runs of inline tokens without images, for headings. */
function textOf(tokens: Token[]): Run[] {
  return inlineParts(tokens).flatMap((part) => (part.kind === 'text' ? part.runs : []));
}

function plainText(tokens: Token[]): string {
  return inlineParts(tokens)
    .map((part) => (part.kind === 'text' ? part.runs.map((run) => run.text).join('') : `[Hình: ${part.alt}]`))
    .join(' ');
}

/**
 * What to print after a link's text so a reader on paper can still find it: the address, unless the
 * text already says it. Relative links lead inside the platform and mean nothing on paper.
 */
function printedAddress(href: string, text: string): string | null {
  if (!/^[a-z][a-z0-9+.-]*:/i.test(href)) return null;
  const bare = (address: string): string =>
    address
      .trim()
      .replace(/^(https?:\/\/|mailto:|tel:)/i, '')
      .replace(/\/$/, '');
  return bare(href) === bare(text) ? null : href.replace(/^(mailto|tel):/i, '');
}

function runFont(run: Run): string {
  if (run.code) return run.bold ? BOLD : CODE_FONT;
  if (run.bold) return run.italic ? BOLD_ITALIC : BOLD;
  return run.italic ? ITALIC : REGULAR;
}

/** Draws runs as one wrapped paragraph from the current line, each run in its own font. */
function drawRuns(pdf: PDF, runs: Run[], x: number, width: number, style: ParagraphStyle): void {
  const visible = runs.filter((run) => run.text !== '');
  for (const [index, run] of visible.entries()) {
    pdf
      .font(runFont(run))
      .fontSize(style.size)
      .fillColor(run.muted ? MUTED : run.code ? CODE : style.color);
    const options = {
      width,
      lineGap: style.lineGap,
      align: style.align ?? 'left',
      continued: index < visible.length - 1,
    };
    if (index === 0) pdf.text(run.text, x, pdf.y, options);
    else pdf.text(run.text, options);
  }
}

/** The height of runs as a paragraph, measured in the widest font among them so it is never short. */
function measureRuns(pdf: PDF, runs: Run[], width: number, style: ParagraphStyle): number {
  const text = runs.map((run) => run.text).join('');
  const font = runs.some((run) => run.bold || run.code) ? BOLD : REGULAR;
  return pdf.font(font).fontSize(style.size).heightOfString(text, { width, lineGap: style.lineGap });
}

interface PrintableImage {
  data: Buffer;
  /** Pixels. */
  width: number;
  height: number;
  /** Points: the size it is meant to be seen at, so a small icon is not blown up to the page width. */
  naturalWidth: number;
}

/**
 * The image as PNG or JPEG (all pdfkit embeds) at print resolution for its printed width; SVG is
 * rasterised at that resolution directly. Null when it is missing or not a readable image.
 */
async function printableImage(src: string, loadImage: ImageLoader): Promise<PrintableImage | null> {
  try {
    const data = await loadImage(src);
    if (!data) return null;
    const metadata = await sharp(data).metadata();
    const naturalWidth = metadata.autoOrient.width * POINTS_PER_PIXEL;
    const pixels = Math.ceil((Math.min(naturalWidth, CONTENT_WIDTH) / 72) * PRINT_DPI);
    const vector = metadata.format === 'svg';
    const density = vector ? (72 * pixels) / metadata.width : undefined;
    const image = sharp(data, { autoOrient: true, density }).resize({
      width: pixels,
      withoutEnlargement: !vector,
    });
    // Photos stay JPEG (a PNG photo would be several times larger); anything else keeps its sharp edges.
    const output = metadata.format === 'jpeg' ? image.jpeg({ quality: 85 }) : image.png();
    const { data: printable, info } = await output.toBuffer({ resolveWithObject: true });
    return { data: printable, width: info.width, height: info.height, naturalWidth };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------
// Questions

/** Something stacked in a question: measured first so a question is not split across pages. */
interface Block {
  height: number;
  draw: () => void;
}

const QUESTION_INDENT = 44;
const QUESTION_GAP = 14;

const HINTS: Record<HandoutQuestion['body']['kind'], string> = {
  single: '(Chọn một đáp án)',
  multiple: '(Chọn các đáp án đúng)',
  trueFalse: '(Đánh dấu Đúng hoặc Sai)',
  matching: '(Ghép mỗi mục ở cột trái với một mục ở cột phải)',
  ordering: '(Sắp xếp các mục theo đúng thứ tự)',
  numeric: '(Ghi đáp số)',
};

function drawQuestions(pdf: PDF, questions: HandoutQuestion[]): void {
  const layouts = questions.map((question) => questionBlocks(pdf, question));
  const first = layouts[0];
  if (!first) return;
  const headingHeight = 44;
  ensureSpace(pdf, headingHeight + Math.min(totalHeight(first), CONTENT_HEIGHT - headingHeight));
  gapBefore(pdf, 16);
  horizontalRule(pdf, MARGIN, CONTENT_WIDTH, GOLD, 1);
  pdf.y += 10;
  pdf.font(BOLD).fontSize(14).fillColor(RED).text('Câu hỏi ôn tập', MARGIN, pdf.y, { width: CONTENT_WIDTH });
  pdf.y += 10;
  for (const [index, blocks] of layouts.entries()) {
    // Whole when it fits on a page; a longer question keeps at least its first two parts together.
    const height = totalHeight(blocks);
    ensureSpace(pdf, height <= CONTENT_HEIGHT ? height : totalHeight(blocks.slice(0, 2)));
    const top = pdf.y;
    pdf
      .font(BOLD)
      .fontSize(BODY_SIZE)
      .fillColor(RED)
      .text(`Câu ${index + 1}.`, MARGIN, top, { lineBreak: false });
    pdf.y = top;
    for (const block of blocks) {
      ensureSpace(pdf, block.height);
      block.draw();
    }
    pdf.y += QUESTION_GAP;
  }
}

const totalHeight = (blocks: Block[]): number => blocks.reduce((sum, block) => sum + block.height, 0);

function questionBlocks(pdf: PDF, question: HandoutQuestion): Block[] {
  const x = MARGIN + QUESTION_INDENT;
  const width = CONTENT_WIDTH - QUESTION_INDENT;
  const blocks: Block[] = [];
  const situation = cleanText(question.situation ?? '');
  if (situation) blocks.push(paragraphBlock(pdf, [{ text: situation, italic: true }], x, width, 4));
  const prompt: Run[] = [
    { text: cleanText(question.prompt), bold: true },
    { text: ` ${HINTS[question.body.kind]}`, muted: true },
  ];
  blocks.push(paragraphBlock(pdf, prompt, x, width, 6));

  const body = question.body;
  switch (body.kind) {
    case 'single':
    case 'multiple':
      // Only the option texts: `correct` is the key and is never read here.
      for (const [index, option] of body.options.entries()) {
        blocks.push(itemBlock(pdf, { box: true, label: `${letter(index)}.`, text: option.text }, x, width));
      }
      break;
    case 'trueFalse':
      blocks.push(trueFalseBlock(pdf, x));
      break;
    case 'matching': {
      const rights = arrangeForPrint(body.pairs.map((pair) => cleanText(pair.right)));
      const columnWidth = (width - 16) / 2;
      for (const [index, pair] of body.pairs.entries()) {
        const left = itemBlock(pdf, { label: `${index + 1}.`, text: pair.left }, x, columnWidth);
        const right = itemBlock(
          pdf,
          { label: `${letter(index)}.`, text: rights[index] ?? '' },
          x + columnWidth + 16,
          columnWidth,
        );
        blocks.push(sideBySide(pdf, left, right));
      }
      const prefixes = body.pairs.map((_, index) => `${index + 1} –`);
      blocks.push(answerLineBlock(pdf, 'Ghép:', prefixes, 36, x, width));
      break;
    }
    case 'ordering': {
      for (const [index, item] of arrangeForPrint(body.items.map(cleanText)).entries()) {
        blocks.push(itemBlock(pdf, { label: `${letter(index)}.`, text: item }, x, width));
      }
      const prefixes = body.items.map((_, index) => `${index + 1}.`);
      blocks.push(answerLineBlock(pdf, 'Thứ tự đúng:', prefixes, 36, x, width));
      break;
    }
    case 'numeric':
      blocks.push(answerLineBlock(pdf, 'Đáp số:', [''], 150, x, width));
      break;
  }
  return blocks;
}

const letter = (index: number): string => String.fromCharCode(65 + index);

/**
 * Matching rights and ordering items in a fixed order that is not the key's: alphabetical, rotated by
 * one when alphabetical happens to be the key order. Deterministic, so every printed copy is the same.
 */
function arrangeForPrint(items: string[]): string[] {
  const sorted = [...items].sort(compareVietnamese);
  const same = sorted.every((item, index) => item === items[index]);
  return same && sorted.length > 1 ? [...sorted.slice(1), ...sorted.slice(0, 1)] : sorted;
}

function paragraphBlock(pdf: PDF, runs: Run[], x: number, width: number, gapAfter: number): Block {
  return {
    height: measureRuns(pdf, runs, width, BODY) + gapAfter,
    draw: () => {
      drawRuns(pdf, runs, x, width, BODY);
      pdf.y += gapAfter;
    },
  };
}

interface Item {
  /** An empty box to tick before the label. */
  box?: boolean;
  label: string;
  text: string;
}

const ITEM_GAP = 4;

/** A labelled line ("☐ A. …", "1. …") with the text hanging after the label. */
function itemBlock(pdf: PDF, item: Item, x: number, width: number): Block {
  const text = cleanText(item.text);
  const labelX = x + (item.box ? 16 : 0);
  const textX = labelX + 18;
  const textWidth = width - (textX - x);
  pdf.font(REGULAR).fontSize(BODY_SIZE);
  return {
    height: pdf.heightOfString(text, { width: textWidth, lineGap: LINE_GAP }) + ITEM_GAP,
    draw: () => {
      const top = pdf.y;
      pdf.font(REGULAR).fontSize(BODY_SIZE).fillColor(INK);
      if (item.box) drawBox(pdf, x, top);
      pdf.font(BOLD).text(item.label, labelX, top, { lineBreak: false });
      pdf.font(REGULAR).text(text, textX, top, { width: textWidth, lineGap: LINE_GAP });
      pdf.y += ITEM_GAP;
    },
  };
}

/** Two blocks drawn from the same top, the row as tall as the taller. */
function sideBySide(pdf: PDF, left: Block, right: Block): Block {
  return {
    height: Math.max(left.height, right.height),
    draw: () => {
      const top = pdf.y;
      left.draw();
      const leftBottom = pdf.y;
      pdf.y = top;
      right.draw();
      pdf.y = Math.max(leftBottom, pdf.y);
    },
  };
}

function trueFalseBlock(pdf: PDF, x: number): Block {
  pdf.font(REGULAR).fontSize(BODY_SIZE);
  return {
    height: pdf.currentLineHeight(true) + LINE_GAP + ITEM_GAP,
    draw: () => {
      const top = pdf.y;
      pdf.font(REGULAR).fontSize(BODY_SIZE).fillColor(INK);
      let left = x;
      for (const choice of ['Đúng', 'Sai']) {
        drawBox(pdf, left, top);
        pdf.text(choice, left + 16, top, { lineBreak: false });
        left += 16 + pdf.widthOfString(choice) + 40;
      }
      pdf.y = top + pdf.currentLineHeight(true) + LINE_GAP + ITEM_GAP;
    },
  };
}

/**
 * A label and write-in blanks ("Ghép: 1 – ____  2 – ____"), wrapping when they do not fit on one line.
 * The blanks are drawn rules: underscores in Be Vietnam Pro print as a dashed line.
 */
function answerLineBlock(
  pdf: PDF,
  label: string,
  prefixes: string[],
  blankWidth: number,
  x: number,
  width: number,
): Block {
  pdf.font(REGULAR).fontSize(BODY_SIZE);
  // Taller than a text line: there is handwriting to fit above each rule.
  const lineHeight = pdf.currentLineHeight(true) + LINE_GAP + 6;
  const blankStart = (prefix: string): number => (prefix ? pdf.widthOfString(prefix) + 4 : 0);
  const blanks: { prefix: string; x: number; line: number }[] = [];
  let cursor = x + pdf.widthOfString(label) + 8;
  let line = 0;
  for (const prefix of prefixes) {
    const blankWidthWithPrefix = blankStart(prefix) + blankWidth;
    if (cursor + blankWidthWithPrefix > x + width) {
      line++;
      cursor = x;
    }
    blanks.push({ prefix, x: cursor, line });
    cursor += blankWidthWithPrefix + 18;
  }
  const gap = 4;
  const height = gap + (line + 1) * lineHeight;
  return {
    height: height + ITEM_GAP,
    draw: () => {
      const top = pdf.y + gap;
      pdf.font(REGULAR).fontSize(BODY_SIZE).fillColor(INK);
      pdf.text(label, x, top, { lineBreak: false });
      for (const blank of blanks) {
        const y = top + blank.line * lineHeight;
        if (blank.prefix) pdf.text(blank.prefix, blank.x, y, { lineBreak: false });
        horizontalRuleAt(pdf, blank.x + blankStart(blank.prefix), y + BODY_SIZE + 1.5, blankWidth, INK, 0.6);
      }
      pdf.y = top - gap + height + ITEM_GAP;
    },
  };
}

/** An empty tick box on the first line of text at `top`; drawn because Be Vietnam Pro has no "☐". */
function drawBox(pdf: PDF, x: number, top: number): void {
  pdf.font(REGULAR).fontSize(BODY_SIZE);
  const boxTop = top + (pdf.currentLineHeight() - BOX_SIZE) / 2;
  pdf.lineWidth(0.8).rect(x, boxTop, BOX_SIZE, BOX_SIZE).stroke(INK);
}

// ---------------------------------------------------------------------------------------------------
// Shared helpers

function currentPage(pdf: PDF): number {
  const range = pdf.bufferedPageRange();
  return range.start + range.count - 1;
}

/** Starts a new page unless `height` fits below the current position (or the page is still empty). */
function ensureSpace(pdf: PDF, height: number): void {
  if (pdf.y + height > pdf.page.maxY() && pdf.y > MARGIN + 1) pdf.addPage();
}

/** Space above a block, but none at the top of a page. */
function gapBefore(pdf: PDF, gap: number): void {
  if (pdf.y > MARGIN + 1) pdf.y += gap;
}

function horizontalRule(pdf: PDF, x: number, width: number, color: string, lineWidth: number): void {
  horizontalRuleAt(pdf, x, pdf.y, width, color, lineWidth);
}

function horizontalRuleAt(
  pdf: PDF,
  x: number,
  y: number,
  width: number,
  color: string,
  lineWidth: number,
): void {
  pdf
    .lineWidth(lineWidth)
    .moveTo(x, y)
    .lineTo(x + width, y)
    .stroke(color);
}

function collect(pdf: PDF): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    pdf.on('data', (chunk: Buffer) => chunks.push(chunk));
    pdf.on('end', () => resolve(Buffer.concat(chunks)));
    pdf.on('error', reject);
  });
}
