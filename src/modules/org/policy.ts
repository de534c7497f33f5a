import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';

export type OrgAction = 'unit.read' | 'unit.import' | 'unit.manage';

/**
 * The org module's one decision point.
 * - `unit.read`: anyone, signed in or not: unit names and codes are public administrative
 *   data, and people pick their commune before they have an account.
 * - `unit.import`: tenant and platform admins over the tenant.
 * - `unit.manage` (subject: the unit to change, or to add a unit under): tenant and platform
 *   admins anywhere in the tenant; a unit manager within their own subtree.
 */
export function orgPolicy(actor: Actor | null, action: OrgAction, subject: Scoped): boolean {
  switch (action) {
    case 'unit.read':
      return true;
    case 'unit.import':
      return actor !== null && holdsRoleOver(actor, ['tenantAdmin', 'platformAdmin'], subject);
    case 'unit.manage':
      return actor !== null && holdsRoleOver(actor, ['tenantAdmin', 'platformAdmin', 'unitManager'], subject);
  }
}
