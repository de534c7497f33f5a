/**
 * Enrolling people from a roster file: the one path the upload page and the CLI share. The file
 * is streamed twice. The first pass checks every row (alone, against the other rows, against
 * the units and the stored accounts) without writing; only a file without a single problem is
 * read again, inside one transaction, and written in chunks. A problem found then (the accounts
 * changed in between) rolls the whole transaction back: a roster is stored all or nothing.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { basename } from 'node:path';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Actor } from '../../access/actor.js';
import type { Database } from '../../db/schema.js';
import { nowIso } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import type { Unit } from '../org/service.js';
import type { Block } from './blocks.js';
import { rosterBasis } from './consents.js';
import { hashPassword } from './password.js';
import { identityPolicy } from './policy.js';
import { type AccountRow, identityRepository as repo } from './repository.js';
import {
  checkRecord,
  MAX_ROSTER_ROWS,
  quote,
  RosterFileError,
  type RosterRow,
  readHeader,
  rosterRecords,
} from './rosterFile.js';
import { type Holders, type MatchedAccount, planRow } from './rosterMatch.js';

/** New people after which PostgreSQL's statistics of the accounts table are refreshed. */
const STATISTICS_REFRESH_AFTER = 1000;
/** Rows looked up and written together: three indexed queries find the stored accounts of a chunk. */
const CHUNK_ROWS = 500;
const PREVIEW_ROWS = 20;

export interface RosterCounts {
  created: number;
  updated: number;
  unchanged: number;
}

/** A row as the preview shows it: the CCCD only by its last four digits. */
export interface RosterPreviewRow {
  number: number;
  fullName: string;
  phone: string | null;
  email: string | null;
  nationalIdLast4: string | null;
  block: Block;
  position: string | null;
  unitName: string;
  outcome: keyof RosterCounts;
}

/** The problems of one row (row 0: the whole file). */
export interface RowProblems {
  row: number;
  messages: string[];
}

export type RosterResult =
  | { ok: true; counts: RosterCounts; preview: RosterPreviewRow[] }
  | { ok: false; problems: RowProblems[] };

type RosterContext = Pick<AppContext, 'db' | 'org' | 'config' | 'audit' | 'identity'>;
type Q = Kysely<Database> | Transaction<Database>;

/**
 * What importing the file would do, changing nothing. `importer` is the person importing, or null
 * for the system (the CLI), which may enrol anyone anywhere in the tenant.
 */
export async function checkRoster(
  ctx: RosterContext,
  tenantId: string,
  importer: Actor | null,
  file: string,
): Promise<RosterResult> {
  return (await new RosterRun(ctx, tenantId, importer, ctx.db.kysely, null).run(file)).result;
}

/** Checks the file and, when it has no problem at all, stores every row of it in one transaction. */
export async function importRoster(
  ctx: RosterContext,
  tenantId: string,
  importer: Actor | null,
  file: string,
  /** The file's name as the person knows it (uploads are stored under a random name). */
  label?: string,
): Promise<RosterResult> {
  const checked = await new RosterRun(ctx, tenantId, importer, ctx.db.kysely, null).run(file);
  if (!checked.result.ok) return checked.result;
  // One hash of random bytes nobody keeps: log-in is impossible until a password is set, and
  // hashing once keeps a 100,000-row roster from spending 20 minutes on argon2.
  const passwordHash = await hashPassword(randomBytes(32).toString('base64url'));
  try {
    const result = await ctx.db.kysely.transaction().execute(async (trx) => {
      const written = new RosterRun(ctx, tenantId, importer, trx, { passwordHash, units: checked.units });
      const { result } = await written.run(file);
      if (!result.ok) throw new Refused(result);
      // Enrolling people is a change to personal data: recorded with the rows it wrote.
      await ctx.audit.record(
        { kysely: trx, dialect: ctx.db.dialect, close: ctx.db.close },
        {
          tenantId,
          actor: importer ? { accountId: importer.accountId, fullName: importer.fullName } : null,
          action: 'people.imported',
          subject: { type: 'roster', id: basename(file), label: label ?? basename(file) },
          details: { ...result.counts },
        },
      );
      return result;
    });
    // PostgreSQL plans by table statistics that autovacuum refreshes only later: right after a
    // large enrolment it would scan the whole table for each chunk of the next import.
    if (ctx.db.dialect === 'postgres' && result.ok && result.counts.created >= STATISTICS_REFRESH_AFTER) {
      await sql`analyze accounts`.execute(ctx.db.kysely);
    }
    if (result.ok && result.counts.created + result.counts.updated > 0)
      await ctx.identity.peopleChanged(tenantId, null);
    return result;
  } catch (error) {
    if (error instanceof Refused) return error.result;
    throw error;
  }
}

class Refused extends Error {
  constructor(readonly result: RosterResult) {
    super('roster refused');
  }
}

interface Placed {
  row: RosterRow;
  unit: Unit;
}

/** One pass over a roster file: checking only, or (`write` given) storing as it goes. */
class RosterRun {
  private readonly problems = new Map<number, string[]>();
  private readonly firstRowOf = {
    phone: new Map<string, number>(),
    email: new Map<string, number>(),
    nationalId: new Map<string, number>(),
  };
  /** The row that matched each stored account: one person cannot be two rows of the file. */
  private readonly rowOfAccount = new Map<string, number>();
  private readonly units: Map<string, Unit | null>;
  private readonly counts: RosterCounts = { created: 0, updated: 0, unchanged: 0 };
  private readonly preview: RosterPreviewRow[] = [];
  private chunk: Placed[] = [];

  constructor(
    private readonly ctx: RosterContext,
    private readonly tenantId: string,
    private readonly importer: Actor | null,
    private readonly q: Q,
    /** Inside the transaction only the units found by the checking pass are used: on SQLite a query
     * outside the transaction would wait for it forever. */
    private readonly write: { passwordHash: string; units: Map<string, Unit | null> } | null,
  ) {
    this.units = write ? write.units : new Map();
  }

  async run(file: string): Promise<{ result: RosterResult; units: Map<string, Unit | null> }> {
    try {
      await this.readFile(file);
    } catch (error) {
      if (!(error instanceof RosterFileError)) throw error;
      return { result: { ok: false, problems: [{ row: 0, messages: [error.message] }] }, units: this.units };
    }
    const result: RosterResult =
      this.problems.size > 0
        ? {
            ok: false,
            problems: [...this.problems]
              .sort(([a], [b]) => a - b)
              .map(([row, messages]) => ({ row, messages })),
          }
        : { ok: true, counts: this.counts, preview: this.preview };
    return { result, units: this.units };
  }

  private async readFile(file: string): Promise<void> {
    let columns: ReturnType<typeof readHeader> | null = null;
    let rows = 0;
    for await (const record of rosterRecords(file)) {
      if (columns === null) {
        columns = readHeader(record);
        continue;
      }
      rows += 1;
      if (rows > MAX_ROSTER_ROWS) {
        const limit = MAX_ROSTER_ROWS.toLocaleString('vi-VN');
        throw new RosterFileError(
          `Tệp có hơn ${limit} người; hãy chia thành nhiều tệp, mỗi tệp tối đa ${limit} người.`,
        );
      }
      const checked = checkRecord(columns, record, this.ctx.config.secret);
      for (const message of checked.problems) this.report(checked.number, message);
      const unit = checked.unitCode === '' ? null : await this.checkUnit(checked.number, checked.unitCode);
      if (checked.row && unit && this.isUnique(checked.row)) this.chunk.push({ row: checked.row, unit });
      if (this.chunk.length >= CHUNK_ROWS) await this.flush();
    }
    if (columns === null)
      throw new RosterFileError('Tệp trống: không có dòng tiêu đề và không có người nào.');
    if (rows === 0) throw new RosterFileError('Tệp không có người nào dưới dòng tiêu đề.');
    await this.flush();
  }

  private report(row: number, message: string): void {
    const messages = this.problems.get(row);
    if (messages) messages.push(message);
    else this.problems.set(row, [message]);
  }

  /** False when a phone, email or CCCD of the row was on an earlier row too. */
  private isUnique(row: RosterRow): boolean {
    const repeated = (kind: keyof RosterRun['firstRowOf'], key: string | null | undefined, label: string) => {
      if (!key) return false;
      const first = this.firstRowOf[kind].get(key);
      if (first === undefined) this.firstRowOf[kind].set(key, row.number);
      else this.report(row.number, `${label} trùng với dòng ${first}.`);
      return first !== undefined;
    };
    const repeats = [
      repeated('phone', row.phone, 'Số điện thoại'),
      repeated('email', row.email, 'Email'),
      repeated('nationalId', row.nationalId?.hash, 'Số CCCD'),
    ];
    return !repeats.includes(true);
  }

  /** The current unit with this code, when there is one and the importer may enrol people in it. */
  private async checkUnit(rowNumber: number, code: string): Promise<Unit | null> {
    const unit = await this.unitOf(code);
    if (!unit) {
      this.report(
        rowNumber,
        `Không có đơn vị nào mang mã ${quote(code)} (nếu mã bắt đầu bằng số 0, hãy định dạng cột là Văn bản).`,
      );
      return null;
    }
    if (!this.mayEnrolIn(unit.path)) {
      this.report(rowNumber, `Đơn vị "${unit.fullName}" nằm ngoài phạm vi bạn quản lý.`);
      return null;
    }
    return unit;
  }

  private mayEnrolIn(unitPath: string | null): boolean {
    return (
      !this.importer || identityPolicy(this.importer, 'roster.import', { tenantId: this.tenantId, unitPath })
    );
  }

  private async unitOf(code: string): Promise<Unit | null> {
    if (this.write || this.units.has(code)) return this.units.get(code) ?? null;
    const unit = (await this.ctx.org.currentUnitByCode(this.tenantId, code)) ?? null;
    this.units.set(code, unit);
    return unit;
  }

  /** Plans the chunk against the stored accounts, and stores it when writing and nothing is wrong. */
  private async flush(): Promise<void> {
    const chunk = this.chunk;
    this.chunk = [];
    if (chunk.length === 0) return;
    const found = await repo.accountsMatching(this.q, this.tenantId, {
      phones: chunk.flatMap(({ row }) => (row.phone ? [row.phone] : [])),
      emails: chunk.flatMap(({ row }) => (row.email ? [row.email] : [])),
      idHashes: chunk.flatMap(({ row }) => (row.nationalId ? [row.nationalId.hash] : [])),
    });
    const index = (key: (a: MatchedAccount) => string | null) =>
      new Map(found.flatMap((a) => (key(a) ? [[key(a) as string, a] as const] : [])));
    const [byPhone, byEmail, byNationalId] = [
      index((a) => a.phone),
      index((a) => a.email),
      index((a) => a.nationalIdHash),
    ];
    const holders = (row: RosterRow): Holders => ({
      byPhone: row.phone ? byPhone.get(row.phone) : undefined,
      byEmail: row.email ? byEmail.get(row.email) : undefined,
      byNationalId: row.nationalId ? byNationalId.get(row.nationalId.hash) : undefined,
    });
    const now = nowIso();
    const creates: AccountRow[] = [];
    const updates: { id: string; changes: Partial<AccountRow> }[] = [];
    for (const { row, unit } of chunk) {
      const plan = planRow(row, unit.id, holders(row), (account: MatchedAccount) =>
        this.mayEnrolIn(account.homeUnitPath),
      );
      if (plan.kind === 'conflict') {
        for (const message of plan.problems) this.report(row.number, message);
        continue;
      }
      if (plan.kind !== 'create') {
        const first = this.rowOfAccount.get(plan.account.id);
        if (first !== undefined) {
          this.report(row.number, `Dòng này và dòng ${first} cùng khớp với một người trong hệ thống.`);
          continue;
        }
        this.rowOfAccount.set(plan.account.id, row.number);
      }
      const outcome = plan.kind === 'create' ? 'created' : plan.kind === 'update' ? 'updated' : 'unchanged';
      this.counts[outcome] += 1;
      if (this.preview.length < PREVIEW_ROWS) {
        this.preview.push({
          number: row.number,
          fullName: plan.kind === 'create' ? row.fullName : plan.account.fullName,
          phone: row.phone,
          email: row.email,
          nationalIdLast4: row.nationalId?.last4 ?? null,
          block: row.block ?? (plan.kind === 'create' ? 'official' : (plan.account.block as Block)),
          position: row.position,
          unitName: unit.fullName,
          outcome,
        });
      }
      if (!this.write) continue;
      if (plan.kind === 'create') creates.push(this.newAccount(row, unit, now));
      else if (plan.kind === 'update')
        updates.push({ id: plan.account.id, changes: { ...plan.changes, updatedAt: now } });
    }
    // After a problem the transaction is rolled back anyway: the rest is only read, to list them all.
    if (!this.write || this.problems.size > 0) return;
    await repo.insertAccounts(this.q, creates);
    for (const { id, changes } of updates) await repo.updateAccount(this.q, id, changes);
    // A CCCD from a roster is held on the unit's HR records, not on the person's consent.
    const withNationalId = [
      ...creates.filter((a) => a.nationalIdHash).map((a) => a.id),
      ...updates.filter((u) => u.changes.nationalIdHash).map((u) => u.id),
    ];
    await repo.insertConsents(
      this.q,
      withNationalId.map((accountId) => rosterBasis(this.tenantId, accountId, now)),
    );
  }

  private newAccount(row: RosterRow, unit: Unit, now: string): AccountRow {
    return {
      id: randomUUID(),
      tenantId: this.tenantId,
      fullName: row.fullName,
      phone: row.phone,
      email: row.email,
      block: row.block ?? 'official',
      homeUnitId: unit.id,
      position: row.position,
      nationalIdHash: row.nationalId?.hash ?? null,
      nationalIdLast4: row.nationalId?.last4 ?? null,
      birthYear: null,
      passwordHash: this.write?.passwordHash ?? '',
      deletedAt: null,
      isDemo: 0,
      createdAt: now,
      updatedAt: now,
    };
  }
}

/** "3 người mới, 1 người cập nhật, 7 người không đổi", for the pages and the CLI. */
export const describeCounts = (counts: RosterCounts): string =>
  `${counts.created} người mới, ${counts.updated} người cập nhật, ${counts.unchanged} người không đổi`;

/** One row's problems as a line: "Dòng 12: …; …" (or the file's problem alone). */
export const describeProblems = (problem: RowProblems): string =>
  problem.row > 0 ? `Dòng ${problem.row}: ${problem.messages.join(' ')}` : problem.messages.join(' ');
