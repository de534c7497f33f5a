/**
 * Question files (xlsx, GIFT, Aiken) into a bank: the one path the bank pages and the CLI share.
 * The format is recognised from the name and the bytes, the file is read whole, and its
 * questions are stored all or nothing; every refusal is a list of Vietnamese problems.
 */
import { Readable } from 'node:stream';
import type { Db } from '../../db/database.js';
import { AppError } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { type ImportCounts, keyOf, QuestionBankService, questionDigest } from './bankService.js';
import { parseAiken } from './formats/aiken.js';
import { parseGift } from './formats/gift.js';
import { readQuestionsXlsx } from './formats/xlsx.js';
import type { ImportProblem, ImportResult, QuestionDraft } from './questionDraft.js';

export const QUESTION_FORMATS = ['xlsx', 'gift', 'aiken'] as const;
export type QuestionFormat = (typeof QUESTION_FORMATS)[number];

export const QUESTION_FORMAT_LABELS: Record<QuestionFormat, string> = {
  xlsx: 'Excel (.xlsx) theo mẫu',
  gift: 'GIFT (Moodle)',
  aiken: 'Aiken (Moodle)',
};

export const isQuestionFormat = (value: string): value is QuestionFormat =>
  (QUESTION_FORMATS as readonly string[]).includes(value);

export const MAX_QUESTION_FILE_BYTES = 20 * 1024 * 1024;

/** What an import did, or (in a preview) would do, to the bank. */
export type ImportChanges = Pick<ImportCounts, 'created' | 'updated' | 'unchanged'>;

export type ImportOutcome = { ok: true; counts: ImportCounts } | { ok: false; problems: ImportProblem[] };

const ZIP_MAGIC = Buffer.from('PK\x03\x04', 'latin1');

const UNKNOWN_FORMAT =
  'Không nhận ra định dạng tệp. Hãy dùng tệp Excel (.xlsx) theo mẫu, hoặc tệp GIFT hay Aiken (.txt), ' +
  'hoặc chọn định dạng trong ô "Định dạng".';
const NOT_UTF8 =
  'Tệp không phải văn bản UTF-8 nên chữ tiếng Việt sẽ bị lỗi. Hãy mở tệp bằng Notepad, chọn ' +
  '"Lưu thành" (Save As), đặt mã hóa (Encoding) là UTF-8 rồi tải lên lại.';

/** The format of a question file: an xlsx is a zip archive; text formats are told apart by their marks. */
export function detectQuestionFormat(filename: string, bytes: Buffer): QuestionFormat | null {
  if (bytes.subarray(0, ZIP_MAGIC.length).equals(ZIP_MAGIC)) return 'xlsx';
  const extension = /\.([a-z]+)$/i.exec(filename)?.[1]?.toLowerCase();
  if (extension === 'xlsx') return 'xlsx';
  if (extension === 'gift') return 'gift';
  const text = bytes.toString('utf8');
  // ANSWER lines first: an Aiken prompt may contain braces, a GIFT file has no ANSWER lines.
  if (/^\s*ANSWER\s*:/im.test(text)) return 'aiken';
  const open = text.indexOf('{');
  if (open >= 0 && text.indexOf('}', open) > open) return 'gift';
  return null;
}

const refused = (message: string): ImportResult => ({ ok: false, problems: [{ line: 0, message }] });

/** Reads a question file of the given (or detected) format; a bad file gives problems, never an exception. */
export async function parseQuestionFile(
  filename: string,
  bytes: Buffer,
  chosen?: QuestionFormat,
): Promise<ImportResult> {
  if (bytes.length === 0) return refused('Tệp rỗng; hãy chọn lại tệp câu hỏi.');
  if (bytes.length > MAX_QUESTION_FILE_BYTES) {
    return refused('Tệp lớn quá 20 MB; hãy chia thành nhiều tệp nhỏ hơn.');
  }
  const format = chosen ?? detectQuestionFormat(filename, bytes);
  if (format === null) return refused(UNKNOWN_FORMAT);
  if (format === 'xlsx') return readQuestionsXlsx(Readable.from([bytes]));
  const text = utf8(bytes);
  if (text === null) return refused(NOT_UTF8);
  return format === 'aiken' ? parseAiken(text) : withoutRepeatedKeys(parseGift(text));
}

function utf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Moodle titles are labels, not ids: a GIFT file that repeats one is keyed by content instead,
 * for all its questions, so that importing it again still finds the same questions.
 */
function withoutRepeatedKeys(result: ImportResult): ImportResult {
  if (!result.ok) return result;
  const keys = result.questions.flatMap((q) => (q.key === null ? [] : [q.key]));
  if (new Set(keys).size === keys.length) return result;
  return { ok: true, questions: result.questions.map((q) => ({ ...q, key: null })) };
}

const shorten = (text: string) => (text.length > 60 ? `${text.slice(0, 60)}…` : text);

/** Two questions of one file with the same key (their own, or their content's) cannot both be stored. */
function duplicateProblems(drafts: QuestionDraft[]): ImportProblem[] {
  const firstOf = new Map<string, number>();
  const problems: ImportProblem[] = [];
  for (const [index, draft] of drafts.entries()) {
    const key = keyOf(draft, null);
    const first = firstOf.get(key);
    if (first === undefined) firstOf.set(key, index);
    else {
      problems.push({
        line: 0,
        message: `Câu hỏi thứ ${index + 1} ("${shorten(draft.prompt)}") trùng với câu hỏi thứ ${first + 1}.`,
      });
    }
  }
  return problems;
}

/** What importing these questions into the named bank would change, without changing anything. */
export async function previewImport(
  db: Db,
  tenantId: string,
  bankName: string,
  drafts: QuestionDraft[],
): Promise<{ ok: true; changes: ImportChanges } | { ok: false; problems: ImportProblem[] }> {
  const duplicates = duplicateProblems(drafts);
  if (duplicates.length > 0) return { ok: false, problems: duplicates };
  const name = cleanText(bankName);
  const banks = new QuestionBankService(db);
  const bank = (await banks.banks(tenantId)).find((b) => b.name === name);
  // A bank named but not created yet holds nothing: every question in the file would be new.
  const stored = bank ? await banks.digests(tenantId, bank.id) : new Map<string, string>();
  const changes: ImportChanges = { created: 0, updated: 0, unchanged: 0 };
  for (const draft of drafts) {
    const digest = stored.get(keyOf(draft, null));
    if (digest === undefined) changes.created += 1;
    else if (digest === questionDigest(draft, null)) changes.unchanged += 1;
    else changes.updated += 1;
  }
  return { ok: true, changes };
}

/** Reads a question file and stores its questions in the named bank (created if new), all or nothing. */
export async function importQuestionFile(
  ctx: Pick<AppContext, 'db'>,
  tenantId: string,
  bankName: string,
  filename: string,
  bytes: Buffer,
  format?: QuestionFormat,
): Promise<ImportOutcome> {
  const parsed = await parseQuestionFile(filename, bytes, format);
  if (!parsed.ok) return parsed;
  const duplicates = duplicateProblems(parsed.questions);
  if (duplicates.length > 0) return { ok: false, problems: duplicates };
  try {
    const counts = await new QuestionBankService(ctx.db).importQuestions(
      tenantId,
      bankName,
      parsed.questions.map((draft) => ({ draft, imageFile: null })),
    );
    return { ok: true, counts };
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return { ok: false, problems: problemsOf(error) };
    throw error;
  }
}

/** The service's refusal as file problems; its `questions[i]` fields name questions by position. */
function problemsOf(error: AppError): ImportProblem[] {
  const entries = Object.entries(error.fields);
  if (entries.length === 0) return [{ line: 0, message: error.message }];
  return entries.map(([field, message]) => {
    const index = /^questions\[(\d+)\]$/.exec(field)?.[1];
    return {
      line: 0,
      message: index === undefined ? message : `Câu hỏi thứ ${Number(index) + 1}: ${message}`,
    };
  });
}

/** "3 câu mới, 1 câu cập nhật, 7 câu không đổi", for the pages and the CLI. */
export const describeChanges = (changes: ImportChanges): string =>
  `${changes.created} câu mới, ${changes.updated} câu cập nhật, ${changes.unchanged} câu không đổi`;

/** One problem as a line of text: "Dòng 12: …" (rows of a sheet are lines too), or the bare message. */
export const describeProblem = (problem: ImportProblem): string =>
  problem.line > 0 ? `Dòng ${problem.line}: ${problem.message}` : problem.message;
