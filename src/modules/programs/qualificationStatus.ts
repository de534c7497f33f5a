import { todayInVietnam } from '../../db/time.js';
import { vietnamDay } from '../../web/format.js';
import { addDays } from './days.js';
import type { QualificationRow } from './repository.js';

/** Where a qualification stands: in force, lapsed ("cần cấp lại"), or withdrawn by an admin. */
export type QualificationStatus = 'valid' | 'expired' | 'revoked';

export const QUALIFICATION_STATUSES: readonly QualificationStatus[] = ['valid', 'expired', 'revoked'];

export const QUALIFICATION_STATUS_LABELS: Record<QualificationStatus, string> = {
  valid: 'Đạt yêu cầu',
  expired: 'Cần cấp lại',
  revoked: 'Đã thu hồi',
};

export const isQualificationStatus = (value: string): value is QualificationStatus =>
  (QUALIFICATION_STATUSES as readonly string[]).includes(value);

type StatusFacts = Pick<QualificationRow, 'expiresOn' | 'revokedAt'>;

/**
 * The status on `today` (a Vietnamese calendar day). `expiresOn` is the first day the
 * qualification no longer counts, as ProgramService grants and renews it.
 */
export function qualificationStatus(row: StatusFacts, today: string): QualificationStatus {
  if (row.revokedAt !== null) return 'revoked';
  return row.expiresOn !== null && row.expiresOn <= today ? 'expired' : 'valid';
}

/** The last day a qualification counts, or null when it never lapses. */
export const lastValidDay = (row: Pick<QualificationRow, 'expiresOn'>): string | null =>
  row.expiresOn === null ? null : addDays(row.expiresOn, -1);

/**
 * The status as one Vietnamese sentence: "Đạt yêu cầu, hiệu lực đến hết ngày 31/05/2027",
 * "Cần cấp lại từ ngày 01/06/2027", "Đã thu hồi ngày 02/03/2026".
 */
export function statusSentence(row: StatusFacts, today: string): string {
  switch (qualificationStatus(row, today)) {
    case 'revoked':
      return `Đã thu hồi ngày ${vietnamDay(todayInVietnam(new Date(row.revokedAt as string)))}`;
    case 'expired':
      return `Cần cấp lại từ ngày ${vietnamDay(row.expiresOn as string)}`;
    case 'valid': {
      const last = lastValidDay(row);
      return last ? `Đạt yêu cầu, hiệu lực đến hết ngày ${vietnamDay(last)}` : 'Đạt yêu cầu, không thời hạn';
    }
  }
}
