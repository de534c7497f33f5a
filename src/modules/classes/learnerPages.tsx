import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf } from '../../web/requestState.js';
import { BLOCKS, type Block } from '../identity/blocks.js';
import { checkinRefusal, codeRefusal } from './attendance.js';
import { CheckinPage, ClassListPage, SessionPage, UnregisterPage } from './learnerViews.js';
import { CLASSES_PATH, checkinPath, classPath, registerPath, unregisterPath } from './paths.js';
import { classPolicy } from './policy.js';
import type { PlacedSession, SessionCard } from './sessions.js';
import { SESSIONS_PER_PAGE } from './sessions.js';
import { hasStarted, isOver } from './sessionTimes.js';
import { emptyForm, type FormState } from './views.js';

const PAGE = { config: { access: 'signedIn' as const } };

/** A page number from `?trang=`, 1 for anything else. */
export function pageOf(request: FastifyRequest): number {
  const asked = Number.parseInt(readForm(request.query).trang ?? '1', 10);
  return Number.isSafeInteger(asked) && asked > 0 ? asked : 1;
}

/** Learners' pages: the sessions near them, one session, registering and cancelling, checking in. */
export function learnerRoutes(app: FastifyInstance, ctx: AppContext): void {
  const attendable = (request: FastifyRequest) =>
    ctx.classes.allowedSession(
      actorOf(request) as Actor,
      (request.params as { id: string }).id,
      'class.attend',
    );
  const cardOf = async (placed: PlacedSession): Promise<SessionCard> =>
    (await ctx.classes.sessionCards(placed.session.tenantId, [placed.session]))[0] as SessionCard;

  app.get(CLASSES_PATH, PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const page = pageOf(request);
    const now = ctx.classes.now();
    const mine = (await ctx.classes.seatsOf(actor.tenantId, actor.accountId))
      .filter((s) => s.status === 'scheduled' && !isOver(s, now))
      .reverse();
    const nearby = await ctx.classes.upcomingFor(actor, page);
    return sendPage(
      reply,
      <ClassListPage
        shell={shellOf(ctx, request, reply)}
        mine={await ctx.classes.sessionCards(actor.tenantId, mine)}
        nearby={await ctx.classes.sessionCards(actor.tenantId, nearby.slice(0, SESSIONS_PER_PAGE))}
        page={page}
        more={nearby.length > SESSIONS_PER_PAGE}
        mayManage={await ctx.classes.mayManageAny(actor)}
      />,
    );
  });

  const showSession = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState = emptyForm,
    status = 200,
  ) => {
    const actor = actorOf(request) as Actor;
    const placed = await attendable(request);
    const card = await cardOf(placed);
    const { session } = placed;
    const audience = session.audienceBlock
      ? (BLOCKS[session.audienceBlock as Block] ?? session.audienceBlock)
      : '';
    const registration =
      session.status === 'cancelled'
        ? 'cancelled'
        : hasStarted(session, ctx.classes.now())
          ? 'started'
          : session.audienceBlock && session.audienceBlock !== actor.block
            ? 'otherBlock'
            : card.seats >= session.capacity
              ? 'full'
              : 'open';
    return sendPage(
      reply,
      <SessionPage
        shell={shellOf(ctx, request, reply)}
        card={card}
        seat={await ctx.classes.seatOf(session.id, actor.accountId)}
        registration={registration}
        audience={audience}
        mayManage={classPolicy(actor, 'class.read', placed.subject)}
        form={form}
        done={readForm(request.query).xong}
      />,
      status,
    );
  };

  /** The session page again with the refusal shown; anything not meant for the user is thrown on. */
  const refused = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const problems = formProblems(error);
    return showSession(
      request,
      reply,
      { errors: problems.fields, message: problems.message, values: {} },
      problems.status,
    );
  };

  app.get(`${CLASSES_PATH}/:id`, PAGE, (request, reply) => showSession(request, reply));

  app.post(registerPath(':id'), PAGE, async (request, reply) => {
    const { session } = await attendable(request);
    try {
      await ctx.classes.register(actorOf(request) as Actor, session.id);
    } catch (error) {
      return refused(request, reply, error);
    }
    return reply.redirect(`${classPath(session.id)}?xong=dang-ky`, 303);
  });

  app.get(unregisterPath(':id'), PAGE, async (request, reply) => {
    const placed = await attendable(request);
    const seat = await ctx.classes.seatOf(placed.session.id, (actorOf(request) as Actor).accountId);
    return sendPage(
      reply,
      <UnregisterPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        hasSeat={seat !== undefined}
      />,
    );
  });

  app.post(unregisterPath(':id'), PAGE, async (request, reply) => {
    const { session } = await attendable(request);
    try {
      await ctx.classes.cancelRegistration(actorOf(request) as Actor, session.id);
    } catch (error) {
      return refused(request, reply, error);
    }
    return reply.redirect(`${classPath(session.id)}?xong=huy-dang-ky`, 303);
  });

  // The QR code's address: a page that asks to confirm, so opening the link alone changes nothing.
  app.get(checkinPath(':id'), PAGE, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const placed = await attendable(request);
    const code = readForm(request.query).ma ?? '';
    const seat = await ctx.classes.seatOf(placed.session.id, actor.accountId);
    const now = ctx.classes.now();
    const refusal = seat?.attendedAt
      ? null
      : (checkinRefusal(placed.session, now) ?? codeRefusal(placed.session, code, now));
    return sendPage(
      reply,
      <CheckinPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        code={code}
        refusal={refusal?.message}
        attendedAt={seat?.attendedAt ?? undefined}
      />,
      refusal?.status ?? 200,
    );
  });

  app.post(checkinPath(':id'), PAGE, async (request, reply) => {
    const placed = await attendable(request);
    const code = readForm(request.body).ma ?? '';
    try {
      const done = await ctx.classes.checkIn(actorOf(request) as Actor, placed.session.id, code);
      return reply.redirect(
        `${classPath(placed.session.id)}?xong=${done.already ? 'da-diem-danh' : 'diem-danh'}`,
        303,
      );
    } catch (error) {
      const problems = formProblems(error);
      return sendPage(
        reply,
        <CheckinPage
          shell={shellOf(ctx, request, reply)}
          card={await cardOf(placed)}
          code={code}
          refusal={problems.message}
        />,
        problems.status,
      );
    }
  });
}
