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
  passwordHash: string;
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
  identifier: string;
  ip: string;
  succeeded: number;
  attemptedAt: string;
}

export interface IdentityTables {
  accounts: AccountTable;
  roleGrants: RoleGrantTable;
  sessions: SessionTable;
  loginAttempts: LoginAttemptTable;
}
