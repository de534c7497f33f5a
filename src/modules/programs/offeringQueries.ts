import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { NominationTable, OfferingQuotaTable, OfferingTable } from './offeringTables.js';

export type OfferingRow = Selectable<OfferingTable>;
export type QuotaRow = Selectable<OfferingQuotaTable>;
export type NominationRow = Selectable<NominationTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** Every query of seat-limited offerings. */
export const offeringQueries = {
  insertOffering: (q: Q, offering: OfferingRow) => q.insertInto('offerings').values(offering).execute(),

  offering: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('offerings')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  offeringsOf: (q: Q, tenantId: string) =>
    q
      .selectFrom('offerings')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .execute(),

  quotasOf: (q: Q, offeringId: string) =>
    q.selectFrom('offeringQuotas').selectAll().where('offeringId', '=', offeringId).execute(),

  /** Active nominations per quota unit of an offering (units with none are absent). */
  usedSeats: async (q: Q, offeringId: string): Promise<Map<string, number>> => {
    const rows = await q
      .selectFrom('nominations')
      .select('quotaUnitId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('offeringId', '=', offeringId)
      .where('withdrawnAt', 'is', null)
      .groupBy('quotaUnitId')
      .execute();
    return new Map(rows.map((r) => [r.quotaUnitId, Number(r.n)]));
  },

  /** Seats in use across all offerings of a tenant, for the list of offerings. */
  usedSeatsByOffering: async (q: Q, tenantId: string): Promise<Map<string, number>> => {
    const rows = await q
      .selectFrom('nominations')
      .select('offeringId')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', tenantId)
      .where('withdrawnAt', 'is', null)
      .groupBy('offeringId')
      .execute();
    return new Map(rows.map((r) => [r.offeringId, Number(r.n)]));
  },

  /**
   * Takes the write lock on a quota row by rewriting it unchanged: on PostgreSQL a row lock
   * that concurrent nominations into the same quota wait for; on SQLite the database write
   * lock. Whoever holds it may count and insert without anyone overtaking. Returns the seats,
   * or undefined when the unit has no quota.
   */
  lockQuota: async (q: Q, offeringId: string, unitId: string): Promise<number | undefined> => {
    const result = await q
      .updateTable('offeringQuotas')
      .set((eb) => ({ seats: eb.ref('seats') }))
      .where('offeringId', '=', offeringId)
      .where('unitId', '=', unitId)
      .returning('seats')
      .executeTakeFirst();
    return result?.seats;
  },

  /** Locks every quota row of an offering (see lockQuota), before its quotas are changed. */
  lockQuotas: (q: Q, offeringId: string) =>
    q
      .updateTable('offeringQuotas')
      .set((eb) => ({ seats: eb.ref('seats') }))
      .where('offeringId', '=', offeringId)
      .execute(),

  /** Serialises changes to an offering's quotas, even when it has none yet to lock. */
  lockOffering: (q: Q, offeringId: string) =>
    q
      .updateTable('offerings')
      .set((eb) => ({ seatsTotal: eb.ref('seatsTotal') }))
      .where('id', '=', offeringId)
      .execute(),

  countActive: async (q: Q, offeringId: string, unitId: string): Promise<number> => {
    const row = await q
      .selectFrom('nominations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('offeringId', '=', offeringId)
      .where('quotaUnitId', '=', unitId)
      .where('withdrawnAt', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  activeNominationOf: (q: Q, offeringId: string, accountId: string) =>
    q
      .selectFrom('nominations')
      .selectAll()
      .where('offeringId', '=', offeringId)
      .where('accountId', '=', accountId)
      .where('withdrawnAt', 'is', null)
      .executeTakeFirst(),

  nomination: (q: Q, offeringId: string, id: string) =>
    q
      .selectFrom('nominations')
      .selectAll()
      .where('offeringId', '=', offeringId)
      .where('id', '=', id)
      .executeTakeFirst(),

  /** Active nominations of an offering, oldest first. */
  activeNominations: (q: Q, offeringId: string) =>
    q
      .selectFrom('nominations')
      .selectAll()
      .where('offeringId', '=', offeringId)
      .where('withdrawnAt', 'is', null)
      .orderBy('nominatedAt')
      .orderBy('id')
      .execute(),

  insertNomination: (q: Q, nomination: NominationRow) =>
    q.insertInto('nominations').values(nomination).execute(),

  /** Withdraws an active nomination; false when it was withdrawn already. */
  withdraw: async (q: Q, id: string, by: string, at: string): Promise<boolean> => {
    const result = await q
      .updateTable('nominations')
      .set({ withdrawnAt: at, withdrawnBy: by })
      .where('id', '=', id)
      .where('withdrawnAt', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  },

  upsertQuota: async (q: Q, quota: QuotaRow) => {
    const updated = await q
      .updateTable('offeringQuotas')
      .set({ seats: quota.seats })
      .where('offeringId', '=', quota.offeringId)
      .where('unitId', '=', quota.unitId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) === 0) await q.insertInto('offeringQuotas').values(quota).execute();
  },

  deleteQuota: (q: Q, offeringId: string, unitId: string) =>
    q
      .deleteFrom('offeringQuotas')
      .where('offeringId', '=', offeringId)
      .where('unitId', '=', unitId)
      .execute(),
};
