/**
 * COHORT_CONVERSION as one SQL query over a lead table: the rows cohortConversion
 * (src/core/cohort.ts) gives for the table's lead-date and conversion-date columns, cell for cell.
 *
 * - slice (輪切り): one row per period from the earliest to the latest date of either column (up
 *   to as_of): leads created, conversions dated, conversions ÷ leads (blank without leads).
 * - chase (追っかけ): one row per lead period (cohort) from the first to the last, gaps included:
 *   leads, converted, rate, then +0 … +K, the share of the cohort converted within k periods of
 *   its own ("" where not observable on as_of). K = as_of period − first cohort depends on the
 *   data, and a query's columns cannot: the query takes `ages`, the number of +k columns, and
 *   gives age_0 … age_(ages−1); the columns past K are blank (no cohort can observe them), those
 *   past `ages` are left out.
 *
 * as_of is the latest date of either column unless given (an ISO day); dates after it are not
 * counted. With `companies`, one entity per company (keys.ts, the company.ts key): its first lead
 * day and earliest conversion day on or before as_of; blank company cells are left out.
 *
 * The custom function refuses tables wider than MAX_PERIODS (600) periods, naming the date most
 * likely mistyped: a query has no such limit (and no cell to name), so it gives every period.
 */
import type { CohortView } from '../cohort';
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

export interface CohortQuery {
  /** `project.dataset.table` (BigQuery) or a table name (DuckDB). */
  table: string;
  leadDates: SqlColumn;
  convertedDates: SqlColumn;
  /** Company names or e-mails: count distinct companies instead of leads. */
  companies?: SqlColumn;
  view: CohortView;
  period: Period;
  /** The spreadsheet's time zone (IANA). */
  zone: string;
  /** The report day (ISO); absent = the latest date of either column. */
  asOf?: string;
  /** chase: the number of +k columns (age_0 … age_(ages−1)). */
  ages?: number;
}

/** The output column names (the extract's header row). */
export function cohortSqlColumns(q: Pick<CohortQuery, 'companies' | 'view' | 'ages'>): string[] {
  const cols = ['period', q.companies ? 'companies' : 'leads', 'converted', 'rate'];
  if (q.view === 'chase') for (let k = 0; k < (q.ages ?? 0); k++) cols.push(`age_${k}`);
  return cols;
}

export function cohortSql(q: CohortQuery, d: Dialect): string {
  requireType('lead_dates', q.leadDates, 'date');
  requireType('converted_dates', q.convertedDates, 'date');
  requireType('companies', q.companies, 'text');
  checkAsOf(q.asOf);
  const ages = q.ages ?? 0;
  if (q.view === 'chase' && !(Number.isInteger(ages) && ages >= 1))
    throw new Error('chase: ages (the number of +k columns) must be a whole number ≥ 1');
  const names = cohortSqlColumns(q).map((n) => d.ident(n));
  const start = (day: string) => d.periodStart(day, q.period);
  const ctes: Cte[] = [
    {
      name: 'src',
      body: `SELECT ${d.dayOf(q.leadDates, q.zone)} AS lead_day, ${d.dayOf(q.convertedDates, q.zone)} AS conv_day${q.companies ? `, ${textOf(d, q.companies)} AS company_text` : ''} FROM ${d.table(q.table)}`,
    },
    reportDayCte(d, q.asOf, 'lead_day', 'conv_day'),
  ];
  const known = (col: string) => `CASE WHEN s.${col} <= a.day THEN s.${col} END`;
  if (q.companies) {
    // The blank key's group (blank-looking spellings) gets no dates, so it counts nowhere. (A
    // WHERE co.key IS NOT NULL would do the same, but DuckDB pushes it into the key's long CASE
    // and plans it ten times slower.)
    const keyed = (col: string) =>
      `CASE WHEN co.key IS NOT NULL AND s.${col} <= a.day THEN s.${col} END`;
    ctes.push(...companyCtes(d, 'src', 'company_text', 'co'));
    ctes.push({
      name: 'entities',
      body: `SELECT MIN(${keyed('lead_day')}) AS lead_day, MIN(${keyed('conv_day')}) AS conv_day FROM src AS s JOIN co3 AS co ON co.spelling = s.company_text CROSS JOIN report AS a GROUP BY co.key`,
    });
  } else {
    ctes.push({
      name: 'entities',
      body: `SELECT ${known('lead_day')} AS lead_day, ${known('conv_day')} AS conv_day FROM src AS s CROSS JOIN report AS a`,
    });
  }
  ctes.push({
    name: 'e',
    body: `SELECT ${start('lead_day')} AS lp, ${start('conv_day')} AS cp FROM entities`,
  });
  const series = (lo: string, hi: string) =>
    `SELECT p FROM ${d.periodSeries(lo, hi, q.period, 'p')} WHERE ${lo} IS NOT NULL AND ${hi} IS NOT NULL`;

  if (q.view === 'slice') {
    ctes.push(
      {
        name: 'leads_by',
        body: 'SELECT lp AS p, COUNT(*) AS n FROM e WHERE lp IS NOT NULL GROUP BY lp',
      },
      {
        name: 'convs_by',
        body: 'SELECT cp AS p, COUNT(*) AS n FROM e WHERE cp IS NOT NULL GROUP BY cp',
      },
      {
        name: 'dated',
        body: 'SELECT p FROM leads_by UNION ALL SELECT p FROM convs_by',
      },
      { name: 'periods', body: series('(SELECT MIN(p) FROM dated)', '(SELECT MAX(p) FROM dated)') },
    );
    return withCtes(
      ctes,
      `SELECT ${d.periodLabel('periods.p', q.period)} AS ${names[0]},
  COALESCE(l.n, 0) AS ${names[1]},
  COALESCE(c.n, 0) AS ${names[2]},
  ${d.div('COALESCE(c.n, 0)', 'COALESCE(l.n, 0)')} AS ${names[3]}
FROM periods LEFT JOIN leads_by AS l ON l.p = periods.p LEFT JOIN convs_by AS c ON c.p = periods.p
ORDER BY periods.p`,
    );
  }

  // chase: per cohort, the entities converted within k periods of its own (a conversion dated
  // before the lead's period counts at +0: its offset is negative).
  const within = Array.from({ length: ages }, (_, k) => `${d.countIf(`off <= ${k}`)} AS hit_${k}`);
  ctes.push(
    {
      name: 'offsets',
      body: `SELECT lp, cp, ${d.periodsBetween('lp', 'cp', q.period)} AS off FROM e WHERE lp IS NOT NULL`,
    },
    {
      name: 'cohorts',
      body: `SELECT lp AS p, COUNT(*) AS n, COUNT(cp) AS converted, ${within.join(', ')} FROM offsets GROUP BY lp`,
    },
    {
      name: 'periods',
      body: series('(SELECT MIN(p) FROM cohorts)', '(SELECT MAX(p) FROM cohorts)'),
    },
    {
      // obs: the last observable offset (cohort + k ≤ the as_of period).
      name: 'grid',
      body: `SELECT periods.p, ${d.periodsBetween('periods.p', start('a.day'), q.period)} AS obs, COALESCE(c.n, 0) AS n, COALESCE(c.converted, 0) AS converted, ${within.map((_, k) => `c.hit_${k}`).join(', ')} FROM periods LEFT JOIN cohorts AS c ON c.p = periods.p CROSS JOIN report AS a`,
    },
  );
  const ageCols = Array.from(
    { length: ages },
    (_, k) =>
      `CASE WHEN ${k} <= obs AND n > 0 THEN ${d.div(`hit_${k}`, 'n')} END AS ${names[4 + k]}`,
  );
  return withCtes(
    ctes,
    `SELECT ${d.periodLabel('p', q.period)} AS ${names[0]},
  n AS ${names[1]},
  converted AS ${names[2]},
  ${d.div('converted', 'n')} AS ${names[3]},
  ${ageCols.join(',\n  ')}
FROM grid
ORDER BY p`,
  );
}
