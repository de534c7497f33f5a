import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { authorize } from '../../web/requestState.js';
import { formatPhone } from '../identity/phone.js';
import { memberToRemove } from './members.js';
import { readPeriod } from './periodForm.js';
import { communityPolicy } from './policy.js';
import { PAGE, placeOf, refusedForm, signedInActor, viewerOf } from './requestTeam.js';
import { communePlaces, TEAM_UNIT_KINDS, type TeamPlace, unitSubject } from './teamAccess.js';
import { DeleteTeamPage, EditTeamPage, RemoveMemberPage, TeamPage } from './teamViews.js';
import { emptyForm, type FormState, teamPath, unitCommunityPath } from './views.js';

const TEAM = '/to-cong-nghe/:id';

/** A team's page, editing it, its status, deleting it, and its members. */
export const teamPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const showTeam = async (request: FastifyRequest, reply: FastifyReply, form = emptyForm, status = 200) => {
    const place = await placeOf(ctx, request);
    const viewer = await viewerOf(ctx, request, place);
    authorize(viewer.may.read);
    const query = readForm(request.query);
    const today = todayInVietnam();
    const { period, errors } = readPeriod(query, today);
    const [members, help] = await Promise.all([
      ctx.community.members(place),
      ctx.community.teamHelp(place, period),
    ]);
    return sendPage(
      reply,
      <TeamPage
        shell={shellOf(ctx, request, reply)}
        place={place}
        members={members}
        help={help}
        period={period}
        periodErrors={errors}
        today={today}
        may={viewer.may}
        form={form}
        done={query.xong}
      />,
      status,
    );
  };

  app.get(TEAM, PAGE, (request, reply) => showTeam(request, reply));

  // Editing: managers change the team's name, place, leader and contacts; its leader the contacts.
  const editPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    place: TeamPlace,
    form: FormState | null,
    status = 200,
  ) => {
    const viewer = await viewerOf(ctx, request, place);
    authorize(viewer.may.members);
    const { team } = place;
    const details = viewer.may.manage
      ? {
          places: (await communePlaces(ctx, place.unit)).filter(
            (u) =>
              u.id === team.unitId ||
              (TEAM_UNIT_KINDS.includes(u.kind) &&
                communityPolicy(viewer.actor, 'team.manage', unitSubject(u))),
          ),
          members: await ctx.community.members(place),
        }
      : null;
    const shown = form ?? {
      errors: {},
      values: {
        unitId: team.unitId,
        name: team.name,
        leaderAccountId: team.leaderAccountId ?? '',
        contactPhone: team.contactPhone ? formatPhone(team.contactPhone) : '',
        contactNote: team.contactNote ?? '',
      },
    };
    return sendPage(
      reply,
      <EditTeamPage
        shell={shellOf(ctx, request, reply)}
        place={place}
        details={details}
        form={shown}
        readUnit={viewer.may.readUnit}
      />,
      status,
    );
  };

  app.get(`${TEAM}/sua`, PAGE, async (request, reply) =>
    editPage(request, reply, await placeOf(ctx, request), null),
  );

  app.post(`${TEAM}/sua`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const viewer = await viewerOf(ctx, request, place);
    authorize(viewer.may.members);
    const values = readForm(request.body);
    try {
      await ctx.community.updateTeam(viewer.actor, place, {
        contactPhone: values.contactPhone ?? '',
        contactNote: values.contactNote ?? '',
        ...(viewer.may.manage
          ? {
              details: {
                unitId: values.unitId ?? '',
                name: values.name ?? '',
                leaderAccountId: values.leaderAccountId ?? '',
              },
            }
          : {}),
      });
    } catch (error) {
      const { status, ...form } = refusedForm(error, values);
      return editPage(request, reply, place, form, status);
    }
    return reply.redirect(`${teamPath(place.team.id)}?xong=sua`, 303);
  });

  app.post(`${TEAM}/trang-thai`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    await ctx.community.setTeamStatus(signedInActor(request), place, readForm(request.body).status ?? '');
    return reply.redirect(`${teamPath(place.team.id)}?xong=trang-thai`, 303);
  });

  app.get(`${TEAM}/xoa`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const viewer = await viewerOf(ctx, request, place);
    authorize(viewer.may.manage);
    return sendPage(
      reply,
      <DeleteTeamPage shell={shellOf(ctx, request, reply)} place={place} readUnit={viewer.may.readUnit} />,
    );
  });

  app.post(`${TEAM}/xoa`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    await ctx.community.deleteTeam(signedInActor(request), place);
    return reply.redirect(unitCommunityPath(place.unit.id), 303);
  });

  app.post(`${TEAM}/thanh-vien`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const values = readForm(request.body);
    try {
      await ctx.community.addMember(signedInActor(request), place, values.phone ?? '');
    } catch (error) {
      const { status, ...form } = refusedForm(error, values);
      return showTeam(request, reply, form, status);
    }
    return reply.redirect(`${teamPath(place.team.id)}?xong=them#thanh-vien`, 303);
  });

  const MEMBER = `${TEAM}/thanh-vien/:accountId/xoa`;

  app.get(MEMBER, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const viewer = await viewerOf(ctx, request, place);
    const { accountId } = request.params as { accountId: string };
    const member = await memberToRemove(ctx, viewer.actor, place, accountId);
    return sendPage(
      reply,
      <RemoveMemberPage
        shell={shellOf(ctx, request, reply)}
        place={place}
        member={member}
        readUnit={viewer.may.readUnit}
      />,
    );
  });

  app.post(MEMBER, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const { accountId } = request.params as { accountId: string };
    await ctx.community.removeMember(signedInActor(request), place, accountId);
    return reply.redirect(`${teamPath(place.team.id)}?xong=bo#thanh-vien`, 303);
  });
};
