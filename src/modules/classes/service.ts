import type { Actor } from '../../access/actor.js';
import type { Db } from '../../db/database.js';
import type { AuditService } from '../audit/service.js';
import type { ImageLoader } from '../catalog/handoutPdf.js';
import type { CatalogService } from '../catalog/service.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService } from '../org/service.js';
import {
  addAtDoor,
  cancelRegistration,
  checkIn,
  linkWalkIn,
  markAttendance,
  recordWalkIn,
  register,
  type ShownMark,
  type WalkInInput,
} from './attendance.js';
import { checkinCodeAt } from './checkinCode.js';
import { classKit } from './classKit.js';
import { classesOf, rosterOf, sessionReport, unitSummary } from './classReports.js';
import { type ResultsForm, saveResults } from './paperResults.js';
import { classQueries as q, type SessionRow } from './queries.js';
import type { SessionForm } from './sessionInput.js';
import {
  allowedSession,
  type ClassDeps,
  cancelSession,
  createSession,
  mayManageAny,
  schedulableUnits,
  sessionCards,
  sessionsFor,
  upcomingFor,
  updateSession,
} from './sessions.js';

/**
 * In-person class sessions: scheduling, registration, attendance (a rotating QR code, the
 * instructor's roster, walk-ins linked to accounts later), paper quiz results, the printable kit,
 * and the figures reports show. Every method that acts for someone asks `classPolicy`.
 */
export class ClassService implements ClassDeps {
  /** The clock every rule reads (check-in codes, periods, "upcoming"): tests move it. */
  readonly now: () => Date;

  constructor(
    readonly db: Db,
    readonly org: OrgService,
    readonly identity: IdentityService,
    readonly catalog: CatalogService,
    readonly audit: AuditService,
    options: { now?: () => Date } = {},
  ) {
    this.now = options.now ?? (() => new Date());
  }

  // Sessions
  createSession = (actor: Actor, form: SessionForm) => createSession(this, actor, form);
  updateSession = (actor: Actor, id: string, form: SessionForm) => updateSession(this, actor, id, form);
  cancelSession = (actor: Actor, id: string) => cancelSession(this, actor, id);
  /** A session once the policy allows `action` on it (404, else 403). */
  allowedSession = (actor: Actor, id: string, action: 'class.run' | 'class.read' | 'class.attend') =>
    allowedSession(this, actor, id, action);
  schedulableUnits = (actor: Actor, query: string, selectedId?: string) =>
    schedulableUnits(this, actor, query, selectedId);
  mayManageAny = (actor: Actor) => mayManageAny(this, actor);
  sessionsFor = (actor: Actor, page: number) => sessionsFor(this, actor, page);
  upcomingFor = (actor: Actor, page: number) => upcomingFor(this, actor, page);
  sessionCards = (tenantId: string, sessions: SessionRow[]) => sessionCards(this, tenantId, sessions);
  /** The sessions a person holds a seat in, with the seat; the latest first. */
  seatsOf = (tenantId: string, accountId: string) => q.seatsOf(this.db.kysely, tenantId, accountId);
  seatOf = (sessionId: string, accountId: string) => q.seatOf(this.db.kysely, sessionId, accountId);

  // Attendance
  register = (actor: Actor, sessionId: string) => register(this, actor, sessionId);
  cancelRegistration = (actor: Actor, sessionId: string) => cancelRegistration(this, actor, sessionId);
  /** The code the session's QR page shows now. */
  checkinCode = (session: SessionRow) => checkinCodeAt(session.checkinSecret, session.id, this.now());
  checkIn = (actor: Actor, sessionId: string, code: string) => checkIn(this, actor, sessionId, code);
  markAttendance = (actor: Actor, sessionId: string, shown: ShownMark[], ticked: string[]) =>
    markAttendance(this, actor, sessionId, shown, ticked);
  addAtDoor = (actor: Actor, sessionId: string, identifier: string) =>
    addAtDoor(this, actor, sessionId, identifier);
  recordWalkIn = (actor: Actor, sessionId: string, input: WalkInInput) =>
    recordWalkIn(this, actor, sessionId, input);
  linkWalkIn = (actor: Actor, sessionId: string, attendeeId: string, identifier: string) =>
    linkWalkIn(this, actor, sessionId, attendeeId, identifier);
  saveResults = (actor: Actor, sessionId: string, form: ResultsForm) =>
    saveResults(this, actor, sessionId, form);

  // Reading
  roster = (session: SessionRow) => rosterOf(this, session);
  report = async (session: SessionRow) => sessionReport(session, await rosterOf(this, session), this.now());
  /** Every class a person held a seat in, for their learning record. */
  classesOf = (tenantId: string, accountId: string) => classesOf(this, tenantId, accountId);
  /**
   * Per subtree id: sessions held in the period, attendances, walk-ins, paper results passed.
   * @example await ctx.classes.unitSummary(tenantId, [{ id: unit.id, path: unit.path }], { from: '2026-01-01', to: '2026-12-31' })
   */
  unitSummary = (
    tenantId: string,
    subtrees: { id: string; path: string }[],
    period: { from: string; to: string },
  ) => unitSummary(this, tenantId, subtrees, period);
  classKit = (actor: Actor, sessionId: string, tenantName: string, loadImage: ImageLoader) =>
    classKit(this, actor, sessionId, tenantName, loadImage);
}
