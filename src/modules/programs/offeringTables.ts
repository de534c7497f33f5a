/**
 * A course offered with a fixed number of seats (e.g. 500 "Luyện AI" scholarship seats), shared
 * out to units as quotas. `closesOn`: the last day nominations are taken, if any.
 */
export interface OfferingTable {
  id: string;
  tenantId: string;
  courseId: string;
  name: string;
  seatsTotal: number;
  closesOn: string | null;
  createdBy: string | null;
  createdAt: string;
}

/**
 * A unit's share of an offering's seats. It covers people whose home unit is in the unit's
 * subtree; quota units never overlap, so each person falls under at most one quota.
 */
export interface OfferingQuotaTable {
  tenantId: string;
  offeringId: string;
  unitId: string;
  seats: number;
}

/**
 * A person nominated for a seat of `quotaUnitId`'s quota. Withdrawn nominations stay as history
 * and no longer hold a seat; a person has at most one active nomination per offering.
 */
export interface NominationTable {
  id: string;
  tenantId: string;
  offeringId: string;
  quotaUnitId: string;
  accountId: string;
  nominatedBy: string;
  nominatedAt: string;
  withdrawnAt: string | null;
  withdrawnBy: string | null;
}

export interface OfferingTables {
  offerings: OfferingTable;
  offeringQuotas: OfferingQuotaTable;
  nominations: NominationTable;
}
