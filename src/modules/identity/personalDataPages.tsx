import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, cookieOptions, SESSION_COOKIE } from '../../web/requestState.js';
import { correctProfile } from './correctProfile.js';
import { deleteAccount } from './deleteAccount.js';
import { type ExportFormat, exportPersonalData } from './exportPersonalData.js';
import {
  DELETE_ACCOUNT_PATH,
  EDIT_PROFILE_PATH,
  PERSONAL_DATA_PATH,
  PersonalDataPage,
  profileWithNotice,
  WITHDRAW_PATH,
} from './personalDataViews.js';
import { formatPhone } from './phone.js';
import { AccountDeletedPage, DeleteAccountPage, EditProfilePage, type Form } from './profileFormViews.js';
import { unitOptions } from './unitChoices.js';
import { withdrawConsent } from './withdrawConsent.js';

/** The signed-in person; the routes' `signedIn` gate guarantees one. */
function me(request: FastifyRequest) {
  const actor = actorOf(request);
  if (!actor) throw notFound();
  return actor;
}

/**
 * The person's rights over their personal data (Personal Data Protection Law): see all of it
 * (printable page, JSON download), correct it, withdraw consent for optional data, delete the
 * account. Everything here concerns the signed-in person only.
 */
export const personalDataPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const exported = async (request: FastifyRequest, format: ExportFormat) =>
    exportPersonalData(ctx, me(request), format);

  app.get(PERSONAL_DATA_PATH, { config: { access: 'signedIn' } }, async (request, reply) =>
    sendPage(
      reply,
      <PersonalDataPage shell={shellOf(ctx, request, reply)} data={await exported(request, 'html')} />,
    ),
  );

  app.get(`${PERSONAL_DATA_PATH}.json`, { config: { access: 'signedIn' } }, async (request, reply) => {
    const data = await exported(request, 'json');
    return reply
      .header('content-type', 'application/json; charset=utf-8')
      .header('content-disposition', 'attachment; filename="du-lieu-ca-nhan.json"')
      .header('cache-control', 'no-store')
      .send(JSON.stringify(data, null, 2));
  });

  const renderEdit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: Form,
    problems: ReturnType<typeof formProblems> = formProblems(),
  ) => {
    const actor = me(request);
    const account = await ctx.identity.account(actor.tenantId, actor.accountId);
    if (!account) throw notFound();
    const units = await unitOptions(ctx.org, actor.tenantId, form.unitQuery?.trim() ?? '', form.homeUnitId);
    const page = (
      <EditProfilePage
        shell={shellOf(ctx, request, reply)}
        {...{ form, units }}
        errors={problems.fields}
        message={problems.message}
        nationalIdLast4={account.nationalIdLast4}
      />
    );
    return sendPage(reply, page, problems.status);
  };

  app.get(EDIT_PROFILE_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = me(request);
    const account = await ctx.identity.account(actor.tenantId, actor.accountId);
    if (!account) throw notFound();
    const consents = await ctx.identity.consentsOf(account.id);
    const consented = (purpose: string) =>
      consents.some((c) => c.purpose === purpose && c.source === 'self' && c.withdrawnAt === null);
    const { tim } = request.query as { tim?: string };
    return renderEdit(request, reply, {
      unitQuery: typeof tim === 'string' ? tim.slice(0, 100) : '',
      fullName: account.fullName,
      phone: account.phone ? formatPhone(account.phone) : '',
      email: account.email ?? '',
      homeUnitId: account.homeUnitId ?? undefined,
      birthYear: account.birthYear === null ? '' : String(account.birthYear),
      birthYearConsent: consented('birth_year') ? 'yes' : undefined,
    });
  });

  app.post(EDIT_PROFILE_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    const form = readForm(request.body);
    try {
      await correctProfile(ctx, me(request), form);
      return reply.redirect(profileWithNotice('corrected'), 303);
    } catch (error) {
      return renderEdit(request, reply, form, formProblems(error));
    }
  });

  app.post(WITHDRAW_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    await withdrawConsent(ctx, me(request), readForm(request.body).purpose ?? '');
    return reply.redirect(profileWithNotice('withdrawn'), 303);
  });

  app.get(DELETE_ACCOUNT_PATH, { config: { access: 'signedIn' } }, (request, reply) =>
    sendPage(reply, <DeleteAccountPage shell={shellOf(ctx, request, reply)} errors={{}} />),
  );

  app.post(DELETE_ACCOUNT_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    try {
      await deleteAccount(ctx, me(request), readForm(request.body).password ?? '');
    } catch (error) {
      const { fields, message, status } = formProblems(error);
      const page = (
        <DeleteAccountPage shell={shellOf(ctx, request, reply)} errors={fields} message={message} />
      );
      return sendPage(reply, page, status);
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx));
    // The session is gone with the account: the page is shown as to someone signed out.
    const shell = { ...shellOf(ctx, request, reply), actor: null };
    return sendPage(reply, <AccountDeletedPage shell={shell} />);
  });
};
