import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../db/time.js';
import { notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { authorize } from '../../web/requestState.js';
import { peopleNames } from '../identity/integrityQueries.js';
import type { Unit } from '../org/service.js';
import { assistancePages } from './assistancePages.js';
import { importPages } from './importPages.js';
import { trainingOf } from './members.js';
import { readPeriod } from './periodForm.js';
import { communityPolicy } from './policy.js';
import { managesTeamsSomewhere, PAGE, refusedForm, signedInActor } from './requestTeam.js';
import { communePlaces, isValidNow, qualificationOf, TEAM_UNIT_KINDS, unitSubject } from './teamAccess.js';
import { teamPages } from './teamPages.js';
import { suggestedTeamName } from './teams.js';
import { NewTeamPage } from './teamViews.js';
import { UnitCommunityPage, WITHOUT_GUIDE } from './unitViews.js';
import { type FormState, MyTeamsPage, NEW_TEAM_PATH, TEAMS_PATH, teamPath } from './views.js';

const TEAMS_PER_PAGE = 50;

/** The community teams' pages: one's teams, a unit's teams, creating, and (in their plugins) the rest. */
export const communityPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  await app.register(teamPages(ctx));
  await app.register(assistancePages(ctx));
  await app.register(importPages(ctx));

  app.get(TEAMS_PATH, PAGE, async (request, reply) => {
    const actor = signedInActor(request);
    const tenantId = request.tenant.id;
    const teams = await ctx.community.teamsOf(tenantId, actor.accountId);
    // The units the actor's roles cover (the root for a tenant-wide role), to open their teams from.
    const scopeIds = actor.grants.map((g) => (g.unitPath === null ? null : g.unitPath.split('/').at(-2)));
    const root = scopeIds.includes(null) ? await ctx.org.rootUnit(tenantId) : undefined;
    const units = await ctx.org.unitsByIds(tenantId, [
      ...teams.map((t) => t.unitId),
      ...scopeIds.filter((id): id is string => typeof id === 'string'),
    ]);
    const scopes = [root, ...scopeIds.map((id) => (id ? units.get(id) : undefined))].filter(
      (u): u is Unit => u !== undefined && communityPolicy(actor, 'assistance.read', unitSubject(u)),
    );
    const overseen = [...new Map(scopes.map((u) => [u.id, u])).values()];
    const qualification = await qualificationOf(ctx, tenantId, actor.accountId);
    const today = todayInVietnam();
    return sendPage(
      reply,
      <MyTeamsPage
        shell={shellOf(ctx, request, reply)}
        teams={teams.map((team) => ({
          team,
          unitName: units.get(team.unitId)?.fullName ?? '',
          isLeader: team.leaderAccountId === actor.accountId,
        }))}
        training={{ sentence: trainingOf(qualification, today), qualified: isValidNow(qualification, today) }}
        units={overseen}
        mayImport={managesTeamsSomewhere(actor, tenantId)}
      />,
    );
  });

  app.get(`${TEAMS_PATH}/don-vi/:id`, PAGE, async (request, reply) => {
    const actor = signedInActor(request);
    const tenantId = request.tenant.id;
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(tenantId, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    authorize(communityPolicy(actor, 'assistance.read', unitSubject(unit)));
    const query = readForm(request.query);
    const today = todayInVietnam();
    const { period, errors } = readPeriod(query, today);
    const children = await ctx.org.children(tenantId, unit.id);
    const view = await ctx.community.unitCommunity(tenantId, unit, children, period);
    const withoutGuideOnly = query[WITHOUT_GUIDE] === '1';
    const listed = withoutGuideOnly
      ? view.teamFigures.filter((f) => f.guides === 0 && f.team.status !== 'dissolved')
      : view.teamFigures;
    const asked = Number.parseInt(query.trang ?? '1', 10);
    const page = Number.isSafeInteger(asked) && asked > 0 ? asked : 1;
    const teams = listed.slice((page - 1) * TEAMS_PER_PAGE, page * TEAMS_PER_PAGE);
    const trail = (await ctx.org.lineage(tenantId, unit)).filter((u) =>
      communityPolicy(actor, 'assistance.read', unitSubject(u)),
    );
    const leaders = await peopleNames(
      ctx.db,
      tenantId,
      teams.flatMap((f) => (f.team.leaderAccountId ? [f.team.leaderAccountId] : [])),
    );
    return sendPage(
      reply,
      <UnitCommunityPage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        trail={trail}
        children={children}
        view={view}
        period={period}
        errors={errors}
        today={today}
        page={page}
        teams={teams}
        more={listed.length > page * TEAMS_PER_PAGE}
        withoutGuideOnly={withoutGuideOnly}
        leaders={leaders}
        mayCreate={communityPolicy(actor, 'team.manage', unitSubject(unit))}
      />,
    );
  });

  /** The commune a new team goes to (from the address or the form), once the actor manages it. */
  const creatingIn = async (request: FastifyRequest, unitId: string | undefined) => {
    const actor = signedInActor(request);
    authorize(managesTeamsSomewhere(actor, request.tenant.id));
    const unit = unitId ? await ctx.org.unit(request.tenant.id, unitId) : undefined;
    if (!unit || !TEAM_UNIT_KINDS.includes(unit.kind))
      throw notFound('Hãy mở trang thêm tổ từ trang tổ công nghệ số của một xã, phường hoặc thôn.');
    authorize(communityPolicy(actor, 'team.manage', unitSubject(unit)));
    const places = (await communePlaces(ctx, unit)).filter(
      (u) => TEAM_UNIT_KINDS.includes(u.kind) && communityPolicy(actor, 'team.manage', unitSubject(u)),
    );
    return { unit, commune: places.find((u) => u.kind === 'commune') ?? unit, places };
  };

  const newTeamPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    unitId: string | undefined,
    form?: FormState,
    status = 200,
  ) => {
    const { unit, commune, places } = await creatingIn(request, unitId);
    const shown = form ?? { errors: {}, values: { unitId: unit.id, name: suggestedTeamName(unit) } };
    return sendPage(
      reply,
      <NewTeamPage shell={shellOf(ctx, request, reply)} commune={commune} places={places} form={shown} />,
      status,
    );
  };

  app.get(NEW_TEAM_PATH, PAGE, async (request, reply) =>
    newTeamPage(request, reply, readForm(request.query)['don-vi']),
  );

  app.post(NEW_TEAM_PATH, PAGE, async (request, reply) => {
    const values = readForm(request.body);
    const context = values.contextUnitId || values.unitId;
    if (!context || !(await ctx.org.unit(request.tenant.id, context))) {
      authorize(managesTeamsSomewhere(signedInActor(request), request.tenant.id));
      throw validationFailed({ unitId: 'Hãy chọn thôn, tổ dân phố (hoặc xã, phường) của tổ.' });
    }
    await creatingIn(request, context);
    try {
      const team = await ctx.community.createTeam(signedInActor(request), {
        unitId: values.unitId ?? '',
        name: values.name ?? '',
        leaderPhone: values.leaderPhone ?? '',
        contactPhone: values.contactPhone ?? '',
        contactNote: values.contactNote ?? '',
      });
      return reply.redirect(`${teamPath(team.id)}?xong=tao`, 303);
    } catch (error) {
      const { status, ...form } = refusedForm(error, values);
      return newTeamPage(request, reply, context, form, status);
    }
  });
};
