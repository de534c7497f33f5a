import type { Actor } from '../../src/access/actor.js';
import type { Db } from '../../src/db/database.js';
import type { StoredBody } from '../../src/modules/assessment/questionBody.js';
import type { Answers, Quiz } from '../../src/modules/assessment/service.js';
import type { AppContext } from '../../src/web/context.js';

/** The fully right answers to these questions, read from the database the way only the grader can. */
export async function rightAnswers(db: Db, questionIds: string[]): Promise<Answers> {
  if (questionIds.length === 0) return {};
  const rows = await db.kysely
    .selectFrom('quizQuestions')
    .select(['id', 'body'])
    .where('id', 'in', questionIds)
    .execute();
  return Object.fromEntries(rows.map((r) => [r.id, rightAnswer(JSON.parse(r.body) as StoredBody)]));
}

export function rightAnswer(body: StoredBody): string[] {
  switch (body.kind) {
    case 'single':
    case 'multiple':
      return body.options.filter((o) => o.correct).map((o) => o.id);
    case 'trueFalse':
      return [String(body.answer)];
    case 'matching':
      return body.pairs.map((p) => `${p.id}:${p.id}`);
    case 'ordering':
      return body.items.map((i) => i.id);
    case 'numeric':
      return [String(body.answer)];
  }
}

/** Starts an attempt at the quiz and submits it with every answer right. */
export async function passQuiz(ctx: AppContext, actor: Actor, quiz: Quiz) {
  const attempt = await ctx.assessment.startAttempt(quiz, actor.accountId);
  const { questions } = await ctx.assessment.attemptQuestions(attempt);
  const answers = await rightAnswers(
    ctx.db,
    questions.map((q) => q.id),
  );
  return ctx.learning.submitQuiz(actor, attempt.id, answers);
}

/** The right option ids of a quiz, read from the database the way only the grader can. */
export async function answerKey(db: Db, quizId: string): Promise<Set<string>> {
  const rows = await db.kysely
    .selectFrom('quizQuestions')
    .select('body')
    .where('quizId', '=', quizId)
    .execute();
  return new Set(rows.flatMap((r) => rightAnswer(JSON.parse(r.body) as StoredBody)));
}
