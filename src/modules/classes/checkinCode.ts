import { createHmac, timingSafeEqual } from 'node:crypto';

/** A code is shown for one window; the instructor's page reloads well within it. */
export const CODE_WINDOW_MS = 30_000;
const CODE_LENGTH = 10;
/** Crockford's base 32 without the letters people confuse (I, L, O, U): easy to read aloud. */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

const windowAt = (at: Date) => Math.floor(at.getTime() / CODE_WINDOW_MS);

function codeOf(secret: string, sessionId: string, window: number): string {
  const digest = createHmac('sha256', secret).update(`${sessionId}:${window}`).digest();
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[(digest[i] as number) % 32];
  return code;
}

/**
 * The check-in code a session's QR page shows at `at`. It changes every 30 seconds, so a
 * photo of the screen sent to someone at home stops working within a minute.
 * @example checkinCodeAt(session.checkinSecret, session.id, new Date()) // "k3v9x0a2mq"
 */
export const checkinCodeAt = (secret: string, sessionId: string, at: Date): string =>
  codeOf(secret, sessionId, windowAt(at));

/**
 * True when `code` is the session's code of the window of `at` or of the window before: a
 * code lives 30 to 60 seconds, long enough to scan and open, too short to forward.
 */
export function isLiveCheckinCode(secret: string, sessionId: string, code: string, at: Date): boolean {
  const given = Buffer.from(code.trim().toLowerCase());
  const now = windowAt(at);
  return [now, now - 1].some((window) => {
    const expected = Buffer.from(codeOf(secret, sessionId, window));
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** How far back a code is still recognised as the session's own, to say "expired" rather than "wrong". */
const RECOGNISED_WINDOWS = (4 * 3600 * 1000) / CODE_WINDOW_MS;

/** True when `code` was one of the session's codes in the last four hours (live or not). */
export function wasCheckinCode(secret: string, sessionId: string, code: string, at: Date): boolean {
  const given = code.trim().toLowerCase();
  const now = windowAt(at);
  for (let window = now; window > now - RECOGNISED_WINDOWS; window--) {
    if (codeOf(secret, sessionId, window) === given) return true;
  }
  return false;
}
