import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';

/** People who may see a member's record: managers of their unit, evaluators, tenant and platform admins. */
const MEMBER_READERS = ['unitManager', 'evaluator', 'tenantAdmin', 'platformAdmin'] as const;

export type IdentityAction = 'member.read' | 'member.list';

/**
 * The identity module's one decision point.
 * - `member.read` (subject: the member's home unit): the member themself or a reader over it.
 * - `member.list` (subject: the unit whose subtree is listed): a reader over that unit.
 * A content manager is not a reader: authoring needs no personal data.
 */
export function identityPolicy(
  actor: Actor | null,
  action: IdentityAction,
  subject: Scoped & { accountId?: string },
): boolean {
  if (!actor) return false;
  switch (action) {
    case 'member.read':
      return actor.accountId === subject.accountId || holdsRoleOver(actor, MEMBER_READERS, subject);
    case 'member.list':
      return holdsRoleOver(actor, MEMBER_READERS, subject);
  }
}
