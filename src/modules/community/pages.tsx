import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';

/** The community teams' pages. */
export const communityPages = (_ctx: AppContext) => async (_app: FastifyInstance) => {};
