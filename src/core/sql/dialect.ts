/**
 * One query model, two printers: the KPI queries (src/core/sql/*) are written once against this
 * Dialect and printed as BigQuery Standard SQL (what Connected Sheets runs) or as DuckDB SQL
 * (the local engine standing in for BigQuery). Every construct that differs between the two is a
 * method here, with the BigQuery reference sentence beside its printer; tests/core/sql-dialect
 * holds DuckDB golden outputs for each and checks every BigQuery printing with a BigQuery parser.
 */
import { hasOwn } from '../args';
import { type Period, STABLE_ZONES } from '../dates';

export type SqlType =
  | 'STRING'
  | 'INT64'
  | 'FLOAT64'
  | 'NUMERIC'
  | 'BOOL'
  | 'DATE'
  | 'DATETIME'
  | 'TIMESTAMP';

/** A column of the source table, as its schema types it. */
export interface SqlColumn {
  name: string;
  type: SqlType;
}

export interface Dialect {
  readonly name: 'bigquery' | 'duckdb';
  /** A column or alias name, quoted. */
  ident(name: string): string;
  /** The source table: `project.dataset.table` on BigQuery. */
  table(id: string): string;
  /** A string literal. */
  str(s: string): string;
  /** A date literal from an ISO day (YYYY-MM-DD). */
  date(iso: string): string;
  /** The local calendar day of a column in the spreadsheet's time zone, as a DATE. */
  dayOf(col: SqlColumn, zone: string): string;
  /** First day of the period holding a DATE (ISO weeks start on Monday). */
  periodStart(day: string, period: Period): string;
  /** The label the custom functions print: `2025-04`, `2025-W14`, `2025-Q2`. */
  periodLabel(start: string, period: Period): string;
  /** One row per period start from `lo` to `hi` (both period starts), as a FROM item named `alias(p)`. */
  periodSeries(lo: string, hi: string, period: Period, alias: string): string;
  /** Unicode NFKC of a STRING (BigQuery NORMALIZE; DuckDB: NFC and a folding table). */
  nfkc(s: string): string;
  /** Every match of an RE2 pattern (no capture group), as an array of STRING. */
  matches(s: string, pattern: string): string;
  /** The array's elements that are not in `words`, joined with no separator. */
  joinWithout(arr: string, words: readonly string[]): string;
  /** Number of elements of an array. */
  arrayLength(arr: string): string;
  /** The first capture group of an RE2 pattern (NULL without a match). */
  extract(s: string, pattern: string): string;
  /** The array's elements joined with no separator. */
  joinAll(arr: string): string;
  /** Any value as STRING. */
  text(s: string): string;
  /** A typed NULL. */
  nullOf(type: 'STRING' | 'FLOAT64' | 'DATE'): string;
  /** Whether an RE2 pattern matches part of s. */
  contains(s: string, pattern: string): string;
  /** Replace every match of an RE2 pattern. */
  replace(s: string, pattern: string, by: string): string;
  /** Count of rows where `cond` holds. */
  countIf(cond: string): string;
  /** TRUE if `cond` holds on any row (FALSE on no rows). */
  anyOf(cond: string): string;
  /** a ÷ b as FLOAT64; NULL when b is 0. */
  div(a: string, b: string): string;
  /** A number cell read as a FLOAT64 (NULL when it is not a number). */
  toFloat(s: string): string;
  /** A query parameter (`@name` on BigQuery, `$name` on DuckDB). */
  param(name: string): string;
  /** The table's columns (column_name, data_type as BigQuery names it), in order. */
  schemaQuery(table: string): string;
  /** Whole periods from the period start `from` to the period start `to` (negative if earlier). */
  periodsBetween(from: string, to: string, period: Period): string;
  /** Calendar days from the DATE `from` to the DATE `to` (negative if earlier). */
  daysBetween(from: string, to: string): string;
  /**
   * PERCENTILE.INC of a number over a window (NULLs left out): the value at 0-based rank
   * h = (n − 1) × p of the ascending values, interpolated linearly between ranks ⌊h⌋ and ⌊h⌋ + 1.
   * A window expression (OVER, partitioned by the given expressions; none: every row).
   */
  percentileOver(x: string, p: number, partitionBy: readonly string[]): string;
  /** `value` where `cond` holds; elsewhere the query fails with `message`. */
  check(cond: string, value: string, message: string): string;
  /** A FLOAT64 literal that is exactly this JavaScript number. */
  float(x: number): string;
}

/**
 * NFKC folding for DuckDB, whose only normaliser is NFC (`nfc_normalize`). NFKC = compatibility
 * decomposition, then canonical composition: for the characters Japanese company names, statuses
 * and flags hold, the decomposition is this table (half-width katakana to full-width with their
 * sound marks as combining marks, full-width ASCII to ASCII, the spaces, the parenthesised and
 * squared company forms), and `nfc_normalize` afterwards composes カ + ゛ into ガ. Characters
 * outside the table are not folded on DuckDB (the local engine): tests/core/sql-dialect checks
 * every character of the table against JavaScript's NFKC.
 */
const NFKC_SINGLE: [string, string][] = /* @__PURE__ */ (() => {
  const pairs: [string, string][] = [];
  // Full-width ASCII U+FF01–U+FF5E → U+0021–U+007E.
  for (let c = 0xff01; c <= 0xff5e; c++)
    pairs.push([String.fromCharCode(c), String.fromCharCode(c - 0xfee0)]);
  // Half-width katakana and punctuation U+FF61–U+FF9F: their NFKC is one character each (the
  // sound marks ﾞ ﾟ become the combining U+3099 / U+309A, which NFC then composes).
  for (let c = 0xff61; c <= 0xff9f; c++) {
    const ch = String.fromCharCode(c);
    const k = ch.normalize('NFKC');
    pairs.push([ch, k === '\u309b' ? '\u3099' : k === '\u309c' ? '\u309a' : k]);
  }
  // Spaces that NFKC makes U+0020; full-width signs U+FFE0–U+FFE6.
  for (const c of [0xa0, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004, 0x2005, 0x2006, 0x2007])
    pairs.push([String.fromCharCode(c), ' ']);
  for (const c of [0x2008, 0x2009, 0x200a, 0x202f, 0x205f, 0x3000])
    pairs.push([String.fromCharCode(c), ' ']);
  for (let c = 0xffe0; c <= 0xffe6; c++) {
    const ch = String.fromCharCode(c);
    pairs.push([ch, ch.normalize('NFKC')]);
  }
  // translate() maps one character to one: ￣ (NFKC: space + combining macron) goes by replace.
  return pairs.filter(([, to]) => to.length === 1);
})();

/** Parenthesised ideographs ㈠–㉃ and the squared ㍿ etc.: NFKC gives several characters. */
const NFKC_MULTI: [string, string][] = /* @__PURE__ */ (() => {
  const out: [string, string][] = [];
  for (let c = 0x3220; c <= 0x3243; c++) {
    const ch = String.fromCharCode(c);
    out.push([ch, ch.normalize('NFKC')]);
  }
  for (const ch of ['㍿', '㍻', '㍼', '㍽', '㍾', '㋿', '№', '℡', '™', '￣'])
    out.push([ch, ch.normalize('NFKC')]);
  return out;
})();

/** Every character the DuckDB printing folds, with its NFKC (for the golden test). */
export const DUCKDB_NFKC_TABLE: readonly [string, string][] = [...NFKC_MULTI, ...NFKC_SINGLE];

const WEEK_START = { month: 'MONTH', quarter: 'QUARTER' } as const;

/**
 * BigQuery Standard SQL.
 */
export const bigQuery: Dialect = {
  name: 'bigquery',
  ident: (n) => `\`${n.replace(/`/g, '')}\``,
  // "If a table path contains … special characters, enclose it in backticks"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/lexical#table_names).
  table: (id) => `\`${id.replace(/`/g, '')}\``,
  str: (s) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`,
  date: (iso) => `DATE '${iso}'`,
  // "DATE(timestamp_expression[, time_zone_expression]): Converts a TIMESTAMP expression to a
  // DATE data type" in the given time zone; DATE(datetime) takes the DATETIME's own date.
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date)
  dayOf: (col, zone) =>
    col.type === 'TIMESTAMP'
      ? `DATE(${bigQuery.ident(col.name)}, '${zone}')`
      : col.type === 'DATETIME'
        ? `DATE(${bigQuery.ident(col.name)})`
        : col.type === 'DATE'
          ? bigQuery.ident(col.name)
          : 'CAST(NULL AS DATE)',
  // "WEEK: … weeks begin on Sunday"; "ISOWEEK: Truncates date_expression to the preceding Monday"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date_trunc):
  // ISO weeks, as the custom functions count them, are ISOWEEK — never WEEK.
  periodStart: (day, period) =>
    `DATE_TRUNC(${day}, ${period === 'week' ? 'ISOWEEK' : WEEK_START[period]})`,
  // "%G The ISO 8601 year with century", "%V The ISO 8601 week number of the year (Monday as the
  // first day of the week) as a decimal number (01-53)", "%Q The quarter as a decimal number"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/format-elements#format_elements_date_time).
  periodLabel: (start, period) =>
    period === 'month'
      ? `FORMAT_DATE('%Y-%m', ${start})`
      : period === 'week'
        ? `FORMAT_DATE('%G-W%V', ${start})`
        : `FORMAT_DATE('%Y-Q%Q', ${start})`,
  // "GENERATE_DATE_ARRAY(start_date, end_date[, INTERVAL INT64_expr date_part])"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/array_functions#generate_date_array).
  periodSeries: (lo, hi, period, alias) =>
    `UNNEST(GENERATE_DATE_ARRAY(${lo}, ${hi}, INTERVAL ${period === 'week' ? '7 DAY' : period === 'month' ? '1 MONTH' : '3 MONTH'})) AS ${alias}`,
  // "NORMALIZE(value[, normalization_mode]) … NFKC: Compatibility Decomposition, followed by
  // Canonical Composition" (https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#normalize).
  nfkc: (s) => `NORMALIZE(${s}, NFKC)`,
  // "REGEXP_EXTRACT_ALL(value, regexp): Returns an array of all substrings of value that match
  // the re2 regular expression" (https://cloud.google.com/bigquery/docs/reference/standard-sql/string_functions#regexp_extract_all).
  matches: (s, p) => `REGEXP_EXTRACT_ALL(${s}, r'${p}')`,
  joinWithout: (arr, words) =>
    `ARRAY_TO_STRING(ARRAY(SELECT w FROM UNNEST(${arr}) AS w WITH OFFSET AS o WHERE w NOT IN (${words.map((w) => `'${w}'`).join(', ')}) ORDER BY o), '')`,
  arrayLength: (arr) => `ARRAY_LENGTH(${arr})`,
  // "If the regular expression contains a capturing group, the function returns the substring
  // that is matched by that capturing group" (…/string_functions#regexp_extract).
  extract: (s, p) => `REGEXP_EXTRACT(${s}, r'${p}')`,
  joinAll: (arr) => `ARRAY_TO_STRING(${arr}, '')`,
  text: (s) => `CAST(${s} AS STRING)`,
  nullOf: (t) => `CAST(NULL AS ${t})`,
  contains: (s, p) => `REGEXP_CONTAINS(${s}, r'${p}')`,
  replace: (s, p, by) => `REGEXP_REPLACE(${s}, r'${p}', ${bigQuery.str(by)})`,
  countIf: (c) => `COUNTIF(${c})`,
  anyOf: (c) => `COALESCE(LOGICAL_OR(${c}), FALSE)`,
  // "SAFE_DIVIDE(X, Y): Equivalent to the division operator (X / Y), but returns NULL if an
  // error occurs, such as a division by zero error"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/mathematical_functions#safe_divide).
  div: (a, b) => `SAFE_DIVIDE(${a}, ${b})`,
  toFloat: (s) => `SAFE_CAST(${s} AS FLOAT64)`,
  // "Query parameters … named parameters are denoted by an @ character followed by an identifier"
  // (https://cloud.google.com/bigquery/docs/parameterized-queries).
  param: (n) => `@${n}`,
  // "INFORMATION_SCHEMA.COLUMNS … column_name … data_type … ordinal_position", queried as
  // `project.dataset`.INFORMATION_SCHEMA.COLUMNS
  // (https://cloud.google.com/bigquery/docs/information-schema-columns).
  schemaQuery: (table) => {
    const parts = table.split('.');
    const name = parts.pop() ?? '';
    return `SELECT column_name, data_type FROM \`${parts.join('.')}\`.INFORMATION_SCHEMA.COLUMNS WHERE table_name = ${bigQuery.str(name)} ORDER BY ordinal_position`;
  },
  // DATE_DIFF(end_date, start_date, granularity): "Gets the number of unit boundaries between two
  // DATE values at a particular time granularity"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/date_functions#date_diff);
  // "ISOWEEK: Uses ISO 8601 week boundaries. ISO weeks begin on Monday" (the same parts in Looker
  // Studio's DATETIME_DIFF, https://cloud.google.com/looker/docs/studio/datetimediff). Between two
  // period starts the boundaries crossed are the whole periods.
  periodsBetween: (from, to, period) =>
    `DATE_DIFF(${to}, ${from}, ${period === 'week' ? 'ISOWEEK' : WEEK_START[period]})`,
  daysBetween: (from, to) => `DATE_DIFF(${to}, ${from}, DAY)`,
  // "PERCENTILE_CONT: Computes the specified percentile for a value, using linear interpolation";
  // a navigation function, a subset of the window functions (its OVER takes a PARTITION BY)
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/navigation_functions#percentile_cont).
  // The reference's example over 0, 3, NULL, 1, 2 gives 0.03 for the 0.01 percentile, 1.5 for
  // the 0.5 and 2.7 for the 0.9: NULL left out and h = (n − 1) × p, PERCENTILE.INC's ranks. It has
  // no aggregate form; APPROX_QUANTILES is approximate, so it is not used.
  percentileOver: (x, p, by) =>
    `PERCENTILE_CONT(${x}, ${p}) OVER (${by.length > 0 ? `PARTITION BY ${by.join(', ')}` : ''})`,
  // "ERROR(error_message): Returns an error"; "the WHERE clause evaluates an IF condition, which
  // ensures that GoogleSQL only evaluates the ERROR function if the condition fails"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/debugging_functions#error).
  check: (cond, value, message) => `IF(${cond}, ${value}, ERROR(${bigQuery.str(message)}))`,
  // "CAST(expression AS typename): Cast syntax is used in a query to indicate that the result type
  // of an expression should be converted to some other type"
  // (https://cloud.google.com/bigquery/docs/reference/standard-sql/conversion_functions#cast): the
  // shortest decimal that reads back as the number, read as FLOAT64.
  float: (x) => `CAST('${x}' AS FLOAT64)`,
};

/** DuckDB SQL (the local engine). */
export const duckDb: Dialect = {
  name: 'duckdb',
  ident: (n) => `"${n.replace(/"/g, '""')}"`,
  table: (id) => `"${id.replace(/"/g, '""')}"`,
  str: (s) => `'${s.replace(/'/g, "''")}'`,
  date: (iso) => `DATE '${iso}'`,
  // A TIMESTAMP WITH TIME ZONE seen at the spreadsheet's wall clock: `timezone(zone, ts)` — or,
  // in a zone whose offset has not changed since a date (STABLE_ZONES: Asia/Tokyo since 1952),
  // the instant shifted by that offset from then on, the same day at a third of the cost (the
  // benchmark: 4.2–4.9 s → 0.9 s of CPU for a month group-by over 10M rows).
  dayOf: (col, zone) => {
    const c = duckDb.ident(col.name);
    if (col.type === 'TIMESTAMP') {
      const zoned = `CAST(timezone('${zone}', ${c}) AS DATE)`;
      const stable = hasOwn(STABLE_ZONES, zone) ? STABLE_ZONES[zone] : undefined;
      if (!stable) return zoned;
      const shifted = `CAST(make_timestamp(epoch_us(${c}) + ${stable.offset * 1000}) AS DATE)`;
      return Number.isFinite(stable.since)
        ? `CASE WHEN ${c} >= make_timestamptz(${stable.since * 1000}::BIGINT) THEN ${shifted} ELSE ${zoned} END`
        : shifted;
    }
    return col.type === 'DATETIME' || col.type === 'DATE'
      ? `CAST(${c} AS DATE)`
      : 'CAST(NULL AS DATE)';
  },
  // DuckDB's 'week' is the ISO week (Monday), unlike BigQuery's WEEK.
  periodStart: (day, period) => `CAST(date_trunc('${period}', ${day}) AS DATE)`,
  periodLabel: (start, period) =>
    period === 'month'
      ? `strftime(${start}, '%Y-%m')`
      : period === 'week'
        ? `strftime(${start}, '%G-W%V')`
        : `(CAST(year(${start}) AS VARCHAR) || '-Q' || CAST(quarter(${start}) AS VARCHAR))`,
  periodSeries: (lo, hi, period, alias) =>
    `(SELECT CAST(unnest(generate_series(${lo}, ${hi}, INTERVAL ${period === 'week' ? '7 DAY' : period === 'month' ? '1 MONTH' : '3 MONTH'})) AS DATE) AS ${alias})`,
  nfkc: (s) => {
    let out = s;
    for (const [from, to] of NFKC_MULTI) out = `replace(${out}, '${from}', ${duckDb.str(to)})`;
    const from = NFKC_SINGLE.map(([f]) => f).join('');
    const to = NFKC_SINGLE.map(([, t]) => t).join('');
    return `nfc_normalize(translate(${out}, ${duckDb.str(from)}, ${duckDb.str(to)}))`;
  },
  matches: (s, p) => `regexp_extract_all(${s}, '${p.replace(/'/g, "''")}')`,
  joinWithout: (arr, words) =>
    `array_to_string(list_filter(${arr}, w -> NOT list_contains([${words.map((w) => `'${w}'`).join(', ')}], w)), '')`,
  arrayLength: (arr) => `len(${arr})`,
  extract: (s, p) => `regexp_extract(${s}, '${p.replace(/'/g, "''")}', 1)`,
  joinAll: (arr) => `array_to_string(${arr}, '')`,
  text: (s) => `CAST(${s} AS VARCHAR)`,
  nullOf: (t) => `CAST(NULL AS ${t === 'STRING' ? 'VARCHAR' : t === 'FLOAT64' ? 'DOUBLE' : t})`,
  contains: (s, p) => `regexp_matches(${s}, '${p.replace(/'/g, "''")}')`,
  replace: (s, p, by) => `regexp_replace(${s}, '${p.replace(/'/g, "''")}', ${duckDb.str(by)}, 'g')`,
  // count_if() of no rows is NULL in DuckDB; COUNTIF of no rows is 0 on BigQuery.
  countIf: (c) => `count(*) FILTER (WHERE ${c})`,
  anyOf: (c) => `COALESCE(bool_or(${c}), FALSE)`,
  div: (a, b) => `CASE WHEN (${b}) <> 0 THEN CAST(${a} AS DOUBLE) / (${b}) END`,
  toFloat: (s) => `TRY_CAST(${s} AS DOUBLE)`,
  param: (n) => `$${n}`,
  // DuckDB's information_schema, its type names put as BigQuery's.
  schemaQuery: (table) =>
    `SELECT column_name, CASE
    WHEN data_type = 'VARCHAR' THEN 'STRING'
    WHEN data_type IN ('BIGINT', 'INTEGER', 'SMALLINT', 'TINYINT', 'HUGEINT', 'UBIGINT', 'UINTEGER') THEN 'INT64'
    WHEN data_type IN ('DOUBLE', 'FLOAT', 'REAL') THEN 'FLOAT64'
    WHEN data_type LIKE 'DECIMAL%' THEN 'NUMERIC'
    WHEN data_type = 'BOOLEAN' THEN 'BOOL'
    WHEN data_type = 'DATE' THEN 'DATE'
    WHEN data_type = 'TIMESTAMP' THEN 'DATETIME'
    WHEN data_type = 'TIMESTAMP WITH TIME ZONE' THEN 'TIMESTAMP'
    ELSE data_type END AS data_type FROM information_schema.columns WHERE table_name = ${duckDb.str(table)} ORDER BY ordinal_position`,
  // Between period starts (Mondays for weeks) the differences are whole periods.
  periodsBetween: (from, to, period) => `date_diff('${period}', ${from}, ${to})`,
  daysBetween: (from, to) => `date_diff('day', ${from}, ${to})`,
  // quantile_cont interpolates between the values at ranks ⌊h⌋ and ⌊h⌋ + 1, h = (n − 1) × p, as
  // PERCENTILE.INC does (the parity tests compare it with the custom functions); a window
  // aggregate here so that both printings have one shape.
  percentileOver: (x, p, by) =>
    `quantile_cont(${x}, ${p}) OVER (${by.length > 0 ? `PARTITION BY ${by.join(', ')}` : ''})`,
  // CASE evaluates error() only on the rows whose branch is taken.
  check: (cond, value, message) =>
    `CASE WHEN ${cond} THEN ${value} ELSE error(${duckDb.str(message)}) END`,
  float: (x) => `CAST('${x}' AS DOUBLE)`,
};

export const DIALECTS = { bigquery: bigQuery, duckdb: duckDb } as const;
