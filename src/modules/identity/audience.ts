import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Block } from './blocks.js';
import type { AccountRow } from './repository.js';

type Q = Kysely<Database> | Transaction<Database>;

/** Who an assignment is for: people of these blocks in a unit subtree, with a position or role. */
export interface AudienceCriteria {
  tenantId: string;
  /** Path of the unit whose subtree the audience lives in. */
  unitPath: string;
  /** Empty: every block. */
  blocks: Block[];
  /** The position (chức vụ) exactly as the roster writes it; null: any. */
  position: string | null;
  /** A role the person must hold (anywhere in the tenant); null: any. */
  role: string | null;
}

/** The exclusive upper bound of every path below `path` (which ends in "/"). */
const pathUpperBound = (path: string) => `${path.slice(0, -1)}0`;

/**
 * The ids of the people an audience holds, as a query other modules can nest (an insert of the
 * assignments it makes, a count): set-based, so a rule over 200,000 people is one statement.
 */
export function audienceQuery(q: Q, criteria: AudienceCriteria) {
  let query = q
    .selectFrom('accounts')
    .innerJoin('orgUnits', 'orgUnits.id', 'accounts.homeUnitId')
    .select('accounts.id as accountId')
    .where('accounts.tenantId', '=', criteria.tenantId)
    .where('accounts.deletedAt', 'is', null)
    .where('orgUnits.path', '>=', criteria.unitPath)
    .where('orgUnits.path', '<', pathUpperBound(criteria.unitPath));
  if (criteria.blocks.length > 0) query = query.where('accounts.block', 'in', criteria.blocks);
  if (criteria.position) query = query.where('accounts.position', '=', criteria.position);
  if (criteria.role) {
    const role = criteria.role;
    query = query.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('roleGrants')
          .select('roleGrants.id')
          .whereRef('roleGrants.accountId', '=', 'accounts.id')
          .where('roleGrants.role', '=', role),
      ),
    );
  }
  return query;
}

/** The same test for one person, in memory: the incremental path when someone joins or changes. */
export function inAudience(
  person: Pick<AccountRow, 'tenantId' | 'block' | 'position' | 'deletedAt'>,
  unitPath: string | null,
  roles: string[],
  criteria: AudienceCriteria,
): boolean {
  if (person.tenantId !== criteria.tenantId || person.deletedAt !== null || unitPath === null) return false;
  if (!unitPath.startsWith(criteria.unitPath)) return false;
  if (criteria.blocks.length > 0 && !criteria.blocks.includes(person.block as Block)) return false;
  if (criteria.position && person.position !== criteria.position) return false;
  return criteria.role === null || roles.includes(criteria.role);
}
