import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { AppError, notFound, validationFailed } from '../../errors.js';
import type { QuestionKind, QuizDefinition } from './quizFile.js';
import type { QuizAttemptTable, QuizTable } from './tables.js';

export type Quiz = Omit<QuizTable, 'createdAt'>;

/** A question as a learner sees it while answering: no answer key, no explanation. */
export interface AttemptQuestion {
  id: string;
  kind: QuestionKind;
  situation: string | null;
  prompt: string;
  options: { id: string; text: string }[];
}

export interface GradedQuestion extends AttemptQuestion {
  chosen: string[];
  correctOptionIds: string[];
  correct: boolean;
  explanation: string;
}

export interface AttemptResult {
  correctCount: number;
  questionCount: number;
  scorePercent: number;
  passed: boolean;
  questions: GradedQuestion[];
}

export interface Attempt {
  id: string;
  tenantId: string;
  quizId: string;
  accountId: string;
  number: number;
  startedAt: string;
  submittedAt: string | null;
  scorePercent: number | null;
  passed: boolean | null;
}

/** Answers as submitted: question id → chosen option ids. */
export type Answers = Record<string, string[]>;

interface StoredOption {
  id: string;
  text: string;
  correct: boolean;
}

type Layout = { questionId: string; optionIds: string[] }[];

const toAttempt = (row: QuizAttemptTable): Attempt => ({
  id: row.id,
  tenantId: row.tenantId,
  quizId: row.quizId,
  accountId: row.accountId,
  number: row.number,
  startedAt: row.startedAt,
  submittedAt: row.submittedAt,
  scorePercent: row.scorePercent,
  passed: row.passed === null ? null : row.passed === 1,
});

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/** Quizzes, attempts and grading. The answer key leaves this service only inside a graded result. */
export class AssessmentService {
  constructor(private readonly db: Db) {}

  /** Stores a quiz defined in a course package; option ids are random so they reveal nothing. */
  async createQuiz(
    tenantId: string,
    courseId: string,
    lessonId: string,
    definition: QuizDefinition,
  ): Promise<string> {
    const id = randomUUID();
    await this.db.kysely
      .insertInto('quizzes')
      .values({
        id,
        tenantId,
        courseId,
        lessonId,
        passPercent: definition.passPercent,
        maxAttempts: definition.maxAttempts,
        createdAt: nowIso(),
      })
      .execute();
    await this.db.kysely
      .insertInto('quizQuestions')
      .values(
        definition.questions.map((question, index) => ({
          id: randomUUID(),
          quizId: id,
          position: index + 1,
          key: question.key,
          kind: question.kind,
          situation: question.situation,
          prompt: question.prompt,
          explanation: question.explanation,
          options: JSON.stringify(
            question.options.map((option) => ({ id: randomBytes(6).toString('base64url'), ...option })),
          ),
        })),
      )
      .execute();
    return id;
  }

  /** Removes a course's quizzes; only for courses nobody has attempted (the caller checks). */
  async deleteQuizzesOfCourse(courseId: string): Promise<void> {
    await this.db.kysely.deleteFrom('quizzes').where('courseId', '=', courseId).execute();
  }

  async hasAttempts(courseId: string): Promise<boolean> {
    const row = await this.db.kysely
      .selectFrom('quizAttempts')
      .innerJoin('quizzes', 'quizzes.id', 'quizAttempts.quizId')
      .select('quizAttempts.id')
      .where('quizzes.courseId', '=', courseId)
      .limit(1)
      .executeTakeFirst();
    return row !== undefined;
  }

  async quiz(tenantId: string, quizId: string): Promise<Quiz | null> {
    const row = await this.db.kysely
      .selectFrom('quizzes')
      .select(['id', 'tenantId', 'courseId', 'lessonId', 'passPercent', 'maxAttempts'])
      .where('id', '=', quizId)
      .where('tenantId', '=', tenantId)
      .executeTakeFirst();
    return row ?? null;
  }

  async questionCount(quizId: string): Promise<number> {
    const row = await this.db.kysely
      .selectFrom('quizQuestions')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('quizId', '=', quizId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** A learner's attempts at a quiz, oldest first. */
  async attemptsOf(accountId: string, quizId: string): Promise<Attempt[]> {
    const rows = await this.db.kysely
      .selectFrom('quizAttempts')
      .selectAll()
      .where('accountId', '=', accountId)
      .where('quizId', '=', quizId)
      .orderBy('number')
      .execute();
    return rows.map(toAttempt);
  }

  /**
   * Starts an attempt with its own shuffled order of questions and options, or returns the
   * learner's attempt that is still open (a reload must not burn an attempt).
   */
  async startAttempt(quiz: Quiz, accountId: string): Promise<Attempt> {
    const attempts = await this.attemptsOf(accountId, quiz.id);
    const open = attempts.find((a) => a.submittedAt === null);
    if (open) return open;
    if (quiz.maxAttempts !== null && attempts.length >= quiz.maxAttempts) {
      throw new AppError(
        409,
        'attempts_exhausted',
        `Bạn đã làm hết ${quiz.maxAttempts} lượt cho bài kiểm tra này.`,
      );
    }
    const questions = await this.questionsOf(quiz.id);
    const layout: Layout = shuffled(questions).map((q) => ({
      questionId: q.id,
      optionIds: shuffled(q.options).map((o) => o.id),
    }));
    const row: QuizAttemptTable = {
      id: randomUUID(),
      tenantId: quiz.tenantId,
      quizId: quiz.id,
      accountId,
      number: attempts.length + 1,
      layout: JSON.stringify(layout),
      startedAt: nowIso(),
      submittedAt: null,
      answers: null,
      correctCount: null,
      questionCount: layout.length,
      scorePercent: null,
      passed: null,
    };
    await this.db.kysely.insertInto('quizAttempts').values(row).execute();
    return toAttempt(row);
  }

  /** An attempt of this learner in this tenant; anyone else's attempt does not exist for them. */
  async attemptOf(tenantId: string, accountId: string, attemptId: string): Promise<Attempt | null> {
    const row = await this.attemptRow(tenantId, accountId, attemptId);
    return row ? toAttempt(row) : null;
  }

  /** The questions of an attempt in its shuffled order, without answers. */
  async attemptQuestions(attempt: Attempt): Promise<AttemptQuestion[]> {
    const row = await this.attemptRow(attempt.tenantId, attempt.accountId, attempt.id);
    if (!row) throw notFound();
    const byId = new Map((await this.questionsOf(row.quizId)).map((q) => [q.id, q]));
    return (JSON.parse(row.layout) as Layout).flatMap(({ questionId, optionIds }) => {
      const question = byId.get(questionId);
      if (!question) return [];
      const options = new Map(question.options.map((o) => [o.id, o]));
      return [
        {
          id: question.id,
          kind: question.kind,
          situation: question.situation,
          prompt: question.prompt,
          options: optionIds.flatMap((id) => {
            const option = options.get(id);
            return option ? [{ id, text: option.text }] : [];
          }),
        },
      ];
    });
  }

  /** The graded result of a submitted attempt, with the key and explanations. */
  async result(attempt: Attempt): Promise<AttemptResult | null> {
    const row = await this.attemptRow(attempt.tenantId, attempt.accountId, attempt.id);
    if (!row?.submittedAt || !row.answers) return null;
    return this.gradeAnswers(row, JSON.parse(row.answers) as Answers);
  }

  /**
   * Grades a submission once. Refused: an attempt of someone else (not found), an attempt
   * already submitted (409), answers naming a question or option that is not in the attempt (400).
   */
  async submit(
    tenantId: string,
    accountId: string,
    attemptId: string,
    answers: Answers,
    passPercent: number,
  ) {
    const row = await this.attemptRow(tenantId, accountId, attemptId);
    if (!row) throw notFound('Không tìm thấy lượt làm bài này.');
    if (row.submittedAt) {
      throw new AppError(409, 'already_submitted', 'Lượt làm bài này đã được nộp và chấm điểm trước đó.');
    }
    const result = await this.gradeAnswers(row, answers, passPercent);
    const submittedAt = nowIso();
    const updated = await this.db.kysely
      .updateTable('quizAttempts')
      .set({
        submittedAt,
        answers: JSON.stringify(answers),
        correctCount: result.correctCount,
        scorePercent: result.scorePercent,
        passed: result.passed ? 1 : 0,
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

  private async gradeAnswers(
    row: QuizAttemptTable,
    answers: Answers,
    passPercent?: number,
  ): Promise<AttemptResult> {
    const layout = JSON.parse(row.layout) as Layout;
    const inAttempt = new Set(layout.map((l) => l.questionId));
    const questions = new Map((await this.questionsOf(row.quizId)).map((q) => [q.id, q]));
    const problems: Record<string, string> = {};
    for (const [questionId, chosen] of Object.entries(answers)) {
      const question = questions.get(questionId);
      if (!inAttempt.has(questionId) || !question) {
        problems[questionId] = 'Câu hỏi này không thuộc lượt làm bài.';
        continue;
      }
      const known = new Set(question.options.map((o) => o.id));
      if (chosen.some((id) => !known.has(id)))
        problems[questionId] = 'Phương án đã chọn không thuộc câu hỏi này.';
      else if (question.kind === 'single' && chosen.length > 1)
        problems[questionId] = 'Câu này chỉ được chọn một phương án.';
    }
    if (Object.keys(problems).length > 0) throw validationFailed(problems, 'Bài nộp không hợp lệ.');
    const graded = layout.flatMap(({ questionId, optionIds }): GradedQuestion[] => {
      const question = questions.get(questionId);
      if (!question) return [];
      const chosen = [...new Set(answers[questionId] ?? [])];
      const correctOptionIds = question.options.filter((o) => o.correct).map((o) => o.id);
      const correct =
        chosen.length === correctOptionIds.length && chosen.every((id) => correctOptionIds.includes(id));
      const byId = new Map(question.options.map((o) => [o.id, o.text]));
      return [
        {
          id: question.id,
          kind: question.kind,
          situation: question.situation,
          prompt: question.prompt,
          options: optionIds.map((id) => ({ id, text: byId.get(id) ?? '' })),
          chosen,
          correctOptionIds,
          correct,
          explanation: question.explanation,
        },
      ];
    });
    const correctCount = graded.filter((q) => q.correct).length;
    const scorePercent = graded.length === 0 ? 0 : Math.round((correctCount * 100) / graded.length);
    const passed = row.passed !== null ? row.passed === 1 : scorePercent >= (passPercent ?? 100);
    return { correctCount, questionCount: graded.length, scorePercent, passed, questions: graded };
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

  private async questionsOf(quizId: string) {
    const rows = await this.db.kysely
      .selectFrom('quizQuestions')
      .select(['id', 'kind', 'situation', 'prompt', 'explanation', 'options'])
      .where('quizId', '=', quizId)
      .orderBy('position')
      .execute();
    return rows.map((r) => ({
      id: r.id,
      kind: r.kind as QuestionKind,
      situation: r.situation,
      prompt: r.prompt,
      explanation: r.explanation,
      options: JSON.parse(r.options) as StoredOption[],
    }));
  }
}
