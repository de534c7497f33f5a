/**
 * Vietnamese mobile numbers in any common spelling ("0912 345 678", "+84912345678",
 * "84912345678", "0912.345.678") become one stored form, "+84912345678", so one person is
 * one account however they type it. Mobile numbers have 9 digits after the country code and
 * start with 3, 5, 7, 8 or 9.
 * @returns the +84 form, or null when the text is not a Vietnamese mobile number
 */
export function normalizePhone(input: string): string | null {
  const compact = input.trim().replace(/[\s.\-()]/g, '');
  const match = /^(?:\+84|84|0)([35789]\d{8})$/.exec(compact);
  return match ? `+84${match[1]}` : null;
}

/** "+84912345678" → "0912 345 678", the way people write it. */
export function formatPhone(phone: string): string {
  const local = `0${phone.slice(3)}`;
  return `${local.slice(0, 4)} ${local.slice(4, 7)} ${local.slice(7)}`;
}
