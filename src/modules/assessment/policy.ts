import { type Actor, holdsRoleOver } from '../../access/actor.js';

export type AssessmentAction = 'attempt.start' | 'attempt.take' | 'bank.manage' | 'quiz.analyse';

/**
 * The assessment module's one decision point.
 * - `attempt.start`: any signed-in learner of the quiz's tenant.
 * - `attempt.take` (see, answer, read the result): only the learner whose attempt it is.
 * - `bank.manage` (question banks, imports) and `quiz.analyse` (item analysis, which shows
 *   no personal data): content managers of the tenant.
 */
export function assessmentPolicy(
  actor: Actor | null,
  action: AssessmentAction,
  subject: { tenantId: string; accountId?: string },
): boolean {
  if (!actor) return false;
  switch (action) {
    case 'attempt.start':
      return actor.tenantId === subject.tenantId;
    case 'attempt.take':
      return actor.tenantId === subject.tenantId && actor.accountId === subject.accountId;
    case 'bank.manage':
    case 'quiz.analyse':
      return holdsRoleOver(actor, ['contentManager'], { tenantId: subject.tenantId, unitPath: null });
  }
}
