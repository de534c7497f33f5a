/**
 * A community digital technology team (Tổ công nghệ số cộng đồng) of a village, residential block
 * or commune. `leaderAccountId` is one of its members; the contacts are what citizens and the
 * commune reach the team by (a phone, a Zalo group, a meeting place).
 */
export interface CommunityTeamTable {
  id: string;
  tenantId: string;
  unitId: string;
  name: string;
  leaderAccountId: string | null;
  contactPhone: string | null;
  contactNote: string | null;
  /** `active`, `paused` or `dissolved` (see teamStatuses.ts). */
  status: string;
  createdAt: string;
  updatedAt: string;
}

/** A person of the tenant in a team; a person may be in several teams. */
export interface CommunityTeamMemberTable {
  teamId: string;
  accountId: string;
  tenantId: string;
  joinedAt: string;
  addedBy: string | null;
}

/**
 * Help a qualified guide gave citizens on one day: the kind of service and how many people. A
 * citizen's phone is kept only with their consent, recorded by `consentAt`.
 */
export interface AssistanceLogTable {
  id: string;
  tenantId: string;
  teamId: string;
  guideAccountId: string;
  villageUnitId: string;
  /** The Vietnamese calendar day `YYYY-MM-DD` the help was given. */
  helpedOn: string;
  service: string;
  people: number;
  citizenPhone: string | null;
  consentAt: string | null;
  note: string | null;
  createdAt: string;
  updatedAt: string | null;
}

/**
 * Sums of the log kept with every insert, correction and deletion (same transaction), so a
 * commune's or a province's figures never scan the log. One row per team, guide (`''`: the whole
 * team), service and period (`''`: all time, else the month `YYYY-MM`).
 */
export interface AssistanceTotalTable {
  tenantId: string;
  teamId: string;
  guideAccountId: string;
  service: string;
  period: string;
  entries: number;
  people: number;
}

export interface CommunityTables {
  communityTeams: CommunityTeamTable;
  communityTeamMembers: CommunityTeamMemberTable;
  assistanceLogs: AssistanceLogTable;
  assistanceTotals: AssistanceTotalTable;
}
