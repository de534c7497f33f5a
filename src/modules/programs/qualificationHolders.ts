import type { Db } from '../../db/database.js';
import { type QualificationStatus, qualificationStatus } from './qualificationStatus.js';
import type { QualificationRow } from './repository.js';

/** Ids bound in one statement: well under SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const PEOPLE_PER_QUERY = 5_000;

const RANK: Record<QualificationStatus, number> = { valid: 0, expired: 1, revoked: 2 };

/** What a list of people needs of a qualification: whose, and where it stands on a day. */
export type HeldQualification = Pick<QualificationRow, 'accountId' | 'issuedOn' | 'expiresOn' | 'revokedAt'>;

/** True when `a` says more about its holder today than `b`: valid first, then the latest. */
function tellsMore(a: HeldQualification, b: HeldQualification, today: string): boolean {
  const [ra, rb] = [RANK[qualificationStatus(a, today)], RANK[qualificationStatus(b, today)]];
  if (ra !== rb) return ra < rb;
  if (ra === 0 && (a.expiresOn ?? '9999') !== (b.expiresOn ?? '9999'))
    return (a.expiresOn ?? '9999') > (b.expiresOn ?? '9999');
  return a.issuedOn > b.issuedOn;
}

/**
 * For each of these people of a tenant who ever held a qualification, the one that best tells
 * where they stand on `today`: a valid one (the longest-lasting) if any, else the latest. People
 * with none are absent. A batch read (one query per 5,000 people, reading only what a status
 * needs) for lists of people such as a team's members.
 *
 * @example
 * const held = await heldQualifications(db, tenantId, memberIds, todayInVietnam());
 * const guides = memberIds.filter((id) => { const q = held.get(id); return q && qualificationStatus(q, today) === 'valid'; });
 */
export async function heldQualifications(
  db: Db,
  tenantId: string,
  accountIds: readonly string[],
  today: string,
): Promise<Map<string, HeldQualification>> {
  const unique = [...new Set(accountIds)];
  const best = new Map<string, HeldQualification>();
  for (let at = 0; at < unique.length; at += PEOPLE_PER_QUERY) {
    // By person alone, then kept to the tenant: with the tenant in the query SQLite's planner
    // walks the tenant's whole index of issue days instead of looking up the few people.
    const rows = await db.kysely
      .selectFrom('qualifications')
      .select(['accountId', 'tenantId', 'issuedOn', 'expiresOn', 'revokedAt'])
      .where('accountId', 'in', unique.slice(at, at + PEOPLE_PER_QUERY))
      .execute();
    for (const { tenantId: holderTenant, ...row } of rows) {
      if (holderTenant !== tenantId) continue;
      const kept = best.get(row.accountId);
      if (!kept || tellsMore(row, kept, today)) best.set(row.accountId, row);
    }
  }
  return best;
}
