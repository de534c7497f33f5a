/** The team a request is about and what its viewer may do there: shared by the team's pages. */
import type { FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { AppError } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems } from '../../web/forms.js';
import { actorOf } from '../../web/requestState.js';
import { communityPolicy } from './policy.js';
import { actorsPart, type TeamPlace, teamSubject, unitSubject } from './teamAccess.js';
import type { TeamPermissions } from './teamViews.js';
import type { FormState } from './views.js';

export const PAGE = { config: { access: 'signedIn' as const } };

/** The signed-in actor of a route declared `signedIn`. */
export const signedInActor = (request: FastifyRequest): Actor => actorOf(request) as Actor;

/** The team in the address (`:id`) with its unit; a 404 for any other tenant's or unknown id. */
export function placeOf(ctx: AppContext, request: FastifyRequest): Promise<TeamPlace> {
  const { id } = request.params as { id: string };
  return ctx.community.team(request.tenant.id, id);
}

/** What the signed-in viewer is to the team and may do on its pages. */
export async function viewerOf(ctx: AppContext, request: FastifyRequest, place: TeamPlace) {
  const actor = signedInActor(request);
  const part = await actorsPart(ctx, place, actor);
  const subject = teamSubject(place, part.membership, { qualified: part.qualified });
  const may: TeamPermissions & { read: boolean } = {
    read: communityPolicy(actor, 'team.read', subject),
    log: communityPolicy(actor, 'assistance.log', subject),
    members: communityPolicy(actor, 'team.members', subject),
    manage: communityPolicy(actor, 'team.manage', subject),
    readUnit: communityPolicy(actor, 'assistance.read', unitSubject(place.unit)),
    isMember: part.membership !== null,
  };
  return { actor, ...part, may };
}

/** True when the actor may manage teams somewhere in the tenant (reach the create and import pages). */
export const managesTeamsSomewhere = (actor: Actor | null, tenantId: string): boolean =>
  actor?.grants.some((g) =>
    communityPolicy(actor, 'team.manage', { tenantId, unitPath: g.unitPath, membership: null }),
  ) ?? false;

/**
 * The form shown again after a refusal meant for the user; a refusal of the person (403) or an
 * error that is a bug is thrown on, to the error page.
 */
export function refusedForm(
  error: unknown,
  values: Record<string, string | undefined>,
): FormState & { status: number } {
  if (error instanceof AppError && error.status === 403) throw error;
  const problems = formProblems(error);
  return { errors: problems.fields, message: problems.message, values, status: problems.status };
}
