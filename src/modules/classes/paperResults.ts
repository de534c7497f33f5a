import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { conflict, type FieldErrors, validationFailed } from '../../errors.js';
import { type AttendeeRow, classQueries as q } from './queries.js';
import { accountsByIds, allowedSession, type ClassDeps } from './sessions.js';

export const DEFAULT_PASS_PERCENT = 50;
export const DEFAULT_MAX_SCORE = 10;
const HIGHEST_MAX = 1000;

/** The form field of one attendee's score. */
export const scoreField = (attendeeId: string) => `score_${attendeeId}`;

/** A score as people write it ("7", "7,5", "7.25"), or NaN; blank is null (no result). */
export function parseScore(text: string | undefined): number | null {
  const trimmed = (text ?? '').trim();
  if (trimmed === '') return null;
  return /^-?\d+([.,]\d{1,2})?$/.test(trimmed) ? Number(trimmed.replace(',', '.')) : Number.NaN;
}

/** "7,5/10" as Vietnamese write a score. */
export const scoreText = (score: number, max: number): string =>
  `${String(score).replace('.', ',')}/${String(max).replace('.', ',')}`;

/** A result in words for lists and the audit log: "7,5/10 (đạt)". */
export const resultText = (
  row: Pick<AttendeeRow, 'paperScore' | 'paperMax' | 'paperPassed'>,
): string | null =>
  row.paperScore === null || row.paperMax === null
    ? null
    : `${scoreText(row.paperScore, row.paperMax)} (${row.paperPassed ? 'đạt' : 'chưa đạt'})`;

/** score/max ≥ passPercent %, in hundredths so that 0,29/1 at 29 % passes despite binary fractions. */
export const passes = (score: number, max: number, passPercent: number): boolean =>
  Math.round(score * 100) * 100 >= passPercent * Math.round(max * 100);

export interface ResultsForm {
  passPercent: string;
  maxScore: string;
  /** Score text by attendee id; only attendees present may have one. */
  scores: Map<string, string>;
}

/**
 * Records the results of a paper quiz taken in class: a score out of `maxScore` for each person
 * present (blank: no result, or the result removed), passed at `passPercent` of the maximum.
 * Nonsense (a score above the maximum, negative, not a number; a score for someone not present)
 * refuses the whole form with a message per field; every result that changes is audited.
 */
export async function saveResults(
  deps: ClassDeps,
  actor: Actor,
  sessionId: string,
  form: ResultsForm,
): Promise<{ changed: number }> {
  const { session } = await allowedSession(deps, actor, sessionId, 'class.run');
  if (session.status === 'cancelled') throw conflict({}, 'Buổi học này đã bị hủy.');
  const errors: FieldErrors = {};
  const passText = form.passPercent.trim();
  const passPercent =
    passText === '' ? DEFAULT_PASS_PERCENT : /^\d{1,3}$/.test(passText) ? Number(passText) : Number.NaN;
  if (!(passPercent >= 0 && passPercent <= 100)) errors.passPercent = 'Điểm đạt là phần trăm, từ 0 đến 100.';
  const max = parseScore(form.maxScore);
  if (max === null || !(max > 0 && max <= HIGHEST_MAX)) {
    errors.maxScore = `Điểm tối đa là một số lớn hơn 0 và không quá ${HIGHEST_MAX}, ví dụ 10.`;
  }
  const scores = new Map<string, number | null>();
  for (const [id, text] of form.scores) {
    const score = parseScore(text);
    const field = scoreField(id);
    if (score !== null && Number.isNaN(score)) errors[field] = 'Điểm phải là một số, ví dụ 7 hoặc 7,5.';
    else if (score !== null && score < 0) errors[field] = 'Điểm không được âm.';
    else if (score !== null && max !== null && score > max) {
      errors[field] = `Điểm lớn hơn điểm tối đa (${String(max).replace('.', ',')}).`;
    }
    scores.set(id, score);
  }
  if (Object.keys(errors).length > 0 || max === null) throw validationFailed(errors);

  // Names for the audit log, read before the transaction (identity reads outside it).
  const names = await accountsByIds(
    deps,
    actor.tenantId,
    (await q.attendees(deps.db.kysely, session.id)).map((r) => r.accountId),
  );
  const now = deps.now().toISOString();
  let changed = 0;
  await inTransaction(deps.db, async (tx) => {
    // Under the session's lock, so two people saving at once apply one after the other.
    await q.lockSession(tx.kysely, session.id);
    const present = new Map(
      (await q.attendees(tx.kysely, session.id)).filter((r) => r.attendedAt).map((r) => [r.id, r]),
    );
    if ([...scores.keys()].some((id) => !present.has(id))) {
      throw validationFailed({}, 'Chỉ nhập điểm được cho người có mặt. Hãy tải lại trang rồi nhập lại.');
    }
    for (const [id, score] of scores) {
      const row = present.get(id) as AttendeeRow;
      const result =
        score === null
          ? { paperScore: null, paperMax: null, paperPassed: null }
          : { paperScore: score, paperMax: max, paperPassed: passes(score, max, passPercent) ? 1 : 0 };
      if (
        result.paperScore === row.paperScore &&
        result.paperMax === row.paperMax &&
        result.paperPassed === row.paperPassed
      ) {
        continue;
      }
      await q.updateAttendee(tx.kysely, id, {
        ...result,
        resultBy: score === null ? null : actor.accountId,
        resultAt: score === null ? null : now,
      });
      changed++;
      const person = row.accountId ? names.get(row.accountId) : undefined;
      await deps.audit.record(tx, {
        tenantId: actor.tenantId,
        actor,
        action: 'class.result_recorded',
        subject: person
          ? { type: 'account', id: person.id, label: person.fullName }
          : { type: 'classAttendee', id, label: row.walkInName ?? '' },
        unitId: session.unitId,
        details: { session: session.title, score: resultText(result), previous: resultText(row) },
      });
    }
    await q.updateSession(tx.kysely, session.id, { paperPassPercent: passPercent });
  });
  return { changed };
}
