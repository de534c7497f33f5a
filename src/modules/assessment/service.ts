import { randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { AppError, notFound, validationFailed } from '../../errors.js';
import { decodeList, encodeList } from '../../text/lists.js';
import {
  answerInWords,
  answerProblem,
  creditFor,
  draftBodyOf,
  keyInWords,
  orderableIds,
  type ShownBody,
  type StoredBody,
  shownBody,
  storedBodyOf,
} from './questionBody.js';
import type { QuestionDraft, QuestionKind } from './questionDraft.js';
import {
  DEADLINE_GRACE_MS,
  DEFAULT_QUIZ_SETTINGS,
  drawRuleMatches,
  type QuizSettings,
} from './quizSettings.js';
import type { QuizAttemptTable } from './tables.js';

export interface Quiz {
  id: string;
  tenantId: string;
  courseId: string;
  lessonId: string;
  settings: QuizSettings;
}

/** A question as a learner sees it while answering: no answer key, no explanation. */
export interface AttemptQuestion {
  id: string;
  kind: QuestionKind;
  situation: string | null;
  prompt: string;
  image: { file: string; alt: string } | null;
  shown: ShownBody;
}

export interface GradedQuestion extends AttemptQuestion {
  given: string[];
  givenInWords: string[];
  /** 0–1: partial credit may give a share. */
  credit: number;
  correct: boolean;
  /** The key and explanation, or null while the quiz's feedback rule holds them back. */
  feedback: { key: string[]; explanation: string } | null;
}

export interface AttemptResult {
  correctCount: number;
  questionCount: number;
  scorePercent: number;
  passed: boolean;
  /** Submitted after the deadline and grace: graded on the autosaved answers only. */
  late: boolean;
  questions: GradedQuestion[];
}

export interface Attempt {
  id: string;
  tenantId: string;
  quizId: string;
  accountId: string;
  number: number;
  startedAt: string;
  deadlineAt: string | null;
  submittedAt: string | null;
  scorePercent: number | null;
  passed: boolean | null;
}

/** Answers: question id → strings (see questionBody.ts for each kind's encoding). */
export type Answers = Record<string, string[]>;

/** A question frozen into a quiz, with an image already stored as a file, if it has one. */
export interface QuizQuestionInput {
  draft: QuestionDraft;
  key: string;
  imageFile: string | null;
  sourceId: string | null;
}

type Layout = { questionId: string; optionIds: string[] }[];

interface StoredQuestion {
  id: string;
  position: number;
  key: string;
  kind: QuestionKind;
  situation: string | null;
  prompt: string;
  explanation: string;
  body: StoredBody;
  sourceId: string | null;
  difficulty: string | null;
  tags: string[];
  frameworks: string[];
  image: { file: string; alt: string } | null;
}

/** Frozen questions by quiz id, shared by every service instance of the process. */
const frozenQuestionCache = new Map<string, StoredQuestion[]>();
/** Quizzes whose questions are frozen: published, so their settings never change either. */
const publishedQuizCache = new Map<string, Quiz>();
const FROZEN_CACHE_QUIZZES = 2000;

const toAttempt = (row: QuizAttemptTable): Attempt => ({
  id: row.id,
  tenantId: row.tenantId,
  quizId: row.quizId,
  accountId: row.accountId,
  number: row.number,
  startedAt: row.startedAt,
  deadlineAt: row.deadlineAt,
  submittedAt: row.submittedAt,
  scorePercent: row.scorePercent,
  passed: row.passed === null ? null : row.passed === 1,
});

export function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** An ordering question must not open in its answer's order, or it answers itself. */
function shuffledAway(ids: string[]): string[] {
  if (ids.length < 2) return ids;
  let order = shuffled(ids);
  while (order.every((id, i) => id === ids[i])) order = shuffled(ids);
  return order;
}

export const quizSettingsOf = (stored: string | null, passPercent: number, maxAttempts: number | null) => ({
  ...DEFAULT_QUIZ_SETTINGS,
  ...(stored ? (JSON.parse(stored) as Partial<QuizSettings>) : {}),
  passPercent,
  maxAttempts,
});

/** Whether the key and explanations may be shown for this learner's attempts now. */
export function feedbackAllowed(quiz: Quiz, attempts: Attempt[]): boolean {
  const passed = attempts.some((a) => a.passed);
  switch (quiz.settings.feedback) {
    case 'afterEach':
      return true;
    case 'afterPass':
      return passed;
    case 'afterLast': {
      const max = quiz.settings.maxAttempts;
      const submitted = attempts.filter((a) => a.submittedAt).length;
      return passed || (max !== null && submitted >= max);
    }
  }
}

/** Quizzes, attempts and grading. The answer key leaves this service only inside a graded result. */
export class AssessmentService {
  constructor(private readonly db: Db) {}

  /** A quiz with its settings; its questions are frozen in when its course version is published. */
  async createQuiz(
    tenantId: string,
    courseId: string,
    lessonId: string,
    settings: QuizSettings,
  ): Promise<string> {
    const id = randomUUID();
    const { passPercent, maxAttempts, ...rest } = settings;
    await this.db.kysely
      .insertInto('quizzes')
      .values({
        id,
        tenantId,
        courseId,
        lessonId,
        passPercent,
        maxAttempts,
        settings: JSON.stringify(rest),
        createdAt: nowIso(),
      })
      .execute();
    return id;
  }

  async updateSettings(quizId: string, settings: QuizSettings): Promise<void> {
    const { passPercent, maxAttempts, ...rest } = settings;
    await this.db.kysely
      .updateTable('quizzes')
      .set({ passPercent, maxAttempts, settings: JSON.stringify(rest) })
      .where('id', '=', quizId)
      .execute();
  }

  /** Removes a quiz nobody attempted (a draft's); attempted quizzes are records and stay. */
  async deleteDraftQuiz(quizId: string): Promise<void> {
    const attempted = await this.db.kysely
      .selectFrom('quizAttempts')
      .select('id')
      .where('quizId', '=', quizId)
      .limit(1)
      .executeTakeFirst();
    if (attempted) throw new AppError(409, 'quiz_attempted', 'Bài kiểm tra đã có người làm: không thể xóa.');
    await this.db.kysely.deleteFrom('quizzes').where('id', '=', quizId).execute();
  }

  /**
   * Freezes questions into a quiz: choosable parts get random ids so they reveal nothing, and
   * attempts will point at these rows forever.
   */
  async freezeQuestions(quizId: string, questions: QuizQuestionInput[]): Promise<void> {
    await this.db.kysely.deleteFrom('quizQuestions').where('quizId', '=', quizId).execute();
    // Chunks keep each statement under PostgreSQL's 65,535 parameters for large final tests.
    for (let start = 0; start < questions.length; start += 500) {
      await this.db.kysely
        .insertInto('quizQuestions')
        .values(
          questions.slice(start, start + 500).map(({ draft, key, imageFile, sourceId }, index) => ({
            id: randomUUID(),
            quizId,
            position: start + index + 1,
            key,
            kind: draft.body.kind,
            situation: draft.situation,
            prompt: draft.prompt,
            explanation: draft.explanation,
            body: JSON.stringify(storedBodyOf(draft.body)),
            difficulty: draft.difficulty,
            tags: encodeList(draft.tags),
            frameworks: encodeList(draft.frameworks),
            imageFile,
            imageAlt: draft.image?.alt ?? null,
            sourceId,
          })),
        )
        .execute();
    }
  }

  /** A quiz; a published one (its questions frozen, so it never changes again) from memory. */
  async quiz(tenantId: string, quizId: string): Promise<Quiz | null> {
    const known = publishedQuizCache.get(quizId);
    if (known) return known.tenantId === tenantId ? known : null;
    const row = await this.db.kysely
      .selectFrom('quizzes')
      .select(['id', 'tenantId', 'courseId', 'lessonId', 'passPercent', 'maxAttempts', 'settings'])
      .where('id', '=', quizId)
      .where('tenantId', '=', tenantId)
      .executeTakeFirst();
    if (!row) return null;
    const quiz: Quiz = {
      id: row.id,
      tenantId: row.tenantId,
      courseId: row.courseId,
      lessonId: row.lessonId,
      settings: quizSettingsOf(row.settings, row.passPercent, row.maxAttempts),
    };
    if (frozenQuestionCache.has(quizId)) publishedQuizCache.set(quizId, quiz);
    return quiz;
  }

  /** How many questions one attempt of the quiz has. */
  async questionCount(quiz: Quiz): Promise<number> {
    if (quiz.settings.draws) return quiz.settings.draws.reduce((sum, rule) => sum + rule.count, 0);
    const row = await this.db.kysely
      .selectFrom('quizQuestions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('quizId', '=', quiz.id)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** The quiz's frozen questions as they can be frozen again (final tests, exports, handouts). */
  async frozenQuestions(quizId: string): Promise<QuizQuestionInput[]> {
    return (await this.questionsOf(quizId)).map((q) => ({
      key: q.key,
      imageFile: q.image?.file ?? null,
      sourceId: q.sourceId,
      draft: {
        key: q.key,
        prompt: q.prompt,
        situation: q.situation,
        explanation: q.explanation,
        difficulty: q.difficulty as QuestionDraft['difficulty'],
        tags: q.tags,
        frameworks: q.frameworks,
        body: draftBodyOf(q.body),
        ...(q.image ? { image: { src: q.image.file, alt: q.image.alt } } : {}),
      },
    }));
  }

  /**
   * Every quiz attempt of a learner, oldest first, with its score and the answers as given:
   * their part of the personal-data export. The questions are referred to by id.
   */
  async allAttemptsOf(accountId: string) {
    return this.db.kysely
      .selectFrom('quizAttempts')
      .innerJoin('quizzes', 'quizzes.id', 'quizAttempts.quizId')
      .select([
        'quizAttempts.id',
        'quizAttempts.quizId',
        'quizzes.courseId',
        'quizAttempts.number',
        'quizAttempts.startedAt',
        'quizAttempts.submittedAt',
        'quizAttempts.deadlineAt',
        'quizAttempts.late',
        'quizAttempts.correctCount',
        'quizAttempts.questionCount',
        'quizAttempts.scorePercent',
        'quizAttempts.passed',
        'quizAttempts.answers',
      ])
      .where('quizAttempts.accountId', '=', accountId)
      .orderBy('quizAttempts.startedAt')
      .orderBy('quizAttempts.number')
      .execute();
  }

  /** A learner's attempts at a quiz, oldest first. */
  async attemptsOf(accountId: string, quizId: string): Promise<Attempt[]> {
    return (await this.attemptRows(accountId, quizId)).map(toAttempt);
  }

  private attemptRows(accountId: string, quizId: string) {
    return this.db.kysely
      .selectFrom('quizAttempts')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('quizId', '=', quizId)
      .orderBy('number')
      .execute();
  }

  /**
   * Starts an attempt: its questions (all, or drawn by the quiz's rules without repeats), in
   * its own order, with a deadline for timed quizzes; or returns the learner's attempt that
   * is still open (a reload must not burn an attempt).
   */
  async startAttempt(quiz: Quiz, accountId: string, now = new Date()): Promise<Attempt> {
    return toAttempt(await this.openAttemptRow(quiz, accountId, now));
  }

  /** Starts (or resumes) an attempt and gives its questions and saved answers in the same step. */
  async beginAttempt(quiz: Quiz, accountId: string, now = new Date()) {
    const row = await this.openAttemptRow(quiz, accountId, now);
    return { attempt: toAttempt(row), ...(await this.questionsOfAttempt(row)) };
  }

  private async openAttemptRow(quiz: Quiz, accountId: string, now: Date): Promise<QuizAttemptTable> {
    const attempts = await this.attemptRows(accountId, quiz.id);
    const open = attempts.find((a) => a.submittedAt === null);
    if (open) return open;
    const max = quiz.settings.maxAttempts;
    if (max !== null && attempts.length >= max) {
      throw new AppError(409, 'attempts_exhausted', `Bạn đã làm hết ${max} lượt cho bài kiểm tra này.`);
    }
    const questions = this.drawn(quiz.settings, await this.questionsOf(quiz.id));
    const layout: Layout = questions.map((q) => {
      const ids = orderableIds(q.body);
      const keepOrder = !quiz.settings.shuffleOptions || q.kind === 'trueFalse';
      return {
        questionId: q.id,
        optionIds: q.kind === 'ordering' ? shuffledAway(ids) : keepOrder ? ids : shuffled(ids),
      };
    });
    const minutes = quiz.settings.timeLimitMinutes;
    const row: QuizAttemptTable = {
      id: randomUUID(),
      tenantId: quiz.tenantId,
      quizId: quiz.id,
      accountId,
      number: attempts.length + 1,
      layout: JSON.stringify(layout),
      startedAt: now.toISOString(),
      submittedAt: null,
      answers: null,
      correctCount: null,
      questionCount: layout.length,
      scorePercent: null,
      passed: null,
      deadlineAt: minutes ? new Date(now.getTime() + minutes * 60_000).toISOString() : null,
      savedAnswers: null,
      savedAt: null,
      late: null,
    };
    await this.db.kysely.insertInto('quizAttempts').values(row).execute();
    return row;
  }

  /** Picks an attempt's questions: each draw rule in turn takes its count from what is left. */
  private drawn(settings: QuizSettings, questions: StoredQuestion[]): StoredQuestion[] {
    let picked: StoredQuestion[];
    if (!settings.draws) picked = questions;
    else {
      const taken = new Set<string>();
      picked = [];
      for (const rule of settings.draws) {
        const pool = questions.filter((q) => !taken.has(q.id) && drawRuleMatches(rule, q));
        for (const question of shuffled(pool).slice(0, rule.count)) {
          taken.add(question.id);
          picked.push(question);
        }
      }
    }
    return settings.shuffleQuestions ? shuffled(picked) : [...picked].sort((a, b) => a.position - b.position);
  }

  /** An attempt of this learner in this tenant; anyone else's attempt does not exist for them. */
  async attemptOf(tenantId: string, accountId: string, attemptId: string): Promise<Attempt | null> {
    const row = await this.attemptRow(tenantId, accountId, attemptId);
    return row ? toAttempt(row) : null;
  }

  /** The questions of an attempt in its order, without answers, and what was saved so far. */
  async attemptQuestions(attempt: Attempt): Promise<{ questions: AttemptQuestion[]; saved: Answers }> {
    const row = await this.attemptRow(attempt.tenantId, attempt.accountId, attempt.id);
    if (!row) throw notFound();
    return this.questionsOfAttempt(row);
  }

  private async questionsOfAttempt(row: QuizAttemptTable) {
    const byId = new Map((await this.questionsOf(row.quizId)).map((q) => [q.id, q]));
    const questions = (JSON.parse(row.layout) as Layout).flatMap(({ questionId, optionIds }) => {
      const question = byId.get(questionId);
      return question ? [this.asked(question, optionIds)] : [];
    });
    return { questions, saved: row.savedAnswers ? (JSON.parse(row.savedAnswers) as Answers) : {} };
  }

  private asked(question: StoredQuestion, order: string[]): AttemptQuestion {
    return {
      id: question.id,
      kind: question.kind,
      situation: question.situation,
      prompt: question.prompt,
      image: question.image,
      shown: shownBody(question.body, order),
    };
  }

  /**
   * Autosaves answers of an open attempt (merged over what was saved: a page of questions at a
   * time). Refused once submitted or after the deadline and grace.
   */
  async saveAnswers(
    tenantId: string,
    accountId: string,
    attemptId: string,
    answers: Answers,
    now = new Date(),
  ): Promise<{ savedAt: string }> {
    const row = await this.attemptRow(tenantId, accountId, attemptId);
    if (!row) throw notFound('Không tìm thấy lượt làm bài này.');
    if (row.submittedAt) {
      throw new AppError(409, 'already_submitted', 'Lượt làm bài này đã được nộp và chấm điểm trước đó.');
    }
    if (isPastGrace(row, now)) {
      throw new AppError(409, 'time_up', 'Đã hết giờ làm bài: câu trả lời mới không được lưu nữa.');
    }
    await this.checkAnswers(row, answers);
    const merged = { ...(row.savedAnswers ? (JSON.parse(row.savedAnswers) as Answers) : {}), ...answers };
    const savedAt = now.toISOString();
    const updated = await this.db.kysely
      .updateTable('quizAttempts')
      .set({ savedAnswers: JSON.stringify(merged), savedAt })
      .where('id', '=', row.id)
      .where('submittedAt', 'is', null)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError(409, 'already_submitted', 'Lượt làm bài này đã được nộp và chấm điểm trước đó.');
    }
    return { savedAt };
  }

  /** The graded result of a submitted attempt; the key only where the feedback rule allows. */
  async result(attempt: Attempt, quiz: Quiz, showKey: boolean): Promise<AttemptResult | null> {
    const row = await this.attemptRow(attempt.tenantId, attempt.accountId, attempt.id);
    if (!row?.submittedAt || !row.answers) return null;
    const graded = this.grade(row, JSON.parse(row.answers) as Answers, quiz, await this.questionsOf(quiz.id));
    return showKey ? graded : withoutKey(graded);
  }

  /**
   * Grades a submission once. Refused: an attempt of someone else (not found), an attempt
   * already submitted (409), answers naming a question or part not in the attempt (400).
   * After the deadline and its grace, only the autosaved answers count.
   */
  async submit(quiz: Quiz, accountId: string, attemptId: string, answers: Answers, now = new Date()) {
    const row = await this.attemptRow(quiz.tenantId, accountId, attemptId);
    if (!row || row.quizId !== quiz.id) throw notFound('Không tìm thấy lượt làm bài này.');
    if (row.submittedAt) {
      throw new AppError(409, 'already_submitted', 'Lượt làm bài này đã được nộp và chấm điểm trước đó.');
    }
    const late = isPastGrace(row, now);
    const saved = row.savedAnswers ? (JSON.parse(row.savedAnswers) as Answers) : {};
    if (!late) await this.checkAnswers(row, answers);
    const counted = late ? saved : { ...saved, ...answers };
    const result = this.grade(row, counted, quiz, await this.questionsOf(quiz.id), late);
    const submittedAt = now.toISOString();
    const updated = await this.db.kysely
      .updateTable('quizAttempts')
      .set({
        submittedAt,
        answers: JSON.stringify(counted),
        correctCount: result.correctCount,
        scorePercent: result.scorePercent,
        passed: result.passed ? 1 : 0,
        late: late ? 1 : 0,
      })
      .where('id', '=', row.id)
      .where('submittedAt', 'is', null)
      .executeTakeFirst();
    // Two submissions racing: only the one that flipped submittedAt counts.
    if (Number(updated.numUpdatedRows) !== 1) {
      throw new AppError(409, 'already_submitted', 'Lượt làm bài này đã được nộp và chấm điểm trước đó.');
    }
    return {
      attempt: { ...toAttempt(row), submittedAt, scorePercent: result.scorePercent, passed: result.passed },
      result,
    };
  }

  private async checkAnswers(row: QuizAttemptTable, answers: Answers): Promise<void> {
    const layout = JSON.parse(row.layout) as Layout;
    const inAttempt = new Set(layout.map((l) => l.questionId));
    const questions = new Map((await this.questionsOf(row.quizId)).map((q) => [q.id, q]));
    const problems: Record<string, string> = {};
    for (const [questionId, given] of Object.entries(answers)) {
      const question = questions.get(questionId);
      if (!inAttempt.has(questionId) || !question) {
        problems[questionId] = 'Câu hỏi này không thuộc lượt làm bài.';
        continue;
      }
      const problem = answerProblem(question.body, given);
      if (problem) problems[questionId] = problem;
    }
    if (Object.keys(problems).length > 0) throw validationFailed(problems, 'Bài nộp không hợp lệ.');
  }

  private grade(
    row: QuizAttemptTable,
    answers: Answers,
    quiz: Quiz,
    questions: StoredQuestion[],
    late = row.late === 1,
  ): AttemptResult {
    const byId = new Map(questions.map((q) => [q.id, q]));
    const graded = (JSON.parse(row.layout) as Layout).flatMap(
      ({ questionId, optionIds }): GradedQuestion[] => {
        const question = byId.get(questionId);
        if (!question) return [];
        const given = answers[questionId] ?? [];
        const credit = given.length === 0 ? 0 : creditFor(question.body, given, quiz.settings.partialCredit);
        return [
          {
            ...this.asked(question, optionIds),
            given,
            givenInWords: answerInWords(question.body, given),
            credit,
            correct: credit === 1,
            feedback: { key: keyInWords(question.body), explanation: question.explanation },
          },
        ];
      },
    );
    const points = graded.reduce((sum, q) => sum + q.credit, 0);
    const scorePercent = graded.length === 0 ? 0 : Math.round((points * 100) / graded.length);
    const passed = row.passed !== null ? row.passed === 1 : scorePercent >= quiz.settings.passPercent;
    return {
      correctCount: graded.filter((q) => q.correct).length,
      questionCount: graded.length,
      scorePercent: row.scorePercent ?? scorePercent,
      passed,
      late,
      questions: graded,
    };
  }

  private attemptRow(tenantId: string, accountId: string, attemptId: string) {
    return this.db.kysely
      .selectFrom('quizAttempts')
      .selectAll()
      .where('id', '=', attemptId)
      .where('tenantId', '=', tenantId)
      .where('accountId', '=', accountId)
      .executeTakeFirst();
  }

  /**
   * A quiz's frozen questions. Questions are frozen once, when their course version is
   * published, and never change after: so once read outside a transaction (committed) they are
   * kept in memory. A draft's quiz has none, and an empty list is never kept.
   */
  private async questionsOf(quizId: string): Promise<StoredQuestion[]> {
    const cached = frozenQuestionCache.get(quizId);
    if (cached) return cached;
    const rows = await this.db.kysely
      .selectFrom('quizQuestions')
      .select([
        'id',
        'position',
        'key',
        'kind',
        'situation',
        'prompt',
        'explanation',
        'body',
        'difficulty',
        'tags',
        'frameworks',
        'imageFile',
        'imageAlt',
        'sourceId',
      ])
      .where('quizId', '=', quizId)
      .orderBy('position')
      .execute();
    const questions = rows.map((r): StoredQuestion => {
      const body = JSON.parse(r.body) as StoredBody;
      return {
        id: r.id,
        position: r.position,
        key: r.key,
        kind: r.kind as QuestionKind,
        situation: r.situation,
        prompt: r.prompt,
        explanation: r.explanation,
        body,
        sourceId: r.sourceId,
        difficulty: r.difficulty,
        tags: decodeList(r.tags),
        frameworks: decodeList(r.frameworks),
        image: r.imageFile ? { file: r.imageFile, alt: r.imageAlt ?? '' } : null,
      };
    });
    if (questions.length > 0 && !this.db.kysely.isTransaction) {
      if (frozenQuestionCache.size >= FROZEN_CACHE_QUIZZES) {
        frozenQuestionCache.clear();
        publishedQuizCache.clear();
      }
      frozenQuestionCache.set(quizId, questions);
    }
    return questions;
  }
}

function isPastGrace(row: QuizAttemptTable, now: Date): boolean {
  return row.deadlineAt !== null && now.getTime() > Date.parse(row.deadlineAt) + DEADLINE_GRACE_MS;
}

/** A result with the key and explanations held back, as the quiz's feedback rule may ask. */
export function withoutKey(result: AttemptResult): AttemptResult {
  return { ...result, questions: result.questions.map((q) => ({ ...q, feedback: null })) };
}
