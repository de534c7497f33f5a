import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { type FieldErrors, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { formProblems, readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { nominate, withdraw, withdrawable } from './offeringNominations.js';
import { offeringPolicy } from './offeringPolicy.js';
import { type QuotaChange, seatsField, setQuotas } from './offeringQuotas.js';
import {
  createOffering,
  mayNominateIn,
  nomineeView,
  offeringOf,
  offeringsOf,
  offeringView,
} from './offerings.js';
import {
  emptyForm,
  type FormState,
  NewOfferingPage,
  OFFERINGS_PATH,
  OfferingListPage,
  OfferingPage,
  offeringPath,
  WithdrawPage,
} from './offeringViews.js';

const SEATS_FIELD = /^seats_(.+)$/;

/** A whole number as typed, or NaN for anything else (so "12,5" or "" is refused, not rounded). */
const wholeNumber = (text: string | undefined) =>
  /^\s*-?\d+\s*$/.test(text ?? '') ? Number(text) : Number.NaN;

/** Seat-limited offerings: the list, creating one, its quotas, nominating and withdrawing. */
export const offeringPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const tenantScope = (request: FastifyRequest) => ({ tenantId: request.tenant.id, unitPath: null });
  const allow = (request: FastifyRequest, action: 'offering.read' | 'offering.manage') =>
    authorize(offeringPolicy(actorOf(request), action, tenantScope(request)));

  /** The offering in the URL, once the actor may read offerings at all. */
  const readable = async (request: FastifyRequest) => {
    allow(request, 'offering.read');
    const { id } = request.params as { id: string };
    return offeringOf(ctx, request.tenant.id, id);
  };

  const showOffering = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState = emptyForm,
    status = 200,
  ) => {
    const actor = actorOf(request) as Actor;
    const offering = await readable(request);
    const view = await offeringView(ctx, actor, offering);
    return sendPage(
      reply,
      <OfferingPage
        shell={shellOf(ctx, request, reply)}
        view={view}
        mayManage={offeringPolicy(actor, 'offering.manage', tenantScope(request))}
        mayNominate={view.quotas.some((quota) => quota.mayNominate)}
        form={form}
        done={readForm(request.query).xong}
      />,
      status,
    );
  };

  /** The page again with the refusal shown, or the error thrown on when it is not meant for the user. */
  const refused = (request: FastifyRequest, reply: FastifyReply, error: unknown) => {
    const problems = formProblems(error);
    const form = { errors: problems.fields, message: problems.message, values: readForm(request.body) };
    return showOffering(request, reply, form, problems.status);
  };

  app.get(OFFERINGS_PATH, { config: { access: 'signedIn' } }, async (request, reply) => {
    allow(request, 'offering.read');
    return sendPage(
      reply,
      <OfferingListPage
        shell={shellOf(ctx, request, reply)}
        offerings={await offeringsOf(ctx, request.tenant.id)}
        mayCreate={offeringPolicy(actorOf(request), 'offering.manage', tenantScope(request))}
      />,
    );
  });

  const newOfferingPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState = emptyForm,
    status = 200,
  ) =>
    sendPage(
      reply,
      <NewOfferingPage
        shell={shellOf(ctx, request, reply)}
        courses={await ctx.catalog.courses(request.tenant.id)}
        form={form}
      />,
      status,
    );

  app.get(`${OFFERINGS_PATH}/moi`, { config: { access: 'signedIn' } }, async (request, reply) => {
    allow(request, 'offering.manage');
    return newOfferingPage(request, reply);
  });

  app.post(`${OFFERINGS_PATH}/moi`, { config: { access: 'signedIn' } }, async (request, reply) => {
    allow(request, 'offering.manage');
    const values = readForm(request.body);
    try {
      const offering = await createOffering(ctx, actorOf(request) as Actor, {
        courseId: values.courseId ?? '',
        name: values.name ?? '',
        seatsTotal: wholeNumber(values.seatsTotal),
        closesOn: values.closesOn?.trim() || null,
      });
      return reply.redirect(offeringPath(offering.id), 303);
    } catch (error) {
      const problems = formProblems(error);
      return newOfferingPage(
        request,
        reply,
        { errors: problems.fields, message: problems.message, values },
        problems.status,
      );
    }
  });

  app.get(`${OFFERINGS_PATH}/:id`, { config: { access: 'signedIn' } }, async (request, reply) =>
    showOffering(request, reply),
  );

  app.post(`${OFFERINGS_PATH}/:id/chi-tieu`, { config: { access: 'signedIn' } }, async (request, reply) => {
    allow(request, 'offering.manage');
    const offering = await readable(request);
    const values = readForm(request.body);
    try {
      await setQuotas(ctx, actorOf(request) as Actor, offering.id, await quotaChanges(request, values));
    } catch (error) {
      return refused(request, reply, error);
    }
    return reply.redirect(`${offeringPath(offering.id)}?xong=chi-tieu`, 303);
  });

  /** The seats posted per unit, and the unit added by its code; an unknown code is refused here. */
  const quotaChanges = async (
    request: FastifyRequest,
    values: Record<string, string | undefined>,
  ): Promise<QuotaChange[]> => {
    const changes = Object.entries(values).flatMap(([name, text]) => {
      const unitId = SEATS_FIELD.exec(name)?.[1];
      return unitId ? [{ unitId, seats: wholeNumber(text) }] : [];
    });
    const code = (values.unitCode ?? '').trim();
    if (!code) return changes;
    const unit = await ctx.org.currentUnitByCode(request.tenant.id, code);
    const errors: FieldErrors = {};
    if (!unit) errors.unitCode = `Không có đơn vị nào mã “${code}”.`;
    const seats = wholeNumber(values.newSeats);
    if (!(seats > 0)) errors.newSeats = 'Hãy nhập số suất (lớn hơn 0) cho đơn vị này.';
    if (!unit || Object.keys(errors).length > 0) throw validationFailed(errors);
    if (changes.some((c) => c.unitId === unit.id)) {
      throw validationFailed({
        [seatsField(unit.id)]: `${unit.fullName} đã có chỉ tiêu; hãy sửa ở bảng trên.`,
      });
    }
    return [...changes, { unitId: unit.id, seats }];
  };

  app.post(`${OFFERINGS_PATH}/:id/de-cu`, { config: { access: 'signedIn' } }, async (request, reply) => {
    const actor = actorOf(request) as Actor;
    const offering = await readable(request);
    authorize(await mayNominateIn(ctx, actor, offering));
    const identifier = (readForm(request.body).identifier ?? '').trim();
    try {
      if (!identifier) {
        throw validationFailed({ identifier: 'Hãy nhập số điện thoại hoặc email của người được đề cử.' });
      }
      const person = await ctx.identity.accountByIdentifier(request.tenant.id, identifier);
      if (!person) {
        throw validationFailed({ identifier: 'Không tìm thấy ai có số điện thoại hoặc email này.' });
      }
      await nominate(ctx, actor, offering.id, person.id);
    } catch (error) {
      return refused(request, reply, error);
    }
    return reply.redirect(`${offeringPath(offering.id)}?xong=de-cu`, 303);
  });

  const withdrawRoute = `${OFFERINGS_PATH}/:id/rut/:nominationId`;

  app.get(withdrawRoute, { config: { access: 'signedIn' } }, async (request, reply) => {
    const offering = await readable(request);
    const { nominationId } = request.params as { nominationId: string };
    const nomination = await withdrawable(ctx, actorOf(request) as Actor, offering.id, nominationId);
    return sendPage(
      reply,
      <WithdrawPage
        shell={shellOf(ctx, request, reply)}
        offeringId={offering.id}
        offeringName={offering.name}
        nominee={await nomineeView(ctx, request.tenant.id, nomination)}
      />,
    );
  });

  app.post(withdrawRoute, { config: { access: 'signedIn' } }, async (request, reply) => {
    const offering = await readable(request);
    const { nominationId } = request.params as { nominationId: string };
    await withdraw(ctx, actorOf(request) as Actor, offering.id, nominationId);
    return reply.redirect(`${offeringPath(offering.id)}?xong=rut`, 303);
  });
};
