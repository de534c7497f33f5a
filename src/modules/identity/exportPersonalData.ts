/**
 * Everything the platform holds about one person (the right of access), gathered from each
 * module's service and shaped once: the JSON download and the printable page show the same
 * object. Every export is recorded in the audit log.
 */
import { type Actor, ROLE_LABELS } from '../../access/actor.js';
import { notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { actionLabel, detailsSummary } from '../audit/actions.js';
import { teamStatusLabel } from '../community/teamStatuses.js';
import { notificationsRepository } from '../programs/notifications.js';
import { notificationText } from '../programs/remindersText.js';
import { STATUS_LABELS } from '../programs/status.js';
import { CONSENT_PURPOSES, CONSENT_SOURCES, isConsentPurpose } from './consents.js';
import { loginAttemptKey } from './loginAttemptKey.js';
import { identityRepository as repo } from './repository.js';
import { maskNationalId } from './rosterNationalId.js';

export type ExportFormat = 'html' | 'json';

/** Notifications are reminders: the newest thousand say all there is to say. */
const MAX_NOTIFICATIONS = 1000;

/** The export as a plain object: what `JSON.stringify` writes and the page lists. */
export type PersonalDataExport = Awaited<ReturnType<typeof gather>>;

/** Gathers the actor's data and records the export. */
export async function exportPersonalData(
  ctx: AppContext,
  actor: Actor,
  format: ExportFormat,
): Promise<PersonalDataExport> {
  const data = await gather(ctx, actor);
  await ctx.audit.record(ctx.db, {
    tenantId: actor.tenantId,
    actor,
    action: 'personal_data.exported',
    subject: { type: 'account', id: actor.accountId, label: actor.fullName },
    unitId: actor.homeUnitId,
    details: { format },
  });
  return data;
}

async function gather(ctx: AppContext, actor: Actor) {
  const { tenantId, accountId } = actor;
  const q = ctx.db.kysely;
  const account = await repo.accountById(q, tenantId, accountId);
  if (!account) throw notFound('Không tìm thấy tài khoản.');
  const identifiers = [account.phone, account.email]
    .filter((v): v is string => v !== null)
    .map((identifier) => loginAttemptKey(ctx.config.secret, identifier));
  const [duties, qualifications, notifications, teams, classes] = await Promise.all([
    ctx.programs.assignmentsOf(accountId),
    ctx.programs.qualificationsOf(accountId),
    notificationsRepository.page(q, accountId, MAX_NOTIFICATIONS, 0),
    ctx.community.teamsOf(tenantId, accountId),
    ctx.classes.classesOf(tenantId, accountId),
  ]);
  const [view, consents, sessions, loginAttempts, learning, quizAttempts, auditEvents] = await Promise.all([
    ctx.identity.view(account),
    repo.consentsOf(q, accountId),
    repo.sessionsOf(q, accountId),
    repo.attemptsWith(q, tenantId, identifiers),
    ctx.learning.personalDataOf(accountId),
    ctx.assessment.allAttemptsOf(accountId),
    ctx.audit.eventsAbout(tenantId, accountId),
  ]);
  const courseIds = [
    ...new Set([...learning.courses, ...learning.events, ...quizAttempts].map((c) => c.courseId)),
  ];
  const titles = new Map((await ctx.catalog.coursesByIds(tenantId, courseIds)).map((c) => [c.id, c.title]));
  const titled = <T extends { courseId: string }>(row: T) => ({
    ...row,
    courseTitle: titles.get(row.courseId) ?? null,
  });

  return {
    format: 'hocvuso.personal-data.v1',
    exportedAt: new Date().toISOString(),
    account: {
      id: account.id,
      fullName: account.fullName,
      phone: view.phone,
      email: account.email,
      block: account.block,
      blockLabel: view.blockLabel,
      homeUnit: view.homeUnit ? [view.homeUnit.fullName, ...view.homeUnit.ancestors].join(', ') : null,
      position: account.position,
      /** Only the last four digits are stored; the number itself never is. */
      nationalId: account.nationalIdLast4 ? maskNationalId(account.nationalIdLast4) : null,
      birthYear: account.birthYear,
      createdAt: account.createdAt,
      updatedAt: account.updatedAt,
    },
    roles: view.roles.map((r) => ({ role: r.role, roleLabel: ROLE_LABELS[r.role], unit: r.unit })),
    consents: consents.map((c) => ({
      purpose: c.purpose,
      purposeLabel: isConsentPurpose(c.purpose) ? CONSENT_PURPOSES[c.purpose] : c.purpose,
      source: c.source,
      sourceLabel: CONSENT_SOURCES[c.source] ?? c.source,
      grantedAt: c.grantedAt,
      withdrawnAt: c.withdrawnAt,
    })),
    sessions,
    loginAttempts: loginAttempts.map((a) => ({ ...a, succeeded: a.succeeded === 1 })),
    courses: learning.courses.map(titled),
    lessons: learning.lessons.map(titled),
    quizAttempts: quizAttempts.map((a) => ({
      ...titled(a),
      late: a.late === null ? null : a.late === 1,
      passed: a.passed === null ? null : a.passed === 1,
      answers: a.answers === null ? null : (JSON.parse(a.answers) as unknown),
    })),
    certificates: learning.certificates.map((c) => ({
      code: c.code,
      learnerName: c.learnerName,
      courseTitle: c.courseTitle,
      issuedOn: c.issuedOn,
      revokedAt: c.revokedAt,
      revokedReason: c.revokedReason,
    })),
    learningEvents: learning.events.map((e) => ({
      ...titled(e),
      result: e.result === null ? null : (JSON.parse(e.result) as unknown),
    })),
    auditEvents: auditEvents.map((e) => ({
      occurredAt: e.occurredAt,
      action: e.action,
      actionLabel: actionLabel(e.action),
      actorName: e.actorName,
      subjectLabel: e.subjectLabel,
      summary: detailsSummary(e.action, e.details),
    })),
    assignments: duties.map((a) => ({
      target: a.targetType,
      targetId: a.targetId,
      assignedAt: a.assignedAt,
      dueOn: a.dueOn,
      status: a.status,
      statusLabel: STATUS_LABELS[a.status],
      completedAt: a.completedAt,
      exemptReason: a.exemptReason,
    })),
    qualifications: qualifications.map((q) => ({
      code: q.code,
      programName: q.programName,
      issuedOn: q.issuedOn,
      expiresOn: q.expiresOn,
      revokedAt: q.revokedAt,
      revokedReason: q.revokedReason,
    })),
    communityTeams: teams.map((t) => ({
      name: t.name,
      leader: t.leaderAccountId === accountId,
      status: t.status,
      statusLabel: teamStatusLabel(t.status),
    })),
    inPersonClasses: classes.map((c) => ({
      title: c.title,
      courseTitle: c.courseTitle,
      startsAt: c.startsAt,
      place: c.place,
      attendance: c.attendance,
      attendanceLabel: c.attendanceLabel,
      attendedAt: c.attendedAt,
      paperResult: c.result,
    })),
    notifications: notifications.map((n) => ({
      createdAt: n.createdAt,
      readAt: n.readAt,
      title: notificationText(n).title,
    })),
  };
}
