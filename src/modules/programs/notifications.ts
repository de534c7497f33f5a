import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Database } from '../../db/schema.js';
import type { EmailStatus, NotificationKind, NotificationTable } from './reminderTables.js';

export type NotificationRow = Selectable<NotificationTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** Due days a notification is for: `after` < due_on <= `until` (null: no bound). */
export interface DueWindow {
  after: string | null;
  until: string | null;
}

/** What a set-based insert writes into every notification it makes. */
export interface NewNotifications {
  ruleId: string;
  kind: NotificationKind;
  /** '' for milestones; the day for nudges (see NotificationTable). */
  occasion: string;
  subject: string;
  senderName: string | null;
  createdAt: string;
  emailStatus: EmailStatus;
  window: DueWindow;
}

/**
 * The current assignments of a rule: latest cycle, still in the audience, neither completed
 * nor exempt. Reminders and nudges are for these people only.
 */
function currentAssignments(q: Q, ruleId: string, window: DueWindow) {
  let query = q
    .selectFrom('assignments')
    .where('assignments.ruleId', '=', ruleId)
    .where('assignments.leftAt', 'is', null)
    .where('assignments.completedAt', 'is', null)
    .where('assignments.exemptAt', 'is', null)
    .where(
      sql<boolean>`assignments.cycle = (select max(c.cycle) from assignments c
        where c.rule_id = assignments.rule_id and c.account_id = assignments.account_id)`,
    );
  if (window.after !== null) query = query.where('assignments.dueOn', '>', window.after);
  if (window.until !== null) query = query.where('assignments.dueOn', '<=', window.until);
  return query;
}

// A literal, not a parameter: only then may SQLite use the partial index of waiting emails.
const PENDING = sql.lit<EmailStatus>('pending');

export const notificationsRepository = {
  /** A deleted account's notifications go with it: they name what it was told and by whom. */
  deleteOf: (q: Q, accountId: string) =>
    q.deleteFrom('notifications').where('accountId', '=', accountId).execute(),

  /**
   * Makes a notification for each current assignment of a rule whose due day is in the window,
   * in one statement. One that exists (same assignment, kind and occasion) is skipped by the
   * unique key, so runs at the same time still make each exactly once. Returns how many it made.
   */
  async insertFor(q: Q, n: NewNotifications): Promise<number> {
    const result = await q
      .insertInto('notifications')
      .columns([
        'id',
        'tenantId',
        'accountId',
        'kind',
        'assignmentId',
        'occasion',
        'subject',
        'dueOn',
        'senderName',
        'createdAt',
        'emailStatus',
      ])
      .expression(
        currentAssignments(q, n.ruleId, n.window).select([
          sql<string>`assignments.id || ${`:${n.kind}:${n.occasion}`}`.as('id'),
          'assignments.tenantId',
          'assignments.accountId',
          sql<string>`${n.kind}`.as('kind'),
          'assignments.id as assignmentId',
          sql<string>`${n.occasion}`.as('occasion'),
          sql<string>`${n.subject}`.as('subject'),
          'assignments.dueOn',
          sql<string | null>`${n.senderName}`.as('senderName'),
          sql<string>`${n.createdAt}`.as('createdAt'),
          sql<string>`${n.emailStatus}`.as('emailStatus'),
        ]),
      )
      .onConflict((oc) => oc.columns(['assignmentId', 'kind', 'occasion']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0);
  },

  /** Unread notifications of a person, counted up to `cap` (the bell shows "99+" beyond). */
  async unreadCount(q: Q, accountId: string, cap: number): Promise<number> {
    const row = await q
      .selectFrom((eb) =>
        eb
          .selectFrom('notifications')
          .select('id')
          .where('accountId', '=', accountId)
          .where('readAt', 'is', null)
          .limit(cap)
          .as('unread'),
      )
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .executeTakeFirstOrThrow();
    return Number(row.count);
  },

  count: async (q: Q, accountId: string): Promise<number> =>
    Number(
      (
        await q
          .selectFrom('notifications')
          .select((eb) => eb.fn.countAll<number>().as('count'))
          .where('accountId', '=', accountId)
          .executeTakeFirstOrThrow()
      ).count,
    ),

  /** A page of a person's notifications, newest first. */
  page: (q: Q, accountId: string, limit: number, offset: number) =>
    q
      .selectFrom('notifications')
      .selectAll()
      .where('accountId', '=', accountId)
      .orderBy('createdAt', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute(),

  markAllRead: (q: Q, accountId: string, readAt: string) =>
    q
      .updateTable('notifications')
      .set({ readAt })
      .where('accountId', '=', accountId)
      .where('readAt', 'is', null)
      .execute(),

  /**
   * Claims up to `limit` emails waiting to be sent, oldest first: each row turns `sending` in
   * the one statement that returns it, so no two processes ever send the same one. On
   * PostgreSQL, rows another process is claiming are skipped rather than waited for.
   */
  claimEmails(db: Db, limit: number) {
    let waiting = db.kysely
      .selectFrom('notifications')
      .select('id')
      .where('emailStatus', '=', PENDING)
      .orderBy('createdAt')
      .limit(limit);
    if (db.dialect === 'postgres') waiting = waiting.forUpdate().skipLocked();
    return (
      db.kysely
        .updateTable('notifications')
        .set({ emailStatus: 'sending' })
        // Checked again on the row itself: a row claimed meanwhile is not claimed twice.
        .where('emailStatus', '=', PENDING)
        .where('id', 'in', waiting)
        .returning(['id', 'tenantId', 'accountId', 'kind', 'subject', 'dueOn', 'senderName'])
        .execute()
    );
  },

  emailDone: (q: Q, id: string, status: 'sent' | 'none' | 'failed', emailedAt: string | null) =>
    q.updateTable('notifications').set({ emailStatus: status, emailedAt }).where('id', '=', id).execute(),
};
