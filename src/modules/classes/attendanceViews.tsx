import { vietnamTime } from '../../web/format.js';
import { ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import type { Roster, RosterEntry } from './classReports.js';
import { scoreField } from './paperResults.js';
import {
  addAtDoorPath,
  linkPath,
  MANAGE_PATH,
  managePath,
  resultsPath,
  rosterPath,
  walkInPath,
} from './paths.js';
import type { SessionCard } from './sessions.js';
import { sessionWhen } from './sessionTimes.js';
import { DoneNotice, type FormState } from './views.js';

function Crumbs({ card }: { card: SessionCard }) {
  return (
    <p class="crumbs">
      <a href={MANAGE_PATH}>Quản lý lớp học trực tiếp</a> ›{' '}
      <a href={managePath(card.session.id)}>{card.session.title}</a>
    </p>
  );
}

const ROSTER_NOTICES: Record<string, string> = {
  'diem-danh': 'Đã lưu điểm danh.',
  them: 'Đã thêm người học; người này được ghi là có mặt.',
  khach: 'Đã ghi khách vãng lai có mặt.',
  'lien-ket': 'Đã liên kết: việc có mặt và điểm của khách đã chuyển sang tài khoản.',
};

const details = (entry: RosterEntry) =>
  [entry.maskedPhone, entry.how, entry.result && `điểm ${entry.result}`].filter(Boolean).join(' · ');

/**
 * `/quan-tri/lop-hoc/:id/diem-danh`: tick who is present, add people with an account at the door,
 * record walk-ins without one, and link walk-ins to accounts.
 */
export function RosterPage(props: {
  shell: Shell;
  card: SessionCard;
  roster: Roster;
  form: FormState;
  done?: string;
}) {
  const { shell, card, roster, form, done } = props;
  const { session } = card;
  const present = [...roster.people, ...roster.walkIns].filter((e) => e.present).length;
  const live = session.status === 'scheduled';
  return (
    <Layout shell={shell} title={`Điểm danh: ${session.title}`}>
      <Crumbs card={card} />
      <h1>Điểm danh</h1>
      <p>
        <strong>{session.title}</strong>
        <br />
        {sessionWhen(session)}, {session.place}
      </p>
      <p class="meta">
        Có mặt {present} người; {roster.people.length + roster.walkIns.length} người giữ chỗ trong{' '}
        {session.capacity} chỗ.
      </p>
      {!live && <p class="notice bad">Buổi học này đã bị hủy.</p>}
      <DoneNotice notices={ROSTER_NOTICES} done={done} />
      <ErrorSummary errors={form.errors} message={form.message} />

      <section aria-labelledby="danh-sach">
        <h2 id="danh-sach">Người có tài khoản</h2>
        {roster.people.length === 0 ? (
          <p>Chưa có ai đăng ký hay được thêm vào buổi học này.</p>
        ) : (
          <form method="post" action={rosterPath(session.id)}>
            <CsrfField shell={shell} />
            <fieldset>
              <legend>Đánh dấu người có mặt</legend>
              {roster.people.map((entry) => (
                <label class="choice" key={entry.attendee.id}>
                  <input type="hidden" name="shown" value={`${entry.attendee.id}:${entry.present ? 1 : 0}`} />
                  <input type="checkbox" name="present" value={entry.attendee.id} checked={entry.present} />
                  <span>
                    <strong>{entry.name}</strong>
                    <small>{details(entry)}</small>
                  </span>
                </label>
              ))}
            </fieldset>
            {live && (
              <button type="submit" class="primary">
                Lưu điểm danh
              </button>
            )}
          </form>
        )}
      </section>

      {live && (
        <section aria-labelledby="them-nguoi">
          <h2 id="them-nguoi">Thêm người có tài khoản tại lớp</h2>
          <form method="post" action={addAtDoorPath(session.id)} novalidate>
            <CsrfField shell={shell} />
            <Field
              name="identifier"
              label="Số điện thoại hoặc email"
              hint="Người này được ghi là có mặt ngay."
              value={form.values.identifier}
              errors={form.errors}
              autocomplete="off"
              inputMode="tel"
            />
            <button type="submit">Thêm và ghi có mặt</button>
          </form>
        </section>
      )}

      <section aria-labelledby="khach">
        <h2 id="khach">Khách vãng lai (chưa có tài khoản)</h2>
        {roster.walkIns.length === 0 ? (
          <p>Chưa có khách vãng lai.</p>
        ) : (
          <ul class="plain blocks">
            {roster.walkIns.map((entry) => (
              <li key={entry.attendee.id}>
                <strong>{entry.name}</strong> ({details(entry)}
                {entry.attendee.attendedAt && `, có mặt lúc ${vietnamTime(entry.attendee.attendedAt)}`})
                {entry.suggestedAccount && (
                  <>
                    <br />
                    Số điện thoại này đã có tài khoản: {entry.suggestedAccount}.
                  </>
                )}
                <br />
                <a class="button small" href={linkPath(session.id, entry.attendee.id)}>
                  Liên kết với tài khoản<span class="visually-hidden"> cho {entry.name}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
        {live && (
          <form method="post" action={walkInPath(session.id)} novalidate>
            <CsrfField shell={shell} />
            <h3>Ghi khách vãng lai có mặt</h3>
            <Field name="walkInName" label="Họ và tên" value={form.values.walkInName} errors={form.errors} />
            <Field
              name="walkInPhone"
              label="Số điện thoại (nếu có)"
              type="tel"
              hint="Để sau này liên kết với tài khoản khi người này đăng ký."
              value={form.values.walkInPhone}
              errors={form.errors}
              inputMode="tel"
            />
            <button type="submit">Ghi có mặt</button>
          </form>
        )}
      </section>
      <p>
        <a href={resultsPath(session.id)}>Nhập điểm bài kiểm tra giấy</a>
      </p>
    </Layout>
  );
}

/** `/quan-tri/lop-hoc/:id/khach/:attendeeId/lien-ket`: move a walk-in's attendance to an account. */
export function LinkWalkInPage(props: {
  shell: Shell;
  card: SessionCard;
  walkIn: RosterEntry;
  suggestedPhone: string;
  form: FormState;
}) {
  const { shell, card, walkIn, suggestedPhone, form } = props;
  const { session } = card;
  return (
    <Layout shell={shell} title="Liên kết khách vãng lai">
      <Crumbs card={card} />
      <h1>Liên kết khách vãng lai với tài khoản</h1>
      <ErrorSummary errors={form.errors} message={form.message} />
      <p>
        Khách: <strong>{walkIn.name}</strong> ({details(walkIn)}).
      </p>
      {walkIn.suggestedAccount && (
        <p class="notice">Số điện thoại của khách đã có tài khoản: {walkIn.suggestedAccount}.</p>
      )}
      <form method="post" action={linkPath(session.id, walkIn.attendee.id)} novalidate>
        <CsrfField shell={shell} />
        <Field
          name="identifier"
          label="Số điện thoại hoặc email của tài khoản"
          hint="Việc có mặt và điểm bài kiểm tra của khách sẽ chuyển sang tài khoản này; dòng khách vãng lai được xóa."
          value={form.values.identifier ?? suggestedPhone}
          errors={form.errors}
          autocomplete="off"
        />
        <p class="actions">
          <button type="submit" class="primary">
            Liên kết
          </button>
          <a class="button" href={rosterPath(session.id)}>
            Quay lại
          </a>
        </p>
      </form>
    </Layout>
  );
}

/** `/quan-tri/lop-hoc/:id/ket-qua`: the scores of a paper quiz taken in class, for those present. */
export function ResultsPage(props: {
  shell: Shell;
  card: SessionCard;
  present: RosterEntry[];
  form: FormState;
  done: boolean;
}) {
  const { shell, card, present, form, done } = props;
  const { session } = card;
  const { errors, values } = form;
  return (
    <Layout shell={shell} title={`Điểm bài kiểm tra giấy: ${session.title}`}>
      <Crumbs card={card} />
      <h1>Điểm bài kiểm tra trên giấy</h1>
      <p>
        <strong>{session.title}</strong>, {sessionWhen(session)}
      </p>
      {done && (
        <p class="notice ok" role="status">
          Đã lưu điểm.
        </p>
      )}
      <ErrorSummary errors={errors} message={form.message} />
      {present.length === 0 ? (
        <p>
          Chưa có ai được ghi có mặt. Hãy <a href={rosterPath(session.id)}>điểm danh</a> trước khi nhập điểm.
        </p>
      ) : (
        <form method="post" action={resultsPath(session.id)} novalidate>
          <CsrfField shell={shell} />
          <Field
            name="maxScore"
            label="Điểm tối đa của bài"
            inputMode="numeric"
            hint="Ví dụ 10."
            value={values.maxScore}
            errors={errors}
            required
          />
          <Field
            name="passPercent"
            label="Điểm đạt (% của điểm tối đa)"
            inputMode="numeric"
            hint="Mặc định 50%: bài 10 điểm thì từ 5 điểm là đạt."
            value={values.passPercent}
            errors={errors}
          />
          <fieldset>
            <legend>Điểm của từng người (để trống nếu không làm bài)</legend>
            {present.map((entry) => {
              const field = scoreField(entry.attendee.id);
              return (
                <Field
                  key={field}
                  name={field}
                  label={entry.name}
                  hint={entry.maskedPhone || undefined}
                  value={values[field]}
                  errors={errors}
                  inputMode="text"
                  autocomplete="off"
                />
              );
            })}
          </fieldset>
          <button type="submit" class="primary">
            Lưu điểm
          </button>
        </form>
      )}
    </Layout>
  );
}
