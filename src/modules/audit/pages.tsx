import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { cleanText } from '../../text/vietnamese.js';
import type { AppContext } from '../../web/context.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { isAuditAction } from './actions.js';
import { auditPolicy } from './policy.js';
import type { AuditFilters } from './service.js';
import { AUDIT_CSV, AUDIT_LOG, type AuditFilterForm, AuditLogPage } from './views.js';

const PAGE = { config: { access: 'signedIn' as const } };

const one = (value: unknown) => (typeof value === 'string' ? value : '');
const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');

/** The filters of the address bar, with anything malformed dropped rather than refused. */
function formOf(request: FastifyRequest): AuditFilterForm {
  const q = request.query as Record<string, unknown>;
  const action = one(q['hanh-dong']);
  return {
    action: isAuditAction(action) ? action : '',
    actor: cleanText(one(q.nguoi)).slice(0, 100),
    from: day(one(q.tu)),
    to: day(one(q.den)),
  };
}

const filtersOf = (form: AuditFilterForm): AuditFilters => ({
  action: isAuditAction(form.action) ? form.action : undefined,
  actorQuery: form.actor,
  from: form.from,
  to: form.to,
});

/** The audit log for a tenant's admins and evaluators: browse with filters, and export as CSV. */
export const auditPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  // Every route here shows the tenant's log: decided once for all (tenant and session are resolved by then).
  app.addHook('onRequest', async (request) => {
    authorize(auditPolicy(actorOf(request), 'audit.read', { tenantId: request.tenant.id }));
  });

  app.get(AUDIT_LOG, PAGE, async (request, reply) => {
    const form = formOf(request);
    const page = Number.parseInt(one((request.query as Record<string, unknown>).trang), 10);
    const listing = await ctx.audit.list(request.tenant.id, {
      ...filtersOf(form),
      page: Number.isSafeInteger(page) ? page : 1,
    });
    return sendPage(
      reply,
      <AuditLogPage shell={shellOf(ctx, request, reply)} form={form} listing={listing} />,
    );
  });

  app.get(AUDIT_CSV, PAGE, async (request, reply) => {
    // The policy hook has let only a signed-in reader this far.
    const actor = actorOf(request) as Actor;
    const rows = await ctx.audit.exportCsv(request.tenant.id, filtersOf(formOf(request)), actor);
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="nhat-ky-hoat-dong-${todayInVietnam()}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(rows));
  });
};
