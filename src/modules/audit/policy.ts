import { type Actor, holdsRoleOver } from '../../access/actor.js';

export type AuditPolicyAction = 'audit.read';

/** Tenant-wide roles that oversee the tenant; a grant over one unit does not reach its log. */
const AUDIT_READERS = ['tenantAdmin', 'evaluator', 'platformAdmin'] as const;

/**
 * The audit module's one decision point.
 * - `audit.read`: view and export a tenant's log: its admins and evaluators, and platform admins.
 */
export function auditPolicy(
  actor: Actor | null,
  action: AuditPolicyAction,
  subject: { tenantId: string },
): boolean {
  if (!actor) return false;
  switch (action) {
    case 'audit.read':
      return holdsRoleOver(actor, AUDIT_READERS, { tenantId: subject.tenantId, unitPath: null });
  }
}
