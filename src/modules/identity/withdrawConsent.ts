/**
 * A person withdraws the basis for one kind of optional data: the data is removed and the
 * withdrawal recorded with its time, in one transaction with its audit event.
 */
import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { CONSENT_DATA, type ConsentPurpose, isConsentPurpose } from './consents.js';
import { type AccountRow, identityRepository as repo } from './repository.js';

/** The columns that hold each kind of optional data. */
const DATA_OF: Record<ConsentPurpose, Partial<AccountRow>> = {
  birth_year: { birthYear: null },
  national_id: { nationalIdHash: null, nationalIdLast4: null },
};

export async function withdrawConsent(
  ctx: Pick<AppContext, 'db' | 'audit'>,
  actor: Actor,
  purpose: string,
): Promise<void> {
  if (!isConsentPurpose(purpose)) throw validationFailed({}, 'Không rõ bạn muốn rút lại đồng ý nào.');
  const now = nowIso();
  await inTransaction(ctx.db, async (tx) => {
    await repo.updateAccount(tx.kysely, actor.accountId, { ...DATA_OF[purpose], updatedAt: now });
    await repo.withdrawConsents(tx.kysely, actor.accountId, purpose, now);
    await ctx.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'consent.withdrawn',
      subject: { type: 'account', id: actor.accountId, label: actor.fullName },
      unitId: actor.homeUnitId,
      details: { purpose, data: CONSENT_DATA[purpose] },
    });
  });
}
