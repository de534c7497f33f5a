import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';

export type QualificationAction = 'qualification.export' | 'qualification.revoke' | 'qualification.download';

/** Tenant-wide roles that see and export every qualification of the tenant. */
const OVERSEERS = ['tenantAdmin', 'evaluator', 'platformAdmin'] as const;
const ADMINS = ['tenantAdmin', 'platformAdmin'] as const;

/**
 * The one decision point for qualifications as people and other systems see them.
 * - `qualification.export` (subject: a unit's place, or the tenant with `unitPath: null`): list
 *   and export: tenant admins and evaluators tenant-wide, unit managers within their subtree.
 * - `qualification.revoke` (subject: the tenant): tenant admins only; a revocation reaches
 *   VNeID and personnel records, so it is not a unit's decision.
 * - `qualification.download` (subject: the holder): the holder's certificate PDF, for the
 *   holder and the tenant's admins (the same rule as course certificates).
 */
export function qualificationPolicy(
  actor: Actor | null,
  action: QualificationAction,
  subject: Scoped & { accountId?: string },
): boolean {
  if (!actor) return false;
  switch (action) {
    case 'qualification.export':
      return holdsRoleOver(actor, [...OVERSEERS, 'unitManager'], subject);
    case 'qualification.revoke':
      return holdsRoleOver(actor, ADMINS, { tenantId: subject.tenantId, unitPath: null });
    case 'qualification.download':
      return (
        (actor.tenantId === subject.tenantId && actor.accountId === subject.accountId) ||
        holdsRoleOver(actor, ADMINS, { tenantId: subject.tenantId, unitPath: null })
      );
  }
}

/**
 * The subtrees whose qualifications the actor may export when they name no unit: null for the
 * whole tenant, else the units they manage (empty: none at all).
 */
export function exportScope(actor: Actor | null, tenantId: string): string[] | null {
  if (!actor) return [];
  if (qualificationPolicy(actor, 'qualification.export', { tenantId, unitPath: null })) return null;
  if (actor.tenantId !== tenantId) return [];
  return actor.grants.flatMap((g) => (g.role === 'unitManager' && g.unitPath ? [g.unitPath] : []));
}
