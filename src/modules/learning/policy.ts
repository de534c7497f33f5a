import { type Actor, holdsRoleOver } from '../../access/actor.js';

export type LearningAction = 'progress.record' | 'certificate.download';

/** People who may download someone else's certificate: admins of the tenant (managers come with reports). */
const CERTIFICATE_READERS = ['tenantAdmin', 'platformAdmin'] as const;

/**
 * The learning module's one decision point.
 * - `progress.record`: a signed-in learner records their own learning, in their own tenant.
 * - `certificate.download`: the holder, or a tenant admin.
 */
export function learningPolicy(
  actor: Actor | null,
  action: LearningAction,
  subject: { tenantId: string; accountId: string },
): boolean {
  if (!actor || actor.tenantId !== subject.tenantId) return false;
  switch (action) {
    case 'progress.record':
      return actor.accountId === subject.accountId;
    case 'certificate.download':
      return (
        actor.accountId === subject.accountId ||
        holdsRoleOver(actor, CERTIFICATE_READERS, { tenantId: subject.tenantId, unitPath: null })
      );
  }
}
