import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';

/**
 * `rule.nudge` (subject: the rule's unit): remind every overdue person of a rule at once.
 * Whoever may assign and exempt under the rule (tenant admins, unit managers over its unit;
 * see programsPolicy), so the button shows to the people who answer for its audience.
 */
export const mayNudge = (actor: Actor | null, ruleUnit: Scoped): boolean =>
  actor !== null && holdsRoleOver(actor, ['tenantAdmin', 'platformAdmin', 'unitManager'], ruleUnit);
