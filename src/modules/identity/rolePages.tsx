import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type Actor, isRole, ROLE_LABELS, type Role, type Scoped } from '../../access/actor.js';
import { type FieldErrors, notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { vietnamTime } from '../../web/format.js';
import { ErrorSummary, formProblems, readForm } from '../../web/forms.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import type { Unit } from '../org/service.js';
import { changeableRoles, identityPolicy } from './policy.js';

const ROLES_PATH = '/quan-tri/vai-tro';

interface GrantRowView {
  id: string;
  fullName: string;
  role: Role;
  scope: string;
  grantedAt: string;
  revocable: boolean;
}

function RolesPage(props: {
  shell: Shell;
  rows: GrantRowView[];
  grantable: Role[];
  tenantWide: boolean;
  form: Record<string, string | undefined>;
  errors: FieldErrors;
  message?: string;
  notice?: string;
}) {
  const { shell, rows, grantable, tenantWide, form, errors, message, notice } = props;
  return (
    <Layout shell={shell} title="Vai trò">
      <h1>Vai trò và phạm vi</h1>
      {notice && (
        <p class="notice ok" role="status">
          {notice}
        </p>
      )}
      {rows.length === 0 ? (
        <p class="notice">Chưa có vai trò nào trong phạm vi bạn quản lý.</p>
      ) : (
        <table class="data">
          <caption class="visually-hidden">Các vai trò đã cấp</caption>
          <thead>
            <tr>
              <th scope="col">Người</th>
              <th scope="col">Vai trò</th>
              <th scope="col">Phạm vi</th>
              <th scope="col">Cấp lúc</th>
              <th scope="col">
                <span class="visually-hidden">Thao tác</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.map((row) => (
              <tr key={row.id}>
                <td>{row.fullName}</td>
                <td>{ROLE_LABELS[row.role]}</td>
                <td>{row.scope}</td>
                <td>{vietnamTime(row.grantedAt)}</td>
                <td>
                  {row.revocable && (
                    <a class="button small" href={`${ROLES_PATH}/${row.id}/thu-hoi`}>
                      Thu hồi…
                    </a>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {grantable.length > 0 && (
        <>
          <h2>Cấp vai trò</h2>
          <ErrorSummary errors={errors} message={message} />
          <form method="post" action={ROLES_PATH} novalidate>
            <CsrfField shell={shell} />
            <div class={errors.person ? 'field has-error' : 'field'}>
              <label for="person">Số điện thoại hoặc email của người được cấp</label>
              {errors.person && <p class="error">{errors.person}</p>}
              <input id="person" name="person" value={form.person ?? ''} />
            </div>
            <div class={errors.role ? 'field has-error' : 'field'}>
              <label for="role">Vai trò</label>
              {errors.role && <p class="error">{errors.role}</p>}
              <select id="role" name="role">
                {grantable.map((role) => (
                  <option key={role} value={role} selected={form.role === role}>
                    {ROLE_LABELS[role]}
                  </option>
                ))}
              </select>
            </div>
            <div class={errors.unitCode ? 'field has-error' : 'field'}>
              <label for="unitCode">Mã đơn vị phạm vi</label>
              <p class="hint">
                {tenantWide
                  ? 'Để trống: toàn đơn vị chủ quản. Vai trò có hiệu lực với đơn vị này và mọi đơn vị trực thuộc.'
                  : 'Một đơn vị trong phạm vi bạn quản lý; vai trò có hiệu lực với cả các đơn vị trực thuộc.'}
              </p>
              {errors.unitCode && <p class="error">{errors.unitCode}</p>}
              <input id="unitCode" name="unitCode" value={form.unitCode ?? ''} />
            </div>
            <button type="submit" class="button primary">
              Cấp vai trò
            </button>
          </form>
        </>
      )}
    </Layout>
  );
}

function RevokePage(props: { shell: Shell; grant: GrantRowView }) {
  const { shell, grant } = props;
  return (
    <Layout shell={shell} title="Thu hồi vai trò">
      <h1>Thu hồi vai trò?</h1>
      <p>
        Thu hồi vai trò <strong>{ROLE_LABELS[grant.role]}</strong> của <strong>{grant.fullName}</strong> (
        {grant.scope}). Việc này được ghi vào nhật ký.
      </p>
      <form method="post" action={`${ROLES_PATH}/${grant.id}/thu-hoi`}>
        <CsrfField shell={shell} />
        <button type="submit" class="button danger">
          Thu hồi
        </button>{' '}
        <a class="button" href={ROLES_PATH}>
          Không, quay lại
        </a>
      </form>
    </Layout>
  );
}

/** Role administration: who holds which role over which subtree; granting and revoking, audited. */
export const rolePages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const scopeOf = (tenantId: string, unit: Unit | undefined): Scoped => ({
    tenantId,
    unitPath: unit?.path ?? null,
  });

  const views = async (tenantId: string, actor: Actor): Promise<GrantRowView[]> => {
    const grants = await ctx.identity.grants(tenantId);
    const units = await ctx.org.unitsByIds(
      tenantId,
      grants.flatMap((g) => (g.unitId ? [g.unitId] : [])),
    );
    return grants.flatMap((g) => {
      const unit = g.unitId ? units.get(g.unitId) : undefined;
      const scope = scopeOf(tenantId, unit);
      if (!isRole(g.role) || !identityPolicy(actor, 'role.view', scope)) return [];
      return [
        {
          id: g.id,
          fullName: g.fullName,
          role: g.role,
          scope: unit?.fullName ?? 'Toàn đơn vị chủ quản',
          grantedAt: g.grantedAt,
          revocable: changeableRoles(actor, scope).includes(g.role),
        },
      ];
    });
  };

  const page = async (
    request: FastifyRequest,
    reply: FastifyReply,
    extra: { form?: Record<string, string | undefined>; error?: unknown; notice?: string } = {},
  ) => {
    const actor = actorOf(request) as Actor;
    const tenantId = request.tenant.id;
    const problems = formProblems(extra.error);
    const whole = changeableRoles(actor, { tenantId, unitPath: null });
    const inScope = mayGrant(actor, tenantId);
    return sendPage(
      reply,
      <RolesPage
        shell={shellOf(ctx, request, reply)}
        rows={await views(tenantId, actor)}
        grantable={whole.length > 0 ? whole : inScope ? ['unitManager'] : []}
        tenantWide={whole.length > 0}
        form={extra.form ?? {}}
        errors={problems.fields}
        message={problems.message}
        notice={extra.notice}
      />,
      problems.status,
    );
  };

  /** The grant in the URL (404 if the tenant has none such), once the actor may revoke it (else 403). */
  const revocable = async (request: FastifyRequest): Promise<GrantRowView> => {
    const actor = actorOf(request) as Actor;
    const tenantId = request.tenant.id;
    const { id } = request.params as { id: string };
    const grant = await ctx.identity.grant(tenantId, id);
    if (!grant || !isRole(grant.role)) throw notFound('Không tìm thấy vai trò này.');
    const unit = grant.unitId ? await ctx.org.unit(tenantId, grant.unitId) : undefined;
    authorize(changeableRoles(actor, scopeOf(tenantId, unit)).includes(grant.role));
    const holder = await ctx.identity.account(tenantId, grant.accountId);
    return {
      id: grant.id,
      fullName: holder?.fullName ?? '',
      role: grant.role,
      scope: unit?.fullName ?? 'Toàn đơn vị chủ quản',
      grantedAt: grant.grantedAt,
      revocable: true,
    };
  };

  /** Whether the actor may grant any role anywhere: the gate before the form is even read. */
  const mayGrant = (actor: Actor, tenantId: string) =>
    changeableRoles(actor, { tenantId, unitPath: null }).length > 0 ||
    actor.grants.some((g) => g.role === 'unitManager' && g.unitPath !== null);

  app.get(ROLES_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const viewer = ['evaluator', 'tenantAdmin', 'platformAdmin', 'unitManager'] as const;
    authorize(actor.grants.some((g) => (viewer as readonly string[]).includes(g.role)));
    return page(request, reply, { notice: readForm(request.query).xong ? 'Đã lưu.' : undefined });
  });

  app.post(ROLES_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const tenantId = request.tenant.id;
    const form = readForm(request.body);
    authorize(mayGrant(actor, tenantId));
    try {
      const role = form.role ?? '';
      if (!isRole(role) || role === 'learner' || role === 'platformAdmin') {
        throw validationFailed({ role: 'Hãy chọn một vai trò.' });
      }
      const code = (form.unitCode ?? '').trim();
      const unit = code ? await ctx.org.currentUnitByCode(tenantId, code) : undefined;
      if (code && !unit) throw validationFailed({ unitCode: `Không có đơn vị nào mã "${code}".` });
      const scope = scopeOf(tenantId, unit);
      authorize(identityPolicy(actor, 'role.change', scope) && changeableRoles(actor, scope).includes(role));
      const person = await ctx.identity.accountByIdentifier(tenantId, form.person ?? '');
      if (!person)
        throw validationFailed({ person: 'Không tìm thấy người có số điện thoại hoặc email này.' });
      // A unit manager manages only people whose home is in their subtree.
      const home = person.homeUnitId ? await ctx.org.unit(tenantId, person.homeUnitId) : undefined;
      authorize(identityPolicy(actor, 'member.read', scopeOf(tenantId, home)));
      await ctx.identity.grantRole(tenantId, person.id, role, unit?.id ?? null, actor.accountId);
    } catch (error) {
      return page(request, reply, { form, error });
    }
    return reply.redirect(`${ROLES_PATH}?xong=1`, 303);
  });

  app.get(`${ROLES_PATH}/:id/thu-hoi`, { config: { access: 'signedIn' } }, async (request, reply) => {
    const grant = await revocable(request);
    return sendPage(reply, <RevokePage shell={shellOf(ctx, request, reply)} grant={grant} />);
  });

  app.post(`${ROLES_PATH}/:id/thu-hoi`, { config: { access: 'signedIn' } }, async (request, reply) => {
    const grant = await revocable(request);
    await ctx.identity.revokeRole(request.tenant.id, grant.id, (actorOf(request) as Actor).accountId);
    return reply.redirect(`${ROLES_PATH}?xong=1`, 303);
  });
};
