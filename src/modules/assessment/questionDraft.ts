/**
 * A question as authored or imported, before it is stored in a bank. Every import format (course
 * package YAML, xlsx, GIFT, Aiken) and the authoring form produce this shape, and one validator
 * decides what a storable question is.
 */

export const QUESTION_KINDS = ['single', 'multiple', 'trueFalse', 'matching', 'ordering', 'numeric'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

export const QUESTION_KIND_LABELS: Record<QuestionKind, string> = {
  single: 'Một đáp án',
  multiple: 'Nhiều đáp án',
  trueFalse: 'Đúng/Sai',
  matching: 'Ghép nối',
  ordering: 'Sắp xếp thứ tự',
  numeric: 'Trả lời bằng số',
};

export const DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type Difficulty = (typeof DIFFICULTIES)[number];

export const DIFFICULTY_LABELS: Record<Difficulty, string> = {
  easy: 'Dễ',
  medium: 'Trung bình',
  hard: 'Khó',
};

/** What a learner must answer, with the key. The key never leaves the server before grading. */
export type QuestionBody =
  | { kind: 'single' | 'multiple'; options: { text: string; correct: boolean }[] }
  | { kind: 'trueFalse'; answer: boolean }
  /** Each left item is matched to its right item; the learner sees the rights shuffled. */
  | { kind: 'matching'; pairs: { left: string; right: string }[] }
  /** Items in their correct order; the learner sees them shuffled. */
  | { kind: 'ordering'; items: string[] }
  /** Correct when |given − answer| ≤ tolerance. */
  | { kind: 'numeric'; answer: number; tolerance: number };

export interface QuestionDraft {
  /** The author's own id for the question, if the source has one (GIFT `::title::`, xlsx "Mã"). */
  key: string | null;
  prompt: string;
  /** A short real-life situation shown above the prompt. */
  situation: string | null;
  explanation: string;
  /** An optional picture: a package-relative path or a stored file's URL, with its alt text. */
  image?: { src: string; alt: string };
  difficulty: Difficulty | null;
  tags: string[];
  /** Codes of national framework elements the question assesses. */
  frameworks: string[];
  body: QuestionBody;
}

/** A problem in an imported file: the line (text formats) or row (xlsx) and what is wrong, in Vietnamese. */
export interface ImportProblem {
  line: number;
  message: string;
}

export type ImportResult =
  | { ok: true; questions: QuestionDraft[] }
  | { ok: false; problems: ImportProblem[] };

export const MAX_OPTIONS = 8;
export const MAX_PROMPT_LENGTH = 4000;

/** Every reason a question cannot be stored, in Vietnamese; empty when it is fine. */
export function questionProblems(question: QuestionDraft): string[] {
  const problems: string[] = [];
  if (question.prompt.trim() === '') problems.push('Thiếu nội dung câu hỏi.');
  if (question.prompt.length > MAX_PROMPT_LENGTH) {
    problems.push(`Câu hỏi dài quá ${MAX_PROMPT_LENGTH} ký tự.`);
  }
  const body = question.body;
  switch (body.kind) {
    case 'single':
    case 'multiple': {
      const correct = body.options.filter((o) => o.correct).length;
      if (body.options.length < 2 || body.options.length > MAX_OPTIONS) {
        problems.push(`Cần từ 2 đến ${MAX_OPTIONS} phương án, đang có ${body.options.length}.`);
      }
      if (body.options.some((o) => o.text.trim() === '')) problems.push('Có phương án để trống.');
      if (hasDuplicates(body.options.map((o) => o.text))) problems.push('Có hai phương án trùng nhau.');
      if (correct === 0) problems.push('Chưa có phương án đúng.');
      if (body.kind === 'single' && correct > 1) {
        problems.push(`Câu một đáp án chỉ được có 1 phương án đúng, đang có ${correct}.`);
      }
      break;
    }
    case 'trueFalse':
      break;
    case 'matching':
      if (body.pairs.length < 2 || body.pairs.length > MAX_OPTIONS) {
        problems.push(`Câu ghép nối cần từ 2 đến ${MAX_OPTIONS} cặp, đang có ${body.pairs.length}.`);
      }
      if (body.pairs.some((p) => p.left.trim() === '' || p.right.trim() === '')) {
        problems.push('Có cặp ghép nối thiếu một vế.');
      }
      if (hasDuplicates(body.pairs.map((p) => p.left)) || hasDuplicates(body.pairs.map((p) => p.right))) {
        problems.push('Các vế trái (và các vế phải) của câu ghép nối phải khác nhau.');
      }
      break;
    case 'ordering':
      if (body.items.length < 2 || body.items.length > MAX_OPTIONS) {
        problems.push(`Câu sắp xếp cần từ 2 đến ${MAX_OPTIONS} mục, đang có ${body.items.length}.`);
      }
      if (body.items.some((item) => item.trim() === '')) problems.push('Có mục sắp xếp để trống.');
      if (hasDuplicates(body.items)) problems.push('Các mục sắp xếp phải khác nhau.');
      break;
    case 'numeric':
      if (!Number.isFinite(body.answer)) problems.push('Đáp số phải là một số.');
      if (!Number.isFinite(body.tolerance) || body.tolerance < 0)
        problems.push('Sai số cho phép phải là số không âm.');
      break;
  }
  return problems;
}

function hasDuplicates(texts: string[]): boolean {
  return new Set(texts.map((t) => t.trim().toLowerCase())).size !== texts.length;
}
