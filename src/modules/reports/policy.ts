import { type Actor, hasRole, holdsRoleOver, type Scoped } from '../../access/actor.js';

export type ReportAction = 'report.read' | 'platform.read' | 'target.manage';

/** Who oversees learning: evaluators and admins across the tenant, unit managers in their subtree. */
const REPORT_READERS = ['evaluator', 'tenantAdmin', 'platformAdmin', 'unitManager'] as const;

/**
 * The reports module's one decision point.
 * - `report.read` (subject: the unit reported on, at its place in today's tree): evaluators,
 *   tenant and platform admins anywhere in the tenant; unit managers within their subtree.
 * - `platform.read`: the national roll-up across tenants: platform admins only.
 * - `target.manage`: setting the tenant's targets: its admins (evaluators measure against them).
 */
export function reportsPolicy(actor: Actor | null, action: ReportAction, subject: Scoped): boolean {
  if (!actor) return false;
  switch (action) {
    case 'report.read':
      return holdsRoleOver(actor, REPORT_READERS, subject);
    case 'platform.read':
      return hasRole(actor, 'platformAdmin');
    case 'target.manage':
      return actor.tenantId === subject.tenantId && hasRole(actor, 'tenantAdmin');
  }
}
