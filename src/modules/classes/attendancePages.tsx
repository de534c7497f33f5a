import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import QRCode from 'qrcode';
import type { Actor } from '../../access/actor.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm, readList } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf } from '../../web/requestState.js';
import { formatPhone } from '../identity/phone.js';
import { checkinRefusal, linkableWalkIn, type ShownMark } from './attendance.js';
import { LinkWalkInPage, ResultsPage, RosterPage } from './attendanceViews.js';
import { DEFAULT_MAX_SCORE, DEFAULT_PASS_PERCENT, scoreField } from './paperResults.js';
import {
  addAtDoorPath,
  checkinLink,
  kitPath,
  linkPath,
  qrPath,
  resultsPath,
  rosterPath,
  walkInPath,
} from './paths.js';
import { QR_REFRESH_SECONDS, QrPage } from './qrViews.js';
import type { PlacedSession, SessionCard } from './sessions.js';
import { emptyForm, type FormState } from './views.js';

const PAGE = { config: { access: 'signedIn' as const } };
const SCORE_FIELD = /^score_(.+)$/;

/** "id:1" as the roster form sends each row it showed; malformed entries are dropped. */
function shownMarks(values: string[]): ShownMark[] {
  return values.flatMap((value) => {
    const match = /^(.+):([01])$/.exec(value);
    return match ? [{ attendeeId: match[1] as string, present: match[2] === '1' }] : [];
  });
}

/** The instructor's pages of a session: roster, door additions, walk-ins, QR code, paper results, kit. */
export function attendanceRoutes(app: FastifyInstance, ctx: AppContext): void {
  const actorIn = (request: FastifyRequest) => actorOf(request) as Actor;
  /** The session in the URL, once the actor may run it (404, else 403). */
  const runnable = (request: FastifyRequest) =>
    ctx.classes.allowedSession(actorIn(request), (request.params as { id: string }).id, 'class.run');
  const cardOf = async (placed: PlacedSession): Promise<SessionCard> =>
    (await ctx.classes.sessionCards(placed.session.tenantId, [placed.session]))[0] as SessionCard;

  const rosterPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState = emptyForm,
    status = 200,
  ) => {
    const placed = await runnable(request);
    return sendPage(
      reply,
      <RosterPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        roster={await ctx.classes.roster(placed.session)}
        form={form}
        done={readForm(request.query).xong}
      />,
      status,
    );
  };

  /** Runs a roster change and goes back to the roster with `done`, or shows the refusal there. */
  const rosterChange = async (
    request: FastifyRequest,
    reply: FastifyReply,
    done: string,
    change: (actor: Actor, sessionId: string, values: Record<string, string | undefined>) => Promise<unknown>,
  ) => {
    const { session } = await runnable(request);
    const values = readForm(request.body);
    try {
      await change(actorIn(request), session.id, values);
    } catch (error) {
      const problems = formProblems(error);
      return rosterPage(
        request,
        reply,
        { errors: problems.fields, message: problems.message, values },
        problems.status,
      );
    }
    return reply.redirect(`${rosterPath(session.id)}?xong=${done}`, 303);
  };

  app.get(rosterPath(':id'), PAGE, (request, reply) => rosterPage(request, reply));

  app.post(rosterPath(':id'), PAGE, (request, reply) =>
    rosterChange(request, reply, 'diem-danh', (actor, id) =>
      ctx.classes.markAttendance(
        actor,
        id,
        shownMarks(readList(request.body, 'shown')),
        readList(request.body, 'present'),
      ),
    ),
  );

  app.post(addAtDoorPath(':id'), PAGE, (request, reply) =>
    rosterChange(request, reply, 'them', (actor, id, values) =>
      ctx.classes.addAtDoor(actor, id, values.identifier ?? ''),
    ),
  );

  app.post(walkInPath(':id'), PAGE, (request, reply) =>
    rosterChange(request, reply, 'khach', (actor, id, values) =>
      ctx.classes.recordWalkIn(actor, id, { name: values.walkInName ?? '', phone: values.walkInPhone ?? '' }),
    ),
  );

  const linkPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState = emptyForm,
    status = 200,
  ) => {
    const placed = await runnable(request);
    const { attendeeId } = request.params as { attendeeId: string };
    const walkIn = await linkableWalkIn(ctx.db, placed.session, attendeeId);
    const entry = (await ctx.classes.roster(placed.session)).walkIns.find((e) => e.attendee.id === walkIn.id);
    if (!entry) throw new Error('a linkable walk-in is on the roster');
    return sendPage(
      reply,
      <LinkWalkInPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        walkIn={entry}
        suggestedPhone={walkIn.walkInPhone ? formatPhone(walkIn.walkInPhone) : ''}
        form={form}
      />,
      status,
    );
  };

  app.get(linkPath(':id', ':attendeeId'), PAGE, (request, reply) => linkPage(request, reply));

  app.post(linkPath(':id', ':attendeeId'), PAGE, async (request, reply) => {
    const { session } = await runnable(request);
    const { attendeeId } = request.params as { attendeeId: string };
    const values = readForm(request.body);
    try {
      await ctx.classes.linkWalkIn(actorIn(request), session.id, attendeeId, values.identifier ?? '');
    } catch (error) {
      const problems = formProblems(error);
      return linkPage(
        request,
        reply,
        { errors: problems.fields, message: problems.message, values },
        problems.status,
      );
    }
    return reply.redirect(`${rosterPath(session.id)}?xong=lien-ket`, 303);
  });

  app.get(qrPath(':id'), PAGE, async (request, reply) => {
    const placed = await runnable(request);
    const { session } = placed;
    const closed = checkinRefusal(session, ctx.classes.now());
    // The tenant's own host when it is not the one the public address serves, so the phone lands in this tenant.
    const origin =
      request.tenant.slug === ctx.config.defaultTenant
        ? ctx.config.publicUrl
        : `${request.protocol}://${request.host}`;
    const url = `${origin}${checkinLink(session.id, ctx.classes.checkinCode(session))}`;
    const code = closed
      ? null
      : { url, svg: await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
    reply.header('refresh', String(QR_REFRESH_SECONDS));
    return sendPage(
      reply,
      <QrPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        code={code}
        closedReason={closed?.message ?? null}
      />,
    );
  });

  const resultsPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form?: FormState,
    status = 200,
  ) => {
    const placed = await runnable(request);
    const roster = await ctx.classes.roster(placed.session);
    const present = [...roster.people, ...roster.walkIns].filter((e) => e.present);
    const scored = present.find((e) => e.attendee.paperMax !== null);
    const current: FormState = {
      errors: {},
      values: {
        maxScore: String(scored?.attendee.paperMax ?? DEFAULT_MAX_SCORE).replace('.', ','),
        passPercent: String(placed.session.paperPassPercent ?? DEFAULT_PASS_PERCENT),
        ...Object.fromEntries(
          present.map((e) => [
            scoreField(e.attendee.id),
            e.attendee.paperScore === null ? '' : String(e.attendee.paperScore).replace('.', ','),
          ]),
        ),
      },
    };
    return sendPage(
      reply,
      <ResultsPage
        shell={shellOf(ctx, request, reply)}
        card={await cardOf(placed)}
        present={present}
        form={form ?? current}
        done={readForm(request.query).xong === '1'}
      />,
      status,
    );
  };

  app.get(resultsPath(':id'), PAGE, (request, reply) => resultsPage(request, reply));

  app.post(resultsPath(':id'), PAGE, async (request, reply) => {
    const { session } = await runnable(request);
    const values = readForm(request.body);
    const scores = new Map(
      Object.entries(values).flatMap(([name, text]) => {
        const id = SCORE_FIELD.exec(name)?.[1];
        return id ? [[id, text ?? ''] as const] : [];
      }),
    );
    try {
      await ctx.classes.saveResults(actorIn(request), session.id, {
        passPercent: values.passPercent ?? '',
        maxScore: values.maxScore ?? '',
        scores,
      });
    } catch (error) {
      const problems = formProblems(error);
      return resultsPage(
        request,
        reply,
        { errors: problems.fields, message: problems.message, values },
        problems.status,
      );
    }
    return reply.redirect(`${resultsPath(session.id)}?xong=1`, 303);
  });

  app.get(kitPath(':id'), PAGE, async (request, reply) => {
    const { session } = await runnable(request);
    const pdf = await ctx.classes.classKit(actorIn(request), session.id, request.tenant.name, async (src) =>
      ctx.files.get(src.replace(/^\/tep\//, '')),
    );
    return reply
      .header('content-type', 'application/pdf')
      .header('content-disposition', `inline; filename="bo-tai-lieu-lop-hoc-${session.id.slice(0, 8)}.pdf"`)
      .send(pdf);
  });
}
