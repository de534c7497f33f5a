import type { FieldErrors } from '../../errors.js';
import { cleanText } from '../../text/vietnamese.js';
import { type Block, isBlock } from './blocks.js';
import { normalizePhone } from './phone.js';

export const MIN_PASSWORD_LENGTH = 8;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export interface SignupInput {
  fullName?: string;
  phone?: string;
  email?: string;
  block?: string;
  homeUnitId?: string;
  password?: string;
}

export interface CleanSignup {
  fullName: string;
  phone: string | null;
  email: string | null;
  block: Block;
  homeUnitId: string;
  password: string;
}

export function normalizeEmail(input: string): string | null {
  const email = input.trim().toLowerCase();
  return EMAIL.test(email) && email.length <= 254 ? email : null;
}

export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `Mật khẩu cần ít nhất ${MIN_PASSWORD_LENGTH} ký tự.`;
  if (password.length > 200) return 'Mật khẩu dài quá 200 ký tự.';
  return null;
}

export interface NameAndContact {
  fullName: string;
  phone: string | null;
  email: string | null;
}

/**
 * Checks a name and the phone and/or email a person signs in with, as sign-up and profile
 * correction both ask for them; problems are added to `errors`.
 */
export function checkNameAndContact(
  input: { fullName?: string; phone?: string; email?: string },
  errors: FieldErrors,
): NameAndContact {
  const fullName = cleanText(input.fullName ?? '');
  if (!fullName) errors.fullName = 'Vui lòng nhập họ và tên.';
  else if (fullName.length > 100) errors.fullName = 'Họ và tên dài quá 100 ký tự.';

  const phoneText = (input.phone ?? '').trim();
  const emailText = (input.email ?? '').trim();
  const phone = phoneText ? normalizePhone(phoneText) : null;
  const email = emailText ? normalizeEmail(emailText) : null;
  if (phoneText && !phone) errors.phone = 'Số điện thoại di động không hợp lệ (ví dụ: 0912 345 678).';
  if (emailText && !email) errors.email = 'Địa chỉ email không hợp lệ.';
  if (!phoneText && !emailText) errors.phone = 'Vui lòng nhập số điện thoại hoặc email.';
  return { fullName, phone, email };
}

export const HOME_UNIT_MISSING = 'Vui lòng chọn xã/phường hoặc thôn/khối phố nơi bạn sống hoặc làm việc.';

/** Checks a sign-up form; every message is Vietnamese and names the field it belongs to. */
export function checkSignup(input: SignupInput): { value?: CleanSignup; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const { fullName, phone, email } = checkNameAndContact(input, errors);

  const block = input.block ?? '';
  if (!isBlock(block)) errors.block = 'Vui lòng chọn đối tượng của bạn.';
  const homeUnitId = (input.homeUnitId ?? '').trim();
  if (!homeUnitId) errors.homeUnitId = HOME_UNIT_MISSING;

  const password = input.password ?? '';
  const problem = passwordProblem(password);
  if (problem) errors.password = problem;

  if (Object.keys(errors).length > 0) return { errors };
  return { value: { fullName, phone, email, block: block as Block, homeUnitId, password }, errors };
}
