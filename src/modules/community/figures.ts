/**
 * What a unit's teams add up to: teams, qualified guides, teams without one, and the help logged
 * in a period per service, per child unit, per team and per guide. Reads the totals (never the
 * whole log) and a fixed number of queries whatever the number of teams.
 */
import { todayInVietnam } from '../../db/time.js';
import { compareVietnamese } from '../../text/vietnamese.js';
import { peopleNames } from '../identity/integrityQueries.js';
import type { Unit } from '../org/service.js';
import type { CommunityDeps } from './deps.js';
import { type Period, planPeriod } from './periods.js';
import { communityRepository as repo, type TeamRow } from './repository.js';
import { SERVICE_CODES, serviceLabel } from './serviceTypes.js';
import { isValidNow, type TeamPlace } from './teamAccess.js';
import { readTotals, type TotalRow } from './totals.js';

export interface ServiceTotal {
  service: string;
  label: string;
  entries: number;
  people: number;
}

/** The help logged by the teams of one child unit's subtree. */
export interface ChildHelp {
  unitId: string;
  entries: number;
  people: number;
  /** Teams not dissolved, and those of them without a qualified guide today. */
  teams: number;
  teamsWithoutGuide: number;
}

/** A unit's community teams at a glance: the dashboard's section. */
export interface CommunitySummary {
  period: Period;
  entries: number;
  people: number;
  /** Every service, in the order of SERVICE_TYPES (zeros too). */
  byService: ServiceTotal[];
  /** Teams not dissolved. */
  teams: number;
  teamsWithoutGuide: number;
  /** People who are a qualified guide today in at least one team not dissolved. */
  qualifiedGuides: number;
  children: ChildHelp[];
}

export interface TeamFigures {
  team: TeamRow;
  unitName: string;
  members: number;
  guides: number;
  entries: number;
  people: number;
}

export interface GuideTotal {
  accountId: string;
  fullName: string;
  teamId: string;
  entries: number;
  people: number;
}

/** The summary with every team of the subtree and the guides who helped most. */
export interface UnitCommunity extends CommunitySummary {
  teamFigures: TeamFigures[];
  guides: GuideTotal[];
}

/** Guides listed on a unit's page: those who helped most. */
const LISTED_GUIDES = 100;

/** Rows of totals per service, every known service first (zeros too), then any other code. */
function byService(rows: readonly Pick<TotalRow, 'service' | 'entries' | 'people'>[]): ServiceTotal[] {
  const sums = new Map<string, ServiceTotal>(
    SERVICE_CODES.map((service) => [
      service,
      { service, label: serviceLabel(service), entries: 0, people: 0 },
    ]),
  );
  for (const row of rows) {
    const sum = sums.get(row.service) ?? {
      service: row.service,
      label: serviceLabel(row.service),
      entries: 0,
      people: 0,
    };
    sum.entries += row.entries;
    sum.people += row.people;
    sums.set(row.service, sum);
  }
  return [...sums.values()];
}

const sumOf = (rows: readonly { entries: number; people: number }[]) =>
  rows.reduce((s, r) => ({ entries: s.entries + r.entries, people: s.people + r.people }), {
    entries: 0,
    people: 0,
  });

/**
 * The teams whose unit lies in the subtree at `unit`, with their units. For the root it reads the
 * tenant's teams and their units (a province has far more units than teams; none when it has no
 * team yet), else the subtree's units and their teams.
 */
async function teamsUnder(
  deps: CommunityDeps,
  tenantId: string,
  unit: Pick<Unit, 'path'>,
): Promise<{ teams: TeamRow[]; units: Map<string, Unit> }> {
  const q = deps.db.kysely;
  if (unit.path.split('/').filter(Boolean).length === 1) {
    const all = await repo.teamsOfTenant(q, tenantId);
    const units = await deps.org.unitsByIds(tenantId, [...new Set(all.map((t) => t.unitId))]);
    return { teams: all.filter((t) => units.get(t.unitId)?.path.startsWith(unit.path)), units };
  }
  const units = new Map((await deps.org.subtreeUnits(tenantId, unit.path)).map((u) => [u.id, u]));
  return { teams: await repo.teamsInUnits(q, tenantId, [...units.keys()]), units };
}

/**
 * The summary of a unit's subtree and the figures of each of its teams (in no order): the work
 * the dashboard and the unit's page share.
 */
async function figuresOf(
  deps: CommunityDeps,
  tenantId: string,
  unit: Pick<Unit, 'id' | 'path'>,
  children: readonly Pick<Unit, 'id' | 'path'>[],
  period: Period,
) {
  const q = deps.db.kysely;
  const today = todayInVietnam();
  const plan = planPeriod(period, today);
  const { teams, units } = await teamsUnder(deps, tenantId, unit);
  const teamIds = teams.map((t) => t.id);
  const [members, teamTotals] = await Promise.all([
    repo.memberIdsOf(q, teamIds),
    readTotals(q, teamIds, plan, false),
  ]);
  const held = await deps.programs.qualificationsOfPeople(
    tenantId,
    [...new Set(members.map((m) => m.accountId))],
    today,
  );
  const membersOf = groupBy(members, (m) => m.teamId);
  const helpOf = groupBy(teamTotals, (row) => row.teamId);

  const depth = unit.path.split('/').filter(Boolean).length;
  const childHelp = new Map<string, ChildHelp>(
    children.map((c) => [c.id, { unitId: c.id, entries: 0, people: 0, teams: 0, teamsWithoutGuide: 0 }]),
  );
  const guidesNow = new Set<string>();
  const teamFigures = teams.map((team): TeamFigures => {
    const people = (membersOf.get(team.id) ?? []).map((m) => m.accountId);
    const guides = people.filter((id) => isValidNow(held.get(id), today));
    const help = sumOf(helpOf.get(team.id) ?? []);
    const place = units.get(team.unitId);
    const child = childHelp.get(place?.path.split('/').filter(Boolean)[depth] ?? '');
    const counted = team.status !== 'dissolved';
    if (counted) for (const id of guides) guidesNow.add(id);
    if (child) {
      child.entries += help.entries;
      child.people += help.people;
      if (counted) {
        child.teams += 1;
        if (guides.length === 0) child.teamsWithoutGuide += 1;
      }
    }
    return { team, unitName: place?.fullName ?? '', members: people.length, guides: guides.length, ...help };
  });
  const counted = teamFigures.filter((f) => f.team.status !== 'dissolved');
  const summary: CommunitySummary = {
    period,
    ...sumOf(teamTotals),
    byService: byService(teamTotals),
    teams: counted.length,
    teamsWithoutGuide: counted.filter((f) => f.guides === 0).length,
    qualifiedGuides: guidesNow.size,
    children: [...childHelp.values()],
  };
  return { summary, teamFigures, teamIds, plan };
}

function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const group = groups.get(key(row));
    if (group) group.push(row);
    else groups.set(key(row), [row]);
  }
  return groups;
}

/**
 * A unit's community teams for its monitoring dashboard: the help of a period per service and
 * per child unit, teams, teams without a qualified guide and guides. A fixed handful of queries
 * over the totals whatever the number of teams (none for a tenant without teams but one).
 */
export async function unitSummary(
  deps: CommunityDeps,
  tenantId: string,
  unit: Pick<Unit, 'id' | 'path'>,
  children: readonly Pick<Unit, 'id' | 'path'>[],
  period: Period,
): Promise<CommunitySummary> {
  return (await figuresOf(deps, tenantId, unit, children, period)).summary;
}

/** The unit's summary with every team of the subtree (by place, then name) and the most helpful guides. */
export async function unitCommunity(
  deps: CommunityDeps,
  tenantId: string,
  unit: Pick<Unit, 'id' | 'path'>,
  children: readonly Pick<Unit, 'id' | 'path'>[],
  period: Period,
): Promise<UnitCommunity> {
  const { summary, teamFigures, teamIds, plan } = await figuresOf(deps, tenantId, unit, children, period);
  const guideTotals = await readTotals(deps.db.kysely, teamIds, plan, true);
  return {
    ...summary,
    teamFigures: teamFigures.sort(
      (a, b) => compareVietnamese(a.unitName, b.unitName) || compareVietnamese(a.team.name, b.team.name),
    ),
    guides: await namedGuides(deps, tenantId, guideTotals),
  };
}

/** Help per guide and team, the most people first, the first LISTED_GUIDES with their names. */
async function namedGuides(deps: CommunityDeps, tenantId: string, rows: TotalRow[]): Promise<GuideTotal[]> {
  const byGuide = new Map<string, GuideTotal>();
  for (const row of rows) {
    const key = `${row.teamId}\n${row.guideAccountId}`;
    const total = byGuide.get(key) ?? {
      accountId: row.guideAccountId,
      fullName: '',
      teamId: row.teamId,
      entries: 0,
      people: 0,
    };
    total.entries += row.entries;
    total.people += row.people;
    byGuide.set(key, total);
  }
  const listed = [...byGuide.values()]
    .sort((a, b) => b.people - a.people || b.entries - a.entries)
    .slice(0, LISTED_GUIDES);
  const names = await peopleNames(
    deps.db,
    tenantId,
    listed.map((g) => g.accountId),
  );
  return listed.map((g) => ({ ...g, fullName: names.get(g.accountId) ?? '' }));
}

/** A team's help in a period: per service, and per guide (the most people first). */
export async function teamHelp(deps: CommunityDeps, place: TeamPlace, period: Period) {
  const plan = planPeriod(period, todayInVietnam());
  const q = deps.db.kysely;
  const [teamRows, guideRows] = await Promise.all([
    readTotals(q, [place.team.id], plan, false),
    readTotals(q, [place.team.id], plan, true),
  ]);
  return {
    ...sumOf(teamRows),
    byService: byService(teamRows),
    guides: await namedGuides(deps, place.team.tenantId, guideRows),
  };
}
