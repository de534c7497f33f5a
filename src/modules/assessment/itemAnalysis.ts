/**
 * Item analysis of quiz questions over submitted attempts: how often each question is fully
 * right, how well it separates strong from weak attempts, and which wrong answer draws most.
 * The tally is pure and fed one attempt at a time, so the query can page through attempts
 * and memory depends on the number of questions, not of attempts.
 */
import type { Db } from '../../db/database.js';
import { answerInWords, creditFor, type StoredBody } from './questionBody.js';
import type { QuestionKind } from './questionDraft.js';
import type { Answers } from './service.js';

/** Below this many attempts of a question, its discrimination and flags say nothing reliable. */
export const MIN_ATTEMPTS = 6;

export const ITEM_FLAG_LABELS = {
  tooEasy: 'quá dễ',
  tooHard: 'quá khó',
  poorDiscrimination: 'phân loại kém',
  strongDistractor: 'phương án nhiễu hút quá nhiều',
} as const;
export type ItemFlag = keyof typeof ITEM_FLAG_LABELS;

/** What the analysis needs of a frozen question. */
export interface AnalysedQuestion {
  id: string;
  quizId: string;
  position: number;
  prompt: string;
  body: StoredBody;
}

/** What the analysis needs of a submitted attempt. */
export interface AnalysedAttempt {
  quizId: string;
  scorePercent: number;
  /** The questions this attempt was given (its layout): a quiz with draw rules gives each a subset. */
  questionIds: string[];
  answers: Answers;
}

export interface ItemStats {
  questionId: string;
  position: number;
  kind: QuestionKind;
  prompt: string;
  /** Submitted attempts that were given this question. */
  attempts: number;
  /** Share of those attempts (0–1) with the question fully right; null before any attempt. */
  correctShare: number | null;
  /**
   * Share right in the top third of those attempts by score minus the share right in the
   * bottom third, rounded to hundredths; null below MIN_ATTEMPTS.
   */
  discrimination: number | null;
  /** The wrong option (choice questions) or wrong answer in words (other kinds) given most. */
  topWrong: { answer: string; count: number } | null;
  flags: ItemFlag[];
}

export interface QuizItemAnalysis {
  quizId: string;
  /** Submitted attempts of the quiz. */
  attempts: number;
  items: ItemStats[];
}

interface QuestionTally {
  question: AnalysedQuestion;
  seen: number;
  right: number;
  /** Attempts and right answers per whole score percent (0–100), for the thirds by score. */
  seenAtScore: Uint32Array;
  rightAtScore: Uint32Array;
  /** Choice kinds: times each option id was picked; other kinds: times each wrong answer was given. */
  picks: Map<string, number>;
}

const isChoice = (body: StoredBody): body is Extract<StoredBody, { kind: 'single' | 'multiple' }> =>
  body.kind === 'single' || body.kind === 'multiple';

/** A wrong answer in words; matching pairs sorted, so the same pairs in another order count once. */
function wrongAnswerKey(body: StoredBody, given: string[]): string {
  const words = answerInWords(body, given).map((w) => w.trim());
  return (body.kind === 'matching' ? words.sort((a, b) => a.localeCompare(b, 'vi')) : words).join('; ');
}

/**
 * The share right in a group of `size` attempts taken from the top (or bottom) of the scores.
 * Attempts tied on the group's edge score are taken in proportion: the expected share under a
 * random tie-break, so the result does not depend on the order attempts were read in.
 */
function groupShare(tally: QuestionTally, size: number, fromTop: boolean): number {
  let left = size;
  let right = 0;
  for (let step = 0; step <= 100 && left > 0; step++) {
    const score = fromTop ? 100 - step : step;
    const seen = tally.seenAtScore[score] ?? 0;
    if (seen === 0) continue;
    const taken = Math.min(seen, left);
    right += ((tally.rightAtScore[score] ?? 0) * taken) / seen;
    left -= taken;
  }
  return right / size;
}

function mostGiven(candidates: Iterable<[string, number]>): ItemStats['topWrong'] {
  let best: ItemStats['topWrong'] = null;
  for (const [answer, count] of candidates) {
    if (count > 0 && (!best || count > best.count)) best = { answer, count };
  }
  return best;
}

/** The most given wrong answer, and how often the least picked right answer was given, to compare. */
function wrongVersusRight(tally: QuestionTally): { topWrong: ItemStats['topWrong']; rightCount: number } {
  const { body } = tally.question;
  const count = (id: string) => tally.picks.get(id) ?? 0;
  if (isChoice(body)) {
    const wrong = body.options.filter((o) => !o.correct);
    const rights = body.options.filter((o) => o.correct).map((o) => count(o.id));
    return {
      topWrong: mostGiven(wrong.map((o): [string, number] => [o.text, count(o.id)])),
      rightCount: Math.min(...rights),
    };
  }
  if (body.kind === 'trueFalse') {
    return {
      topWrong: mostGiven([[body.answer ? 'Sai' : 'Đúng', count(String(!body.answer))]]),
      rightCount: count(String(body.answer)),
    };
  }
  // Sorted first, so a tie goes to the same answer whatever order attempts came in.
  const sorted = [...tally.picks].sort(([a], [b]) => a.localeCompare(b, 'vi'));
  return { topWrong: mostGiven(sorted), rightCount: tally.right };
}

function statsOf(tally: QuestionTally): ItemStats {
  const { question, seen } = tally;
  const correctShare = seen === 0 ? null : tally.right / seen;
  const third = Math.floor(seen / 3);
  const discrimination =
    seen < MIN_ATTEMPTS
      ? null
      : Math.round((groupShare(tally, third, true) - groupShare(tally, third, false)) * 100) / 100;
  const { topWrong, rightCount } = wrongVersusRight(tally);
  const flags: ItemFlag[] = [];
  if (correctShare !== null && seen >= MIN_ATTEMPTS) {
    if (correctShare > 0.95) flags.push('tooEasy');
    if (correctShare < 0.2) flags.push('tooHard');
    if (discrimination !== null && discrimination < 0.1) flags.push('poorDiscrimination');
    if (topWrong && topWrong.count > rightCount) flags.push('strongDistractor');
  }
  return {
    questionId: question.id,
    position: question.position,
    kind: question.body.kind,
    prompt: question.prompt,
    attempts: seen,
    correctShare,
    discrimination,
    topWrong,
    flags,
  };
}

/** Counts attempts into per-question figures; `result()` may be read at any point. */
export class ItemTally {
  private readonly questions = new Map<string, QuestionTally>();
  private readonly attemptsByQuiz = new Map<string, number>();

  constructor(
    private readonly quizIds: readonly string[],
    questions: Iterable<AnalysedQuestion>,
  ) {
    for (const quizId of quizIds) this.attemptsByQuiz.set(quizId, 0);
    for (const question of questions) {
      this.questions.set(question.id, {
        question,
        seen: 0,
        right: 0,
        seenAtScore: new Uint32Array(101),
        rightAtScore: new Uint32Array(101),
        picks: new Map(),
      });
    }
  }

  add(attempt: AnalysedAttempt): void {
    const done = this.attemptsByQuiz.get(attempt.quizId);
    if (done === undefined) return;
    this.attemptsByQuiz.set(attempt.quizId, done + 1);
    const score = Math.min(100, Math.max(0, Math.round(attempt.scorePercent)));
    for (const questionId of attempt.questionIds) {
      const tally = this.questions.get(questionId);
      if (!tally) continue;
      const { body } = tally.question;
      const given = attempt.answers[questionId] ?? [];
      // As the grader does: a blank answer is wrong even where the key would accept it.
      const right = given.length > 0 && creditFor(body, given, false) === 1;
      tally.seen += 1;
      tally.seenAtScore[score] = (tally.seenAtScore[score] ?? 0) + 1;
      if (right) {
        tally.right += 1;
        tally.rightAtScore[score] = (tally.rightAtScore[score] ?? 0) + 1;
      }
      const picked =
        isChoice(body) || body.kind === 'trueFalse'
          ? given
          : right || given.length === 0
            ? []
            : [wrongAnswerKey(body, given)];
      for (const key of picked) tally.picks.set(key, (tally.picks.get(key) ?? 0) + 1);
    }
  }

  /** Per quiz, in the order given, its questions in their quiz order. */
  result(): QuizItemAnalysis[] {
    const tallies = [...this.questions.values()];
    return this.quizIds.map((quizId) => ({
      quizId,
      attempts: this.attemptsByQuiz.get(quizId) ?? 0,
      items: tallies
        .filter((t) => t.question.quizId === quizId)
        .sort((a, b) => a.question.position - b.question.position)
        .map(statsOf),
    }));
  }
}

/** Attempts are read in pages of this many rows, by id, so no query holds them all. */
const PAGE_SIZE = 5000;

/**
 * Item analysis of the tenant's quizzes over their submitted attempts. Pass the quizzes of one
 * course version: each version freezes its own question rows, so quizzes of other versions
 * come out as separate entries.
 */
export async function itemAnalysis(db: Db, tenantId: string, quizIds: string[]): Promise<QuizItemAnalysis[]> {
  if (quizIds.length === 0) return [];
  const rows = await db.kysely
    .selectFrom('quizQuestions')
    .innerJoin('quizzes', 'quizzes.id', 'quizQuestions.quizId')
    .select([
      'quizQuestions.id',
      'quizQuestions.quizId',
      'quizQuestions.position',
      'quizQuestions.prompt',
      'quizQuestions.body',
    ])
    .where('quizzes.tenantId', '=', tenantId)
    .where('quizQuestions.quizId', 'in', quizIds)
    .execute();
  const tally = new ItemTally(
    quizIds,
    rows.map((r) => ({ ...r, body: JSON.parse(r.body) as StoredBody })),
  );
  let after = '';
  for (;;) {
    const page = await db.kysely
      .selectFrom('quizAttempts')
      .select(['id', 'quizId', 'layout', 'answers', 'scorePercent'])
      .where('tenantId', '=', tenantId)
      .where('quizId', 'in', quizIds)
      .where('submittedAt', 'is not', null)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE_SIZE)
      .execute();
    for (const row of page) {
      tally.add({
        quizId: row.quizId,
        scorePercent: row.scorePercent ?? 0,
        questionIds: (JSON.parse(row.layout) as { questionId: string }[]).map((l) => l.questionId),
        answers: row.answers ? (JSON.parse(row.answers) as Answers) : {},
      });
    }
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) break;
    after = last.id;
  }
  return tally.result();
}
