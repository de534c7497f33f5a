import { type Actor, hasRole, holdsRoleOver, type Scoped } from '../../access/actor.js';

export type OfferingAction = 'offering.read' | 'offering.manage' | 'offering.nominate';

/** Tenant-wide roles that see every offering and every nomination. */
const OVERSEERS = ['tenantAdmin', 'evaluator', 'platformAdmin'] as const;
const ADMINS = ['tenantAdmin', 'platformAdmin'] as const;

/**
 * The one decision point for seat-limited offerings.
 * - `offering.read` (subject: the tenant): tenant admins and evaluators, and unit managers of
 *   the tenant (they see the quotas of every unit, and nominees within their own subtree).
 * - `offering.manage` (subject: the tenant): create offerings and share out their seats:
 *   tenant admins only, as seats are a tenant-wide budget.
 * - `offering.nominate` (subject: a quota's unit): nominate people into that quota, or withdraw
 *   them: tenant admins, and unit managers over the quota's unit.
 */
export function offeringPolicy(actor: Actor | null, action: OfferingAction, subject: Scoped): boolean {
  if (!actor) return false;
  switch (action) {
    case 'offering.read':
      return (
        holdsRoleOver(actor, OVERSEERS, { tenantId: subject.tenantId, unitPath: null }) ||
        (actor.tenantId === subject.tenantId && hasRole(actor, 'unitManager'))
      );
    case 'offering.manage':
      return holdsRoleOver(actor, ADMINS, { tenantId: subject.tenantId, unitPath: null });
    case 'offering.nominate':
      return holdsRoleOver(actor, [...ADMINS, 'unitManager'], subject);
  }
}

/** True when the actor sees every nominee of an offering, not only those of units they manage. */
export const seesAllNominees = (actor: Actor, tenantId: string): boolean =>
  holdsRoleOver(actor, OVERSEERS, { tenantId, unitPath: null });
