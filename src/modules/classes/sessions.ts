import { randomBytes, randomUUID } from 'node:crypto';
import { type Actor, holdsRoleOver } from '../../access/actor.js';
import { type Db, inTransaction } from '../../db/database.js';
import { todayInVietnam } from '../../db/time.js';
import { conflict, type FieldErrors, forbidden, notFound, validationFailed } from '../../errors.js';
import { compareVietnamese } from '../../text/vietnamese.js';
import type { AuditService } from '../audit/service.js';
import type { CatalogService } from '../catalog/service.js';
import type { AccountRow } from '../identity/repository.js';
import type { IdentityService } from '../identity/service.js';
import type { OrgService, PlacedUnit, Unit } from '../org/service.js';
import { CLASS_READERS, CLASS_RUNNERS, type ClassAction, type ClassSubject, classPolicy } from './policy.js';
import { classQueries as q, type SessionRow, type SessionScope } from './queries.js';
import { checkSessionForm, type SessionForm, vietnamInstant } from './sessionInput.js';

/** What the classes module works with; `now` is the clock, replaceable in tests. */
export interface ClassDeps {
  db: Db;
  org: OrgService;
  identity: IdentityService;
  catalog: CatalogService;
  audit: AuditService;
  now: () => Date;
}

/** A session with the unit it is decided over: its organising unit, or the unit that unit merged into. */
export interface PlacedSession {
  session: SessionRow;
  unit: Unit;
  subject: ClassSubject;
}

export const SESSIONS_PER_PAGE = 20;
const UNIT_CHOICES = 60;

/** A session of the tenant, or a 404 (another tenant's session does not exist for this one). */
async function sessionOf(deps: ClassDeps, tenantId: string, id: string): Promise<SessionRow> {
  const session = await q.session(deps.db.kysely, tenantId, id);
  if (!session) throw notFound('Không tìm thấy buổi học này.');
  return session;
}

/** The session with its unit: after a merge, a role over the successor unit covers it. */
async function placeSession(deps: ClassDeps, session: SessionRow): Promise<PlacedSession> {
  const unit =
    (await deps.org.inForce(session.tenantId, session.unitId)) ??
    (await deps.org.unit(session.tenantId, session.unitId));
  if (!unit) throw notFound('Không tìm thấy đơn vị tổ chức buổi học này.');
  return {
    session,
    unit,
    subject: {
      tenantId: session.tenantId,
      unitPath: unit.path,
      instructorAccountId: session.instructorAccountId,
    },
  };
}

/** The session, once the policy let the actor do `action` to it: 404 when there is none, else 403. */
export async function allowedSession(
  deps: ClassDeps,
  actor: Actor,
  id: string,
  action: Exclude<ClassAction, 'class.schedule'>,
): Promise<PlacedSession> {
  const placed = await placeSession(deps, await sessionOf(deps, actor.tenantId, id));
  if (!classPolicy(actor, action, placed.subject)) throw forbidden();
  return placed;
}

/** True when the actor holds a role that schedules classes somewhere in the tenant. */
export const mayScheduleSomewhere = (actor: Actor): boolean =>
  actor.grants.some((g) => CLASS_RUNNERS.includes(g.role));

/** True when the actor may open the list of sessions to run or read: a role, or a session they teach. */
export async function mayManageAny(deps: ClassDeps, actor: Actor): Promise<boolean> {
  if (actor.grants.some((g) => CLASS_READERS.includes(g.role))) return true;
  return q.instructsAny(deps.db.kysely, actor.tenantId, actor.accountId);
}

/**
 * The units to offer in the "organising unit" choice: the units the actor's roles are scoped to
 * and their children (the tenant's top units for tenant-wide roles), the units a search finds,
 * and the chosen one; only those the actor may schedule at.
 */
export async function schedulableUnits(
  deps: ClassDeps,
  actor: Actor,
  query: string,
  selectedId: string | undefined,
): Promise<PlacedUnit[]> {
  const { tenantId } = actor;
  const scopeIds = actor.grants.flatMap((g) =>
    CLASS_RUNNERS.includes(g.role) && g.unitPath ? [g.unitPath.split('/').at(-2) as string] : [],
  );
  const root = actor.grants.some((g) => CLASS_RUNNERS.includes(g.role) && g.unitPath === null)
    ? await deps.org.rootUnit(tenantId)
    : undefined;
  const tops = [...(root ? [root.id] : []), ...scopeIds];
  const children = await Promise.all(tops.map((id) => deps.org.children(tenantId, id)));
  const found = query ? await deps.org.searchUnits(tenantId, query, 20) : [];
  const ids = [
    ...(selectedId ? [selectedId] : []),
    ...found.map((u) => u.id),
    ...tops,
    ...children.flat().map((u) => u.id),
  ];
  const placed = await deps.org.placeUnitsByIds(tenantId, ids);
  const seen = new Set<string>();
  return ids
    .flatMap((id) => {
      const unit = placed.get(id);
      if (!unit || seen.has(id)) return [];
      seen.add(id);
      return classPolicy(actor, 'class.schedule', { tenantId, unitPath: unit.path }) ? [unit] : [];
    })
    .slice(0, UNIT_CHOICES);
}

/** The account a phone number or email names, for the instructor field; problems go to `errors`. */
async function instructorOf(
  deps: ClassDeps,
  tenantId: string,
  identifier: string,
  errors: FieldErrors,
): Promise<AccountRow | undefined> {
  const account = await deps.identity.accountByIdentifier(tenantId, identifier);
  if (!account || account.deletedAt) {
    errors.instructor = 'Không tìm thấy ai có số điện thoại hoặc email này trong hệ thống.';
    return undefined;
  }
  return account;
}

/** The course a session teaches, checked: it must be published; problems go to `errors`. */
async function courseTitleOf(
  deps: ClassDeps,
  tenantId: string,
  courseId: string | null,
  errors: FieldErrors,
): Promise<string | null> {
  if (!courseId) return null;
  const course = await deps.catalog.courseById(tenantId, courseId);
  if (!course) errors.courseId = 'Khóa học đã chọn không có hoặc chưa được xuất bản.';
  return course?.title ?? null;
}

/**
 * Schedules a session at a unit the actor may schedule at (403 otherwise, nothing stored).
 * The instructor is the account the form names, or the actor; the title defaults to the course's.
 * @example await createSession(deps, manager, { unitId, place: 'Nhà văn hóa thôn', day: '2026-12-05', … })
 */
export async function createSession(deps: ClassDeps, actor: Actor, form: SessionForm): Promise<SessionRow> {
  const { tenantId } = actor;
  const unit = form.unitId ? await deps.org.unit(tenantId, form.unitId) : undefined;
  if (unit && !classPolicy(actor, 'class.schedule', { tenantId, unitPath: unit.path })) {
    throw forbidden(`Bạn không được tổ chức lớp học ở ${unit.fullName}.`);
  }
  const now = deps.now();
  const { value, errors } = checkSessionForm(form, now);
  if (!unit) errors.unitId = 'Hãy chọn đơn vị tổ chức buổi học.';
  const courseTitle = await courseTitleOf(deps, tenantId, value?.courseId ?? null, errors);
  const instructor = value?.instructor
    ? await instructorOf(deps, tenantId, value.instructor, errors)
    : { id: actor.accountId };
  if (!value || !unit || !instructor || Object.keys(errors).length > 0) throw validationFailed(errors);
  const at = now.toISOString();
  const session: SessionRow = {
    id: randomUUID(),
    tenantId,
    unitId: unit.id,
    courseId: value.courseId,
    title: value.title || (courseTitle as string),
    place: value.place,
    startsAt: value.startsAt,
    durationMinutes: value.durationMinutes,
    capacity: value.capacity,
    audienceBlock: value.audienceBlock,
    audienceNote: value.audienceNote,
    instructorAccountId: instructor.id,
    status: 'scheduled',
    checkinSecret: randomBytes(32).toString('base64url'),
    paperPassPercent: null,
    createdBy: actor.accountId,
    createdAt: at,
    updatedAt: at,
  };
  await inTransaction(deps.db, async (tx) => {
    await q.insertSession(tx.kysely, session);
    await deps.audit.record(tx, {
      tenantId,
      actor,
      action: 'class.scheduled',
      subject: { type: 'classSession', id: session.id, label: session.title },
      unitId: unit.id,
      details: { place: session.place, startsAt: session.startsAt, capacity: session.capacity },
    });
  });
  return session;
}

/**
 * Changes a session's details (not its unit). The capacity cannot go below the seats already
 * held; an empty instructor field keeps the instructor. A cancelled session is not edited (409).
 */
export async function updateSession(
  deps: ClassDeps,
  actor: Actor,
  id: string,
  form: SessionForm,
): Promise<SessionRow> {
  const { session } = await allowedSession(deps, actor, id, 'class.run');
  if (session.status === 'cancelled') throw conflict({}, 'Buổi học này đã bị hủy nên không sửa được.');
  const { value, errors } = checkSessionForm(form, deps.now());
  const courseTitle = await courseTitleOf(deps, actor.tenantId, value?.courseId ?? null, errors);
  const instructor = value?.instructor
    ? await instructorOf(deps, actor.tenantId, value.instructor, errors)
    : { id: session.instructorAccountId };
  if (!value || !instructor || Object.keys(errors).length > 0) throw validationFailed(errors);
  return inTransaction(deps.db, async (tx) => {
    await q.lockSession(tx.kysely, session.id);
    const seats = await q.countSeats(tx.kysely, session.id);
    if (value.capacity < seats) {
      throw validationFailed({
        capacity: `Đã có ${seats} người giữ chỗ; số chỗ không được ít hơn ${seats}.`,
      });
    }
    const changes = {
      courseId: value.courseId,
      title: value.title || (courseTitle as string),
      place: value.place,
      startsAt: value.startsAt,
      durationMinutes: value.durationMinutes,
      capacity: value.capacity,
      audienceBlock: value.audienceBlock,
      audienceNote: value.audienceNote,
      instructorAccountId: instructor.id,
      updatedAt: deps.now().toISOString(),
    };
    await q.updateSession(tx.kysely, session.id, changes);
    await deps.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'class.updated',
      subject: { type: 'classSession', id: session.id, label: changes.title },
      unitId: session.unitId,
      details: { place: changes.place, startsAt: changes.startsAt, capacity: changes.capacity },
    });
    return { ...session, ...changes };
  });
}

/** Cancels a session: it stays listed as cancelled, and refuses registrations and check-ins. */
export async function cancelSession(deps: ClassDeps, actor: Actor, id: string): Promise<void> {
  const { session } = await allowedSession(deps, actor, id, 'class.run');
  if (session.status === 'cancelled') throw conflict({}, 'Buổi học này đã được hủy trước đó.');
  await inTransaction(deps.db, async (tx) => {
    await q.updateSession(tx.kysely, session.id, {
      status: 'cancelled',
      updatedAt: deps.now().toISOString(),
    });
    await deps.audit.record(tx, {
      tenantId: actor.tenantId,
      actor,
      action: 'class.cancelled',
      subject: { type: 'classSession', id: session.id, label: session.title },
      unitId: session.unitId,
      details: { startsAt: session.startsAt },
    });
  });
}

/** The sessions the actor may read: all of the tenant's for tenant-wide roles, else their units' and their own. */
async function readableScope(deps: ClassDeps, actor: Actor): Promise<SessionScope> {
  if (holdsRoleOver(actor, CLASS_READERS, { tenantId: actor.tenantId, unitPath: null })) return 'all';
  const paths = actor.grants.flatMap((g) =>
    CLASS_READERS.includes(g.role) && g.unitPath ? [g.unitPath] : [],
  );
  const unitIds = (await Promise.all(paths.map((path) => deps.org.subtreeIds(actor.tenantId, path)))).flat();
  return { unitIds: [...new Set(unitIds)], instructorAccountId: actor.accountId };
}

/** The start of today in Vietnam: sessions of today count as upcoming all day. */
const todayStart = (now: Date) => vietnamInstant(todayInVietnam(now), '00:00');

/** A page of the sessions the actor may read, today's and later ones first (soonest first), then past ones. */
export async function sessionsFor(deps: ClassDeps, actor: Actor, page: number): Promise<SessionRow[]> {
  return q.sessionsIn(
    deps.db.kysely,
    actor.tenantId,
    await readableScope(deps, actor),
    todayStart(deps.now()),
    SESSIONS_PER_PAGE + 1,
    (page - 1) * SESSIONS_PER_PAGE,
  );
}

/**
 * A page of the scheduled sessions from today on that concern a person: those organised by their
 * home unit or a unit above it (the district, the province), or anywhere in their commune.
 */
export async function upcomingFor(deps: ClassDeps, actor: Actor, page: number): Promise<SessionRow[]> {
  const home = actor.homeUnitId ? await deps.org.unit(actor.tenantId, actor.homeUnitId) : undefined;
  if (!home) return [];
  const lineage = await deps.org.lineage(actor.tenantId, home);
  const commune = lineage.find((u) => u.kind === 'commune');
  const unitIds = [
    ...lineage.map((u) => u.id),
    ...(commune ? await deps.org.subtreeIds(actor.tenantId, commune.path) : []),
  ];
  return q.upcomingAt(
    deps.db.kysely,
    actor.tenantId,
    [...new Set(unitIds)],
    todayStart(deps.now()),
    SESSIONS_PER_PAGE + 1,
    (page - 1) * SESSIONS_PER_PAGE,
  );
}

/** The accounts of these ids (nulls skipped: walk-ins and unnamed instructors have none), in one read. */
export async function accountsByIds(
  deps: ClassDeps,
  tenantId: string,
  ids: (string | null)[],
): Promise<Map<string, AccountRow>> {
  return deps.identity.accounts(
    tenantId,
    ids.filter((id): id is string => id !== null),
  );
}

export interface SessionCard {
  session: SessionRow;
  unitName: string;
  courseTitle: string | null;
  courseSlug: string | null;
  instructorName: string;
  seats: number;
  present: number;
}

/** What a list or a page shows of sessions: unit, course and instructor names, seats taken. */
export async function sessionCards(
  deps: ClassDeps,
  tenantId: string,
  sessions: SessionRow[],
): Promise<SessionCard[]> {
  const [units, courses, counts, instructors] = await Promise.all([
    deps.org.unitsByIds(
      tenantId,
      sessions.map((s) => s.unitId),
    ),
    deps.catalog.coursesByIds(tenantId, [
      ...new Set(sessions.flatMap((s) => (s.courseId ? [s.courseId] : []))),
    ]),
    q.seatCounts(
      deps.db.kysely,
      sessions.map((s) => s.id),
    ),
    accountsByIds(
      deps,
      tenantId,
      sessions.map((s) => s.instructorAccountId),
    ),
  ]);
  const courseOf = new Map(courses.map((c) => [c.id, c]));
  return sessions.map((session) => {
    const course = session.courseId ? courseOf.get(session.courseId) : undefined;
    const count = counts.get(session.id);
    return {
      session,
      unitName: units.get(session.unitId)?.fullName ?? '',
      courseTitle: course?.title ?? null,
      courseSlug: course?.slug ?? null,
      instructorName: instructors.get(session.instructorAccountId)?.fullName ?? 'Tài khoản đã xóa',
      seats: count?.seats ?? 0,
      present: count?.present ?? 0,
    };
  });
}

/** People sorted as a Vietnamese list is: by given name (the last word), then the whole name. */
export function byVietnameseName(a: string, b: string): number {
  const given = (name: string) => name.split(' ').at(-1) ?? name;
  return compareVietnamese(given(a), given(b)) || compareVietnamese(a, b);
}
