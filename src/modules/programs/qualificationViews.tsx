/** The pages of qualifications: the list with its filters and exports, revoking one, and the profile section. */
import type { FieldErrors } from '../../errors.js';
import { vietnamDay } from '../../web/format.js';
import { ChoiceSelect, ErrorSummary } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import type { PlacedUnit } from '../org/service.js';
import { qualificationPdfPath } from './qualificationCertificate.js';
import { FILTER_NAMES, type FilterForm, filterQuery } from './qualificationFilters.js';
import { REVOKE_REASON_LENGTH } from './qualificationRevoke.js';
import { QUALIFICATION_STATUS_LABELS, qualificationStatus, statusSentence } from './qualificationStatus.js';
import type { QualificationRecord } from './qualifications.js';
import type { QualificationRow } from './repository.js';

export const QUALIFICATIONS_PATH = '/quan-tri/dat-yeu-cau';
export const QUALIFICATIONS_XLSX = `${QUALIFICATIONS_PATH}.xlsx`;
export const QUALIFICATIONS_CSV = `${QUALIFICATIONS_PATH}.csv`;
export const revokePath = (code: string) => `${QUALIFICATIONS_PATH}/${encodeURIComponent(code)}/thu-hoi`;
const verifyLink = (code: string) => `/verify/${encodeURIComponent(code)}`;

export interface QualificationListing {
  records: QualificationRecord[];
  total: number;
  page: number;
  pages: number;
}

function Filters(props: { form: FilterForm; units: PlacedUnit[]; errors: FieldErrors }) {
  const { form, units, errors } = props;
  const fieldClass = (name: string) => (errors[name] ? 'field has-error' : 'field');
  const FieldError = ({ name }: { name: string }) =>
    errors[name] ? (
      <p class="error" id={`${name}-error`}>
        {errors[name]}
      </p>
    ) : null;
  return (
    <form method="get" action={QUALIFICATIONS_PATH} class="filters" novalidate>
      <div class="field">
        <label for={FILTER_NAMES.unitQuery}>Tìm đơn vị</label>
        <p class="hint" id="tim-hint">
          Gõ tên xã, phường, cơ quan rồi bấm “Lọc”; có dấu hay không dấu đều được.
        </p>
        <input
          id={FILTER_NAMES.unitQuery}
          name={FILTER_NAMES.unitQuery}
          type="search"
          value={form.unitQuery}
          aria-describedby="tim-hint"
        />
      </div>
      <fieldset
        class={errors[FILTER_NAMES.unitId] ? 'choices has-error' : 'choices'}
        id={FILTER_NAMES.unitId}
      >
        <legend>Đơn vị (gồm cả các đơn vị trực thuộc)</legend>
        <FieldError name={FILTER_NAMES.unitId} />
        <label class="choice">
          <input type="radio" name={FILTER_NAMES.unitId} value="" checked={!form.unitId} />
          <span>Mọi đơn vị trong phạm vi của bạn</span>
        </label>
        {units.map((unit) => (
          <label class="choice" key={unit.id}>
            <input
              type="radio"
              name={FILTER_NAMES.unitId}
              value={unit.id}
              checked={unit.id === form.unitId}
            />
            <span>
              <strong>{unit.fullName}</strong>
              {unit.ancestors.length > 0 && <small>{unit.ancestors.join(', ')}</small>}
            </span>
          </label>
        ))}
        {form.unitQuery && units.length === 0 && (
          <p class="hint" role="status">
            Không tìm thấy đơn vị nào bạn được xem với từ khóa này.
          </p>
        )}
      </fieldset>
      <div class={fieldClass(FILTER_NAMES.from)}>
        <label for={FILTER_NAMES.from}>Cấp hoặc thu hồi từ ngày</label>
        <FieldError name={FILTER_NAMES.from} />
        <input id={FILTER_NAMES.from} name={FILTER_NAMES.from} type="date" value={form.from} />
      </div>
      <div class={fieldClass(FILTER_NAMES.to)}>
        <label for={FILTER_NAMES.to}>Đến ngày</label>
        <FieldError name={FILTER_NAMES.to} />
        <input id={FILTER_NAMES.to} name={FILTER_NAMES.to} type="date" value={form.to} />
      </div>
      <ChoiceSelect
        name={FILTER_NAMES.status}
        label="Trạng thái"
        empty="Mọi trạng thái"
        choices={QUALIFICATION_STATUS_LABELS}
        value={form.status}
        error={errors[FILTER_NAMES.status]}
      />
      <button type="submit" class="button">
        Lọc
      </button>
    </form>
  );
}

export function QualificationListPage(props: {
  shell: Shell;
  form: FilterForm;
  units: PlacedUnit[];
  /** Null when the filters were refused: the errors say why. */
  listing: QualificationListing | null;
  errors: FieldErrors;
  mayRevoke: boolean;
  today: string;
  notice?: string;
}) {
  const { shell, form, units, listing, errors, mayRevoke, today, notice } = props;
  const query = filterQuery({ ...form, unitQuery: '' });
  const filtered = query !== '';
  const pageLink = (page: number) =>
    `${QUALIFICATIONS_PATH}${filterQuery(form, page > 1 ? { trang: String(page) } : {})}`;
  return (
    <Layout shell={shell} title="Danh sách đạt yêu cầu">
      <h1>Danh sách đạt yêu cầu “Bình dân học vụ số”</h1>
      <p class="meta">
        Người đã hoàn thành chương trình học và được xác nhận đạt yêu cầu, kể cả xác nhận đã hết hiệu lực hoặc
        đã thu hồi. Mỗi lần tải về đều được ghi vào nhật ký hoạt động.
      </p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <ErrorSummary errors={errors} />
      <Filters form={form} units={units} errors={errors} />
      {listing && (
        <p class="actions">
          <a class="button" href={`${QUALIFICATIONS_XLSX}${query}`}>
            Tải về Excel (.xlsx){filtered ? ' theo bộ lọc' : ''}
          </a>{' '}
          <a class="button" href={`${QUALIFICATIONS_CSV}${query}`}>
            Tải về CSV{filtered ? ' theo bộ lọc' : ''}
          </a>
        </p>
      )}
      {listing &&
        (listing.records.length === 0 ? (
          <p class="notice">
            {filtered ? (
              <>
                Không có xác nhận nào khớp bộ lọc. <a href={QUALIFICATIONS_PATH}>Xem toàn bộ danh sách</a>
              </>
            ) : (
              'Chưa có ai được xác nhận đạt yêu cầu trong phạm vi của bạn.'
            )}
          </p>
        ) : (
          <table class="data">
            <caption>
              {listing.total} xác nhận{filtered ? ' khớp bộ lọc' : ''}
              {listing.pages > 1 ? ` · trang ${listing.page}/${listing.pages}` : ''}
            </caption>
            <thead>
              <tr>
                <th scope="col">Số hiệu</th>
                <th scope="col">Họ và tên</th>
                <th scope="col">Đơn vị</th>
                <th scope="col">Chương trình</th>
                <th scope="col">Ngày cấp</th>
                <th scope="col">Trạng thái</th>
                {mayRevoke && <th scope="col">Thao tác</th>}
              </tr>
            </thead>
            <tbody>
              {listing.records.map((r) => (
                <tr key={r.id}>
                  <td>
                    <a href={verifyLink(r.code)}>{r.code}</a>
                  </td>
                  <td>{r.holderName}</td>
                  <td>{r.unit?.fullName ?? 'Chưa có'}</td>
                  <td>{r.programName}</td>
                  <td>{vietnamDay(r.issuedOn)}</td>
                  <td>
                    {statusSentence(r, today)}
                    {r.revokedReason && <small> – lý do: {r.revokedReason}</small>}
                  </td>
                  {mayRevoke && (
                    <td>
                      <a href={qualificationPdfPath(r.code)} download>
                        PDF
                      </a>
                      {r.status !== 'revoked' && (
                        <>
                          {' · '}
                          <a href={revokePath(r.code)}>Thu hồi</a>
                        </>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        ))}
      {listing && (
        <Pager
          page={listing.page}
          hasNext={listing.page < listing.pages}
          href={pageLink}
          label="Các trang danh sách"
        />
      )}
    </Layout>
  );
}

/** Asks a tenant admin to confirm a revocation and say why; the reason is shown to verifiers. */
export function RevokePage(props: {
  shell: Shell;
  qualification: QualificationRow;
  today: string;
  reason: string;
  errors: FieldErrors;
}) {
  const { shell, qualification, today, reason, errors } = props;
  const error = errors.reason;
  return (
    <Layout shell={shell} title="Thu hồi xác nhận đạt yêu cầu">
      <h1>Thu hồi xác nhận đạt yêu cầu</h1>
      <ErrorSummary errors={errors} />
      <dl class="facts">
        <dt>Người được xác nhận</dt>
        <dd>{qualification.holderName}</dd>
        <dt>Chương trình</dt>
        <dd>{qualification.programName}</dd>
        <dt>Ngày cấp</dt>
        <dd>{vietnamDay(qualification.issuedOn)}</dd>
        <dt>Số hiệu</dt>
        <dd>{qualification.code}</dd>
        <dt>Trạng thái</dt>
        <dd>{statusSentence(qualification, today)}</dd>
      </dl>
      {qualificationStatus(qualification, today) === 'revoked' ? (
        <p class="notice">
          Xác nhận này đã bị thu hồi. <a href={QUALIFICATIONS_PATH}>Về danh sách đạt yêu cầu</a>
        </p>
      ) : (
        <form method="post" action={revokePath(qualification.code)} novalidate>
          <CsrfField shell={shell} />
          <p class="notice bad">
            Sau khi thu hồi, trang kiểm tra sẽ báo xác nhận này không còn giá trị, và các lần xuất dữ liệu sau
            đó (gửi VNeID, hồ sơ cán bộ) đều ghi là đã thu hồi. Không thể hoàn tác.
          </p>
          <div class={error ? 'field has-error' : 'field'}>
            <label for="reason">Lý do thu hồi</label>
            <p class="hint" id="reason-hint">
              Từ {REVOKE_REASON_LENGTH.min} đến {REVOKE_REASON_LENGTH.max} ký tự; người kiểm tra giấy sẽ thấy
              lý do này.
            </p>
            {error && (
              <p class="error" id="reason-error">
                {error}
              </p>
            )}
            <textarea
              id="reason"
              name="reason"
              rows={3}
              maxLength={REVOKE_REASON_LENGTH.max}
              required
              aria-invalid={error ? 'true' : undefined}
              aria-describedby={error ? 'reason-hint reason-error' : 'reason-hint'}
            >
              {reason}
            </textarea>
          </div>
          <button type="submit" class="button danger">
            Thu hồi xác nhận
          </button>{' '}
          <a href={QUALIFICATIONS_PATH}>Hủy, quay lại danh sách</a>
        </form>
      )}
    </Layout>
  );
}

/** The person's own qualifications on their profile, with status and the certificate to download. */
export function QualificationsSection({
  qualifications,
  today,
}: {
  qualifications: QualificationRow[];
  today: string;
}) {
  return (
    <section aria-labelledby="dat-yeu-cau">
      <h2 id="dat-yeu-cau">Đạt yêu cầu “Bình dân học vụ số”</h2>
      {qualifications.length === 0 ? (
        <p class="notice">
          Bạn chưa được xác nhận đạt yêu cầu. Hoàn thành chương trình học được giao để được xác nhận.
        </p>
      ) : (
        <ul>
          {qualifications.map((q) => {
            const status = qualificationStatus(q, today);
            return (
              <li key={q.id}>
                <strong>{q.programName}</strong> (cấp ngày {vietnamDay(q.issuedOn)}, số hiệu {q.code}):{' '}
                {status === 'valid' ? statusSentence(q, today) : <strong>{statusSentence(q, today)}</strong>}
                {q.revokedReason && ` – lý do: ${q.revokedReason}`}.{' '}
                {status !== 'revoked' && (
                  <>
                    <a href={qualificationPdfPath(q.code)} download>
                      Tải giấy chứng nhận (PDF)
                    </a>
                    {' · '}
                  </>
                )}
                <a href={verifyLink(q.code)}>Trang kiểm tra</a>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
