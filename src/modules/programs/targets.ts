import type { AppContext } from '../../web/context.js';
import type { AssignmentView } from './service.js';

/** What an assignment is for, as a reader sees it: its name and where to learn it. */
export interface Target {
  title: string;
  href: string;
}

export const programHref = (slug: string) => `/chuong-trinh/${slug}`;

/** Names and links of the programs and courses some assignments (or rules) are for. */
export async function targetsOf(
  ctx: AppContext,
  tenantId: string,
  items: Pick<AssignmentView, 'targetType' | 'targetId'>[],
): Promise<Map<string, Target>> {
  const programIds = new Set(items.filter((i) => i.targetType === 'program').map((i) => i.targetId));
  const courseIds = [...new Set(items.filter((i) => i.targetType === 'course').map((i) => i.targetId))];
  const [programs, courses] = await Promise.all([
    programIds.size > 0 ? ctx.programs.programs(tenantId) : [],
    ctx.catalog.coursesByIds(tenantId, courseIds),
  ]);
  const targets = new Map<string, Target>();
  for (const p of programs)
    if (programIds.has(p.id)) targets.set(p.id, { title: p.name, href: programHref(p.slug) });
  for (const c of courses) targets.set(c.id, { title: c.title, href: `/khoa-hoc/${c.slug}` });
  return targets;
}
