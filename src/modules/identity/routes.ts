import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actorOf, authorize, cookieOptions, SESSION_COOKIE } from '../../web/requestState.js';
import { identityPolicy } from './policy.js';
import { presentAccount } from './presenters.js';
import type { AccountRow } from './repository.js';
import {
  AccountSchema,
  ChangePasswordBody,
  LoginBody,
  MemberIdParams,
  MemberListQuery,
  MemberListResponse,
  SignupBody,
} from './schemas.js';

const SESSION_MAX_AGE = 30 * 24 * 3600;
const MEMBERS_PAGE_SIZE = 50;

/** Opens a session for the account and sets its cookie (HttpOnly, SameSite=Lax). */
export async function signIn(ctx: AppContext, reply: FastifyReply, account: AccountRow): Promise<void> {
  const token = await ctx.identity.startSession(account);
  reply.setCookie(SESSION_COOKIE, token, cookieOptions(ctx, SESSION_MAX_AGE));
}

/** JSON API: sign-up, log-in, log-out, own account, members within the caller's scope. */
export const identityApi = (ctx: AppContext) => async (base: FastifyInstance) => {
  const app = base.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['identity'];

  app.post(
    '/api/auth/signup',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Create a learner account and sign in',
        body: SignupBody,
        response: { 201: AccountSchema },
      },
    },
    async (request, reply) => {
      const account = await ctx.identity.signup(request.tenant.id, request.body);
      await signIn(ctx, reply, account);
      return reply.status(201).send(presentAccount(await ctx.identity.view(account)));
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'Sign in with phone or email',
        body: LoginBody,
        response: { 200: AccountSchema },
      },
    },
    async (request, reply) => {
      const { identifier, password } = request.body;
      const account = await ctx.identity.login(request.tenant.id, identifier, password, request.ip);
      await signIn(ctx, reply, account);
      return presentAccount(await ctx.identity.view(account));
    },
  );

  app.post(
    '/api/auth/logout',
    { config: { access: 'signedIn' }, schema: { tags, summary: 'End this session' } },
    async (request, reply) => {
      if (request.signedIn) await ctx.identity.logout(request.signedIn.tokenHash);
      return reply.clearCookie(SESSION_COOKIE, cookieOptions(ctx)).status(204).send();
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'My account', response: { 200: AccountSchema } },
    },
    async (request) => {
      const account = await ctx.identity.account(request.tenant.id, actorOf(request)?.accountId ?? '');
      if (!account) throw notFound();
      return presentAccount(await ctx.identity.view(account));
    },
  );

  app.post(
    '/api/me/password',
    {
      config: { access: 'signedIn' },
      schema: { tags, summary: 'Change my password', body: ChangePasswordBody },
    },
    async (request, reply) => {
      if (request.signedIn) {
        await ctx.identity.changePassword(
          request.signedIn,
          request.body.currentPassword,
          request.body.newPassword,
        );
      }
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/members/:id',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'One member, within my scope',
        params: MemberIdParams,
        response: { 200: AccountSchema },
      },
    },
    async (request) => {
      const account = await ctx.identity.account(request.tenant.id, request.params.id);
      const home = account?.homeUnitId
        ? await ctx.org.unit(request.tenant.id, account.homeUnitId)
        : undefined;
      if (!account) throw notFound('Không tìm thấy người dùng.');
      authorize(
        identityPolicy(actorOf(request), 'member.read', {
          tenantId: account.tenantId,
          unitPath: home?.path ?? null,
          accountId: account.id,
        }),
      );
      return presentAccount(await ctx.identity.view(account));
    },
  );

  app.get(
    '/api/units/:id/members',
    {
      config: { access: 'signedIn' },
      schema: {
        tags,
        summary: 'Members whose home unit is in the subtree of a unit',
        params: MemberIdParams,
        querystring: MemberListQuery,
        response: { 200: MemberListResponse },
      },
    },
    async (request) => {
      const unit = await ctx.org.unit(request.tenant.id, request.params.id);
      if (!unit) throw notFound('Không tìm thấy đơn vị.');
      authorize(
        identityPolicy(actorOf(request), 'member.list', { tenantId: unit.tenantId, unitPath: unit.path }),
      );
      const page = request.query.page ?? 1;
      const members = await ctx.identity.membersOfSubtree(unit.tenantId, unit.path, page, MEMBERS_PAGE_SIZE);
      const items = (await ctx.identity.views(unit.tenantId, members)).map(presentAccount);
      return { page, pageSize: MEMBERS_PAGE_SIZE, items };
    },
  );
};
