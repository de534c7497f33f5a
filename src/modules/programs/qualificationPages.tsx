import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { AppError, type FieldErrors, notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { sendTable } from '../../web/tableDownload.js';
import { unitOptions } from '../identity/unitChoices.js';
import { verifyPath } from '../learning/pages.js';
import type { PlacedUnit } from '../org/service.js';
import { qualificationApi } from './qualificationApi.js';
import { renderQualificationPdf } from './qualificationCertificate.js';
import { auditExport, exportFileName, exportTable } from './qualificationExport.js';
import { type FilterForm, filterFormOf, type ResolvedFilter, resolveFilter } from './qualificationFilters.js';
import { qualificationPolicy } from './qualificationPolicy.js';
import { revokeQualification } from './qualificationRevoke.js';
import {
  countQualifications,
  listQualifications,
  tenantQualification,
  withHolders,
} from './qualifications.js';
import {
  QUALIFICATIONS_CSV,
  QUALIFICATIONS_PATH,
  QUALIFICATIONS_XLSX,
  QualificationListPage,
  RevokePage,
} from './qualificationViews.js';

const PAGE_SIZE = 50;
const SIGNED_IN = { config: { access: 'signedIn' as const } };

/**
 * Qualifications as people see them: the certificate PDF, the list with its exports (.xlsx,
 * CSV, and the JSON API) for those who oversee units, and revocation by tenant admins.
 */
export const qualificationPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await app.register(qualificationApi(ctx));

  const tenantScope = (request: FastifyRequest) => ({ tenantId: request.tenant.id, unitPath: null });

  app.get('/chung-nhan-dat-yeu-cau/:qualification.pdf', SIGNED_IN, async (request, reply) => {
    const { qualification: code } = request.params as { qualification: string };
    const qualification = await tenantQualification(ctx.db, request.tenant.id, code);
    if (!qualification) throw notFound('Không tìm thấy giấy chứng nhận.');
    authorize(
      qualificationPolicy(actorOf(request), 'qualification.download', { ...qualification, unitPath: null }),
    );
    if (qualification.revokedAt)
      throw new AppError(410, 'revoked', 'Xác nhận này đã bị thu hồi, không còn giấy chứng nhận.');
    const pdf = await renderQualificationPdf(
      qualification,
      request.tenant.name,
      `${ctx.config.publicUrl}${verifyPath(qualification.code)}`,
    );
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `attachment; filename="dat-yeu-cau-${qualification.code}.pdf"`)
      .header('cache-control', 'private, no-store')
      .send(pdf);
  });

  /** The units offered in the filter: those a search finds that the actor may export, and the chosen one. */
  const unitChoices = async (request: FastifyRequest, form: FilterForm): Promise<PlacedUnit[]> => {
    const found = await unitOptions(ctx.org, request.tenant.id, form.unitQuery, form.unitId || undefined);
    const actor = actorOf(request);
    return found.filter((unit) =>
      qualificationPolicy(actor, 'qualification.export', {
        tenantId: request.tenant.id,
        unitPath: unit.path,
      }),
    );
  };

  const showList = async (request: FastifyRequest, reply: FastifyReply, notice?: string) => {
    const actor = actorOf(request);
    const form = filterFormOf(request.query);
    let resolved: ResolvedFilter | null = null;
    let errors: FieldErrors = {};
    try {
      resolved = await resolveFilter(ctx, actor, request.tenant.id, form);
    } catch (error) {
      const problems = formProblems(error);
      if (problems.status !== 400) throw error;
      errors = problems.fields;
    }
    const asked = Number.parseInt(String((request.query as Record<string, unknown>).trang ?? ''), 10);
    let listing = null;
    if (resolved) {
      const total = await countQualifications(ctx.db, resolved.filter);
      const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
      const page = Math.min(Math.max(Number.isSafeInteger(asked) ? asked : 1, 1), pages);
      const rows = await listQualifications(ctx.db, resolved.filter, {
        limit: PAGE_SIZE,
        offset: (page - 1) * PAGE_SIZE,
      });
      listing = {
        records: await withHolders(ctx.db, ctx.org, resolved.filter.today, rows),
        total,
        page,
        pages,
      };
    }
    return sendPage(
      reply,
      <QualificationListPage
        shell={shellOf(ctx, request, reply)}
        form={form}
        units={await unitChoices(request, form)}
        listing={listing}
        errors={errors}
        mayRevoke={qualificationPolicy(actor, 'qualification.revoke', tenantScope(request))}
        today={todayInVietnam()}
        notice={notice}
      />,
      resolved ? 200 : 400,
    );
  };

  app.get(QUALIFICATIONS_PATH, SIGNED_IN, (request, reply) =>
    showList(request, reply, readForm(request.query).xong ? 'Đã thu hồi xác nhận.' : undefined),
  );

  /** The checked filter of an export request, and its audit event, before any byte is sent. */
  const exportFilter = async (request: FastifyRequest, format: 'xlsx' | 'csv') => {
    const actor = actorOf(request) as Actor;
    const resolved = await resolveFilter(ctx, actor, request.tenant.id, filterFormOf(request.query));
    await auditExport(ctx, actor, resolved, format);
    return { actor, resolved };
  };

  for (const format of ['xlsx', 'csv'] as const) {
    app.get(
      format === 'xlsx' ? QUALIFICATIONS_XLSX : QUALIFICATIONS_CSV,
      SIGNED_IN,
      async (request, reply) => {
        const { actor, resolved } = await exportFilter(request, format);
        return sendTable(
          request,
          reply,
          exportTable(ctx, resolved, actor.fullName),
          format,
          exportFileName(),
        );
      },
    );
  }

  /** The qualification in the URL, once the actor may revoke at all. */
  const revocable = async (request: FastifyRequest) => {
    authorize(qualificationPolicy(actorOf(request), 'qualification.revoke', tenantScope(request)));
    const { qualification: code } = request.params as { qualification: string };
    const qualification = await tenantQualification(ctx.db, request.tenant.id, code);
    if (!qualification) throw notFound('Không tìm thấy xác nhận đạt yêu cầu này.');
    return qualification;
  };

  const revokeUrl = `${QUALIFICATIONS_PATH}/:qualification/thu-hoi`;

  app.get(revokeUrl, SIGNED_IN, async (request, reply) =>
    sendPage(
      reply,
      <RevokePage
        shell={shellOf(ctx, request, reply)}
        qualification={await revocable(request)}
        today={todayInVietnam()}
        reason=""
        errors={{}}
      />,
    ),
  );

  app.post(revokeUrl, SIGNED_IN, async (request, reply) => {
    const qualification = await revocable(request);
    const reason = readForm(request.body).reason ?? '';
    try {
      await revokeQualification(
        ctx,
        actorOf(request) as Actor,
        request.tenant.id,
        qualification.code,
        reason,
      );
      return reply.redirect(`${QUALIFICATIONS_PATH}?xong=1`, 303);
    } catch (error) {
      const problems = formProblems(error);
      if (problems.status !== 400 && problems.status !== 409) throw error;
      const current =
        (await tenantQualification(ctx.db, request.tenant.id, qualification.code)) ?? qualification;
      return sendPage(
        reply,
        <RevokePage
          shell={shellOf(ctx, request, reply)}
          qualification={current}
          today={todayInVietnam()}
          reason={reason}
          errors={problems.fields}
        />,
        problems.status,
      );
    }
  });
};
