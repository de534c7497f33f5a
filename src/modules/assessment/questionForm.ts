/**
 * The question form of the bank pages, as typed: kept raw so a refused form comes back exactly
 * as it was sent, and checked into a QuestionDraft with every problem next to its field.
 */
import type { FastifyRequest } from 'fastify';
import { isFrameworkElementCode } from '../../content/frameworks.js';
import { type FieldErrors, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { type Form, list } from '../catalog/authoringForms.js';
import {
  DIFFICULTIES,
  type Difficulty,
  MAX_OPTIONS,
  QUESTION_KINDS,
  type QuestionBody,
  type QuestionDraft,
  type QuestionKind,
  questionProblems,
} from './questionDraft.js';

/** A posted field or query parameter as text; a missing, repeated or file field reads as empty. */
export const one = (value: unknown) => (typeof value === 'string' ? value : '');
export const formOf = (request: FastifyRequest): Form => (request.body ?? {}) as Form;

/** Indexes of the answer rows the form offers, whatever the kind. */
export const ROWS = Array.from({ length: MAX_OPTIONS }, (_, i) => i);
const STORED_IMAGE = /^[0-9a-f]{64}-w\d+\.webp$/;

export interface QuestionForm {
  kind: QuestionKind;
  prompt: string;
  situation: string;
  explanation: string;
  difficulty: string;
  tags: string;
  frameworks: string[];
  /** Options of a choice question, or the items of an ordering question in their right order. */
  texts: string[];
  /** Indexes of the options marked right. */
  correct: number[];
  pairs: { left: string; right: string }[];
  truth: '' | 'dung' | 'sai';
  answer: string;
  tolerance: string;
  imageFile: string | null;
  alt: string;
}

const decimalText = (value: number) => String(value).replace('.', ',');

export function formOfDraft(draft: QuestionDraft, imageFile: string | null): QuestionForm {
  const body = draft.body;
  const choice = body.kind === 'single' || body.kind === 'multiple';
  return {
    kind: body.kind,
    prompt: draft.prompt,
    situation: draft.situation ?? '',
    explanation: draft.explanation,
    difficulty: draft.difficulty ?? '',
    tags: draft.tags.join(', '),
    frameworks: draft.frameworks,
    texts: choice ? body.options.map((o) => o.text) : body.kind === 'ordering' ? body.items : [],
    correct: choice ? body.options.flatMap((o, index) => (o.correct ? [index] : [])) : [],
    pairs: body.kind === 'matching' ? body.pairs : [],
    truth: body.kind === 'trueFalse' ? (body.answer ? 'dung' : 'sai') : '',
    answer: body.kind === 'numeric' ? decimalText(body.answer) : '',
    tolerance: body.kind === 'numeric' ? decimalText(body.tolerance) : '',
    imageFile,
    alt: draft.image?.alt ?? '',
  };
}

export const EMPTY_FORM: QuestionForm = {
  kind: 'single',
  prompt: '',
  situation: '',
  explanation: '',
  difficulty: '',
  tags: '',
  frameworks: [],
  texts: [],
  correct: [],
  pairs: [],
  truth: '',
  answer: '',
  tolerance: '',
  imageFile: null,
  alt: '',
};

/** The posted form; the stored image it names is kept only if it really is a stored picture. */
export function readQuestionForm(body: Form, imageExists: (name: string) => boolean): QuestionForm {
  const text = (name: string) => one(body[name]);
  const kind = text('kind');
  const truth = text('truth');
  const imageFile = text('imageFile');
  return {
    kind: (QUESTION_KINDS as readonly string[]).includes(kind) ? (kind as QuestionKind) : 'single',
    prompt: text('prompt'),
    situation: text('situation'),
    explanation: text('explanation'),
    difficulty: text('difficulty'),
    tags: text('tags'),
    frameworks: list(body, 'frameworks'),
    texts: ROWS.map((i) => text(`option${i + 1}`)),
    correct: list(body, 'correct')
      .map((value) => Number(value) - 1)
      .filter((index) => ROWS.includes(index)),
    pairs: ROWS.map((i) => ({ left: text(`left${i + 1}`), right: text(`right${i + 1}`) })),
    truth: truth === 'dung' || truth === 'sai' ? truth : '',
    answer: text('answer'),
    tolerance: text('tolerance'),
    imageFile:
      text('removeImage') !== '1' && STORED_IMAGE.test(imageFile) && imageExists(imageFile)
        ? imageFile
        : null,
    alt: text('alt'),
  };
}

/** A number as people type it: "3,5" or "3.5"; thousands separators are refused as ambiguous. */
function decimalOf(raw: string): number | null {
  const compact = raw.replace(/\s+/g, '');
  if (!/^[+-]?\d+(?:[.,]\d+)?$/.test(compact)) return null;
  return Number(compact.replace(',', '.'));
}

/** Where the problems of each kind's answer rows are shown. */
export const ROWS_FIELD: Record<QuestionKind, string> = {
  single: 'options',
  multiple: 'options',
  trueFalse: 'truth',
  matching: 'pairs',
  ordering: 'items',
  numeric: 'answer',
};

function bodyOf(form: QuestionForm, errors: FieldErrors): QuestionBody {
  switch (form.kind) {
    case 'single':
    case 'multiple': {
      const rows = form.texts.map((text, index) => ({
        text: cleanText(text),
        correct: form.correct.includes(index),
      }));
      if (rows.some((row) => row.text === '' && row.correct))
        errors.options = 'Có phương án được đánh dấu đúng nhưng để trống.';
      return { kind: form.kind, options: rows.filter((row) => row.text !== '') };
    }
    case 'trueFalse':
      if (form.truth === '') errors.truth = 'Hãy chọn đáp án Đúng hoặc Sai.';
      return { kind: 'trueFalse', answer: form.truth === 'dung' };
    case 'matching':
      return {
        kind: 'matching',
        pairs: form.pairs
          .map((pair) => ({ left: cleanText(pair.left), right: cleanText(pair.right) }))
          .filter((pair) => pair.left !== '' || pair.right !== ''),
      };
    case 'ordering':
      return { kind: 'ordering', items: form.texts.map(cleanText).filter((item) => item !== '') };
    case 'numeric': {
      const answer = decimalOf(form.answer);
      const tolerance = form.tolerance.trim() === '' ? 0 : decimalOf(form.tolerance);
      if (answer === null) errors.answer = 'Đáp số phải là một số, ví dụ 1500 hoặc 3,5.';
      if (tolerance === null) errors.tolerance = 'Sai số phải là một số không âm, ví dụ 0,5.';
      // Zeros stand in for what could not be read: those problems are already reported.
      return { kind: 'numeric', answer: answer ?? 0, tolerance: tolerance ?? 0 };
    }
  }
}

/** The draft a form describes, or every problem of the form at once, each next to its field. */
export function draftOfForm(form: QuestionForm): { draft: QuestionDraft; imageFile: string | null } {
  const rowErrors: FieldErrors = {};
  const body = bodyOf(form, rowErrors);
  const difficulty = form.difficulty === '' ? null : form.difficulty;
  const alt = cleanText(form.alt);
  const draft: QuestionDraft = {
    key: null,
    prompt: cleanText(form.prompt),
    situation: cleanText(form.situation) || null,
    explanation: cleanText(form.explanation),
    difficulty: difficulty as Difficulty | null,
    tags: [...new Set(form.tags.split(',').map(cleanText))].filter((tag) => tag !== ''),
    frameworks: form.frameworks.filter(isFrameworkElementCode),
    body,
    ...(form.imageFile ? { image: { src: form.imageFile, alt } } : {}),
  };
  // A true/false body has no checks of its own: what remains are the prompt's problems.
  const promptProblems = questionProblems({ ...draft, body: { kind: 'trueFalse', answer: true } });
  const bodyProblems = questionProblems(draft).filter((problem) => !promptProblems.includes(problem));
  const rows = ROWS_FIELD[form.kind];
  const rowProblems = [rowErrors[rows], ...bodyProblems].filter(Boolean);
  if (rowProblems.length > 0) rowErrors[rows] = rowProblems.join(' ');
  // In the order of the form, so the summary at the top reads from top to bottom.
  const errors: FieldErrors = {};
  if (promptProblems.length > 0) errors.prompt = promptProblems.join(' ');
  Object.assign(errors, rowErrors);
  if (draft.explanation === '') errors.explanation = 'Hãy viết lời giải thích cho đáp án.';
  if (difficulty !== null && !(DIFFICULTIES as readonly string[]).includes(difficulty))
    errors.difficulty = 'Hãy chọn độ khó trong danh sách.';
  const unknown = form.frameworks.filter((code) => !isFrameworkElementCode(code));
  if (unknown.length > 0) errors.frameworks = `Mã khung năng lực không có: ${unknown.join(', ')}.`;
  if (form.imageFile && alt === '') errors.alt = 'Ảnh cần có mô tả cho người dùng trình đọc màn hình.';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return { draft, imageFile: form.imageFile };
}
