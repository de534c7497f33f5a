import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Actor, Grant, Role } from '../../access/actor.js';
import { type Db, inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { AppError, conflict, notFound, validationFailed } from '../../errors.js';
import type { AuditService } from '../audit/service.js';
import type { OrgService, PlacedUnit } from '../org/service.js';
import { checkSignup, normalizeEmail, passwordProblem, type SignupInput } from './accountInput.js';
import { BLOCKS, type Block } from './blocks.js';
import { loginAttemptKey } from './loginAttemptKey.js';
import { hashPassword, verifyDecoy, verifyPassword } from './password.js';
import { formatPhone, normalizePhone } from './phone.js';
import { type AccountRow, identityRepository as repo } from './repository.js';

const SESSION_DAYS = 30;
const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
/** Failed log-ins allowed per account identifier, and per client address, within the window. */
export const MAX_FAILURES_PER_IDENTIFIER = 5;
export const MAX_FAILURES_PER_IP = 50;

/** An account as pages and the API show it (never the password hash). */
export interface AccountView {
  id: string;
  tenantId: string;
  fullName: string;
  phone: string | null;
  email: string | null;
  block: Block;
  blockLabel: string;
  homeUnit: PlacedUnit | null;
  roles: { role: Role; unit: string | null }[];
}

/** Called after people change; `accountIds` null when anyone in the tenant may have (an import). */
export type PeopleListener = (tenantId: string, accountIds: string[] | null) => Promise<void>;

export interface SignedIn {
  actor: Actor;
  tokenHash: string;
}

export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');

export class IdentityService {
  constructor(
    private readonly db: Db,
    private readonly org: OrgService,
    private readonly audit: AuditService,
    /** The app secret, for keyed hashes of log-in identifiers. */
    private readonly secret: string,
  ) {}

  private readonly peopleListeners: PeopleListener[] = [];

  /** Lets another module follow people joining, moving, changing roles or leaving. */
  onPeopleChanged(listener: PeopleListener): void {
    this.peopleListeners.push(listener);
  }

  /** Tells the listeners that these people (null: anyone in the tenant) may have changed. */
  async peopleChanged(tenantId: string, accountIds: string[] | null): Promise<void> {
    for (const listener of this.peopleListeners) await listener(tenantId, accountIds);
  }

  /** Creates a learner's own account; the home unit must be a current unit of the tenant. */
  async signup(tenantId: string, input: SignupInput): Promise<AccountRow> {
    const account = await this.register(tenantId, input, false);
    await this.peopleChanged(tenantId, [account.id]);
    return account;
  }

  /** Creates an account with roles, for the CLI and the demo seed. */
  async createAccount(
    tenantId: string,
    input: SignupInput & { isDemo?: boolean; roles?: { role: Role; unitId: string | null }[] },
  ): Promise<AccountRow> {
    const account = await this.register(tenantId, input, input.isDemo ?? false);
    for (const { role, unitId } of input.roles ?? [])
      await this.grantRole(tenantId, account.id, role, unitId, null);
    if (!input.roles?.length) await this.peopleChanged(tenantId, [account.id]);
    return account;
  }

  private async register(tenantId: string, input: SignupInput, isDemo: boolean): Promise<AccountRow> {
    const { value, errors } = checkSignup(input);
    if (!value) throw validationFailed(errors);
    const home = await this.org.unit(tenantId, value.homeUnitId);
    if (!home) throw validationFailed({ homeUnitId: 'Đơn vị đã chọn không tồn tại.' });
    await this.ensureUnique(tenantId, value.phone, value.email);
    const now = nowIso();
    const account: AccountRow = {
      id: randomUUID(),
      tenantId,
      fullName: value.fullName,
      phone: value.phone,
      email: value.email,
      block: value.block,
      homeUnitId: home.id,
      position: null,
      nationalIdHash: null,
      nationalIdLast4: null,
      birthYear: null,
      passwordHash: await hashPassword(value.password),
      deletedAt: null,
      isDemo: isDemo ? 1 : 0,
      createdAt: now,
      updatedAt: now,
    };
    try {
      await repo.insertAccount(this.db.kysely, account);
    } catch (error) {
      // Two sign-ups with the same phone at once: the unique index decides, the loser is told.
      await this.ensureUnique(tenantId, value.phone, value.email);
      throw error;
    }
    return account;
  }

  private async ensureUnique(tenantId: string, phone: string | null, email: string | null): Promise<void> {
    if (phone && (await repo.accountByPhone(this.db.kysely, tenantId, phone))) {
      throw conflict({ phone: 'Số điện thoại này đã có tài khoản. Hãy đăng nhập.' }, 'Tài khoản đã tồn tại.');
    }
    if (email && (await repo.accountByEmail(this.db.kysely, tenantId, email))) {
      throw conflict({ email: 'Email này đã có tài khoản. Hãy đăng nhập.' }, 'Tài khoản đã tồn tại.');
    }
  }

  /** Grants a role; the grant and its audit event commit together. `grantedBy` null: the CLI or seed. */
  async grantRole(
    tenantId: string,
    accountId: string,
    role: Role,
    unitId: string | null,
    grantedBy: string | null,
  ) {
    const unit = unitId ? await this.org.unit(tenantId, unitId) : null;
    if (unitId && !unit) throw notFound('Không tìm thấy đơn vị phạm vi.');
    const [account, grantor] = await Promise.all([
      repo.accountById(this.db.kysely, tenantId, accountId),
      grantedBy ? repo.accountById(this.db.kysely, tenantId, grantedBy) : undefined,
    ]);
    if (!account) throw notFound('Không tìm thấy tài khoản.');
    if (grantedBy && !grantor) throw notFound('Không tìm thấy người cấp vai trò.');
    await inTransaction(this.db, async (tx) => {
      await repo.insertGrant(tx.kysely, {
        id: randomUUID(),
        tenantId,
        accountId,
        role,
        unitId,
        grantedAt: nowIso(),
        grantedBy,
      });
      await this.audit.record(tx, {
        tenantId,
        actor: grantor ? { accountId: grantor.id, fullName: grantor.fullName } : null,
        action: 'role.granted',
        subject: { type: 'account', id: account.id, label: account.fullName },
        unitId,
        details: { role, unitId, scope: unit?.fullName ?? null },
      });
    });
    await this.peopleChanged(tenantId, [accountId]);
  }

  /** Takes a role back; the removal and its audit event commit together. */
  async revokeRole(tenantId: string, grantId: string, revokedBy: string): Promise<void> {
    const [grant, revoker] = await Promise.all([
      repo.grantById(this.db.kysely, tenantId, grantId),
      repo.accountById(this.db.kysely, tenantId, revokedBy),
    ]);
    if (!grant) throw notFound('Không tìm thấy vai trò này.');
    if (!revoker) throw notFound('Không tìm thấy người thu hồi vai trò.');
    const [account, unit] = await Promise.all([
      repo.accountById(this.db.kysely, tenantId, grant.accountId),
      grant.unitId ? this.org.unit(tenantId, grant.unitId) : undefined,
    ]);
    await inTransaction(this.db, async (tx) => {
      await repo.deleteGrant(tx.kysely, tenantId, grantId);
      await this.audit.record(tx, {
        tenantId,
        actor: { accountId: revoker.id, fullName: revoker.fullName },
        action: 'role.revoked',
        subject: { type: 'account', id: grant.accountId, label: account?.fullName ?? '' },
        unitId: grant.unitId,
        details: { role: grant.role, unitId: grant.unitId, scope: unit?.fullName ?? null },
      });
    });
    await this.peopleChanged(tenantId, [grant.accountId]);
  }

  /** The account with this phone number or email in the tenant, as a person would type either. */
  async accountByIdentifier(tenantId: string, text: string): Promise<AccountRow | undefined> {
    const phone = normalizePhone(text);
    if (phone) return repo.accountByPhone(this.db.kysely, tenantId, phone);
    const email = normalizeEmail(text);
    return email ? repo.accountByEmail(this.db.kysely, tenantId, email) : undefined;
  }

  /** A grant of the tenant, or undefined. */
  grant(tenantId: string, grantId: string) {
    return repo.grantById(this.db.kysely, tenantId, grantId);
  }

  /** Every role grant of the tenant, with the holder's name, newest first. */
  grants(tenantId: string) {
    return repo.grantsOfTenant(this.db.kysely, tenantId);
  }

  /**
   * Checks a phone number or email with its password. Too many failures for one identifier or
   * from one address within 15 minutes lock further tries, whether the password is right or not.
   */
  async login(tenantId: string, identifierText: string, password: string, ip: string): Promise<AccountRow> {
    const identifier =
      normalizePhone(identifierText) ?? normalizeEmail(identifierText) ?? identifierText.trim();
    const now = new Date();
    const since = new Date(now.getTime() - THROTTLE_WINDOW_MS).toISOString();
    const q = this.db.kysely;
    const [byIdentifier, byIp] = await Promise.all([
      repo.failedAttemptsSince(q, since, { tenantId, identifier: loginAttemptKey(this.secret, identifier) }),
      repo.failedAttemptsSince(q, since, { ip }),
    ]);
    if (byIdentifier >= MAX_FAILURES_PER_IDENTIFIER || byIp >= MAX_FAILURES_PER_IP) {
      throw new AppError(
        429,
        'too_many_attempts',
        'Bạn đã đăng nhập sai quá nhiều lần. Vui lòng thử lại sau 15 phút.',
      );
    }
    const account = identifier.startsWith('+84')
      ? await repo.accountByPhone(q, tenantId, identifier)
      : await repo.accountByEmail(q, tenantId, identifier);
    const ok = account ? await verifyPassword(account.passwordHash, password) : await verifyDecoy(password);
    await repo.insertLoginAttempt(q, {
      id: randomUUID(),
      tenantId,
      identifier: loginAttemptKey(this.secret, identifier),
      ip,
      succeeded: ok ? 1 : 0,
      attemptedAt: now.toISOString(),
    });
    if (!ok || !account) {
      throw new AppError(401, 'invalid_credentials', 'Số điện thoại/email hoặc mật khẩu không đúng.', {
        identifier: 'Số điện thoại/email hoặc mật khẩu không đúng.',
      });
    }
    await repo.deleteAttemptsBefore(q, new Date(now.getTime() - 24 * 3600 * 1000).toISOString());
    return account;
  }

  /** Opens a session; returns the token for the cookie (only its hash is stored). */
  async startSession(account: AccountRow): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const now = new Date();
    await repo.insertSession(this.db.kysely, {
      tokenHash: hashToken(token),
      tenantId: account.tenantId,
      accountId: account.id,
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + SESSION_DAYS * 24 * 3600 * 1000).toISOString(),
    });
    return token;
  }

  /** The actor behind a session cookie, if the session is live and belongs to this tenant. */
  async signedIn(tenantId: string, token: string): Promise<SignedIn | null> {
    const tokenHash = hashToken(token);
    const rows = await repo.sessionWithAccount(this.db.kysely, tokenHash);
    const found = rows[0];
    if (!found || found.sessionTenantId !== tenantId || found.tenantId !== tenantId) return null;
    if (found.expiresAt <= nowIso()) {
      await repo.deleteSession(this.db.kysely, tokenHash);
      return null;
    }
    const { sessionTenantId: _, expiresAt: __, grantRole: ___, grantUnitId: ____, ...account } = found;
    const grants = rows.flatMap((r) => (r.grantRole ? [{ role: r.grantRole, unitId: r.grantUnitId }] : []));
    return { actor: await this.actorWith(account, grants), tokenHash };
  }

  /** The roles a person holds, anywhere in the tenant. */
  async rolesOf(accountId: string): Promise<string[]> {
    return (await repo.grantsOf(this.db.kysely, accountId)).map((g) => g.role);
  }

  async actorOf(account: AccountRow): Promise<Actor> {
    return this.actorWith(account, await repo.grantsOf(this.db.kysely, account.id));
  }

  private async actorWith(
    account: AccountRow,
    grants: { role: string; unitId: string | null }[],
  ): Promise<Actor> {
    const units = await this.org.unitsByIds(
      account.tenantId,
      grants.flatMap((g) => (g.unitId ? [g.unitId] : [])),
    );
    return {
      accountId: account.id,
      tenantId: account.tenantId,
      fullName: account.fullName,
      block: account.block,
      homeUnitId: account.homeUnitId,
      // A scoped grant whose unit cannot be found covers nothing, rather than the whole tenant.
      grants: grants.flatMap((g): Grant[] => {
        if (!g.unitId) return [{ role: g.role as Role, unitPath: null }];
        const unit = units.get(g.unitId);
        return unit ? [{ role: g.role as Role, unitPath: unit.path }] : [];
      }),
    };
  }

  async logout(tokenHash: string): Promise<void> {
    await repo.deleteSession(this.db.kysely, tokenHash);
  }

  /** Changes the password after checking the current one, and signs out every other session. */
  async changePassword(signedIn: SignedIn, currentPassword: string, newPassword: string): Promise<void> {
    const account = await repo.accountById(this.db.kysely, signedIn.actor.tenantId, signedIn.actor.accountId);
    if (!account) throw notFound();
    const problem = passwordProblem(newPassword);
    if (!(await verifyPassword(account.passwordHash, currentPassword))) {
      throw validationFailed({ currentPassword: 'Mật khẩu hiện tại không đúng.' });
    }
    if (problem) throw validationFailed({ newPassword: problem });
    const now = nowIso();
    await this.db.kysely.transaction().execute(async (trx) => {
      await repo.setPasswordHash(trx, account.id, await hashPassword(newPassword), now);
      await repo.deleteOtherSessions(trx, account.id, signedIn.tokenHash);
    });
  }

  /** The consents and other bases for an account's optional data, withdrawn ones too. */
  consentsOf(accountId: string) {
    return repo.consentsOf(this.db.kysely, accountId);
  }

  async account(tenantId: string, id: string): Promise<AccountRow | undefined> {
    return repo.accountById(this.db.kysely, tenantId, id);
  }

  /** Accounts of the tenant by id, for a page's worth of people (a class roster, a list). */
  async accounts(tenantId: string, ids: readonly string[]): Promise<Map<string, AccountRow>> {
    const unique = [...new Set(ids)];
    const rows = unique.length === 0 ? [] : await repo.accountsByIds(this.db.kysely, tenantId, unique);
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** People whose home unit lies in the subtree at `unitPath`, a page at a time. */
  async membersOfSubtree(
    tenantId: string,
    unitPath: string,
    page: number,
    pageSize: number,
  ): Promise<AccountRow[]> {
    const unitIds = await this.org.subtreeIds(tenantId, unitPath);
    return repo.accountsByHomeUnits(this.db.kysely, tenantId, unitIds, pageSize, (page - 1) * pageSize);
  }

  /**
   * How many people have each of these units as their home unit (units without people are absent).
   * A deleted account is nobody's any more: its learning still counts in reports, not here.
   */
  async memberCountsByUnit(tenantId: string, unitIds: string[]): Promise<Map<string, number>> {
    if (unitIds.length === 0) return new Map();
    const rows = await this.db.kysely
      .selectFrom('accounts')
      .select(['homeUnitId'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenantId', '=', tenantId)
      .where('homeUnitId', 'in', unitIds)
      .where('deletedAt', 'is', null)
      .groupBy('homeUnitId')
      .execute();
    return new Map(rows.map((r) => [r.homeUnitId as string, Number(r.n)]));
  }

  async view(account: AccountRow): Promise<AccountView> {
    return (await this.views(account.tenantId, [account]))[0] as AccountView;
  }

  /** Views of several accounts of one tenant, with a fixed number of queries whatever their count. */
  async views(tenantId: string, accounts: AccountRow[]): Promise<AccountView[]> {
    const grants = await repo.grantsOfAccounts(
      this.db.kysely,
      accounts.map((a) => a.id),
    );
    const scopes = await this.org.unitsByIds(
      tenantId,
      grants.flatMap((g) => (g.unitId ? [g.unitId] : [])),
    );
    const homes = await this.org.placeUnitsByIds(
      tenantId,
      accounts.flatMap((a) => (a.homeUnitId ? [a.homeUnitId] : [])),
    );
    return accounts.map((account) => ({
      id: account.id,
      tenantId: account.tenantId,
      fullName: account.fullName,
      phone: account.phone && formatPhone(account.phone),
      email: account.email,
      block: account.block as Block,
      blockLabel: BLOCKS[account.block as Block] ?? account.block,
      homeUnit: (account.homeUnitId && homes.get(account.homeUnitId)) || null,
      roles: grants
        .filter((g) => g.accountId === account.id)
        .map((g) => ({
          role: g.role as Role,
          unit: g.unitId ? (scopes.get(g.unitId)?.fullName ?? null) : null,
        })),
    }));
  }

  async hasDemoAccounts(): Promise<boolean> {
    return (await repo.countDemoAccounts(this.db.kysely)) > 0;
  }
}
