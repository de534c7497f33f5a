import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';
import type { Actor } from '../access/actor.js';
import type { AppContext } from './context.js';
import { actorOf, csrfToken } from './requestState.js';

/** What the frame of every page needs: who is signed in, the tenant, and the CSRF token for its forms. */
export interface Shell {
  actor: Actor | null;
  tenantName: string | null;
  csrf: string;
}

export function shellOf(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): Shell {
  return {
    actor: actorOf(request),
    tenantName: request.tenant?.name ?? null,
    csrf: csrfToken(ctx, request, reply),
  };
}

export function CsrfField({ shell }: { shell: Shell }) {
  return <input type="hidden" name="_csrf" value={shell.csrf} />;
}

export function Layout({
  shell,
  title,
  children,
}: {
  shell: Shell;
  title: string;
  children: ComponentChildren;
}) {
  return (
    <html lang="vi">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${title} · Bình dân học vụ số`}</title>
        <link rel="stylesheet" href="/static/app.css" />
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
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

/** Renders a page (escaped by preact) and sends it as HTML. */
export function sendPage(reply: FastifyReply, page: VNode, status = 200): FastifyReply {
  return reply
    .status(status)
    .header('content-type', 'text/html; charset=utf-8')
    .header('cache-control', 'no-store')
    .send(`<!doctype html>${renderToString(page)}`);
}
