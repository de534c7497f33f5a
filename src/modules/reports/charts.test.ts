import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  childChart,
  childSummary,
  formatPercent,
  seriesChart,
  seriesSummary,
  targetChart,
  targetSummary,
} from './charts.js';
import { type ChildRow, type Figures, ratesOf, type TargetProgress, ZERO } from './dashboard/figures.js';

/** Well-formed enough for `<img>` and for svg-to-pdfkit: one root, closed, no CSS that a CSP blocks. */
function assertSvg(svg: string): void {
  assert.match(svg, /^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.match(svg, /<\/svg>\s*$/);
  assert.equal(svg.match(/<svg\b/g)?.length, 1);
  assert.doesNotMatch(svg, /style=|<style/, 'no inline CSS: the strict CSP would drop it');
  assert.doesNotMatch(svg, /<script/);
  assert.match(svg, /role="img" aria-label="[^"]+"/);
  assert.equal(svg, svg.normalize('NFC'));
}

/** The text of every `<text>` element, entities decoded. */
const texts = (svg: string): string[] =>
  [...svg.matchAll(/<text\b[^>]*>([^<]*)<\/text>/g)].map((m) =>
    (m[1] ?? '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
  );

const child = (name: string, counts: Partial<Figures>): ChildRow => {
  const figures = { ...ZERO, ...counts };
  return { unitId: name, name, figures, rates: ratesOf(figures) };
};

describe('daily chart', () => {
  const points = [
    { day: '2025-03-01', started: 4, completed: 0 },
    { day: '2025-03-02', started: 17, completed: 3 },
    { day: '2025-03-03', started: 9, completed: 11 },
  ];

  it('draws both counts with Vietnamese labels and the values on the axis', () => {
    const { svg } = seriesChart(points);
    assertSvg(svg);
    const words = texts(svg);
    for (const label of ['Bắt đầu học', 'Hoàn thành', 'Số người', '01/03', '03/03']) {
      assert.ok(words.includes(label), `${label} in ${words.join(' | ')}`);
    }
    // Two lines: blue solid and vermillion dashed, so they differ without colour too.
    assert.match(svg, /stroke="#0072B2" stroke-width="2.5"/);
    assert.match(svg, /stroke="#D55E00" stroke-width="2.5"[^>]*stroke-dasharray/);
  });

  it('says the totals and the busiest and quietest days', () => {
    const { summary, svg } = seriesChart(points);
    assert.equal(summary, seriesSummary(points));
    assert.match(summary, /Từ 01\/03\/2025 đến 03\/03\/2025/);
    assert.match(
      summary,
      /Bắt đầu học: tổng 30 người, nhiều nhất 17 ngày 02\/03\/2025, ít nhất 4 ngày 01\/03\/2025/,
    );
    assert.match(
      summary,
      /Hoàn thành: tổng 14 người, nhiều nhất 11 ngày 03\/03\/2025, ít nhất 0 ngày 01\/03\/2025/,
    );
    assert.ok(svg.includes(`<title>${summary}</title>`));
  });

  it('says when nobody started or completed on any day', () => {
    const quiet = [
      { day: '2025-03-01', started: 2, completed: 0 },
      { day: '2025-03-02', started: 0, completed: 0 },
    ];
    assert.match(seriesSummary(quiet), /Bắt đầu học: tổng 2 người, .*\. Hoàn thành: chưa có ai\.$/);
  });

  it('says there is no data rather than failing on an empty period', () => {
    const { svg, summary } = seriesChart([]);
    assertSvg(svg);
    assert.ok(texts(svg).includes('Chưa có dữ liệu trong khoảng thời gian này.'));
    assert.match(summary, /chưa có dữ liệu/);
  });

  it('fits a phone by default and takes a width for print', () => {
    assert.match(seriesChart(points).svg, /^<svg width="400" height="260"/);
    assert.match(seriesChart(points, { width: 560, height: 300 }).svg, /^<svg width="560" height="300"/);
  });
});

describe('child units chart', () => {
  const children = [
    child('Xã Đại Thạnh', { assigned: 200, completed: 30 }),
    child('Xã Đại Hiệp', { assigned: 100, completed: 85 }),
    child('Phường Điện Bàn Đông', { assigned: 50, completed: 20 }),
    child('Xã Trống', {}),
  ];

  it('sorts the bars highest first, with the unit names and their rates', () => {
    const { svg } = childChart(children, 'completed', { overall: 38.6 });
    assertSvg(svg);
    const words = texts(svg);
    const names = words.filter((w) => w.startsWith('Xã') || w.startsWith('Phường'));
    assert.deepEqual(names, ['Xã Đại Hiệp', 'Phường Điện Bàn Đông', 'Xã Đại Thạnh', 'Xã Trống']);
    for (const value of ['85%', '40%', '15%', 'chưa có']) assert.ok(words.includes(value), value);
    assert.ok(words.some((w) => w.includes('toàn đơn vị 38,6%')));
  });

  it('names the highest and lowest unit in its sentence', () => {
    const summary = childSummary(children, 'completed', 38.6);
    assert.equal(
      summary,
      'Tỉ lệ hoàn thành của các đơn vị trực thuộc (4 đơn vị): cao nhất Xã Đại Hiệp 85%, ' +
        'thấp nhất Xã Đại Thạnh 15%; toàn đơn vị 38,6%. 1 đơn vị chưa có người để tính tỉ lệ.',
    );
    assert.match(childChart(children, 'overdue').summary, /^Tỉ lệ quá hạn/);
  });

  it('keeps the highest and lowest bars when there are too many', () => {
    const many = Array.from({ length: 40 }, (_, i) => child(`Xã Số ${i + 1}`, { assigned: 100, started: i }));
    const { svg, summary } = childChart(many, 'started', { limit: 10 });
    const names = texts(svg).filter((w) => w.startsWith('Xã Số'));
    assert.deepEqual(names, [
      ...['40', '39', '38', '37', '36'].map((n) => `Xã Số ${n}`),
      ...['5', '4', '3', '2', '1'].map((n) => `Xã Số ${n}`),
    ]);
    assert.ok(texts(svg).some((w) => w.includes('5 đơn vị cao nhất và 5 thấp nhất trong 40 đơn vị')));
    assert.match(summary, /cao nhất Xã Số 40 39%, thấp nhất Xã Số 1 0%/);
  });

  it('escapes names and says when there are no child units', () => {
    const { svg } = childChart([child('Thôn <A> & B', { assigned: 1, completed: 1 })], 'completed');
    assertSvg(svg);
    assert.ok(svg.includes('Thôn &lt;A&gt; &amp; B'));
    const empty = childChart([], 'completed');
    assertSvg(empty.svg);
    assert.ok(texts(empty.svg).includes('Không có đơn vị trực thuộc.'));
  });
});

describe('targets chart', () => {
  const target = (over: Partial<TargetProgress>): TargetProgress => ({
    year: 2025,
    block: 'official',
    metric: 'qualified',
    percent: 80,
    setAt: '',
    people: 200,
    reached: 170,
    actual: 85,
    attained: true,
    ...over,
  });
  const targets = [
    target({}),
    target({
      block: 'citizen',
      metric: 'completed',
      percent: 70,
      reached: 420,
      people: 1000,
      actual: 42,
      attained: false,
    }),
    target({
      block: 'student',
      metric: 'started',
      percent: 90,
      reached: 15,
      people: 500,
      actual: 3,
      attained: false,
    }),
  ];

  it('draws each block with what it reached, the target and whether it is attained', () => {
    const { svg } = targetChart(targets);
    assertSvg(svg);
    const words = texts(svg).join(' | ');
    for (const label of [
      'Cán bộ, công chức, viên chức',
      'Đạt yêu cầu năm 2025: 85% / chỉ tiêu 80% – đạt',
      'Người dân',
      'Hoàn thành năm 2025: 42% / chỉ tiêu 70% – chưa đạt',
      'Học sinh, sinh viên',
      'Đã đạt',
      'Chưa đạt',
      'Chỉ tiêu',
    ]) {
      assert.ok(words.includes(label), `${label} in ${words}`);
    }
  });

  it('names the nearest and the furthest from its target', () => {
    assert.equal(
      targetSummary(targets),
      'Thực hiện chỉ tiêu theo khối: đạt 1 trên 3 chỉ tiêu. ' +
        'Gần chỉ tiêu nhất: Cán bộ, công chức, viên chức – đạt yêu cầu 2025 85% (chỉ tiêu 80%). ' +
        'Xa chỉ tiêu nhất: Học sinh, sinh viên – bắt đầu học 2025 3% (chỉ tiêu 90%).',
    );
  });

  it('says no target is set', () => {
    const { svg, summary } = targetChart([]);
    assertSvg(svg);
    assert.ok(texts(svg).includes('Chưa đặt chỉ tiêu.'));
    assert.equal(summary, 'Thực hiện chỉ tiêu theo khối: chưa đặt chỉ tiêu.');
  });
});

it('writes percentages the Vietnamese way', () => {
  assert.equal(formatPercent(45.3), '45,3%');
  assert.equal(formatPercent(100), '100%');
  assert.equal(formatPercent(null), '–');
});
