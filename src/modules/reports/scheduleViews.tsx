import type { FieldErrors } from '../../errors.js';
import { vietnamDay, vietnamTime } from '../../web/format.js';
import { ChoiceSelect, ErrorSummary, Field } from '../../web/forms.js';
import { CsrfField, Layout, type Shell } from '../../web/page.js';
import { Pager } from '../../web/pager.js';
import { BLOCKS } from '../identity/blocks.js';
import type { Unit } from '../org/service.js';
import type { Dashboard, Figures, Rates, TargetMetric } from './dashboard/figures.js';
import { SECTION } from './scheduleExport.js';
import {
  blockLabel,
  FREQUENCY_PARAM,
  NAME_MAX,
  recurrenceOf,
  type ScheduleForm,
  type ScheduleListItem,
  type ScheduleRow,
  type SnapshotRow,
  type SnapshotSummary,
  type SubjectChoice,
} from './scheduleService.js';
import { recurrenceText, WEEKDAYS } from './scheduleTime.js';

export const SCHEDULES_PATH = '/bao-cao/lich';
export const schedulePath = (id: string) => `${SCHEDULES_PATH}/${encodeURIComponent(id)}`;
export const snapshotPath = (scheduleId: string, snapshotId: string) =>
  `${schedulePath(scheduleId)}/ban-chup/${encodeURIComponent(snapshotId)}`;
const dashboardHref = (unitId: string) => `/bao-cao/don-vi/${encodeURIComponent(unitId)}/tong-quan`;

const TARGET_TEXT: Record<TargetMetric, string> = {
  started: 'bắt đầu học',
  completed: 'hoàn thành ít nhất một khóa học',
  qualified: 'đạt yêu cầu',
};

const number = (n: number) => n.toLocaleString('vi-VN');
const rate = (r: number | null) => (r === null ? '—' : `${r.toLocaleString('vi-VN')}%`);

/** What the schedule page says after a change it redirected from. */
export const DONE_MESSAGES: Record<string, string> = {
  lap: 'Đã lập lịch báo cáo.',
  'tam-dung': 'Đã tạm dừng lịch: báo cáo sẽ không được lập cho đến khi cho chạy tiếp.',
  'tiep-tuc': 'Lịch đã chạy tiếp; các kỳ trong lúc tạm dừng không được lập bù.',
  xoa: 'Đã xóa lịch: lịch sẽ không chạy nữa. Các bản chụp đã lập vẫn được giữ dưới đây.',
};

function stateOf(schedule: ScheduleRow): string {
  if (schedule.removedAt) return `Đã xóa lúc ${vietnamTime(schedule.removedAt)}`;
  if (schedule.pausedAt) return `Tạm dừng từ ${vietnamTime(schedule.pausedAt)}`;
  return 'Đang hoạt động';
}

const filterText = (subject: string, block: string) => `${subject} · ${blockLabel(block)}`;

function ScheduleTable(props: { items: ScheduleListItem[]; subjects: Map<string, string>; caption: string }) {
  const { items, subjects, caption } = props;
  return (
    <div class="table-scroll">
      <table class="data">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Tên báo cáo</th>
            <th scope="col">Đơn vị</th>
            <th scope="col">Lọc</th>
            <th scope="col">Lịch lập (giờ Việt Nam)</th>
            <th scope="col">Trạng thái</th>
            <th scope="col">Lần lập tới</th>
            <th scope="col">Bản chụp đã lưu</th>
          </tr>
        </thead>
        <tbody>
          {items.map(({ schedule, unit, snapshots }) => (
            <tr key={schedule.id}>
              <th scope="row">
                <a href={schedulePath(schedule.id)}>{schedule.name}</a>
              </th>
              <td>{unit.fullName}</td>
              <td>{filterText(subjects.get(schedule.subject) ?? '', schedule.block)}</td>
              <td>{recurrenceText(recurrenceOf(schedule))}</td>
              <td>{stateOf(schedule)}</td>
              <td>{schedule.removedAt || schedule.pausedAt ? '—' : vietnamTime(schedule.nextRunAt)}</td>
              <td>{number(snapshots)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** The schedules the reader may see: the running and paused ones, then removed ones kept for their snapshots. */
export function ScheduleListPage(props: {
  shell: Shell;
  items: ScheduleListItem[];
  subjects: Map<string, string>;
}) {
  const { shell, items, subjects } = props;
  const live = items.filter((i) => !i.schedule.removedAt);
  const removed = items.filter((i) => i.schedule.removedAt && i.snapshots > 0);
  return (
    <Layout shell={shell} title="Báo cáo định kỳ">
      <p class="crumbs">
        <a href="/bao-cao/don-vi">Báo cáo</a>
      </p>
      <h1>Báo cáo định kỳ</h1>
      <p>
        Báo cáo được lập tự động theo lịch. Mỗi lần lập lưu lại số liệu lúc đó (bản chụp) cùng tệp Excel và
        bản tóm tắt PDF để tải về; số liệu đã lưu không thay đổi khi việc học tiếp diễn.
      </p>
      <p>
        <a class="button primary" href={`${SCHEDULES_PATH}/moi`}>
          Lập lịch báo cáo mới
        </a>
      </p>
      {live.length === 0 ? (
        <p class="notice">Chưa có lịch báo cáo nào trong phạm vi bạn được xem.</p>
      ) : (
        <ScheduleTable items={live} subjects={subjects} caption="Các lịch báo cáo" />
      )}
      {removed.length > 0 && (
        <section>
          <h2>Lịch đã xóa</h2>
          <p>Các lịch này không chạy nữa; bản chụp đã lập vẫn được giữ để xem và tải về.</p>
          <ScheduleTable items={removed} subjects={subjects} caption="Lịch đã xóa, còn bản chụp" />
        </section>
      )}
    </Layout>
  );
}

/** The form that schedules a report; every field has a label, and works without scripts. */
export function ScheduleFormPage(props: {
  shell: Shell;
  form: ScheduleForm;
  units: Unit[];
  subjects: SubjectChoice[];
  errors: FieldErrors;
  message?: string;
}) {
  const { shell, form, units, subjects, errors, message } = props;
  const top = units[0]?.depth ?? 0;
  const frequency = form['tan-suat'];
  return (
    <Layout shell={shell} title="Lập lịch báo cáo">
      <p class="crumbs">
        <a href={SCHEDULES_PATH}>Báo cáo định kỳ</a>
      </p>
      <h1>Lập lịch báo cáo</h1>
      <ErrorSummary errors={errors} message={message} />
      <form method="post" action={`${SCHEDULES_PATH}/moi`} novalidate>
        <CsrfField shell={shell} />
        <Field
          name="ten"
          label="Tên báo cáo"
          hint={`Ví dụ: Báo cáo tuần gửi Ban chỉ đạo. Tối đa ${NAME_MAX} ký tự.`}
          value={form.ten}
          errors={errors}
          required
        />
        <div class={errors['don-vi'] ? 'field has-error' : 'field'}>
          <label for="don-vi">Đơn vị (gồm cả các đơn vị trực thuộc)</label>
          {errors['don-vi'] && (
            <p class="error" id="don-vi-error">
              {errors['don-vi']}
            </p>
          )}
          <select
            id="don-vi"
            name="don-vi"
            aria-invalid={errors['don-vi'] ? 'true' : undefined}
            aria-describedby={errors['don-vi'] ? 'don-vi-error' : undefined}
          >
            <option value="">Chọn đơn vị…</option>
            {units.map((u) => (
              <option key={u.id} value={u.id} selected={form['don-vi'] === u.id}>
                {`${'— '.repeat(Math.max(0, u.depth - top))}${u.fullName}`}
              </option>
            ))}
          </select>
        </div>
        <div class={errors.mon ? 'field has-error' : 'field'}>
          <label for="mon">Khóa học hoặc chương trình</label>
          {errors.mon && (
            <p class="error" id="mon-error">
              {errors.mon}
            </p>
          )}
          <select id="mon" name="mon" aria-invalid={errors.mon ? 'true' : undefined}>
            {subjects.map((s) => (
              <option key={s.value} value={s.value} selected={form.mon === s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </div>
        <ChoiceSelect
          name="khoi"
          label="Khối"
          empty="Mọi khối"
          choices={BLOCKS}
          value={form.khoi}
          error={errors.khoi}
        />
        <fieldset class={errors['tan-suat'] ? 'choices has-error' : 'choices'} id="tan-suat">
          <legend>Lập báo cáo</legend>
          {errors['tan-suat'] && <p class="error">{errors['tan-suat']}</p>}
          {(
            [
              [FREQUENCY_PARAM.daily, 'Hằng ngày'],
              [FREQUENCY_PARAM.weekly, 'Hằng tuần, vào ngày chọn dưới đây'],
              [FREQUENCY_PARAM.monthly, 'Hằng tháng, vào ngày chọn dưới đây'],
            ] as const
          ).map(([value, label]) => (
            <label class="choice" key={value}>
              <input type="radio" name="tan-suat" value={value} checked={frequency === value} /> {label}
            </label>
          ))}
        </fieldset>
        <div class={errors.thu ? 'field has-error' : 'field'}>
          <label for="thu">Ngày trong tuần (khi lập hằng tuần)</label>
          {errors.thu && (
            <p class="error" id="thu-error">
              {errors.thu}
            </p>
          )}
          <select id="thu" name="thu" aria-invalid={errors.thu ? 'true' : undefined}>
            {Object.entries(WEEKDAYS).map(([value, label]) => (
              <option key={value} value={value} selected={form.thu === value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div class={errors['ngay-trong-thang'] ? 'field has-error' : 'field'}>
          <label for="ngay-trong-thang">Ngày trong tháng (khi lập hằng tháng)</label>
          <p class="hint" id="ngay-trong-thang-hint">
            Từ 1 đến 31; tháng không có ngày này thì lập vào ngày cuối tháng.
          </p>
          {errors['ngay-trong-thang'] && (
            <p class="error" id="ngay-trong-thang-error">
              {errors['ngay-trong-thang']}
            </p>
          )}
          <input
            id="ngay-trong-thang"
            name="ngay-trong-thang"
            inputMode="numeric"
            value={form['ngay-trong-thang']}
            aria-invalid={errors['ngay-trong-thang'] ? 'true' : undefined}
            aria-describedby="ngay-trong-thang-hint"
          />
        </div>
        <div class={errors.gio ? 'field has-error' : 'field'}>
          <label for="gio">Giờ lập (giờ Việt Nam)</label>
          <p class="hint" id="gio-hint">
            Dạng giờ:phút, ví dụ 07:00. Báo cáo được lập trong vài phút sau giờ này.
          </p>
          {errors.gio && (
            <p class="error" id="gio-error">
              {errors.gio}
            </p>
          )}
          <input
            id="gio"
            name="gio"
            type="time"
            value={form.gio}
            aria-invalid={errors.gio ? 'true' : undefined}
            aria-describedby="gio-hint"
          />
        </div>
        <button type="submit" class="button primary">
          Lập lịch
        </button>
      </form>
    </Layout>
  );
}

const STATUS_LABEL: Record<SnapshotSummary['status'], string> = {
  running: 'Đang lập',
  done: 'Đã lập',
  failed: 'Lỗi',
};

function RunRow({ schedule, run }: { schedule: ScheduleRow; run: SnapshotSummary }) {
  const base = snapshotPath(schedule.id, run.id);
  return (
    <tr>
      <th scope="row">
        {run.status === 'done' ? (
          <a href={base}>{vietnamTime(run.dueAt)}</a>
        ) : (
          <time datetime={run.dueAt}>{vietnamTime(run.dueAt)}</time>
        )}
      </th>
      <td>
        {STATUS_LABEL[run.status]}
        {run.status === 'running' && run.error && ` (lần trước lỗi, sẽ thử lại: ${run.error})`}
        {run.status === 'failed' && run.error && `: ${run.error}`}
      </td>
      <td>{run.finishedAt ? vietnamTime(run.finishedAt) : '—'}</td>
      <td>
        {run.status === 'done' ? (
          <>
            <a href={base}>Xem số liệu</a>
            {run.xlsxFile && (
              <>
                {' · '}
                <a href={`${base}/bao-cao.xlsx`}>Excel (.xlsx)</a>
              </>
            )}
            {run.pdfFile && (
              <>
                {' · '}
                <a href={`${base}/tom-tat.pdf`}>PDF</a>
              </>
            )}
          </>
        ) : (
          '—'
        )}
      </td>
    </tr>
  );
}

/** A schedule: what and when, what may be done with it, and its runs, newest first. */
export function SchedulePage(props: {
  shell: Shell;
  schedule: ScheduleRow;
  unit: Unit;
  subject: string;
  creator: string;
  canManage: boolean;
  runs: SnapshotSummary[];
  page: number;
  pages: number;
  total: number;
  done?: string;
}) {
  const { shell, schedule, unit, subject, creator, canManage, runs, page, pages, total, done } = props;
  const live = !schedule.removedAt;
  return (
    <Layout shell={shell} title={`Báo cáo định kỳ: ${schedule.name}`}>
      <p class="crumbs">
        <a href={SCHEDULES_PATH}>Báo cáo định kỳ</a>
      </p>
      <h1>{schedule.name}</h1>
      {done && DONE_MESSAGES[done] && (
        <p class="notice" role="status">
          {DONE_MESSAGES[done]}
        </p>
      )}
      <dl class="facts">
        <dt>Đơn vị</dt>
        <dd>
          <a href={dashboardHref(unit.id)}>{unit.fullName}</a> (gồm cả các đơn vị trực thuộc)
        </dd>
        <dt>Khóa học hoặc chương trình</dt>
        <dd>{subject}</dd>
        <dt>Khối</dt>
        <dd>{blockLabel(schedule.block)}</dd>
        <dt>Lịch lập (giờ Việt Nam)</dt>
        <dd>{recurrenceText(recurrenceOf(schedule))}</dd>
        <dt>Trạng thái</dt>
        <dd>{stateOf(schedule)}</dd>
        {live && !schedule.pausedAt && (
          <>
            <dt>Lần lập tới</dt>
            <dd>
              <time datetime={schedule.nextRunAt}>{vietnamTime(schedule.nextRunAt)}</time>
            </dd>
          </>
        )}
        <dt>Người lập lịch</dt>
        <dd>
          {creator}, lúc {vietnamTime(schedule.createdAt)}
        </dd>
      </dl>
      {canManage && live && (
        <div class="actions">
          <form method="post" action={`${schedulePath(schedule.id)}/tam-dung`} class="inline">
            <CsrfField shell={shell} />
            <input type="hidden" name="trang-thai" value={schedule.pausedAt ? 'tiep-tuc' : 'tam-dung'} />
            <button type="submit" class="button">
              {schedule.pausedAt ? 'Cho chạy tiếp' : 'Tạm dừng'}
            </button>
          </form>{' '}
          <a class="button danger" href={`${schedulePath(schedule.id)}/xoa`}>
            Xóa lịch
          </a>
        </div>
      )}
      <section>
        <h2>Các lần lập ({number(total)})</h2>
        {runs.length === 0 ? (
          <p>Chưa lập lần nào.</p>
        ) : (
          <div class="table-scroll">
            <table class="data">
              <caption>Các lần lập, mới nhất trước; số liệu mỗi lần được lưu lại và không thay đổi.</caption>
              <thead>
                <tr>
                  <th scope="col">Kỳ báo cáo</th>
                  <th scope="col">Trạng thái</th>
                  <th scope="col">Lập xong lúc</th>
                  <th scope="col">Xem và tải về</th>
                </tr>
              </thead>
              <tbody>
                {runs.map((run) => (
                  <RunRow key={run.id} schedule={schedule} run={run} />
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Pager
          page={page}
          hasNext={page < pages}
          href={(n) => `${schedulePath(schedule.id)}?trang=${n}`}
          label="Các trang lần lập"
          previousText="← Mới hơn"
          nextText="Cũ hơn →"
        />
      </section>
    </Layout>
  );
}

/** The confirmation step before a schedule is removed, saying what happens to its snapshots. */
export function RemoveSchedulePage(props: { shell: Shell; schedule: ScheduleRow; snapshots: number }) {
  const { shell, schedule, snapshots } = props;
  return (
    <Layout shell={shell} title="Xóa lịch báo cáo">
      <p class="crumbs">
        <a href={SCHEDULES_PATH}>Báo cáo định kỳ</a> › <a href={schedulePath(schedule.id)}>{schedule.name}</a>
      </p>
      <h1>Xóa lịch báo cáo</h1>
      {schedule.removedAt ? (
        <p class="notice">Lịch này đã được xóa trước đó.</p>
      ) : (
        <form method="post" action={`${schedulePath(schedule.id)}/xoa`}>
          <CsrfField shell={shell} />
          <input type="hidden" name="xac-nhan" value="co" />
          <p>
            Xóa lịch <strong>“{schedule.name}”</strong>? Lịch sẽ không lập báo cáo nữa và không thể cho chạy
            lại.{' '}
            {snapshots > 0
              ? `${number(snapshots)} lần lập đã có vẫn được giữ nguyên, xem và tải về được tại trang của lịch; trong danh sách, lịch nằm ở mục “Lịch đã xóa”.`
              : 'Lịch chưa lập lần nào.'}
          </p>
          <button type="submit" class="button danger">
            Xóa lịch
          </button>{' '}
          <a class="button" href={schedulePath(schedule.id)}>
            Không, quay lại
          </a>
        </form>
      )}
    </Layout>
  );
}

function FigureCells({ f, r }: { f: Figures; r: Rates }) {
  return (
    <>
      <td>{number(f.people)}</td>
      <td>{number(f.assigned)}</td>
      <td>{number(f.started)}</td>
      <td>{rate(r.started)}</td>
      <td>{number(f.completed)}</td>
      <td>{rate(r.completed)}</td>
      <td>{number(f.overdue)}</td>
      <td>{number(f.qualified)}</td>
      <td>{rate(r.qualified)}</td>
      <td>{r.averageScore === null ? '—' : r.averageScore.toLocaleString('vi-VN')}</td>
      <td>{rate(r.passRate)}</td>
    </>
  );
}

const FIGURE_HEADS = [
  'Người trong danh sách',
  'Được giao',
  'Đã bắt đầu',
  'Tỉ lệ bắt đầu',
  'Đã hoàn thành',
  'Tỉ lệ hoàn thành',
  'Quá hạn',
  'Đạt yêu cầu',
  'Tỉ lệ đạt yêu cầu',
  'Điểm TB cao nhất',
  'Tỉ lệ đạt bài',
];

function FigureTable(props: {
  caption: string;
  first: string;
  rows: { key: string; name: string; figures: Figures; rates: Rates }[];
}) {
  return (
    <div class="table-scroll">
      <table class="data">
        <caption>{props.caption}</caption>
        <thead>
          <tr>
            <th scope="col">{props.first}</th>
            {FIGURE_HEADS.map((h) => (
              <th key={h} scope="col">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {props.rows.map((row) => (
            <tr key={row.key}>
              <th scope="row">{row.name}</th>
              <FigureCells f={row.figures} r={row.rates} />
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** A snapshot's stored figures, as they were when it ran: never read again from the statistics. */
export function SnapshotPage(props: {
  shell: Shell;
  schedule: ScheduleRow;
  snapshot: SnapshotRow;
  dashboard: Dashboard;
}) {
  const { shell, schedule, snapshot, dashboard: d } = props;
  const base = snapshotPath(schedule.id, snapshot.id);
  const f = d.figures;
  const r = d.rates;
  const key: [string, string][] = [
    ['Người trong danh sách', number(f.people)],
    ['Được giao học bắt buộc', number(f.assigned)],
    ['Đã bắt đầu học', `${number(f.started)} (${rate(r.started)})`],
    ['Đã hoàn thành', `${number(f.completed)} (${rate(r.completed)})`],
    ['Quá hạn', `${number(f.overdue)} (${rate(r.overdue)})`],
    ['Đạt yêu cầu (còn hiệu lực)', `${number(f.qualified)} (${rate(r.qualified)})`],
    ['Bài kiểm tra đã làm', number(f.quizzes)],
    ['Bài kiểm tra đã đạt', `${number(f.passes)} (${rate(r.passRate)})`],
    [
      'Điểm trung bình (điểm cao nhất mỗi bài)',
      r.averageScore === null ? '—' : `${r.averageScore.toLocaleString('vi-VN')}/100`,
    ],
  ];
  return (
    <Layout shell={shell} title={`${schedule.name}: kỳ ${vietnamTime(snapshot.dueAt)}`}>
      <p class="crumbs">
        <a href={SCHEDULES_PATH}>Báo cáo định kỳ</a> › <a href={schedulePath(schedule.id)}>{schedule.name}</a>
      </p>
      <h1>
        {schedule.name}: {d.unit.fullName}
      </h1>
      <p class="meta">
        Kỳ {vietnamTime(snapshot.dueAt)} · {d.subjectTitle} · {blockLabel(d.filters.block)} · số liệu tính đến
        ngày {vietnamDay(d.today)}
      </p>
      <p class="notice">
        Số liệu đã lưu lúc {snapshot.finishedAt ? vietnamTime(snapshot.finishedAt) : '—'} và không thay đổi về
        sau. Số liệu hiện nay: <a href={dashboardHref(d.unit.id)}>tổng quan học tập của đơn vị</a>.
      </p>
      <ul class="plain actions">
        {snapshot.xlsxFile && (
          <li>
            <a href={`${base}/bao-cao.xlsx`}>Tải bảng số liệu (Excel, .xlsx)</a>
          </li>
        )}
        {snapshot.pdfFile && (
          <li>
            <a href={`${base}/tom-tat.pdf`}>Tải báo cáo tóm tắt (PDF)</a>
          </li>
        )}
      </ul>
      <h2>Số liệu chính</h2>
      <dl class="facts">
        {key.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <h2>{SECTION.block}</h2>
      <FigureTable
        caption="Số liệu theo khối (không theo bộ lọc khối)"
        first="Khối"
        rows={d.byBlock.map((b) => ({ key: b.block, name: blockLabel(b.block), ...b }))}
      />
      <h2>{SECTION.child}</h2>
      {d.children.length === 0 ? (
        <p>Đơn vị này không có đơn vị trực thuộc.</p>
      ) : (
        <FigureTable
          caption={`Các đơn vị trực thuộc (${d.children.length})`}
          first="Đơn vị"
          rows={d.children.map((c) => ({ key: c.unitId, name: c.name, figures: c.figures, rates: c.rates }))}
        />
      )}
      {d.targets.length > 0 && (
        <>
          <h2>Tiến độ so với chỉ tiêu năm {d.targets[0]?.year}</h2>
          <ul>
            {d.targets.map((t) => (
              <li key={`${t.block}:${t.metric}`}>
                {blockLabel(t.block)} {TARGET_TEXT[t.metric]}: cần {t.percent}%, đạt {rate(t.actual)} (
                {number(t.reached)}/{number(t.people)}) — {t.attained ? 'đã đạt' : 'chưa đạt'}
              </li>
            ))}
          </ul>
        </>
      )}
    </Layout>
  );
}
