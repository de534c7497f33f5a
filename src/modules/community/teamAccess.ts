/**
 * A team as the policy sees it: where it is in the tree and how a person is part of it; and the
 * places around a team (its commune and the commune's villages).
 */
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound } from '../../errors.js';
import type { Unit } from '../org/service.js';
import type { HeldQualification } from '../programs/qualificationHolders.js';
import { qualificationStatus } from '../programs/qualificationStatus.js';
import type { CommunityDeps } from './deps.js';
import type { CommunitySubject } from './policy.js';
import { communityRepository as repo, type TeamRow } from './repository.js';

/** The kinds of unit a team belongs to: a village (residential block) or a whole commune. */
export const TEAM_UNIT_KINDS: readonly string[] = ['village', 'commune'];

export interface TeamPlace {
  team: TeamRow;
  /** The team's unit, as the tree has it today. */
  unit: Unit;
}

export type Membership = CommunitySubject['membership'];

/** A team of the tenant with its unit; a 404 for any other id. */
export async function teamPlace(deps: CommunityDeps, tenantId: string, id: string): Promise<TeamPlace> {
  const team = await repo.team(deps.db.kysely, tenantId, id);
  const unit = team && (await deps.org.unit(tenantId, team.unitId));
  if (!team || !unit) throw notFound('Không tìm thấy tổ công nghệ số này.');
  return { team, unit };
}

/** How a person is part of a team: its leader, a member, or not at all. */
export async function membershipOf(
  deps: CommunityDeps,
  team: TeamRow,
  accountId: string,
): Promise<Membership> {
  const row = await repo.member(deps.db.kysely, team.id, accountId);
  if (!row) return null;
  return team.leaderAccountId === accountId ? 'leader' : 'member';
}

export const isValidNow = (row: HeldQualification | undefined, today: string): boolean =>
  row !== undefined && qualificationStatus(row, today) === 'valid';

/** The person's most telling qualification today (see ProgramService.qualificationsOfPeople). */
export async function qualificationOf(
  deps: CommunityDeps,
  tenantId: string,
  accountId: string,
): Promise<HeldQualification | undefined> {
  return (await deps.programs.qualificationsOfPeople(tenantId, [accountId])).get(accountId);
}

/** The subject the policy decides on for a team, as the actor is part of it. */
export function teamSubject(
  place: TeamPlace,
  membership: Membership,
  extra: Pick<CommunitySubject, 'qualified' | 'guideAccountId'> = {},
): CommunitySubject {
  return { tenantId: place.team.tenantId, unitPath: place.unit.path, membership, ...extra };
}

/** The subject for a unit's teams as a whole (no membership). */
export const unitSubject = (unit: Pick<Unit, 'tenantId' | 'path'>): CommunitySubject => ({
  tenantId: unit.tenantId,
  unitPath: unit.path,
  membership: null,
});

/** What an actor is to a team, for pages deciding what to show. */
export async function actorsPart(deps: CommunityDeps, place: TeamPlace, actor: Actor) {
  const membership = await membershipOf(deps, place.team, actor.accountId);
  const qualification =
    membership === null ? undefined : await qualificationOf(deps, place.team.tenantId, actor.accountId);
  return { membership, qualification, qualified: isValidNow(qualification, todayInVietnam()) };
}

/** The commune of a unit: itself for a commune, its parent for a village. */
async function communeOf(deps: CommunityDeps, unit: Unit): Promise<Unit> {
  if (unit.kind !== 'village' || !unit.parentId) return unit;
  return (await deps.org.unit(unit.tenantId, unit.parentId)) ?? unit;
}

/** The places of a commune a team or a guide's help belongs to: the commune, then its villages. */
export async function communePlaces(deps: CommunityDeps, unit: Unit): Promise<Unit[]> {
  const commune = await communeOf(deps, unit);
  const villages = (await deps.org.children(commune.tenantId, commune.id)).filter(
    (u) => u.kind === 'village',
  );
  const places = [commune, ...villages];
  return places.some((u) => u.id === unit.id) ? places : [...places, unit];
}
