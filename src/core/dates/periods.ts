/** Periods (month, ISO week, quarter): indices, labels, first days, span checks. */
import { KpiError, shown } from '../errors';
import { daysFromCivil, yearMonthOfDay } from './civil';

export type Period = 'month' | 'week' | 'quarter';

export const PERIOD_CHOICES: Record<string, Period> = {
  month: 'month',
  monthly: 'month',
  m: 'month',
  月: 'month',
  月次: 'month',
  week: 'week',
  weekly: 'week',
  w: 'week',
  週: 'week',
  週次: 'week',
  quarter: 'quarter',
  quarterly: 'quarter',
  q: 'quarter',
  四半期: 'quarter',
};

/** Period index of a local day number: consecutive periods have consecutive indices. */
export function periodOfDay(day: number, period: Period): number {
  if (period === 'week') return Math.floor((day + 3) / 7); // ISO weeks start on Monday
  const { y, m } = yearMonthOfDay(day);
  return period === 'month' ? y * 12 + m - 1 : y * 4 + Math.floor((m - 1) / 3);
}

const pad2 = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `2025-04`, `2025-W14`, `2025-Q2`. */
export function periodLabel(index: number, period: Period): string {
  if (period === 'month') return `${Math.floor(index / 12)}-${pad2((index % 12) + 1)}`;
  if (period === 'quarter') return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
  const thursday = index * 7; // Monday of week `index` is day index*7-3
  const { y } = yearMonthOfDay(thursday);
  const week = Math.floor((thursday - daysFromCivil(y, 1, 1)) / 7) + 1;
  return `${y}-W${pad2(week)}`;
}

/** First local day of a period (for writers that need a real date). */
export function periodStartDay(index: number, period: Period): number {
  if (period === 'week') return index * 7 - 3;
  if (period === 'month') return daysFromCivil(Math.floor(index / 12), (index % 12) + 1, 1);
  return daysFromCivil(Math.floor(index / 4), (index % 4) * 3 + 1, 1);
}

/** The widest result: 600 periods is 50 years of months or 11 years of weeks. */
export const MAX_PERIODS = 600;

/** One dated cell, for naming the suspicious one when a span is too wide. */
export interface SpanDate {
  /** Period index. */
  p: number;
  arg: string;
  row: number;
  value: unknown;
}

/**
 * A result wider than MAX_PERIODS is refused, naming the date farthest from the median period
 * (the one most likely mistyped). `dates` runs on the error path only.
 */
export function checkPeriodSpan(
  lo: number,
  hi: number,
  period: Period,
  dates: () => SpanDate[],
): void {
  const count = hi - lo + 1;
  if (count <= MAX_PERIODS) return;
  const found = dates();
  const sorted = found.map((f) => f.p).sort((a, b) => a - b);
  const median = sorted[sorted.length >> 1];
  let worst = found[0];
  for (const f of found) if (Math.abs(f.p - median) > Math.abs(worst.p - median)) worst = f;
  throw new KpiError('tooManyPeriods', {
    count,
    first: periodLabel(lo, period),
    last: periodLabel(hi, period),
    max: MAX_PERIODS,
    arg: worst.arg,
    row: worst.row,
    value: shown(worst.value),
  });
}

/**
 * Period index − `base` of every day from `firstDay` to `lastDay` (a day → period table: one
 * period computation per distinct day, not per row). The span was checked: ≤ ~55k days.
 */
export function dayToPeriod(
  firstDay: number,
  lastDay: number,
  base: number,
  period: Period,
): Int32Array {
  const table = new Int32Array(lastDay - firstDay + 1);
  let d = firstDay;
  while (d <= lastDay) {
    const p = periodOfDay(d, period);
    // The period's days are consecutive: fill to the day before the next period.
    let e = d + 1;
    if (period === 'week') e = p * 7 - 3 + 7;
    else while (e <= lastDay && periodOfDay(e, period) === p) e++;
    if (e > lastDay + 1) e = lastDay + 1;
    table.fill(p - base, d - firstDay, e - firstDay);
    d = e;
  }
  return table;
}
