/**
 * A team's members: who they are and whether each is a qualified guide today; adding one by
 * phone number and removing one, each with its audit event.
 */
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { conflict, forbidden, notFound, validationFailed } from '../../errors.js';
import { compareVietnamese } from '../../text/vietnamese.js';
import { peopleNames } from '../identity/integrityQueries.js';
import { normalizePhone } from '../identity/phone.js';
import type { AccountRow } from '../identity/repository.js';
import type { HeldQualification } from '../programs/qualificationHolders.js';
import { statusSentence } from '../programs/qualificationStatus.js';
import type { CommunityDeps } from './deps.js';
import { communityPolicy } from './policy.js';
import { communityRepository as repo } from './repository.js';
import { isValidNow, membershipOf, type TeamPlace, teamSubject } from './teamAccess.js';
import { notRegistered } from './teams.js';

export interface MemberView {
  accountId: string;
  fullName: string;
  isLeader: boolean;
  joinedAt: string;
  /** A qualified guide today ("đạt yêu cầu", still valid). */
  qualified: boolean;
  /** Their training as a sentence: "Đạt yêu cầu, hiệu lực đến hết ngày …", "Cần cấp lại …", "Chưa có chứng nhận". */
  training: string;
}

const NO_QUALIFICATION = 'Chưa có chứng nhận đạt yêu cầu';

/** The training status sentence of a person's most telling qualification. */
export const trainingOf = (row: HeldQualification | undefined, today: string): string =>
  row ? statusSentence(row, today) : NO_QUALIFICATION;

/** A team's members, the leader first, then by name; a fixed number of queries whatever their count. */
export async function memberViews(deps: CommunityDeps, place: TeamPlace): Promise<MemberView[]> {
  const { team } = place;
  const rows = await repo.membersOf(deps.db.kysely, [team.id]);
  const ids = rows.map((r) => r.accountId);
  const today = todayInVietnam();
  const [names, held] = await Promise.all([
    peopleNames(deps.db, team.tenantId, ids),
    deps.programs.qualificationsOfPeople(team.tenantId, ids, today),
  ]);
  return rows
    .map((row) => ({
      accountId: row.accountId,
      fullName: names.get(row.accountId) ?? '',
      isLeader: row.accountId === team.leaderAccountId,
      joinedAt: row.joinedAt,
      qualified: isValidNow(held.get(row.accountId), today),
      training: trainingOf(held.get(row.accountId), today),
    }))
    .sort((a, b) => Number(b.isLeader) - Number(a.isLeader) || compareVietnamese(a.fullName, b.fullName));
}

async function mayChangeMembers(deps: CommunityDeps, actor: Actor, place: TeamPlace): Promise<void> {
  const membership = await membershipOf(deps, place.team, actor.accountId);
  if (!communityPolicy(actor, 'team.members', teamSubject(place, membership))) throw forbidden();
}

const subjectOf = (place: TeamPlace) => ({
  type: 'communityTeam',
  id: place.team.id,
  label: place.team.name,
});

/**
 * Adds the person with this phone number to the team; they must have an account in the tenant.
 * @example const person = await addMember(ctx, leader, place, '0912 345 678');
 */
export async function addMember(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  phoneText: string,
): Promise<AccountRow> {
  await mayChangeMembers(deps, actor, place);
  const { team } = place;
  const text = phoneText.trim();
  const phone = normalizePhone(text);
  if (!phone) {
    throw validationFailed({
      phone:
        text === ''
          ? 'Hãy nhập số điện thoại của người cần thêm.'
          : 'Số điện thoại không phải số di động Việt Nam hợp lệ.',
    });
  }
  const person = await deps.identity.accountByIdentifier(team.tenantId, phone);
  if (!person) throw validationFailed({ phone: notRegistered(phone) });
  if (await repo.member(deps.db.kysely, team.id, person.id))
    throw validationFailed({ phone: `${person.fullName} đã là thành viên của tổ.` });
  await inTransaction(deps.db, async (tx) => {
    await repo.insertMembers(tx.kysely, [
      {
        teamId: team.id,
        accountId: person.id,
        tenantId: team.tenantId,
        joinedAt: nowIso(),
        addedBy: actor.accountId,
      },
    ]);
    await deps.audit.record(tx, {
      tenantId: team.tenantId,
      actor,
      action: 'community.member_added',
      subject: subjectOf(place),
      unitId: team.unitId,
      details: { member: person.fullName },
    });
  });
  return person;
}

/** A member as the removal confirmation shows them, once the actor may remove members. */
export async function memberToRemove(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  accountId: string,
): Promise<MemberView> {
  await mayChangeMembers(deps, actor, place);
  const member = (await memberViews(deps, place)).find((m) => m.accountId === accountId);
  if (!member) throw notFound('Người này không phải thành viên của tổ.');
  return member;
}

/** Removes a member; the leader stays until another leader (or none) is chosen. */
export async function removeMember(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  accountId: string,
): Promise<void> {
  const member = await memberToRemove(deps, actor, place, accountId);
  if (member.isLeader) {
    throw conflict(
      {},
      'Đây là tổ trưởng. Hãy chọn tổ trưởng khác (ở trang sửa thông tin tổ) trước khi bỏ người này khỏi tổ.',
    );
  }
  const { team } = place;
  await inTransaction(deps.db, async (tx) => {
    await repo.deleteMember(tx.kysely, team.id, accountId);
    await deps.audit.record(tx, {
      tenantId: team.tenantId,
      actor,
      action: 'community.member_removed',
      subject: subjectOf(place),
      unitId: team.unitId,
      details: { member: member.fullName },
    });
  });
}
