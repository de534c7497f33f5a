import type { Db } from '../../db/database.js';

/** One quiz attempt as a learning record shows it: which quiz (and its lesson), when, how it went. */
export interface AttemptHistoryRow {
  id: string;
  quizId: string;
  courseId: string;
  /** The lesson the quiz belongs to (a catalog id). */
  lessonId: string;
  passPercent: number;
  number: number;
  startedAt: string;
  /** Null while the attempt is open. */
  submittedAt: string | null;
  correctCount: number | null;
  questionCount: number;
  scorePercent: number | null;
  /** 1 passed, 0 failed, null not graded yet. */
  passed: number | null;
  /** 1 when it was submitted after the deadline and grace (only autosaved answers counted). */
  late: number | null;
}

/**
 * Every quiz attempt of one person in a tenant, open or submitted, oldest first. Read-only; the
 * answers themselves stay out (the personal-data export has them).
 */
export async function attemptHistory(
  db: Db,
  tenantId: string,
  accountId: string,
): Promise<AttemptHistoryRow[]> {
  return db.kysely
    .selectFrom('quizAttempts')
    .innerJoin('quizzes', 'quizzes.id', 'quizAttempts.quizId')
    .select([
      'quizAttempts.id',
      'quizAttempts.quizId',
      'quizzes.courseId',
      'quizzes.lessonId',
      'quizzes.passPercent',
      'quizAttempts.number',
      'quizAttempts.startedAt',
      'quizAttempts.submittedAt',
      'quizAttempts.correctCount',
      'quizAttempts.questionCount',
      'quizAttempts.scorePercent',
      'quizAttempts.passed',
      'quizAttempts.late',
    ])
    .where('quizAttempts.tenantId', '=', tenantId)
    .where('quizAttempts.accountId', '=', accountId)
    .orderBy('quizAttempts.startedAt')
    .orderBy('quizAttempts.number')
    .execute();
}
