import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { sendTable } from '../../web/tableDownload.js';
import { isCalendarDay } from '../org/history.js';
import { dashboardHref } from './dashboard/views.js';
import { unitReportTable } from './exports.js';
import { reportsPolicy } from './policy.js';
import { NotYetPage, REPORT_HOME, type ReportForm, structureOf, UnitReportPage } from './views.js';

const PAGE = { config: { access: 'signedIn' as const } };

/** The day and structure in the address; a malformed or future day falls back to today, and says so. */
function formOf(request: FastifyRequest): ReportForm {
  const query = readForm(request.query);
  const today = todayInVietnam();
  const asked = (query.ngay ?? '').trim();
  const structure = structureOf(query['co-cau']);
  if (asked === '') return { day: today, structure };
  if (!isCalendarDay(asked))
    return { day: today, structure, dayError: 'Ngày không hợp lệ; đang xem đến hôm nay.' };
  if (asked > today) return { day: today, structure, dayError: 'Ngày ở tương lai; đang xem đến hôm nay.' };
  return { day: asked, structure };
}

/** Learning per unit, as of a day or in today's structure: evaluators, admins and unit managers. */
export const reportPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** Where a reader starts: the dashboard of the whole tenant, or of the first unit they oversee. */
  app.get(REPORT_HOME, PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const tenantId = request.tenant.id;
    const scopes = actor.grants.filter((g) =>
      reportsPolicy(actor, 'report.read', { tenantId, unitPath: g.unitPath }),
    );
    authorize(scopes.length > 0);
    const root = await ctx.org.rootUnit(tenantId);
    const scoped = scopes.find((g) => g.unitPath !== null)?.unitPath;
    const startId = scopes.some((g) => g.unitPath === null)
      ? root?.id
      : scoped?.split('/').filter(Boolean).pop();
    if (!startId) throw notFound('Không tìm thấy đơn vị để báo cáo.');
    return reply.redirect(dashboardHref(startId), 303);
  });

  /**
   * The unit in the URL and its report for the day and structure asked, once the reader may see
   * both (a merged unit's report is its successor's, which they may not oversee). No report:
   * the unit did not exist on that day.
   */
  const reportOf = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    const actor = actorOf(request);
    authorize(reportsPolicy(actor, 'report.read', { tenantId: unit.tenantId, unitPath: unit.path }));
    const form = formOf(request);
    const report = await ctx.reports.report(request.tenant.id, unit.id, form.day, form.structure);
    if (report && report.unit.id !== unit.id) {
      const shown = await ctx.org.unit(request.tenant.id, report.unit.id);
      authorize(
        shown !== undefined &&
          reportsPolicy(actor, 'report.read', { tenantId: shown.tenantId, unitPath: shown.path }),
      );
    }
    return { unit, form, report };
  };

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`${REPORT_HOME}/:id/bao-cao.${format}`, PAGE, async (request, reply) => {
      const { report } = await reportOf(request);
      if (!report) throw notFound('Đơn vị này chưa được thành lập vào ngày đã chọn.');
      const table = unitReportTable(report, (actorOf(request) as Actor).fullName);
      return sendTable(
        request,
        reply,
        table,
        format,
        `bao-cao-${report.unit.code ?? 'don-vi'}-${report.day}`,
      );
    });
  }

  app.get(`${REPORT_HOME}/:id`, PAGE, async (request, reply) => {
    const { unit, form, report } = await reportOf(request);
    const shell = shellOf(ctx, request, reply);
    if (!report) return sendPage(reply, <NotYetPage shell={shell} unit={unit} form={form} />);
    return sendPage(
      reply,
      <UnitReportPage
        shell={shell}
        form={form}
        report={report}
        asked={report.unit.id === unit.id ? undefined : unit}
      />,
    );
  });
};
