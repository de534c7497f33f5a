import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../web/context.js';
import type { AccountRow } from '../identity/repository.js';
import { maskNationalId } from '../identity/rosterNationalId.js';

/** One person's learning, as their managers and evaluators review it. */
export type LearningRecord = Awaited<ReturnType<typeof gatherRecord>>;

async function gatherRecord(ctx: AppContext, account: AccountRow) {
  const [view, learning, attempts] = await Promise.all([
    ctx.identity.view(account),
    ctx.learning.personalDataOf(account.id),
    ctx.assessment.allAttemptsOf(account.id),
  ]);
  const courseIds = [...new Set([...learning.courses, ...attempts].map((c) => c.courseId))];
  const titles = new Map(
    (await ctx.catalog.coursesByIds(account.tenantId, courseIds)).map((c) => [c.id, c.title]),
  );
  const titleOf = (courseId: string) => titles.get(courseId) ?? 'Khóa học đã xóa';
  return {
    person: {
      id: account.id,
      fullName: account.fullName,
      phone: view.phone,
      email: account.email,
      blockLabel: view.blockLabel,
      unit: view.homeUnit ? [view.homeUnit.fullName, ...view.homeUnit.ancestors].join(', ') : null,
      position: account.position,
      nationalId: account.nationalIdLast4 ? maskNationalId(account.nationalIdLast4) : null,
    },
    courses: learning.courses.map((c) => ({ ...c, title: titleOf(c.courseId) })),
    attempts: attempts
      .filter((a) => a.submittedAt !== null)
      .map((a) => ({
        id: a.id,
        title: titleOf(a.courseId),
        number: a.number,
        submittedAt: a.submittedAt as string,
        scorePercent: a.scorePercent,
        passed: a.passed === 1,
      })),
    certificates: learning.certificates,
  };
}

/**
 * The record of `account`, as `viewer` sees it. Anyone's look at someone else's record is an
 * access to personal data and goes into the audit log (evaluators' reviews above all).
 */
export async function learningRecord(
  ctx: AppContext,
  viewer: Actor,
  account: AccountRow,
): Promise<LearningRecord> {
  const record = await gatherRecord(ctx, account);
  if (viewer.accountId !== account.id) {
    await ctx.audit.record(ctx.db, {
      tenantId: account.tenantId,
      actor: viewer,
      action: 'record.viewed',
      subject: { type: 'account', id: account.id, label: account.fullName },
      unitId: account.homeUnitId,
    });
  }
  return record;
}
