import { type Actor, holdsRoleOver, type Role, type Scoped } from '../../access/actor.js';

export type ClassAction = 'class.schedule' | 'class.run' | 'class.read' | 'class.attend';

/** What a decision is about: a unit (to schedule at), or a session's unit and its instructor. */
export interface ClassSubject extends Scoped {
  /** The account named as the session's instructor, for `class.run` and `class.read`. */
  instructorAccountId?: string | null;
}

/** Roles that schedule and run the classes of the units they hold a role over. */
export const CLASS_RUNNERS: readonly Role[] = ['tenantAdmin', 'platformAdmin', 'unitManager', 'instructor'];
/** Roles that read class reports besides the runners. */
export const CLASS_READERS: readonly Role[] = [...CLASS_RUNNERS, 'evaluator'];

/**
 * The one decision point for in-person classes.
 * - `class.schedule` (subject: the organising unit): tenant admins, and unit managers and
 *   instructors over the unit.
 * - `class.run` (subject: a session): edit or cancel it, its roster, door additions, walk-ins,
 *   the check-in QR page, paper results and the class kit: the session's own instructor, and
 *   whoever may schedule at its unit.
 * - `class.read` (subject: a session): its report: the runners, and evaluators.
 * - `class.attend` (subject: the session's tenant): see it, register, cancel, check in: any
 *   signed-in person of the tenant (another tenant's session is never found).
 */
export function classPolicy(actor: Actor | null, action: ClassAction, subject: ClassSubject): boolean {
  if (!actor) return false;
  switch (action) {
    case 'class.schedule':
      return holdsRoleOver(actor, CLASS_RUNNERS, subject);
    case 'class.run':
      return instructs(actor, subject) || holdsRoleOver(actor, CLASS_RUNNERS, subject);
    case 'class.read':
      return instructs(actor, subject) || holdsRoleOver(actor, CLASS_READERS, subject);
    case 'class.attend':
      return actor.tenantId === subject.tenantId;
  }
}

const instructs = (actor: Actor, subject: ClassSubject) =>
  actor.tenantId === subject.tenantId &&
  subject.instructorAccountId !== undefined &&
  actor.accountId === subject.instructorAccountId;
