import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { conflict, notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { toUnit, type Unit } from '../org/service.js';
import { reportsPolicy } from './policy.js';
import { XLSX_TYPE } from './scheduleExport.js';
import { mayManageSchedule, mayReadSchedule, maySchedule } from './schedulePolicy.js';
import {
  createSchedule,
  EMPTY_FORM,
  listSchedules,
  removeSchedule,
  type ScheduleForm,
  scheduleById,
  setPaused,
  snapshotById,
  snapshotCount,
  snapshotPage,
  storedDashboard,
  subjectChoices,
  subjectTitle,
} from './scheduleService.js';
import {
  RemoveSchedulePage,
  SCHEDULES_PATH,
  ScheduleFormPage,
  ScheduleListPage,
  SchedulePage,
  SnapshotPage,
  schedulePath,
} from './scheduleViews.js';

const PAGE = { config: { access: 'signedIn' as const } };
const RUNS_PER_PAGE = 20;
/** How far below a reader's scope the unit picker goes (a province: districts and communes). */
const PICKER_LEVELS = 2;

/** A download's name: ASCII, from the occurrence's time in Vietnam (`bao-cao-2026-03-02-0700`). */
const fileName = (dueAt: string) => {
  const local = new Date(Date.parse(dueAt) + 7 * 3_600_000).toISOString();
  return `bao-cao-dinh-ky-${local.slice(0, 10)}-${local.slice(11, 13)}${local.slice(14, 16)}`;
};

/** Scheduled reports: list, new schedule, a schedule with its runs, a run's figures and files. */
export const schedulePages = (ctx: AppContext) => async (app: FastifyInstance) => {
  /** Units the actor may schedule on: their scopes and a few levels below, as in force today. */
  const pickableUnits = async (request: FastifyRequest, wanted: string): Promise<Unit[]> => {
    const actor = actorOf(request) as Actor;
    const tenantId = request.tenant.id;
    const root = await ctx.org.rootUnit(tenantId);
    const scopes = actor.grants
      .filter((g) => reportsPolicy(actor, 'report.read', { tenantId, unitPath: g.unitPath }))
      .map((g) => g.unitPath ?? root?.path ?? '');
    const snapshot = await ctx.org.snapshotOn(tenantId, todayInVietnam());
    return [...snapshot.units.values()]
      .map(toUnit)
      .filter(
        (u) =>
          (u.id === wanted && mayReadSchedule(actor, u)) ||
          scopes.some((path) => {
            const depth = path.split('/').filter(Boolean).length - 1;
            return u.path.startsWith(path) && u.depth <= depth + PICKER_LEVELS;
          }),
      )
      .sort((a, b) => a.path.localeCompare(b.path));
  };

  const formPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: ScheduleForm,
    error?: unknown,
  ) => {
    const problems = formProblems(error);
    const [units, subjects] = await Promise.all([
      pickableUnits(request, form['don-vi']),
      subjectChoices(ctx, request.tenant.id),
    ]);
    return sendPage(
      reply,
      <ScheduleFormPage
        shell={shellOf(ctx, request, reply)}
        form={form}
        units={units}
        subjects={subjects}
        errors={problems.fields}
        message={problems.message}
      />,
      problems.status,
    );
  };

  /** The schedule in the URL, once the reader may read reports on its unit; 404 outside the tenant. */
  const visibleSchedule = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const schedule = await scheduleById(ctx, request.tenant.id, id);
    const unit = schedule && (await ctx.org.unit(request.tenant.id, schedule.unitId));
    if (!schedule || !unit) throw notFound('Không tìm thấy lịch báo cáo này.');
    const actor = actorOf(request);
    authorize(mayReadSchedule(actor, unit));
    return { schedule, unit, actor: actor as Actor };
  };

  /** The schedule, for its creator or a tenant admin who may still read reports on its unit. */
  const managedSchedule = async (request: FastifyRequest) => {
    const found = await visibleSchedule(request);
    authorize(mayManageSchedule(found.actor, found.schedule, found.unit));
    return found;
  };

  const visibleSnapshot = async (request: FastifyRequest) => {
    const { schedule } = await visibleSchedule(request);
    const { snapshotId } = request.params as { snapshotId: string };
    const snapshot = await snapshotById(ctx, schedule.id, snapshotId);
    const dashboard = snapshot && storedDashboard(snapshot);
    if (!snapshot || !dashboard) throw notFound('Không tìm thấy lần lập báo cáo này, hoặc nó chưa lập xong.');
    return { schedule, snapshot, dashboard };
  };

  app.get(SCHEDULES_PATH, PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    authorize(maySchedule(actor, request.tenant.id));
    const items = await listSchedules(ctx, request.tenant.id, (unit) => mayReadSchedule(actor, unit));
    const subjects = new Map(
      await Promise.all(
        [...new Set(items.map((i) => i.schedule.subject))].map(
          async (s) => [s, await subjectTitle(ctx, request.tenant.id, s)] as const,
        ),
      ),
    );
    return sendPage(
      reply,
      <ScheduleListPage shell={shellOf(ctx, request, reply)} items={items} subjects={subjects} />,
    );
  });

  // The dashboard can link here with its unit and filters (`?don-vi=…&mon=…&khoi=…`).
  app.get(`${SCHEDULES_PATH}/moi`, PAGE, async (request, reply) => {
    authorize(maySchedule(actorOf(request), request.tenant.id));
    const query = readForm(request.query);
    return formPage(request, reply, {
      ...EMPTY_FORM,
      'don-vi': query['don-vi'] ?? '',
      mon: query.mon || EMPTY_FORM.mon,
      khoi: query.khoi ?? '',
    });
  });

  app.post(`${SCHEDULES_PATH}/moi`, PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    // Whoever reads reports somewhere gets this far; the unit chosen is checked with the form.
    authorize(maySchedule(actor, request.tenant.id));
    const fields = readForm(request.body);
    const form: ScheduleForm = {
      ten: fields.ten ?? '',
      'don-vi': fields['don-vi'] ?? '',
      mon: fields.mon ?? '',
      khoi: fields.khoi ?? '',
      'tan-suat': fields['tan-suat'] ?? '',
      thu: fields.thu ?? '',
      'ngay-trong-thang': fields['ngay-trong-thang'] ?? '',
      gio: fields.gio ?? '',
    };
    try {
      const schedule = await createSchedule(ctx, actor, request.tenant.id, form);
      return reply.redirect(`${schedulePath(schedule.id)}?da=lap`, 303);
    } catch (error) {
      return formPage(request, reply, form, error);
    }
  });

  app.get(`${SCHEDULES_PATH}/:id`, PAGE, async (request, reply) => {
    const { schedule, unit, actor } = await visibleSchedule(request);
    const query = readForm(request.query);
    const total = await snapshotCount(ctx, schedule.id);
    const pages = Math.max(1, Math.ceil(total / RUNS_PER_PAGE));
    const asked = Number.parseInt(query.trang ?? '', 10);
    const page = Number.isSafeInteger(asked) ? Math.min(Math.max(asked, 1), pages) : 1;
    const [runs, subject, creator] = await Promise.all([
      snapshotPage(ctx, schedule.id, RUNS_PER_PAGE, (page - 1) * RUNS_PER_PAGE),
      subjectTitle(ctx, request.tenant.id, schedule.subject),
      ctx.identity.account(request.tenant.id, schedule.createdBy),
    ]);
    return sendPage(
      reply,
      <SchedulePage
        shell={shellOf(ctx, request, reply)}
        schedule={schedule}
        unit={unit}
        subject={subject}
        creator={creator?.fullName ?? '—'}
        canManage={mayManageSchedule(actor, schedule, unit)}
        runs={runs}
        page={page}
        pages={pages}
        total={total}
        done={query.da}
      />,
    );
  });

  app.post(`${SCHEDULES_PATH}/:id/tam-dung`, PAGE, async (request, reply) => {
    const { schedule } = await managedSchedule(request);
    const wanted = readForm(request.body)['trang-thai'];
    if (wanted !== 'tam-dung' && wanted !== 'tiep-tuc')
      throw validationFailed(
        { 'trang-thai': 'Hãy chọn tạm dừng hoặc cho chạy tiếp.' },
        'Hãy chọn tạm dừng hoặc cho chạy tiếp.',
      );
    if (schedule.removedAt)
      throw conflict({}, 'Lịch này đã bị xóa nên không tạm dừng hay cho chạy tiếp được nữa.');
    await setPaused(ctx, schedule, wanted === 'tam-dung');
    return reply.redirect(`${schedulePath(schedule.id)}?da=${wanted}`, 303);
  });

  app.get(`${SCHEDULES_PATH}/:id/xoa`, PAGE, async (request, reply) => {
    const { schedule } = await managedSchedule(request);
    return sendPage(
      reply,
      <RemoveSchedulePage
        shell={shellOf(ctx, request, reply)}
        schedule={schedule}
        snapshots={await snapshotCount(ctx, schedule.id)}
      />,
    );
  });

  app.post(`${SCHEDULES_PATH}/:id/xoa`, PAGE, async (request, reply) => {
    const { schedule, actor } = await managedSchedule(request);
    if (readForm(request.body)['xac-nhan'] !== 'co')
      throw validationFailed(
        { 'xac-nhan': 'Hãy xác nhận bằng nút "Xóa lịch" trên trang xác nhận.' },
        'Chưa xóa: hãy xác nhận bằng nút "Xóa lịch" trên trang xác nhận.',
      );
    await removeSchedule(ctx, schedule, actor);
    return reply.redirect(`${schedulePath(schedule.id)}?da=xoa`, 303);
  });

  app.get(`${SCHEDULES_PATH}/:id/ban-chup/:snapshotId`, PAGE, async (request, reply) => {
    const { schedule, snapshot, dashboard } = await visibleSnapshot(request);
    return sendPage(
      reply,
      <SnapshotPage
        shell={shellOf(ctx, request, reply)}
        schedule={schedule}
        snapshot={snapshot}
        dashboard={dashboard}
      />,
    );
  });

  // The stored file, byte for byte as the run wrote it.
  const sendStored = (reply: FastifyReply, name: string | null, type: string, download: string) => {
    const bytes = name ? ctx.files.get(name) : null;
    if (!bytes) throw notFound('Không tìm thấy tệp của lần lập báo cáo này.');
    return reply
      .header('content-type', type)
      .header('content-disposition', `attachment; filename="${download}"`)
      .header('cache-control', 'private, no-store')
      .send(bytes);
  };

  app.get(`${SCHEDULES_PATH}/:id/ban-chup/:snapshotId/bao-cao.xlsx`, PAGE, async (request, reply) => {
    const { snapshot } = await visibleSnapshot(request);
    return sendStored(reply, snapshot.xlsxFile, XLSX_TYPE, `${fileName(snapshot.dueAt)}.xlsx`);
  });

  app.get(`${SCHEDULES_PATH}/:id/ban-chup/:snapshotId/tom-tat.pdf`, PAGE, async (request, reply) => {
    const { snapshot } = await visibleSnapshot(request);
    return sendStored(reply, snapshot.pdfFile, 'application/pdf', `${fileName(snapshot.dueAt)}.pdf`);
  });
};
