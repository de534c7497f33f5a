import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound } from '../../errors.js';
import { foldForSearch } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { type Chart, childChart, isChildRate, seriesChart, targetChart } from './charts.js';
import type { Dashboard } from './dashboard/figures.js';
import { readFilters } from './dashboard/filterForm.js';
import { reportsPolicy } from './policy.js';
import { summaryPdf } from './summaryPdf.js';

const PAGE = { config: { access: 'signedIn' as const } };

/** The dashboard's charts by file name; `chi-so` picks the rate child units are compared on. */
const CHARTS: Record<string, (d: Dashboard, query: Record<string, string | undefined>) => Chart> = {
  'theo-ngay.svg': (d) => seriesChart(d.series),
  'don-vi-con.svg': (d, query) => {
    const asked = (query['chi-so'] ?? '').trim();
    const rate = isChildRate(asked) ? asked : 'completed';
    return childChart(d.children, rate, { overall: d.rates[rate] });
  },
  'chi-tieu.svg': (d) => targetChart(d.targets),
};

/** "Huyện Đại Lộc" → "huyen-dai-loc", for file names. */
const slugOf = (unit: { fullName: string; code: string | null }) =>
  foldForSearch(unit.fullName).replace(/ /g, '-') ||
  (unit.code ?? '').replace(/[^A-Za-z0-9-]/g, '') ||
  'don-vi';

/**
 * The dashboard's charts as SVG files (shown with `<img>`: inline SVG would break under the CSP)
 * and its summary as a PDF for the Party committee, with the dashboard's filters and its readers.
 */
export const chartPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** The unit's dashboard for the filters in the address, once the reader may see the unit's reports. */
  const dashboardOf = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    const actor = actorOf(request);
    authorize(reportsPolicy(actor, 'report.read', { tenantId: unit.tenantId, unitPath: unit.path }));
    const query = readForm(request.query);
    // A filter that cannot be read is dropped, as on the dashboard (which also says so).
    const { filters } = readFilters(query, await ctx.dashboards.subjects(unit.tenantId), todayInVietnam());
    const dashboard = await ctx.dashboards.dashboard(unit.tenantId, unit.id, filters);
    if (!dashboard) throw notFound('Không tìm thấy đơn vị này.');
    return { unit, actor: actor as Actor, query, dashboard };
  };

  app.get('/bao-cao/don-vi/:id/bieu-do/:chart', PAGE, async (request, reply) => {
    const { chart } = request.params as { chart: string };
    const draw = Object.hasOwn(CHARTS, chart) ? CHARTS[chart] : undefined;
    if (!draw) throw notFound('Không có biểu đồ này.');
    const { dashboard, query } = await dashboardOf(request);
    return reply
      .header('content-type', 'image/svg+xml; charset=utf-8')
      .header('cache-control', 'private, max-age=60')
      .send(draw(dashboard, query).svg);
  });

  app.get('/bao-cao/don-vi/:id/tom-tat.pdf', PAGE, async (request, reply) => {
    const { unit, actor, dashboard } = await dashboardOf(request);
    const pdf = await summaryPdf(dashboard, {
      tenantName: request.tenant.name,
      generatedAt: new Date(),
      author: actor.fullName,
    });
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="bao-cao-${slugOf(unit)}.pdf"`)
      .header('cache-control', 'private, max-age=60')
      .send(pdf);
  });
};
