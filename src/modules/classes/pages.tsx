import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';

/** The in-person classes' pages. */
export const classPages = (_ctx: AppContext) => async (_app: FastifyInstance) => {};
