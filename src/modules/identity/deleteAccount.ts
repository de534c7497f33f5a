/**
 * A person deletes their account (the right to erasure). Their personal data goes; what they
 * learned stays as anonymous statistics, so unit reports remain true. One transaction:
 *
 * - deleted: sessions, role grants, consents, log-in attempts made with their phone or email,
 *   certificates (each names its holder);
 * - the account row stays, because learning events, lesson states, course progress and quiz
 *   attempts point at it, but every personal field is emptied: the name becomes
 *   `DELETED_NAME`, phone, email, CCCD, position and birth year are removed and the password
 *   can never match. Block and home unit stay: they are what unit figures are counted by;
 * - the audit log keeps every act but masks the name wherever it named the person, and
 *   records the deletion without a name.
 *
 * The phone and email are free to sign up with again afterwards; a later roster import
 * enrols the person as someone new.
 */
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { conflict, notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { notificationsRepository } from '../programs/notifications.js';
import { loginAttemptKey } from './loginAttemptKey.js';
import { verifyPassword } from './password.js';
import { identityRepository as repo } from './repository.js';

/** What the product shows, and the log says, instead of a deleted person's name. */
export const DELETED_NAME = 'Người dùng đã xóa';
/** Not an argon2 hash: no password ever verifies against it. */
const UNUSABLE_PASSWORD_HASH = '!deleted';
/** Roles whose last holder must not vanish with a click: someone has to run the tenant. */
const KEPT_ROLES = new Set(['tenantAdmin', 'platformAdmin']);

type Ctx = Pick<AppContext, 'config' | 'db' | 'audit' | 'learning' | 'identity'>;

/**
 * Deletes the actor's account after checking their password. Refuses (changing nothing) a
 * wrong password (400), a shared demo account, or an account holding an administrator role
 * (409: another administrator has to revoke it first).
 */
export async function deleteAccount(ctx: Ctx, actor: Actor, password: string): Promise<void> {
  const { tenantId, accountId } = actor;
  const account = await repo.accountById(ctx.db.kysely, tenantId, accountId);
  if (!account || account.deletedAt) throw notFound('Không tìm thấy tài khoản.');
  if (!(await verifyPassword(account.passwordHash, password))) {
    throw validationFailed(
      { password: 'Mật khẩu không đúng. Tài khoản của bạn chưa bị xóa.' },
      'Chưa xóa tài khoản.',
    );
  }
  if (account.isDemo) throw conflict({}, 'Tài khoản trình diễn dùng chung cho mọi người nên không xóa được.');
  const grants = await repo.grantsOf(ctx.db.kysely, accountId);
  if (grants.some((g) => KEPT_ROLES.has(g.role))) {
    throw conflict(
      {},
      'Bạn đang giữ vai trò quản trị. Hãy nhờ một quản trị viên khác thu hồi vai trò này trước khi xóa tài khoản.',
    );
  }
  const formerNames = (await ctx.learning.certificatesOf(accountId)).map((c) => c.learnerName);
  const identifiers = [account.phone, account.email]
    .filter((v): v is string => v !== null)
    .map((identifier) => loginAttemptKey(ctx.config.secret, identifier));
  const now = nowIso();

  await inTransaction(ctx.db, async (tx) => {
    const certificateIds = await ctx.learning.removeCertificatesOf(tx, accountId);
    await ctx.audit.forgetPerson(
      tx,
      { tenantId, accountId, names: [account.fullName, ...formerNames], certificateIds },
      DELETED_NAME,
    );
    await repo.deleteSessionsOf(tx.kysely, accountId);
    await repo.deleteGrantsOf(tx.kysely, accountId);
    await repo.deleteAttemptsWith(tx.kysely, tenantId, identifiers);
    await repo.deleteConsentsOf(tx.kysely, accountId);
    await notificationsRepository.deleteOf(tx.kysely, accountId);
    await repo.updateAccount(tx.kysely, accountId, {
      fullName: DELETED_NAME,
      phone: null,
      email: null,
      position: null,
      nationalIdHash: null,
      nationalIdLast4: null,
      birthYear: null,
      passwordHash: UNUSABLE_PASSWORD_HASH,
      deletedAt: now,
      updatedAt: now,
    });
    await ctx.audit.record(tx, {
      tenantId,
      actor: { accountId, fullName: DELETED_NAME },
      action: 'account.deleted',
      subject: { type: 'account', id: accountId, label: DELETED_NAME },
      unitId: account.homeUnitId,
      details: { rolesRevoked: grants.length, certificatesRemoved: certificateIds.length },
    });
  });
  await ctx.identity.peopleChanged(tenantId, [accountId]);
}
