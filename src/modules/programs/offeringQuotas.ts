import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { type FieldErrors, forbidden, validationFailed } from '../../errors.js';
import type { Unit } from '../org/service.js';
import { offeringPolicy } from './offeringPolicy.js';
import { offeringQueries as q } from './offeringQueries.js';
import { type OfferingDeps, offeringOf, seatsProblem } from './offerings.js';

/** A unit's new number of seats; 0 takes its quota away. */
export interface QuotaChange {
  unitId: string;
  seats: number;
}

/** The form field of a unit's seats: errors are keyed by it, so a page can show them in place. */
export const seatsField = (unitId: string) => `seats_${unitId}`;

/**
 * Sets the quotas of some units (others keep theirs). Refused, with a message per unit, when a
 * unit is not of the tenant, lies inside or above another quota's unit (a person must fall under
 * one quota only), would get fewer seats than it has nominated, or when the quotas together
 * would exceed the offering's seats. The quota rows are locked first, so a nomination running
 * at the same time cannot slip under a lowered quota.
 * @example await setQuotas(ctx, admin, offeringId, [{ unitId: district.id, seats: 120 }])
 */
export async function setQuotas(
  deps: OfferingDeps,
  actor: Actor,
  offeringId: string,
  changes: QuotaChange[],
): Promise<void> {
  const tenantId = actor.tenantId;
  if (!offeringPolicy(actor, 'offering.manage', { tenantId, unitPath: null })) throw forbidden();
  const offering = await offeringOf(deps, tenantId, offeringId);
  if (changes.length === 0) throw validationFailed({}, 'Chưa có chỉ tiêu nào để lưu.');
  const errors: FieldErrors = {};
  for (const change of changes) {
    const problem = seatsProblem(change.seats, 0);
    if (problem) errors[seatsField(change.unitId)] = problem;
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);

  // Units are looked up before the transaction: on SQLite it holds the only connection.
  const current = await q.quotasOf(deps.db.kysely, offering.id);
  const units = await deps.org.unitsByIds(tenantId, [
    ...current.map((r) => r.unitId),
    ...changes.map((c) => c.unitId),
  ]);
  for (const change of changes) {
    if (!units.has(change.unitId)) errors[seatsField(change.unitId)] = 'Không tìm thấy đơn vị này.';
  }
  if (Object.keys(errors).length > 0) throw validationFailed(errors);

  await inTransaction(deps.db, async (tx) => {
    await q.lockOffering(tx.kysely, offering.id);
    await q.lockQuotas(tx.kysely, offering.id);
    const seats = new Map((await q.quotasOf(tx.kysely, offering.id)).map((r) => [r.unitId, r.seats]));
    const used = await q.usedSeats(tx.kysely, offering.id);
    for (const change of changes) seats.set(change.unitId, change.seats);
    const kept = [...seats].flatMap(([unitId, n]) => (n > 0 ? (units.get(unitId) ?? []) : []));
    checkQuotas(changes, units, kept, used, errors);
    const total = [...seats.values()].reduce((sum, n) => sum + n, 0);
    if (Object.keys(errors).length > 0) throw validationFailed(errors);
    if (total > offering.seatsTotal) {
      throw validationFailed(
        {},
        `Tổng chỉ tiêu các đơn vị (${total}) vượt quá số suất của đợt (${offering.seatsTotal}).`,
      );
    }
    for (const change of changes) {
      if (change.seats === 0) await q.deleteQuota(tx.kysely, offering.id, change.unitId);
      else await q.upsertQuota(tx.kysely, { tenantId, offeringId: offering.id, ...change });
    }
  });
}

/** Adds a message for each changed unit that overlaps another quota or drops below its nominees. */
function checkQuotas(
  changes: QuotaChange[],
  units: Map<string, Unit>,
  kept: Unit[],
  used: Map<string, number>,
  errors: FieldErrors,
): void {
  for (const change of changes) {
    const unit = units.get(change.unitId) as Unit;
    const taken = used.get(unit.id) ?? 0;
    if (change.seats < taken) {
      errors[seatsField(unit.id)] =
        `${unit.fullName} đã đề cử ${taken} người; chỉ tiêu không thể ít hơn ${taken}. Hãy rút bớt đề cử trước.`;
      continue;
    }
    if (change.seats === 0) continue;
    const other = kept.find(
      (k) => k.id !== unit.id && (k.path.startsWith(unit.path) || unit.path.startsWith(k.path)),
    );
    if (other) {
      errors[seatsField(unit.id)] =
        `${unit.fullName} và ${other.fullName} trực thuộc nhau: mỗi người chỉ được thuộc một chỉ tiêu, hãy chọn một trong hai.`;
    }
  }
}
