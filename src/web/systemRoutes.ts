import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { pingDatabase } from '../db/database.js';
import { notFound } from '../errors.js';
import { MEDIA_TYPE_OF_EXTENSION } from '../files/fileStore.js';
import type { AppContext } from './context.js';

const ops = { access: 'public', tenantless: true } as const;

/** Health check, the OpenAPI document and static assets. */
export const systemRoutes = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get(
    '/healthz',
    {
      config: ops,
      schema: {
        response: {
          200: Type.Object({ status: Type.Literal('ok'), database: Type.String() }),
          503: Type.Object({ status: Type.Literal('unavailable'), database: Type.String() }),
        },
      },
    },
    async (request, reply) => {
      try {
        await pingDatabase(ctx.db);
        return { status: 'ok', database: ctx.db.dialect };
      } catch (error) {
        request.log.error({ err: error }, 'database unreachable');
        return reply.status(503).send({ status: 'unavailable', database: ctx.db.dialect });
      }
    },
  );

  app.get('/api/openapi.json', { config: ops, schema: { hide: true } }, async () => app.swagger());

  app.get('/static/*', { config: ops }, (request, reply) => {
    const file = (request.params as { '*': string })['*'];
    return reply.header('cache-control', 'public, max-age=3600').sendFile(file);
  });

  // Course images and videos: content-addressed, so a name's bytes never change and caches may keep them.
  app.get('/tep/:name', { config: ops }, (request, reply) => {
    const { name } = request.params as { name: string };
    const bytes = ctx.files.get(name);
    const mediaType = MEDIA_TYPE_OF_EXTENSION[name.split('.').pop() ?? ''];
    if (!bytes || !mediaType) throw notFound('Không tìm thấy tệp.');
    return reply
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'")
      .type(mediaType)
      .send(bytes);
  });

  app.get('/favicon.ico', { config: ops }, (_request, reply) =>
    reply.header('cache-control', 'public, max-age=86400').type('image/svg+xml').sendFile('favicon.svg'),
  );
};
