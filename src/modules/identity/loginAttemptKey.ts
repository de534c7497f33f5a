import { createHmac } from 'node:crypto';

/**
 * What a log-in attempt stores instead of the phone or email typed: a keyed hash (app secret),
 * enough to count failures per identifier, and no personal data in that log.
 */
export const loginAttemptKey = (secret: string, identifier: string): string =>
  createHmac('sha256', secret).update(`login:${identifier}`).digest('base64url');
