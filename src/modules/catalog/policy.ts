import type { Actor } from '../../access/actor.js';

export type CatalogAction = 'course.read' | 'lesson.read';

/**
 * The catalog's one decision point. Published courses and their lessons are open to everyone
 * in the tenant, signed in or not: the movement wants anyone to be able to learn. Recording
 * progress needs an account (the learning module decides that).
 */
export function catalogPolicy(
  _actor: Actor | null,
  action: CatalogAction,
  subject: { status: string },
): boolean {
  switch (action) {
    case 'course.read':
    case 'lesson.read':
      return subject.status === 'published';
  }
}
