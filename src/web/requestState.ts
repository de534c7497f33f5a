import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../access/actor.js';
import { AppError, forbidden, unauthenticated } from '../errors.js';
import type { SignedIn } from '../modules/identity/service.js';
import type { Tenant } from '../modules/org/service.js';
import { installNotificationBell } from '../modules/programs/notificationsBell.js';
import type { AppContext } from './context.js';

/**
 * Who may reach a route before its handler asks the module policy about the object:
 * `public` (anyone), `signedIn` (any account of the tenant). Every route must declare one,
 * so a route can never be added without an access decision.
 */
export type RouteAccess = 'public' | 'signedIn';

/** A registered route with its access decision: the list an access-control test walks. */
export interface RouteEntry {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyInstance {
    registeredRoutes: RouteEntry[];
  }
  interface FastifyContextConfig {
    access?: RouteAccess;
    /** Routes that serve no tenant (health, static files, the API document). */
    tenantless?: boolean;
  }
  interface FastifyRequest {
    tenant: Tenant;
    signedIn: SignedIn | null;
  }
}

export const SESSION_COOKIE = 'hv_session';
const CSRF_COOKIE = 'hv_csrf';

export function cookieOptions(ctx: AppContext, maxAgeSeconds?: number) {
  return {
    path: '/',
    httpOnly: true,
    sameSite: 'lax' as const,
    secure: ctx.config.publicUrl.startsWith('https:'),
    ...(maxAgeSeconds ? { maxAge: maxAgeSeconds } : {}),
  };
}

export const actorOf = (request: FastifyRequest): Actor | null => request.signedIn?.actor ?? null;

/** Throws 403 unless the module policy said yes. */
export function authorize(allowed: boolean): void {
  if (!allowed) throw forbidden();
}

const csrfTokenOf = (secret: string, cookie: string) =>
  createHmac('sha256', secret).update(cookie).digest('base64url');

/** The token a form must send back; sets the CSRF cookie the first time it is needed. */
export function csrfToken(ctx: AppContext, request: FastifyRequest, reply: FastifyReply): string {
  let cookie = request.cookies[CSRF_COOKIE];
  if (!cookie) {
    cookie = randomBytes(18).toString('base64url');
    request.cookies[CSRF_COOKIE] = cookie;
    reply.setCookie(CSRF_COOKIE, cookie, cookieOptions(ctx));
  }
  return csrfTokenOf(ctx.config.secret, cookie);
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Installs tenant and session resolution, the access gate and CSRF protection. */
export function installRequestState(app: FastifyInstance, ctx: AppContext): void {
  app.decorateRequest('tenant', null as unknown as Tenant);
  app.decorateRequest('signedIn', null);

  const routes: RouteEntry[] = [];
  app.decorate('registeredRoutes', routes);
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    if (access !== 'public' && access !== 'signedIn') {
      throw new Error(
        `Route ${String(route.method)} ${route.url} declares no access decision (config.access)`,
      );
    }
    for (const method of [route.method].flat()) routes.push({ method, url: route.url, access });
  });

  app.addHook('onRequest', async (request) => {
    const config = request.routeOptions.config;
    if (!config.access || config.tenantless) return;
    const label = request.hostname.split('.')[0] ?? '';
    const tenant = await ctx.org.tenantForHost(label, ctx.config.defaultTenant);
    if (!tenant) {
      throw new AppError(
        503,
        'no_tenant',
        'Hệ thống chưa có đơn vị chủ quản. Người quản trị hãy tạo bằng lệnh "hocvuso tenant create".',
      );
    }
    request.tenant = tenant;
    const token = request.cookies[SESSION_COOKIE];
    request.signedIn = token ? await ctx.identity.signedIn(tenant.id, token) : null;
    if (config.access === 'signedIn' && !request.signedIn) throw unauthenticated();
  });

  // In preHandler, not onRequest: a form's token is in its body, parsed only by then.
  app.addHook('preHandler', async (request) => {
    if (!STATE_CHANGING.has(request.method)) return;
    // Browsers cannot send a cross-site JSON body without a CORS preflight, which this server never grants.
    if ((request.headers['content-type'] ?? '').startsWith('application/json')) return;
    const cookie = request.cookies[CSRF_COOKIE];
    const body = request.body as { _csrf?: unknown } | undefined;
    const sent = typeof body?._csrf === 'string' ? body._csrf : request.headers['x-csrf-token'];
    if (!cookie || typeof sent !== 'string' || !sameToken(sent, csrfTokenOf(ctx.config.secret, cookie))) {
      throw new AppError(
        403,
        'csrf_failed',
        'Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và gửi lại.',
      );
    }
  });

  // Installed here, before any page plugin: a hook added by a plugin would not reach the pages
  // of plugins registered before it, and every page's header shows the bell.
  installNotificationBell(app, ctx);
}
