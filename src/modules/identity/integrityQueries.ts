import { createHmac } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { loginAttemptKey } from './loginAttemptKey.js';

/**
 * Read-only views of identity data for the integrity signals of the reports module
 * (reports/integritySignals.ts). Client addresses never leave this module: a sign-in's address
 * is given as a keyed hash (app secret), enough to see that two sign-ins came from the same
 * network and no way to read the address back.
 */

export interface SignInPlace {
  accountId: string;
  /** Keyed hash of the client address the person signed in from. */
  place: string;
  at: string;
}

const ID_BATCH = 2000;

/** The names of these accounts of the tenant (a deleted person's anonymised name), by id. */
export async function peopleNames(
  db: Db,
  tenantId: string,
  accountIds: string[],
): Promise<Map<string, string>> {
  const unique = [...new Set(accountIds)];
  const out = new Map<string, string>();
  for (let at = 0; at < unique.length; at += ID_BATCH) {
    const rows = await db.kysely
      .selectFrom('accounts')
      .select(['id', 'fullName'])
      .where('tenantId', '=', tenantId)
      .where('id', 'in', unique.slice(at, at + ID_BATCH))
      .execute();
    for (const row of rows) out.set(row.id, row.fullName);
  }
  return out;
}

/**
 * The earliest successful sign-in the tenant's log still holds, or null. The log exists to slow
 * down password guessing and is cut to its last 24 hours at each successful sign-in, so nothing
 * older can be known.
 */
export async function oldestSignIn(db: Db, tenantId: string): Promise<string | null> {
  const row = await db.kysely
    .selectFrom('loginAttempts')
    .select((eb) => eb.fn.min('attemptedAt').as('at'))
    .where('tenantId', '=', tenantId)
    .where('succeeded', '=', 1)
    .executeTakeFirst();
  return row?.at ? String(row.at) : null;
}

/**
 * Every successful sign-in the log still holds of these accounts, oldest first, with where it
 * came from as a keyed hash. The log stores the phone or email typed as a keyed hash too
 * (loginAttemptKey), so each account is found by the keys of its own phone and email.
 */
export async function signInPlaces(
  db: Db,
  secret: string,
  tenantId: string,
  accountIds: string[],
): Promise<SignInPlace[]> {
  const unique = [...new Set(accountIds)];
  const ownerOf = new Map<string, string>();
  for (let at = 0; at < unique.length; at += ID_BATCH) {
    const accounts = await db.kysely
      .selectFrom('accounts')
      .select(['id', 'phone', 'email'])
      .where('tenantId', '=', tenantId)
      .where('id', 'in', unique.slice(at, at + ID_BATCH))
      .execute();
    for (const account of accounts) {
      for (const identifier of [account.phone, account.email]) {
        if (identifier) ownerOf.set(loginAttemptKey(secret, identifier), account.id);
      }
    }
  }
  const keys = [...ownerOf.keys()];
  const out: SignInPlace[] = [];
  for (let at = 0; at < keys.length; at += ID_BATCH) {
    const rows = await db.kysely
      .selectFrom('loginAttempts')
      .select(['identifier', 'ip', 'attemptedAt'])
      .where('tenantId', '=', tenantId)
      .where('succeeded', '=', 1)
      .where('identifier', 'in', keys.slice(at, at + ID_BATCH))
      .execute();
    for (const row of rows) {
      out.push({
        accountId: ownerOf.get(row.identifier) as string,
        place: createHmac('sha256', secret).update(`sign-in-place:${row.ip}`).digest('hex'),
        at: row.attemptedAt,
      });
    }
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}
