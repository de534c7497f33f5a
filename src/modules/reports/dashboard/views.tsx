import { vietnamDay } from '../../../web/format.js';
import { ChoiceSelect } from '../../../web/forms.js';
import { Layout, type Shell } from '../../../web/page.js';
import type { ClassFigures } from '../../classes/classReports.js';
import { ClassSection } from '../../classes/dashboardSection.js';
import { CommunitySection } from '../../community/dashboardSection.js';
import type { CommunitySummary } from '../../community/figures.js';
import { describePeriod } from '../../community/periodForm.js';
import { BLOCKS } from '../../identity/blocks.js';
import { ANY } from '../stats/facts.js';
import type { ChildRow, Dashboard, Figures, Rates, TargetMetric } from './figures.js';
import { filterQuery } from './filterForm.js';
import type { Drill } from './people.js';

export const dashboardHref = (unitId: string) => `/bao-cao/don-vi/${unitId}/tong-quan`;
export const drillHref = (unitId: string, drill: Drill) => `/bao-cao/don-vi/${unitId}/danh-sach/${drill}`;

const number = (n: number) => n.toLocaleString('vi-VN');
const rate = (r: number | null) => (r === null ? '—' : `${r.toLocaleString('vi-VN')}%`);
export const blockName = (code: string) => BLOCKS[code as keyof typeof BLOCKS] ?? code;

export const TARGET_LABELS: Record<TargetMetric, string> = {
  started: 'bắt đầu học',
  completed: 'hoàn thành ít nhất một khóa học',
  qualified: 'đạt yêu cầu Bình dân học vụ số',
};

/** Columns of the child-unit table, each sortable: what it shows and how it reads a row. */
export const CHILD_COLUMNS = {
  'nguoi-hoc': { label: 'Người trong danh sách', value: (r: ChildRow) => r.figures.people },
  'duoc-giao': { label: 'Được giao', value: (r: ChildRow) => r.figures.assigned },
  'bat-dau': { label: 'Đã bắt đầu', value: (r: ChildRow) => r.figures.started },
  'ti-le-bat-dau': { label: 'Tỉ lệ bắt đầu', value: (r: ChildRow) => r.rates.started },
  'hoan-thanh': { label: 'Đã hoàn thành', value: (r: ChildRow) => r.figures.completed },
  'ti-le-hoan-thanh': { label: 'Tỉ lệ hoàn thành', value: (r: ChildRow) => r.rates.completed },
  'qua-han': { label: 'Quá hạn', value: (r: ChildRow) => r.figures.overdue },
  'dat-yeu-cau': { label: 'Đạt yêu cầu', value: (r: ChildRow) => r.figures.qualified },
  'ti-le-dat-yeu-cau': { label: 'Tỉ lệ đạt yêu cầu', value: (r: ChildRow) => r.rates.qualified },
  'diem-tb': { label: 'Điểm TB cao nhất', value: (r: ChildRow) => r.rates.averageScore },
  'ti-le-dat-bai': { label: 'Tỉ lệ đạt bài', value: (r: ChildRow) => r.rates.passRate },
} as const;
export type ChildColumn = keyof typeof CHILD_COLUMNS;
export const isChildColumn = (v: string): v is ChildColumn => v in CHILD_COLUMNS;

export interface Sort {
  column: ChildColumn | 'ten';
  descending: boolean;
}

/** Children in the chosen order; rows without a value (no one to divide by) go last. */
export function sortChildren(rows: ChildRow[], sort: Sort): ChildRow[] {
  const sign = sort.descending ? -1 : 1;
  if (sort.column === 'ten') return [...rows].sort((a, b) => sign * a.name.localeCompare(b.name, 'vi'));
  const value = CHILD_COLUMNS[sort.column].value;
  return [...rows].sort((a, b) => {
    const x = value(a);
    const y = value(b);
    if (x === null || y === null) return x === y ? a.name.localeCompare(b.name, 'vi') : x === null ? 1 : -1;
    return sign * (x - y) || a.name.localeCompare(b.name, 'vi');
  });
}

function FilterForm(props: {
  dashboard: Dashboard;
  subjects: { id: string; title: string; kind: 'course' | 'program' }[];
  errors: Record<string, string>;
}) {
  const { dashboard, subjects, errors } = props;
  const { filters } = dashboard;
  return (
    <form method="get" action={dashboardHref(dashboard.unit.id)} class="no-print filters">
      <ChoiceSelect
        name="mon"
        label="Khóa học hoặc chương trình"
        empty="Mọi khóa học và chương trình"
        choices={Object.fromEntries(
          subjects.map((s) => [
            s.id,
            s.kind === 'program' ? `Chương trình: ${s.title}` : `Khóa học: ${s.title}`,
          ]),
        )}
        value={filters.subject === ANY ? '' : filters.subject}
        error={errors.mon}
      />
      <ChoiceSelect
        name="khoi"
        label="Khối"
        empty="Mọi khối"
        choices={BLOCKS}
        value={filters.block}
        error={errors.khoi}
      />
      {(['tu', 'den'] as const).map((name) => (
        <div key={name} class={errors[name] ? 'field has-error' : 'field'}>
          <label for={name}>{name === 'tu' ? 'Bắt đầu/hoàn thành từ ngày' : 'Đến ngày'}</label>
          {errors[name] && <p class="error">{errors[name]}</p>}
          <input id={name} name={name} type="date" value={name === 'tu' ? filters.from : filters.to} />
        </div>
      ))}
      <button type="submit">Xem</button>
    </form>
  );
}

/** A figure that opens the list of people behind it. */
function Linked(props: { unitId: string; drill: Drill; query: string; value: number }) {
  return <a href={`${drillHref(props.unitId, props.drill)}${props.query}`}>{number(props.value)}</a>;
}

function KeyFigures({ d, query }: { d: Dashboard; query: string }) {
  const { figures: f, rates: r } = d;
  const id = d.unit.id;
  const items: [string, Drill | null, number, string | null][] = [
    ['Người trong danh sách', 'nguoi-hoc', f.people, null],
    ['Được giao học bắt buộc', 'duoc-giao', f.assigned, null],
    ['Đã bắt đầu học', 'bat-dau', f.started, rate(r.started)],
    ['Đã hoàn thành', 'hoan-thanh', f.completed, rate(r.completed)],
    ['Quá hạn', 'qua-han', f.overdue, rate(r.overdue)],
    ['Đạt yêu cầu (còn hiệu lực)', 'dat-yeu-cau', f.qualified, rate(r.qualified)],
    ['Bài kiểm tra đã làm', 'lam-bai', f.quizzes, null],
    ['Bài kiểm tra đã đạt', 'dat-bai', f.passes, rate(r.passRate)],
  ];
  return (
    <dl class="figures">
      {items.map(([label, drill, value, share]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>
            {drill ? <Linked unitId={id} drill={drill} query={query} value={value} /> : number(value)}
            {share && <span class="share"> ({share})</span>}
          </dd>
        </div>
      ))}
      <div>
        <dt>Điểm trung bình (điểm cao nhất mỗi bài)</dt>
        <dd>{r.averageScore === null ? '—' : `${r.averageScore.toLocaleString('vi-VN')}/100`}</dd>
      </div>
    </dl>
  );
}

function RateCells({ f, r, unitId, query }: { f: Figures; r: Rates; unitId: string; query: string }) {
  return (
    <>
      <td>
        <Linked unitId={unitId} drill="nguoi-hoc" query={query} value={f.people} />
      </td>
      <td>
        <Linked unitId={unitId} drill="duoc-giao" query={query} value={f.assigned} />
      </td>
      <td>
        <Linked unitId={unitId} drill="bat-dau" query={query} value={f.started} />
      </td>
      <td>{rate(r.started)}</td>
      <td>
        <Linked unitId={unitId} drill="hoan-thanh" query={query} value={f.completed} />
      </td>
      <td>{rate(r.completed)}</td>
      <td>
        <Linked unitId={unitId} drill="qua-han" query={query} value={f.overdue} />
      </td>
      <td>
        <Linked unitId={unitId} drill="dat-yeu-cau" query={query} value={f.qualified} />
      </td>
      <td>{rate(r.qualified)}</td>
      <td>{r.averageScore === null ? '—' : r.averageScore.toLocaleString('vi-VN')}</td>
      <td>{rate(r.passRate)}</td>
    </>
  );
}

function ChildTable(props: { d: Dashboard; sort: Sort; query: string }) {
  const { d, sort, query } = props;
  const rows = sortChildren(d.children, sort);
  const base = dashboardHref(d.unit.id);
  const sortLink = (column: ChildColumn | 'ten') => {
    const descending = sort.column === column ? !sort.descending : column !== 'ten';
    return `${base}${filterQuery(d.filters, { 'sap-xep': column, chieu: descending ? 'giam' : 'tang' })}#don-vi-con`;
  };
  const ariaSort = (column: ChildColumn | 'ten') =>
    sort.column === column ? (sort.descending ? 'descending' : 'ascending') : undefined;
  return (
    <div class="table-scroll">
      <table class="data" id="don-vi-con">
        <caption>
          Các đơn vị trực thuộc ({rows.length}) — bấm tiêu đề cột để sắp xếp; mặc định đơn vị có tỉ lệ hoàn
          thành thấp nhất lên đầu.
        </caption>
        <thead>
          <tr>
            <th scope="col" aria-sort={ariaSort('ten')}>
              <a href={sortLink('ten')}>Đơn vị</a>
            </th>
            {(Object.keys(CHILD_COLUMNS) as ChildColumn[]).map((column) => (
              <th key={column} scope="col" aria-sort={ariaSort(column)}>
                <a href={sortLink(column)}>{CHILD_COLUMNS[column].label}</a>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.unitId}>
              <th scope="row">
                <a href={`${dashboardHref(row.unitId)}${query}`}>{row.name}</a>
              </th>
              <RateCells f={row.figures} r={row.rates} unitId={row.unitId} query={query} />
            </tr>
          ))}
          {rows.length === 0 && (
            <tr>
              <td colSpan={12}>Đơn vị này không có đơn vị trực thuộc.</td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}

function Targets({ d }: { d: Dashboard }) {
  if (d.targets.length === 0)
    return <p>Chưa đặt chỉ tiêu cho năm này. Quản trị viên đặt chỉ tiêu tại trang Chỉ tiêu.</p>;
  return (
    <table class="data">
      <caption>Chỉ tiêu năm {d.targets[0]?.year}</caption>
      <thead>
        <tr>
          <th scope="col">Chỉ tiêu</th>
          <th scope="col">Cần đạt</th>
          <th scope="col">Hiện đạt</th>
          <th scope="col">Số người</th>
          <th scope="col">Đánh giá</th>
        </tr>
      </thead>
      <tbody>
        {d.targets.map((t) => (
          <tr key={`${t.block}:${t.metric}`}>
            <th scope="row">
              {blockName(t.block)}: {TARGET_LABELS[t.metric]}
            </th>
            <td>{t.percent}%</td>
            <td>{rate(t.actual)}</td>
            <td>
              {number(t.reached)}/{number(t.people)}
            </td>
            <td>{t.attained ? 'Đã đạt' : 'Chưa đạt'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SeriesTable({ d }: { d: Dashboard }) {
  const days = d.series.filter((p) => p.started > 0 || p.completed > 0);
  return (
    <details>
      <summary>Số liệu theo ngày (bảng)</summary>
      <table class="data">
        <caption>Lượt bắt đầu và hoàn thành theo ngày (chỉ những ngày có số liệu)</caption>
        <thead>
          <tr>
            <th scope="col">Ngày</th>
            <th scope="col">Bắt đầu</th>
            <th scope="col">Hoàn thành</th>
          </tr>
        </thead>
        <tbody>
          {days.map((p) => (
            <tr key={p.day}>
              <th scope="row">{vietnamDay(p.day)}</th>
              <td>{number(p.started)}</td>
              <td>{number(p.completed)}</td>
            </tr>
          ))}
          {days.length === 0 && (
            <tr>
              <td colSpan={3}>Chưa có ai bắt đầu hay hoàn thành trong khoảng này.</td>
            </tr>
          )}
        </tbody>
      </table>
    </details>
  );
}

function seriesSummary(d: Dashboard): string {
  const started = d.series.reduce((n, p) => n + p.started, 0);
  const completed = d.series.reduce((n, p) => n + p.completed, 0);
  const first = d.series[0]?.day;
  const last = d.series.at(-1)?.day;
  if (!first || !last) return 'Không có số liệu theo ngày.';
  return `Từ ${vietnamDay(first)} đến ${vietnamDay(last)}: ${number(started)} lượt bắt đầu, ${number(completed)} lượt hoàn thành.`;
}

/** A unit's monitoring dashboard: figures, targets, series, blocks and child units. */
const NO_CLASSES: ClassFigures = { sessions: 0, attendances: 0, walkIns: 0, paperPassed: 0 };

export function DashboardPage(props: {
  shell: Shell;
  dashboard: Dashboard;
  trail: { id: string; fullName: string }[];
  subjects: { id: string; title: string; kind: 'course' | 'program' }[];
  errors: Record<string, string>;
  sort: Sort;
  /** The unit's community digital technology teams over the dashboard's period. */
  community?: CommunitySummary;
  /** In-person classes held in the unit's subtree (and each child's) over the dashboard's period. */
  classes?: Map<string, ClassFigures>;
}) {
  const { shell, dashboard: d, trail, subjects, errors, sort, community, classes } = props;
  const query = filterQuery(d.filters);
  const base = `/bao-cao/don-vi/${d.unit.id}`;
  const period =
    d.filters.from || d.filters.to
      ? `Bắt đầu và hoàn thành ${d.filters.from ? `từ ${vietnamDay(d.filters.from)} ` : ''}đến ${vietnamDay(d.filters.to || d.today)}`
      : `Tính đến ngày ${vietnamDay(d.today)}`;
  return (
    <Layout shell={shell} title={`Tổng quan học tập: ${d.unit.fullName}`}>
      <p class="crumbs">
        {trail.map((u, i) => (
          <span key={u.id}>
            {i > 0 && ' › '}
            <a href={`${dashboardHref(u.id)}${query}`}>{u.fullName}</a>
          </span>
        ))}
      </p>
      <h1>Tổng quan học tập: {d.unit.fullName}</h1>
      <p class="meta">
        {d.subjectTitle} · {d.filters.block ? blockName(d.filters.block) : 'Mọi khối'} · {period}
      </p>
      <FilterForm dashboard={d} subjects={subjects} errors={errors} />
      <h2>Số liệu chính</h2>
      <KeyFigures d={d} query={query} />
      <p class="hint">
        {d.rateBase === 'assigned'
          ? 'Tỉ lệ tính trên số người được giao học. '
          : 'Tỉ lệ tính trên số người trong danh sách. '}
        Mỗi con số mở danh sách người tương ứng.
        {d.filters.subject === ANY && ' Với "mọi khóa học", số được giao và quá hạn tính theo lượt giao.'}
      </p>
      <h2>Tiến độ so với chỉ tiêu</h2>
      <Targets d={d} />
      <p class="no-print">
        <a href="/bao-cao/chi-tieu">Các chỉ tiêu đã đặt</a> · <a href="/bao-cao/lich">Các lịch gửi báo cáo</a>
      </p>
      <figure class="chart">
        <img
          src={`${base}/bieu-do/chi-tieu.svg${query}`}
          alt={`Biểu đồ chỉ tiêu: ${d.targets.map((t) => `${blockName(t.block)} ${TARGET_LABELS[t.metric]} đạt ${rate(t.actual)}, cần ${t.percent}%`).join('; ') || 'chưa có chỉ tiêu'}.`}
        />
      </figure>
      <h2>Diễn biến theo ngày</h2>
      <figure class="chart">
        <img src={`${base}/bieu-do/theo-ngay.svg${query}`} alt={seriesSummary(d)} />
        <figcaption>{seriesSummary(d)}</figcaption>
      </figure>
      <SeriesTable d={d} />
      <h2>Theo khối</h2>
      <div class="table-scroll">
        <table class="data">
          <caption>Số liệu theo khối (không theo bộ lọc khối)</caption>
          <thead>
            <tr>
              <th scope="col">Khối</th>
              {(Object.keys(CHILD_COLUMNS) as ChildColumn[]).map((c) => (
                <th key={c} scope="col">
                  {CHILD_COLUMNS[c].label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {d.byBlock.map((b) => (
              <tr key={b.block}>
                <th scope="row">{blockName(b.block)}</th>
                <RateCells
                  f={b.figures}
                  r={b.rates}
                  unitId={d.unit.id}
                  query={filterQuery({ ...d.filters, block: b.block })}
                />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2>Các đơn vị trực thuộc</h2>
      {d.children.length > 0 && (
        <figure class="chart">
          <img
            src={`${base}/bieu-do/don-vi-con.svg${filterQuery(d.filters, { 'chi-so': 'completed' })}`}
            alt={`Tỉ lệ hoàn thành của ${d.children.length} đơn vị trực thuộc; số liệu đầy đủ trong bảng dưới.`}
          />
        </figure>
      )}
      <ChildTable d={d} sort={sort} query={query} />
      {community && (
        <CommunitySection
          summary={community}
          unitId={d.unit.id}
          children={d.children.map((c) => ({ unitId: c.unitId, name: c.name }))}
        />
      )}
      {classes && (
        <ClassSection
          figures={classes.get(d.unit.id) ?? NO_CLASSES}
          periodLabel={describePeriod(d.filters)}
          children={d.children.map((c) => ({
            unitId: c.unitId,
            name: c.name,
            figures: classes.get(c.unitId) ?? NO_CLASSES,
          }))}
        />
      )}
      <ul class="plain actions no-print">
        <li>
          Tải bảng đơn vị trực thuộc: <a href={`${base}/tong-quan/don-vi-con.xlsx${query}`}>Excel (.xlsx)</a>{' '}
          · <a href={`${base}/tong-quan/don-vi-con.csv${query}`}>CSV</a>
        </li>
        <li>
          <a href={`${base}/tom-tat.pdf${query}`}>Báo cáo tóm tắt (PDF) để gửi cấp ủy</a>
        </li>
        <li>
          <a href={base}>Báo cáo theo ngày và theo cơ cấu trước sáp nhập</a>
        </li>
        <li>
          <a
            href={`/bao-cao/lich/moi${filterQuery({ ...d.filters, from: '', to: '' }, { 'don-vi': d.unit.id })}`}
          >
            Lập lịch gửi báo cáo này định kỳ
          </a>
        </li>
        <li>
          <a href={`${base}/dau-hieu`}>Dấu hiệu bất thường cần xem xét</a>
        </li>
      </ul>
    </Layout>
  );
}
