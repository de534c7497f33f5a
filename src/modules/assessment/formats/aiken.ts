/**
 * Reads Moodle Aiken question files (https://docs.moodle.org/en/Aiken_format) into one-answer
 * question drafts: the question text, options `A. …` or `A) …`, then `ANSWER: X`. As an extension,
 * a line `EXPLANATION: …` or `GIẢI THÍCH: …` right after the ANSWER line gives the explanation.
 * A file with any problem is refused whole, every problem listed with its line.
 */
import { cleanText } from '../../../text/vietnamese.js';
import {
  type ImportProblem,
  type ImportResult,
  type QuestionDraft,
  questionProblems,
} from '../questionDraft.js';

const OPTION = /^([A-Z])[.)](?:\s+(.*))?$/;
const ANSWER = /^ANSWER\s*:\s*(.*)$/i;
const EXPLANATION = /^(?:EXPLANATION|GIẢI THÍCH)\s*:\s*(.*)$/iu;

/** A question being read: its text lines, then its options. */
interface Pending {
  line: number;
  text: string[];
  options: { letter: string; text: string }[];
  problems: string[];
  /** A blank line after the text: more text then starts another question. */
  blankAfterText: boolean;
}

interface Entry {
  line: number;
  draft: QuestionDraft | null;
  problems: string[];
}

export function parseAiken(text: string): ImportResult {
  const lines = text
    .replace(/^\uFEFF/, '')
    .normalize('NFC')
    .split(/\r\n|\r|\n/);
  const entries: Entry[] = [];
  let pending: Pending | null = null;
  let answered: Entry | null = null;
  const start = (line: number): Pending => ({
    line,
    text: [],
    options: [],
    problems: [],
    blankAfterText: false,
  });

  for (const [index, raw] of lines.entries()) {
    const line = index + 1;
    const trimmed = raw.trim();
    const justAnswered = answered;
    answered = null;
    const explanation = EXPLANATION.exec(trimmed);
    const answer = ANSWER.exec(trimmed);
    const option = OPTION.exec(trimmed);
    if (trimmed === '') {
      if (pending) pending.blankAfterText = true;
    } else if (explanation) {
      if (justAnswered?.draft) justAnswered.draft.explanation = cleanText(explanation[1] ?? '');
      else if (!justAnswered) {
        entries.push({
          line,
          draft: null,
          problems: ['Dòng giải thích phải nằm ngay sau dòng "ANSWER: X".'],
        });
      }
    } else if (answer) {
      if (pending) {
        answered = finish(pending, { letter: answer[1] ?? '', line });
        entries.push(answered);
      } else {
        entries.push({ line, draft: null, problems: ['Dòng "ANSWER" không thuộc câu hỏi nào.'] });
      }
      pending = null;
    } else if (option) {
      pending ??= start(line);
      addOption(pending, option[1] ?? 'A', option[2] ?? '', line);
    } else {
      // Text after options, or after a blank line, belongs to a new question: the previous one ended
      // without its ANSWER line.
      if (pending && (pending.options.length > 0 || pending.blankAfterText)) {
        entries.push(finish(pending, null));
        pending = null;
      }
      pending ??= start(line);
      pending.text.push(trimmed);
    }
  }
  if (pending) entries.push(finish(pending, null));

  const problems: ImportProblem[] = entries.flatMap((entry) => {
    const messages = entry.draft ? questionProblems(entry.draft) : entry.problems;
    return messages.map((message) => ({ line: entry.line, message }));
  });
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };
  if (entries.length === 0)
    return { ok: false, problems: [{ line: 1, message: 'Tệp không có câu hỏi nào.' }] };
  return { ok: true, questions: entries.flatMap((entry) => (entry.draft ? [entry.draft] : [])) };
}

function addOption(pending: Pending, letter: string, text: string, line: number): void {
  const previous = pending.options.at(-1)?.letter;
  const expected = previous === undefined ? 'A' : String.fromCharCode(previous.charCodeAt(0) + 1);
  if (letter !== expected) {
    pending.problems.push(`Phương án "${letter}" ở dòng ${line} sai thứ tự: cần phương án "${expected}".`);
  }
  pending.options.push({ letter, text });
}

/** The question, or its structural problems; the shared validator runs only on complete questions. */
function finish(pending: Pending, answer: { letter: string; line: number } | null): Entry {
  const { line, options } = pending;
  if (pending.text.length === 0) {
    return { line, draft: null, problems: ['Các phương án này không có nội dung câu hỏi phía trên.'] };
  }
  const problems = [...pending.problems];
  if (options.length < 2) {
    problems.push(`Câu hỏi cần ít nhất 2 phương án "A. …", "B. …", đang có ${options.length}.`);
  }
  const letter = answer?.letter.trim().toUpperCase() ?? '';
  if (!answer) {
    problems.push(`Câu Aiken bắt đầu ở dòng ${line} cần dòng "ANSWER: X" sau các phương án.`);
  } else if (!/^[A-Z]$/.test(letter)) {
    problems.push(`Dòng ${answer.line} phải ghi đúng một chữ cái đáp án, ví dụ "ANSWER: B".`);
  } else if (options.length >= 2 && !options.some((o) => o.letter === letter)) {
    const range = `${options[0]?.letter}–${options.at(-1)?.letter}`;
    problems.push(`Đáp án "${letter}" ở dòng ${answer.line} không có trong các phương án (${range}).`);
  }
  if (problems.length > 0) return { line, draft: null, problems };
  return {
    line,
    problems: [],
    draft: {
      key: null,
      prompt: cleanText(pending.text.join(' ')),
      situation: null,
      explanation: '',
      difficulty: null,
      tags: [],
      frameworks: [],
      body: {
        kind: 'single',
        options: options.map((o) => ({ text: cleanText(o.text), correct: o.letter === letter })),
      },
    },
  };
}
