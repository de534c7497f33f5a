/** What a notification is about: a milestone of an assignment, or a manager's nudge. */
export type NotificationKind = 'assigned' | 'due7' | 'due1' | 'overdue' | 'nudge';

/**
 * Where a notification's email stands. `off`: no mail server was configured when it was made;
 * `pending` → `sending` (claimed by one process) → `sent`, `none` (no address) or `failed`.
 */
export type EmailStatus = 'off' | 'pending' | 'sending' | 'sent' | 'none' | 'failed';

/**
 * An in-app notification (the bell), about one assignment. `(assignmentId, kind, occasion)` is
 * unique: a milestone has the empty occasion, so the database itself keeps it to one per
 * assignment; a nudge's occasion is its Vietnamese calendar day, so one a day at most.
 */
export interface NotificationTable {
  id: string;
  tenantId: string;
  accountId: string;
  kind: NotificationKind;
  assignmentId: string;
  occasion: string;
  /** The program's name or the course's title when the notification was made. */
  subject: string;
  dueOn: string;
  /** Who nudged (nudges only). */
  senderName: string | null;
  createdAt: string;
  readAt: string | null;
  emailStatus: EmailStatus;
  emailedAt: string | null;
}

/**
 * A recurring job the scheduler runs once per due time, whichever process claims it first.
 * `lockedUntil` bounds a claim, so a process that died mid-run does not block the job for ever.
 */
export interface ScheduledJobTable {
  name: string;
  runAfter: string;
  lockedBy: string | null;
  lockedUntil: string | null;
  lastRunAt: string | null;
  lastResult: string | null;
}

export interface ReminderTables {
  notifications: NotificationTable;
  scheduledJobs: ScheduledJobTable;
}
