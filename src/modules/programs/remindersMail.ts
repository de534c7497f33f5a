import nodemailer from 'nodemailer';
import { nowIso } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { notificationsRepository as repo } from './notifications.js';
import { LEARNING_PATH, notificationText } from './remindersText.js';

type Ctx = Pick<AppContext, 'config' | 'db' | 'identity'>;

/** How many emails one claim takes: small, so several processes share a long queue. */
const BATCH = 50;

export interface MailOutcome {
  sent: number;
  /** The person has no email address. */
  none: number;
  failed: number;
}

/**
 * Sends the notifications' emails that wait, through the SMTP server of `SMTP_URL`, until none
 * is left. Each is claimed before it is sent (see claimEmails), so each is sent at most once
 * even with several processes; one whose sending fails is marked `failed`, not retried, since
 * the server may have taken it. Without `SMTP_URL` nothing waits, and nothing is sent.
 */
export async function deliverEmails(ctx: Ctx): Promise<MailOutcome> {
  const outcome: MailOutcome = { sent: 0, none: 0, failed: 0 };
  if (!ctx.config.smtpUrl) return outcome;
  // One pooled connection for the whole run rather than a connection per message.
  const transport = nodemailer.createTransport({ url: ctx.config.smtpUrl, pool: true });
  try {
    for (;;) {
      const claimed = await repo.claimEmails(ctx.db, BATCH);
      if (claimed.length === 0) return outcome;
      for (const n of claimed) {
        const person = await ctx.identity.account(n.tenantId, n.accountId);
        if (!person?.email) {
          await repo.emailDone(ctx.db.kysely, n.id, 'none', null);
          outcome.none += 1;
          continue;
        }
        const text = notificationText(n);
        try {
          await transport.sendMail({
            from: ctx.config.mailFrom,
            to: { name: person.fullName, address: person.email },
            subject: text.title,
            text: `${text.body}\n\n${ctx.config.publicUrl}${LEARNING_PATH}\n`,
          });
          await repo.emailDone(ctx.db.kysely, n.id, 'sent', nowIso());
          outcome.sent += 1;
        } catch {
          await repo.emailDone(ctx.db.kysely, n.id, 'failed', null);
          outcome.failed += 1;
        }
      }
    }
  } finally {
    transport.close();
  }
}
