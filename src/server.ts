import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import Fastify, { type FastifyInstance } from 'fastify';
import { analysisPages } from './modules/assessment/analysisPages.js';
import { bankPages } from './modules/assessment/bankPages.js';
import { assessmentPages } from './modules/assessment/pages.js';
import { assessmentApi } from './modules/assessment/routes.js';
import { auditPages } from './modules/audit/pages.js';
import { authoringPages } from './modules/catalog/authoringPages.js';
import { coveragePages } from './modules/catalog/coveragePages.js';
import { catalogPages } from './modules/catalog/pages.js';
import { catalogApi } from './modules/catalog/routes.js';
import { classPages } from './modules/classes/pages.js';
import { communityPages } from './modules/community/pages.js';
import { loggerOptions } from './modules/identity/logPrivacy.js';
import { identityPages } from './modules/identity/pages.js';
import { personalDataPages } from './modules/identity/personalDataPages.js';
import { rolePages } from './modules/identity/rolePages.js';
import { rosterPages } from './modules/identity/rosterPages.js';
import { identityApi } from './modules/identity/routes.js';
import { learningPages } from './modules/learning/pages.js';
import { learningApi } from './modules/learning/routes.js';
import { mergePages } from './modules/org/mergePages.js';
import { orgPages } from './modules/org/pages.js';
import { orgApi } from './modules/org/routes.js';
import { offeringPages } from './modules/programs/offeringPages.js';
import { programPages } from './modules/programs/pages.js';
import { qualificationPages } from './modules/programs/qualificationPages.js';
import { reminderPages } from './modules/programs/reminderPages.js';
import { chartPages } from './modules/reports/chartPages.js';
import { dashboardPages } from './modules/reports/dashboardPages.js';
import { integrityPages } from './modules/reports/integrityPages.js';
import { reportPages } from './modules/reports/pages.js';
import { platformPages } from './modules/reports/platformPages.js';
import { recordPages } from './modules/reports/recordPages.js';
import { schedulePages } from './modules/reports/schedulePages.js';
import type { AppContext } from './web/context.js';
import { installErrorHandling } from './web/errorHandler.js';
import { homePage } from './web/home.js';
import { installRequestState } from './web/requestState.js';
import { systemRoutes } from './web/systemRoutes.js';

/** The whole web application: pages and JSON API on one Fastify instance. */
export async function buildApp(ctx: AppContext): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(ctx.config.logLevel),
    trustProxy: ctx.config.trustProxy,
    bodyLimit: 1024 * 1024,
  });
  const https = ctx.config.publicUrl.startsWith('https:');
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: { 'upgrade-insecure-requests': https ? [] : null, 'form-action': ["'self'"] },
    },
    hsts: https,
  });
  // gzip (level 6) makes pages as small as brotli at quality 5 in half the CPU time, and
  // brotli's default quality costs over 10 ms per page: pages are rendered per request.
  await app.register(compress, { threshold: 512, encodings: ['gzip', 'deflate'] });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(fastifyStatic, { root: new URL('../public/', import.meta.url).pathname, serve: false });
  await app.register(swagger, {
    openapi: {
      info: { title: 'hocvuso API', version: '0.1.0', description: 'Bình dân học vụ số — JSON API' },
    },
    hideUntagged: false,
    transform: ({ schema, url }) => ({
      schema: url.startsWith('/api/') ? schema : { ...schema, hide: true },
      url,
    }),
  });

  installRequestState(app, ctx);
  installErrorHandling(app, ctx);

  await app.register(systemRoutes(ctx));
  await app.register(homePage(ctx));
  await app.register(orgApi(ctx));
  await app.register(orgPages(ctx));
  await app.register(mergePages(ctx));
  await app.register(identityApi(ctx));
  await app.register(identityPages(ctx));
  await app.register(personalDataPages(ctx));
  await app.register(rosterPages(ctx));
  await app.register(rolePages(ctx));
  await app.register(auditPages(ctx));
  await app.register(programPages(ctx));
  await app.register(reminderPages(ctx));
  await app.register(qualificationPages(ctx));
  await app.register(offeringPages(ctx));
  await app.register(reportPages(ctx));
  await app.register(chartPages(ctx));
  await app.register(dashboardPages(ctx));
  await app.register(platformPages(ctx));
  await app.register(recordPages(ctx));
  await app.register(schedulePages(ctx));
  await app.register(integrityPages(ctx));
  await app.register(communityPages(ctx));
  await app.register(classPages(ctx));
  await app.register(catalogApi(ctx));
  await app.register(catalogPages(ctx));
  await app.register(authoringPages(ctx));
  await app.register(coveragePages(ctx));
  await app.register(assessmentApi(ctx));
  await app.register(assessmentPages(ctx));
  await app.register(bankPages(ctx));
  await app.register(analysisPages(ctx));
  await app.register(learningApi(ctx));
  await app.register(learningPages(ctx));
  return app;
}
