/**
 * Optional personal data and the legal basis on which each piece is held. Nothing optional is
 * stored without a consent record carrying its time; withdrawing the consent removes the data.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { ConsentTable } from './tables.js';

export type ConsentRow = Selectable<ConsentTable>;

/** What each kind of optional data is for, as the consent checkbox and the profile say it. */
export const CONSENT_PURPOSES = {
  birth_year: 'Năm sinh, để thống kê việc học theo độ tuổi',
  national_id: 'Số căn cước công dân (CCCD), để đối chiếu với danh sách cán bộ của đơn vị',
} as const;
export type ConsentPurpose = keyof typeof CONSENT_PURPOSES;

/** The data itself, in a few words (for buttons and the audit log). */
export const CONSENT_DATA: Record<ConsentPurpose, string> = {
  birth_year: 'năm sinh',
  national_id: 'số CCCD',
};

export const isConsentPurpose = (value: string): value is ConsentPurpose =>
  Object.hasOwn(CONSENT_PURPOSES, value);

/** `self`: the person ticked the consent box; `roster`: their unit's HR roster supplied it. */
export const CONSENT_SOURCES: Record<string, string> = {
  self: 'Bạn đồng ý',
  roster: 'Từ danh sách cán bộ do đơn vị nhập (hồ sơ nhân sự)',
};

const basis = (
  tenantId: string,
  accountId: string,
  purpose: ConsentPurpose,
  source: 'self' | 'roster',
  at: string,
): ConsentRow => ({
  id: randomUUID(),
  tenantId,
  accountId,
  purpose,
  source,
  grantedAt: at,
  withdrawnAt: null,
});

/** The person's own consent, given now by ticking the box. */
export const selfConsent = (tenantId: string, accountId: string, purpose: ConsentPurpose, at: string) =>
  basis(tenantId, accountId, purpose, 'self', at);

/** A CCCD written by a roster import. */
export const rosterBasis = (tenantId: string, accountId: string, at: string) =>
  basis(tenantId, accountId, 'national_id', 'roster', at);
