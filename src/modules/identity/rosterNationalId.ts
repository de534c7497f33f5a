/**
 * The citizen ID (CCCD) of a roster row. Only a keyed hash (to match the person on the next
 * roster) and the last four digits (to show it masked) are kept: the Personal Data Protection Law
 * asks for the least personal data the purpose needs, and matching needs no more. The key is the
 * app secret, so the hash of a 12-digit number cannot be reversed by trying every number.
 */
import { createHmac } from 'node:crypto';

export interface NationalIdKey {
  hash: string;
  last4: string;
}

/** The 12 digits of a CCCD written with spaces, dots or dashes; null when it is not 12 digits. */
export function normalizeNationalId(text: string): string | null {
  const digits = text.replace(/[\s.-]/g, '');
  return /^\d{12}$/.test(digits) ? digits : null;
}

export function nationalIdKey(secret: string, digits: string): NationalIdKey {
  return {
    hash: createHmac('sha256', secret).update(`cccd:${digits}`).digest('hex'),
    last4: digits.slice(-4),
  };
}

/** "********1234": enough for a person to recognise their own number, too little to use it. */
export const maskNationalId = (last4: string | null): string => (last4 ? `********${last4}` : '');
