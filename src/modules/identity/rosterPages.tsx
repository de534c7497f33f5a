import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';

// Placeholder until the roster import pages land (being written now).
export const rosterPages = (_ctx: AppContext) => async (_app: FastifyInstance) => {};
