/**
 * A stored question's body: the draft's body with random ids on every choosable part (so ids
 * reveal nothing), what a learner sees of it, how an answer is checked and how it is graded.
 * Answers of every kind are lists of strings:
 * choice and true/false: chosen option ids; matching: `leftId:rightId` per left item;
 * ordering: item ids in the learner's order; numeric: the typed number.
 */
import { randomBytes } from 'node:crypto';
import type { QuestionBody } from './questionDraft.js';

interface Part {
  id: string;
  text: string;
}

export type StoredBody =
  | { kind: 'single' | 'multiple'; options: (Part & { correct: boolean })[] }
  | { kind: 'trueFalse'; answer: boolean }
  | { kind: 'matching'; pairs: { id: string; left: string; right: string }[] }
  | { kind: 'ordering'; items: Part[] }
  | { kind: 'numeric'; answer: number; tolerance: number };

/** What a learner sees while answering: texts and ids in the attempt's order, never the key. */
export type ShownBody =
  | { kind: 'single' | 'multiple' | 'trueFalse'; options: Part[] }
  | { kind: 'matching'; lefts: Part[]; rights: Part[] }
  | { kind: 'ordering'; items: Part[] }
  | { kind: 'numeric' };

export const TRUE_FALSE_OPTIONS: Part[] = [
  { id: 'true', text: 'Đúng' },
  { id: 'false', text: 'Sai' },
];

const newId = () => randomBytes(6).toString('base64url');

export function storedBodyOf(body: QuestionBody): StoredBody {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return { kind: body.kind, options: body.options.map((o) => ({ id: newId(), ...o })) };
    case 'trueFalse':
    case 'numeric':
      return body;
    case 'matching':
      return { kind: 'matching', pairs: body.pairs.map((p) => ({ id: newId(), ...p })) };
    case 'ordering':
      return { kind: 'ordering', items: body.items.map((text) => ({ id: newId(), text })) };
  }
}

/** The draft body again (for export and editing): the same content without the ids. */
export function draftBodyOf(body: StoredBody): QuestionBody {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return { kind: body.kind, options: body.options.map(({ text, correct }) => ({ text, correct })) };
    case 'trueFalse':
    case 'numeric':
      return body;
    case 'matching':
      return { kind: 'matching', pairs: body.pairs.map(({ left, right }) => ({ left, right })) };
    case 'ordering':
      return { kind: 'ordering', items: body.items.map((i) => i.text) };
  }
}

/** The ids whose order an attempt fixes (shuffled or not): options, right-hand items, or items. */
export function orderableIds(body: StoredBody): string[] {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return body.options.map((o) => o.id);
    case 'trueFalse':
      return TRUE_FALSE_OPTIONS.map((o) => o.id);
    case 'matching':
      return body.pairs.map((p) => p.id);
    case 'ordering':
      return body.items.map((i) => i.id);
    case 'numeric':
      return [];
  }
}

function inOrder<T extends { id: string }>(parts: T[], order: string[]): T[] {
  const byId = new Map(parts.map((p) => [p.id, p]));
  return order.flatMap((id) => {
    const part = byId.get(id);
    return part ? [part] : [];
  });
}

export function shownBody(body: StoredBody, order: string[]): ShownBody {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return { kind: body.kind, options: inOrder(body.options, order).map(({ id, text }) => ({ id, text })) };
    case 'trueFalse':
      return { kind: 'trueFalse', options: TRUE_FALSE_OPTIONS };
    case 'matching':
      return {
        kind: 'matching',
        lefts: body.pairs.map((p) => ({ id: p.id, text: p.left })),
        rights: inOrder(body.pairs, order).map((p) => ({ id: p.id, text: p.right })),
      };
    case 'ordering':
      return { kind: 'ordering', items: inOrder(body.items, order) };
    case 'numeric':
      return { kind: 'numeric' };
  }
}

/** A number as typed by a Vietnamese learner: "2,5" and "2.5" alike; null when it is not one. */
export function parseTypedNumber(text: string): number | null {
  const cleaned = text.trim().replace(/\s/g, '').replace(',', '.');
  if (!/^[-+]?\d+(\.\d+)?$/.test(cleaned)) return null;
  return Number(cleaned);
}

/**
 * Why an answer cannot belong to this question (a forged or stale request), or null. A number
 * that is not a number is simply wrong, not forged: learners mistype.
 */
export function answerProblem(body: StoredBody, given: string[]): string | null {
  const unique = new Set(given);
  if (unique.size !== given.length) return 'Một phương án được gửi hai lần.';
  switch (body.kind) {
    case 'single':
    case 'multiple': {
      const known = new Set(body.options.map((o) => o.id));
      if (given.some((id) => !known.has(id))) return 'Phương án đã chọn không thuộc câu hỏi này.';
      if (body.kind === 'single' && given.length > 1) return 'Câu này chỉ được chọn một phương án.';
      return null;
    }
    case 'trueFalse':
      if (given.length > 1 || given.some((g) => g !== 'true' && g !== 'false')) {
        return 'Câu đúng/sai chỉ nhận "true" hoặc "false".';
      }
      return null;
    case 'matching': {
      const known = new Set(body.pairs.map((p) => p.id));
      const lefts = new Set<string>();
      for (const entry of given) {
        const [left, right, extra] = entry.split(':');
        if (
          extra !== undefined ||
          !left ||
          !right ||
          !known.has(left) ||
          !known.has(right) ||
          lefts.has(left)
        ) {
          return 'Cặp ghép không thuộc câu hỏi này.';
        }
        lefts.add(left);
      }
      return null;
    }
    case 'ordering': {
      const known = new Set(body.items.map((i) => i.id));
      if (given.some((id) => !known.has(id))) return 'Mục sắp xếp không thuộc câu hỏi này.';
      if (given.length !== 0 && given.length !== known.size) return 'Cần sắp xếp đủ mọi mục.';
      return null;
    }
    case 'numeric':
      return given.length > 1 ? 'Câu trả lời bằng số chỉ nhận một số.' : null;
  }
}

/**
 * The credit for an answer, from 0 to 1. With partial credit, a multiple-choice answer earns
 * (right picks − wrong picks) / right options, never below 0; matching and ordering earn the
 * share of pairs or positions that are right. Without it, only a fully right answer counts.
 */
export function creditFor(body: StoredBody, given: string[], partialCredit: boolean): number {
  const whole = (ok: boolean) => (ok ? 1 : 0);
  switch (body.kind) {
    case 'single':
    case 'multiple': {
      const correct = new Set(body.options.filter((o) => o.correct).map((o) => o.id));
      const right = given.filter((id) => correct.has(id)).length;
      const wrong = given.length - right;
      if (body.kind === 'single' || !partialCredit) return whole(right === correct.size && wrong === 0);
      return Math.max(0, (right - wrong) / correct.size);
    }
    case 'trueFalse':
      return whole(given.length === 1 && given[0] === String(body.answer));
    case 'matching': {
      const matched = new Set(given);
      const right = body.pairs.filter((p) => matched.has(`${p.id}:${p.id}`)).length;
      return partialCredit ? right / body.pairs.length : whole(right === body.pairs.length);
    }
    case 'ordering': {
      const right = body.items.filter((item, index) => given[index] === item.id).length;
      return partialCredit ? right / body.items.length : whole(right === body.items.length);
    }
    case 'numeric': {
      const typed = given[0] === undefined ? null : parseTypedNumber(given[0]);
      return whole(typed !== null && Math.abs(typed - body.answer) <= body.tolerance + 1e-9);
    }
  }
}

/** The key in words, for the result page once feedback is allowed. */
export function keyInWords(body: StoredBody): string[] {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return body.options.filter((o) => o.correct).map((o) => o.text);
    case 'trueFalse':
      return [body.answer ? 'Đúng' : 'Sai'];
    case 'matching':
      return body.pairs.map((p) => `${p.left} — ${p.right}`);
    case 'ordering':
      return body.items.map((item, index) => `${index + 1}. ${item.text}`);
    case 'numeric':
      return [body.tolerance > 0 ? `${body.answer} (sai số ±${body.tolerance})` : String(body.answer)];
  }
}

/** A learner's answer in words, for the result page. */
export function answerInWords(body: StoredBody, given: string[]): string[] {
  switch (body.kind) {
    case 'single':
    case 'multiple': {
      const byId = new Map(body.options.map((o) => [o.id, o.text]));
      return given.map((id) => byId.get(id) ?? '');
    }
    case 'trueFalse':
      return given.map((g) => (g === 'true' ? 'Đúng' : 'Sai'));
    case 'matching': {
      const byId = new Map(body.pairs.map((p) => [p.id, p]));
      return given.map((entry) => {
        const [left, right] = entry.split(':');
        return `${byId.get(left ?? '')?.left ?? ''} — ${byId.get(right ?? '')?.right ?? ''}`;
      });
    }
    case 'ordering': {
      const byId = new Map(body.items.map((i) => [i.id, i.text]));
      return given.map((id, index) => `${index + 1}. ${byId.get(id) ?? ''}`);
    }
    case 'numeric':
      return given;
  }
}
