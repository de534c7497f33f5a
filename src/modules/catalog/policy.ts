import { type Actor, holdsRoleOver } from '../../access/actor.js';

export type CatalogAction = 'course.read' | 'lesson.read' | 'course.author';

/**
 * The catalog's one decision point.
 * - `course.read`, `lesson.read`: published courses and their lessons are open to everyone in
 *   the tenant, signed in or not: the movement wants anyone to be able to learn. (The catalog
 *   service only finds an archived course for learners who started it; to them it reads as
 *   published.)
 * - `course.author` (drafts, publishing, archiving, exports): content managers of the
 *   course's tenant. Learners, evaluators and unit managers cannot author.
 */
export function catalogPolicy(
  actor: Actor | null,
  action: CatalogAction,
  subject: { status: string; tenantId?: string },
): boolean {
  switch (action) {
    case 'course.read':
    case 'lesson.read':
      return subject.status === 'published';
    case 'course.author':
      return (
        actor !== null &&
        subject.tenantId !== undefined &&
        holdsRoleOver(actor, ['contentManager'], { tenantId: subject.tenantId, unitPath: null })
      );
  }
}
