/**
 * Timestamps are stored as ISO-8601 UTC text and calendar dates as `YYYY-MM-DD` text, so
 * both engines store, compare and sort them the same way.
 */
export const nowIso = (): string => new Date().toISOString();

const vietnamDate = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' });

/** Today's calendar date in Vietnam (UTC+7), the date that validity periods refer to. */
export const todayInVietnam = (now: Date = new Date()): string => vietnamDate.format(now);
