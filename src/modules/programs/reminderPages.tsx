import type { FastifyInstance } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { nowIso } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { readForm } from '../../web/forms.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { actorOf } from '../../web/requestState.js';
import { type NotificationRow, notificationsRepository as repo } from './notifications.js';
import { nudgeOverdue } from './remindersNudge.js';
import { LEARNING_PATH, notificationText } from './remindersText.js';

export const NOTIFICATIONS_PATH = '/thong-bao';
const PAGE_SIZE = 20;
const SIGNED_IN = { config: { access: 'signedIn' as const } };

function NotificationsPage({
  shell,
  rows,
  page,
  pages,
}: {
  shell: Shell;
  rows: NotificationRow[];
  page: number;
  pages: number;
}) {
  const unread = shell.unread ?? 0;
  return (
    <Layout shell={shell} title="Thông báo">
      <h1>Thông báo</h1>
      <p>
        {unread > 0
          ? `Bạn có ${unread > 99 ? 'hơn 99' : unread} thông báo chưa đọc.`
          : 'Bạn đã đọc hết thông báo.'}{' '}
        Việc cần làm ở mục <a href={LEARNING_PATH}>Việc học của tôi</a>.
      </p>
      {unread > 0 && (
        <form method="post" action={`${NOTIFICATIONS_PATH}/da-doc`} class="actions">
          <CsrfField shell={shell} />
          <button type="submit" class="button">
            Đánh dấu tất cả là đã đọc
          </button>
        </form>
      )}
      {rows.length === 0 ? (
        <p class="notice">Chưa có thông báo nào.</p>
      ) : (
        <ol class="plain">
          {rows.map((row) => {
            const text = notificationText(row);
            return (
              <li key={row.id} class="card">
                <h2>
                  {row.readAt === null && <span class="status">Mới: </span>}
                  {text.title}
                </h2>
                <p>{text.body}</p>
                <p>
                  <small>
                    <time datetime={row.createdAt}>{vietnamTime(row.createdAt)}</time>
                  </small>
                </p>
              </li>
            );
          })}
        </ol>
      )}
      <Pager
        page={page}
        hasNext={page < pages}
        href={(n) => `${NOTIFICATIONS_PATH}?trang=${n}`}
        label="Các trang thông báo"
        previousText="← Mới hơn"
        nextText="Cũ hơn →"
      />
    </Layout>
  );
}

/** The notifications list and "mark all read" for everyone, and the managers' nudge. */
export const reminderPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  // Every account has its own notifications only: no object in the URL, nothing more to decide.
  app.get(NOTIFICATIONS_PATH, SIGNED_IN, async (request, reply) => {
    const accountId = (actorOf(request) as Actor).accountId;
    const pages = Math.max(1, Math.ceil((await repo.count(ctx.db.kysely, accountId)) / PAGE_SIZE));
    const asked = Number.parseInt(readForm(request.query).trang ?? '', 10);
    const page = Number.isSafeInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
    const rows = await repo.page(ctx.db.kysely, accountId, PAGE_SIZE, (page - 1) * PAGE_SIZE);
    return sendPage(
      reply,
      <NotificationsPage shell={shellOf(ctx, request, reply)} rows={rows} page={page} pages={pages} />,
    );
  });

  app.post(`${NOTIFICATIONS_PATH}/da-doc`, SIGNED_IN, async (request, reply) => {
    await repo.markAllRead(ctx.db.kysely, (actorOf(request) as Actor).accountId, nowIso());
    return reply.redirect(NOTIFICATIONS_PATH, 303);
  });

  // The rule's page (programs/pages.tsx) shows the count it redirects with.
  app.post('/quan-tri/giao-hoc/:id/nhac-nho', SIGNED_IN, async (request, reply) => {
    const { id } = request.params as { id: string };
    const nudged = await nudgeOverdue(ctx, actorOf(request) as Actor, request.tenant.id, id);
    return reply.redirect(`/quan-tri/giao-hoc/${encodeURIComponent(id)}?da-nhac=${nudged}`, 303);
  });
};
