import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
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
import { SummaryCache } from './summaryCache.js';
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

  private readonly summaries = new SummaryCache();

  /** A team of the tenant with its unit, or a 404. */
  team(tenantId: string, id: string): Promise<TeamPlace> {
    return teamPlace(this, tenantId, id);
  }

  /** The teams a person is a member of (or leads), by name. */
  teamsOf(tenantId: string, accountId: string): Promise<TeamRow[]> {
    return repo.teamsOfMember(this.db.kysely, tenantId, accountId);
  }

  async createTeam(actor: Actor, input: NewTeam) {
    const done = await createTeam(this, actor, input);
    this.summaries.forget(actor.tenantId);
    return done;
  }

  async updateTeam(actor: Actor, place: TeamPlace, changes: TeamChanges) {
    const done = await updateTeam(this, actor, place, changes);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  async setTeamStatus(actor: Actor, place: TeamPlace, status: string) {
    const done = await setTeamStatus(this, actor, place, status);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  async deleteTeam(actor: Actor, place: TeamPlace) {
    const done = await deleteTeam(this, actor, place);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  /** The members, the leader first, each with their training status today. */
  members(place: TeamPlace) {
    return memberViews(this, place);
  }

  async addMember(actor: Actor, place: TeamPlace, phone: string) {
    const done = await addMember(this, actor, place, phone);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  async removeMember(actor: Actor, place: TeamPlace, accountId: string) {
    const done = await removeMember(this, actor, place, accountId);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  async logAssistance(actor: Actor, place: TeamPlace, input: EntryInput) {
    const done = await logAssistance(this, actor, place, input);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  async correctEntry(actor: Actor, place: TeamPlace, entryId: string, input: EntryInput) {
    const done = await correctEntry(this, actor, place, entryId, input);
    this.summaries.forget(place.team.tenantId);
    return done;
  }

  async deleteEntry(actor: Actor, place: TeamPlace, entryId: string) {
    const done = await deleteEntry(this, actor, place, entryId);
    this.summaries.forget(place.team.tenantId);
    return done;
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
  async unitSummary(
    tenantId: string,
    unit: Pick<Unit, 'id' | 'path'>,
    children: readonly Pick<Unit, 'id' | 'path'>[],
    period: Period,
  ): Promise<CommunitySummary> {
    const key = [
      tenantId,
      unit.id,
      period.from,
      period.to,
      todayInVietnam(),
      ...children.map((c) => c.id),
    ].join('\n');
    const kept = this.summaries.get(key);
    if (kept) return kept;
    const summary = await unitSummary(this, tenantId, unit, children, period);
    this.summaries.put(tenantId, key, summary);
    return summary;
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
  async importTeams(
    tenantId: string,
    importer: Actor | null,
    file: string,
    label?: string,
  ): Promise<TeamImportResult> {
    const result = await importTeams(this, tenantId, importer, file, label);
    this.summaries.forget(tenantId);
    return result;
  }

  /** What the stored totals of the tenant must be, counted again from the log. */
  recountTotals(tenantId: string): Promise<StoredTotal[]> {
    return recountTotals(this.db, tenantId);
  }
}
