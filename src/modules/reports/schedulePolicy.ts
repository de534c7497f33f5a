import { type Actor, holdsRoleOver } from '../../access/actor.js';
import type { Unit } from '../org/service.js';
import { reportsPolicy } from './policy.js';

/**
 * Who may do what with scheduled reports. A schedule reports on its unit's subtree, so:
 * - seeing a schedule and its snapshots, and scheduling one on a unit, is reading reports on
 *   that unit (`report.read`: evaluators and admins tenant-wide, unit managers in their subtree);
 * - pausing, resuming or removing it is for its creator and tenant admins, as long as they may
 *   still read reports on its unit.
 */
export function mayReadSchedule(actor: Actor | null, unit: Pick<Unit, 'tenantId' | 'path'>): boolean {
  return reportsPolicy(actor, 'report.read', { tenantId: unit.tenantId, unitPath: unit.path });
}

export const mayScheduleOn = mayReadSchedule;

export function mayManageSchedule(
  actor: Actor | null,
  schedule: { createdBy: string },
  unit: Pick<Unit, 'tenantId' | 'path'>,
): boolean {
  if (!actor || !mayReadSchedule(actor, unit)) return false;
  return (
    schedule.createdBy === actor.accountId ||
    holdsRoleOver(actor, ['tenantAdmin'], { tenantId: unit.tenantId, unitPath: unit.path })
  );
}

/** Whether the actor may read reports somewhere in the tenant: the list and the new-schedule form. */
export function maySchedule(actor: Actor | null, tenantId: string): boolean {
  return (
    actor?.grants.some((g) => reportsPolicy(actor, 'report.read', { tenantId, unitPath: g.unitPath })) ??
    false
  );
}
