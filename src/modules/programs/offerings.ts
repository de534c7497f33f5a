import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { nowIso } from '../../db/time.js';
import { type FieldErrors, forbidden, notFound, validationFailed } from '../../errors.js';
import { cleanText, compareVietnamese } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import type { Unit } from '../org/service.js';
import { offeringPolicy, seesAllNominees } from './offeringPolicy.js';
import { type NominationRow, type OfferingRow, offeringQueries as q } from './offeringQueries.js';

/** The services seat-limited offerings work with. */
export type OfferingDeps = Pick<AppContext, 'db' | 'org' | 'identity' | 'catalog' | 'audit'>;

/** More seats than any real offering; a typo guard. */
export const MAX_SEATS = 1_000_000;

export interface NewOffering {
  courseId: string;
  name: string;
  seatsTotal: number;
  /** The last day nominations are taken (`YYYY-MM-DD`), or null for no deadline. */
  closesOn: string | null;
}

/** A seat count problem in words, or undefined when the count is fine. */
export function seatsProblem(seats: number, minimum: number): string | undefined {
  if (!Number.isInteger(seats)) return 'Số suất phải là một số nguyên.';
  if (seats < minimum) return minimum === 0 ? 'Số suất không được âm.' : 'Số suất phải lớn hơn 0.';
  if (seats > MAX_SEATS) return `Số suất không được quá ${MAX_SEATS.toLocaleString('vi-VN')}.`;
  return undefined;
}

const isDay = (text: string) => /^\d{4}-\d{2}-\d{2}$/.test(text) && !Number.isNaN(Date.parse(text));

/**
 * Creates an offering of a published course with a number of seats, none of them shared out yet.
 * @example await createOffering(ctx, admin, { courseId, name: 'Luyện AI', seatsTotal: 500, closesOn: null })
 */
export async function createOffering(
  deps: OfferingDeps,
  actor: Actor,
  input: NewOffering,
): Promise<OfferingRow> {
  if (!offeringPolicy(actor, 'offering.manage', { tenantId: actor.tenantId, unitPath: null }))
    throw forbidden();
  const errors: FieldErrors = {};
  const name = cleanText(input.name);
  if (!name) errors.name = 'Hãy nhập tên đợt, ví dụ “Học bổng Luyện AI cho cán bộ Đoàn”.';
  const [course] = input.courseId ? await deps.catalog.coursesByIds(actor.tenantId, [input.courseId]) : [];
  if (!course) errors.courseId = 'Hãy chọn một khóa học.';
  const seats = seatsProblem(input.seatsTotal, 1);
  if (seats) errors.seatsTotal = seats;
  if (input.closesOn !== null && !isDay(input.closesOn))
    errors.closesOn = 'Hạn đề cử không phải một ngày hợp lệ.';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  const offering: OfferingRow = {
    id: randomUUID(),
    tenantId: actor.tenantId,
    courseId: input.courseId,
    name,
    seatsTotal: input.seatsTotal,
    closesOn: input.closesOn,
    createdBy: actor.accountId,
    createdAt: nowIso(),
  };
  await q.insertOffering(deps.db.kysely, offering);
  return offering;
}

/** An offering of the tenant, or a 404. */
export async function offeringOf(deps: OfferingDeps, tenantId: string, id: string): Promise<OfferingRow> {
  const offering = await q.offering(deps.db.kysely, tenantId, id);
  if (!offering) throw notFound('Không tìm thấy đợt phân suất học này.');
  return offering;
}

export interface OfferingSummary {
  offering: OfferingRow;
  courseTitle: string;
  used: number;
}

/** Every offering of a tenant, newest first, with its course and how many seats are taken. */
export async function offeringsOf(deps: OfferingDeps, tenantId: string): Promise<OfferingSummary[]> {
  const offerings = await q.offeringsOf(deps.db.kysely, tenantId);
  const used = await q.usedSeatsByOffering(deps.db.kysely, tenantId);
  const courses = await courseTitles(deps, tenantId, offerings);
  return offerings.map((offering) => ({
    offering,
    courseTitle: courses.get(offering.courseId) ?? '',
    used: used.get(offering.id) ?? 0,
  }));
}

async function courseTitles(deps: OfferingDeps, tenantId: string, offerings: OfferingRow[]) {
  const courses = await deps.catalog.coursesByIds(tenantId, [...new Set(offerings.map((o) => o.courseId))]);
  return new Map(courses.map((c) => [c.id, c.title]));
}

/** True when the actor may nominate into at least one quota of the offering (or manages it). */
export async function mayNominateIn(
  deps: OfferingDeps,
  actor: Actor,
  offering: OfferingRow,
): Promise<boolean> {
  const tenantId = offering.tenantId;
  if (offeringPolicy(actor, 'offering.manage', { tenantId, unitPath: null })) return true;
  const quotas = await q.quotasOf(deps.db.kysely, offering.id);
  const units = await deps.org.unitsByIds(
    tenantId,
    quotas.map((r) => r.unitId),
  );
  return [...units.values()].some((u) =>
    offeringPolicy(actor, 'offering.nominate', { tenantId, unitPath: u.path }),
  );
}

export interface QuotaView {
  unit: Unit;
  seats: number;
  used: number;
  free: number;
  /** The viewer may nominate into this quota and withdraw from it. */
  mayNominate: boolean;
}

export interface NomineeView {
  nomination: NominationRow;
  fullName: string;
  homeUnit: string;
  quotaUnit: string;
  nominatedBy: string;
  mayWithdraw: boolean;
}

export interface OfferingView {
  offering: OfferingRow;
  courseTitle: string;
  quotas: QuotaView[];
  /** Seats of the offering not yet shared out to any unit. */
  unallocated: number;
  used: number;
  /** Active nominations the viewer may see: all for overseers, their own units' for managers. */
  nominees: NomineeView[];
}

/** An offering as the viewer sees it: every unit's quota, used and free seats, and their nominees. */
export async function offeringView(
  deps: OfferingDeps,
  actor: Actor,
  offering: OfferingRow,
): Promise<OfferingView> {
  const tenantId = offering.tenantId;
  const quotaRows = await q.quotasOf(deps.db.kysely, offering.id);
  const used = await q.usedSeats(deps.db.kysely, offering.id);
  const units = await deps.org.unitsByIds(
    tenantId,
    quotaRows.map((r) => r.unitId),
  );
  const quotas = quotaRows
    .flatMap((row): QuotaView[] => {
      const unit = units.get(row.unitId);
      if (!unit) return [];
      const taken = used.get(row.unitId) ?? 0;
      return [
        {
          unit,
          seats: row.seats,
          used: taken,
          free: Math.max(row.seats - taken, 0),
          mayNominate: offeringPolicy(actor, 'offering.nominate', { tenantId, unitPath: unit.path }),
        },
      ];
    })
    .sort((a, b) => compareVietnamese(a.unit.fullName, b.unit.fullName));
  const allocated = quotaRows.reduce((sum, r) => sum + r.seats, 0);
  const visible = new Set(quotas.filter((v) => v.mayNominate).map((v) => v.unit.id));
  const all = seesAllNominees(actor, tenantId);
  const nominations = (await q.activeNominations(deps.db.kysely, offering.id)).filter(
    (n) => all || visible.has(n.quotaUnitId),
  );
  return {
    offering,
    courseTitle: (await courseTitles(deps, tenantId, [offering])).get(offering.courseId) ?? '',
    quotas,
    unallocated: offering.seatsTotal - allocated,
    used: [...used.values()].reduce((sum, n) => sum + n, 0),
    nominees: await nomineeViews(deps, tenantId, nominations, units, visible),
  };
}

/**
 * Names and home units of the nominees. Accounts belong to identity, which looks them up one by
 * one; a page shows the nominees of the units one manages, so there are few.
 */
async function nomineeViews(
  deps: OfferingDeps,
  tenantId: string,
  nominations: NominationRow[],
  quotaUnits: Map<string, Unit>,
  manageable: Set<string>,
): Promise<NomineeView[]> {
  const ids = [...new Set(nominations.flatMap((n) => [n.accountId, n.nominatedBy]))];
  const nomineeIds = new Set(nominations.map((n) => n.accountId));
  const accounts = new Map<string, string>();
  const nominees = [];
  for (const id of ids) {
    const account = await deps.identity.account(tenantId, id);
    if (!account) continue;
    accounts.set(id, account.fullName);
    if (nomineeIds.has(id)) nominees.push(account);
  }
  const homes = new Map(
    (await deps.identity.views(tenantId, nominees)).map((v) => [v.id, v.homeUnit?.fullName ?? '']),
  );
  return nominations.map((nomination) => ({
    nomination,
    fullName: accounts.get(nomination.accountId) ?? 'Tài khoản đã xóa',
    homeUnit: homes.get(nomination.accountId) ?? '',
    quotaUnit: quotaUnits.get(nomination.quotaUnitId)?.fullName ?? '',
    nominatedBy: accounts.get(nomination.nominatedBy) ?? '',
    mayWithdraw: manageable.has(nomination.quotaUnitId),
  }));
}

/** One nomination as the withdrawal confirmation shows it, once `withdrawable` allowed it. */
export async function nomineeView(
  deps: OfferingDeps,
  tenantId: string,
  nomination: NominationRow,
): Promise<NomineeView> {
  const units = await deps.org.unitsByIds(tenantId, [nomination.quotaUnitId]);
  const [view] = await nomineeViews(deps, tenantId, [nomination], units, new Set([nomination.quotaUnitId]));
  return view as NomineeView;
}
