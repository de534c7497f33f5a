/**
 * The help qualified guides log: checking an entry, logging it, correcting and deleting it, each
 * in one transaction with the running totals (totals.ts), and the team's log as pages show it.
 */
import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { conflict, type FieldErrors, forbidden, notFound, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { peopleNames } from '../identity/integrityQueries.js';
import { normalizePhone } from '../identity/phone.js';
import { isCalendarDay } from '../org/history.js';
import type { HeldQualification } from '../programs/qualificationHolders.js';
import { statusSentence } from '../programs/qualificationStatus.js';
import type { CommunityDeps } from './deps.js';
import { addDays } from './periods.js';
import { communityPolicy } from './policy.js';
import { type AssistanceRow, communityRepository as repo } from './repository.js';
import { isServiceType, serviceLabel } from './serviceTypes.js';
import { actorsPart, communePlaces, type TeamPlace, teamSubject } from './teamAccess.js';
import { teamStatusLabel } from './teamStatuses.js';
import { countEntry } from './totals.js';

/** More people than one guide helps at once; a typo guard (a big session is logged in parts). */
export const MAX_PEOPLE_PER_ENTRY = 500;
export const NOTE_LENGTH = 500;
/** How far back help may be logged: older days are almost always a mistyped year. */
const DAYS_BACK = 366;

/** An entry as the form posts it. */
export interface EntryInput {
  /** The id the form was rendered with, so a form sent twice (a second tap) is stored once. */
  id: string;
  helpedOn: string;
  villageUnitId: string;
  service: string;
  people: string;
  citizenPhone: string;
  consent: boolean;
  note: string;
}

type CheckedEntry = Pick<
  AssistanceRow,
  'helpedOn' | 'villageUnitId' | 'service' | 'people' | 'citizenPhone' | 'note'
>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The entry's fields cleaned, or every problem with them in Vietnamese. */
function checkEntry(input: EntryInput, places: ReadonlySet<string>, today: string): CheckedEntry {
  const errors: FieldErrors = {};
  const helpedOn = input.helpedOn.trim();
  if (!isCalendarDay(helpedOn)) errors.helpedOn = 'Hãy chọn ngày hỗ trợ.';
  else if (helpedOn > today) errors.helpedOn = 'Ngày hỗ trợ không thể sau hôm nay.';
  else if (helpedOn < addDays(today, -DAYS_BACK))
    errors.helpedOn = 'Chỉ ghi nhận được hỗ trợ trong vòng một năm trở lại; hãy kiểm tra lại năm.';
  if (!places.has(input.villageUnitId)) errors.villageUnitId = 'Hãy chọn thôn, tổ dân phố nơi hỗ trợ.';
  if (!isServiceType(input.service)) errors.service = 'Hãy chọn nội dung hỗ trợ.';
  const peopleText = input.people.trim();
  const people = /^\d{1,4}$/.test(peopleText) ? Number(peopleText) : 0;
  if (people < 1 || people > MAX_PEOPLE_PER_ENTRY)
    errors.people = `Số người được hỗ trợ cần là số từ 1 đến ${MAX_PEOPLE_PER_ENTRY}; nhiều hơn thì ghi thành nhiều lần.`;
  const phoneText = input.citizenPhone.trim();
  const citizenPhone = phoneText === '' ? null : normalizePhone(phoneText);
  if (phoneText !== '' && citizenPhone === null)
    errors.citizenPhone = 'Số điện thoại của người dân không phải số di động Việt Nam hợp lệ.';
  else if (citizenPhone && !input.consent)
    errors.consent =
      'Chỉ ghi số điện thoại khi người dân đồng ý: hãy đánh dấu ô đồng ý, hoặc để trống số điện thoại.';
  const note = cleanText(input.note) || null;
  if (note && note.length > NOTE_LENGTH) errors.note = `Ghi chú tối đa ${NOTE_LENGTH} ký tự.`;
  if (Object.keys(errors).length > 0)
    throw validationFailed(errors, 'Chưa ghi nhận được, vui lòng kiểm tra lại.');
  return { helpedOn, villageUnitId: input.villageUnitId, service: input.service, people, citizenPhone, note };
}

/** Why someone who is not a qualified guide today cannot log help, and what to do about it. */
export function notQualifiedMessage(qualification: HeldQualification | undefined, today: string): string {
  const why =
    'Bạn chưa là hướng dẫn viên đạt yêu cầu: cần có chứng nhận đạt yêu cầu “Bình dân học vụ số” ' +
    'còn hiệu lực mới ghi nhận được hỗ trợ người dân.';
  return qualification
    ? `${why} Chứng nhận của bạn: ${statusSentence(qualification, today)}; hãy học lại chương trình để được cấp lại.`
    : `${why} Hãy hoàn thành chương trình học bắt buộc ở mục “Việc học của tôi”.`;
}

const NOT_A_MEMBER = 'Chỉ thành viên của tổ mới ghi nhận hỗ trợ cho tổ.';

/**
 * Logs help given by the actor, a qualified guide of the team today, and adds it to the totals
 * in the same transaction. Refused, storing nothing, for anyone else and for a team not active.
 * @example await logAssistance(ctx, guide, place, { id, helpedOn: today, villageUnitId, service: 'vneid', people: '3', citizenPhone: '', consent: false, note: '' })
 */
export async function logAssistance(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  input: EntryInput,
): Promise<AssistanceRow> {
  const { team } = place;
  const today = todayInVietnam();
  const { membership, qualification, qualified } = await actorsPart(deps, place, actor);
  if (membership === null) throw forbidden(NOT_A_MEMBER);
  if (!communityPolicy(actor, 'assistance.log', teamSubject(place, membership, { qualified })))
    throw forbidden(notQualifiedMessage(qualification, today));
  if (team.status !== 'active') {
    throw conflict(
      {},
      `Tổ đang ở trạng thái “${teamStatusLabel(team.status)}” nên chưa ghi nhận được hỗ trợ mới.`,
    );
  }
  const places = await communePlaces(deps, place.unit);
  const checked = checkEntry(input, new Set(places.map((u) => u.id)), today);
  const now = nowIso();
  const entry: AssistanceRow = {
    id: UUID.test(input.id) ? input.id : randomUUID(),
    tenantId: team.tenantId,
    teamId: team.id,
    guideAccountId: actor.accountId,
    ...checked,
    consentAt: checked.citizenPhone ? now : null,
    createdAt: now,
    updatedAt: null,
  };
  await inTransaction(deps.db, async (tx) => {
    const inserted = await repo.insertEntry(tx.kysely, entry);
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0) return countEntry(tx.kysely, entry, 1);
    // The same form sent again: stored the first time.
    const first = await repo.entryById(tx.kysely, entry.id);
    if (first?.guideAccountId !== actor.accountId || first.teamId !== team.id)
      throw conflict({}, 'Biểu mẫu này đã được dùng; hãy tải lại trang rồi ghi nhận lại.');
  });
  return entry;
}

/** An entry of the team, or a 404. */
async function entryOf(deps: CommunityDeps, place: TeamPlace, entryId: string): Promise<AssistanceRow> {
  const entry = await repo.entry(deps.db.kysely, place.team.id, entryId);
  if (!entry) throw notFound('Không tìm thấy ghi nhận hỗ trợ này.');
  return entry;
}

/** An entry its guide may correct now: they logged it and are still a qualified member. */
export async function correctableEntry(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  entryId: string,
): Promise<AssistanceRow> {
  const entry = await entryOf(deps, place, entryId);
  const { membership, qualified } = await actorsPart(deps, place, actor);
  const subject = teamSubject(place, membership, { qualified, guideAccountId: entry.guideAccountId });
  if (!communityPolicy(actor, 'assistance.correct', subject)) {
    throw forbidden(
      'Chỉ người đã ghi nhận, khi còn là hướng dẫn viên đạt yêu cầu của tổ, mới sửa được ghi nhận này.',
    );
  }
  return entry;
}

/** Corrects an entry, moving it in the totals from what it said to what it says now. */
export async function correctEntry(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  entryId: string,
  input: EntryInput,
): Promise<AssistanceRow> {
  const entry = await correctableEntry(deps, actor, place, entryId);
  const places = await communePlaces(deps, place.unit);
  const checked = checkEntry(
    input,
    new Set([...places.map((u) => u.id), entry.villageUnitId]),
    todayInVietnam(),
  );
  const now = nowIso();
  const keptConsent = checked.citizenPhone !== null && checked.citizenPhone === entry.citizenPhone;
  const corrected: AssistanceRow = {
    ...entry,
    ...checked,
    consentAt: checked.citizenPhone ? (keptConsent ? entry.consentAt : now) : null,
    updatedAt: now,
  };
  await inTransaction(deps.db, async (tx) => {
    await countEntry(tx.kysely, entry, -1);
    await repo.updateEntry(tx.kysely, entry.id, {
      ...checked,
      consentAt: corrected.consentAt,
      updatedAt: now,
    });
    await countEntry(tx.kysely, corrected, 1);
  });
  return corrected;
}

/** An entry the actor may delete: their own, or any of a team they lead or manage. */
export async function deletableEntry(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  entryId: string,
): Promise<AssistanceRow> {
  const entry = await entryOf(deps, place, entryId);
  const { membership } = await actorsPart(deps, place, actor);
  const subject = teamSubject(place, membership, { guideAccountId: entry.guideAccountId });
  if (!communityPolicy(actor, 'assistance.delete', subject)) throw forbidden();
  return entry;
}

/** Deletes an entry and takes it out of the totals; recorded in the audit log when not the guide's own. */
export async function deleteEntry(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  entryId: string,
): Promise<void> {
  const entry = await deletableEntry(deps, actor, place, entryId);
  const byOther = entry.guideAccountId !== actor.accountId;
  const guide = byOther
    ? (await peopleNames(deps.db, entry.tenantId, [entry.guideAccountId])).get(entry.guideAccountId)
    : '';
  await inTransaction(deps.db, async (tx) => {
    await repo.deleteEntry(tx.kysely, entry.id);
    await countEntry(tx.kysely, entry, -1);
    if (!byOther) return;
    await deps.audit.record(tx, {
      tenantId: entry.tenantId,
      actor,
      action: 'community.assistance_deleted',
      subject: { type: 'communityTeam', id: place.team.id, label: place.team.name },
      unitId: place.team.unitId,
      details: {
        guide: guide ?? '',
        helpedOn: entry.helpedOn,
        service: serviceLabel(entry.service),
        people: entry.people,
      },
    });
  });
}

export interface EntryView {
  entry: AssistanceRow;
  guideName: string;
  placeName: string;
  mayCorrect: boolean;
  mayDelete: boolean;
}

/**
 * A page of the team's log as the viewer sees it, latest first; `more` when another page follows.
 * A citizen's phone is shown only to whoever may delete the entry (its guide, the leader, managers).
 */
export async function entryViews(
  deps: CommunityDeps,
  actor: Actor,
  place: TeamPlace,
  page: number,
  perPage: number,
): Promise<{ entries: EntryView[]; more: boolean }> {
  const { team } = place;
  const rows = await repo.entriesOf(deps.db.kysely, team.id, perPage + 1, (page - 1) * perPage);
  const shown = rows.slice(0, perPage);
  const [names, places, part] = await Promise.all([
    peopleNames(
      deps.db,
      team.tenantId,
      shown.map((r) => r.guideAccountId),
    ),
    deps.org.unitsByIds(
      team.tenantId,
      shown.map((r) => r.villageUnitId),
    ),
    actorsPart(deps, place, actor),
  ]);
  const entries = shown.map((entry) => {
    const own = { guideAccountId: entry.guideAccountId };
    const mayDelete = communityPolicy(actor, 'assistance.delete', teamSubject(place, part.membership, own));
    return {
      entry: mayDelete ? entry : { ...entry, citizenPhone: null },
      guideName: names.get(entry.guideAccountId) ?? '',
      placeName: places.get(entry.villageUnitId)?.fullName ?? '',
      mayCorrect: communityPolicy(
        actor,
        'assistance.correct',
        teamSubject(place, part.membership, { ...own, qualified: part.qualified }),
      ),
      mayDelete,
    };
  });
  return { entries, more: rows.length > perPage };
}

/** One entry with its guide's and place's names, for its deletion's confirmation. */
export async function entryView(deps: CommunityDeps, entry: AssistanceRow): Promise<EntryView> {
  const [names, place] = await Promise.all([
    peopleNames(deps.db, entry.tenantId, [entry.guideAccountId]),
    deps.org.unit(entry.tenantId, entry.villageUnitId),
  ]);
  return {
    entry,
    guideName: names.get(entry.guideAccountId) ?? '',
    placeName: place?.fullName ?? '',
    mayCorrect: false,
    mayDelete: true,
  };
}
