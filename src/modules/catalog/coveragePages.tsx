import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';
import { Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { authoringPath } from './authoringViews.js';
import {
  type Coverage,
  type CoverageCounts,
  type ElementCoverage,
  type FrameworkCoverage,
  frameworkCoverage,
  type GroupCoverage,
} from './coverage.js';
import { catalogPolicy } from './policy.js';

const NO_COURSE = 'Chưa có khóa học';
const NO_QUESTION = 'Chưa có câu hỏi';

function CountCells({ counts }: { counts: CoverageCounts }) {
  return (
    <>
      <td>{counts.elements}</td>
      <td>{counts.withCourse}</td>
      <td>{counts.withQuestion}</td>
      <td>{counts.withNeither}</td>
    </>
  );
}

function Summary({ coverage }: { coverage: Coverage }) {
  return (
    <table class="data">
      <caption>Tóm tắt độ phủ</caption>
      <thead>
        <tr>
          <th scope="col">Khung</th>
          <th scope="col">Số mục</th>
          <th scope="col">Có khóa học dạy</th>
          <th scope="col">Có câu hỏi đánh giá</th>
          <th scope="col">Chưa có cả hai</th>
        </tr>
      </thead>
      <tbody>
        {coverage.frameworks.map((f) => (
          <tr key={f.code}>
            <th scope="row">
              {f.title} <span class="meta">({f.code})</span>
            </th>
            <CountCells counts={f.counts} />
          </tr>
        ))}
      </tbody>
      <tfoot>
        <tr>
          <th scope="row">Tổng cộng</th>
          <CountCells counts={coverage.counts} />
        </tr>
      </tfoot>
    </table>
  );
}

function ElementRow({ element }: { element: ElementCoverage }) {
  const missing = [
    ...(element.courses.length === 0 ? [NO_COURSE] : []),
    ...(element.questionCount === 0 ? [NO_QUESTION] : []),
  ];
  return (
    <tr>
      <th scope="row">{element.code}</th>
      <td>{element.name}</td>
      <td>
        {element.courses.length === 0 ? (
          '—'
        ) : (
          <ul class="plain">
            {element.courses.map((c) => (
              <li key={c.id}>
                <a href={authoringPath(c.id)}>{c.title}</a>
                {c.archived && <span class="meta"> (đã lưu trữ)</span>}
              </li>
            ))}
          </ul>
        )}
      </td>
      <td>{element.questionCount}</td>
      <td>{missing.length === 0 ? '—' : <strong>{missing.join('; ')}</strong>}</td>
    </tr>
  );
}

function GroupTable({ group }: { group: GroupCoverage }) {
  const caption = `${group.code}. ${group.name}`;
  return (
    <table class="data">
      <caption>
        {caption}
        {group.provisional && <span class="meta"> (chưa đối chiếu với văn bản gốc)</span>}
      </caption>
      <thead>
        <tr>
          <th scope="col">Mã</th>
          <th scope="col">Nội dung</th>
          <th scope="col">Khóa học dạy</th>
          <th scope="col">Số câu hỏi</th>
          <th scope="col">Còn thiếu</th>
        </tr>
      </thead>
      <tbody>
        {group.elements.map((e) => (
          <ElementRow key={e.code} element={e} />
        ))}
      </tbody>
    </table>
  );
}

function FrameworkSection({ framework }: { framework: FrameworkCoverage }) {
  return (
    <section aria-labelledby={`khung-${framework.code}`}>
      <h2 id={`khung-${framework.code}`}>{framework.title}</h2>
      <p class="meta">
        Theo <a href={framework.sourceUrl}>{framework.source}</a>.
      </p>
      {framework.groups.map((g) => (
        <GroupTable key={g.code} group={g} />
      ))}
    </section>
  );
}

function CoveragePage({ shell, coverage }: { shell: Shell; coverage: Coverage }) {
  return (
    <Layout shell={shell} title="Độ phủ khung năng lực">
      <p class="crumbs">
        <a href="/soan-bai">Soạn bài</a>
      </p>
      <h1>Độ phủ khung năng lực số</h1>
      <p>
        Mỗi mục của các khung năng lực số được dạy trong khóa học nào và có bao nhiêu câu hỏi đánh giá. Một
        khóa học dạy một mục khi mục đó được gắn cho khóa học hoặc cho một bài học trong phiên bản đang dùng;
        khóa học đã lưu trữ vẫn được tính và có ghi chú. Số câu hỏi đếm trong mọi ngân hàng câu hỏi của đơn
        vị.
      </p>
      <p class="hint">
        Các nhóm ghi “chưa đối chiếu với văn bản gốc” là cách chia tạm thời, chưa được đọc trong văn bản chính
        thức: hãy dùng thận trọng.
      </p>
      <Summary coverage={coverage} />
      {coverage.frameworks.map((f) => (
        <FrameworkSection key={f.code} framework={f} />
      ))}
    </Layout>
  );
}

/** Coverage of the national frameworks by the tenant's courses and questions, for content managers. */
export const coveragePages = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get('/soan-bai/khung-nang-luc', { config: { access: 'signedIn' } }, async (request, reply) => {
    const tenantId = request.tenant.id;
    authorize(catalogPolicy(actorOf(request), 'course.author', { status: 'draft', tenantId }));
    return sendPage(
      reply,
      <CoveragePage
        shell={shellOf(ctx, request, reply)}
        coverage={await frameworkCoverage(ctx.db, tenantId)}
      />,
    );
  });
};
