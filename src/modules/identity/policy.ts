import { type Actor, holdsRoleOver, type Role, type Scoped } from '../../access/actor.js';

/** People who may see a member's record: managers of their unit, evaluators, tenant and platform admins. */
const MEMBER_READERS = ['unitManager', 'evaluator', 'tenantAdmin', 'platformAdmin'] as const;
/** People who may enrol others from an HR roster: whoever manages the units they are enrolled in. */
const ROSTER_IMPORTERS = ['unitManager', 'tenantAdmin', 'platformAdmin'] as const;

export type IdentityAction = 'member.read' | 'member.list' | 'roster.import' | 'role.view' | 'role.change';

/**
 * The roles an actor may grant or revoke over a scope: tenant admins any tenant role; a unit
 * manager only unit managers and class instructors inside their own subtree. Evaluators look but change nothing.
 */
export function changeableRoles(actor: Actor, scope: Scoped): Role[] {
  if (holdsRoleOver(actor, ['tenantAdmin', 'platformAdmin'], scope)) {
    return ['unitManager', 'instructor', 'contentManager', 'evaluator', 'tenantAdmin'];
  }
  if (scope.unitPath !== null && holdsRoleOver(actor, ['unitManager'], scope))
    return ['unitManager', 'instructor'];
  return [];
}

/**
 * The identity module's one decision point.
 * - `member.read` (subject: the member's home unit): the member themself or a reader over it.
 * - `member.list` (subject: the unit whose subtree is listed): a reader over that unit.
 * - `roster.import` (subject: the unit a roster row enrols someone in): a manager over that unit.
 * - `role.view` (subject: a grant's scope): who holds which role there — unit managers within
 *   their subtree, evaluators and admins.
 * - `role.change` (subject: a grant's scope): see `changeableRoles`.
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
    case 'role.view':
      return holdsRoleOver(actor, ['evaluator', 'tenantAdmin', 'platformAdmin', 'unitManager'], subject);
    case 'role.change':
      return changeableRoles(actor, subject).length > 0;
    case 'roster.import':
      return holdsRoleOver(actor, ROSTER_IMPORTERS, subject);
  }
}
