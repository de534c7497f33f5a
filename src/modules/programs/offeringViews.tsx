import type { FieldErrors } from '../../errors.js';
import { vietnamDay, vietnamTime } from '../../web/format.js';
import { ErrorSummary, Field } from '../../web/forms.js';
import { Listing } from '../../web/listing.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import type { CourseSummary } from '../catalog/service.js';
import { seatsField } from './offeringQuotas.js';
import type { NomineeView, OfferingSummary, OfferingView } from './offerings.js';

export const OFFERINGS_PATH = '/quan-tri/suat-hoc';
export const offeringPath = (id: string) => `${OFFERINGS_PATH}/${id}`;
export const withdrawPath = (offeringId: string, nominationId: string) =>
  `${offeringPath(offeringId)}/rut/${nominationId}`;

/** What a form shows after a refusal: field messages, the summary, and the values as posted. */
export interface FormState {
  errors: FieldErrors;
  message?: string;
  values: Record<string, string | undefined>;
}

export const emptyForm: FormState = { errors: {}, values: {} };

const deadline = (closesOn: string | null) => (closesOn ? vietnamDay(closesOn) : 'Không giới hạn');

export function OfferingListPage(props: { shell: Shell; offerings: OfferingSummary[]; mayCreate: boolean }) {
  const { shell, offerings, mayCreate } = props;
  return (
    <Layout shell={shell} title="Suất học">
      <h1>Suất học phân bổ cho đơn vị</h1>
      <p>
        Mỗi đợt có một số suất học cố định, được chia chỉ tiêu cho các đơn vị. Người quản lý đơn vị đề cử
        người học trong phạm vi chỉ tiêu; suất của người rút đề cử được trả lại cho đơn vị.
      </p>
      {mayCreate && (
        <p>
          <a class="button primary" href={`${OFFERINGS_PATH}/moi`}>
            Tạo đợt mới
          </a>
        </p>
      )}
      <Listing
        caption="Các đợt"
        empty="Chưa có đợt phân suất học nào."
        head={['Đợt', 'Khóa học', 'Số suất', 'Đã đề cử', 'Hạn đề cử']}
        rows={offerings}
        row={({ offering, courseTitle, used }) => (
          <tr key={offering.id}>
            <td>
              <a href={offeringPath(offering.id)}>{offering.name}</a>
            </td>
            <td>{courseTitle}</td>
            <td>{offering.seatsTotal}</td>
            <td>{used}</td>
            <td>{deadline(offering.closesOn)}</td>
          </tr>
        )}
      />
    </Layout>
  );
}

export function NewOfferingPage(props: { shell: Shell; courses: CourseSummary[]; form: FormState }) {
  const { shell, courses, form } = props;
  const { errors, values } = form;
  return (
    <Layout shell={shell} title="Tạo đợt phân suất học">
      <div class="offering">
        <p class="crumbs">
          <a href={OFFERINGS_PATH}>Suất học</a>
        </p>
        <h1>Tạo đợt phân suất học</h1>
        <ErrorSummary errors={errors} message={form.message} />
        {courses.length === 0 ? (
          <p class="notice">Chưa có khóa học nào được xuất bản để phân suất.</p>
        ) : (
          <form method="post" action={`${OFFERINGS_PATH}/moi`} novalidate>
            <CsrfField shell={shell} />
            <Field name="name" label="Tên đợt" value={values.name} errors={errors} required />
            <div class={errors.courseId ? 'field has-error' : 'field'}>
              <label for="courseId">Khóa học</label>
              {errors.courseId && <p class="error">{errors.courseId}</p>}
              <select id="courseId" name="courseId">
                <option value="">Chọn khóa học…</option>
                {courses.map((c) => (
                  <option key={c.id} value={c.id} selected={c.id === values.courseId}>
                    {c.title}
                  </option>
                ))}
              </select>
            </div>
            <Field
              name="seatsTotal"
              label="Tổng số suất"
              type="number"
              inputMode="numeric"
              value={values.seatsTotal}
              errors={errors}
              required
            />
            <Field
              name="closesOn"
              label="Hạn đề cử (không bắt buộc)"
              type="date"
              hint="Sau ngày này không đề cử thêm được; vẫn rút đề cử được."
              value={values.closesOn}
              errors={errors}
            />
            <button type="submit" class="button primary">
              Tạo đợt
            </button>
          </form>
        )}
      </div>
    </Layout>
  );
}

const NOTICES: Record<string, string> = {
  'de-cu': 'Đã đề cử.',
  rut: 'Đã rút đề cử; suất được trả lại cho đơn vị.',
  'chi-tieu': 'Đã lưu chỉ tiêu.',
};

export function OfferingPage(props: {
  shell: Shell;
  view: OfferingView;
  mayManage: boolean;
  mayNominate: boolean;
  form: FormState;
  done?: string;
}) {
  const { shell, view, mayManage, mayNominate, form, done } = props;
  const { offering } = view;
  const notice = done ? NOTICES[done] : undefined;
  return (
    <Layout shell={shell} title={offering.name}>
      <div class="offering">
        <p class="crumbs">
          <a href={OFFERINGS_PATH}>Suất học</a>
        </p>
        <h1>{offering.name}</h1>
        <p class="meta">
          Khóa học: {view.courseTitle} · {offering.seatsTotal} suất · đã đề cử {view.used} · chưa phân cho đơn
          vị nào {view.unallocated} · hạn đề cử: {deadline(offering.closesOn)}
        </p>
        {notice && (
          <p class="notice ok" role="status">
            {notice}
          </p>
        )}
        <ErrorSummary errors={form.errors} message={form.message} />
        <QuotaTable view={view} />
        {mayNominate && <NominateForm shell={shell} offeringId={offering.id} form={form} />}
        <Nominees offeringId={offering.id} nominees={view.nominees} />
        {mayManage && <QuotaForm shell={shell} view={view} form={form} />}
      </div>
    </Layout>
  );
}

function QuotaTable({ view }: { view: OfferingView }) {
  return (
    <Listing
      caption="Chỉ tiêu theo đơn vị"
      empty="Chưa phân suất cho đơn vị nào."
      head={['Đơn vị', 'Chỉ tiêu', 'Đã đề cử', 'Còn trống']}
      rows={view.quotas}
      row={(quota) => (
        <tr key={quota.unit.id}>
          <td>{quota.unit.fullName}</td>
          <td>{quota.seats}</td>
          <td>{quota.used}</td>
          <td>{quota.free}</td>
        </tr>
      )}
    />
  );
}

function NominateForm({ shell, offeringId, form }: { shell: Shell; offeringId: string; form: FormState }) {
  return (
    <section>
      <h2>Đề cử người học</h2>
      <form method="post" action={`${offeringPath(offeringId)}/de-cu`} novalidate>
        <CsrfField shell={shell} />
        <Field
          name="identifier"
          label="Số điện thoại hoặc email của người được đề cử"
          hint="Người này phải thuộc một đơn vị bạn quản lý đã được phân suất; suất được tính vào chỉ tiêu của đơn vị đó."
          value={form.values.identifier}
          errors={form.errors}
          autocomplete="off"
          required
        />
        <button type="submit" class="button primary">
          Đề cử
        </button>
      </form>
    </section>
  );
}

function Nominees({ offeringId, nominees }: { offeringId: string; nominees: NomineeView[] }) {
  return (
    <Listing
      caption="Người được đề cử"
      empty="Chưa có ai được đề cử trong phạm vi bạn quản lý."
      head={['Họ và tên', 'Đơn vị', 'Chỉ tiêu của', 'Đề cử bởi', 'Lúc', 'Thao tác']}
      rows={nominees}
      row={(n) => (
        <tr key={n.nomination.id}>
          <td>{n.fullName}</td>
          <td>{n.homeUnit}</td>
          <td>{n.quotaUnit}</td>
          <td>{n.nominatedBy}</td>
          <td>{vietnamTime(n.nomination.nominatedAt)}</td>
          <td>
            {n.mayWithdraw && (
              <a class="button small" href={withdrawPath(offeringId, n.nomination.id)}>
                Rút đề cử<span class="visually-hidden"> {n.fullName}</span>
              </a>
            )}
          </td>
        </tr>
      )}
    />
  );
}

/** Tenant admins change any unit's seats, or give a unit (by its code) a quota. */
function QuotaForm({ shell, view, form }: { shell: Shell; view: OfferingView; form: FormState }) {
  const { errors, values } = form;
  return (
    <section>
      <h2>Phân bổ chỉ tiêu</h2>
      <p class="hint">
        Tổng chỉ tiêu không được vượt {view.offering.seatsTotal} suất. Nhập 0 để thu hồi chỉ tiêu của một đơn
        vị chưa đề cử ai. Đơn vị được phân suất không được trực thuộc nhau.
      </p>
      <form method="post" action={`${offeringPath(view.offering.id)}/chi-tieu`} novalidate>
        <CsrfField shell={shell} />
        {view.quotas.length > 0 && (
          <table class="data">
            <caption class="visually-hidden">Chỉ tiêu hiện có</caption>
            <thead>
              <tr>
                <th scope="col">Đơn vị</th>
                <th scope="col">Chỉ tiêu</th>
              </tr>
            </thead>
            <tbody>
              {view.quotas.map((quota) => {
                const field = seatsField(quota.unit.id);
                return (
                  <tr key={quota.unit.id} class={errors[field] ? 'has-error' : undefined}>
                    <td>
                      <label for={field}>{quota.unit.fullName}</label>
                      {errors[field] && <p class="error">{errors[field]}</p>}
                    </td>
                    <td>
                      <input
                        id={field}
                        name={field}
                        type="number"
                        inputMode="numeric"
                        min={quota.used}
                        value={values[field] ?? String(quota.seats)}
                      />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
        <Field
          name="unitCode"
          label="Thêm chỉ tiêu cho đơn vị (mã đơn vị)"
          hint="Mã thống kê của huyện, xã, phường…, ví dụ 506."
          value={values.unitCode}
          errors={errors}
        />
        <Field
          name="newSeats"
          label="Số suất cho đơn vị này"
          type="number"
          inputMode="numeric"
          value={values.newSeats}
          errors={errors}
        />
        <button type="submit" class="button primary">
          Lưu chỉ tiêu
        </button>
      </form>
    </section>
  );
}

export function WithdrawPage(props: {
  shell: Shell;
  offeringId: string;
  offeringName: string;
  nominee: NomineeView;
}) {
  const { shell, offeringId, offeringName, nominee } = props;
  const withdrawn = nominee.nomination.withdrawnAt !== null;
  return (
    <Layout shell={shell} title="Rút đề cử">
      <p class="crumbs">
        <a href={OFFERINGS_PATH}>Suất học</a> › <a href={offeringPath(offeringId)}>{offeringName}</a>
      </p>
      <h1>Rút đề cử</h1>
      {withdrawn ? (
        <p class="notice">Đề cử của {nominee.fullName} đã được rút trước đó.</p>
      ) : (
        <form method="post" action={withdrawPath(offeringId, nominee.nomination.id)}>
          <CsrfField shell={shell} />
          <p>
            Rút đề cử <strong>{nominee.fullName}</strong> khỏi đợt “{offeringName}”? Suất này sẽ được trả lại
            cho {nominee.quotaUnit} để đề cử người khác.
          </p>
          <button type="submit" class="button primary">
            Rút đề cử
          </button>{' '}
          <a class="button" href={offeringPath(offeringId)}>
            Không, quay lại
          </a>
        </form>
      )}
    </Layout>
  );
}
