import type { Actor } from '../../access/actor.js';

export type AssessmentAction = 'attempt.start' | 'attempt.take';

/**
 * The assessment module's one decision point.
 * - `attempt.start`: any signed-in learner of the quiz's tenant.
 * - `attempt.take` (see, answer, read the result): only the learner whose attempt it is.
 */
export function assessmentPolicy(
  actor: Actor | null,
  action: AssessmentAction,
  subject: { tenantId: string; accountId?: string },
): boolean {
  if (!actor || actor.tenantId !== subject.tenantId) return false;
  switch (action) {
    case 'attempt.start':
      return true;
    case 'attempt.take':
      return actor.accountId === subject.accountId;
  }
}
