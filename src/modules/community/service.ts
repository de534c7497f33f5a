import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import type { AuditService } from '../audit/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService, Unit } from '../org/service.js';
import type { ProgramService } from '../programs/service.js';
import { correctEntry, deleteEntry, type EntryInput, entryViews, logAssistance } from './assistance.js';
import type { CommunityDeps } from './deps.js';
import {
  type CommunitySummary,
  teamHelp,
  type UnitCommunity,
  unitCommunity,
  unitSummary,
} from './figures.js';
import { addMember, memberViews, removeMember } from './members.js';
import type { Period } from './periods.js';
import { communityRepository as repo, type TeamRow } from './repository.js';
import { type TeamPlace, teamPlace } from './teamAccess.js';
import { importTeams, type TeamImportResult } from './teamImport.js';
import {
  createTeam,
  deleteTeam,
  type NewTeam,
  setTeamStatus,
  type TeamChanges,
  updateTeam,
} from './teams.js';
import { recountTotals, type StoredTotal } from './totals.js';

/**
 * Community digital technology teams, their qualified guides and the help they log. Every
 * change asks the module's policy (policy.ts) itself, so pages, the CLI and tests share the rules.
 */
export class CommunityService implements CommunityDeps {
  constructor(
    readonly db: Db,
    readonly org: OrgService,
    readonly identity: IdentityService,
    readonly programs: ProgramService,
    readonly audit: AuditService,
  ) {}

  /** A team of the tenant with its unit, or a 404. */
  team(tenantId: string, id: string): Promise<TeamPlace> {
    return teamPlace(this, tenantId, id);
  }

  /** The teams a person is a member of (or leads), by name. */
  teamsOf(tenantId: string, accountId: string): Promise<TeamRow[]> {
    return repo.teamsOfMember(this.db.kysely, tenantId, accountId);
  }

  createTeam(actor: Actor, input: NewTeam) {
    return createTeam(this, actor, input);
  }

  updateTeam(actor: Actor, place: TeamPlace, changes: TeamChanges) {
    return updateTeam(this, actor, place, changes);
  }

  setTeamStatus(actor: Actor, place: TeamPlace, status: string) {
    return setTeamStatus(this, actor, place, status);
  }

  deleteTeam(actor: Actor, place: TeamPlace) {
    return deleteTeam(this, actor, place);
  }

  /** The members, the leader first, each with their training status today. */
  members(place: TeamPlace) {
    return memberViews(this, place);
  }

  addMember(actor: Actor, place: TeamPlace, phone: string) {
    return addMember(this, actor, place, phone);
  }

  removeMember(actor: Actor, place: TeamPlace, accountId: string) {
    return removeMember(this, actor, place, accountId);
  }

  logAssistance(actor: Actor, place: TeamPlace, input: EntryInput) {
    return logAssistance(this, actor, place, input);
  }

  correctEntry(actor: Actor, place: TeamPlace, entryId: string, input: EntryInput) {
    return correctEntry(this, actor, place, entryId, input);
  }

  deleteEntry(actor: Actor, place: TeamPlace, entryId: string) {
    return deleteEntry(this, actor, place, entryId);
  }

  /** A page of the team's log as `actor` sees it. */
  entries(actor: Actor, place: TeamPlace, page: number, perPage: number) {
    return entryViews(this, actor, place, page, perPage);
  }

  /** The team's help in a period, per service and per guide. */
  teamHelp(place: TeamPlace, period: Period) {
    return teamHelp(this, place, period);
  }

  /**
   * The community teams of a unit's subtree for the monitoring dashboard: help per service in the
   * period ('' open on that side), teams, teams without a qualified guide, guides, and the help
   * per child unit. A fixed handful of queries over the totals, whatever the number of teams.
   * @example await ctx.community.unitSummary(tenantId, commune, villages, { from: '2025-06-01', to: '' })
   */
  unitSummary(
    tenantId: string,
    unit: Pick<Unit, 'id' | 'path'>,
    children: readonly Pick<Unit, 'id' | 'path'>[],
    period: Period,
  ): Promise<CommunitySummary> {
    return unitSummary(this, tenantId, unit, children, period);
  }

  /** The unit's summary with every team of the subtree and the most helpful guides. */
  unitCommunity(
    tenantId: string,
    unit: Pick<Unit, 'id' | 'path'>,
    children: readonly Pick<Unit, 'id' | 'path'>[],
    period: Period,
  ): Promise<UnitCommunity> {
    return unitCommunity(this, tenantId, unit, children, period);
  }

  /** Creates the teams of a file, or refuses it whole (see teamImport.ts); `importer` null: the CLI. */
  importTeams(
    tenantId: string,
    importer: Actor | null,
    file: string,
    label?: string,
  ): Promise<TeamImportResult> {
    return importTeams(this, tenantId, importer, file, label);
  }

  /** What the stored totals of the tenant must be, counted again from the log. */
  recountTotals(tenantId: string): Promise<StoredTotal[]> {
    return recountTotals(this.db, tenantId);
  }
}
