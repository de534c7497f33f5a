import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';
import { Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { nationalRollup, type TenantFigures } from './nationalRollup.js';
import { reportsPolicy } from './policy.js';

const NATIONAL_ROLLUP = '/nen-tang';

const number = (n: number) => n.toLocaleString('vi-VN');

function Cells({ figures }: { figures: Omit<TenantFigures, 'tenant'> }) {
  return (
    <>
      <td>{number(figures.units)}</td>
      <td>{number(figures.people)}</td>
      <td>{number(figures.learners)}</td>
      <td>{number(figures.coursesCompleted)}</td>
    </>
  );
}

function RollupPage(props: { shell: Shell; rollup: Awaited<ReturnType<typeof nationalRollup>> }) {
  const { shell, rollup } = props;
  return (
    <Layout shell={shell} title="Toàn quốc">
      <h1>Toàn quốc: các đơn vị chủ quản</h1>
      <p>
        Số liệu tổng hợp của mọi tỉnh, thành phố trên hệ thống. Chi tiết từng người chỉ xem được trong đơn vị
        chủ quản của họ.
      </p>
      <table class="data">
        <caption>Theo đơn vị chủ quản</caption>
        <thead>
          <tr>
            <th scope="col">Đơn vị chủ quản</th>
            <th scope="col">Đơn vị đang hoạt động</th>
            <th scope="col">Người có tài khoản</th>
            <th scope="col">Người đã học</th>
            <th scope="col">Lượt hoàn thành khóa học</th>
          </tr>
        </thead>
        <tbody>
          {rollup.tenants.map((row) => (
            <tr key={row.tenant.id}>
              <th scope="row">
                {row.tenant.name} <span class="meta">({row.tenant.slug})</span>
              </th>
              <Cells figures={row} />
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">Tổng cộng</th>
            <Cells figures={rollup.total} />
          </tr>
        </tfoot>
      </table>
    </Layout>
  );
}

/** The national roll-up for platform admins: every tenant's totals, no person's data. */
export const platformPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get(NATIONAL_ROLLUP, { config: { access: 'signedIn' } }, async (request, reply) => {
    authorize(
      reportsPolicy(actorOf(request), 'platform.read', { tenantId: request.tenant.id, unitPath: null }),
    );
    return sendPage(
      reply,
      <RollupPage shell={shellOf(ctx, request, reply)} rollup={await nationalRollup(ctx.db, ctx.org)} />,
    );
  });
};
