import { vietnamTime } from '../../web/format.js';
import { ChoiceSelect } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import type { Unit } from '../org/service.js';
import { MAX_NOTE_LENGTH, type Review } from './integrityReviews.js';
import {
  KIND_LABELS,
  KIND_SLUGS,
  MIN_QUESTIONS_TO_COMPARE,
  MIN_RUSHED_LESSONS,
  MIN_SECONDS_PER_QUESTION,
  PERIOD_DAYS,
  READING_WORDS_PER_MINUTE,
  SAME_ANSWERS_WINDOW_MINUTES,
  SHARED_PLACE_MIN_ACCOUNTS,
  SHARED_PLACE_WINDOW_MINUTES,
  SIGNAL_KINDS,
  type Signal,
  type SignalKind,
} from './integritySignals.js';
import { REPORT_HOME } from './views.js';

export type ReviewedFilter = '' | 'chua' | 'roi';

/** The filters in the address (and posted back with a review, to return to the same list). */
export interface IntegrityForm {
  kind: SignalKind | '';
  days: number;
  reviewed: ReviewedFilter;
  page: number;
}

export const signalsPath = (unitId: string) => `${REPORT_HOME}/${unitId}/dau-hieu`;
export const reviewPath = (unitId: string) => `${REPORT_HOME}/${unitId}/dau-hieu/danh-dau`;

/** The address of the list with these filters. */
export function signalsHref(unitId: string, form: IntegrityForm, page = form.page): string {
  const query = new URLSearchParams({
    loai: form.kind === '' ? '' : KIND_SLUGS[form.kind],
    ky: String(form.days),
    'xem-xet': form.reviewed,
    trang: String(page),
  });
  return `${signalsPath(unitId)}?${query.toString()}`;
}

const recordHref = (accountId: string) => `/bao-cao/nguoi/${accountId}`;

export interface SignalRow {
  signal: Signal;
  review: (Review & { reviewerName: string }) | null;
}

export interface SignalListing {
  rows: SignalRow[];
  /** The page shown (the last one when a later page was asked for). */
  page: number;
  /** Signals matching the filters, and how many of them are not reviewed yet. */
  total: number;
  unreviewed: number;
  pages: number;
  names: Map<string, string>;
  unitNames: Map<string, string>;
}

const KIND_CHOICES = Object.fromEntries(SIGNAL_KINDS.map((k) => [KIND_SLUGS[k], KIND_LABELS[k]]));
const PERIOD_CHOICES = Object.fromEntries(PERIOD_DAYS.map((d) => [String(d), `${d} ngày gần đây`]));
const REVIEWED_CHOICES = { chua: 'Chưa xem xét', roi: 'Đã xem xét' };

function Filters({ unit, form }: { unit: Unit; form: IntegrityForm }) {
  return (
    <form method="get" action={signalsPath(unit.id)} class="filters no-print">
      <ChoiceSelect
        name="loai"
        label="Loại dấu hiệu"
        empty="Mọi loại"
        choices={KIND_CHOICES}
        value={form.kind === '' ? '' : KIND_SLUGS[form.kind]}
      />
      <div class="field">
        <label for="ky">Khoảng thời gian</label>
        <select id="ky" name="ky">
          {Object.entries(PERIOD_CHOICES).map(([value, label]) => (
            <option key={value} value={value} selected={String(form.days) === value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <ChoiceSelect
        name="xem-xet"
        label="Tình trạng"
        empty="Cả đã và chưa xem xét"
        choices={REVIEWED_CHOICES}
        value={form.reviewed}
      />
      <div class="field">
        <button type="submit">Xem dấu hiệu</button>
      </div>
    </form>
  );
}

/** What each kind compares, in plain words, with its threshold. */
function HowComputed() {
  return (
    <section>
      <h2>Các dấu hiệu được tính thế nào</h2>
      <dl class="facts">
        <dt>{KIND_LABELS.fastAttempt}</dt>
        <dd>
          Bài kiểm tra đạt mà thời gian từ lúc bắt đầu đến lúc nộp dưới {MIN_SECONDS_PER_QUESTION} giây cho
          mỗi câu: không đủ để đọc câu hỏi và các phương án.
        </dd>
        <dt>{KIND_LABELS.sameAnswers}</dt>
        <dd>
          Từ hai người trở lên của cùng một đơn vị nộp cùng một bài kiểm tra (từ {MIN_QUESTIONS_TO_COMPARE}{' '}
          câu) với các câu trả lời giống hệt nhau, có ít nhất một câu sai giống nhau, cách nhau không quá{' '}
          {SAME_ANSWERS_WINDOW_MINUTES} phút. Cùng đúng hết thì không tính: người học tốt đều làm đúng.
        </dd>
        <dt>{KIND_LABELS.sharedPlace}</dt>
        <dd>
          Từ {SHARED_PLACE_MIN_ACCOUNTS} tài khoản trở lên, lần đăng nhập gần nhất từ cùng một địa chỉ mạng,
          đạt bài kiểm tra hoặc hoàn thành khóa học cách nhau không quá {SHARED_PLACE_WINDOW_MINUTES} phút.
          Địa chỉ mạng không được hiển thị, chỉ có mã đại diện. Lớp học tập trung dùng chung wifi cũng có dấu
          hiệu này. Hệ thống chỉ giữ nhật ký đăng nhập trong 24 giờ (để chống dò mật khẩu), nên dấu hiệu này
          chỉ xét được 24 giờ gần nhất.
        </dd>
        <dt>{KIND_LABELS.rushedReading}</dt>
        <dd>
          Trong một khóa học, từ {MIN_RUSHED_LESSONS} bài trở lên được đánh dấu đã đọc sớm hơn sau bài trước
          so với thời gian cần để đọc hết bài ở tốc độ {READING_WORDS_PER_MINUTE} chữ mỗi phút (nhanh hơn cả
          người đọc lướt).
        </dd>
      </dl>
    </section>
  );
}

function ReviewForm(props: { shell: Shell; unit: Unit; form: IntegrityForm; signal: Signal }) {
  const { shell, unit, form, signal } = props;
  const noteId = `ghi-chu-${signal.key.replace('.', '-')}`;
  return (
    <form method="post" action={reviewPath(unit.id)} class="no-print">
      <CsrfField shell={shell} />
      <input type="hidden" name="khoa" value={signal.key} />
      <input type="hidden" name="loai" value={form.kind === '' ? '' : KIND_SLUGS[form.kind]} />
      <input type="hidden" name="ky" value={String(form.days)} />
      <input type="hidden" name="xem-xet" value={form.reviewed} />
      <input type="hidden" name="trang" value={String(form.page)} />
      <div class="field">
        <label for={noteId}>Ghi chú khi xem xét (không bắt buộc)</label>
        <p class="hint" id={`${noteId}-hint`}>
          Ví dụ: đã hỏi người học, là lớp học tập trung tại nhà văn hóa. Tối đa {MAX_NOTE_LENGTH} ký tự.
        </p>
        <textarea
          id={noteId}
          name="ghi-chu"
          rows={2}
          maxLength={MAX_NOTE_LENGTH}
          aria-describedby={`${noteId}-hint`}
        />
      </div>
      <button type="submit" class="primary">
        Đánh dấu đã xem xét
      </button>
    </form>
  );
}

function SignalCard(props: {
  shell: Shell;
  unit: Unit;
  form: IntegrityForm;
  row: SignalRow;
  names: Map<string, string>;
  unitNames: Map<string, string>;
  mayReview: boolean;
}) {
  const { shell, unit, form, row, names, unitNames, mayReview } = props;
  const { signal, review } = row;
  return (
    <section class="panel signal" id={signal.key} aria-labelledby={`${signal.key}-title`}>
      <h2 id={`${signal.key}-title`}>{KIND_LABELS[signal.kind]}</h2>
      <p>{signal.summary}</p>
      <table class="data">
        <caption>Bằng chứng</caption>
        <thead>
          <tr>
            <th scope="col">Người học</th>
            <th scope="col">Đơn vị lúc đó</th>
            <th scope="col">Thời điểm</th>
            <th scope="col">Nội dung</th>
            <th scope="col">Số liệu so với ngưỡng</th>
          </tr>
        </thead>
        <tbody>
          {signal.evidence.map((e, i) => (
            <tr key={`${e.accountId}-${i}`}>
              <td>
                <a href={recordHref(e.accountId)}>{names.get(e.accountId) ?? 'Không rõ'}</a>
              </td>
              <td>{(e.unitId && unitNames.get(e.unitId)) ?? '–'}</td>
              <td>{vietnamTime(e.at)}</td>
              <td>{e.subject}</td>
              <td>{e.figures}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {signal.othersOutside > 0 && (
        <p class="meta">
          Cùng dấu hiệu này còn {signal.othersOutside} tài khoản thuộc đơn vị ngoài phạm vi của bạn (không
          hiển thị).
        </p>
      )}
      {review ? (
        <p class="notice" role="status">
          Đã xem xét bởi {review.reviewerName} lúc {vietnamTime(review.reviewedAt)}.
          {review.note && ` Ghi chú: ${review.note}`}
        </p>
      ) : mayReview ? (
        <ReviewForm shell={shell} unit={unit} form={form} signal={signal} />
      ) : (
        <p class="meta">Chưa xem xét.</p>
      )}
    </section>
  );
}

/** A unit's integrity signals for a period: each with its evidence, and a way to mark it reviewed. */
export function IntegrityPage(props: {
  shell: Shell;
  unit: Unit;
  form: IntegrityForm;
  listing: SignalListing;
  mayReview: boolean;
  notice?: string;
}) {
  const { shell, unit, form, listing, mayReview, notice } = props;
  return (
    <Layout shell={shell} title={`Dấu hiệu bất thường: ${unit.fullName}`}>
      <p class="crumbs">
        <a href={`${REPORT_HOME}/${unit.id}`}>Báo cáo {unit.fullName}</a>
      </p>
      <h1>Dấu hiệu bất thường cần xem xét: {unit.fullName}</h1>
      <p>
        Các dấu hiệu dưới đây được tính từ dữ liệu học tập đã lưu của người học thuộc {unit.fullName} và các
        đơn vị trực thuộc, theo các ngưỡng đơn giản ghi rõ ở từng dấu hiệu. Đây <strong>không phải</strong>{' '}
        kết luận gian lận: người đánh giá xem bằng chứng, tìm hiểu thêm nếu cần, rồi đánh dấu đã xem xét.
        Không dấu hiệu nào làm thay đổi điểm, kết quả hay giấy chứng nhận.
      </p>
      {notice && (
        <p class="notice" role="status">
          {notice}
        </p>
      )}
      <Filters unit={unit} form={form} />
      <p>
        {listing.total === 0
          ? 'Không có dấu hiệu nào khớp với bộ lọc trong khoảng thời gian này.'
          : `Có ${listing.total.toLocaleString('vi-VN')} dấu hiệu, ${listing.unreviewed.toLocaleString('vi-VN')} chưa xem xét. Trang ${form.page}/${listing.pages}.`}
      </p>
      {listing.rows.map((row) => (
        <SignalCard
          key={row.signal.key}
          shell={shell}
          unit={unit}
          form={form}
          row={row}
          names={listing.names}
          unitNames={listing.unitNames}
          mayReview={mayReview}
        />
      ))}
      <Pager
        page={form.page}
        hasNext={form.page < listing.pages}
        href={(n) => signalsHref(unit.id, form, n)}
        label="Các trang dấu hiệu"
      />
      <HowComputed />
    </Layout>
  );
}
