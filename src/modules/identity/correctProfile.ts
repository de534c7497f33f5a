/**
 * A person corrects their own profile (the right to correction): name, contact details, home
 * unit, and the optional data they consent to. One transaction writes the account, the consent
 * records and the audit event.
 */
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { conflict, notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { type ConsentPurpose, type ConsentRow, selfConsent } from './consents.js';
import { checkProfile, type ProfileInput } from './profileInput.js';
import { type AccountRow, identityRepository as repo } from './repository.js';
import { nationalIdKey } from './rosterNationalId.js';

type Ctx = Pick<AppContext, 'db' | 'config' | 'org' | 'audit' | 'identity'>;
type Changes = Partial<Omit<AccountRow, 'id' | 'tenantId'>>;

/** How the audit event names each corrected field (never with its value). */
const FIELD_LABELS: Record<string, string> = {
  fullName: 'họ và tên',
  phone: 'số điện thoại',
  email: 'email',
  homeUnitId: 'đơn vị',
  birthYear: 'năm sinh',
  nationalIdHash: 'số CCCD',
};

/**
 * Applies a correction; throws a validation error (400) or a conflict (409, a phone, email or
 * CCCD another account holds) and changes nothing then.
 */
export async function correctProfile(ctx: Ctx, actor: Actor, input: ProfileInput): Promise<void> {
  const { value, errors } = checkProfile(input, new Date().getFullYear());
  if (!value) throw validationFailed(errors);
  const { tenantId, accountId } = actor;
  const q = ctx.db.kysely;
  const account = await repo.accountById(q, tenantId, accountId);
  if (!account) throw notFound('Không tìm thấy tài khoản.');
  if (!(await ctx.org.unit(tenantId, value.homeUnitId)))
    throw validationFailed({ homeUnitId: 'Đơn vị đã chọn không tồn tại.' });
  const idKey = value.nationalId ? nationalIdKey(ctx.config.secret, value.nationalId) : null;

  const changes: Changes = {};
  for (const field of ['fullName', 'phone', 'email', 'homeUnitId', 'birthYear'] as const) {
    if (value[field] !== account[field]) Object.assign(changes, { [field]: value[field] });
  }
  if (idKey && idKey.hash !== account.nationalIdHash) {
    changes.nationalIdHash = idKey.hash;
    changes.nationalIdLast4 = idKey.last4;
  }
  await ensureFree(ctx, account, changes);

  const consents = await repo.consentsOf(q, accountId);
  const active = (purpose: ConsentPurpose) =>
    consents.find((c) => c.purpose === purpose && c.withdrawnAt === null && c.source === 'self');
  const now = nowIso();
  const granted: ConsentRow[] = [];
  const withdrawn: ConsentPurpose[] = [];
  if (value.birthYear !== null && !active('birth_year'))
    granted.push(selfConsent(tenantId, accountId, 'birth_year', now));
  if (value.birthYear === null && account.birthYear !== null) withdrawn.push('birth_year');
  // A new CCCD replaces the old one and whatever basis it was held on.
  if (changes.nationalIdHash) {
    withdrawn.push('national_id');
    granted.push(selfConsent(tenantId, accountId, 'national_id', now));
  }

  const fields = Object.keys(changes).flatMap((f) => FIELD_LABELS[f] ?? []);
  if (fields.length === 0 && granted.length === 0) return;
  try {
    await inTransaction(ctx.db, async (tx) => {
      if (fields.length > 0) await repo.updateAccount(tx.kysely, accountId, { ...changes, updatedAt: now });
      for (const purpose of withdrawn) await repo.withdrawConsents(tx.kysely, accountId, purpose, now);
      await repo.insertConsents(tx.kysely, granted);
      await ctx.audit.record(tx, {
        tenantId,
        actor,
        action: 'profile.corrected',
        subject: { type: 'account', id: accountId, label: value.fullName },
        unitId: value.homeUnitId,
        details: { fields: fields.join(', ') || 'đồng ý cung cấp dữ liệu' },
      });
    });
  } catch (error) {
    // Two corrections to the same phone at once: the unique index decides, the loser is told.
    await ensureFree(ctx, account, changes);
    throw error;
  }
  // A new unit may put the person in (or out of) an assignment's audience.
  if (changes.homeUnitId !== undefined) await ctx.identity.peopleChanged(tenantId, [accountId]);
}

/** Refuses a phone, email or CCCD that another account of the tenant holds. */
async function ensureFree(ctx: Ctx, account: AccountRow, changes: Changes): Promise<void> {
  const q = ctx.db.kysely;
  const taken = async (found: Promise<AccountRow | undefined>) => {
    const holder = await found;
    return holder !== undefined && holder.id !== account.id;
  };
  const problems: Record<string, string> = {};
  if (changes.phone && (await taken(repo.accountByPhone(q, account.tenantId, changes.phone))))
    problems.phone = 'Số điện thoại này đã thuộc về một tài khoản khác.';
  if (changes.email && (await taken(repo.accountByEmail(q, account.tenantId, changes.email))))
    problems.email = 'Email này đã thuộc về một tài khoản khác.';
  if (
    changes.nationalIdHash &&
    (await taken(repo.accountByNationalIdHash(q, account.tenantId, changes.nationalIdHash)))
  )
    problems.nationalId = 'Số CCCD này đã gắn với một tài khoản khác. Hãy liên hệ đơn vị của bạn.';
  if (Object.keys(problems).length > 0) throw conflict(problems, 'Không lưu được thay đổi.');
}
