/**
 * Reading qualifications ("đạt yêu cầu Bình dân học vụ số") as people and other systems see
 * them: by code for verification, a person's own, and filtered lists for exports.
 */
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import { holderFacts, holdersQuery } from '../identity/holders.js';
import type { OrgService, Unit } from '../org/service.js';
import { type QualificationStatus, qualificationStatus } from './qualificationStatus.js';
import type { QualificationRow } from './repository.js';

export interface QualificationFilter {
  tenantId: string;
  /** Holders whose home unit is now in one of these subtrees; null: the whole tenant. */
  unitPaths: readonly string[] | null;
  /** Vietnamese calendar days, both included: qualifications issued or revoked in the range. */
  from?: string;
  to?: string;
  status?: QualificationStatus;
  /** The day statuses refer to. */
  today: string;
}

/** Where a page starts: after this qualification in the list's order (issue day, then id). */
export interface QualificationCursor {
  issuedOn: string;
  id: string;
}

/** A qualification with its status today and where its holder belongs now. */
export interface QualificationRecord extends QualificationRow {
  status: QualificationStatus;
  /** The holder's home unit today; null when they have none. */
  unit: Unit | null;
  nationalIdLast4: string | null;
}

/** Cursors are opaque to clients: base64url of the sort key. */
export const encodeCursor = (cursor: QualificationCursor): string =>
  Buffer.from(JSON.stringify([cursor.issuedOn, cursor.id])).toString('base64url');

/** The cursor a client sent back, or null when it is not one of ours. */
export function decodeCursor(text: string): QualificationCursor | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return null;
    const [issuedOn, id] = value as unknown[];
    if (typeof issuedOn !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(issuedOn)) return null;
    return typeof id === 'string' && id.length <= 64 ? { issuedOn, id } : null;
  } catch {
    return null;
  }
}

/** The first instant (UTC, as stored) of a Vietnamese calendar day: Vietnam is UTC+7 all year. */
const dayStartIso = (day: string) => new Date(`${day}T00:00:00+07:00`).toISOString();
const nextDayStartIso = (day: string) =>
  new Date(Date.parse(`${day}T00:00:00+07:00`) + 24 * 3600 * 1000).toISOString();

type Eb = ExpressionBuilder<Database, 'qualifications'>;

function statusCondition(eb: Eb, status: QualificationStatus, today: string): Expression<SqlBool> {
  switch (status) {
    case 'revoked':
      return eb('revokedAt', 'is not', null);
    case 'expired':
      return eb.and([eb('revokedAt', 'is', null), eb('expiresOn', '<=', today)]);
    case 'valid':
      return eb.and([
        eb('revokedAt', 'is', null),
        eb.or([eb('expiresOn', 'is', null), eb('expiresOn', '>', today)]),
      ]);
  }
}

/** Issued in the range, or revoked in it: a receiving system asking for a period gets both. */
function periodCondition(eb: Eb, from: string | undefined, to: string | undefined): Expression<SqlBool> {
  const issued = [...(from ? [eb('issuedOn', '>=', from)] : []), ...(to ? [eb('issuedOn', '<=', to)] : [])];
  const revoked = [
    eb('revokedAt', 'is not', null),
    ...(from ? [eb('revokedAt', '>=', dayStartIso(from))] : []),
    ...(to ? [eb('revokedAt', '<', nextDayStartIso(to))] : []),
  ];
  return eb.or([eb.and(issued), eb.and(revoked)]);
}

function filtered(db: Db, filter: QualificationFilter) {
  const q = db.kysely;
  let query = q
    .selectFrom('qualifications')
    .where('tenantId', '=', filter.tenantId)
    .where('accountId', 'in', holdersQuery(q, filter.tenantId, filter.unitPaths));
  if (filter.from || filter.to) query = query.where((eb) => periodCondition(eb, filter.from, filter.to));
  if (filter.status) {
    const status = filter.status;
    query = query.where((eb) => statusCondition(eb, status, filter.today));
  }
  return query;
}

/**
 * One page of the qualifications a filter selects, oldest issue first, starting after `after`
 * (keyset pagination: a page never shifts when others are issued meanwhile) or at `offset`.
 *
 * @example
 * const first = await listQualifications(db, filter, { limit: 100 });
 * const next = await listQualifications(db, filter, { limit: 100, after: first.at(-1) });
 */
export function listQualifications(
  db: Db,
  filter: QualificationFilter,
  page: { limit: number; after?: QualificationCursor | null; offset?: number },
): Promise<QualificationRow[]> {
  let query = filtered(db, filter).selectAll();
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('issuedOn', '>', after.issuedOn),
        eb.and([eb('issuedOn', '=', after.issuedOn), eb('id', '>', after.id)]),
      ]),
    );
  }
  return query
    .orderBy('issuedOn')
    .orderBy('id')
    .limit(page.limit)
    .offset(page.offset ?? 0)
    .execute();
}

/** How many qualifications a filter selects. */
export async function countQualifications(db: Db, filter: QualificationFilter): Promise<number> {
  const row = await filtered(db, filter)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** Every qualification a filter selects, a batch at a time, so an export never holds them all. */
export async function* allQualifications(
  db: Db,
  org: OrgService,
  filter: QualificationFilter,
  batch = 500,
): AsyncGenerator<QualificationRecord> {
  let after: QualificationCursor | null = null;
  for (;;) {
    const rows = await listQualifications(db, filter, { limit: batch, after });
    yield* await withHolders(db, org, filter.today, rows);
    const last = rows.at(-1);
    if (!last || rows.length < batch) return;
    after = { issuedOn: last.issuedOn, id: last.id };
  }
}

/** Adds the status on `today` and the holder's unit and masked ID to rows of one tenant. */
export async function withHolders(
  db: Db,
  org: OrgService,
  today: string,
  rows: QualificationRow[],
): Promise<QualificationRecord[]> {
  const tenantId = rows[0]?.tenantId;
  if (!tenantId) return [];
  const facts = await holderFacts(
    db.kysely,
    tenantId,
    rows.map((r) => r.accountId),
  );
  const units = await org.unitsByIds(
    tenantId,
    [...facts.values()].flatMap((f) => (f.homeUnitId ? [f.homeUnitId] : [])),
  );
  return rows.map((row) => {
    const holder = facts.get(row.accountId);
    return {
      ...row,
      status: qualificationStatus(row, today),
      unit: (holder?.homeUnitId && units.get(holder.homeUnitId)) || null,
      nationalIdLast4: holder?.nationalIdLast4 ?? null,
    };
  });
}

/**
 * A qualification by its code, in any tenant: the code on the paper is all a verifier has.
 * Codes are matched as printed, ignoring case and surrounding spaces.
 */
export async function qualificationByCode(db: Db, code: string): Promise<QualificationRow | null> {
  const row = await db.kysely
    .selectFrom('qualifications')
    .selectAll()
    .where('code', '=', code.trim().toUpperCase())
    .executeTakeFirst();
  return row ?? null;
}

/** A qualification of one tenant by its code (another tenant's does not exist here). */
export async function tenantQualification(
  db: Db,
  tenantId: string,
  code: string,
): Promise<QualificationRow | null> {
  const row = await qualificationByCode(db, code);
  return row && row.tenantId === tenantId ? row : null;
}
