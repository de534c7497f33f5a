import type { FastifyInstance } from 'fastify';
import { type Static, Type } from 'typebox';
import type { Actor } from '../../access/actor.js';
import { validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actorOf } from '../../web/requestState.js';
import { maskNationalId } from '../identity/rosterNationalId.js';
import { verifyPath } from '../learning/pages.js';
import { auditExport } from './qualificationExport.js';
import { resolveFilter } from './qualificationFilters.js';
import {
  decodeCursor,
  encodeCursor,
  listQualifications,
  type QualificationRecord,
  withHolders,
} from './qualifications.js';

const Day = (description: string) =>
  Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: `${description} (YYYY-MM-DD)` });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);
const StatusSchema = Type.Union([Type.Literal('valid'), Type.Literal('expired'), Type.Literal('revoked')], {
  description: 'valid: in force; expired: lapsed, needs recertification; revoked: withdrawn by an admin',
});

export const QualificationQuery = Type.Object({
  unitId: Type.Optional(
    Type.String({ maxLength: 64, description: "Holders whose home unit is in this unit's subtree" }),
  ),
  from: Type.Optional(Day('Issued or revoked on or after this Vietnamese calendar day')),
  to: Type.Optional(Day('Issued or revoked on or before this Vietnamese calendar day')),
  status: Type.Optional(StatusSchema),
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
});

const QualificationItem = Type.Object({
  code: Type.String({ description: 'Certificate number, as printed and verifiable at /verify/{code}' }),
  holderName: Type.String(),
  nationalIdMasked: Nullable(Type.String({ description: 'Last four CCCD digits, e.g. ********1234' })),
  unit: Nullable(
    Type.Object({
      id: Type.String(),
      code: Nullable(Type.String({ description: 'Administrative code of the unit' })),
      name: Type.String(),
    }),
  ),
  programId: Type.String(),
  programName: Type.String(),
  targetBlock: Nullable(Type.String({ description: 'Learner block the program confirms' })),
  issuedOn: Type.String({ description: 'YYYY-MM-DD' }),
  expiresOn: Nullable(Type.String({ description: 'YYYY-MM-DD, first day it no longer counts; null: never' })),
  status: StatusSchema,
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
  revokedReason: Nullable(Type.String()),
  verifyUrl: Type.String(),
});

const QualificationPage = Type.Object({
  items: Type.Array(QualificationItem),
  nextCursor: Nullable(Type.String({ description: 'Pass as cursor for the next page; null: last page' })),
});

/** The JSON a receiving system gets: what the paper says and its state, never the table's shape. */
export const presentQualification = (
  r: QualificationRecord,
  publicUrl: string,
): Static<typeof QualificationItem> => ({
  code: r.code,
  holderName: r.holderName,
  nationalIdMasked: maskNationalId(r.nationalIdLast4) || null,
  unit: r.unit && { id: r.unit.id, code: r.unit.code, name: r.unit.fullName },
  programId: r.programId,
  programName: r.programName,
  targetBlock: r.targetBlock,
  issuedOn: r.issuedOn,
  expiresOn: r.expiresOn,
  status: r.status,
  revokedAt: r.revokedAt,
  revokedReason: r.revokedReason,
  verifyUrl: `${publicUrl}${verifyPath(r.code)}`,
});

/** JSON API: confirmed qualifications for VNeID and personnel-record systems, a page per call, audited. */
export const qualificationApi = (ctx: AppContext) => async (app: FastifyInstance) => {
  app.get(
    '/api/qualifications',
    {
      config: { access: 'signedIn' },
      schema: {
        tags: ['programs'],
        summary: 'Qualifications (issued, lapsed and revoked) by unit and period, a page at a time',
        querystring: QualificationQuery,
        response: { 200: QualificationPage },
      },
    },
    async (request) => {
      const actor = actorOf(request) as Actor;
      const query = request.query as Static<typeof QualificationQuery>;
      const resolved = await resolveFilter(ctx, actor, request.tenant.id, query, {
        unitId: 'unitId',
        from: 'from',
        to: 'to',
        status: 'status',
      });
      const after = query.cursor ? decodeCursor(query.cursor) : null;
      if (query.cursor && !after) throw validationFailed({ cursor: 'Con trỏ trang không hợp lệ.' });
      const limit = query.limit ?? 100;
      // One more than asked tells whether another page follows without a count.
      const rows = await listQualifications(ctx.db, resolved.filter, { limit: limit + 1, after });
      const page = rows.slice(0, limit);
      const last = page.at(-1);
      const nextCursor = rows.length > limit && last ? encodeCursor(last) : null;
      const records = await withHolders(ctx.db, ctx.org, resolved.filter.today, page);
      await auditExport(ctx, actor, resolved, 'json', {
        cursor: query.cursor ?? null,
        items: records.length,
      });
      return { items: records.map((r) => presentQualification(r, ctx.config.publicUrl)), nextCursor };
    },
  );
};
