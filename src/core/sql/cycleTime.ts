/**
 * CYCLE_TIME as one SQL query over a table: the main table cycleTime (src/core/cycleTime.ts)
 * gives without a group, cell for cell —
 *
 *   [period, count, median days, p75 days, mean days, open], then a Total row.
 *
 * One row per start period from the first to the last (gaps included). count = rows with both
 * dates; median and p75 are PERCENTILE.INC (0.5, 0.75) of their durations in calendar days of
 * the spreadsheet's zone, an end before its start counting as 0 days; mean = their sum ÷ count;
 * open = rows with a start and no end. Rows without a start are left out. No durations: blank
 * median, p75 and mean.
 *
 * The group argument (one row per period × group, groups in order of first appearance) is not
 * reproduced: a table's rows have no order in BigQuery. The custom function's refusals of results
 * wider than 600 periods or larger than a sheet holds are not needed in SQL.
 */
import type { Period } from '../dates';
import { totalLabel } from '../i18n';
import { type Cte, requireType, withCtes } from './common';
import type { Dialect, SqlColumn } from './dialect';

export interface CycleTimeQuery {
  /** `project.dataset.table` (BigQuery) or a table name (DuckDB). */
  table: string;
  startDates: SqlColumn;
  endDates: SqlColumn;
  period: Period;
  /** The spreadsheet's time zone (IANA). */
  zone: string;
  lang: 'ja' | 'en';
}

/** The output column names (CYCLE_HEADER as identifiers). */
export const CYCLE_SQL_COLUMNS: readonly string[] = [
  'period',
  'count',
  'median_days',
  'p75_days',
  'mean_days',
  'open',
];

export function cycleTimeSql(q: CycleTimeQuery, d: Dialect): string {
  requireType('start_dates', q.startDates, 'date');
  requireType('end_dates', q.endDates, 'date');
  const names = CYCLE_SQL_COLUMNS.map((n) => d.ident(n));
  const days = d.toFloat('days');
  const ctes: Cte[] = [
    {
      name: 'src',
      body: `SELECT ${d.dayOf(q.startDates, q.zone)} AS s, ${d.dayOf(q.endDates, q.zone)} AS e FROM ${d.table(q.table)}`,
    },
    {
      // days: NULL for an open row; an end before its start is 0 days.
      name: 'durations',
      body: `SELECT ${d.periodStart('s', q.period)} AS p, CASE WHEN e IS NULL THEN NULL WHEN e > s THEN ${d.daysBetween('s', 'e')} ELSE 0 END AS days FROM src WHERE s IS NOT NULL`,
    },
    {
      // The percentiles are window functions: per period, and over all rows for the Total.
      name: 'ranked',
      body: `SELECT p, days, ${d.percentileOver(days, 0.5, ['p'])} AS med, ${d.percentileOver(days, 0.75, ['p'])} AS p75, ${d.percentileOver(days, 0.5, [])} AS all_med, ${d.percentileOver(days, 0.75, [])} AS all_p75 FROM durations`,
    },
    {
      name: 'by_period',
      body: 'SELECT p, COUNT(days) AS n, MAX(med) AS med, MAX(p75) AS p75, SUM(days) AS total, COUNT(*) - COUNT(days) AS open FROM ranked GROUP BY p',
    },
    {
      name: 'total',
      body: 'SELECT COUNT(days) AS n, MAX(all_med) AS med, MAX(all_p75) AS p75, SUM(days) AS total, COUNT(*) - COUNT(days) AS open FROM ranked',
    },
  ];
  const lo = '(SELECT MIN(p) FROM by_period)';
  const hi = '(SELECT MAX(p) FROM by_period)';
  ctes.push(
    {
      name: 'periods',
      body: `SELECT p FROM ${d.periodSeries(lo, hi, q.period, 'p')} WHERE ${lo} IS NOT NULL AND ${hi} IS NOT NULL`,
    },
    {
      name: 'rows_',
      body: `SELECT 0 AS ord, periods.p AS p, ${d.periodLabel('periods.p', q.period)} AS label, COALESCE(b.n, 0) AS n, b.med, b.p75, b.total, COALESCE(b.open, 0) AS open FROM periods LEFT JOIN by_period AS b ON b.p = periods.p
  UNION ALL SELECT 1 AS ord, NULL AS p, ${d.str(totalLabel(q.lang))} AS label, n, med, p75, total, open FROM total`,
    },
  );
  return withCtes(
    ctes,
    `SELECT label AS ${names[0]},
  n AS ${names[1]},
  med AS ${names[2]},
  p75 AS ${names[3]},
  ${d.div('total', 'n')} AS ${names[4]},
  open AS ${names[5]}
FROM rows_
ORDER BY ord, p`,
  );
}
