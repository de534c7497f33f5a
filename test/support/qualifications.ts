import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { Db } from '../../src/db/database.js';
import type { AccountRow } from '../../src/modules/identity/repository.js';
import { newCertificateCode } from '../../src/modules/learning/service.js';
import type { Tenant } from '../../src/modules/org/service.js';
import type { QualificationRow } from '../../src/modules/programs/repository.js';
import type { AppContext } from '../../src/web/context.js';
import { passQuiz } from './answers.js';
import { importMiniCourse } from './factories.js';

/**
 * A program of the mini course (valid 24 months) and `qualify`, which makes a person earn its
 * qualification the way a learner does: pass the quiz and read every lesson.
 */
export async function qualificationProgram(ctx: AppContext, tenant: Tenant) {
  const course = await importMiniCourse(ctx, tenant);
  const program = await ctx.programs.createProgram(tenant.id, {
    name: 'Kỹ năng số cho cán bộ, công chức',
    targetBlock: 'official',
    courses: [{ courseId: course.id, role: 'required' }],
    electivesRequired: 0,
    validityMonths: 24,
  });
  const quizId = course.lessons.find((l) => l.quizId)?.quizId;
  const quiz = quizId ? await ctx.assessment.quiz(tenant.id, quizId) : null;
  assert.ok(quiz, 'the mini course has a quiz');
  const qualify = async (account: AccountRow): Promise<QualificationRow> => {
    const learner = await ctx.identity.actorOf(account);
    await passQuiz(ctx, learner, quiz);
    for (const lesson of course.lessons) await ctx.learning.finishReading(learner, lesson.id);
    const [qualification] = await ctx.programs.qualificationsOf(account.id);
    assert.ok(qualification, `${account.fullName} is qualified`);
    return qualification;
  };
  return { program, course, qualify };
}

/**
 * A qualification written straight to its table, for states the learning path cannot reach
 * today (issued years ago, lapsed): a copy of `like` with a new id and code and `changes`.
 */
export async function insertQualification(
  db: Db,
  like: QualificationRow,
  changes: Partial<QualificationRow>,
): Promise<QualificationRow> {
  const row = { ...like, id: randomUUID(), code: newCertificateCode(), ...changes };
  await db.kysely.insertInto('qualifications').values(row).execute();
  return row;
}
