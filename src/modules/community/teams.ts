/**
 * Creating, editing, pausing or dissolving, and deleting a team: each one transaction with its
 * audit event, refused (changing nothing) unless the policy allows it.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { conflict, type FieldErrors, forbidden, validationFailed } from '../../errors.js';
import { cleanText, foldForSearch } from '../../text/vietnamese.js';
import { formatPhone, normalizePhone } from '../identity/phone.js';
import type { Unit } from '../org/service.js';
import type { CommunityDeps } from './deps.js';
import { communityPolicy } from './policy.js';
import { communityRepository as repo, type TeamRow } from './repository.js';
import { membershipOf, TEAM_UNIT_KINDS, type TeamPlace, teamSubject, unitSubject } from './teamAccess.js';
import { isTeamStatus, TEAM_STATUSES, type TeamStatus } from './teamStatuses.js';

const TEAM_NAME_LENGTH = { min: 2, max: 120 } as const;
export const CONTACT_NOTE_LENGTH = 300;

/** The name a team gets when none is typed over the suggestion. */
export const suggestedTeamName = (unit: Pick<Unit, 'typeLabel' | 'name'>) =>
  `Tổ công nghệ số cộng đồng ${unit.typeLabel.toLocaleLowerCase('vi')} ${unit.name}`;

/** Why a phone number finds nobody: people join a team with the account they learn with. */
export const notRegistered = (phone: string) =>
  `Chưa có ai dùng số điện thoại ${formatPhone(phone)} trên hệ thống. Người này cần đăng ký tài khoản ` +
  '(hoặc được đơn vị nhập vào danh sách) trước khi vào tổ.';

export const teamNameProblem = (name: string): string | undefined =>
  name.length < TEAM_NAME_LENGTH.min || name.length > TEAM_NAME_LENGTH.max
    ? `Tên tổ cần từ ${TEAM_NAME_LENGTH.min} đến ${TEAM_NAME_LENGTH.max} ký tự.`
    : undefined;

/** The key two team names of one unit must not share (case, diacritics and spacing aside). */
export const teamNameKey = (unitId: string, name: string) => `${unitId}\n${foldForSearch(name)}`;

export interface TeamContacts {
  contactPhone: string;
  contactNote: string;
}

export interface NewTeam extends TeamContacts {
  unitId: string;
  name: string;
  /** The leader's phone number as typed; '' for no leader yet. */
  leaderPhone: string;
}

export interface TeamChanges extends TeamContacts {
  /** What only managers change; absent when the team's leader edits the contacts. */
  details?: { unitId: string; name: string; leaderAccountId: string };
}

const subjectOf = (team: TeamRow) => ({ type: 'communityTeam', id: team.id, label: team.name });

/** The contacts cleaned, or their problems added to `errors`. */
function checkContacts(input: TeamContacts, errors: FieldErrors) {
  const phoneText = input.contactPhone.trim();
  const contactPhone = phoneText === '' ? null : normalizePhone(phoneText);
  if (phoneText !== '' && contactPhone === null)
    errors.contactPhone = 'Số điện thoại liên hệ không phải số di động Việt Nam hợp lệ.';
  const contactNote = cleanText(input.contactNote) || null;
  if (contactNote && contactNote.length > CONTACT_NOTE_LENGTH)
    errors.contactNote = `Thông tin liên hệ tối đa ${CONTACT_NOTE_LENGTH} ký tự.`;
  return { contactPhone, contactNote };
}

/** A unit a team may belong to and the actor may manage teams in; else the field's problem. */
async function teamUnit(
  deps: CommunityDeps,
  actor: Actor,
  unitId: string,
  errors: FieldErrors,
): Promise<Unit | null> {
  const unit = unitId ? await deps.org.inForce(actor.tenantId, unitId) : undefined;
  if (!unit || unit.id !== unitId || !TEAM_UNIT_KINDS.includes(unit.kind)) {
    errors.unitId = 'Hãy chọn thôn, tổ dân phố (hoặc xã, phường) của tổ.';
    return null;
  }
  if (!communityPolicy(actor, 'team.manage', unitSubject(unit))) throw forbidden();
  return unit;
}

/** True when another team of the unit already has this name. */
async function nameTaken(deps: CommunityDeps, unit: Unit, name: string, ownId: string | null) {
  const teams = await repo.teamsInUnits(deps.db.kysely, unit.tenantId, [unit.id]);
  return teams.some((t) => t.id !== ownId && teamNameKey(t.unitId, t.name) === teamNameKey(unit.id, name));
}

/**
 * Creates an active team in a village or commune the actor manages; the leader, when given, is
 * its first member.
 * @example await createTeam(ctx, manager, { unitId: village.id, name: 'Tổ CNS thôn Phú Hòa', leaderPhone: '0912345678', contactPhone: '', contactNote: '' })
 */
export async function createTeam(deps: CommunityDeps, actor: Actor, input: NewTeam): Promise<TeamRow> {
  const errors: FieldErrors = {};
  const unit = await teamUnit(deps, actor, input.unitId, errors);
  const name = cleanText(input.name);
  const nameProblem = teamNameProblem(name);
  if (nameProblem) errors.name = nameProblem;
  else if (unit && (await nameTaken(deps, unit, name, null)))
    errors.name = `${unit.fullName} đã có tổ tên “${name}”.`;
  const leaderText = input.leaderPhone.trim();
  const leaderPhone = leaderText === '' ? null : normalizePhone(leaderText);
  const leader = leaderPhone ? await deps.identity.accountByIdentifier(actor.tenantId, leaderPhone) : null;
  if (leaderText !== '' && leaderPhone === null)
    errors.leaderPhone = 'Số điện thoại tổ trưởng không phải số di động Việt Nam hợp lệ.';
  else if (leaderPhone && !leader) errors.leaderPhone = notRegistered(leaderPhone);
  const contacts = checkContacts(input, errors);
  if (!unit || Object.keys(errors).length > 0) throw validationFailed(errors);
  const now = nowIso();
  const team: TeamRow = {
    id: randomUUID(),
    tenantId: actor.tenantId,
    unitId: unit.id,
    name,
    leaderAccountId: leader?.id ?? null,
    ...contacts,
    status: 'active',
    createdAt: now,
    updatedAt: now,
  };
  await inTransaction(deps.db, async (tx) => {
    await repo.insertTeams(tx.kysely, [team]);
    if (leader)
      await repo.insertMembers(tx.kysely, [
        {
          teamId: team.id,
          accountId: leader.id,
          tenantId: team.tenantId,
          joinedAt: now,
          addedBy: actor.accountId,
        },
      ]);
    await deps.audit.record(tx, {
      tenantId: team.tenantId,
      actor,
      action: 'community.team_created',
      subject: subjectOf(team),
      unitId: unit.id,
      details: { unit: unit.fullName, leader: leader?.fullName ?? null },
    });
  });
  return team;
}

/**
 * Changes a team's contacts (its leader may) and, in `details`, its name, place and leader
 * (managers only; the leader is one of its members, or nobody).
 */
export async function updateTeam(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  changes: TeamChanges,
): Promise<void> {
  const { team } = place;
  const membership = await membershipOf(deps, team, actor.accountId);
  const action = changes.details ? 'team.manage' : 'team.members';
  if (!communityPolicy(actor, action, teamSubject(place, membership))) throw forbidden();
  const errors: FieldErrors = {};
  const update: Partial<TeamRow> = checkContacts(changes, errors);
  const { details } = changes;
  if (details) {
    const unit =
      details.unitId === team.unitId ? place.unit : await teamUnit(deps, actor, details.unitId, errors);
    const name = cleanText(details.name);
    const nameProblem = teamNameProblem(name);
    if (nameProblem) errors.name = nameProblem;
    else if (unit && (await nameTaken(deps, unit, name, team.id)))
      errors.name = `${unit.fullName} đã có tổ tên “${name}”.`;
    const leaderAccountId = details.leaderAccountId || null;
    if (leaderAccountId && !(await repo.member(deps.db.kysely, team.id, leaderAccountId)))
      errors.leaderAccountId = 'Tổ trưởng phải là một thành viên của tổ.';
    Object.assign(update, { name, leaderAccountId, ...(unit ? { unitId: unit.id } : {}) });
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const changed = (Object.keys(update) as (keyof TeamRow)[]).filter((key) => update[key] !== team[key]);
  if (changed.length === 0) return;
  await inTransaction(deps.db, async (tx) => {
    await repo.updateTeam(tx.kysely, team.id, { ...update, updatedAt: nowIso() });
    await deps.audit.record(tx, {
      tenantId: team.tenantId,
      actor,
      action: 'community.team_updated',
      subject: subjectOf({ ...team, ...update }),
      unitId: update.unitId ?? team.unitId,
      details: { changed: changed.join(', ') },
    });
  });
}

/** Sets a team active, paused or dissolved; a paused or dissolved team logs no new help. */
export async function setTeamStatus(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  status: string,
): Promise<void> {
  if (!communityPolicy(actor, 'team.manage', teamSubject(place, null))) throw forbidden();
  if (!isTeamStatus(status)) throw validationFailed({ status: 'Hãy chọn một trạng thái.' });
  const { team } = place;
  if (status === team.status) return;
  await inTransaction(deps.db, async (tx) => {
    await repo.updateTeam(tx.kysely, team.id, { status, updatedAt: nowIso() });
    await deps.audit.record(tx, {
      tenantId: team.tenantId,
      actor,
      action: 'community.team_status',
      subject: subjectOf(team),
      unitId: team.unitId,
      details: { from: TEAM_STATUSES[team.status as TeamStatus] ?? team.status, to: TEAM_STATUSES[status] },
    });
  });
}

/** Deletes a team made by mistake; a team that has logged help is dissolved instead, keeping its figures. */
export async function deleteTeam(deps: CommunityDeps, actor: Actor, place: TeamPlace): Promise<void> {
  if (!communityPolicy(actor, 'team.manage', teamSubject(place, null))) throw forbidden();
  const { team } = place;
  if (await repo.hasEntries(deps.db.kysely, team.id)) {
    throw conflict(
      {},
      'Tổ đã có ghi nhận hỗ trợ người dân nên không xóa được; hãy chuyển trạng thái sang “Đã giải thể” để giữ lại số liệu.',
    );
  }
  await inTransaction(deps.db, async (tx) => {
    await repo.deleteTeam(tx.kysely, team.id);
    await deps.audit.record(tx, {
      tenantId: team.tenantId,
      actor,
      action: 'community.team_deleted',
      subject: subjectOf(team),
      unitId: team.unitId,
      details: { unit: place.unit.fullName },
    });
  });
}
