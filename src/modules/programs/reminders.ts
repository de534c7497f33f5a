import { nowIso, todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { addDays } from './days.js';
import { type DueWindow, notificationsRepository as repo } from './notifications.js';
import type { EmailStatus, NotificationKind } from './reminderTables.js';
import type { RuleRow } from './repository.js';

export type Milestone = Exclude<NotificationKind, 'nudge'>;
export const MILESTONES: readonly Milestone[] = ['assigned', 'due7', 'due1', 'overdue'];

type Ctx = Pick<AppContext, 'config' | 'db' | 'org' | 'programs' | 'catalog'>;

/**
 * The due days each milestone covers on `today`. The due windows do not overlap, so a person
 * assigned late, or a run missed for a few days, gets the most urgent reminder only:
 * - `assigned`: any due day (sent once, when the scheduler first sees the assignment);
 * - `due7`: due in 2 to 7 days;
 * - `due1`: due tomorrow or today;
 * - `overdue`: due before today.
 */
export function milestoneWindow(kind: Milestone, today: string): DueWindow {
  switch (kind) {
    case 'assigned':
      return { after: null, until: null };
    case 'due7':
      return { after: addDays(today, 1), until: addDays(today, 7) };
    case 'due1':
      return { after: addDays(today, -1), until: addDays(today, 1) };
    case 'overdue':
      return { after: null, until: addDays(today, -1) };
  }
}

/** A new notification's email: waiting to be sent when a mail server is configured. */
export const emailStatusFor = (ctx: Pick<AppContext, 'config'>): EmailStatus =>
  ctx.config.smtpUrl ? 'pending' : 'off';

/** What each rule of a tenant assigns, by name: the program's, or the course's title. */
export async function subjectsOf(
  ctx: Pick<AppContext, 'programs' | 'catalog'>,
  tenantId: string,
  rules: RuleRow[],
): Promise<Map<string, string>> {
  const programs = new Map((await ctx.programs.programs(tenantId)).map((p) => [p.id, p.name]));
  const courseIds = rules.flatMap((r) => (r.courseId ? [r.courseId] : []));
  const courses = new Map((await ctx.catalog.coursesByIds(tenantId, courseIds)).map((c) => [c.id, c.title]));
  const subjects = new Map<string, string>();
  for (const rule of rules) {
    const name = rule.programId ? programs.get(rule.programId) : courses.get(rule.courseId ?? '');
    if (name) subjects.set(rule.id, name);
  }
  return subjects;
}

/**
 * Makes the milestone notifications due on `today` for every current assignment of every
 * tenant: one insert per rule and milestone, so a rule over 200,000 people costs four
 * statements. Safe to run again and from several processes at once: the unique key of
 * notifications keeps each (assignment, milestone) to one row. Returns how many it made.
 */
export async function makeReminders(ctx: Ctx, today: string = todayInVietnam()): Promise<number> {
  const emailStatus = emailStatusFor(ctx);
  let made = 0;
  for (const tenant of await ctx.org.listTenants()) {
    const rules = await ctx.programs.rules(tenant.id);
    const subjects = await subjectsOf(ctx, tenant.id, rules);
    for (const rule of rules) {
      const subject = subjects.get(rule.id);
      if (!subject) continue; // its program or course is gone: nothing to remind of
      for (const kind of MILESTONES) {
        made += await repo.insertFor(ctx.db.kysely, {
          ruleId: rule.id,
          kind,
          occasion: '',
          subject,
          senderName: null,
          createdAt: nowIso(),
          emailStatus,
          window: milestoneWindow(kind, today),
        });
      }
    }
  }
  return made;
}
