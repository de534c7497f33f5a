import { type Kysely, type Selectable, sql, type Transaction } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ClassAttendeeTable, ClassSessionTable } from './tables.js';

export type SessionRow = Selectable<ClassSessionTable>;
export type AttendeeRow = Selectable<ClassAttendeeTable>;
type Q = Kysely<Database> | Transaction<Database>;

/** Which sessions a list covers: all of the tenant's, or those of some units and some instructor. */
export type SessionScope = 'all' | { unitIds: string[]; instructorAccountId: string };

/** Every query of the classes module. */
export const classQueries = {
  insertSession: (q: Q, session: SessionRow) => q.insertInto('classSessions').values(session).execute(),

  session: (q: Q, tenantId: string, id: string) =>
    q
      .selectFrom('classSessions')
      .selectAll()
      .where('tenantId', '=', tenantId)
      .where('id', '=', id)
      .executeTakeFirst(),

  updateSession: (q: Q, id: string, changes: Partial<Omit<SessionRow, 'id' | 'tenantId'>>) =>
    q.updateTable('classSessions').set(changes).where('id', '=', id).execute(),

  /**
   * Takes the write lock on a session by rewriting a column unchanged: on PostgreSQL a row lock
   * that concurrent registrations and check-ins wait for, on SQLite the database write lock.
   * Whoever holds it counts the seats and takes one without anyone overtaking. Returns the
   * session's capacity and status as they are under the lock.
   */
  lockSession: (q: Q, id: string) =>
    q
      .updateTable('classSessions')
      .set((eb) => ({ capacity: eb.ref('capacity') }))
      .where('id', '=', id)
      .returning(['capacity', 'status'])
      .executeTakeFirstOrThrow(),

  /** Sessions in a scope, a page at a time: those not yet over first (soonest first), then the past. */
  sessionsIn: (q: Q, tenantId: string, scope: SessionScope, now: string, limit: number, offset: number) => {
    let query = q.selectFrom('classSessions').selectAll().where('tenantId', '=', tenantId);
    if (scope !== 'all') {
      const { unitIds, instructorAccountId } = scope;
      query = query.where((eb) =>
        eb.or([
          eb('instructorAccountId', '=', instructorAccountId),
          ...(unitIds.length > 0 ? [eb('unitId', 'in', unitIds)] : []),
        ]),
      );
    }
    return query
      .orderBy(sql`case when starts_at >= ${now} then 0 else 1 end`)
      .orderBy(sql`case when starts_at >= ${now} then starts_at end`)
      .orderBy('startsAt', 'desc')
      .orderBy('id')
      .limit(limit)
      .offset(offset)
      .execute();
  },

  /** True when the account is the instructor of at least one session of the tenant. */
  instructsAny: async (q: Q, tenantId: string, accountId: string) =>
    (await q
      .selectFrom('classSessions')
      .select('id')
      .where('tenantId', '=', tenantId)
      .where('instructorAccountId', '=', accountId)
      .limit(1)
      .executeTakeFirst()) !== undefined,

  /** Scheduled sessions at some units starting from `from`, soonest first, a page at a time. */
  upcomingAt: (q: Q, tenantId: string, unitIds: string[], from: string, limit: number, offset: number) =>
    unitIds.length === 0
      ? Promise.resolve([])
      : q
          .selectFrom('classSessions')
          .selectAll()
          .where('tenantId', '=', tenantId)
          .where('unitId', 'in', unitIds)
          .where('status', '=', 'scheduled')
          .where('startsAt', '>=', from)
          .orderBy('startsAt')
          .orderBy('id')
          .limit(limit)
          .offset(offset)
          .execute(),

  /** The sessions a person holds a seat in, with their seat; the latest first. */
  seatsOf: (q: Q, tenantId: string, accountId: string) =>
    q
      .selectFrom('classAttendees')
      .innerJoin('classSessions', 'classSessions.id', 'classAttendees.sessionId')
      .selectAll('classSessions')
      .select([
        'classAttendees.id as attendeeId',
        'classAttendees.registeredAt',
        'classAttendees.attendedAt',
        'classAttendees.paperScore',
        'classAttendees.paperMax',
        'classAttendees.paperPassed',
      ])
      .where('classAttendees.tenantId', '=', tenantId)
      .where('classAttendees.accountId', '=', accountId)
      .orderBy('classSessions.startsAt', 'desc')
      .orderBy('classSessions.id')
      .execute(),

  attendees: (q: Q, sessionId: string) =>
    q.selectFrom('classAttendees').selectAll().where('sessionId', '=', sessionId).orderBy('id').execute(),

  attendee: (q: Q, sessionId: string, id: string) =>
    q
      .selectFrom('classAttendees')
      .selectAll()
      .where('sessionId', '=', sessionId)
      .where('id', '=', id)
      .executeTakeFirst(),

  seatOf: (q: Q, sessionId: string, accountId: string) =>
    q
      .selectFrom('classAttendees')
      .selectAll()
      .where('sessionId', '=', sessionId)
      .where('accountId', '=', accountId)
      .executeTakeFirst(),

  countSeats: async (q: Q, sessionId: string): Promise<number> => {
    const row = await q
      .selectFrom('classAttendees')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('sessionId', '=', sessionId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  },

  /** Seats taken and people present, per session. */
  seatCounts: async (q: Q, sessionIds: string[]) => {
    if (sessionIds.length === 0) return new Map<string, { seats: number; present: number }>();
    const rows = await q
      .selectFrom('classAttendees')
      .select('sessionId')
      .select((eb) => [eb.fn.countAll<number>().as('seats'), eb.fn.count<number>('attendedAt').as('present')])
      .where('sessionId', 'in', sessionIds)
      .groupBy('sessionId')
      .execute();
    return new Map(rows.map((r) => [r.sessionId, { seats: Number(r.seats), present: Number(r.present) }]));
  },

  insertAttendee: (q: Q, attendee: AttendeeRow) => q.insertInto('classAttendees').values(attendee).execute(),

  updateAttendee: (q: Q, id: string, changes: Partial<Omit<AttendeeRow, 'id' | 'tenantId' | 'sessionId'>>) =>
    q.updateTable('classAttendees').set(changes).where('id', '=', id).execute(),

  deleteAttendee: (q: Q, id: string) => q.deleteFrom('classAttendees').where('id', '=', id).execute(),

  /**
   * Per organising unit, over the sessions held (not cancelled) starting in [from, to): how
   * many sessions, attendances, attendances of walk-ins, and paper results passed.
   */
  heldByUnit: (q: Q, tenantId: string, from: string, to: string) =>
    q
      .selectFrom('classSessions')
      .leftJoin('classAttendees', 'classAttendees.sessionId', 'classSessions.id')
      .select('classSessions.unitId')
      .select((eb) => [
        eb.fn.count<number>('classSessions.id').distinct().as('sessions'),
        eb.fn.count<number>('classAttendees.attendedAt').as('attendances'),
        eb.fn
          .sum<number>(
            eb
              .case()
              .when(
                eb.and([
                  eb('classAttendees.attendedAt', 'is not', null),
                  eb('classAttendees.accountId', 'is', null),
                ]),
              )
              .then(1)
              .else(0)
              .end(),
          )
          .as('walkIns'),
        eb.fn
          .sum<number>(eb.case().when('classAttendees.paperPassed', '=', 1).then(1).else(0).end())
          .as('paperPassed'),
      ])
      .where('classSessions.tenantId', '=', tenantId)
      .where('classSessions.status', '=', 'scheduled')
      .where('classSessions.startsAt', '>=', from)
      .where('classSessions.startsAt', '<', to)
      .groupBy('classSessions.unitId')
      .execute(),
};
