import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { conflict, notFound, validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { tenantQualification } from './qualifications.js';
import type { QualificationRow } from './repository.js';

export const REVOKE_REASON_LENGTH = { min: 5, max: 500 } as const;

/**
 * Revokes a qualification with a reason, in one transaction with its audit event: the
 * verification page, the holder's profile and every later export then show it as revoked.
 * The caller has checked `qualification.revoke`.
 */
export async function revokeQualification(
  ctx: AppContext,
  actor: Actor,
  tenantId: string,
  code: string,
  reason: string,
): Promise<QualificationRow> {
  const qualification = await tenantQualification(ctx.db, tenantId, code);
  if (!qualification) throw notFound('Không tìm thấy xác nhận đạt yêu cầu này.');
  const why = cleanText(reason);
  if (why.length < REVOKE_REASON_LENGTH.min || why.length > REVOKE_REASON_LENGTH.max) {
    throw validationFailed({
      reason: `Hãy ghi lý do thu hồi, từ ${REVOKE_REASON_LENGTH.min} đến ${REVOKE_REASON_LENGTH.max} ký tự.`,
    });
  }
  const revokedAt = nowIso();
  await inTransaction(ctx.db, async (tx) => {
    // Guarded by `revokedAt is null`, so two admins revoking at once record one revocation.
    const result = await tx.kysely
      .updateTable('qualifications')
      .set({ revokedAt, revokedReason: why })
      .where('id', '=', qualification.id)
      .where('revokedAt', 'is', null)
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) {
      throw conflict({}, 'Xác nhận này đã bị thu hồi trước đó.');
    }
    await ctx.audit.record(tx, {
      tenantId,
      actor,
      action: 'qualification.revoked',
      subject: { type: 'qualification', id: qualification.code, label: qualification.holderName },
      details: { code: qualification.code, program: qualification.programName, reason: why },
    });
  });
  await ctx.programs.peopleAffected(tenantId, [qualification.accountId]);
  return { ...qualification, revokedAt, revokedReason: why };
}
