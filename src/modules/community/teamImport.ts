/**
 * Creating teams from a spreadsheet (one row per team): the path the upload page and the CLI
 * share. Every row is checked (alone, against the other rows, the units the importer manages and
 * the people of the tenant) before anything is written; a file with a single bad row is refused
 * whole, listing every row's problems. A good file is stored in one transaction, audited.
 */
import { randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { foldForSearch } from '../../text/vietnamese.js';
import { quote, RosterFileError, rosterRecords } from '../identity/rosterFile.js';
import type { RowProblems } from '../identity/rosterImport.js';
import type { Unit } from '../org/service.js';
import type { CommunityDeps } from './deps.js';
import { communityPolicy } from './policy.js';
import { type MemberRow, communityRepository as repo, type TeamRow } from './repository.js';
import { TEAM_UNIT_KINDS, unitSubject } from './teamAccess.js';
import { checkTeamRecord, MAX_TEAM_ROWS, readTeamHeader, type TeamFileRow } from './teamFile.js';
import { notRegistered, teamNameKey } from './teams.js';

/** Rows written per statement, well under either engine's limit on bound parameters. */
const ROWS_PER_INSERT = 500;

export type TeamImportResult =
  | { ok: true; teams: number; members: number }
  | { ok: false; problems: RowProblems[] };

/** Rows ready to store: every unit and person found. */
interface Planned {
  row: TeamFileRow;
  unit: Unit;
  accountIds: string[];
}

class Refused extends Error {
  constructor(readonly problems: RowProblems[]) {
    super('team file refused');
  }
}

/** The rows of a team file; throws RosterFileError for an unreadable file or header. */
async function readRows(file: string): Promise<TeamFileRow[]> {
  let columns: ReturnType<typeof readTeamHeader> | null = null;
  const rows: TeamFileRow[] = [];
  for await (const record of rosterRecords(file)) {
    if (columns === null) {
      columns = readTeamHeader(record);
      continue;
    }
    if (rows.length >= MAX_TEAM_ROWS) {
      throw new RosterFileError(
        `Tệp có hơn ${MAX_TEAM_ROWS.toLocaleString('vi-VN')} tổ; hãy chia thành nhiều tệp.`,
      );
    }
    rows.push(checkTeamRecord(columns, record));
  }
  if (columns === null) throw new RosterFileError('Tệp trống: không có dòng tiêu đề và không có tổ nào.');
  if (rows.length === 0) throw new RosterFileError('Tệp không có tổ nào dưới dòng tiêu đề.');
  return rows;
}

/** One pass of checks over the rows, collecting every problem of every row. */
class TeamCheck {
  readonly problems = new Map<number, string[]>();
  private readonly units = new Map<string, Unit | null>();
  private readonly villages = new Map<string, Unit[]>();
  private readonly people = new Map<string, { id: string } | null>();

  constructor(
    private readonly deps: CommunityDeps,
    private readonly tenantId: string,
    private readonly importer: Actor | null,
  ) {}

  report(row: number, message: string): void {
    this.problems.set(row, [...(this.problems.get(row) ?? []), message]);
  }

  async plan(rows: TeamFileRow[]): Promise<Planned[]> {
    const planned: Planned[] = [];
    const firstRowOf = new Map<string, number>();
    for (const row of rows) {
      for (const message of row.problems) this.report(row.number, message);
      const unit = row.unitCode === '' ? null : await this.unitOf(row);
      const accountIds = await this.peopleOf(row);
      if (!unit || row.name === '') continue;
      const key = teamNameKey(unit.id, row.name);
      const first = firstRowOf.get(key);
      if (first !== undefined) this.report(row.number, `Trùng tổ với dòng ${first} (cùng đơn vị, cùng tên).`);
      else firstRowOf.set(key, row.number);
      if (accountIds && row.problems.length === 0 && first === undefined)
        planned.push({ row, unit, accountIds });
    }
    return planned;
  }

  /** The current unit with the row's code, when a team may belong to it and the importer manages it. */
  private async unitOf(row: TeamFileRow): Promise<Unit | null> {
    if (!this.units.has(row.unitCode))
      this.units.set(
        row.unitCode,
        (await this.deps.org.currentUnitByCode(this.tenantId, row.unitCode)) ?? null,
      );
    const coded = this.units.get(row.unitCode) ?? null;
    if (!coded) {
      this.report(
        row.number,
        `Không có đơn vị nào mang mã ${quote(row.unitCode)} (nếu mã bắt đầu bằng số 0, hãy định dạng cột là Văn bản).`,
      );
      return null;
    }
    const unit = row.village ? await this.villageOf(row.number, coded, row.village) : coded;
    if (!unit) return null;
    if (!TEAM_UNIT_KINDS.includes(unit.kind)) {
      this.report(
        row.number,
        `${unit.fullName} không phải thôn, tổ dân phố hay xã, phường: tổ phải thuộc một trong các cấp đó.`,
      );
      return null;
    }
    if (this.importer && !communityPolicy(this.importer, 'team.manage', unitSubject(unit))) {
      this.report(row.number, `Đơn vị "${unit.fullName}" nằm ngoài phạm vi bạn quản lý.`);
      return null;
    }
    return unit;
  }

  /** The village of a commune named in the row, matched without diacritics or case ("thon 2"). */
  private async villageOf(row: number, commune: Unit, name: string): Promise<Unit | null> {
    if (commune.kind !== 'commune') {
      this.report(
        row,
        `Cột thôn, tổ dân phố đi kèm mã của xã, phường; ${commune.fullName} không phải xã, phường.`,
      );
      return null;
    }
    let villages = this.villages.get(commune.id);
    if (!villages) {
      villages = (await this.deps.org.children(this.tenantId, commune.id)).filter(
        (u) => u.kind === 'village',
      );
      this.villages.set(commune.id, villages);
    }
    const key = foldForSearch(name);
    const found = villages.find((v) => foldForSearch(v.fullName) === key || foldForSearch(v.name) === key);
    if (!found) this.report(row, `${commune.fullName} không có thôn, tổ dân phố ${quote(name)}.`);
    return found ?? null;
  }

  /** The accounts of the row's phones, leader first; null when someone is not found. */
  private async peopleOf(row: TeamFileRow): Promise<string[] | null> {
    const ids: string[] = [];
    for (const [i, phone] of row.memberPhones.entries()) {
      if (!this.people.has(phone))
        this.people.set(phone, (await this.deps.identity.accountByIdentifier(this.tenantId, phone)) ?? null);
      const person = this.people.get(phone);
      if (person) ids.push(person.id);
      else
        this.report(row.number, `${i === 0 && row.leaderPhone ? 'Tổ trưởng: ' : ''}${notRegistered(phone)}`);
    }
    return ids.length === row.memberPhones.length ? ids : null;
  }

  /** Rows naming a team its unit already has (asked again inside the writing transaction). */
  async existing(q: CommunityDeps['db']['kysely'], planned: Planned[]): Promise<void> {
    const stored = await repo.teamNamesInUnits(q, this.tenantId, [...new Set(planned.map((p) => p.unit.id))]);
    const taken = new Set(stored.map((t) => teamNameKey(t.unitId, t.name)));
    for (const { row, unit } of planned) {
      if (taken.has(teamNameKey(unit.id, row.name)))
        this.report(row.number, `${unit.fullName} đã có tổ tên “${row.name}”.`);
    }
  }

  result(): RowProblems[] {
    return [...this.problems].sort(([a], [b]) => a - b).map(([row, messages]) => ({ row, messages }));
  }
}

async function* chunks<T>(items: T[]): AsyncGenerator<T[]> {
  for (let at = 0; at < items.length; at += ROWS_PER_INSERT) yield items.slice(at, at + ROWS_PER_INSERT);
}

/**
 * Checks a team file and, when no row has a problem, creates every team with its leader and
 * members. `importer` is the person importing, or null for the system (the CLI), which may create
 * teams anywhere in the tenant.
 * @example const result = await importTeams(ctx, tenant.id, manager, '/tmp/to-cns.xlsx', 'to-cns.xlsx');
 */
export async function importTeams(
  deps: CommunityDeps,
  tenantId: string,
  importer: Actor | null,
  file: string,
  label?: string,
): Promise<TeamImportResult> {
  let rows: TeamFileRow[];
  try {
    rows = await readRows(file);
  } catch (error) {
    if (!(error instanceof RosterFileError)) throw error;
    return { ok: false, problems: [{ row: 0, messages: [error.message] }] };
  }
  const check = new TeamCheck(deps, tenantId, importer);
  const planned = await check.plan(rows);
  await check.existing(deps.db.kysely, planned);
  if (check.problems.size > 0) return { ok: false, problems: check.result() };
  const now = nowIso();
  const teams: TeamRow[] = [];
  const members: MemberRow[] = [];
  for (const { row, unit, accountIds } of planned) {
    const team: TeamRow = {
      id: randomUUID(),
      tenantId,
      unitId: unit.id,
      name: row.name,
      leaderAccountId: accountIds[0] ?? null,
      contactPhone: null,
      contactNote: row.contact,
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    teams.push(team);
    for (const accountId of accountIds)
      members.push({
        teamId: team.id,
        accountId,
        tenantId,
        joinedAt: now,
        addedBy: importer?.accountId ?? null,
      });
  }
  try {
    await inTransaction(deps.db, async (tx) => {
      // Another import or a manager may have created one of these teams since the check.
      await check.existing(tx.kysely, planned);
      if (check.problems.size > 0) throw new Refused(check.result());
      for await (const slice of chunks(teams)) await repo.insertTeams(tx.kysely, slice);
      for await (const slice of chunks(members)) await repo.insertMembers(tx.kysely, slice);
      await deps.audit.record(tx, {
        tenantId,
        actor: importer ? { accountId: importer.accountId, fullName: importer.fullName } : null,
        action: 'community.teams_imported',
        subject: { type: 'teamFile', id: basename(file), label: label ?? basename(file) },
        details: { teams: teams.length, members: members.length },
      });
    });
  } catch (error) {
    if (error instanceof Refused) return { ok: false, problems: error.problems };
    throw error;
  }
  return { ok: true, teams: teams.length, members: members.length };
}

/** "12 tổ, 57 thành viên", for the pages and the CLI. */
export const describeImport = (result: { teams: number; members: number }) =>
  `${result.teams} tổ, ${result.members} thành viên`;
