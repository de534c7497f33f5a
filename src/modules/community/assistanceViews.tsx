import { vietnamDay } from '../../web/format.js';
import { ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { formatPhone } from '../identity/phone.js';
import type { Unit } from '../org/service.js';
import { type EntryView, MAX_PEOPLE_PER_ENTRY, NOTE_LENGTH } from './assistance.js';
import type { AssistanceRow } from './repository.js';
import { SERVICE_TYPES, serviceLabel } from './serviceTypes.js';
import type { TeamPlace } from './teamAccess.js';
import { assistancePath, type FormState, TEAMS_PATH, teamPath } from './views.js';

const entryPath = (teamId: string, entryId: string) => `${assistancePath(teamId)}/${entryId}`;

/** The entry form's fields: big targets, the usual answers chosen already, no script needed. */
function EntryFields({ places, form }: { places: Unit[]; form: FormState }) {
  const { errors, values } = form;
  return (
    <>
      <input type="hidden" name="id" value={values.id ?? ''} />
      <Field
        name="helpedOn"
        label="Ngày hỗ trợ"
        type="date"
        value={values.helpedOn}
        errors={errors}
        required
      />
      <div class={errors.villageUnitId ? 'field has-error' : 'field'}>
        <label for="villageUnitId">Nơi hỗ trợ (thôn, tổ dân phố)</label>
        {errors.villageUnitId && (
          <p class="error" id="villageUnitId-error">
            {errors.villageUnitId}
          </p>
        )}
        <select id="villageUnitId" name="villageUnitId">
          {places.map((u) => (
            <option key={u.id} value={u.id} selected={u.id === values.villageUnitId}>
              {u.fullName}
            </option>
          ))}
        </select>
      </div>
      <fieldset id="service" class={errors.service ? 'choices has-error' : 'choices'}>
        <legend>Nội dung hỗ trợ</legend>
        {errors.service && <p class="error">{errors.service}</p>}
        {Object.entries(SERVICE_TYPES).map(([code, label]) => (
          <label key={code} class="choice">
            <input type="radio" name="service" value={code} checked={values.service === code} />
            <span>{label}</span>
          </label>
        ))}
      </fieldset>
      <div class="numeric">
        <Field
          name="people"
          label="Số người được hỗ trợ"
          inputMode="numeric"
          hint={`Từ 1 đến ${MAX_PEOPLE_PER_ENTRY} người.`}
          value={values.people}
          errors={errors}
          required
        />
      </div>
      <Field
        name="citizenPhone"
        label="Số điện thoại của người dân (không bắt buộc)"
        type="tel"
        inputMode="tel"
        autocomplete="off"
        hint="Chỉ ghi khi người dân đồng ý, để liên hệ lại khi cần."
        value={values.citizenPhone}
        errors={errors}
      />
      <div id="consent" class={errors.consent ? 'field has-error' : 'field'}>
        {errors.consent && <p class="error">{errors.consent}</p>}
        <label class="choice">
          <input type="checkbox" name="consent" value="1" checked={values.consent === '1'} />
          <span>Người dân đã đồng ý cho ghi số điện thoại</span>
        </label>
      </div>
      <div class={errors.note ? 'field has-error' : 'field'}>
        <label for="note">Ghi chú ngắn (không bắt buộc)</label>
        {errors.note && (
          <p class="error" id="note-error">
            {errors.note}
          </p>
        )}
        <textarea id="note" name="note" rows={2} maxLength={NOTE_LENGTH}>
          {values.note ?? ''}
        </textarea>
      </div>
    </>
  );
}

function Crumbs({ place }: { place: TeamPlace }) {
  return (
    <p class="crumbs">
      <a href={TEAMS_PATH}>Tổ công nghệ số</a> › <a href={teamPath(place.team.id)}>{place.team.name}</a>
    </p>
  );
}

function EntryList(props: { place: TeamPlace; entries: EntryView[]; page: number; more: boolean }) {
  const { place, entries, page, more } = props;
  return (
    <section id="so-ghi-nhan">
      <h2>Sổ ghi nhận của tổ</h2>
      {entries.length === 0 ? (
        <p>Tổ chưa ghi nhận lần hỗ trợ nào.</p>
      ) : (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th scope="col">Ngày</th>
                <th scope="col">Nội dung</th>
                <th scope="col">Số người</th>
                <th scope="col">Nơi</th>
                <th scope="col">Hướng dẫn viên</th>
                <th scope="col">Ghi chú</th>
                <th scope="col">Thao tác</th>
              </tr>
            </thead>
            <tbody>
              {entries.map(({ entry, guideName, placeName, mayCorrect, mayDelete }) => (
                <tr key={entry.id}>
                  <td>{vietnamDay(entry.helpedOn)}</td>
                  <td>{serviceLabel(entry.service)}</td>
                  <td>{entry.people}</td>
                  <td>{placeName}</td>
                  <td>{guideName}</td>
                  <td>
                    {entry.note}
                    {entry.citizenPhone && ` (SĐT người dân: ${formatPhone(entry.citizenPhone)})`}
                  </td>
                  <td>
                    {mayCorrect && (
                      <a class="inline-action" href={`${entryPath(place.team.id, entry.id)}/sua`}>
                        Sửa
                      </a>
                    )}
                    {mayDelete && (
                      <a class="inline-action" href={`${entryPath(place.team.id, entry.id)}/xoa`}>
                        Xóa
                      </a>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        page={page}
        hasNext={more}
        label="Trang sổ ghi nhận"
        href={(p) => `${assistancePath(place.team.id)}?trang=${p}#so-ghi-nhan`}
      />
    </section>
  );
}

/**
 * The assistance page of a team: the entry form for its qualified guides (or why a member may
 * not log yet), then the team's log.
 */
export function AssistancePage(props: {
  shell: Shell;
  place: TeamPlace;
  places: Unit[];
  form: FormState;
  mayLog: boolean;
  /** Why the viewer, a member, cannot log: not a qualified guide, or the team not active. */
  refusal: string | null;
  done: string | null;
  entries: EntryView[];
  page: number;
  more: boolean;
}) {
  const { shell, place, places, form, mayLog, refusal, done } = props;
  return (
    <Layout shell={shell} title={`Ghi nhận hỗ trợ: ${place.team.name}`}>
      <Crumbs place={place} />
      <h1>Ghi nhận hỗ trợ người dân</h1>
      {done && (
        <p class="notice" role="status">
          {done}
        </p>
      )}
      {refusal && <p class="notice bad">{refusal}</p>}
      {mayLog && (
        <>
          <ErrorSummary errors={form.errors} message={form.message} />
          <form method="post" action={assistancePath(place.team.id)} novalidate>
            <CsrfField shell={shell} />
            <EntryFields places={places} form={form} />
            <button type="submit" class="button primary">
              Ghi nhận
            </button>
          </form>
        </>
      )}
      <EntryList place={place} entries={props.entries} page={props.page} more={props.more} />
    </Layout>
  );
}

/** Correcting one's own entry. */
export function CorrectEntryPage(props: {
  shell: Shell;
  place: TeamPlace;
  entry: AssistanceRow;
  places: Unit[];
  form: FormState;
}) {
  const { shell, place, entry, places, form } = props;
  return (
    <Layout shell={shell} title="Sửa ghi nhận hỗ trợ">
      <Crumbs place={place} />
      <h1>Sửa ghi nhận hỗ trợ</h1>
      <ErrorSummary errors={form.errors} message={form.message} />
      <form method="post" action={`${entryPath(place.team.id, entry.id)}/sua`} novalidate>
        <CsrfField shell={shell} />
        <EntryFields places={places} form={form} />
        <button type="submit" class="button primary">
          Lưu
        </button>{' '}
        <a class="button" href={assistancePath(place.team.id)}>
          Hủy
        </a>
      </form>
    </Layout>
  );
}

/** The confirmation before deleting an entry. */
export function DeleteEntryPage(props: { shell: Shell; place: TeamPlace; view: EntryView }) {
  const { shell, place, view } = props;
  const { entry } = view;
  return (
    <Layout shell={shell} title="Xóa ghi nhận hỗ trợ">
      <Crumbs place={place} />
      <h1>Xóa ghi nhận hỗ trợ</h1>
      <form method="post" action={`${entryPath(place.team.id, entry.id)}/xoa`}>
        <CsrfField shell={shell} />
        <p>
          Xóa ghi nhận ngày {vietnamDay(entry.helpedOn)}: {serviceLabel(entry.service)}, {entry.people} người,
          tại {view.placeName}, do {view.guideName} ghi? Số liệu của tổ sẽ trừ đi lần hỗ trợ này.
        </p>
        <button type="submit" class="button danger">
          Xóa ghi nhận
        </button>{' '}
        <a class="button" href={assistancePath(place.team.id)}>
          Không, quay lại
        </a>
      </form>
    </Layout>
  );
}
