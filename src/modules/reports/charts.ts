/**
 * The dashboard's charts, drawn on the server by echarts as SVG text: served as `image/svg+xml`
 * and shown with `<img>` on the pages (inline SVG would break under the CSP), and drawn as vectors
 * into the PDF summary. Every chart comes with a sentence saying what it shows, for the `alt` text
 * and for readers who cannot see it; the pages also give the numbers as a table.
 */
import { BarChart, LineChart, ScatterChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TitleComponent } from 'echarts/components';
import { type EChartsCoreOption, init, setPlatformAPI, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { cleanText } from '../../text/vietnamese.js';
import { BLOCKS } from '../identity/blocks.js';
import type { ChildRow, SeriesPoint, TargetMetric, TargetProgress } from './dashboard/figures.js';

use([
  BarChart,
  LineChart,
  ScatterChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  SVGRenderer,
]);

/** A chart as SVG text and a sentence saying what it shows. */
export interface Chart {
  svg: string;
  summary: string;
}

export interface ChartOptions {
  /** Width in CSS pixels; the default suits a phone screen and is scaled to fit a printed page. */
  width?: number;
  /** A title drawn in the chart; off when the page or document gives its own heading. */
  title?: boolean;
}

export interface SeriesChartOptions extends ChartOptions {
  /** Height in CSS pixels; by default about two thirds of the width. */
  height?: number;
}

/** The rates child units can be compared on. */
export const CHILD_RATES = ['started', 'completed', 'qualified', 'overdue'] as const;
export type ChildRate = (typeof CHILD_RATES)[number];

export const isChildRate = (value: string): value is ChildRate =>
  (CHILD_RATES as readonly string[]).includes(value);

export const RATE_LABELS: Record<ChildRate, string> = {
  started: 'Tỉ lệ bắt đầu học',
  completed: 'Tỉ lệ hoàn thành',
  qualified: 'Tỉ lệ đạt yêu cầu',
  overdue: 'Tỉ lệ quá hạn',
};

const METRIC_LABELS: Record<TargetMetric, string> = {
  started: 'bắt đầu học',
  completed: 'hoàn thành',
  qualified: 'đạt yêu cầu',
};

/** The name of a block, or of every block for '' (a tenant-wide target). */
export const blockName = (block: string): string =>
  block === '' ? 'Mọi khối' : (BLOCKS[block as keyof typeof BLOCKS] ?? block);

/**
 * Okabe–Ito colours, told apart with the common colour-vision deficiencies; lines also differ in
 * dash and marker, so the charts still read in grey print.
 */
export const PALETTE = {
  blue: '#0072B2',
  vermillion: '#D55E00',
  green: '#009E73',
  orange: '#E69F00',
  ink: '#262626',
  muted: '#5c5c5c',
  grid: '#d9d9d9',
} as const;

const FONT_FAMILY = 'Be Vietnam Pro, Noto Sans, Segoe UI, Arial, sans-serif';
const DEFAULT_WIDTH = 400;
const FONT_SIZE = 13;

const numberFormat = new Intl.NumberFormat('vi-VN');
const percentFormat = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 1 });

/** 1234 → "1.234", as Vietnamese readers write it. */
export const formatCount = (n: number): string => numberFormat.format(n);
/** 45.3 → "45,3%"; no base → "–". */
export const formatPercent = (p: number | null): string => (p === null ? '–' : `${percentFormat.format(p)}%`);
/** `YYYY-MM-DD` → "01/07/2025". */
export const formatDay = (day: string): string => day.split('-').reverse().join('/');
const shortDay = (day: string): string => day.slice(5).split('-').reverse().join('/');

/**
 * Text widths from letters without their marks: echarts on the server has no canvas to measure
 * with and counts every letter outside ASCII as a full em, which would give "Đại Hiệp" twice the
 * room it takes. The widths are rough averages of sans-serif faces, a little generous.
 */
function measureText(text: string, font?: string): { width: number } {
  const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
  const bold = /bold|[6-9]00/.test(font ?? '');
  const plain = text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D');
  let ems = 0;
  for (const char of plain) {
    // A wide letter: zrender also takes one to stand for the line height.
    if (char >= '\u2e80') ems += 1;
    else if (/[iljIf.,:;!|'’ ]/.test(char)) ems += 0.3;
    else if (/[rt()[\]\-–/]/.test(char)) ems += 0.38;
    else if (/[mwMW%]/.test(char)) ems += 0.9;
    else if (/[A-Z]/.test(char)) ems += 0.7;
    else if (/[0-9]/.test(char)) ems += 0.58;
    else ems += 0.57;
  }
  return { width: ems * size * (bold ? 1.08 : 1) };
}
setPlatformAPI({ measureText });

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The style properties echarts writes that SVG also takes as attributes. */
const PRESENTATION = new Set([
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-opacity',
  'stroke-dasharray',
  'opacity',
  'font-size',
  'font-family',
  'font-weight',
  'font-style',
  'text-anchor',
  'dominant-baseline',
]);

/**
 * Makes echarts' SVG safe under a strict CSP and plain for PDF drawing: `style=""` becomes
 * presentation attributes, the `<style>` block (hover effects only) and echarts' own bookkeeping
 * attributes go, and the summary becomes the SVG's title and label.
 */
function tidy(svg: string, summary: string): string {
  const label = escapeXml(summary);
  return svg
    .normalize('NFC')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/g, '')
    .replace(/ ecmeta_[a-z_]+="[^"]*"/g, '')
    .replace(/ class="zr\d+-cls-\d+"/g, '')
    .replace(/ style="([^"]*)"/g, (_, style: string) =>
      style
        .split(';')
        .map((rule) => {
          const at = rule.indexOf(':');
          const name = rule.slice(0, at).trim();
          const value = rule.slice(at + 1).trim();
          return at > 0 && PRESENTATION.has(name) && value !== '' ? ` ${name}="${value}"` : '';
        })
        .join(''),
    )
    .replace(/<svg\b([^>]*)>/, `<svg$1 role="img" aria-label="${label}"><title>${label}</title>`);
}

/** Draws an option once, on the server, and lets the chart go. */
function render(option: EChartsCoreOption, width: number, height: number, summary: string): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: PALETTE.ink },
      ...option,
    });
    return tidy(chart.renderToSVGString(), summary.normalize('NFC'));
  } finally {
    chart.dispose();
  }
}

const titleOf = (text: string, options: ChartOptions) =>
  options.title === false
    ? []
    : [{ text, left: 8, top: 6, textStyle: { fontSize: 15, fontWeight: 'bold', color: PALETTE.ink } }];

/** A chart with nothing to draw says so, in the chart and in its summary. */
function emptyChart(title: string, message: string, options: ChartOptions): Chart {
  const width = options.width ?? DEFAULT_WIDTH;
  const summary = `${title}: ${message[0]?.toLowerCase()}${message.slice(1)}`;
  const svg = render(
    {
      title: [
        ...titleOf(title, options),
        {
          text: message,
          left: 'center',
          top: 'middle',
          textStyle: { fontSize: 14, fontWeight: 'normal', color: PALETTE.muted },
        },
      ],
    },
    width,
    140,
    summary,
  );
  return { svg, summary };
}

const axisText = { color: PALETTE.ink, fontSize: 12 };

// ---------------------------------------------------------------------------------------------
// (a) Starts and completions per day

const SERIES_TITLE = 'Người bắt đầu học và hoàn thành theo ngày';

/** The day with the most (or fewest) of a count: the first such day. */
function extreme(points: SeriesPoint[], key: 'started' | 'completed', most: boolean): SeriesPoint {
  return points.reduce((best, p) => ((most ? p[key] > best[key] : p[key] < best[key]) ? p : best));
}

/** The sentence under the daily chart: totals, and the busiest and quietest days of each count. */
export function seriesSummary(points: SeriesPoint[]): string {
  if (points.length === 0) return `${SERIES_TITLE}: chưa có dữ liệu trong khoảng thời gian này.`;
  const first = points[0] as SeriesPoint;
  const last = points[points.length - 1] as SeriesPoint;
  const part = (key: 'started' | 'completed', label: string) => {
    const total = points.reduce((sum, p) => sum + p[key], 0);
    if (total === 0) return `${label}: chưa có ai`;
    const high = extreme(points, key, true);
    const low = extreme(points, key, false);
    return (
      `${label}: tổng ${formatCount(total)} người, nhiều nhất ${formatCount(high[key])} ` +
      `ngày ${formatDay(high.day)}, ít nhất ${formatCount(low[key])} ngày ${formatDay(low.day)}`
    );
  };
  return (
    `Từ ${formatDay(first.day)} đến ${formatDay(last.day)} (${points.length} ngày). ` +
    `${part('started', 'Bắt đầu học')}. ${part('completed', 'Hoàn thành')}.`
  );
}

/** Starts and completions per day as two lines: blue solid with dots, vermillion dashed with triangles. */
export function seriesChart(points: SeriesPoint[], options: SeriesChartOptions = {}): Chart {
  if (points.length === 0) {
    return emptyChart(SERIES_TITLE, 'Chưa có dữ liệu trong khoảng thời gian này.', options);
  }
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? Math.round(width * 0.65);
  const titled = options.title !== false;
  const marks = points.length <= 45;
  const summary = seriesSummary(points);
  const line = (name: string, key: 'started' | 'completed', color: string, dash: string, symbol: string) => ({
    type: 'line',
    name,
    data: points.map((p) => p[key]),
    color,
    showSymbol: marks,
    symbol,
    symbolSize: 6,
    lineStyle: { width: 2.5, type: dash, color },
    itemStyle: { color },
  });
  const svg = render(
    {
      title: titleOf(SERIES_TITLE, options),
      legend: {
        top: titled ? 30 : 4,
        left: 'center',
        itemWidth: 28,
        textStyle: { fontSize: 12, color: PALETTE.ink },
        data: ['Bắt đầu học', 'Hoàn thành'],
      },
      grid: { left: 8, right: 16, top: titled ? 66 : 40, bottom: 8, outerBoundsMode: 'same' },
      xAxis: {
        type: 'category',
        boundaryGap: false,
        data: points.map((p) => shortDay(p.day)),
        axisLabel: { ...axisText, hideOverlap: true },
        axisLine: { lineStyle: { color: PALETTE.muted } },
      },
      yAxis: {
        type: 'value',
        minInterval: 1,
        name: 'Số người',
        nameTextStyle: { ...axisText, align: 'left' },
        axisLabel: { ...axisText, formatter: (v: number) => formatCount(v) },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      series: [
        line('Bắt đầu học', 'started', PALETTE.blue, 'solid', 'circle'),
        line('Hoàn thành', 'completed', PALETTE.vermillion, 'dashed', 'triangle'),
      ],
    },
    width,
    height,
    summary,
  );
  return { svg, summary };
}

// ---------------------------------------------------------------------------------------------
// (b) Child units compared on one rate

export interface ChildChartOptions extends ChartOptions {
  /** The unit's own rate, drawn as a dashed line across the bars. */
  overall?: number | null;
  /** At most this many bars: the highest and the lowest, the rest left to the table. */
  limit?: number;
}

/** Children with a rate, highest first (ties in name order), then those without one. */
function ranked(children: ChildRow[], rate: ChildRate) {
  const rows = children.map((c) => ({ name: cleanText(c.name), value: c.rates[rate] }));
  const withRate = rows
    .filter((r): r is { name: string; value: number } => r.value !== null)
    .sort((a, b) => b.value - a.value || a.name.localeCompare(b.name, 'vi'));
  const without = rows.filter((r) => r.value === null).map((r) => r.name);
  return { withRate, without };
}

const childTitle = (rate: ChildRate) => `${RATE_LABELS[rate]} của các đơn vị trực thuộc`;

/** The sentence under the child-unit chart: the highest and lowest unit, and the unit's own rate. */
export function childSummary(children: ChildRow[], rate: ChildRate, overall?: number | null): string {
  const title = childTitle(rate);
  if (children.length === 0) return `${title}: không có đơn vị trực thuộc.`;
  const { withRate, without } = ranked(children, rate);
  const parts: string[] = [];
  const high = withRate[0];
  const low = withRate[withRate.length - 1];
  if (!high || !low) parts.push('chưa đơn vị nào có người để tính tỉ lệ');
  else if (withRate.length === 1) parts.push(`${high.name} ${formatPercent(high.value)}`);
  else {
    parts.push(
      `cao nhất ${high.name} ${formatPercent(high.value)}, thấp nhất ${low.name} ${formatPercent(low.value)}`,
    );
  }
  if (overall !== undefined && overall !== null) parts.push(`toàn đơn vị ${formatPercent(overall)}`);
  let sentence = `${title} (${children.length} đơn vị): ${parts.join('; ')}.`;
  if (without.length > 0 && withRate.length > 0) {
    sentence += ` ${without.length} đơn vị chưa có người để tính tỉ lệ.`;
  }
  return sentence;
}

/** One horizontal bar per child unit, sorted highest first, labelled with its rate. */
export function childChart(children: ChildRow[], rate: ChildRate, options: ChildChartOptions = {}): Chart {
  const title = childTitle(rate);
  if (children.length === 0) return emptyChart(title, 'Không có đơn vị trực thuộc.', options);
  const summary = childSummary(children, rate, options.overall);
  const { withRate, without } = ranked(children, rate);
  let rows: { name: string; value: number | null }[] = [
    ...withRate,
    ...without.map((name) => ({ name, value: null })),
  ];
  const overall = options.overall ?? null;
  const notes: string[] = [];
  if (options.limit && rows.length > options.limit) {
    const top = Math.ceil(options.limit / 2);
    const bottom = options.limit - top;
    notes.push(`${top} đơn vị cao nhất và ${bottom} thấp nhất trong ${rows.length} đơn vị.`);
    rows = [...rows.slice(0, top), ...rows.slice(rows.length - bottom)];
  }
  if (overall !== null) notes.push(`Đường nét đứt: toàn đơn vị ${formatPercent(overall)}.`);
  const width = options.width ?? DEFAULT_WIDTH;
  const titled = options.title !== false;
  const top = (titled ? 34 : 6) + notes.length * 17 + 24;
  const bar = 26;
  const height = top + rows.length * bar + 30;
  const color = rate === 'overdue' ? PALETTE.vermillion : PALETTE.blue;
  const svg = render(
    {
      title: [
        ...titleOf(title, options),
        ...(notes.length > 0
          ? [
              {
                text: notes.join('\n'),
                left: 8,
                top: titled ? 32 : 4,
                textStyle: { fontSize: 12, fontWeight: 'normal', color: PALETTE.muted, lineHeight: 17 },
              },
            ]
          : []),
      ],
      grid: { left: 8, right: 56, top, bottom: 8, outerBoundsMode: 'same' },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        position: 'top',
        axisLabel: { ...axisText, formatter: (v: number) => `${v}%` },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: rows.map((r) => r.name),
        axisLabel: { ...axisText, width: Math.round(width * 0.38), overflow: 'truncate' },
        axisTick: { show: false },
        axisLine: { lineStyle: { color: PALETTE.muted } },
      },
      series: [
        {
          type: 'bar',
          name: RATE_LABELS[rate],
          data: rows.map((r) => r.value ?? 0),
          barWidth: 16,
          itemStyle: { color },
          label: {
            show: true,
            position: 'right',
            fontSize: 12,
            color: PALETTE.ink,
            backgroundColor: '#ffffff',
            padding: [1, 2],
            formatter: ({ dataIndex }: { dataIndex: number }) =>
              rows[dataIndex]?.value === null ? 'chưa có' : formatPercent(rows[dataIndex]?.value ?? null),
          },
          ...(overall === null
            ? {}
            : {
                markLine: {
                  silent: true,
                  z: 1,
                  symbol: 'none',
                  data: [{ xAxis: overall }],
                  lineStyle: { color: PALETTE.ink, type: 'dashed', width: 1.5 },
                  label: { show: false },
                },
              }),
        },
      ],
    },
    width,
    height,
    summary,
  );
  return { svg, summary };
}

// ---------------------------------------------------------------------------------------------
// (c) Targets per block: how far each has come, and where the target stands

const TARGET_TITLE = 'Thực hiện chỉ tiêu theo khối';

const targetLabel = (t: TargetProgress) => `${blockName(t.block)} – ${METRIC_LABELS[t.metric]} ${t.year}`;

/** The sentence under the target chart: how many are attained, and the furthest and shortest. */
export function targetSummary(targets: TargetProgress[]): string {
  if (targets.length === 0) return `${TARGET_TITLE}: chưa đặt chỉ tiêu.`;
  const attained = targets.filter((t) => t.attained).length;
  const measured = targets.filter((t) => t.actual !== null);
  let sentence = `${TARGET_TITLE}: đạt ${attained} trên ${targets.length} chỉ tiêu.`;
  if (measured.length > 0) {
    // Measured as the share of the target reached, so 60% of a 60% target beats 70% of a 90% one.
    const share = (t: TargetProgress) => (t.percent > 0 ? (t.actual ?? 0) / t.percent : 1);
    const best = measured.reduce((a, b) => (share(b) > share(a) ? b : a));
    const worst = measured.reduce((a, b) => (share(b) < share(a) ? b : a));
    const say = (t: TargetProgress) =>
      `${targetLabel(t)} ${formatPercent(t.actual)} (chỉ tiêu ${formatPercent(t.percent)})`;
    sentence +=
      measured.length === 1
        ? ` ${say(best)}.`
        : ` Gần chỉ tiêu nhất: ${say(best)}. Xa chỉ tiêu nhất: ${say(worst)}.`;
  }
  const unmeasured = targets.length - measured.length;
  if (unmeasured > 0) sentence += ` ${unmeasured} chỉ tiêu chưa có người để tính.`;
  return sentence;
}

/**
 * One bar per target with what has been reached (green when attained, orange when not, and said
 * in words either way), and a black tick where the target stands; each bar's words sit above it.
 */
export function targetChart(targets: TargetProgress[], options: ChartOptions = {}): Chart {
  if (targets.length === 0) return emptyChart(TARGET_TITLE, 'Chưa đặt chỉ tiêu.', options);
  const summary = targetSummary(targets);
  const width = options.width ?? DEFAULT_WIDTH;
  const titled = options.title !== false;
  const top = (titled ? 34 : 4) + 24;
  const row = 66;
  const height = top + 8 + targets.length * row + 30;
  const words = (t: TargetProgress) => {
    const metric = METRIC_LABELS[t.metric];
    const reached = t.actual === null ? 'chưa có người' : formatPercent(t.actual);
    const status = t.attained ? 'đạt' : 'chưa đạt';
    return (
      `{block|${blockName(t.block)}}\n` +
      `{value|${metric[0]?.toUpperCase()}${metric.slice(1)} năm ${t.year}: ${reached} / chỉ tiêu ` +
      `${formatPercent(t.percent)} – ${status}}\n `
    );
  };
  const svg = render(
    {
      title: titleOf(TARGET_TITLE, options),
      legend: {
        top: titled ? 32 : 2,
        left: 'center',
        textStyle: { fontSize: 12, color: PALETTE.ink },
        data: [
          { name: 'Đã đạt', itemStyle: { color: PALETTE.green } },
          { name: 'Chưa đạt', itemStyle: { color: PALETTE.orange } },
          { name: 'Chỉ tiêu', icon: 'rect', itemStyle: { color: PALETTE.ink } },
        ],
      },
      grid: { left: 8, right: 16, top: top + 14, bottom: 8, outerBoundsMode: 'same' },
      xAxis: {
        type: 'value',
        min: 0,
        max: 100,
        interval: 25,
        axisLabel: { ...axisText, formatter: (v: number) => `${v}%` },
        splitLine: { lineStyle: { color: PALETTE.grid } },
      },
      yAxis: {
        type: 'category',
        inverse: true,
        data: targets.map(targetLabel),
        axisLabel: {
          inside: true,
          margin: 4,
          align: 'left',
          verticalAlign: 'bottom',
          lineHeight: 16,
          width: width - 40,
          overflow: 'truncate',
          formatter: (_: string, index: number) => words(targets[index] as TargetProgress),
          rich: {
            block: { fontSize: 12, fontWeight: 'bold', color: PALETTE.ink, lineHeight: 16 },
            value: { fontSize: 12, color: PALETTE.ink, lineHeight: 16 },
          },
        },
        axisTick: { show: false },
        axisLine: { lineStyle: { color: PALETTE.muted } },
        z: 10,
      },
      series: [
        ...(['Đã đạt', 'Chưa đạt'] as const).map((name) => ({
          type: 'bar',
          name,
          stack: 'actual',
          barWidth: 14,
          itemStyle: { color: name === 'Đã đạt' ? PALETTE.green : PALETTE.orange },
          data: targets.map((t) => ((name === 'Đã đạt') === t.attained ? (t.actual ?? 0) : '-')),
        })),
        {
          type: 'scatter',
          name: 'Chỉ tiêu',
          symbol: 'rect',
          symbolSize: [4, 20],
          itemStyle: { color: PALETTE.ink },
          data: targets.map((t, i) => [t.percent, i]),
          z: 5,
        },
      ],
    },
    width,
    height,
    summary,
  );
  return { svg, summary };
}
