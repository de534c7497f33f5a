import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';

/**
 * Read-only facts about submitted quiz attempts, for the integrity signals of the reports module
 * (reports/integritySignals.ts): how long each took, and a fingerprint of what was answered.
 * Nothing here changes an attempt or its grade.
 */

export interface AttemptTiming {
  id: string;
  accountId: string;
  quizId: string;
  /** The lesson the quiz belongs to (a course's final test has a lesson of its own). */
  lessonId: string;
  /** The learner's attempt number at this quiz, from 1. */
  number: number;
  startedAt: string;
  submittedAt: string;
  questionCount: number;
  correctCount: number;
  scorePercent: number;
  passed: boolean;
}

export interface AnswerSheet {
  id: string;
  /**
   * Identical for two attempts exactly when they had the same questions and gave the same answer
   * to each (options by id, so the order each learner saw them in does not matter).
   */
  fingerprint: string;
  /** Questions left unanswered: graded wrong, but not a wrong answer anyone could copy. */
  blanks: number;
}

/** Ids are asked for in batches, so no statement carries more parameters than either engine takes. */
const ID_BATCH = 2000;

async function inBatches<T>(ids: string[], read: (batch: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(ids)];
  const out: T[] = [];
  for (let at = 0; at < unique.length; at += ID_BATCH)
    out.push(...(await read(unique.slice(at, at + ID_BATCH))));
  return out;
}

/** The timing and grade of these submitted attempts of the tenant (others are left out). */
export async function attemptTimings(
  db: Db,
  tenantId: string,
  attemptIds: string[],
): Promise<AttemptTiming[]> {
  const rows = await inBatches(attemptIds, (batch) =>
    db.kysely
      .selectFrom('quizAttempts')
      .innerJoin('quizzes', 'quizzes.id', 'quizAttempts.quizId')
      .select([
        'quizAttempts.id',
        'quizAttempts.accountId',
        'quizAttempts.quizId',
        'quizzes.lessonId',
        'quizAttempts.number',
        'quizAttempts.startedAt',
        'quizAttempts.submittedAt',
        'quizAttempts.questionCount',
        'quizAttempts.correctCount',
        'quizAttempts.scorePercent',
        'quizAttempts.passed',
      ])
      .where('quizAttempts.tenantId', '=', tenantId)
      .where('quizAttempts.id', 'in', batch)
      .where('quizAttempts.submittedAt', 'is not', null)
      .execute(),
  );
  return rows.map((r) => ({
    id: r.id,
    accountId: r.accountId,
    quizId: r.quizId,
    lessonId: r.lessonId,
    number: r.number,
    startedAt: r.startedAt,
    submittedAt: r.submittedAt as string,
    questionCount: r.questionCount,
    correctCount: r.correctCount ?? 0,
    scorePercent: r.scorePercent ?? 0,
    passed: r.passed === 1,
  }));
}

type Layout = { questionId: string }[];

/**
 * A fingerprint of what each of these submitted attempts answered. Within a question, the
 * options picked (or pairs matched) are a set, so they are sorted; an ordering question's answer
 * is its order, so it is kept.
 */
export async function answerSheets(db: Db, tenantId: string, attemptIds: string[]): Promise<AnswerSheet[]> {
  const rows = await inBatches(attemptIds, (batch) =>
    db.kysely
      .selectFrom('quizAttempts')
      .select(['id', 'layout', 'answers'])
      .where('tenantId', '=', tenantId)
      .where('id', 'in', batch)
      .where('answers', 'is not', null)
      .execute(),
  );
  const layouts = new Map(rows.map((r) => [r.id, JSON.parse(r.layout) as Layout]));
  const questionIds = [...new Set([...layouts.values()].flatMap((l) => l.map((q) => q.questionId)))];
  const kinds = new Map(
    (
      await inBatches(questionIds, (batch) =>
        db.kysely.selectFrom('quizQuestions').select(['id', 'kind']).where('id', 'in', batch).execute(),
      )
    ).map((q) => [q.id, q.kind]),
  );
  return rows.map((row) => {
    const answers = JSON.parse(row.answers as string) as Record<string, string[]>;
    const given = (layouts.get(row.id) ?? [])
      .map(({ questionId }) => {
        const answer = (answers[questionId] ?? []).map((a) => a.trim());
        return [questionId, kinds.get(questionId) === 'ordering' ? answer : [...answer].sort()] as const;
      })
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return {
      id: row.id,
      fingerprint: createHash('sha256').update(JSON.stringify(given)).digest('hex'),
      blanks: given.filter(([, answer]) => answer.length === 0).length,
    };
  });
}
