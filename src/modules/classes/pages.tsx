import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../web/context.js';
import { attendanceRoutes } from './attendancePages.js';
import { learnerRoutes } from './learnerPages.js';
import { manageRoutes } from './managePages.js';

/** The in-person classes' pages: learners', then those of the people who schedule and run sessions. */
export const classPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  learnerRoutes(app, ctx);
  manageRoutes(app, ctx);
  attendanceRoutes(app, ctx);
};
