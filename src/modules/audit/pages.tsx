import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';

// Placeholder until the audit pages land (being written now).
export const auditPages = (_ctx: AppContext) => async (_app: FastifyInstance) => {};
