import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../../access/actor.js';
import { notFound, validationFailed } from '../../errors.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { actorOf, authorize } from '../../web/requestState.js';
import { peopleNames } from '../identity/integrityQueries.js';
import type { Unit } from '../org/service.js';
import { type IntegrityAction, integrityPolicy } from './integrityPolicy.js';
import { markReviewed, noteOf, reviewsOf } from './integrityReviews.js';
import {
  DEFAULT_PERIOD_DAYS,
  IntegritySignals,
  kindOfKey,
  kindOfSlug,
  PERIOD_DAYS,
  periodOf,
  SIGNAL_KINDS,
} from './integritySignals.js';
import {
  type IntegrityForm,
  IntegrityPage,
  type ReviewedFilter,
  reviewPath,
  type SignalListing,
  signalsHref,
  signalsPath,
} from './integrityViews.js';

const PAGE = { config: { access: 'signedIn' as const } };
const SIGNALS_PER_PAGE = 20;

/** The filters as asked (address or posted form); anything unreadable falls back to the default. */
function formOf(fields: Record<string, string | undefined>): IntegrityForm {
  const days = Number(fields.ky);
  const reviewed = fields['xem-xet'];
  const page = Number.parseInt(fields.trang ?? '1', 10);
  return {
    kind: kindOfSlug(fields.loai) ?? '',
    days: (PERIOD_DAYS as readonly number[]).includes(days) ? days : DEFAULT_PERIOD_DAYS,
    reviewed: reviewed === 'chua' || reviewed === 'roi' ? (reviewed as ReviewedFilter) : '',
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

/**
 * Integrity signals of a unit's people, with their evidence, for whoever reads the unit's
 * report; evaluators, admins and the unit's managers mark them reviewed. Nothing here changes a
 * learning record.
 */
export const integrityPages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const signals = new IntegritySignals(ctx.db, ctx.org, ctx.config.secret);

  /** The unit in the URL, once the reader may do `action` on its signals. */
  const unitFor = async (request: FastifyRequest, action: IntegrityAction) => {
    const { id } = request.params as { id: string };
    const unit = await ctx.org.unit(request.tenant.id, id);
    if (!unit) throw notFound('Không tìm thấy đơn vị này.');
    const actor = actorOf(request);
    authorize(integrityPolicy(actor, action, { tenantId: unit.tenantId, unitPath: unit.path }));
    return { unit, actor: actor as Actor };
  };

  const listingOf = async (unit: Unit, form: IntegrityForm): Promise<SignalListing> => {
    const found = await signals.signals(
      await signals.scopeOf(unit),
      periodOf(form.days),
      form.kind === '' ? SIGNAL_KINDS : [form.kind],
    );
    const reviews = await reviewsOf(
      ctx.db,
      unit.tenantId,
      found.map((s) => s.key),
    );
    const matching = found.filter((s) =>
      form.reviewed === '' ? true : (form.reviewed === 'roi') === reviews.has(s.key),
    );
    const pages = Math.max(1, Math.ceil(matching.length / SIGNALS_PER_PAGE));
    // A page past the last shows the last.
    const page = Math.min(form.page, pages);
    const shown = matching.slice((page - 1) * SIGNALS_PER_PAGE, page * SIGNALS_PER_PAGE);
    const evidence = shown.flatMap((s) => s.evidence);
    const shownReviews = shown.flatMap((s) => reviews.get(s.key) ?? []);
    const [names, units] = await Promise.all([
      peopleNames(ctx.db, unit.tenantId, [
        ...evidence.map((e) => e.accountId),
        ...shownReviews.map((r) => r.reviewedBy),
      ]),
      ctx.org.unitsByIds(
        unit.tenantId,
        evidence.flatMap((e) => e.unitId ?? []),
      ),
    ]);
    return {
      rows: shown.map((signal) => {
        const review = reviews.get(signal.key);
        return {
          signal,
          review: review ? { ...review, reviewerName: names.get(review.reviewedBy) ?? 'Không rõ' } : null,
        };
      }),
      page,
      total: matching.length,
      unreviewed: matching.filter((s) => !reviews.has(s.key)).length,
      pages,
      names,
      unitNames: new Map([...units].map(([id, u]) => [id, u.fullName])),
    };
  };

  app.get(signalsPath(':id'), PAGE, async (request, reply) => {
    const { unit, actor } = await unitFor(request, 'signal.read');
    const query = readForm(request.query);
    const form = formOf(query);
    const listing = await listingOf(unit, form);
    form.page = listing.page;
    const mayReview = integrityPolicy(actor, 'signal.review', {
      tenantId: unit.tenantId,
      unitPath: unit.path,
    });
    return sendPage(
      reply,
      <IntegrityPage
        shell={shellOf(ctx, request, reply)}
        unit={unit}
        form={form}
        listing={listing}
        mayReview={mayReview}
        notice={query['da-danh-dau'] === '1' ? 'Đã đánh dấu dấu hiệu là đã xem xét.' : undefined}
      />,
    );
  });

  /**
   * Marks one of the unit's signals reviewed. The signal is found again among the unit's signals
   * of the posted period, so a key from outside the reader's scope is not found (404).
   */
  app.post(reviewPath(':id'), PAGE, async (request, reply) => {
    const { unit, actor } = await unitFor(request, 'signal.review');
    const body = readForm(request.body);
    const key = body.khoa ?? '';
    const kind = kindOfKey(key);
    if (!kind) throw validationFailed({ khoa: 'Không rõ dấu hiệu nào cần đánh dấu.' });
    const note = noteOf(body['ghi-chu']);
    const form = formOf(body);
    const found = await signals.signals(await signals.scopeOf(unit), periodOf(form.days), [kind]);
    const signal = found.find((s) => s.key === key);
    if (!signal) {
      throw notFound('Không tìm thấy dấu hiệu này trong đơn vị và khoảng thời gian đã chọn.');
    }
    await markReviewed(ctx.db, ctx.audit, actor, unit, signal, note);
    return reply.redirect(`${signalsHref(unit.id, form)}&da-danh-dau=1#${signal.key}`, 303);
  });
};
