import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { type Actor, hasRole } from '../access/actor.js';
import type { AppContext } from './context.js';
import { gzipParts, type PrecompressedPart } from './gzipParts.js';
import { actorOf, csrfToken } from './requestState.js';

/** Roles that see learning reports (reportsPolicy decides what each may open). */
const OVERSEERS = ['evaluator', 'tenantAdmin', 'platformAdmin', 'unitManager'] as const;

/** What the frame of every page needs: who is signed in, the tenant, and the CSRF token for its forms. */
export interface Shell {
  actor: Actor | null;
  tenantName: string | null;
  csrf: string;
  /** Unread notifications for the header's bell (see programs/notificationsBell.ts); null: none counted. */
  unread: number | null;
}

export function shellOf(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Shell {
  return {
    actor: actorOf(request),
    tenantName: request.tenant?.name ?? null,
    csrf: csrfToken(ctx, request, reply),
    unread: request.unreadNotifications,
  };
}

export function CsrfField({ shell }: { shell: Shell }) {
  return <input type="hidden" name="_csrf" value={shell.csrf} />;
}

/** The bell: a plain link with the unread count in its text and its spoken label, no script. */
function NotificationBell({ unread }: { unread: number | null }) {
  // Not counted (an error page shown before the count): the link alone, claiming nothing.
  if (unread === null) return <a href="/thong-bao">Thông báo</a>;
  const count = unread > 99 ? '99+' : String(unread);
  return (
    <a
      href="/thong-bao"
      aria-label={unread > 0 ? `Thông báo, ${count} chưa đọc` : 'Thông báo, không có thông báo mới'}
    >
      {unread > 0 ? `Thông báo (${count})` : 'Thông báo'}
    </a>
  );
}

export function Layout({
  shell,
  title,
  children,
  scripts = [],
}: {
  shell: Shell;
  title: string;
  children: ComponentChildren;
  /** Progressive enhancements under /static/: every page works without them. */
  scripts?: string[];
}) {
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Bình dân học vụ số`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        {scripts.map((name) => (
          <script key={name} src={`/static/${name}`} defer />
        ))}
      </head>
      <body>
        <a class="skip" href="#main">
          Bỏ qua, đến nội dung chính
        </a>
        <header class="site">
          <a class="brand" href="/">
            Bình dân học vụ số
            {shell.tenantName && <span class="tenant">{shell.tenantName}</span>}
          </a>
          <nav aria-label="Điều hướng chính">
            <ul>
              <li>
                <a href="/khoa-hoc">Khóa học</a>
              </li>
              {shell.actor ? (
                <>
                  <li>
                    <a href="/hoc-tap">Việc học của tôi</a>
                  </li>
                  <li>
                    <a href="/to-cong-nghe">Tổ công nghệ số</a>
                  </li>
                  <li>
                    <a href="/lop-hoc">Lớp học trực tiếp</a>
                  </li>
                  {hasRole(shell.actor, 'contentManager') && (
                    <li>
                      <a href="/soan-bai">Soạn bài</a>
                    </li>
                  )}
                  {(hasRole(shell.actor, 'tenantAdmin') || hasRole(shell.actor, 'unitManager')) && (
                    <li>
                      <a href="/quan-tri/don-vi">Quản trị</a>
                    </li>
                  )}
                  {hasRole(shell.actor, 'platformAdmin') && (
                    <li>
                      <a href="/nen-tang">Toàn quốc</a>
                    </li>
                  )}
                  {OVERSEERS.some((role) => hasRole(shell.actor as Actor, role)) && (
                    <li>
                      <a href="/bao-cao/don-vi">Báo cáo</a>
                    </li>
                  )}
                  {(hasRole(shell.actor, 'tenantAdmin') || hasRole(shell.actor, 'evaluator')) && (
                    <li>
                      <a href="/quan-tri/nhat-ky">Nhật ký</a>
                    </li>
                  )}
                  <li>
                    <NotificationBell unread={shell.unread} />
                  </li>
                  <li>
                    <a href="/ho-so">Hồ sơ</a>
                  </li>
                  <li>
                    <form method="post" action="/dang-xuat">
                      <CsrfField shell={shell} />
                      <button type="submit" class="link">
                        Đăng xuất
                      </button>
                    </form>
                  </li>
                </>
              ) : (
                <>
                  <li>
                    <a href="/dang-nhap">Đăng nhập</a>
                  </li>
                  <li>
                    <a href="/dang-ky">Đăng ký</a>
                  </li>
                </>
              )}
            </ul>
          </nav>
        </header>
        <main id="main">{children}</main>
        <footer class="site">
          <p>Phong trào “Bình dân học vụ số” – phổ cập kỹ năng số cho toàn dân.</p>
        </footer>
      </body>
    </html>
  );
}

const GZIP_FROM_BYTES = 1024;
/** Level 1 costs a third less CPU than the default 6 for pages about a tenth larger. */
const GZIP_LEVEL = 1;

/** Where a precompressed part goes in a page: render this as raw HTML, pass the part to sendPage. */
export const partSlot = (name: string) => `<!--hv-part:${name}-->`;

/**
 * Renders a page (escaped by preact) and sends it as HTML, gzipped in one synchronous call
 * when the client accepts it: the stream the compression plugin would set up per response
 * costs several times more than compressing a page of a few dozen KB. `parts` fill the
 * page's slots with precompressed HTML, copied into the response without compressing again.
 */
export function sendPage(
  reply: FastifyReply,
  page: VNode,
  status = 200,
  parts: Record<string, PrecompressedPart> = {},
): FastifyReply {
  const html = `<!doctype html>${renderToString(page)}`;
  reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .header('vary', 'accept-encoding');
  const gzip = /\bgzip\b/.test(reply.request.headers['accept-encoding'] ?? '');
  const slotted = Object.entries(parts);
  if (!gzip || slotted.length === 0) {
    const whole = slotted.reduce(
      (text, [name, part]) => text.replace(partSlot(name), part.raw.toString()),
      html,
    );
    const bytes = Buffer.from(whole);
    if (!gzip || bytes.length < GZIP_FROM_BYTES) return reply.send(bytes);
    return reply.header('content-encoding', 'gzip').send(gzipSync(bytes, { level: GZIP_LEVEL }));
  }
  const pieces: (Buffer | PrecompressedPart)[] = [];
  let rest = html;
  for (const [name, part] of slotted) {
    const [before, after = ''] = rest.split(partSlot(name));
    pieces.push(Buffer.from(before ?? ''), part);
    rest = after;
  }
  pieces.push(Buffer.from(rest));
  return reply.header('content-encoding', 'gzip').send(gzipParts(pieces));
}
