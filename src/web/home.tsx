import type { FastifyInstance } from 'fastify';
import { BLOCKS } from '../modules/identity/blocks.js';
import type { AppContext } from './context.js';
import { Layout, type Shell, sendPage, shellOf } from './page.js';

function HomePage({ shell }: { shell: Shell }) {
  return (
    <Layout shell={shell} title="Trang chủ">
      <section class="hero">
        <h1>Học kỹ năng số, mọi lúc, mọi nơi</h1>
        <p>
          Bài học ngắn 10–15 phút, lời lẽ dễ hiểu, có bài trắc nghiệm sau mỗi bài. Học trên điện thoại hay máy
          tính đều được.
        </p>
        {shell.actor ? (
          <p>
            Xin chào, <strong>{shell.actor.fullName}</strong>.
          </p>
        ) : (
          <p class="actions">
            <a class="button primary" href="/dang-ky">
              Đăng ký học miễn phí
            </a>
            <a class="button" href="/dang-nhap">
              Đăng nhập
            </a>
          </p>
        )}
      </section>
      <section>
        <h2>Khóa học</h2>
        <p class="notice">Chưa có khóa học nào được mở. Các khóa học sẽ xuất hiện ở đây khi được công bố.</p>
      </section>
      <section>
        <h2>Dành cho mọi người</h2>
        <ul class="plain blocks">
          {Object.entries(BLOCKS).map(([code, label]) => (
            <li key={code}>{label}</li>
          ))}
        </ul>
      </section>
    </Layout>
  );
}

export const homePage = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get('/', { config: { access: 'public' } }, (request, reply) =>
    sendPage(reply, <HomePage shell={shellOf(ctx, request, reply)} />),
  );
};
