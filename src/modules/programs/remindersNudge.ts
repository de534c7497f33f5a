import type { Actor } from '../../access/actor.js';
import { inTransaction } from '../../db/database.js';
import { nowIso, todayInVietnam } from '../../db/time.js';
import { forbidden, notFound } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { notificationsRepository as repo } from './notifications.js';
import { emailStatusFor, milestoneWindow, subjectsOf } from './reminders.js';
import { mayNudge } from './remindersPolicy.js';

type Ctx = Pick<AppContext, 'config' | 'db' | 'org' | 'programs' | 'catalog' | 'audit'>;

/**
 * A manager's one-button reminder: a `nudge` notification (and email, sent by the next
 * reminders run) to every current overdue person of a rule. At most one per person and rule a
 * day: a second press the same day reaches only people not nudged yet. Audited with the count.
 * Returns how many people were nudged.
 */
export async function nudgeOverdue(
  ctx: Ctx,
  actor: Actor,
  tenantId: string,
  ruleId: string,
): Promise<number> {
  const rule = await ctx.programs.rule(tenantId, ruleId);
  // A rule over a unit merged since follows it into its successor, as its audience does.
  const unit = rule && (await ctx.org.inForce(tenantId, rule.unitId));
  if (!rule || !unit) throw notFound('Không tìm thấy quy tắc giao học này.');
  if (!mayNudge(actor, { tenantId, unitPath: unit.path })) throw forbidden();
  const subject = (await subjectsOf(ctx, tenantId, [rule])).get(rule.id);
  if (!subject) throw notFound('Chương trình hoặc khóa học của quy tắc này không còn.');
  const today = todayInVietnam();
  return inTransaction(ctx.db, async (tx) => {
    const nudged = await repo.insertFor(tx.kysely, {
      ruleId: rule.id,
      kind: 'nudge',
      occasion: today,
      subject,
      senderName: actor.fullName,
      createdAt: nowIso(),
      emailStatus: emailStatusFor(ctx),
      window: milestoneWindow('overdue', today),
    });
    await ctx.audit.record(tx, {
      tenantId,
      actor,
      action: 'assignment.nudged',
      subject: { type: 'assignmentRule', id: rule.id, label: subject },
      unitId: unit.id,
      details: { people: nudged },
    });
    return nudged;
  });
}
