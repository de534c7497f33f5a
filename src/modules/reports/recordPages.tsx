import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { Listing } from '../../web/listing.js';
import { Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { sendTable } from '../../web/tableDownload.js';
import { identityPolicy } from '../identity/policy.js';
import type { AccountView } from '../identity/service.js';
import type { Unit } from '../org/service.js';
import { peopleTable } from './exports.js';
import { learningRecord, readRecord } from './learningRecord.js';
import { RecordPage, recordHref, recordTable } from './recordViews.js';
import { REPORT_HOME } from './views.js';

const PAGE = { config: { access: 'signedIn' as const } };
const PEOPLE_PER_PAGE = 50;

function PeoplePage(props: { shell: Shell; unit: Unit; people: AccountView[]; page: number; more: boolean }) {
  const { shell, unit, people, page, more } = props;
  const pageHref = (n: number) => `${REPORT_HOME}/${unit.id}/nguoi?trang=${n}`;
  return (
    <Layout shell={shell} title={`Người học: ${unit.fullName}`}>
      <p class="crumbs">
        <a href={`${REPORT_HOME}/${unit.id}`}>Báo cáo {unit.fullName}</a>
      </p>
      <h1>Người thuộc {unit.fullName} và các đơn vị trực thuộc</h1>
      <p class="no-print">
        Tải danh sách: <a href={`${REPORT_HOME}/${unit.id}/nguoi.xlsx`}>Excel (.xlsx)</a> ·{' '}
        <a href={`${REPORT_HOME}/${unit.id}/nguoi.csv`}>CSV</a> (việc tải về được ghi vào nhật ký)
      </p>
      <Listing
        caption={`Trang ${page}`}
        empty={page === 1 ? 'Chưa có ai trong đơn vị này.' : 'Không còn ai ở trang này.'}
        head={['Họ và tên', 'Đối tượng', 'Đơn vị']}
        rows={people}
        row={(p) => (
          <tr key={p.id}>
            <td>
              <a href={recordHref(p.id)}>{p.fullName}</a>
            </td>
            <td>{p.blockLabel}</td>
            <td>{p.homeUnit?.fullName ?? '–'}</td>
          </tr>
        )}
      />
      <Pager page={page} hasNext={more} href={pageHref} label="Các trang danh sách người" />
    </Layout>
  );
}

/** Who is in a unit, and each person's learning record: for their managers and evaluators. */
export const recordPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** The person a record address names, once the viewer may read their record (member.read). */
  const personOf = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const account = await ctx.identity.account(request.tenant.id, id);
    if (!account || account.deletedAt) throw notFound('Không tìm thấy người này.');
    const home = account.homeUnitId ? await ctx.org.unit(request.tenant.id, account.homeUnitId) : undefined;
    const viewer = actorOf(request) as Actor;
    authorize(
      identityPolicy(viewer, 'member.read', {
        tenantId: account.tenantId,
        unitPath: home?.path ?? null,
        accountId: account.id,
      }),
    );
    return { account, viewer };
  };

  app.get('/bao-cao/nguoi/:id', PAGE, async (request, reply) => {
    const { account, viewer } = await personOf(request);
    const record = await learningRecord(ctx, viewer, account);
    return sendPage(reply, <RecordPage shell={shellOf(ctx, request, reply)} record={record} />);
  });

  app.get('/bao-cao/nguoi/:id/ho-so.xlsx', PAGE, async (request, reply) => {
    const { account, viewer } = await personOf(request);
    const record = await readRecord(ctx, account);
    // A person's record leaving the platform, even their own: recorded before the first byte.
    await ctx.audit.record(ctx.db, {
      tenantId: account.tenantId,
      actor: viewer,
      action: 'personal_data.exported',
      subject: { type: 'account', id: account.id, label: `Hồ sơ học tập: ${account.fullName}` },
      unitId: account.homeUnitId,
      details: { format: 'xlsx' },
    });
    return sendTable(
      request,
      reply,
      recordTable(record, viewer.fullName),
      'xlsx',
      `ho-so-hoc-tap-${account.id}`,
    );
  });

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`${REPORT_HOME}/:id/nguoi.${format}`, PAGE, async (request, reply) => {
      const { id } = request.params as { id: string };
      const unit = await ctx.org.unit(request.tenant.id, id);
      if (!unit) throw notFound('Không tìm thấy đơn vị này.');
      const actor = actorOf(request) as Actor;
      authorize(identityPolicy(actor, 'member.list', { tenantId: unit.tenantId, unitPath: unit.path }));
      // A list of people is personal data leaving the platform: recorded before the first byte.
      await ctx.audit.record(ctx.db, {
        tenantId: unit.tenantId,
        actor,
        action: 'personal_data.exported',
        subject: { type: 'unit', id: unit.id, label: `Danh sách người: ${unit.fullName}` },
        unitId: unit.id,
        details: { format },
      });
      return sendTable(
        request,
        reply,
        peopleTable(ctx, unit, actor.fullName),
        format,
        `nguoi-hoc-${unit.code ?? unit.id}`,
      );
    });
  }

  app.get(`${REPORT_HOME}/:id/nguoi`, PAGE, async (request, reply) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    authorize(
      identityPolicy(actorOf(request), 'member.list', { tenantId: unit.tenantId, unitPath: unit.path }),
    );
    const asked = Number.parseInt(readForm(request.query).trang ?? '1', 10);
    const page = Number.isSafeInteger(asked) && asked > 0 ? asked : 1;
    const rows = await ctx.identity.membersOfSubtree(unit.tenantId, unit.path, page, PEOPLE_PER_PAGE);
    const people = await ctx.identity.views(unit.tenantId, rows);
    return sendPage(
      reply,
      <PeoplePage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        people={people}
        page={page}
        // A full page may have a next one; an empty next page says so.
        more={rows.length === PEOPLE_PER_PAGE}
      />,
    );
  });
};
