/**
 * Reads Moodle GIFT question files (https://docs.moodle.org/en/GIFT_format) into question drafts.
 * Supported: single and multiple choice (with %weights%), true/false, matching and numeric
 * questions, titles, $CATEGORY tags, general feedback and the "missing word" form. A file with any
 * problem is refused whole, every problem listed with the line where its question starts.
 */
import { cleanText } from '../../../text/vietnamese.js';
import {
  type ImportProblem,
  type ImportResult,
  type QuestionBody,
  type QuestionDraft,
  questionProblems,
} from '../questionDraft.js';

interface Block {
  /** 1-based line of the block's first line that is not a comment. */
  line: number;
  text: string;
  tags: string[];
}

type Format = 'html' | 'markdown' | 'plain' | 'moodle';

/** Either what a piece of the answer section means, or why it cannot be read. */
type Parsed<T> = { value: T; problems?: never } | { value?: never; problems: string[] };

export function parseGift(text: string): ImportResult {
  const problems: ImportProblem[] = [];
  const questions: QuestionDraft[] = [];
  for (const block of splitBlocks(text)) {
    const parsed = parseQuestion(block);
    const messages = parsed.problems ?? questionProblems(parsed.value);
    for (const message of messages) problems.push({ line: block.line, message });
    if (parsed.value) questions.push(parsed.value);
  }
  if (problems.length > 0) return { ok: false, problems };
  if (questions.length === 0)
    return { ok: false, problems: [{ line: 1, message: 'Tệp không có câu hỏi nào.' }] };
  return { ok: true, questions };
}

/** Questions are separated by blank lines; `//` lines are comments; `$CATEGORY:` lines set the tags. */
function splitBlocks(text: string): Block[] {
  const lines = text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .split(/\r\n|\r|\n/);
  const blocks: Block[] = [];
  let tags: string[] = [];
  let current: Block | null = null;
  for (const [index, line] of lines.entries()) {
    const trimmed = line.trim();
    if (trimmed.startsWith('//')) continue;
    const category = /^\$CATEGORY:(.*)$/.exec(trimmed);
    if (trimmed === '' || category) {
      if (current) blocks.push(current);
      current = null;
      if (category) tags = categoryTags(category[1] ?? '');
    } else if (current) {
      current.text += `\n${line}`;
    } else {
      current = { line: index + 1, text: line, tags };
    }
  }
  if (current) blocks.push(current);
  return blocks;
}

/**
 * Moodle writes categories as `$course$/top/Safety/Scams`; the context marker and the implicit
 * `top` are not topics, so only the named segments become tags.
 */
function categoryTags(path: string): string[] {
  return path
    .split('/')
    .map(cleanText)
    .filter((segment) => segment !== '' && segment !== 'top' && !/^\$\w+\$$/.test(segment));
}

function parseQuestion(block: Block): Parsed<QuestionDraft> {
  let rest = block.text.trim();
  let key: string | null = null;
  if (rest.startsWith('::')) {
    const end = indexOfUnescaped(rest, '::', 2);
    if (end < 0) return { problems: ['Thiếu dấu "::" đóng tên câu hỏi.'] };
    key = cleanText(unescapeGift(rest.slice(2, end))) || null;
    rest = rest.slice(end + 2).trimStart();
  }
  let format: Format = 'moodle';
  const prefix = /^\[(html|markdown|plain|moodle)\]/i.exec(rest);
  if (prefix) {
    format = (prefix[1] ?? '').toLowerCase() as Format;
    rest = rest.slice(prefix[0].length);
  }
  const convert = (raw: string) => toText(raw, format);

  const open = indexOfUnescaped(rest, '{');
  if (open < 0) {
    return { problems: ['Câu hỏi thiếu phần đáp án trong dấu "{…}" (câu mô tả chưa được hỗ trợ).'] };
  }
  const close = indexOfUnescaped(rest, '}', open + 1);
  if (close < 0) return { problems: [`Thiếu dấu "}" đóng câu hỏi bắt đầu ở dòng ${block.line}.`] };
  const before = rest.slice(0, open);
  const section = rest.slice(open + 1, close);
  const after = rest.slice(close + 1);
  const problems: string[] = [];
  if (indexOfUnescaped(section, '{') >= 0) {
    problems.push('Phần đáp án có dấu "{" thừa; viết "\\{" nếu đó là một ký tự trong câu.');
  }
  if (indexOfUnescaped(after, '{') >= 0) {
    problems.push('Mỗi câu hỏi chỉ có một phần đáp án "{…}"; hãy ngăn các câu hỏi bằng một dòng trống.');
  } else if (indexOfUnescaped(before, '}') >= 0 || indexOfUnescaped(after, '}') >= 0) {
    problems.push('Có dấu "}" thừa; viết "\\}" nếu đó là một ký tự trong câu.');
  }
  if (problems.length > 0) return { problems };

  const feedbackAt = indexOfUnescaped(section, '####');
  const explanation = feedbackAt < 0 ? '' : convert(section.slice(feedbackAt + 4));
  const body = parseAnswers((feedbackAt < 0 ? section : section.slice(0, feedbackAt)).trim(), convert);
  if (body.problems) return body;
  // Moodle's "missing word" form: answers inside the sentence stand for a blank.
  const prompt = convert(after.trim() === '' ? before : `${before} _____ ${after}`);
  return {
    value: {
      key,
      prompt,
      situation: null,
      explanation,
      difficulty: null,
      tags: [...block.tags],
      frameworks: [],
      body: body.value,
    },
  };
}

/** Tells the question kind from the answer section the way Moodle does: `~` before `->` before T/F. */
function parseAnswers(spec: string, convert: (raw: string) => string): Parsed<QuestionBody> {
  if (spec === '') return { problems: ['Câu tự luận (essay) chưa được hỗ trợ.'] };
  if (spec.startsWith('#')) return parseNumeric(spec.slice(1));
  if (indexOfUnescaped(spec, '~') >= 0) return parseChoice(spec, convert);
  if (spec.startsWith('=') && spec.includes('->')) return parseMatching(spec, convert);
  const truth = withoutFeedback(spec).trim().toUpperCase();
  if (truth === 'T' || truth === 'TRUE') return { value: { kind: 'trueFalse', answer: true } };
  if (truth === 'F' || truth === 'FALSE') return { value: { kind: 'trueFalse', answer: false } };
  if (spec.startsWith('=')) return { problems: ['Câu trả lời ngắn (short answer) chưa được hỗ trợ.'] };
  return {
    problems: [
      `Không nhận ra loại câu hỏi từ phần đáp án ${quote(spec)}: mỗi phương án bắt đầu bằng "=" hoặc "~", câu trả lời số bằng "#", câu đúng/sai là T hoặc F.`,
    ],
  };
}

function parseChoice(spec: string, convert: (raw: string) => string): Parsed<QuestionBody> {
  const answers = splitAnswers(spec, '=~');
  if (answers.problems) return answers;
  const problems: string[] = [];
  const options: { text: string; correct: boolean; marker: string }[] = [];
  for (const answer of answers.value) {
    const weight = readWeight(answer.raw);
    if (weight.problems) {
      problems.push(...weight.problems);
      continue;
    }
    const percent = weight.value.percent ?? (answer.marker === '=' ? 100 : 0);
    options.push({
      text: convert(withoutFeedback(weight.value.rest)),
      correct: percent > 0,
      marker: answer.marker,
    });
  }
  if (problems.length > 0) return { problems };
  // The classic form (one "=", the rest plain "~") is a one-answer question; weights mean several.
  const single =
    options.filter((o) => o.marker === '=').length === 1 &&
    options.every((o) => o.marker === '=' || !o.correct);
  return {
    value: {
      kind: single ? 'single' : 'multiple',
      options: options.map(({ text, correct }) => ({ text, correct })),
    },
  };
}

function parseMatching(spec: string, convert: (raw: string) => string): Parsed<QuestionBody> {
  const answers = splitAnswers(spec, '=');
  if (answers.problems) return answers;
  const problems: string[] = [];
  const pairs: { left: string; right: string }[] = [];
  for (const { raw } of answers.value) {
    const pair = withoutFeedback(raw);
    const arrow = pair.indexOf('->');
    if (arrow < 0) {
      problems.push(`Cặp ghép nối ${quote(pair)} cần có dạng "=vế trái -> vế phải".`);
      continue;
    }
    pairs.push({ left: convert(pair.slice(0, arrow)), right: convert(pair.slice(arrow + 2)) });
  }
  return problems.length > 0 ? { problems } : { value: { kind: 'matching', pairs } };
}

/**
 * `{#3.5}`, `{#3.5:0.1}`, `{#1..5}` or several `=` alternatives with weights, of which the first
 * full-credit one is the key: the platform grades a numeric answer against one value.
 */
function parseNumeric(spec: string): Parsed<QuestionBody> {
  // Text after "~" is feedback for any wrong answer, which the platform does not keep.
  const wrongFeedback = indexOfUnescaped(spec, '~');
  const body = (wrongFeedback < 0 ? spec : spec.slice(0, wrongFeedback)).trim();
  if (indexOfUnescaped(body, '=') < 0) return readNumericValue(withoutFeedback(body));
  const answers = splitAnswers(body, '=');
  if (answers.problems) return answers;
  const problems: string[] = [];
  let key: QuestionBody | null = null;
  for (const answer of answers.value) {
    const weight = readWeight(answer.raw);
    if (weight.problems) {
      problems.push(...weight.problems);
      continue;
    }
    const value = readNumericValue(withoutFeedback(weight.value.rest));
    if (value.problems) problems.push(...value.problems);
    else if (key === null && (weight.value.percent ?? 100) === 100) key = value.value;
  }
  if (problems.length > 0) return { problems };
  if (key === null) return { problems: ['Câu trả lời số cần một đáp án được 100% điểm.'] };
  return { value: key };
}

function readNumericValue(raw: string): Parsed<QuestionBody> {
  const text = cleanText(unescapeGift(raw));
  if (text === '') return { problems: ['Câu trả lời số thiếu đáp số sau dấu "#".'] };
  const range = /^(.+?)\.\.(.+)$/.exec(text);
  const tolerance = text.split(':');
  const parts = range ? [range[1] ?? '', range[2] ?? ''] : tolerance.length === 2 ? tolerance : [text];
  const numbers = parts.map((part) => readNumber(part.trim()));
  const problems = numbers.flatMap((n) => (typeof n === 'string' ? [n] : []));
  if (problems.length > 0) return { problems };
  const [first = 0, second = 0] = numbers as number[];
  if (range) {
    if (first > second) return { problems: [`Khoảng số ${quote(text)} có số đầu lớn hơn số cuối.`] };
    return { value: { kind: 'numeric', answer: (first + second) / 2, tolerance: (second - first) / 2 } };
  }
  return { value: { kind: 'numeric', answer: first, tolerance: parts.length === 2 ? second : 0 } };
}

/** A finite decimal number, or the message saying why the text is not one. */
function readNumber(text: string): number | string {
  if (/^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i.test(text) && Number.isFinite(Number(text))) {
    return Number(text);
  }
  // Vietnamese writes 3,5 for 3.5; GIFT needs the dot.
  const hint = /^[+-]?\d+,\d+$/.test(text) ? ` Hãy dùng dấu chấm thập phân: ${text.replace(',', '.')}.` : '';
  return `Đáp số ${quote(text)} không phải là số.${hint}`;
}

/** An optional `%50%` weight at the start of an answer. */
function readWeight(raw: string): Parsed<{ percent: number | null; rest: string }> {
  const match = /^\s*%([^%]*)%/.exec(raw);
  if (!match) return { value: { percent: null, rest: raw } };
  const text = (match[1] ?? '').trim();
  const percent = Number(text);
  if (!/^[+-]?\d+(?:\.\d+)?$/.test(text) || percent < -100 || percent > 100) {
    return { problems: [`Trọng số "%${text}%" không hợp lệ: cần một số từ -100 đến 100, ví dụ "~%50%".`] };
  }
  return { value: { percent, rest: raw.slice(match[0].length) } };
}

/** Splits an answer section at its unescaped markers; nothing but space may come before the first. */
function splitAnswers(spec: string, markers: string): Parsed<{ marker: string; raw: string }[]> {
  const cuts: number[] = [];
  for (let i = 0; i < spec.length; i++) {
    if (spec.charAt(i) === '\\') i++;
    else if (markers.includes(spec.charAt(i))) cuts.push(i);
  }
  const lead = spec.slice(0, cuts[0] ?? spec.length);
  if (lead.trim() !== '') {
    return {
      problems: [`Có chữ ${quote(lead)} trước phương án đầu tiên; mỗi phương án bắt đầu bằng "=" hoặc "~".`],
    };
  }
  return {
    value: cuts.map((at, k) => ({
      marker: spec.charAt(at),
      raw: spec.slice(at + 1, cuts[k + 1] ?? spec.length),
    })),
  };
}

/** The answer itself, without its `#feedback`, which the platform does not keep per answer. */
function withoutFeedback(raw: string): string {
  const at = indexOfUnescaped(raw, '#');
  return at < 0 ? raw : raw.slice(0, at);
}

function indexOfUnescaped(text: string, needle: string, from = 0): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text.startsWith(needle, i)) return i;
  }
  return -1;
}

/** `\n` becomes a space once the text is cleaned: the platform stores prompts as one paragraph. */
function unescapeGift(raw: string): string {
  return raw.replace(/\\([\\~=#{}:n])/g, (_, char: string) => (char === 'n' ? '\n' : char));
}

function toText(raw: string, format: Format): string {
  const text = unescapeGift(raw);
  return cleanText(format === 'html' ? htmlToText(text) : text);
}

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

/** Plain text of an [html] fragment: block tags become spaces, other tags vanish, entities decode. */
function htmlToText(html: string): string {
  // [^<>] rather than [^>] keeps stripping linear on text full of unclosed "<".
  return html
    .replace(/<(?:br|\/?(?:p|div|li|ul|ol|tr|td|th|h[1-6]))\b[^<>]*>/gi, ' ')
    .replace(/<[^<>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos|nbsp);/gi, (entity, name: string) => {
      const lower = name.toLowerCase();
      if (!lower.startsWith('#')) return NAMED_ENTITIES[lower] ?? entity;
      const code = lower.startsWith('#x') ? Number.parseInt(lower.slice(2), 16) : Number(lower.slice(1));
      return code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    });
}

/** A piece of the source quoted in a message, shortened so a long paragraph does not flood the list. */
function quote(raw: string): string {
  const chars = [...cleanText(raw)];
  return `"${chars.slice(0, 40).join('')}${chars.length > 40 ? '…' : ''}"`;
}
