import type { Actor } from '../../access/actor.js';
import { type Db, inTransaction } from '../../db/database.js';
import { nowIso } from '../../db/time.js';
import { validationFailed } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AuditService } from '../audit/service.js';
import type { Unit } from '../org/service.js';
import { KIND_LABELS, KIND_SLUGS, type Signal } from './integritySignals.js';

export const MAX_NOTE_LENGTH = 1000;

export interface Review {
  reviewedBy: string;
  reviewedAt: string;
  note: string | null;
}

/** The reviews of these signals of the tenant, by signal key. */
export async function reviewsOf(db: Db, tenantId: string, keys: string[]): Promise<Map<string, Review>> {
  const out = new Map<string, Review>();
  const unique = [...new Set(keys)];
  for (let at = 0; at < unique.length; at += 2000) {
    const rows = await db.kysely
      .selectFrom('integrityReviews')
      .select(['signalKey', 'reviewedBy', 'reviewedAt', 'note'])
      .where('tenantId', '=', tenantId)
      .where('signalKey', 'in', unique.slice(at, at + 2000))
      .execute();
    for (const { signalKey, ...review } of rows) out.set(signalKey, review);
  }
  return out;
}

/** A note as typed, cleaned; null when empty; refused when too long. */
export function noteOf(text: string | undefined): string | null {
  const note = cleanText(text ?? '');
  if (note.length > MAX_NOTE_LENGTH) {
    throw validationFailed({ 'ghi-chu': `Ghi chú dài tối đa ${MAX_NOTE_LENGTH} ký tự.` });
  }
  return note === '' ? null : note;
}

/**
 * Marks a signal reviewed, with the act in the audit log, in one transaction. A signal is
 * reviewed once: marking it again changes nothing (false). Scores, progress and certificates
 * are not touched.
 */
export async function markReviewed(
  db: Db,
  audit: AuditService,
  actor: Actor,
  unit: Unit,
  signal: Signal,
  note: string | null,
): Promise<boolean> {
  return inTransaction(db, async (tx) => {
    const inserted = await tx.kysely
      .insertInto('integrityReviews')
      .values({
        tenantId: unit.tenantId,
        signalKey: signal.key,
        kind: KIND_SLUGS[signal.kind],
        unitId: unit.id,
        reviewedBy: actor.accountId,
        reviewedAt: nowIso(),
        note,
      })
      .onConflict((oc) => oc.columns(['tenantId', 'signalKey']).doNothing())
      .returning('signalKey')
      .execute();
    if (inserted.length === 0) return false;
    // No names in the log's label: they would outlive a person's request to delete their account.
    await audit.record(tx, {
      tenantId: unit.tenantId,
      actor,
      action: 'integrity.reviewed',
      subject: {
        type: 'integritySignal',
        id: signal.key,
        label: `${KIND_LABELS[signal.kind]} – ${unit.fullName}`,
      },
      unitId: unit.id,
      details: {
        kind: KIND_SLUGS[signal.kind],
        people: new Set(signal.evidence.map((e) => e.accountId)).size + signal.othersOutside,
        note,
      },
    });
    return true;
  });
}
