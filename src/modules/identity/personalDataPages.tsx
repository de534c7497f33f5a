import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';

/** Placeholder for the personal-data pages (issue 5); filled in before it lands. */
export const personalDataPages = (_ctx: AppContext) => async (_app: FastifyInstance) => {};
