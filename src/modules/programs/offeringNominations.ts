import { randomUUID } from 'node:crypto';
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { conflict, forbidden, notFound, validationFailed } from '../../errors.js';
import { vietnamDay } from '../../web/format.js';
import { offeringPolicy } from './offeringPolicy.js';
import { type NominationRow, offeringQueries as q } from './offeringQueries.js';
import { type OfferingDeps, offeringOf } from './offerings.js';

/** The form field naming the person; refusals are keyed by it. */
const PERSON = 'identifier';

/**
 * Nominates a person for a seat of the one quota whose unit's subtree holds their home unit.
 * Never overbooks: the quota row is locked (see `offeringQueries.lockQuota`) before the active
 * nominations are counted, so of any number of simultaneous nominations only as many as there
 * are free seats succeed; the others get a 409 saying the unit's seats are used up.
 * @example await nominate(ctx, manager, offering.id, person.id)
 */
export async function nominate(
  deps: OfferingDeps,
  actor: Actor,
  offeringId: string,
  accountId: string,
): Promise<NominationRow> {
  const tenantId = actor.tenantId;
  const offering = await offeringOf(deps, tenantId, offeringId);
  if (offering.closesOn !== null && todayInVietnam() > offering.closesOn) {
    const message = `Đợt này đã hết hạn đề cử (ngày ${vietnamDay(offering.closesOn)}).`;
    throw conflict({ [PERSON]: message }, message);
  }
  const person = await deps.identity.account(tenantId, accountId);
  if (!person || person.deletedAt !== null) {
    throw validationFailed({ [PERSON]: 'Không tìm thấy người này.' }, 'Không tìm thấy người này.');
  }
  const quotas = await q.quotasOf(deps.db.kysely, offering.id);
  const units = await deps.org.unitsByIds(tenantId, [
    ...quotas.map((r) => r.unitId),
    ...(person.homeUnitId ? [person.homeUnitId] : []),
  ]);
  const home = person.homeUnitId ? units.get(person.homeUnitId) : undefined;
  const quotaUnit =
    home && quotas.map((r) => units.get(r.unitId)).find((u) => u && home.path.startsWith(u.path));
  if (!quotaUnit) {
    const message = `${person.fullName} không thuộc đơn vị nào được phân suất trong đợt này.`;
    throw validationFailed({ [PERSON]: message }, message);
  }
  if (!offeringPolicy(actor, 'offering.nominate', { tenantId, unitPath: quotaUnit.path })) {
    throw forbidden(`Bạn không quản lý ${quotaUnit.fullName}, đơn vị được phân suất của ${person.fullName}.`);
  }

  return inTransaction(deps.db, async (tx) => {
    const seats = await q.lockQuota(tx.kysely, offering.id, quotaUnit.id);
    if (seats === undefined) {
      const message = `${quotaUnit.fullName} không còn được phân suất trong đợt này.`;
      throw conflict({ [PERSON]: message }, message);
    }
    if (await q.activeNominationOf(tx.kysely, offering.id, person.id)) {
      const message = `${person.fullName} đã được đề cử trong đợt này.`;
      throw conflict({ [PERSON]: message }, message);
    }
    if ((await q.countActive(tx.kysely, offering.id, quotaUnit.id)) >= seats) {
      const message = `Đơn vị đã dùng hết suất: ${quotaUnit.fullName} đã đề cử đủ ${seats} người. Hãy rút một đề cử để nhường suất.`;
      throw conflict({ [PERSON]: message }, message);
    }
    const nomination: NominationRow = {
      id: randomUUID(),
      tenantId,
      offeringId: offering.id,
      quotaUnitId: quotaUnit.id,
      accountId: person.id,
      nominatedBy: actor.accountId,
      nominatedAt: nowIso(),
      withdrawnAt: null,
      withdrawnBy: null,
    };
    await q.insertNomination(tx.kysely, nomination);
    await deps.audit.record(tx, {
      tenantId,
      actor,
      action: 'offering.nominated',
      subject: { type: 'account', id: person.id, label: person.fullName },
      unitId: quotaUnit.id,
      details: { offering: offering.name, quota: quotaUnit.fullName },
    });
    return nomination;
  });
}

/** A nomination of the offering that the actor may withdraw: 404 when there is none, 403 when not theirs. */
export async function withdrawable(
  deps: OfferingDeps,
  actor: Actor,
  offeringId: string,
  nominationId: string,
): Promise<NominationRow> {
  const offering = await offeringOf(deps, actor.tenantId, offeringId);
  const nomination = await q.nomination(deps.db.kysely, offering.id, nominationId);
  if (!nomination) throw notFound('Không tìm thấy đề cử này.');
  const unit = await deps.org.unit(actor.tenantId, nomination.quotaUnitId);
  if (
    !unit ||
    !offeringPolicy(actor, 'offering.nominate', { tenantId: unit.tenantId, unitPath: unit.path })
  ) {
    throw forbidden();
  }
  return nomination;
}

/**
 * Withdraws a nomination: its seat returns to the unit's quota at once. A nomination withdrawn
 * already is refused (409), so a double submit frees nothing twice.
 */
export async function withdraw(
  deps: OfferingDeps,
  actor: Actor,
  offeringId: string,
  nominationId: string,
): Promise<void> {
  const nomination = await withdrawable(deps, actor, offeringId, nominationId);
  const offering = await offeringOf(deps, actor.tenantId, offeringId);
  const person = await deps.identity.account(actor.tenantId, nomination.accountId);
  await inTransaction(deps.db, async (tx) => {
    if (!(await q.withdraw(tx.kysely, nomination.id, actor.accountId, nowIso()))) {
      throw conflict({}, 'Đề cử này đã được rút trước đó.');
    }
    await deps.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'offering.withdrawn',
      subject: { type: 'account', id: nomination.accountId, label: person?.fullName ?? '' },
      unitId: nomination.quotaUnitId,
      details: { offering: offering.name },
    });
  });
}
