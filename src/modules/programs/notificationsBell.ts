import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';
import { notificationsRepository as repo } from './notifications.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Unread notifications of the signed-in person, for the header's bell (null: not counted). */
    unreadNotifications: number | null;
  }
}

/** The bell counts this far and shows "99+" beyond: a count never scans a long history. */
export const BELL_CAP = 100;

/**
 * Counts the signed-in person's unread notifications before a page is rendered, so the
 * header (built synchronously by shellOf) can show them. JSON API requests skip the query.
 */
export function installNotificationBell(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('unreadNotifications', null);
  app.addHook('preHandler', async (request) => {
    if (!request.signedIn || request.url.startsWith('/api/')) return;
    request.unreadNotifications = await repo.unreadCount(
      ctx.db.kysely,
      request.signedIn.actor.accountId,
      BELL_CAP,
    );
  });
}
