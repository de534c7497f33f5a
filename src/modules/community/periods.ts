/**
 * How the help of a period is read from the totals: whole months from the month rows, the days
 * of a partly covered month from the log. Pure: the same question always gets the same plan.
 */

/** Inclusive Vietnamese calendar days `YYYY-MM-DD`; '' is open on that side. */
export interface Period {
  from: string;
  to: string;
}

/**
 * What to read: the all-time rows when `allTime`, and the months and days listed. With
 * `allTime` the months and days are taken away from it (a period open at its start is
 * "everything but what came after its end"); without, they are added up.
 */
export interface PeriodPlan {
  allTime: boolean;
  /** Months `YYYY-MM`, both included. */
  months: { from: string; to: string } | null;
  /** Days read from the log, each range both included. */
  days: { from: string; to: string }[];
}

/** After every month a period can reach, for an open end. */
const LAST_MONTH = '9999-12';

const monthOf = (day: string) => day.slice(0, 7);

/** The month after `YYYY-MM`, and the one before. */
export function nextMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${year + 1}-01` : `${year}-${String(m + 1).padStart(2, '0')}`;
}

export function previousMonth(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

/** The last day of the month `YYYY-MM`. */
export function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number) as [number, number];
  const days = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return `${month}-${String(days).padStart(2, '0')}`;
}

const isFirstDay = (day: string) => day.endsWith('-01');
const isLastDay = (day: string) => day === lastDayOf(monthOf(day));

const DAY_MS = 86_400_000;
export const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

/**
 * The plan for a period. Help is never logged after `today`, so an end on or after today is
 * open: "this month so far" reads the month's row whole.
 *
 * @example planPeriod({ from: '2025-01-15', to: '2025-03-10' }, '2025-06-01')
 * // { allTime: false, months: { from: '2025-02', to: '2025-02' },
 * //   days: [{ from: '2025-01-15', to: '2025-01-31' }, { from: '2025-03-01', to: '2025-03-10' }] }
 */
export function planPeriod(period: Period, today: string): PeriodPlan {
  const from = period.from;
  const to = period.to !== '' && period.to < today ? period.to : '';
  if (from === '' && to === '') return { allTime: true, months: null, days: [] };
  if (from === '') {
    // Everything, but for what came after `to`.
    const after = nextMonth(monthOf(to));
    return {
      allTime: true,
      months: { from: after, to: LAST_MONTH },
      days: isLastDay(to) ? [] : [{ from: addDays(to, 1), to: lastDayOf(monthOf(to)) }],
    };
  }
  const end = to === '' ? `${LAST_MONTH}-31` : to;
  const [firstMonth, lastMonth] = [monthOf(from), monthOf(end)];
  if (firstMonth === lastMonth) {
    return isFirstDay(from) && (to === '' || isLastDay(to))
      ? { allTime: false, months: { from: firstMonth, to: firstMonth }, days: [] }
      : { allTime: false, months: null, days: [{ from, to: end }] };
  }
  const days: PeriodPlan['days'] = [];
  let monthsFrom = firstMonth;
  let monthsTo = lastMonth;
  if (!isFirstDay(from)) {
    days.push({ from, to: lastDayOf(firstMonth) });
    monthsFrom = nextMonth(firstMonth);
  }
  if (to !== '' && !isLastDay(to)) {
    days.push({ from: `${lastMonth}-01`, to });
    monthsTo = previousMonth(lastMonth);
  }
  return { allTime: false, months: monthsFrom <= monthsTo ? { from: monthsFrom, to: monthsTo } : null, days };
}
