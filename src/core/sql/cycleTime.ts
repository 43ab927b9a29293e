/**
 * CYCLE_TIME as one SQL query over a table: the table cycleTime (src/core/cycleTime.ts) gives,
 * cell for cell —
 *
 *   [period, count, median days, p75 days, mean days, open], then a Total row   (no group)
 *   [period, group, count, median days, p75 days, mean days, open], then a Total row per group
 *   and the grand total [Total, all, …]                                           (group)
 *
 * One row per start period from the first to the last (gaps included); with a group, every group
 * in every period. count = rows with both dates; median and p75 are PERCENTILE.INC (0.5, 0.75)
 * of their durations in calendar days of the spreadsheet's zone, an end before its start counting
 * as 0 days; mean = their sum ÷ count; open = rows with a start and no end. Rows without a start
 * are left out. No durations: blank median, p75 and mean. A group is its cell's trimmed text,
 * "(blank)" for a blank one.
 *
 * The custom function lists groups in the order of their first row with a start; a BigQuery
 * table's rows have no order, so the query takes `rowOrder`, a column that orders them (the order
 * the extract shows), and lists groups by their first such row in it; without it, by name. The
 * custom function's refusals of results wider than 600 periods or larger than a sheet holds are
 * not needed in SQL.
 */
import { BLANK_GROUP } from '../cycleTime';
import type { Period } from '../dates';
import { allLabel, totalLabel } from '../i18n';
import { type Cte, requireType, textOf, withCtes } from './common';
import type { Dialect, SqlColumn } from './dialect';
import { JS_SPACE } from './keys';

export interface CycleTimeQuery {
  /** `project.dataset.table` (BigQuery) or a table name (DuckDB). */
  table: string;
  startDates: SqlColumn;
  endDates: SqlColumn;
  period: Period;
  /** Group per row (owner, source …): one row per period × group. */
  group?: SqlColumn;
  /** A column ordering the rows (groups are listed by their first row); absent = by name. */
  rowOrder?: SqlColumn;
  /** The spreadsheet's time zone (IANA). */
  zone: string;
  lang: 'ja' | 'en';
}

/** The output column names (CYCLE_HEADER / CYCLE_GROUP_HEADER as identifiers). */
export function cycleTimeSqlColumns(q: Pick<CycleTimeQuery, 'group'>): string[] {
  return [
    'period',
    ...(q.group ? ['group'] : []),
    'count',
    'median_days',
    'p75_days',
    'mean_days',
    'open',
  ];
}

export function cycleTimeSql(q: CycleTimeQuery, d: Dialect): string {
  requireType('start_dates', q.startDates, 'date');
  requireType('end_dates', q.endDates, 'date');
  requireType('group', q.group, 'text');
  const names = cycleTimeSqlColumns(q).map((n) => d.ident(n));
  const days = d.toFloat('days');
  const grouped = q.group !== undefined;
  const src = [`${d.dayOf(q.startDates, q.zone)} AS s`, `${d.dayOf(q.endDates, q.zone)} AS e`];
  if (q.group) {
    const trimmed = d.replace(textOf(d, q.group), `^[${JS_SPACE}]+|[${JS_SPACE}]+$`, '');
    src.push(`COALESCE(NULLIF(${trimmed}, ''), ${d.str(BLANK_GROUP)}) AS grp`);
  } else src.push(`${d.str('')} AS grp`);
  if (q.rowOrder) src.push(`${d.ident(q.rowOrder.name)} AS row_order`);
  // Per bucket (period × group), per group and over all rows: count, the percentiles (window
  // functions, one partition each), sum of days, open rows.
  const stats = (med: string, p75: string) =>
    `COUNT(days) AS n, MAX(${med}) AS med, MAX(${p75}) AS p75, SUM(days) AS total, COUNT(*) - COUNT(days) AS open FROM ranked`;
  const ctes: Cte[] = [
    { name: 'src', body: `SELECT ${src.join(', ')} FROM ${d.table(q.table)}` },
    {
      // days: NULL for an open row; an end before its start is 0 days.
      name: 'durations',
      body: `SELECT ${d.periodStart('s', q.period)} AS p, grp, CASE WHEN e IS NULL THEN NULL WHEN e > s THEN ${d.daysBetween('s', 'e')} ELSE 0 END AS days${q.rowOrder ? ', row_order' : ''} FROM src WHERE s IS NOT NULL`,
    },
    {
      name: 'ranked',
      body: `SELECT p, grp, days, ${d.percentileOver(days, 0.5, ['p', 'grp'])} AS med, ${d.percentileOver(days, 0.75, ['p', 'grp'])} AS p75, ${d.percentileOver(days, 0.5, ['grp'])} AS g_med, ${d.percentileOver(days, 0.75, ['grp'])} AS g_p75, ${d.percentileOver(days, 0.5, [])} AS all_med, ${d.percentileOver(days, 0.75, [])} AS all_p75 FROM durations`,
    },
    { name: 'by_bucket', body: `SELECT p, grp, ${stats('med', 'p75')} GROUP BY p, grp` },
    { name: 'by_group', body: `SELECT grp, ${stats('g_med', 'g_p75')} GROUP BY grp` },
    { name: 'total', body: `SELECT ${stats('all_med', 'all_p75')}` },
    {
      name: 'group_list',
      body: `SELECT grp, ${q.rowOrder ? 'MIN(row_order)' : 'NULL'} AS first_row FROM durations GROUP BY grp`,
    },
  ];
  const lo = '(SELECT MIN(p) FROM durations)';
  const hi = '(SELECT MAX(p) FROM durations)';
  const total = d.str(totalLabel(q.lang));
  const cells = 'n, med, p75, total, open';
  ctes.push(
    {
      name: 'periods',
      body: `SELECT p FROM ${d.periodSeries(lo, hi, q.period, 'p')} WHERE ${lo} IS NOT NULL AND ${hi} IS NOT NULL`,
    },
    {
      // The grid (every group in every period), the groups' Total rows, the grand total.
      name: 'rows_',
      body: [
        `SELECT 0 AS ord, periods.p AS p, g.first_row, g.grp, ${d.periodLabel('periods.p', q.period)} AS label, COALESCE(b.n, 0) AS n, b.med, b.p75, b.total, COALESCE(b.open, 0) AS open FROM periods CROSS JOIN group_list AS g LEFT JOIN by_bucket AS b ON b.p = periods.p AND b.grp = g.grp`,
        ...(grouped
          ? [
              `SELECT 1 AS ord, NULL AS p, g.first_row, g.grp, ${total} AS label, ${cells} FROM group_list AS g JOIN by_group AS b ON b.grp = g.grp`,
            ]
          : []),
        `SELECT 2 AS ord, NULL AS p, NULL AS first_row, ${d.str(allLabel(q.lang))} AS grp, ${total} AS label, ${cells} FROM total`,
      ].join('\n  UNION ALL '),
    },
  );
  const cols = [`label AS ${names[0]}`, ...(grouped ? [`grp AS ${names[1]}`] : [])];
  const values = ['n', 'med', 'p75', d.div('total', 'n'), 'open'];
  for (const v of values) cols.push(`${v} AS ${names[cols.length]}`);
  return withCtes(
    ctes,
    `SELECT ${cols.join(',\n  ')}
FROM rows_
ORDER BY ord, p, first_row, grp`,
  );
}
