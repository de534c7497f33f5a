import type { FieldErrors } from '../../errors.js';
import { checkNameAndContact, HOME_UNIT_MISSING, type NameAndContact } from './accountInput.js';
import { normalizeNationalId } from './rosterNationalId.js';

/** The profile correction form as posted; the consent boxes send "yes" when ticked. */
export interface ProfileInput {
  fullName?: string;
  phone?: string;
  email?: string;
  homeUnitId?: string;
  birthYear?: string;
  birthYearConsent?: string;
  nationalId?: string;
  nationalIdConsent?: string;
}

export interface CleanProfile extends NameAndContact {
  homeUnitId: string;
  /** Null: the person left it empty, so none is kept. */
  birthYear: number | null;
  /** The 12 digits, or null: left empty, the stored one (if any) stays. */
  nationalId: string | null;
}

const EARLIEST_BIRTH_YEAR = 1900;

/**
 * Checks a profile correction. Optional data needs its consent box ticked: nothing optional is
 * kept without the person's recorded consent. `thisYear` bounds the birth year.
 */
export function checkProfile(
  input: ProfileInput,
  thisYear: number,
): { value?: CleanProfile; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const contact = checkNameAndContact(input, errors);
  const homeUnitId = (input.homeUnitId ?? '').trim();
  if (!homeUnitId) errors.homeUnitId = HOME_UNIT_MISSING;

  const yearText = (input.birthYear ?? '').trim();
  const year = Number(yearText);
  const birthYear = yearText ? year : null;
  if (yearText && !(/^\d{4}$/.test(yearText) && year >= EARLIEST_BIRTH_YEAR && year <= thisYear)) {
    errors.birthYear = `Năm sinh cần là 4 chữ số, từ ${EARLIEST_BIRTH_YEAR} đến ${thisYear}.`;
  } else if (yearText && input.birthYearConsent !== 'yes') {
    errors.birthYearConsent = 'Hãy đánh dấu ô đồng ý nếu muốn lưu năm sinh, hoặc để trống ô năm sinh.';
  }

  const idText = (input.nationalId ?? '').trim();
  const nationalId = idText ? normalizeNationalId(idText) : null;
  if (idText && !nationalId) {
    errors.nationalId = 'Số CCCD cần đủ 12 chữ số, ví dụ: 049 123 456 789.';
  } else if (idText && input.nationalIdConsent !== 'yes') {
    errors.nationalIdConsent = 'Hãy đánh dấu ô đồng ý nếu muốn lưu số CCCD, hoặc để trống ô này.';
  }

  if (Object.keys(errors).length > 0) return { errors };
  return { value: { ...contact, homeUnitId, birthYear, nationalId }, errors };
}
