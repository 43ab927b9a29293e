/**
 * ACTIVITY_AREA (活動量は面積) as one SQL query over an activity (or lead) table: the rows
 * activityArea (src/core/activity.ts) gives, cell for cell —
 *
 *   [owner, activities, companies, area = activities × companies, coverage = companies ÷
 *   activities, health], one row per owner, then the Total row (distinct companies across owners).
 *
 * A row counts when its company cell has a company key (keys.ts, the company.ts key): its
 * activities (the counts column, blank = 0; 1 each without one) add to its owner's and the total;
 * its company is reached when they are > 0. Owners are trimmed text, blank = "(blank)"; an owner
 * is listed when one of its rows has a company. Coverage is blank without activities; health is
 * OK from min_coverage (less 1e-12) up, else LOW (不足 in Japanese).
 *
 * The custom function lists owners in the order of their first row; a BigQuery table's rows have
 * no order, so the query takes `rowOrder`, a column that orders them (a row number, a timestamp:
 * the order the extract shows), and lists owners by their first row in it; without it, by name.
 * A negative count makes the custom function fail naming the row: the query fails too (ERROR),
 * naming the column. Sums of non-integer FLOAT64 counts are added in no set order in SQL and can
 * differ from the custom function's in the last bits; counts near the float limits (1e308),
 * whose products the custom function leaves blank, are not reproduced.
 */
import { BLANK_OWNER, TOTAL_LABEL } from '../activity';
import { localizeTable, totalLabel } from '../i18n';
import { type Cte, companyCtes, requireType, textOf, withCtes } from './common';
import type { Dialect, SqlColumn } from './dialect';
import { JS_SPACE } from './keys';

export interface ActivityQuery {
  /** `project.dataset.table` (BigQuery) or a table name (DuckDB). */
  table: string;
  /** Company name or e-mail per row. */
  companies: SqlColumn;
  /** Activities per row (blank = 0); absent = 1 each. */
  counts?: SqlColumn;
  /** The rep per row: one row per rep. */
  owners?: SqlColumn;
  /** A column ordering the rows (owners are listed by their first row); absent = by name. */
  rowOrder?: SqlColumn;
  /** Coverage at or above which health is OK (default 0.5). */
  minCoverage?: number;
  lang: 'ja' | 'en';
}

/** The output column names (ACTIVITY_HEADER, which are identifiers already). */
export const ACTIVITY_SQL_COLUMNS: readonly string[] = [
  'owner',
  'activities',
  'companies',
  'area',
  'coverage',
  'health',
];

/** A health word as the custom function prints it in a language. */
function healthWord(word: 'OK' | 'LOW', lang: 'ja' | 'en'): string {
  return String(localizeTable([['health'], [word]], lang, { healthCol: 0 })[1][0]);
}

export function activitySql(q: ActivityQuery, d: Dialect): string {
  requireType('companies', q.companies, 'text');
  requireType('counts', q.counts, 'number');
  requireType('owners', q.owners, 'text');
  const min = q.minCoverage ?? 0.5;
  if (!(Number.isFinite(min) && min >= 0))
    throw new Error(`min_coverage: ${min} is not a number ≥ 0`);
  const names = ACTIVITY_SQL_COLUMNS.map((n) => d.ident(n));
  const trim = (s: string) => d.replace(s, `^[${JS_SPACE}]+|[${JS_SPACE}]+$`, '');
  const src = [`${textOf(d, q.companies)} AS company_text`];
  src.push(`${q.counts ? d.ident(q.counts.name) : '1'} AS cnt`);
  if (q.owners)
    src.push(`COALESCE(NULLIF(${trim(textOf(d, q.owners))}, ''), ${d.str(BLANK_OWNER)}) AS owner`);
  if (q.rowOrder) src.push(`${d.ident(q.rowOrder.name)} AS row_order`);
  const counts = q.counts;
  // A row's activities once it has a company (readCount: blank 0, negative an error).
  const acts = counts
    ? d.check(
        'COALESCE(s.cnt, 0) >= 0',
        'COALESCE(s.cnt, 0)',
        `counts (${counts.name}): a negative count on a row with a company`,
      )
    : 's.cnt';
  const ctes: Cte[] = [
    { name: 'src', body: `SELECT ${src.join(', ')} FROM ${d.table(q.table)}` },
    ...companyCtes(d, 'src', 'company_text', 'co'),
    {
      // k NULL: a row without a company (left out everywhere by the CASEs and aggregates: a
      // WHERE co.key IS NOT NULL would be pushed into the key's long CASE by DuckDB and planned
      // ten times slower).
      name: 'act',
      body: `SELECT co.key AS k, CASE WHEN co.key IS NOT NULL THEN ${acts} END AS acts${q.owners ? ', s.owner' : ''}${q.rowOrder ? ', s.row_order' : ''} FROM src AS s JOIN co3 AS co ON co.spelling = s.company_text`,
    },
  ];
  const sums = 'SUM(acts) AS acts, COUNT(DISTINCT CASE WHEN acts > 0 THEN k END) AS reach FROM act';
  const rows = [`SELECT 1 AS grp, NULL AS first_row, ${d.str(TOTAL_LABEL)} AS label, ${sums}`];
  if (q.owners) {
    ctes.push({
      name: 'by_owner',
      body: `SELECT owner, ${q.rowOrder ? 'MIN(CASE WHEN k IS NOT NULL THEN row_order END)' : 'NULL'} AS first_row, ${sums} GROUP BY owner HAVING COUNT(k) > 0`,
    });
    rows.unshift('SELECT 0 AS grp, first_row, owner AS label, acts, reach FROM by_owner');
  }
  ctes.push({ name: 'rows_', body: rows.join('\n  UNION ALL ') });
  ctes.push({
    name: 'measured',
    body: `SELECT grp, first_row, label, COALESCE(acts, 0) AS acts, reach, ${d.div('reach', 'acts')} AS coverage FROM rows_`,
  });
  const total = totalLabel(q.lang);
  return withCtes(
    ctes,
    `SELECT ${total === TOTAL_LABEL ? 'label' : `CASE WHEN grp = 1 THEN ${d.str(total)} ELSE label END`} AS ${names[0]},
  acts AS ${names[1]},
  reach AS ${names[2]},
  ${d.toFloat('acts')} * reach AS ${names[3]},
  coverage AS ${names[4]},
  CASE WHEN coverage >= ${d.float(min - 1e-12)} THEN ${d.str(healthWord('OK', q.lang))} WHEN coverage IS NOT NULL THEN ${d.str(healthWord('LOW', q.lang))} END AS ${names[5]}
FROM measured
ORDER BY grp, first_row, label`,
  );
}
