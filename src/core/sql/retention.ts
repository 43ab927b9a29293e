/**
 * RETENTION as one SQL query over a customer table: the rows retention (src/core/retention.ts)
 * gives, cell for cell —
 *
 *   [period, customers, +0, +1, …, +K], K = as_of period − first start period.
 *
 * One row per start period (cohort) from the first to the last start on or before as_of, gaps
 * included. +k = share of the cohort still a customer at the end of period cohort + k: its end is
 * blank, after as_of, or in a later period; an end before its start counts as ended in the start
 * period; "" where cohort + k is after the as_of period. K depends on the data and a query's
 * columns cannot: the query takes `ages`, the number of +k columns (age_0 … age_(ages−1)); the
 * columns past K are blank, those past `ages` left out.
 *
 * as_of is the latest date of either column unless given (an ISO day). With `companies`, one
 * customer per company (keys.ts, the company.ts key) among the rows starting on or before as_of:
 * its earliest start, and its latest end unless one of its rows is still open; blank company cells
 * are left out. The custom function's refusal of tables wider than 600 periods is not needed in
 * SQL.
 */
import type { Period } from '../dates';
import {
  type Cte,
  checkAsOf,
  companyCtes,
  reportDayCte,
  requireType,
  textOf,
  withCtes,
} from './common';
import type { Dialect, SqlColumn } from './dialect';

export interface RetentionQuery {
  /** `project.dataset.table` (BigQuery) or a table name (DuckDB). */
  table: string;
  startDates: SqlColumn;
  endDates: SqlColumn;
  /** One customer per company. */
  companies?: SqlColumn;
  period: Period;
  /** The spreadsheet's time zone (IANA). */
  zone: string;
  /** The report day (ISO); absent = the latest date of either column. */
  asOf?: string;
  /** The number of +k columns (age_0 … age_(ages−1)). */
  ages: number;
}

/** The output column names (the extract's header row). */
export function retentionSqlColumns(q: Pick<RetentionQuery, 'ages'>): string[] {
  return ['period', 'customers', ...Array.from({ length: q.ages }, (_, k) => `age_${k}`)];
}

export function retentionSql(q: RetentionQuery, d: Dialect): string {
  requireType('start_dates', q.startDates, 'date');
  requireType('end_dates', q.endDates, 'date');
  requireType('companies', q.companies, 'text');
  checkAsOf(q.asOf);
  if (!(Number.isInteger(q.ages) && q.ages >= 1))
    throw new Error('ages (the number of +k columns) must be a whole number ≥ 1');
  const names = retentionSqlColumns(q).map((n) => d.ident(n));
  const start = (day: string) => d.periodStart(day, q.period);
  const ctes: Cte[] = [
    {
      name: 'src',
      body: `SELECT ${d.dayOf(q.startDates, q.zone)} AS s, ${d.dayOf(q.endDates, q.zone)} AS e${q.companies ? `, ${textOf(d, q.companies)} AS company_text` : ''} FROM ${d.table(q.table)}`,
    },
    reportDayCte(d, q.asOf, 's', 'e'),
    {
      // Rows starting on or before as_of; end_day NULL: not ended as known on as_of.
      name: 'started',
      body: `SELECT r.s AS start_day, CASE WHEN r.e <= a.day THEN r.e END AS end_day${q.companies ? ', r.company_text' : ''} FROM src AS r CROSS JOIN report AS a WHERE r.s <= a.day`,
    },
  ];
  if (q.companies) {
    // Per company: the earliest start; the latest end, or none while one of its rows is open.
    // The blank key's group gets no start, so it is no customer. (A WHERE co.key IS NOT NULL
    // would do the same, but DuckDB pushes it into the key's long CASE and plans it ten times
    // slower.)
    ctes.push(...companyCtes(d, 'started', 'company_text', 'co'));
    ctes.push({
      name: 'customers',
      body: `SELECT MIN(CASE WHEN co.key IS NOT NULL THEN r.start_day END) AS start_day, CASE WHEN COUNT(r.end_day) = COUNT(*) THEN MAX(r.end_day) END AS end_day FROM started AS r JOIN co3 AS co ON co.spelling = r.company_text GROUP BY co.key`,
    });
  } else {
    ctes.push({ name: 'customers', body: 'SELECT start_day, end_day FROM started' });
  }
  const gone = Array.from({ length: q.ages }, (_, k) => `${d.countIf(`off <= ${k}`)} AS gone_${k}`);
  ctes.push(
    {
      // off: periods from the cohort to the end's period (0 for an end on or before the start).
      name: 'offsets',
      body: `SELECT ${start('start_day')} AS sp, CASE WHEN end_day > start_day THEN ${d.periodsBetween(start('start_day'), start('end_day'), q.period)} WHEN end_day IS NOT NULL THEN 0 END AS off FROM customers WHERE start_day IS NOT NULL`,
    },
    {
      name: 'cohorts',
      body: `SELECT sp AS p, COUNT(*) AS n, ${gone.join(', ')} FROM offsets GROUP BY sp`,
    },
    {
      name: 'periods',
      body: `SELECT p FROM ${d.periodSeries('(SELECT MIN(p) FROM cohorts)', '(SELECT MAX(p) FROM cohorts)', q.period, 'p')} WHERE (SELECT MIN(p) FROM cohorts) IS NOT NULL`,
    },
    {
      // obs: the last observable offset (cohort + k ≤ the as_of period).
      name: 'grid',
      body: `SELECT periods.p, ${d.periodsBetween('periods.p', start('a.day'), q.period)} AS obs, COALESCE(c.n, 0) AS n, ${gone.map((_, k) => `c.gone_${k}`).join(', ')} FROM periods LEFT JOIN cohorts AS c ON c.p = periods.p CROSS JOIN report AS a`,
    },
  );
  const ageCols = Array.from(
    { length: q.ages },
    (_, k) =>
      `CASE WHEN ${k} <= obs AND n > 0 THEN ${d.div(`n - gone_${k}`, 'n')} END AS ${names[2 + k]}`,
  );
  return withCtes(
    ctes,
    `SELECT ${d.periodLabel('p', q.period)} AS ${names[0]},
  n AS ${names[1]},
  ${ageCols.join(',\n  ')}
FROM grid
ORDER BY p`,
  );
}
