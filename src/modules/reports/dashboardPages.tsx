import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { sendTable } from '../../web/tableDownload.js';
import { isBlock } from '../identity/blocks.js';
import { childTable, peopleTable } from './dashboard/exports.js';
import { TARGET_METRICS, type TargetMetric } from './dashboard/figures.js';
import { readFilters } from './dashboard/filterForm.js';
import { type Cursor, isDrill } from './dashboard/people.js';
import { PeoplePage } from './dashboard/peopleViews.js';
import { RemoveTargetPage, TARGETS_HREF, type TargetForm, TargetsPage } from './dashboard/targetViews.js';
import { DashboardPage, isChildColumn, type Sort } from './dashboard/views.js';
import { reportsPolicy } from './policy.js';

const PAGE = { config: { access: 'signedIn' as const } };
const PEOPLE_PER_PAGE = 50;

const encodeCursor = (c: Cursor) => Buffer.from(JSON.stringify(c)).toString('base64url');
function decodeCursor(text: string | undefined): Cursor | null {
  if (!text) return null;
  try {
    const value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
    return Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === 'string')
      ? (value as Cursor)
      : null;
  } catch {
    return null;
  }
}

const EMPTY_TARGET: TargetForm = {
  year: String(new Date().getFullYear()),
  block: '',
  unitId: '',
  metric: '',
  percent: '',
};

/** A target's fields checked, or every problem in Vietnamese. */
function checkTarget(form: TargetForm, unitIds: Set<string>) {
  const errors: Record<string, string> = {};
  const year = Number(form.year);
  if (!Number.isInteger(year) || year < 2020 || year > 2100) errors.year = 'Năm cần là số từ 2020 đến 2100.';
  if (!isBlock(form.block)) errors.block = 'Hãy chọn khối.';
  if (!(TARGET_METRICS as readonly string[]).includes(form.metric))
    errors.metric = 'Hãy chọn nội dung chỉ tiêu.';
  if (form.unitId !== '' && !unitIds.has(form.unitId)) errors.unitId = 'Đơn vị đã chọn không tồn tại.';
  const percent = Number(form.percent);
  if (form.percent.trim() === '' || !Number.isInteger(percent) || percent < 1 || percent > 100)
    errors.percent = 'Tỉ lệ cần là số nguyên từ 1 đến 100.';
  if (Object.keys(errors).length > 0) throw validationFailed(errors);
  return { year, block: form.block, unitId: form.unitId, metric: form.metric as TargetMetric, percent };
}

/** The monitoring dashboard, the people behind its figures, its exports, and the targets. */
export const dashboardPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** The unit in the address, once the reader may see reports on it. */
  const readable = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    const actor = actorOf(request);
    authorize(reportsPolicy(actor, 'report.read', { tenantId: unit.tenantId, unitPath: unit.path }));
    const subjects = await ctx.dashboards.subjects(request.tenant.id);
    const today = todayInVietnam();
    const { filters, errors } = readFilters(readForm(request.query), subjects, today);
    return { unit, actor: actor as Actor, subjects, filters, errors, today };
  };

  const dashboardOf = async (request: FastifyRequest) => {
    const read = await readable(request);
    const dashboard = await ctx.dashboards.dashboard(request.tenant.id, read.unit.id, read.filters);
    if (!dashboard) throw notFound('Không tìm thấy đơn vị này.');
    return { ...read, dashboard };
  };

  app.get('/bao-cao/don-vi/:id/tong-quan', PAGE, async (request, reply) => {
    const { unit, actor, subjects, errors, dashboard } = await dashboardOf(request);
    // A current child's path is its parent's followed by its own id.
    const childPlaces = dashboard.children.map((c) => ({ id: c.unitId, path: `${unit.path}${c.unitId}/` }));
    const period = { from: dashboard.filters.from, to: dashboard.filters.to };
    const [community, classes] = await Promise.all([
      ctx.community.unitSummary(request.tenant.id, unit, childPlaces, period),
      ctx.classes.unitSummary(request.tenant.id, [unit, ...childPlaces], period),
    ]);
    const query = readForm(request.query);
    const column = query['sap-xep'] ?? '';
    const sort: Sort =
      column === 'ten' || isChildColumn(column)
        ? { column, descending: query.chieu === 'giam' }
        : { column: 'ti-le-hoan-thanh', descending: false };
    // The trail up to the unit, from the highest unit the reader may see.
    const trail = (await ctx.org.lineage(request.tenant.id, unit)).filter((u) =>
      reportsPolicy(actor, 'report.read', { tenantId: u.tenantId, unitPath: u.path }),
    );
    return sendPage(
      reply,
      <DashboardPage
        shell={shellOf(ctx, request, reply)}
        dashboard={dashboard}
        trail={trail}
        subjects={subjects}
        errors={errors}
        sort={sort}
        community={community}
        classes={classes}
      />,
    );
  });

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(`/bao-cao/don-vi/:id/tong-quan/don-vi-con.${format}`, PAGE, async (request, reply) => {
      const { unit, actor, dashboard } = await dashboardOf(request);
      return sendTable(
        request,
        reply,
        childTable(dashboard, actor.fullName),
        format,
        `tong-quan-${unit.code ?? unit.id}`,
      );
    });

    app.get(`/bao-cao/don-vi/:id/danh-sach/:drill/danh-sach.${format}`, PAGE, async (request, reply) => {
      const { drill } = request.params as { drill: string };
      if (!isDrill(drill)) throw notFound('Không có danh sách này.');
      const { unit, actor, filters, subjects, today } = await readable(request);
      const subjectTitle =
        subjects.find((s) => s.id === filters.subject)?.title ?? 'Mọi khóa học và chương trình';
      // A list of people is personal data leaving the platform: recorded before the first byte.
      await ctx.audit.record(ctx.db, {
        tenantId: unit.tenantId,
        actor,
        action: 'personal_data.exported',
        subject: { type: 'unit', id: unit.id, label: `Danh sách "${drill}": ${unit.fullName}` },
        unitId: unit.id,
        details: { format, drill, ...filters },
      });
      return sendTable(
        request,
        reply,
        peopleTable(ctx.dashboards, unit.tenantId, unit, drill, filters, subjectTitle, today, actor.fullName),
        format,
        `danh-sach-${drill}-${unit.code ?? unit.id}`,
      );
    });
  }

  app.get('/bao-cao/don-vi/:id/danh-sach/:drill', PAGE, async (request, reply) => {
    const { drill } = request.params as { drill: string };
    if (!isDrill(drill)) throw notFound('Không có danh sách này.');
    const { unit, filters, subjects } = await readable(request);
    const after = decodeCursor(readForm(request.query).sau);
    const page = await ctx.dashboards.people(
      request.tenant.id,
      unit.id,
      drill,
      filters,
      after,
      PEOPLE_PER_PAGE,
    );
    if (!page) throw notFound();
    return sendPage(
      reply,
      <PeoplePage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        drill={drill}
        filters={filters}
        subjectTitle={subjects.find((s) => s.id === filters.subject)?.title ?? 'Mọi khóa học và chương trình'}
        rows={page.rows}
        nextCursor={page.next ? encodeCursor(page.next) : null}
        first={after === null}
      />,
    );
  });

  // Targets: read by whoever reads reports somewhere; set by the tenant's admins.
  const targetsPage = async (
    request: FastifyRequest,
    reply: Parameters<typeof sendPage>[0],
    form: TargetForm,
    error?: unknown,
  ) => {
    const actor = actorOf(request) as Actor;
    const tenantId = request.tenant.id;
    const [targets, root] = await Promise.all([
      ctx.dashboards.targets.list(tenantId),
      ctx.org.rootUnit(tenantId),
    ]);
    const units = root ? [root, ...(await ctx.org.children(tenantId, root.id))] : [];
    const named = await ctx.org.unitsByIds(tenantId, targets.map((t) => t.unitId).filter(Boolean));
    const problems = formProblems(error);
    return sendPage(
      reply,
      <TargetsPage
        shell={shellOf(ctx, request, reply)}
        targets={targets}
        unitNames={new Map([...named].map(([id, u]) => [id, u.fullName]))}
        units={units}
        canManage={reportsPolicy(actor, 'target.manage', { tenantId, unitPath: null })}
        form={form}
        errors={problems.fields}
        saved={readForm(request.query).luu === '1'}
      />,
      error ? problems.status : 200,
    );
  };

  const mayRead = (request: FastifyRequest) => {
    const actor = actorOf(request) as Actor;
    return actor.grants.some((g) =>
      reportsPolicy(actor, 'report.read', { tenantId: request.tenant.id, unitPath: g.unitPath }),
    );
  };
  const mayManage = (request: FastifyRequest) =>
    reportsPolicy(actorOf(request), 'target.manage', { tenantId: request.tenant.id, unitPath: null });

  app.get(TARGETS_HREF, PAGE, async (request, reply) => {
    authorize(mayRead(request));
    return targetsPage(request, reply, EMPTY_TARGET);
  });

  app.post(TARGETS_HREF, PAGE, async (request, reply) => {
    authorize(mayManage(request));
    const fields = readForm(request.body);
    const form: TargetForm = {
      year: fields.year ?? '',
      block: fields.block ?? '',
      unitId: fields.unitId ?? '',
      metric: fields.metric ?? '',
      percent: fields.percent ?? '',
    };
    const tenantId = request.tenant.id;
    try {
      const unit = form.unitId ? await ctx.org.unit(tenantId, form.unitId) : undefined;
      const target = checkTarget(form, new Set(unit ? [unit.id] : []));
      const actor = actorOf(request) as Actor;
      await ctx.dashboards.targets.set(tenantId, target, actor.accountId);
      await ctx.audit.record(ctx.db, {
        tenantId,
        actor,
        action: 'report.target_set',
        subject: {
          type: 'target',
          id: `${target.year}:${target.block}:${target.metric}`,
          label: unit?.fullName ?? 'Toàn đơn vị chủ quản',
        },
        unitId: unit?.id ?? null,
        details: target,
      });
    } catch (error) {
      return targetsPage(request, reply, form, error);
    }
    return reply.redirect(`${TARGETS_HREF}?luu=1`, 303);
  });

  const targetOf = async (request: FastifyRequest) => {
    authorize(mayManage(request));
    const { targetId } = request.params as { targetId: string };
    const target = (await ctx.dashboards.targets.list(request.tenant.id)).find((t) => t.id === targetId);
    if (!target) throw notFound('Không tìm thấy chỉ tiêu này.');
    const unit = target.unitId ? await ctx.org.unit(request.tenant.id, target.unitId) : undefined;
    return { target, scope: unit?.fullName ?? 'toàn đơn vị chủ quản' };
  };

  app.get(`${TARGETS_HREF}/:targetId/xoa`, PAGE, async (request, reply) => {
    const { target, scope } = await targetOf(request);
    return sendPage(
      reply,
      <RemoveTargetPage shell={shellOf(ctx, request, reply)} target={target} scope={scope} />,
    );
  });

  app.post(`${TARGETS_HREF}/:targetId/xoa`, PAGE, async (request, reply) => {
    const { target, scope } = await targetOf(request);
    await ctx.dashboards.targets.remove(request.tenant.id, target.id);
    await ctx.audit.record(ctx.db, {
      tenantId: request.tenant.id,
      actor: actorOf(request) as Actor,
      action: 'report.target_removed',
      subject: { type: 'target', id: target.id, label: scope },
      unitId: target.unitId || null,
      details: { year: target.year, block: target.block, metric: target.metric, percent: target.percent },
    });
    return reply.redirect(TARGETS_HREF, 303);
  });
};
