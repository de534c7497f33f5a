import { isMap, isScalar, isSeq, type Node, type YAMLMap } from 'yaml';
import { type FileProblem, SLUG_PATTERN, YamlSource } from '../../content/yamlSource.js';
import { cleanText } from '../../text/vietnamese.js';
import {
  DIFFICULTIES,
  DIFFICULTY_LABELS,
  type Difficulty,
  QUESTION_KINDS,
  type QuestionBody,
  type QuestionDraft,
  type QuestionKind,
  questionProblems,
} from './questionDraft.js';
import {
  DEFAULT_QUIZ_SETTINGS,
  type DrawRule,
  drawRuleMatches,
  FEEDBACK_TIMINGS,
  type FeedbackTiming,
  type QuizSettings,
} from './quizSettings.js';

// The settings are defined with the rest of the quiz policy; a package quiz is read into them.
export { DEFAULT_PASS_PERCENT, type DrawRule, type QuizSettings } from './quizSettings.js';

/**
 * A quiz of a course package. A final course test without questions of its own (`questions: []`)
 * draws from the questions of every lesson quiz; its settings' source says so.
 */
export interface QuizDefinition {
  settings: QuizSettings;
  questions: QuestionDraft[];
}

/** What a quiz file needs from the package it belongs to. */
export interface QuizFileContext {
  /** The package path of an image named in the quiz, or why it cannot be used. */
  resolveImage(value: string): { path: string } | { problem: string };
  /**
   * Only for a course's final test: the questions of all lesson quizzes, which its draws range
   * over when it has no questions of its own; null when a lesson quiz could not be read.
   */
  lessonQuestions?: QuestionDraft[] | null;
}

const QUIZ_KEYS = [
  'passPercent',
  'maxAttempts',
  'timeLimitMinutes',
  'shuffleQuestions',
  'shuffleOptions',
  'feedback',
  'partialCredit',
  'draws',
  'questions',
] as const;

const COMMON_KEYS = [
  'id',
  'kind',
  'situation',
  'prompt',
  'explanation',
  'difficulty',
  'tags',
  'frameworks',
  'image',
  'imageAlt',
];

const BODY_KEYS: Record<QuestionKind, string[]> = {
  single: ['options'],
  multiple: ['options'],
  trueFalse: ['answer'],
  matching: ['pairs'],
  ordering: ['items'],
  numeric: ['answer', 'tolerance'],
};

const ALL_KEYS = [...COMMON_KEYS, ...new Set(Object.values(BODY_KEYS).flat())];

/** Reads a quiz file of a course package; every problem is listed with its line. */
export function parseQuizFile(
  file: string,
  text: string,
  context: QuizFileContext,
): { quiz: QuizDefinition | null; problems: FileProblem[] } {
  const source = new YamlSource(file, text);
  const root = source.root;
  if (!root) return { quiz: null, problems: source.problems };
  source.onlyKeys(root, QUIZ_KEYS);
  const draws = readDraws(source, root);
  const ownQuestions = hasOwnQuestions(source, root, context.lessonQuestions !== undefined, draws !== null);
  const settings = readSettings(source, root, draws, ownQuestions);
  const items = ownQuestions ? source.list(root, 'questions') : [];
  const keys = new Set<string>();
  const questions: QuestionDraft[] = [];
  for (const item of items) {
    const key = isMap(item) ? item.get('id') : undefined;
    if (typeof key === 'string' && keys.has(key)) source.report(item, `Mã câu hỏi "${key}" bị trùng.`);
    if (typeof key === 'string') keys.add(key);
    const question = readQuestion(source, item, context);
    if (question) questions.push(question);
  }
  // Counts are checked only against a complete pool: a missing question would be a false alarm.
  const complete = items.length > 0 && questions.length === items.length;
  const pool = ownQuestions ? (complete ? questions : null) : context.lessonQuestions;
  if (draws && pool) checkDraws(source, draws, pool);
  if (source.problems.length > 0) return { quiz: null, problems: source.problems };
  return { quiz: { settings, questions }, problems: [] };
}

/** Whether the quiz lists its questions; only a final test with draws may leave them out. */
function hasOwnQuestions(source: YamlSource, root: YAMLMap, finalTest: boolean, hasDraws: boolean): boolean {
  const node = source.node(root, 'questions');
  if (!finalTest || (isSeq(node) && node.items.length > 0)) return true;
  if (node !== undefined && !isSeq(node)) {
    source.report(node, '"questions" phải là một danh sách câu hỏi.');
  } else if (!hasDraws) {
    source.report(
      root,
      'Bài kiểm tra cuối khóa cần "questions", hoặc "draws" để rút câu hỏi từ các bài kiểm tra của bài học.',
    );
  }
  return false;
}

function readSettings(
  source: YamlSource,
  root: YAMLMap,
  draws: DrawEntry[] | null,
  ownQuestions: boolean,
): QuizSettings {
  return {
    passPercent: source.integer(root, 'passPercent', 1, 100) ?? DEFAULT_QUIZ_SETTINGS.passPercent,
    maxAttempts: source.integer(root, 'maxAttempts', 1, 100) ?? null,
    timeLimitMinutes: source.integer(root, 'timeLimitMinutes', 1, 300) ?? null,
    shuffleQuestions: source.boolean(root, 'shuffleQuestions') ?? DEFAULT_QUIZ_SETTINGS.shuffleQuestions,
    shuffleOptions: source.boolean(root, 'shuffleOptions') ?? DEFAULT_QUIZ_SETTINGS.shuffleOptions,
    feedback: readFeedback(source, root),
    partialCredit: source.boolean(root, 'partialCredit') ?? DEFAULT_QUIZ_SETTINGS.partialCredit,
    draws: draws?.map((d) => d.rule) ?? null,
    source: ownQuestions ? null : { allLessons: true },
  };
}

function readFeedback(source: YamlSource, root: YAMLMap): FeedbackTiming {
  const value = source.text(root, 'feedback', false);
  const timing = FEEDBACK_TIMINGS.find((t) => t === value);
  if (value !== undefined && !timing) {
    source.report(source.node(root, 'feedback'), '"feedback" phải là afterEach, afterPass hoặc afterLast.');
  }
  return timing ?? DEFAULT_QUIZ_SETTINGS.feedback;
}

interface DrawEntry {
  rule: DrawRule;
  node: Node;
}

function readDraws(source: YamlSource, root: YAMLMap): DrawEntry[] | null {
  const node = source.node(root, 'draws');
  if (node === undefined) return null;
  if (!isSeq(node) || node.items.length === 0) {
    source.report(node, '"draws" phải là một danh sách có ít nhất một quy tắc rút câu hỏi.');
    return null;
  }
  return (node.items as Node[]).flatMap((item) => {
    const map = source.asMap(item, 'Quy tắc rút câu hỏi');
    if (!map) return [];
    source.onlyKeys(map, ['count', 'tags', 'difficulty']);
    const count = source.integer(map, 'count', 1, 1000);
    if (source.node(map, 'count') === undefined) source.report(map, 'Thiếu "count" (số câu cần rút).');
    const tags = readTextList(source, map, 'tags');
    const difficulty = readDifficulty(source, map);
    return count === undefined ? [] : [{ rule: { count, tags, difficulty }, node: item }];
  });
}

/**
 * Attempts draw rule by rule, each from what earlier rules left, so a rule is reported unless it
 * finds enough questions even when earlier rules took every shared question they could.
 */
function checkDraws(source: YamlSource, draws: DrawEntry[], pool: QuestionDraft[]): void {
  const matches = draws.map(({ rule }) => new Set(pool.filter((q) => drawRuleMatches(rule, q))));
  draws.forEach(({ rule, node }, index) => {
    const own = matches[index] ?? new Set<QuestionDraft>();
    const takenBefore = Math.min(
      own.size,
      draws.slice(0, index).reduce((sum, earlier, j) => {
        const shared = [...(matches[j] ?? [])].filter((q) => own.has(q)).length;
        return sum + Math.min(earlier.rule.count, shared);
      }, 0),
    );
    const what = describeRule(rule);
    if (own.size < rule.count) {
      source.report(node, `Quy tắc rút ${rule.count} câu${what} nhưng chỉ có ${own.size} câu phù hợp.`);
    } else if (own.size - takenBefore < rule.count) {
      source.report(
        node,
        `Quy tắc rút ${rule.count} câu${what} có thể thiếu câu: các quy tắc phía trên có thể rút mất ${takenBefore} trong ${own.size} câu phù hợp. Hãy đặt quy tắc hẹp hơn lên trước hoặc giảm số câu.`,
      );
    }
  });
}

function describeRule(rule: DrawRule): string {
  const parts = [
    ...(rule.tags.length > 0 ? [`thẻ ${rule.tags.join(', ')}`] : []),
    ...(rule.difficulty ? [`mức ${DIFFICULTY_LABELS[rule.difficulty]}`] : []),
  ];
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}

/** A question, or null when anything in it is wrong (each problem is reported at its line). */
function readQuestion(source: YamlSource, item: Node, context: QuizFileContext): QuestionDraft | null {
  const map = source.asMap(item, 'Câu hỏi');
  if (!map) return null;
  const before = source.problems.length;
  source.onlyKeys(map, ALL_KEYS);
  const key = source.text(map, 'id');
  if (key !== undefined && !SLUG_PATTERN.test(key)) {
    source.report(
      source.node(map, 'id'),
      `Mã câu hỏi "${key}" chỉ được gồm chữ thường không dấu, số và dấu "-".`,
    );
  }
  const kindText = source.text(map, 'kind', false) ?? 'single';
  const kind = QUESTION_KINDS.find((k) => k === kindText);
  if (kind) reportKeysOfOtherKinds(source, map, kind);
  else {
    source.report(
      source.node(map, 'kind'),
      `"kind" phải là một trong ${QUESTION_KINDS.join(', ')}; không phải "${kindText}".`,
    );
  }
  const situation = source.text(map, 'situation', false);
  const prompt = source.text(map, 'prompt');
  const explanation = source.text(map, 'explanation');
  const difficulty = readDifficulty(source, map);
  const tags = readTextList(source, map, 'tags');
  const frameworks = readTextList(source, map, 'frameworks');
  const image = readImage(source, map, context);
  const body = kind ? readBody(source, map, kind) : null;
  if (!key || !prompt || !body) return null;
  const question: QuestionDraft = {
    key,
    prompt: cleanText(prompt),
    situation: situation ? cleanText(situation) : null,
    explanation: explanation ? cleanText(explanation) : '',
    ...(image ? { image } : {}),
    difficulty,
    tags,
    frameworks,
    body,
  };
  for (const problem of questionProblems(question)) source.report(map, problem);
  return source.problems.length === before ? question : null;
}

function reportKeysOfOtherKinds(source: YamlSource, map: YAMLMap, kind: QuestionKind): void {
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (ALL_KEYS.includes(key) && !COMMON_KEYS.includes(key) && !BODY_KEYS[kind].includes(key)) {
      source.report(pair.key as Node, `Khóa "${key}" không dùng cho câu hỏi kiểu ${kind}.`);
    }
  }
}

/** The answer key of a question; null when it is missing or malformed (already reported). */
function readBody(source: YamlSource, map: YAMLMap, kind: QuestionKind): QuestionBody | null {
  const before = source.problems.length;
  const body = readBodyOfKind(source, map, kind);
  return source.problems.length === before ? body : null;
}

function readBodyOfKind(source: YamlSource, map: YAMLMap, kind: QuestionKind): QuestionBody {
  switch (kind) {
    case 'single':
    case 'multiple':
      return { kind, options: source.list(map, 'options').flatMap((item) => readOption(source, item)) };
    case 'trueFalse': {
      if (source.node(map, 'answer') === undefined) source.report(map, 'Thiếu "answer" (true hoặc false).');
      return { kind, answer: source.boolean(map, 'answer') ?? false };
    }
    case 'matching':
      return { kind, pairs: source.list(map, 'pairs').flatMap((item) => readPair(source, item)) };
    case 'ordering':
      return {
        kind,
        items: source.list(map, 'items').flatMap((item) => {
          const text = textOf(item);
          if (text === undefined) source.report(item, 'Mỗi mục cần sắp xếp phải là một đoạn chữ.');
          return text === undefined ? [] : [text];
        }),
      };
    case 'numeric': {
      const answer = readNumber(source, map, 'answer');
      if (source.node(map, 'answer') === undefined) source.report(map, 'Thiếu "answer" (đáp số).');
      const tolerance = readNumber(source, map, 'tolerance') ?? 0;
      if (tolerance < 0) source.report(source.node(map, 'tolerance'), '"tolerance" không được là số âm.');
      return { kind, answer: answer ?? 0, tolerance };
    }
  }
}

function readOption(source: YamlSource, item: Node): { text: string; correct: boolean }[] {
  const plain = textOf(item);
  if (plain !== undefined) return [{ text: plain, correct: false }];
  if (!isMap(item)) {
    source.report(item, 'Phương án phải là một đoạn chữ, hoặc "text:" kèm "correct: true".');
    return [];
  }
  source.onlyKeys(item, ['text', 'correct']);
  const text = source.text(item, 'text');
  const correct = source.boolean(item, 'correct') ?? false;
  return text ? [{ text: cleanText(text), correct }] : [];
}

function readPair(source: YamlSource, item: Node): { left: string; right: string }[] {
  const map = source.asMap(item, 'Cặp ghép nối');
  if (!map) return [];
  source.onlyKeys(map, ['left', 'right']);
  const [left, right] = (['left', 'right'] as const).map((side) => {
    const node = source.node(map, side);
    const text = node === undefined ? undefined : textOf(node);
    if (text === undefined) source.report(node ?? map, `Cặp ghép nối cần "${side}" là một đoạn chữ.`);
    return text;
  });
  return left !== undefined && right !== undefined ? [{ left, right }] : [];
}

function readNumber(source: YamlSource, map: YAMLMap, key: string): number | undefined {
  const node = source.node(map, key);
  if (node === undefined) return undefined;
  if (isScalar(node) && typeof node.value === 'number' && Number.isFinite(node.value)) return node.value;
  const written = isScalar(node) ? String(node.value) : '';
  source.report(
    node,
    /^-?\d+,\d+$/.test(written)
      ? `"${key}" phải là một số viết bằng dấu chấm thập phân: ${written.replace(',', '.')}, không phải ${written}.`
      : `"${key}" phải là một số.`,
  );
  return undefined;
}

function readDifficulty(source: YamlSource, map: YAMLMap): Difficulty | null {
  const value = source.text(map, 'difficulty', false);
  const difficulty = DIFFICULTIES.find((d) => d === value) ?? null;
  if (value !== undefined && !difficulty) {
    source.report(source.node(map, 'difficulty'), '"difficulty" phải là easy, medium hoặc hard.');
  }
  return difficulty;
}

function readImage(source: YamlSource, map: YAMLMap, context: QuizFileContext): QuestionDraft['image'] {
  const imageNode = source.node(map, 'image');
  const altNode = source.node(map, 'imageAlt');
  if (imageNode === undefined) {
    if (altNode !== undefined) source.report(altNode, '"imageAlt" chỉ dùng kèm "image".');
    return undefined;
  }
  const value = source.text(map, 'image');
  if (altNode === undefined) {
    source.report(imageNode, 'Ảnh của câu hỏi cần "imageAlt": mô tả ảnh cho người dùng trình đọc màn hình.');
  }
  const alt = altNode === undefined ? undefined : source.text(map, 'imageAlt');
  if (value === undefined) return undefined;
  const resolved = context.resolveImage(value);
  if ('problem' in resolved) {
    source.report(imageNode, resolved.problem);
    return undefined;
  }
  return alt === undefined ? undefined : { src: resolved.path, alt: cleanText(alt) };
}

/** An optional list of short texts (tags, framework codes); `[]` when absent. */
export function readTextList(source: YamlSource, map: YAMLMap, key: string): string[] {
  const node = source.node(map, key);
  if (node === undefined) return [];
  if (!isSeq(node)) {
    source.report(node, `"${key}" phải là một danh sách, ví dụ [a, b].`);
    return [];
  }
  return (node.items as Node[]).flatMap((item) => {
    const text = textOf(item);
    if (text === undefined) source.report(item, `Mỗi mục của "${key}" phải là một đoạn chữ.`);
    return text === undefined ? [] : [text];
  });
}

/**
 * A list item as text. A plain number or boolean keeps its written form, so `1.10` stays "1.10"
 * and `- 4` works as an option; other nodes are not text.
 */
function textOf(node: Node): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  const text =
    typeof value === 'string'
      ? value
      : typeof value === 'number' || typeof value === 'boolean'
        ? (node.source ?? String(value))
        : '';
  return text.trim() === '' ? undefined : cleanText(text);
}
