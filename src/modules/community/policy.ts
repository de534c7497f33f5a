import { type Actor, holdsRoleOver, type Scoped } from '../../access/actor.js';

export type CommunityAction =
  | 'team.read'
  | 'team.manage'
  | 'team.members'
  | 'assistance.log'
  | 'assistance.correct'
  | 'assistance.delete'
  | 'assistance.read';

/** What the policy is asked about: a place in the tree and, for a team, how the actor is part of it. */
export interface CommunitySubject extends Scoped {
  /** The actor's part in the team: its leader, a member, or none (also for a unit, not a team). */
  membership: 'leader' | 'member' | null;
  /** The actor holds a valid "đạt yêu cầu" qualification today (asked for logging only). */
  qualified?: boolean;
  /** The guide who logged the entry in question (correcting and deleting an entry). */
  guideAccountId?: string;
}

const ADMINS = ['tenantAdmin', 'platformAdmin'] as const;
const MANAGERS = [...ADMINS, 'unitManager'] as const;
/** Who reads every team's figures of a unit: its managers, and evaluators and admins tenant-wide. */
const OVERSEERS = [...MANAGERS, 'evaluator'] as const;

const wholeTenant = (subject: Scoped): Scoped => ({ tenantId: subject.tenantId, unitPath: null });

/**
 * The community module's one decision point (subject: the team's unit, or a unit, at its place in
 * today's tree).
 * - `team.read`: a team's page: evaluators and tenant admins anywhere, unit managers over the
 *   team's unit, and the team's own leader and members.
 * - `team.manage`: create, edit, change the status of or delete a team, import teams: tenant
 *   admins and unit managers over the unit (a manager of another commune is refused).
 * - `team.members`: add and remove members, change the team's contacts: the above and the
 *   team's leader.
 * - `assistance.log`: a member (the leader too) who is a qualified guide today.
 * - `assistance.correct`: the guide who logged an entry, while still a qualified member.
 * - `assistance.delete`: the guide who logged it, the team's leader, and its managers.
 * - `assistance.read`: a team's figures as `team.read`; a unit's (membership null) for whoever
 *   reads the unit's reports: evaluators and admins tenant-wide, unit managers over the unit.
 */
export function communityPolicy(
  actor: Actor | null,
  action: CommunityAction,
  subject: CommunitySubject,
): boolean {
  if (!actor || actor.tenantId !== subject.tenantId) return false;
  const manages = holdsRoleOver(actor, MANAGERS, subject);
  const own = (accountId: string | undefined) => accountId !== undefined && accountId === actor.accountId;
  switch (action) {
    case 'team.read':
    case 'assistance.read':
      return (
        holdsRoleOver(actor, ['evaluator', ...ADMINS], wholeTenant(subject)) ||
        holdsRoleOver(actor, OVERSEERS, subject) ||
        subject.membership !== null
      );
    case 'team.manage':
      return manages;
    case 'team.members':
      return manages || subject.membership === 'leader';
    case 'assistance.log':
      return subject.membership !== null && subject.qualified === true;
    case 'assistance.correct':
      return subject.membership !== null && subject.qualified === true && own(subject.guideAccountId);
    case 'assistance.delete':
      return manages || subject.membership === 'leader' || own(subject.guideAccountId);
  }
}
