import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';
import { reportsPolicy } from './policy.js';

export type IntegrityAction = 'signal.read' | 'signal.review';

/** Reviewing signals is the evaluator's own work; admins and unit managers may do it too. */
const REVIEWERS = ['evaluator', 'tenantAdmin', 'unitManager'] as const;

/**
 * The integrity signals' decision point (subject: the unit whose signals, at its place in
 * today's tree).
 * - `signal.read`: whoever may read the unit's learning report (reportsPolicy `report.read`).
 * - `signal.review`: mark a signal reviewed: evaluators and tenant admins anywhere in the tenant,
 *   unit managers within their subtree.
 */
export function integrityPolicy(actor: Actor | null, action: IntegrityAction, subject: Scoped): boolean {
  if (!actor) return false;
  switch (action) {
    case 'signal.read':
      return reportsPolicy(actor, 'report.read', subject);
    case 'signal.review':
      return holdsRoleOver(actor, REVIEWERS, subject);
  }
}
