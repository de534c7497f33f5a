import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { pageOf } from './learnerPages.js';
import {
  CancelSessionPage,
  EditSessionPage,
  ManageListPage,
  ManageSessionPage,
  NewSessionPage,
} from './manageViews.js';
import { cancelPath, editPath, MANAGE_PATH, managePath, NEW_SESSION_PATH } from './paths.js';
import { classPolicy } from './policy.js';
import type { SessionForm } from './sessionInput.js';
import { vietnamDayAndTime } from './sessionInput.js';
import { mayScheduleSomewhere, type PlacedSession, SESSIONS_PER_PAGE, type SessionCard } from './sessions.js';
import type { FormState } from './views.js';

const PAGE = { config: { access: 'signedIn' as const } };
const NEW_SESSION_DEFAULTS = { durationMinutes: '90', capacity: '30' };

/** The session form's fields as posted, nothing else. */
const sessionForm = (values: Record<string, string | undefined>): SessionForm => ({
  unitId: values.unitId,
  courseId: values.courseId,
  title: values.title,
  place: values.place,
  day: values.day,
  time: values.time,
  durationMinutes: values.durationMinutes,
  capacity: values.capacity,
  audienceBlock: values.audienceBlock,
  audienceNote: values.audienceNote,
  instructor: values.instructor,
});

/** Sessions for those who schedule and run them: the list, scheduling, a session's page, editing, cancelling. */
export function manageRoutes(app: FastifyInstance, ctx: AppContext): void {
  const actorIn = (request: FastifyRequest) => actorOf(request) as Actor;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const cardOf = async (placed: PlacedSession): Promise<SessionCard> =>
    (await ctx.classes.sessionCards(placed.session.tenantId, [placed.session]))[0] as SessionCard;

  app.get(MANAGE_PATH, PAGE, async (request, reply) => {
    const actor = actorIn(request);
    authorize(await ctx.classes.mayManageAny(actor));
    const page = pageOf(request);
    const sessions = await ctx.classes.sessionsFor(actor, page);
    return sendPage(
      reply,
      <ManageListPage
        shell={shellOf(ctx, request, reply)}
        cards={await ctx.classes.sessionCards(actor.tenantId, sessions.slice(0, SESSIONS_PER_PAGE))}
        page={page}
        more={sessions.length > SESSIONS_PER_PAGE}
        mayCreate={mayScheduleSomewhere(actor)}
        now={ctx.classes.now()}
      />,
    );
  });

  const newSessionPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState,
    status = 200,
  ) => {
    const actor = actorIn(request);
    const query = (readForm(request.query).tim ?? '').trim().slice(0, 100);
    return sendPage(
      reply,
      <NewSessionPage
        shell={shellOf(ctx, request, reply)}
        units={await ctx.classes.schedulableUnits(actor, query, form.values.unitId)}
        courses={await ctx.catalog.courses(actor.tenantId)}
        query={query}
        form={form}
      />,
      status,
    );
  };

  app.get(NEW_SESSION_PATH, PAGE, async (request, reply) => {
    authorize(mayScheduleSomewhere(actorIn(request)));
    return newSessionPage(request, reply, { errors: {}, values: NEW_SESSION_DEFAULTS });
  });

  app.post(NEW_SESSION_PATH, PAGE, async (request, reply) => {
    const actor = actorIn(request);
    authorize(mayScheduleSomewhere(actor));
    const values = readForm(request.body);
    try {
      const session = await ctx.classes.createSession(actor, sessionForm(values));
      return reply.redirect(`${managePath(session.id)}?xong=len-lich`, 303);
    } catch (error) {
      const problems = formProblems(error);
      return newSessionPage(
        request,
        reply,
        { errors: problems.fields, message: problems.message, values },
        problems.status,
      );
    }
  });

  app.get(`${MANAGE_PATH}/:id`, PAGE, async (request, reply) => {
    const actor = actorIn(request);
    const placed = await ctx.classes.allowedSession(actor, idOf(request), 'class.read');
    return sendPage(
      reply,
      <ManageSessionPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        report={await ctx.classes.report(placed.session)}
        mayRun={classPolicy(actor, 'class.run', placed.subject)}
        done={readForm(request.query).xong}
      />,
    );
  });

  const editPage = async (request: FastifyRequest, reply: FastifyReply, form?: FormState, status = 200) => {
    const actor = actorIn(request);
    const placed = await ctx.classes.allowedSession(actor, idOf(request), 'class.run');
    const { session } = placed;
    const { day, time } = vietnamDayAndTime(session.startsAt);
    const current: FormState = {
      errors: {},
      values: {
        courseId: session.courseId ?? '',
        title: session.title,
        place: session.place,
        day,
        time,
        durationMinutes: String(session.durationMinutes),
        capacity: String(session.capacity),
        audienceBlock: session.audienceBlock ?? '',
        audienceNote: session.audienceNote ?? '',
      },
    };
    return sendPage(
      reply,
      <EditSessionPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        courses={await ctx.catalog.courses(actor.tenantId)}
        form={form ?? current}
      />,
      status,
    );
  };

  app.get(editPath(':id'), PAGE, (request, reply) => editPage(request, reply));

  app.post(editPath(':id'), PAGE, async (request, reply) => {
    const actor = actorIn(request);
    const { session } = await ctx.classes.allowedSession(actor, idOf(request), 'class.run');
    const values = readForm(request.body);
    try {
      await ctx.classes.updateSession(actor, session.id, sessionForm(values));
    } catch (error) {
      const problems = formProblems(error);
      return editPage(
        request,
        reply,
        { errors: problems.fields, message: problems.message, values },
        problems.status,
      );
    }
    return reply.redirect(`${managePath(session.id)}?xong=sua`, 303);
  });

  app.get(cancelPath(':id'), PAGE, async (request, reply) => {
    const placed = await ctx.classes.allowedSession(actorIn(request), idOf(request), 'class.run');
    return sendPage(
      reply,
      <CancelSessionPage shell={shellOf(ctx, request, reply)} card={await cardOf(placed)} />,
    );
  });

  app.post(cancelPath(':id'), PAGE, async (request, reply) => {
    const actor = actorIn(request);
    const { session } = await ctx.classes.allowedSession(actor, idOf(request), 'class.run');
    await ctx.classes.cancelSession(actor, session.id);
    return reply.redirect(`${managePath(session.id)}?xong=huy`, 303);
  });
}
