import type { FastifyInstance } from 'fastify';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { orgPolicy } from './policy.js';
import { presentUnit } from './presenters.js';
import { UnitIdParams, UnitListResponse, UnitSchema, UnitSearchQuery } from './schemas.js';

/** JSON API of the org tree. */
export const orgApi = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get(
    '/api/units/search',
    {
      config: { access: 'public' },
      schema: {
        tags: ['org'],
        summary: 'Search units by name, ignoring diacritics',
        querystring: UnitSearchQuery,
        response: { 200: UnitListResponse },
      },
    },
    async (request) => {
      const { q, limit } = request.query as { q: string; limit?: number };
      authorize(orgPolicy(actorOf(request), 'unit.read', { tenantId: request.tenant.id, unitPath: null }));
      const units = await ctx.org.searchUnits(request.tenant.id, q, limit ?? 20);
      return { items: units.map(presentUnit) };
    },
  );

  app.get(
    '/api/units/:id',
    {
      config: { access: 'public' },
      schema: {
        tags: ['org'],
        summary: 'One unit with the names of its ancestors',
        params: UnitIdParams,
        response: { 200: UnitSchema },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const unit = await ctx.org.placeUnit(request.tenant.id, id);
      if (!unit) throw notFound('Không tìm thấy đơn vị.');
      authorize(orgPolicy(actorOf(request), 'unit.read', { tenantId: unit.tenantId, unitPath: unit.path }));
      return presentUnit(unit);
    },
  );

  app.get(
    '/api/units/:id/children',
    {
      config: { access: 'public' },
      schema: {
        tags: ['org'],
        summary: 'Current child units, in Vietnamese order',
        params: UnitIdParams,
        response: { 200: UnitListResponse },
      },
    },
    async (request) => {
      const { id } = request.params as { id: string };
      const unit = await ctx.org.unit(request.tenant.id, id);
      if (!unit) throw notFound('Không tìm thấy đơn vị.');
      authorize(orgPolicy(actorOf(request), 'unit.read', { tenantId: unit.tenantId, unitPath: unit.path }));
      return { items: (await ctx.org.children(request.tenant.id, id)).map(presentUnit) };
    },
  );
};
