/**
 * What the KPI queries other than the funnel share: the column types each role accepts (SQL
 * cannot read a date out of text the way the custom functions' DateReader does, so a date role
 * takes a date type only), the company key of a column as CTEs, and the WITH … SELECT shape.
 */
import type { Dialect, SqlColumn, SqlType } from './dialect';
import { companyKeyCtes } from './keys';

export interface Cte {
  name: string;
  body: string;
}

const KINDS = {
  date: {
    types: ['DATE', 'DATETIME', 'TIMESTAMP'],
    what: 'a date type (DATE, DATETIME, TIMESTAMP)',
  },
  number: {
    types: ['INT64', 'FLOAT64', 'NUMERIC'],
    what: 'a number type (INT64, FLOAT64, NUMERIC)',
  },
  // Text the custom functions read as String(v): STRING, or INT64 (whose CAST AS STRING is it).
  text: { types: ['STRING', 'INT64'], what: 'STRING or INT64' },
} as const satisfies Record<string, { types: readonly SqlType[]; what: string }>;

/** Throws a clear Error when a column cannot serve its role in SQL. */
export function requireType(
  role: string,
  col: SqlColumn | undefined,
  kind: keyof typeof KINDS,
): void {
  if (col === undefined) return;
  const k = KINDS[kind];
  if (!(k.types as readonly SqlType[]).includes(col.type))
    throw new Error(`${role} (${col.name}): ${col.type} is not ${k.what}`);
}

/** A text column as STRING. */
export function textOf(d: Dialect, col: SqlColumn): string {
  return col.type === 'STRING' ? d.ident(col.name) : d.text(d.ident(col.name));
}

/**
 * The company key of a STRING column `column` of the CTE `from`: CTEs ending in
 * `<prefix>3(spelling, key)` (keys.ts companyKeyCtes; key NULL for a blank spelling).
 */
export function companyCtes(d: Dialect, from: string, column: string, prefix: string): Cte[] {
  return [
    { name: `${prefix}_spellings`, body: `SELECT DISTINCT ${column} AS spelling FROM ${from}` },
    ...companyKeyCtes(d, `${prefix}_spellings`, prefix),
  ];
}

/** `WITH a AS (…), b AS (…) SELECT …`. */
export function withCtes(ctes: readonly Cte[], select: string): string {
  return `WITH ${ctes.map((x) => `${x.name} AS (\n  ${x.body}\n)`).join(',\n')}\n${select}`;
}

/** An optional as_of of a query: an ISO day or nothing (the query's error names it). */
export function checkAsOf(asOf: string | undefined): void {
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new Error(`as_of: ${asOf} is not an ISO day (YYYY-MM-DD)`);
}

/** The report day (CTE `report`, column `day`): as_of, else the latest day of two columns of src. */
export function reportDayCte(d: Dialect, asOf: string | undefined, a: string, b: string): Cte {
  return {
    name: 'report',
    body: asOf
      ? `SELECT ${d.date(asOf)} AS day`
      : `SELECT MAX(x.d) AS day FROM (SELECT ${a} AS d FROM src UNION ALL SELECT ${b} AS d FROM src) AS x`,
  };
}
