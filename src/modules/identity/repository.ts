import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ConsentRow } from './consents.js';
import type { AccountTable, LoginAttemptTable, RoleGrantTable, SessionTable } from './tables.js';

export type AccountRow = Selectable<AccountTable>;
export type GrantRow = Selectable<RoleGrantTable>;
type Q = Kysely<Database> | Transaction<Database>;

export const identityRepository = {
  insertAccount: (q: Q, account: AccountRow) => q.insertInto('accounts').values(account).execute(),

  accountById: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('accounts')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  accountsByIds: (q: Q, tenantId: string, ids: readonly string[]) =>
    q.selectFrom('accounts').selectAll().where('tenantId', '=', tenantId).where('id', 'in', ids).execute(),

  accountByPhone: (q: Q, tenantId: string, phone: string) =>
    q
      .selectFrom('accounts')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('phone', '=', phone)
      .executeTakeFirst(),

  accountByEmail: (q: Q, tenantId: string, email: string) =>
    q
      .selectFrom('accounts')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('email', '=', email)
      .executeTakeFirst(),

  accountsByHomeUnits: (q: Q, tenantId: string, unitIds: string[], limit: number, offset: number) =>
    unitIds.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('accounts')
          .selectAll()
          .where('tenantId', '=', tenantId)
          .where('homeUnitId', 'in', unitIds)
          .where('deletedAt', 'is', null)
          .orderBy('fullName')
          .orderBy('id')
          .limit(limit)
          .offset(offset)
          .execute(),

  /**
   * Accounts of a tenant holding any of these phones, emails or CCCD hashes, with the path of
   * their home unit: three indexed lookups for a whole chunk of roster rows (one query with OR
   * scans the whole table on SQLite).
   */
  accountsMatching: async (
    q: Q,
    tenantId: string,
    keys: { phones: string[]; emails: string[]; idHashes: string[] },
  ) => {
    const lookups = [
      ['accounts.phone', keys.phones],
      ['accounts.email', keys.emails],
      ['accounts.nationalIdHash', keys.idHashes],
    ] as const;
    const found = new Map<string, AccountRow & { homeUnitPath: string | null }>();
    for (const [column, values] of lookups) {
      if (values.length === 0) continue;
      const rows = await q
        .selectFrom('accounts')
        .leftJoin('orgUnits', 'orgUnits.id', 'accounts.homeUnitId')
        .selectAll('accounts')
        .select('orgUnits.path as homeUnitPath')
        .where('accounts.tenantId', '=', tenantId)
        .where(column, 'in', values)
        .execute();
      for (const row of rows) found.set(row.id, row);
    }
    return [...found.values()];
  },

  insertAccounts: (q: Q, accounts: AccountRow[]) =>
    accounts.length === 0 ? Promise.resolve() : q.insertInto('accounts').values(accounts).execute(),

  updateAccount: (q: Q, accountId: string, changes: Partial<Omit<AccountRow, 'id' | 'tenantId'>>) =>
    q.updateTable('accounts').set(changes).where('id', '=', accountId).execute(),

  setPasswordHash: (q: Q, accountId: string, passwordHash: string, now: string) =>
    q.updateTable('accounts').set({ passwordHash, updatedAt: now }).where('id', '=', accountId).execute(),

  countDemoAccounts: async (q: Q) =>
    Number(
      (
        await q
          .selectFrom('accounts')
          .select((eb) => eb.fn.countAll().as('n'))
          .where('isDemo', '=', 1)
          .executeTakeFirstOrThrow()
      ).n,
    ),

  insertGrant: (q: Q, grant: GrantRow) => q.insertInto('roleGrants').values(grant).execute(),

  grantById: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('roleGrants')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  deleteGrant: (q: Q, tenantId: string, id: string) =>
    q.deleteFrom('roleGrants').where('tenantId', '=', tenantId).where('id', '=', id).executeTakeFirst(),

  /** Every grant of a tenant with the holder's name, newest first. */
  grantsOfTenant: (q: Q, tenantId: string) =>
    q
      .selectFrom('roleGrants')
      .innerJoin('accounts', 'accounts.id', 'roleGrants.accountId')
      .selectAll('roleGrants')
      .select(['accounts.fullName', 'accounts.homeUnitId'])
      .where('roleGrants.tenantId', '=', tenantId)
      .orderBy('roleGrants.grantedAt', 'desc')
      .execute(),

  grantsOfAccounts: (q: Q, accountIds: string[]) =>
    accountIds.length === 0
      ? Promise.resolve([])
      : q.selectFrom('roleGrants').selectAll().where('accountId', 'in', accountIds).execute(),

  grantsOf: (q: Q, accountId: string) =>
    q.selectFrom('roleGrants').selectAll().where('accountId', '=', accountId).execute(),

  insertSession: (q: Q, session: Selectable<SessionTable>) =>
    q.insertInto('sessions').values(session).execute(),

  sessionByTokenHash: (q: Q, tokenHash: string) =>
    q.selectFrom('sessions').selectAll().where('tokenHash', '=', tokenHash).executeTakeFirst(),

  /**
   * A session with its account and role grants in one query (one row per grant, or one row
   * without a grant): this runs on every signed-in request.
   */
  sessionWithAccount: (q: Q, tokenHash: string) =>
    q
      .selectFrom('sessions')
      .innerJoin('accounts', 'accounts.id', 'sessions.accountId')
      .leftJoin('roleGrants', 'roleGrants.accountId', 'accounts.id')
      .selectAll('accounts')
      .select([
        'sessions.tenantId as sessionTenantId',
        'sessions.expiresAt',
        'roleGrants.role as grantRole',
        'roleGrants.unitId as grantUnitId',
      ])
      .where('sessions.tokenHash', '=', tokenHash)
      .execute(),

  deleteSession: (q: Q, tokenHash: string) =>
    q.deleteFrom('sessions').where('tokenHash', '=', tokenHash).execute(),

  deleteOtherSessions: (q: Q, accountId: string, keepTokenHash: string) =>
    q
      .deleteFrom('sessions')
      .where('accountId', '=', accountId)
      .where('tokenHash', '!=', keepTokenHash)
      .execute(),

  deleteExpiredSessions: (q: Q, now: string) =>
    q.deleteFrom('sessions').where('expiresAt', '<=', now).execute(),

  insertLoginAttempt: (q: Q, attempt: Selectable<LoginAttemptTable>) =>
    q.insertInto('loginAttempts').values(attempt).execute(),

  failedAttemptsSince: async (
    q: Q,
    since: string,
    by: { tenantId: string; identifier: string } | { ip: string },
  ) => {
    let query = q
      .selectFrom('loginAttempts')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('succeeded', '=', 0)
      .where('attemptedAt', '>', since);
    query =
      'ip' in by
        ? query.where('ip', '=', by.ip)
        : query.where('tenantId', '=', by.tenantId).where('identifier', '=', by.identifier);
    return Number((await query.executeTakeFirstOrThrow()).n);
  },

  deleteAttemptsBefore: (q: Q, before: string) =>
    q.deleteFrom('loginAttempts').where('attemptedAt', '<', before).execute(),

  insertConsents: (q: Q, consents: ConsentRow[]) =>
    consents.length === 0 ? Promise.resolve() : q.insertInto('consents').values(consents).execute(),

  /** Every consent of an account, withdrawn ones too, oldest first. */
  consentsOf: (q: Q, accountId: string) =>
    q
      .selectFrom('consents')
      .selectAll()
      .where('accountId', '=', accountId)
      .orderBy('grantedAt')
      .orderBy('id')
      .execute(),

  withdrawConsents: (q: Q, accountId: string, purpose: string, now: string) =>
    q
      .updateTable('consents')
      .set({ withdrawnAt: now })
      .where('accountId', '=', accountId)
      .where('purpose', '=', purpose)
      .where('withdrawnAt', 'is', null)
      .execute(),

  deleteConsentsOf: (q: Q, accountId: string) =>
    q.deleteFrom('consents').where('accountId', '=', accountId).execute(),

  accountByNationalIdHash: (q: Q, tenantId: string, hash: string) =>
    q
      .selectFrom('accounts')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('nationalIdHash', '=', hash)
      .executeTakeFirst(),

  sessionsOf: (q: Q, accountId: string) =>
    q
      .selectFrom('sessions')
      .select(['createdAt', 'expiresAt'])
      .where('accountId', '=', accountId)
      .orderBy('createdAt')
      .execute(),

  deleteSessionsOf: (q: Q, accountId: string) =>
    q.deleteFrom('sessions').where('accountId', '=', accountId).execute(),

  deleteGrantsOf: (q: Q, accountId: string) =>
    q.deleteFrom('roleGrants').where('accountId', '=', accountId).execute(),

  /** Log-in attempts made with any of these identifier keys (see loginAttemptKey), oldest first. */
  attemptsWith: (q: Q, tenantId: string, identifiers: string[]) =>
    identifiers.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('loginAttempts')
          .select(['ip', 'succeeded', 'attemptedAt'])
          .where('tenantId', '=', tenantId)
          .where('identifier', 'in', identifiers)
          .orderBy('attemptedAt')
          .execute(),

  deleteAttemptsWith: (q: Q, tenantId: string, identifiers: string[]) =>
    identifiers.length === 0
      ? Promise.resolve()
      : q
          .deleteFrom('loginAttempts')
          .where('tenantId', '=', tenantId)
          .where('identifier', 'in', identifiers)
          .execute(),
};
