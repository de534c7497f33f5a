import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ROLE_LABELS } from '../../access/actor.js';
import { todayInVietnam } from '../../db/time.js';
import { AppError, type FieldErrors } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { ErrorSummary, Field, formProblems, readForm } from '../../web/forms.js';
import { CsrfField, Layout, type Shell, sendPage, shellOf } from '../../web/page.js';
import { cookieOptions, SESSION_COOKIE } from '../../web/requestState.js';
import type { PlacedUnit } from '../org/service.js';
import { QualificationsSection } from '../programs/qualificationViews.js';
import type { QualificationRow } from '../programs/repository.js';
import { BLOCKS } from './blocks.js';
import type { ConsentRow } from './consents.js';
import { ContactFields } from './contactFields.js';
import { PersonalDataSection, profileNotice } from './personalDataViews.js';
import type { AccountRow } from './repository.js';
import { signIn } from './routes.js';
import type { AccountView } from './service.js';
import { UnitChoices, unitOptions } from './unitChoices.js';

type Form = Record<string, string | undefined>;

/** Only same-site paths are followed after log-in, never another host. */
const safeNext = (next: string | undefined) =>
  next && /^\/(?!\/)/.test(next) && !next.includes('\\') ? next : '/';

interface SignupView {
  shell: Shell;
  form: Form;
  units: PlacedUnit[];
  searched: boolean;
  errors: FieldErrors;
  message?: string;
}

function SignupPage({ shell, form, units, searched, errors, message }: SignupView) {
  return (
    <Layout shell={shell} title="Đăng ký">
      <h1>Đăng ký tài khoản học</h1>
      <p>Miễn phí, dành cho mọi người. Bạn cần khoảng 2 phút.</p>
      <ErrorSummary errors={errors} message={message} />
      <form method="get" action="/dang-ky" class="search">
        <label for="tim">Bước 1. Tìm nơi bạn sống hoặc làm việc</label>
        <p class="hint" id="tim-hint">
          Gõ tên xã, phường, thôn hoặc cơ quan; có dấu hay không dấu đều được, ví dụ: dai loc.
        </p>
        <div class="inline">
          <input id="tim" name="tim" type="search" value={form.unitQuery ?? ''} aria-describedby="tim-hint" />
          <button type="submit">Tìm</button>
        </div>
        {searched && units.length === 0 && (
          <p class="notice" role="status">
            Không tìm thấy đơn vị nào. Hãy thử gõ ngắn hơn, ví dụ chỉ tên xã.
          </p>
        )}
      </form>
      <form method="post" action="/dang-ky" novalidate>
        <CsrfField shell={shell} />
        <input type="hidden" name="unitQuery" value={form.unitQuery ?? ''} />
        <h2>Bước 2. Thông tin của bạn</h2>
        <UnitChoices units={units} selectedId={form.homeUnitId} error={errors.homeUnitId} />
        <ContactFields form={form} errors={errors} />
        <fieldset class={errors.block ? 'choices has-error' : 'choices'} id="block">
          <legend>Bạn là</legend>
          {errors.block && <p class="error">{errors.block}</p>}
          {Object.entries(BLOCKS).map(([code, label]) => (
            <label class="choice" key={code}>
              <input type="radio" name="block" value={code} checked={form.block === code} required />
              <span>{label}</span>
            </label>
          ))}
        </fieldset>
        <Field
          name="password"
          label="Mật khẩu"
          type="password"
          errors={errors}
          hint="Ít nhất 8 ký tự. Đừng dùng lại mật khẩu của tài khoản khác."
          autocomplete="new-password"
          required
        />
        <button type="submit" class="primary">
          Đăng ký
        </button>
      </form>
      <p>
        Đã có tài khoản? <a href="/dang-nhap">Đăng nhập</a>
      </p>
    </Layout>
  );
}

function LoginPage({
  shell,
  form,
  errors,
  message,
}: {
  shell: Shell;
  form: Form;
  errors: FieldErrors;
  message?: string;
}) {
  return (
    <Layout shell={shell} title="Đăng nhập">
      <h1>Đăng nhập</h1>
      <ErrorSummary errors={message ? {} : errors} message={message} />
      <form method="post" action="/dang-nhap" novalidate>
        <CsrfField shell={shell} />
        <input type="hidden" name="next" value={safeNext(form.next)} />
        <Field
          name="identifier"
          label="Số điện thoại hoặc email"
          value={form.identifier}
          errors={errors}
          autocomplete="username"
          required
        />
        <Field
          name="password"
          label="Mật khẩu"
          type="password"
          errors={errors}
          autocomplete="current-password"
          required
        />
        <button type="submit" class="primary">
          Đăng nhập
        </button>
      </form>
      <p>
        Chưa có tài khoản? <a href="/dang-ky">Đăng ký miễn phí</a>
      </p>
    </Layout>
  );
}

interface ProfileView {
  shell: Shell;
  account: AccountView;
  personal: { row: AccountRow; consents: ConsentRow[] };
  qualifications: QualificationRow[];
  errors: FieldErrors;
  notice?: string;
}

function ProfilePage({ shell, account, personal, qualifications, errors, notice }: ProfileView) {
  return (
    <Layout shell={shell} title="Hồ sơ của tôi">
      <h1>Hồ sơ của tôi</h1>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <dl class="facts">
        <dt>Họ và tên</dt>
        <dd>{account.fullName}</dd>
        <dt>Số điện thoại</dt>
        <dd>{account.phone ?? 'Chưa có'}</dd>
        <dt>Email</dt>
        <dd>{account.email ?? 'Chưa có'}</dd>
        <dt>Đối tượng</dt>
        <dd>{account.blockLabel}</dd>
        <dt>Đơn vị</dt>
        <dd>
          {account.homeUnit
            ? [account.homeUnit.fullName, ...account.homeUnit.ancestors].join(', ')
            : 'Chưa chọn'}
        </dd>
        <dt>Vai trò</dt>
        <dd>
          <ul class="plain">
            <li>{ROLE_LABELS.learner}</li>
            {account.roles.map((r) => (
              <li key={`${r.role}-${r.unit}`}>
                {ROLE_LABELS[r.role]}
                {r.unit ? ` – ${r.unit}` : ''}
              </li>
            ))}
          </ul>
        </dd>
      </dl>
      <QualificationsSection qualifications={qualifications} today={todayInVietnam()} />
      <PersonalDataSection shell={shell} account={personal.row} consents={personal.consents} />
      <h2>Đổi mật khẩu</h2>
      <ErrorSummary errors={errors} />
      <form method="post" action="/ho-so/mat-khau" novalidate>
        <CsrfField shell={shell} />
        <Field
          name="currentPassword"
          label="Mật khẩu hiện tại"
          type="password"
          errors={errors}
          autocomplete="current-password"
          required
        />
        <Field
          name="newPassword"
          label="Mật khẩu mới"
          type="password"
          errors={errors}
          hint="Ít nhất 8 ký tự."
          autocomplete="new-password"
          required
        />
        <button type="submit">Đổi mật khẩu</button>
      </form>
    </Layout>
  );
}

/** Sign-up, log-in, log-out and profile pages; all work without JavaScript. */
export const identityPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const renderSignup = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: Form,
    errors: FieldErrors = {},
    message?: string,
  ) => {
    const tenantId = request.tenant.id;
    const query = form.unitQuery?.trim() ?? '';
    const units = await unitOptions(ctx.org, tenantId, query, form.homeUnitId);
    const status = Object.keys(errors).length > 0 || message ? 400 : 200;
    const shell = shellOf(ctx, request, reply);
    return sendPage(
      reply,
      <SignupPage {...{ shell, form, units, errors, message }} searched={query !== ''} />,
      status,
    );
  };

  app.get('/dang-ky', { config: { access: 'public' } }, (request, reply) => {
    if (request.signedIn) return reply.redirect('/', 303);
    const { tim } = request.query as { tim?: string };
    return renderSignup(request, reply, { unitQuery: typeof tim === 'string' ? tim.slice(0, 100) : '' });
  });

  app.post('/dang-ky', { config: { access: 'public' } }, async (request, reply) => {
    const form = readForm(request.body);
    try {
      const account = await ctx.identity.signup(request.tenant.id, form);
      await signIn(ctx, reply, account);
      return reply.redirect('/', 303);
    } catch (error) {
      const { fields, message } = formProblems(error);
      return renderSignup(request, reply, form, fields, Object.keys(fields).length ? undefined : message);
    }
  });

  app.get('/dang-nhap', { config: { access: 'public' } }, (request, reply) => {
    const { next } = request.query as { next?: string };
    if (request.signedIn) return reply.redirect(safeNext(next), 303);
    return sendPage(reply, <LoginPage shell={shellOf(ctx, request, reply)} form={{ next }} errors={{}} />);
  });

  app.post('/dang-nhap', { config: { access: 'public' } }, async (request, reply) => {
    const form = readForm(request.body);
    try {
      const account = await ctx.identity.login(
        request.tenant.id,
        form.identifier ?? '',
        form.password ?? '',
        request.ip,
      );
      await signIn(ctx, reply, account);
      return reply.redirect(safeNext(form.next), 303);
    } catch (error) {
      const { fields, message } = formProblems(error);
      const status = error instanceof AppError ? error.status : 400;
      const shell = shellOf(ctx, request, reply);
      const tooMany = status === 429 ? message : undefined;
      return sendPage(
        reply,
        <LoginPage shell={shell} form={form} errors={fields} message={tooMany} />,
        status,
      );
    }
  });

  app.post('/dang-xuat', { config: { access: 'public' } }, async (request, reply) => {
    if (request.signedIn) await ctx.identity.logout(request.signedIn.tokenHash);
    return reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx)).redirect('/', 303);
  });

  const renderProfile = async (
    request: FastifyRequest,
    reply: FastifyReply,
    errors: FieldErrors = {},
    notice?: string,
  ) => {
    const account = await ctx.identity.account(request.tenant.id, request.signedIn?.actor.accountId ?? '');
    if (!account) throw new AppError(404, 'not_found', 'Không tìm thấy tài khoản.');
    const view = await ctx.identity.view(account);
    const personal = { row: account, consents: await ctx.identity.consentsOf(account.id) };
    const qualifications = await ctx.programs.qualificationsOf(account.id);
    const status = Object.keys(errors).length > 0 ? 400 : 200;
    const shell = shellOf(ctx, request, reply);
    return sendPage(
      reply,
      <ProfilePage {...{ shell, account: view, personal, qualifications, errors, notice }} />,
      status,
    );
  };

  app.get('/ho-so', { config: { access: 'signedIn' } }, (request, reply) =>
    renderProfile(
      request,
      reply,
      {},
      profileNotice((request.query as { 'thong-bao'?: unknown })['thong-bao']),
    ),
  );

  app.post('/ho-so/mat-khau', { config: { access: 'signedIn' } }, async (request, reply) => {
    const form = readForm(request.body);
    try {
      if (request.signedIn) {
        await ctx.identity.changePassword(
          request.signedIn,
          form.currentPassword ?? '',
          form.newPassword ?? '',
        );
      }
      return renderProfile(
        request,
        reply,
        {},
        'Đã đổi mật khẩu. Các phiên đăng nhập khác đã được đăng xuất.',
      );
    } catch (error) {
      return renderProfile(request, reply, formProblems(error).fields);
    }
  });
};
