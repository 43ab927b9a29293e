/**
 * Shared by the KPI parity properties of tests/sql: lead tables whose company column also holds
 * blank-looking spellings (spaces only: not blank to SQL, blank to the company key), and the
 * BigQuery grammar check of a printed query.
 */
import fc from 'fast-check';
import pkg from 'node-sql-parser/build/bigquery.js';
import { type GeneratedLead, leadArb } from './lead-table';

const { Parser } = pkg;

/** Spellings whose company key is blank although the cell is not empty. */
export const BLANK_LOOKING = [' ', '　 ', '\u3000'];

/**
 * Rows of leadArb, half of them drawn without fast-check's bias towards small values and first
 * constants (which makes most rows one company created on one day: a query that took a company's
 * latest start for its earliest would pass), and a blank-looking company one row in eight.
 */
export const leadWithBlanksArb: fc.Arbitrary<GeneratedLead> = fc
  .tuple(
    fc.oneof(leadArb, fc.noBias(leadArb)),
    fc.option(fc.constantFrom(...BLANK_LOOKING), { nil: undefined, freq: 7 }),
  )
  .map(([l, blank]) => (blank === undefined ? l : { ...l, company: blank }));

/**
 * An as_of day (ISO) from before the generated tables' first dates to after their last: mostly
 * inside a period, so that dates later the same period are after it.
 */
export const asOfArb: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 400 })
  .map((n) => new Date(Date.UTC(2024, 10, 20) + n * 86_400_000).toISOString().slice(0, 10));

/**
 * GoogleSQL's reserved keywords, which cannot name a CTE or an alias unquoted
 * (https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#reserved_keywords);
 * node-sql-parser accepts some of them (a CTE named `groups` parses there, not on BigQuery).
 */
const RESERVED = new Set(
  `ALL AND ANY ARRAY AS ASC ASSERT_ROWS_MODIFIED AT BETWEEN BY CASE CAST COLLATE CONTAINS CREATE
  CROSS CUBE CURRENT DEFAULT DEFINE DESC DISTINCT ELSE END ENUM ESCAPE EXCEPT EXCLUDE EXISTS
  EXTRACT FALSE FETCH FOLLOWING FOR FROM FULL GROUP GROUPING GROUPS HASH HAVING IF IGNORE IN
  INCLUDE INNER INTERSECT INTERVAL INTO IS JOIN LATERAL LEFT LIKE LIMIT LOOKUP MERGE NATURAL NEW
  NO NOT NULL NULLS OF ON OR ORDER OUTER OVER PARTITION PIVOT PRECEDING PROTO QUALIFY RANGE
  RECURSIVE RESPECT RIGHT ROLLUP ROWS SELECT SET SOME STRUCT TABLESAMPLE THEN TO TREAT TRUE
  UNBOUNDED UNION UNNEST UNPIVOT USING WHEN WHERE WINDOW WITH WITHIN`.split(/\s+/),
);

/**
 * Throws when node-sql-parser's BigQuery grammar rejects the query, or when a CTE or an alias the
 * query introduces unquoted is a reserved keyword.
 */
export function parseBigQuery(sql: string): void {
  new Parser().astify(sql, { database: 'BigQuery' });
  const names = [...sql.matchAll(/\b(\w+) AS \(/g), ...sql.matchAll(/\bAS (\w+)\b/g)];
  const reserved = names.map((m) => m[1]).filter((n) => RESERVED.has(n.toUpperCase()));
  if (reserved.length > 0) throw new Error(`reserved keywords as names: ${reserved.join(', ')}`);
}
