import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';

export type ProgramAction =
  | 'program.manage'
  | 'program.read'
  | 'rule.create'
  | 'rule.read'
  | 'assignment.exempt';

/** Who oversees assignments; a unit manager only within their subtree. */
const OVERSEERS = ['evaluator', 'tenantAdmin', 'platformAdmin', 'unitManager'] as const;
/** Who assigns and exempts; evaluators look but change nothing. */
const ASSIGNERS = ['tenantAdmin', 'platformAdmin', 'unitManager'] as const;

/**
 * The programs module's one decision point.
 * - `program.manage` (subject: the tenant): create programs: tenant admins and content managers.
 * - `program.read` (subject: the tenant): see the programs: whoever manages, assigns or oversees.
 * - `rule.create` (subject: the audience's unit): tenant admins; unit managers within their subtree.
 * - `rule.read` (subject: the rule's unit): evaluators and tenant admins; unit managers within their subtree.
 * - `assignment.exempt` (subject: the rule's unit): as `rule.create`.
 */
export function programsPolicy(actor: Actor | null, action: ProgramAction, subject: Scoped): boolean {
  if (!actor) return false;
  switch (action) {
    case 'program.manage':
      return holdsRoleOver(actor, ['tenantAdmin', 'platformAdmin', 'contentManager'], {
        ...subject,
        unitPath: null,
      });
    case 'program.read':
      return actor.grants.some((g) =>
        holdsRoleOver(actor, [...OVERSEERS, 'contentManager'], {
          tenantId: subject.tenantId,
          unitPath: g.unitPath,
        }),
      );
    case 'rule.create':
    case 'assignment.exempt':
      return holdsRoleOver(actor, ASSIGNERS, subject);
    case 'rule.read':
      return holdsRoleOver(actor, OVERSEERS, subject);
  }
}

/**
 * How much of a rule an actor sees: all of it (`within` null) when they may read the rule, or
 * only their own people (`within` their subtree) when they manage a unit inside its audience, as
 * a commune manager under a province-wide rule; null when they see nothing of it.
 */
export function ruleView(actor: Actor | null, ruleUnit: Scoped): { within: string | null } | null {
  if (programsPolicy(actor, 'rule.read', ruleUnit)) return { within: null };
  const inside = actor?.grants.find(
    (g) =>
      g.role === 'unitManager' &&
      actor.tenantId === ruleUnit.tenantId &&
      g.unitPath !== null &&
      ruleUnit.unitPath !== null &&
      g.unitPath.startsWith(ruleUnit.unitPath),
  );
  return inside ? { within: inside.unitPath } : null;
}
