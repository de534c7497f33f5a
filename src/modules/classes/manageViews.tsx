import { vietnamTime } from '../../web/format.js';
import { ChoiceSelect, ErrorSummary, Field } from '../../web/forms.js';
import { Listing } from '../../web/listing.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import type { CourseSummary } from '../catalog/service.js';
import { BLOCKS } from '../identity/blocks.js';
import type { PlacedUnit } from '../org/service.js';
import type { SessionReport } from './classReports.js';
import {
  CLASSES_PATH,
  cancelPath,
  classPath,
  editPath,
  kitPath,
  MANAGE_PATH,
  managePath,
  NEW_SESSION_PATH,
  qrPath,
  resultsPath,
  rosterPath,
} from './paths.js';
import type { SessionCard } from './sessions.js';
import { sessionWhen } from './sessionTimes.js';
import { DoneNotice, type FormState, SessionFacts, stateText } from './views.js';

/** `/quan-tri/lop-hoc`: the sessions the actor runs or reads, today's and later ones first. */
export function ManageListPage(props: {
  shell: Shell;
  cards: SessionCard[];
  page: number;
  more: boolean;
  mayCreate: boolean;
  now: Date;
}) {
  const { shell, cards, page, more, mayCreate, now } = props;
  return (
    <Layout shell={shell} title="Quản lý lớp học trực tiếp">
      <p class="crumbs">
        <a href={CLASSES_PATH}>Lớp học trực tiếp</a>
      </p>
      <h1>Quản lý lớp học trực tiếp</h1>
      {mayCreate && (
        <p>
          <a class="button primary" href={NEW_SESSION_PATH}>
            Lên lịch buổi học mới
          </a>
        </p>
      )}
      <div class="table-scroll">
        <Listing
          caption={page === 1 ? 'Các buổi học' : `Các buổi học, trang ${page}`}
          empty={
            page === 1
              ? 'Chưa có buổi học nào trong phạm vi bạn quản lý.'
              : 'Không còn buổi học nào ở trang này.'
          }
          head={['Buổi học', 'Thời gian', 'Địa điểm', 'Đơn vị', 'Giữ chỗ', 'Có mặt', 'Tình trạng']}
          rows={cards}
          row={(card) => (
            <tr key={card.session.id}>
              <td>
                <a href={managePath(card.session.id)}>{card.session.title}</a>
              </td>
              <td>{sessionWhen(card.session)}</td>
              <td>{card.session.place}</td>
              <td>{card.unitName}</td>
              <td>
                {card.seats}/{card.session.capacity}
              </td>
              <td>{card.present}</td>
              <td>{stateText(card, now)}</td>
            </tr>
          )}
        />
      </div>
      <Pager
        page={page}
        hasNext={more}
        href={(n) => `${MANAGE_PATH}?trang=${n}`}
        label="Các trang danh sách buổi học"
      />
    </Layout>
  );
}

/** The radio list of units a session may be organised by. */
function UnitChoice({
  units,
  selectedId,
  error,
}: {
  units: PlacedUnit[];
  selectedId?: string;
  error?: string;
}) {
  return (
    <fieldset class={error ? 'choices has-error' : 'choices'} id="unitId">
      <legend>Đơn vị tổ chức</legend>
      {error && <p class="error">{error}</p>}
      {units.length === 0 ? (
        <p class="hint">
          Không tìm thấy đơn vị nào bạn được tổ chức lớp học. Hãy tìm theo tên ở ô phía trên.
        </p>
      ) : (
        units.map((unit) => (
          <label class="choice" key={unit.id}>
            <input type="radio" name="unitId" value={unit.id} checked={unit.id === selectedId} />
            <span>
              <strong>{unit.fullName}</strong>
              {unit.ancestors.length > 0 && <small>{unit.ancestors.join(', ')}</small>}
            </span>
          </label>
        ))
      )}
    </fieldset>
  );
}

/** A labelled date or time picker with its hint and error, like `Field`. */
function PickerField(props: {
  name: string;
  type: 'date' | 'time';
  label: string;
  hint: string;
  form: FormState;
}) {
  const { name, type, label, hint, form } = props;
  const error = form.errors[name];
  return (
    <div class={error ? 'field has-error' : 'field'}>
      <label for={name}>{label}</label>
      <p class="hint" id={`${name}-hint`}>
        {hint}
      </p>
      {error && (
        <p class="error" id={`${name}-error`}>
          {error}
        </p>
      )}
      <input
        id={name}
        name={name}
        type={type}
        value={form.values[name] ?? ''}
        required
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${name}-hint ${name}-error` : `${name}-hint`}
      />
    </div>
  );
}

/** The fields of a session, shared by the create and edit forms. */
function SessionFields(props: { courses: CourseSummary[]; form: FormState; instructorHint: string }) {
  const { courses, form, instructorHint } = props;
  const { errors, values } = form;
  return (
    <>
      <ChoiceSelect
        name="courseId"
        label="Khóa học (không bắt buộc)"
        empty="Không gắn với khóa học nào"
        choices={Object.fromEntries(courses.map((c) => [c.id, c.title]))}
        value={values.courseId ?? ''}
        error={errors.courseId}
      />
      <Field
        name="title"
        label="Tên buổi học"
        hint="Để trống thì dùng tên khóa học."
        value={values.title}
        errors={errors}
      />
      <Field
        name="place"
        label="Địa điểm"
        hint="Ví dụ: Nhà văn hóa thôn Phú Hòa."
        value={values.place}
        errors={errors}
        required
      />
      <PickerField name="day" type="date" label="Ngày học" hint="Ví dụ: 05/12/2026." form={form} />
      <PickerField
        name="time"
        type="time"
        label="Giờ bắt đầu"
        hint="Giờ Việt Nam, ví dụ 08:30."
        form={form}
      />
      <Field
        name="durationMinutes"
        label="Thời lượng (phút)"
        inputMode="numeric"
        value={values.durationMinutes}
        errors={errors}
        required
      />
      <Field
        name="capacity"
        label="Số chỗ"
        inputMode="numeric"
        hint="Số người tối đa phòng học chứa được."
        value={values.capacity}
        errors={errors}
        required
      />
      <ChoiceSelect
        name="audienceBlock"
        label="Dành cho đối tượng"
        empty="Mọi người"
        choices={BLOCKS}
        value={values.audienceBlock ?? ''}
        error={errors.audienceBlock}
      />
      <p class="hint">
        Khi chọn một đối tượng, chỉ người thuộc đối tượng đó đăng ký trực tuyến được; giảng viên vẫn thêm được
        bất kỳ ai tại lớp.
      </p>
      <Field
        name="audienceNote"
        label="Ghi chú về người học (không bắt buộc)"
        hint="Ví dụ: Người cao tuổi thôn Phú Hòa."
        value={values.audienceNote}
        errors={errors}
      />
      <Field
        name="instructor"
        label="Giảng viên (số điện thoại hoặc email)"
        hint={instructorHint}
        value={values.instructor}
        errors={errors}
        autocomplete="off"
      />
    </>
  );
}

/** `/quan-tri/lop-hoc/moi`: find the organising unit, then the session's details. */
export function NewSessionPage(props: {
  shell: Shell;
  units: PlacedUnit[];
  courses: CourseSummary[];
  query: string;
  form: FormState;
}) {
  const { shell, units, courses, query, form } = props;
  return (
    <Layout shell={shell} title="Lên lịch buổi học">
      <p class="crumbs">
        <a href={MANAGE_PATH}>Quản lý lớp học trực tiếp</a>
      </p>
      <h1>Lên lịch buổi học trực tiếp</h1>
      <ErrorSummary errors={form.errors} message={form.message} />
      <form method="get" action={NEW_SESSION_PATH}>
        <label for="tim">Tìm đơn vị tổ chức khác</label>
        <p class="hint" id="tim-hint">
          Gõ tên xã, phường, thôn; có dấu hay không dấu đều được.
        </p>
        <div class="inline">
          <input id="tim" name="tim" type="search" value={query} aria-describedby="tim-hint" />
          <button type="submit">Tìm</button>
        </div>
      </form>
      <form method="post" action={NEW_SESSION_PATH} novalidate>
        <CsrfField shell={shell} />
        <UnitChoice units={units} selectedId={form.values.unitId} error={form.errors.unitId} />
        <SessionFields
          courses={courses}
          form={form}
          instructorHint="Để trống nếu bạn là giảng viên của buổi học này."
        />
        <button type="submit" class="primary">
          Lên lịch
        </button>
      </form>
    </Layout>
  );
}

/** `/quan-tri/lop-hoc/:id/sua`: change a session's details; its unit stays. */
export function EditSessionPage(props: {
  shell: Shell;
  card: SessionCard;
  courses: CourseSummary[];
  form: FormState;
}) {
  const { shell, card, courses, form } = props;
  const { session } = card;
  return (
    <Layout shell={shell} title={`Sửa buổi học: ${session.title}`}>
      <p class="crumbs">
        <a href={MANAGE_PATH}>Quản lý lớp học trực tiếp</a> ›{' '}
        <a href={managePath(session.id)}>{session.title}</a>
      </p>
      <h1>Sửa buổi học</h1>
      <ErrorSummary errors={form.errors} message={form.message} />
      <p>Đơn vị tổ chức: {card.unitName}</p>
      <form method="post" action={editPath(session.id)} novalidate>
        <CsrfField shell={shell} />
        <SessionFields
          courses={courses}
          form={form}
          instructorHint={`Giảng viên hiện tại: ${card.instructorName}. Để trống nếu không đổi.`}
        />
        <button type="submit" class="primary">
          Lưu thay đổi
        </button>
      </form>
    </Layout>
  );
}

const MANAGE_NOTICES: Record<string, string> = {
  'len-lich': 'Đã lên lịch buổi học. Người học ở đơn vị đã có thể đăng ký.',
  sua: 'Đã lưu thay đổi.',
  huy: 'Đã hủy buổi học.',
};

function ReportFigures({ report, capacity }: { report: SessionReport; capacity: number }) {
  const figures: [string, string][] = [
    ['Giữ chỗ', `${report.seats}/${capacity}`],
    ['Đăng ký trực tuyến', String(report.registered)],
    ['Thêm tại lớp', String(report.addedAtDoor)],
    ['Có mặt', String(report.present)],
    ['Quét mã QR', String(report.checkedInByQr)],
    ['Khách vãng lai', String(report.walkIns)],
    ['Vắng', String(report.absent)],
    ['Có điểm bài kiểm tra giấy', String(report.results)],
    ['Đạt bài kiểm tra giấy', String(report.passed)],
    ['Điểm trung bình', report.averagePercent === null ? '–' : `${report.averagePercent}%`],
  ];
  return (
    <section aria-labelledby="bao-cao">
      <h2 id="bao-cao">Báo cáo buổi học</h2>
      <dl class="figures">
        {figures.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

/** `/quan-tri/lop-hoc/:id`: a session's facts, its report, and what its runners can do. */
export function ManageSessionPage(props: {
  shell: Shell;
  card: SessionCard;
  report: SessionReport;
  mayRun: boolean;
  done?: string;
}) {
  const { shell, card, report, mayRun, done } = props;
  const { session } = card;
  const live = session.status === 'scheduled';
  return (
    <Layout shell={shell} title={session.title}>
      <p class="crumbs">
        <a href={MANAGE_PATH}>Quản lý lớp học trực tiếp</a>
      </p>
      <h1>{session.title}</h1>
      {!live && <p class="notice bad">Buổi học này đã bị hủy.</p>}
      <DoneNotice notices={MANAGE_NOTICES} done={done} />
      <SessionFacts card={card} />
      <p class="meta">
        Lên lịch lúc {vietnamTime(session.createdAt)}.{' '}
        <a href={classPath(session.id)}>Trang của buổi học cho người học</a>
      </p>
      {mayRun && (
        <section aria-labelledby="viec-can-lam">
          <h2 id="viec-can-lam">Việc của giảng viên</h2>
          <p class="actions">
            {live && (
              <a class="button primary" href={qrPath(session.id)}>
                Mã QR điểm danh
              </a>
            )}
            <a class="button" href={rosterPath(session.id)}>
              Danh sách điểm danh
            </a>
            <a class="button" href={resultsPath(session.id)}>
              Nhập điểm bài kiểm tra giấy
            </a>
            <a class="button" href={kitPath(session.id)}>
              Tải bộ tài liệu in (PDF)
            </a>
            {live && (
              <>
                <a class="button" href={editPath(session.id)}>
                  Sửa buổi học
                </a>
                <a class="button" href={cancelPath(session.id)}>
                  Hủy buổi học
                </a>
              </>
            )}
          </p>
        </section>
      )}
      <ReportFigures report={report} capacity={session.capacity} />
    </Layout>
  );
}

/** The confirmation before a session is cancelled. */
export function CancelSessionPage({ shell, card }: { shell: Shell; card: SessionCard }) {
  const { session } = card;
  return (
    <Layout shell={shell} title="Hủy buổi học">
      <p class="crumbs">
        <a href={MANAGE_PATH}>Quản lý lớp học trực tiếp</a> ›{' '}
        <a href={managePath(session.id)}>{session.title}</a>
      </p>
      <h1>Hủy buổi học</h1>
      {session.status === 'cancelled' ? (
        <p class="notice">Buổi học này đã được hủy trước đó.</p>
      ) : (
        <form method="post" action={cancelPath(session.id)}>
          <CsrfField shell={shell} />
          <p>
            Hủy buổi học <strong>{session.title}</strong> ({sessionWhen(session)}, {session.place})?{' '}
            {card.seats} người đang giữ chỗ sẽ thấy buổi học đã bị hủy; không ai đăng ký hay điểm danh được
            nữa.
          </p>
          <p class="actions">
            <button type="submit" class="primary">
              Hủy buổi học
            </button>
            <a class="button" href={managePath(session.id)}>
              Không, quay lại
            </a>
          </p>
        </form>
      )}
    </Layout>
  );
}
