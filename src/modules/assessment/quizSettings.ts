import type { Difficulty } from './questionDraft.js';

/** When a learner may see the right answers and explanations of an attempt. */
export const FEEDBACK_TIMINGS = ['afterEach', 'afterPass', 'afterLast'] as const;
export type FeedbackTiming = (typeof FEEDBACK_TIMINGS)[number];

export const FEEDBACK_LABELS: Record<FeedbackTiming, string> = {
  afterEach: 'Sau mỗi lượt làm bài',
  afterPass: 'Chỉ khi đã đạt',
  afterLast: 'Khi đã đạt hoặc hết lượt',
};

/** Draw `count` questions at random from those matching the tags (all of them) and difficulty. */
export interface DrawRule {
  count: number;
  tags: string[];
  difficulty: Difficulty | null;
}

/**
 * Where a quiz's questions come from when its course version is published: listed questions
 * of a bank, every question of a bank that a draw rule can pick (ids null), or, for a final
 * course test, the questions of all the course's lesson quizzes.
 */
export type QuizSource = { bankId: string; questionIds: string[] | null } | { allLessons: true };

export interface QuizSettings {
  passPercent: number;
  maxAttempts: number | null;
  timeLimitMinutes: number | null;
  shuffleQuestions: boolean;
  shuffleOptions: boolean;
  feedback: FeedbackTiming;
  partialCredit: boolean;
  /** Null: every question of the quiz, in every attempt. */
  draws: DrawRule[] | null;
  source: QuizSource | null;
}

export const DEFAULT_PASS_PERCENT = 80;

export const DEFAULT_QUIZ_SETTINGS: QuizSettings = {
  passPercent: DEFAULT_PASS_PERCENT,
  maxAttempts: null,
  timeLimitMinutes: null,
  shuffleQuestions: true,
  shuffleOptions: true,
  feedback: 'afterEach',
  partialCredit: false,
  draws: null,
  source: null,
};

/** Submissions this long after the deadline still count in full: the request was on its way. */
export const DEADLINE_GRACE_MS = 30_000;

export function drawRuleMatches(rule: DrawRule, question: { tags: string[]; difficulty: string | null }) {
  return (
    rule.tags.every((tag) => question.tags.includes(tag)) &&
    (rule.difficulty === null || rule.difficulty === question.difficulty)
  );
}
