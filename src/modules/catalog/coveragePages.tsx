import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';

// Placeholder until the module's pages land (being written now).
export const coveragePages = (_ctx: AppContext) => async (_app: FastifyInstance) => {};
