export interface AccountTable {
  id: string;
  tenantId: string;
  fullName: string;
  /** Normalised to +84…; unique within a tenant. */
  phone: string | null;
  /** Lower case; unique within a tenant. */
  email: string | null;
  block: string;
  homeUnitId: string | null;
  /** Chức vụ, from an HR roster; null for people who signed up themselves. */
  position: string | null;
  /**
   * HMAC-SHA-256 (app secret) of the 12-digit citizen ID (CCCD), unique within a tenant: it lets
   * a roster match a person again but can never be read back. The number itself is not stored.
   */
  nationalIdHash: string | null;
  /** The last four digits of the CCCD, for the masked display "********1234". */
  nationalIdLast4: string | null;
  /** Given only with the person's consent (see `consents`). */
  birthYear: number | null;
  passwordHash: string;
  /**
   * Set when the person had their account deleted: the row stays, anonymised, because learning
   * events point at it; nothing in it names the person any more.
   */
  deletedAt: string | null;
  /** Demo accounts have published passwords; a production start refuses to run with any. */
  isDemo: number;
  createdAt: string;
  updatedAt: string;
}

/** A role held over the subtree of `unitId` (the whole tenant when null). */
export interface RoleGrantTable {
  id: string;
  tenantId: string;
  accountId: string;
  role: string;
  unitId: string | null;
  grantedAt: string;
  grantedBy: string | null;
}

/** A signed-in session; only the SHA-256 of the cookie token is stored. */
export interface SessionTable {
  tokenHash: string;
  tenantId: string;
  accountId: string;
  createdAt: string;
  expiresAt: string;
}

export interface LoginAttemptTable {
  id: string;
  tenantId: string;
  /** The phone or email typed, as a keyed hash (loginAttemptKey): counted, never read back. */
  identifier: string;
  ip: string;
  succeeded: number;
  attemptedAt: string;
}

/**
 * The legal basis for one kind of optional personal data of an account, with its time: the
 * person's own consent (`self`), or the HR roster their unit imported (`roster`). Withdrawing
 * sets `withdrawnAt` and removes the data; the row stays as the record that it happened.
 */
export interface ConsentTable {
  id: string;
  tenantId: string;
  accountId: string;
  /** See `CONSENT_PURPOSES`. */
  purpose: string;
  source: string;
  grantedAt: string;
  withdrawnAt: string | null;
}

export interface IdentityTables {
  accounts: AccountTable;
  roleGrants: RoleGrantTable;
  sessions: SessionTable;
  loginAttempts: LoginAttemptTable;
  consents: ConsentTable;
}
