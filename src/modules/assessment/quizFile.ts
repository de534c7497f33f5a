import { isMap, isScalar, type Node } from 'yaml';
import { type FileProblem, SLUG_PATTERN, YamlSource } from '../../content/yamlSource.js';
import { cleanText } from '../../text/vietnamese.js';

export const DEFAULT_PASS_PERCENT = 80;

export type QuestionKind = 'single' | 'multiple';

export interface QuestionDefinition {
  key: string;
  kind: QuestionKind;
  situation: string | null;
  prompt: string;
  options: { text: string; correct: boolean }[];
  explanation: string;
}

export interface QuizDefinition {
  passPercent: number;
  maxAttempts: number | null;
  questions: QuestionDefinition[];
}

const QUIZ_KEYS = ['passPercent', 'maxAttempts', 'questions'] as const;
const QUESTION_KEYS = ['id', 'situation', 'prompt', 'kind', 'options', 'explanation'] as const;

/** Reads a quiz file of a course package; every problem is listed with its line. */
export function parseQuizFile(
  file: string,
  text: string,
): { quiz: QuizDefinition | null; problems: FileProblem[] } {
  const source = new YamlSource(file, text);
  const root = source.root;
  if (!root) return { quiz: null, problems: source.problems };
  source.onlyKeys(root, QUIZ_KEYS);
  const passPercent = source.integer(root, 'passPercent', 1, 100) ?? DEFAULT_PASS_PERCENT;
  const maxAttempts = source.integer(root, 'maxAttempts', 1, 100) ?? null;
  const keys = new Set<string>();
  const questions: QuestionDefinition[] = [];
  for (const item of source.list(root, 'questions')) {
    const question = readQuestion(source, item);
    if (!question) continue;
    if (keys.has(question.key)) source.report(item, `Mã câu hỏi "${question.key}" bị trùng.`);
    keys.add(question.key);
    questions.push(question);
  }
  if (source.problems.length > 0) return { quiz: null, problems: source.problems };
  return { quiz: { passPercent, maxAttempts, questions }, problems: [] };
}

function readQuestion(source: YamlSource, item: Node): QuestionDefinition | null {
  const map = source.asMap(item, 'Câu hỏi');
  if (!map) return null;
  source.onlyKeys(map, QUESTION_KEYS);
  const key = source.text(map, 'id');
  if (key !== undefined && !SLUG_PATTERN.test(key)) {
    source.report(
      source.node(map, 'id'),
      `Mã câu hỏi "${key}" chỉ được gồm chữ thường không dấu, số và dấu "-".`,
    );
  }
  const kindText = source.text(map, 'kind', false) ?? 'single';
  if (kindText !== 'single' && kindText !== 'multiple') {
    source.report(source.node(map, 'kind'), `"kind" phải là single hoặc multiple, không phải "${kindText}".`);
  }
  const kind: QuestionKind = kindText === 'multiple' ? 'multiple' : 'single';
  const situation = source.text(map, 'situation', false) ?? null;
  const prompt = source.text(map, 'prompt');
  const explanation = source.text(map, 'explanation');
  const options = readOptions(source, source.list(map, 'options'));
  const correct = options.filter((o) => o.correct).length;
  const optionsNode = source.node(map, 'options');
  if (options.length > 0 && (options.length < 2 || options.length > 6)) {
    source.report(optionsNode, `Câu hỏi cần từ 2 đến 6 phương án, đang có ${options.length}.`);
  }
  if (options.length > 0 && correct === 0)
    source.report(optionsNode, 'Chưa có phương án nào được đánh dấu correct: true.');
  if (kindText === 'single' && correct > 1) {
    source.report(optionsNode, `Câu một đáp án (single) chỉ được có 1 phương án đúng, đang có ${correct}.`);
  }
  if (!key || !prompt || !explanation) return null;
  return {
    key,
    kind,
    situation: situation && cleanText(situation),
    prompt: cleanText(prompt),
    options,
    explanation: cleanText(explanation),
  };
}

function readOptions(source: YamlSource, items: Node[]): { text: string; correct: boolean }[] {
  const options: { text: string; correct: boolean }[] = [];
  for (const item of items) {
    if (isScalar(item) && typeof item.value === 'string' && item.value.trim() !== '') {
      options.push({ text: cleanText(item.value), correct: false });
      continue;
    }
    if (isMap(item)) {
      source.onlyKeys(item, ['text', 'correct']);
      const text = source.text(item, 'text');
      const correct = source.boolean(item, 'correct') ?? false;
      if (text) options.push({ text: cleanText(text), correct });
      continue;
    }
    source.report(item, 'Phương án phải là một đoạn chữ, hoặc "text:" kèm "correct: true".');
  }
  return options;
}
