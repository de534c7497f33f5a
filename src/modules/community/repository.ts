import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { AssistanceLogTable, CommunityTeamMemberTable, CommunityTeamTable } from './tables.js';

export type TeamRow = Selectable<CommunityTeamTable>;
export type MemberRow = Selectable<CommunityTeamMemberTable>;
export type AssistanceRow = Selectable<AssistanceLogTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** Ids bound in one statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const IDS_PER_QUERY = 5_000;

/** `read` over `ids` in slices of IDS_PER_QUERY, results joined; no query for no ids. */
export async function inSlices<T>(ids: readonly string[], read: (slice: string[]) => Promise<T[]>) {
  const rows: T[] = [];
  for (let at = 0; at < ids.length; at += IDS_PER_QUERY) {
    rows.push(...(await read(ids.slice(at, at + IDS_PER_QUERY))));
  }
  return rows;
}

/** Every query of the community module's own tables. */
export const communityRepository = {
  insertTeams: (q: Q, teams: TeamRow[]) =>
    teams.length === 0 ? Promise.resolve() : q.insertInto('communityTeams').values(teams).execute(),

  team: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('communityTeams')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  updateTeam: (q: Q, id: string, changes: Partial<Omit<TeamRow, 'id' | 'tenantId'>>) =>
    q.updateTable('communityTeams').set(changes).where('id', '=', id).execute(),

  deleteTeam: async (q: Q, id: string) => {
    await q.deleteFrom('communityTeamMembers').where('teamId', '=', id).execute();
    await q.deleteFrom('assistanceTotals').where('teamId', '=', id).execute();
    await q.deleteFrom('communityTeams').where('id', '=', id).execute();
  },

  /** The teams of these units, by unit then name. */
  teamsInUnits: (q: Q, tenantId: string, unitIds: readonly string[]) =>
    inSlices(unitIds, (slice) =>
      q
        .selectFrom('communityTeams')
        .selectAll()
        .where('tenantId', '=', tenantId)
        .where('unitId', 'in', slice)
        .orderBy('unitId')
        .orderBy('name')
        .execute(),
    ),

  /** Every team of a tenant (a province has a few thousand at most). */
  teamsOfTenant: (q: Q, tenantId: string) =>
    q.selectFrom('communityTeams').selectAll().where('tenantId', '=', tenantId).execute(),

  /** The names of the teams already in these units, to refuse a second team of the same name. */
  teamNamesInUnits: (q: Q, tenantId: string, unitIds: readonly string[]) =>
    inSlices(unitIds, (slice) =>
      q
        .selectFrom('communityTeams')
        .select(['unitId', 'name'])
        .where('tenantId', '=', tenantId)
        .where('unitId', 'in', slice)
        .execute(),
    ),

  insertMembers: (q: Q, members: MemberRow[]) =>
    members.length === 0
      ? Promise.resolve()
      : q
          .insertInto('communityTeamMembers')
          .values(members)
          .onConflict((oc) => oc.columns(['teamId', 'accountId']).doNothing())
          .execute(),

  deleteMember: (q: Q, teamId: string, accountId: string) =>
    q
      .deleteFrom('communityTeamMembers')
      .where('teamId', '=', teamId)
      .where('accountId', '=', accountId)
      .executeTakeFirst(),

  member: (q: Q, teamId: string, accountId: string) =>
    q
      .selectFrom('communityTeamMembers')
      .selectAll()
      .where('teamId', '=', teamId)
      .where('accountId', '=', accountId)
      .executeTakeFirst(),

  /** The members of these teams, earliest joined first. */
  membersOf: (q: Q, teamIds: readonly string[]) =>
    inSlices(teamIds, (slice) =>
      q
        .selectFrom('communityTeamMembers')
        .selectAll()
        .where('teamId', 'in', slice)
        .orderBy('joinedAt')
        .orderBy('accountId')
        .execute(),
    ),

  /** Who is in these teams, for counting (no order). */
  memberIdsOf: (q: Q, teamIds: readonly string[]) =>
    inSlices(teamIds, (slice) =>
      q
        .selectFrom('communityTeamMembers')
        .select(['teamId', 'accountId'])
        .where('teamId', 'in', slice)
        .execute(),
    ),

  /** The teams a person is in, with their membership. */
  teamsOfMember: (q: Q, tenantId: string, accountId: string) =>
    q
      .selectFrom('communityTeamMembers')
      .innerJoin('communityTeams', 'communityTeams.id', 'communityTeamMembers.teamId')
      .selectAll('communityTeams')
      .where('communityTeamMembers.accountId', '=', accountId)
      .where('communityTeams.tenantId', '=', tenantId)
      .orderBy('communityTeams.name')
      .execute(),

  insertEntry: (q: Q, entry: AssistanceRow) =>
    q
      .insertInto('assistanceLogs')
      .values(entry)
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst(),

  entry: (q: Q, teamId: string, id: string) =>
    q
      .selectFrom('assistanceLogs')
      .selectAll()
      .where('teamId', '=', teamId)
      .where('id', '=', id)
      .executeTakeFirst(),

  entryById: (q: Q, id: string) =>
    q.selectFrom('assistanceLogs').selectAll().where('id', '=', id).executeTakeFirst(),

  updateEntry: (q: Q, id: string, changes: Partial<Omit<AssistanceRow, 'id' | 'tenantId' | 'teamId'>>) =>
    q.updateTable('assistanceLogs').set(changes).where('id', '=', id).execute(),

  deleteEntry: (q: Q, id: string) => q.deleteFrom('assistanceLogs').where('id', '=', id).executeTakeFirst(),

  /** One page of a team's log, latest day first. */
  entriesOf: (q: Q, teamId: string, limit: number, offset: number) =>
    q
      .selectFrom('assistanceLogs')
      .selectAll()
      .where('teamId', '=', teamId)
      .orderBy('helpedOn', 'desc')
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),

  hasEntries: async (q: Q, teamId: string) =>
    (await q
      .selectFrom('assistanceLogs')
      .select('id')
      .where('teamId', '=', teamId)
      .limit(1)
      .executeTakeFirst()) !== undefined,
};
