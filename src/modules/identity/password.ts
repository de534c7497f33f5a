import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** argon2id with the library defaults (19 MiB, 2 passes): OWASP's minimum, ~13 ms here. */
export const hashPassword = (password: string): Promise<string> => hash(password);

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let decoy: Promise<string> | undefined;

/**
 * Spends the same time as a real check when the account does not exist, so the response
 * time does not tell an attacker which phone numbers have accounts.
 */
export async function verifyDecoy(password: string): Promise<false> {
  decoy ??= hash(randomBytes(16).toString('hex'));
  await verifyPassword(await decoy, password);
  return false;
}
