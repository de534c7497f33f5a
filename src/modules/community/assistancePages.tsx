import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../db/time.js';
import type { AppContext } from '../../web/context.js';
import { readForm } from '../../web/forms.js';
import { sendPage, shellOf } from '../../web/page.js';
import { authorize } from '../../web/requestState.js';
import { formatPhone } from '../identity/phone.js';
import {
  correctableEntry,
  deletableEntry,
  type EntryInput,
  entryView,
  notQualifiedMessage,
} from './assistance.js';
import { AssistancePage, CorrectEntryPage, DeleteEntryPage } from './assistanceViews.js';
import type { AssistanceRow } from './repository.js';
import { PAGE, placeOf, refusedForm, signedInActor, viewerOf } from './requestTeam.js';
import { isServiceType, serviceLabel } from './serviceTypes.js';
import { communePlaces, type TeamPlace } from './teamAccess.js';
import { teamStatusLabel } from './teamStatuses.js';
import { assistancePath, type FormState } from './views.js';

const ENTRIES_PER_PAGE = 30;
const ASSISTANCE = '/to-cong-nghe/:id/ho-tro';
const ENTRY = `${ASSISTANCE}/:entryId`;

const inputOf = (values: Record<string, string | undefined>): EntryInput => ({
  id: values.id ?? '',
  helpedOn: values.helpedOn ?? '',
  villageUnitId: values.villageUnitId ?? '',
  service: values.service ?? '',
  people: values.people ?? '',
  citizenPhone: values.citizenPhone ?? '',
  consent: values.consent === '1',
  note: values.note ?? '',
});

/** What the page says after a change, from its address. */
function doneMessage(query: Record<string, string | undefined>): string | null {
  switch (query.xong) {
    case 'ghi': {
      const service = query['dich-vu'] ?? '';
      const people = Number(query.so);
      return isServiceType(service) && Number.isInteger(people)
        ? `Đã ghi nhận: ${people} người, ${serviceLabel(service)}. Có thể ghi tiếp lần hỗ trợ sau.`
        : 'Đã ghi nhận.';
    }
    case 'sua':
      return 'Đã sửa ghi nhận.';
    case 'xoa':
      return 'Đã xóa ghi nhận.';
    default:
      return null;
  }
}

/** A team's log: the entry form for its qualified guides, correcting and deleting entries. */
export const assistancePages = (ctx: AppContext) => async (app: FastifyInstance) => {
  const showLog = async (
    request: FastifyRequest,
    reply: FastifyReply,
    form: FormState | null,
    status = 200,
  ) => {
    const place = await placeOf(ctx, request);
    const viewer = await viewerOf(ctx, request, place);
    authorize(viewer.may.read);
    const query = readForm(request.query);
    const today = todayInVietnam();
    const places = await communePlaces(ctx, place.unit);
    const active = place.team.status === 'active';
    const refusal = !viewer.may.isMember
      ? null
      : !viewer.qualified
        ? notQualifiedMessage(viewer.qualification, today)
        : active
          ? null
          : `Tổ đang ở trạng thái “${teamStatusLabel(place.team.status)}” nên chưa ghi nhận được hỗ trợ mới.`;
    // After an entry the next one starts where the last was given, for the same service.
    const lastPlace = places.some((u) => u.id === query.dv) ? (query.dv as string) : place.team.unitId;
    const shown = form ?? {
      errors: {},
      values: {
        id: randomUUID(),
        helpedOn: today,
        villageUnitId: lastPlace,
        service: isServiceType(query['dich-vu'] ?? '') ? query['dich-vu'] : '',
        people: '1',
      },
    };
    const asked = Number.parseInt(query.trang ?? '1', 10);
    const page = Number.isSafeInteger(asked) && asked > 0 ? asked : 1;
    const { entries, more } = await ctx.community.entries(viewer.actor, place, page, ENTRIES_PER_PAGE);
    return sendPage(
      reply,
      <AssistancePage
        shell={shellOf(ctx, request, reply)}
        place={place}
        places={places}
        form={shown}
        mayLog={viewer.may.log && active}
        refusal={refusal}
        done={doneMessage(query)}
        entries={entries}
        page={page}
        more={more}
      />,
      status,
    );
  };

  app.get(ASSISTANCE, PAGE, (request, reply) => showLog(request, reply, null));

  app.post(ASSISTANCE, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const values = readForm(request.body);
    try {
      const entry = await ctx.community.logAssistance(signedInActor(request), place, inputOf(values));
      const next = new URLSearchParams({
        xong: 'ghi',
        so: String(entry.people),
        'dich-vu': entry.service,
        dv: entry.villageUnitId,
      });
      return reply.redirect(`${assistancePath(place.team.id)}?${next}`, 303);
    } catch (error) {
      const { status, ...form } = refusedForm(error, values);
      return showLog(request, reply, form, status);
    }
  });

  const entryValues = (entry: AssistanceRow) => ({
    id: entry.id,
    helpedOn: entry.helpedOn,
    villageUnitId: entry.villageUnitId,
    service: entry.service,
    people: String(entry.people),
    citizenPhone: entry.citizenPhone ? formatPhone(entry.citizenPhone) : '',
    consent: entry.citizenPhone ? '1' : '',
    note: entry.note ?? '',
  });

  const correctPage = async (
    request: FastifyRequest,
    reply: FastifyReply,
    place: TeamPlace,
    form: FormState | null,
    status = 200,
  ) => {
    const { entryId } = request.params as { entryId: string };
    const entry = await correctableEntry(ctx, signedInActor(request), place, entryId);
    const places = await communePlaces(ctx, place.unit);
    return sendPage(
      reply,
      <CorrectEntryPage
        shell={shellOf(ctx, request, reply)}
        place={place}
        entry={entry}
        places={places}
        form={form ?? { errors: {}, values: entryValues(entry) }}
      />,
      status,
    );
  };

  app.get(`${ENTRY}/sua`, PAGE, async (request, reply) =>
    correctPage(request, reply, await placeOf(ctx, request), null),
  );

  app.post(`${ENTRY}/sua`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const { entryId } = request.params as { entryId: string };
    const values = readForm(request.body);
    try {
      await ctx.community.correctEntry(signedInActor(request), place, entryId, inputOf(values));
    } catch (error) {
      const { status, ...form } = refusedForm(error, values);
      return correctPage(request, reply, place, form, status);
    }
    return reply.redirect(`${assistancePath(place.team.id)}?xong=sua`, 303);
  });

  app.get(`${ENTRY}/xoa`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const { entryId } = request.params as { entryId: string };
    const entry = await deletableEntry(ctx, signedInActor(request), place, entryId);
    return sendPage(
      reply,
      <DeleteEntryPage
        shell={shellOf(ctx, request, reply)}
        place={place}
        view={await entryView(ctx, entry)}
      />,
    );
  });

  app.post(`${ENTRY}/xoa`, PAGE, async (request, reply) => {
    const place = await placeOf(ctx, request);
    const { entryId } = request.params as { entryId: string };
    await ctx.community.deleteEntry(signedInActor(request), place, entryId);
    return reply.redirect(`${assistancePath(place.team.id)}?xong=xoa`, 303);
  });
};
