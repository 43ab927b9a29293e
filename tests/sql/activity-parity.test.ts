/**
 * ACTIVITY_AREA as SQL gives the custom function's table, cell for cell: random activity tables
 * (the Japanese company spellings of tests/helpers/lead-table.ts and blank-looking ones, INT64
 * or quarter-valued FLOAT64 counts with blanks and now and then a negative one, owners spelt with
 * stray spaces, blank owners), with or without counts and owners, a min_coverage and a language —
 * the JS core (activityArea, localised as the custom function does) against the DuckDB printing
 * of activitySql. Owners come in the order of their first row when the query has the row order;
 * without it, by name.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activityArea } from '../../src/core/activity';
import type { Cell } from '../../src/core/cohort';
import { localizeTable } from '../../src/core/i18n';
import { type ActivityQuery, activitySql } from '../../src/core/sql/activity';
import { bigQuery, duckDb, type SqlColumn } from '../../src/core/sql/dialect';
import { createTable, type DuckConnection, duckConnection, rowsOf } from '../helpers/duck';
import { COMPANY_SPELLINGS } from '../helpers/lead-table';
import { BLANK_LOOKING, parseBigQuery } from '../helpers/sql-parity';

let con: DuckConnection;
beforeAll(async () => {
  con = await duckConnection();
});
afterAll(() => con.closeSync());

interface Activity {
  company: string | null;
  n: number | null;
  hours: number | null;
  owner: string | null;
}

const TABLE: Record<'company' | 'n' | 'hours' | 'owner' | 'row', SqlColumn> = {
  company: { name: 'company', type: 'STRING' },
  n: { name: 'n', type: 'INT64' },
  hours: { name: 'hours', type: 'FLOAT64' },
  owner: { name: 'owner', type: 'STRING' },
  row: { name: 'row_no', type: 'INT64' },
};

const OWNERS = [
  '田中',
  '田中　',
  ' 田中',
  '鈴木',
  'Sato',
  'sato',
  'Ｓａｔｏ',
  '',
  '　',
  '\t',
  null,
];
const activityArb: fc.Arbitrary<Activity> = fc.record({
  company: fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...COMPANY_SPELLINGS) },
    { weight: 1, arbitrary: fc.constantFrom(...BLANK_LOOKING) },
  ),
  n: fc.oneof(
    { weight: 80, arbitrary: fc.option(fc.integer({ min: 0, max: 6 }), { nil: null, freq: 5 }) },
    { weight: 1, arbitrary: fc.constant(-1) },
  ),
  // Quarters: their sums are exact in any order.
  hours: fc.option(
    fc.integer({ min: 0, max: 20 }).map((x) => x / 4),
    { nil: null, freq: 5 },
  ),
  owner: fc.constantFrom(...OWNERS),
});

interface Case {
  counts: 'none' | 'n' | 'hours';
  owners: boolean;
  rowOrder: boolean;
  minCoverage?: number;
  lang: 'ja' | 'en';
}

/** The custom function's table below its header, or the error it throws. */
function jsTable(rows: Activity[], c: Case): Cell[][] | Error {
  try {
    const table = activityArea(
      rows.map((r) => r.company ?? ''),
      {
        counts: c.counts === 'none' ? undefined : rows.map((r) => r[c.counts as 'n'] ?? ''),
        owners: c.owners ? rows.map((r) => r.owner ?? '') : undefined,
        minCoverage: c.minCoverage,
      },
    );
    return localizeTable(table, c.lang, { total: true, healthCol: 5 }).slice(1);
  } catch (e) {
    return e as Error;
  }
}

/** Owner rows by name (code point order), the Total row last. */
const byName = (rows: Cell[][]) => [
  ...rows.slice(0, -1).sort((a, b) => (String(a[0]) < String(b[0]) ? -1 : 1)),
  ...rows.slice(-1),
];

async function both(rows: Activity[], c: Case) {
  await createTable(
    con,
    'activities',
    Object.values(TABLE),
    rows.map((r, i) => [r.company, r.n, r.hours, r.owner, i + 1]),
  );
  const q: ActivityQuery = {
    table: 'activities',
    companies: TABLE.company,
    counts: c.counts === 'none' ? undefined : TABLE[c.counts],
    owners: c.owners ? TABLE.owner : undefined,
    rowOrder: c.rowOrder ? TABLE.row : undefined,
    minCoverage: c.minCoverage,
    lang: c.lang,
  };
  const js = jsTable(rows, c);
  const sql = await rowsOf(con, activitySql(q, duckDb)).catch((e: Error) => e);
  return { js: js instanceof Error || c.rowOrder ? js : byName(js), sql };
}

describe('ACTIVITY_AREA as SQL (DuckDB) = the custom function', () => {
  it('on a hand-checked table', async () => {
    const rows: Activity[] = [
      { company: '株式会社アルファ', n: 2, hours: null, owner: '田中' },
      { company: 'アルファ株式会社', n: 1, hours: null, owner: '田中　' },
      { company: 'Acme Inc.', n: 0, hours: null, owner: '鈴木' },
      { company: 'taro@beta.co.jp', n: 3, hours: null, owner: '鈴木' },
      { company: '', n: 5, hours: null, owner: '佐藤' },
      { company: 'ガンマ', n: null, hours: null, owner: null },
      { company: 'acme', n: 1, hours: null, owner: '田中' },
    ];
    const { js, sql } = await both(rows, {
      counts: 'n',
      owners: true,
      rowOrder: true,
      lang: 'ja',
    });
    // 田中: 2 + 1 + 1 activities on アルファ (twice) and acme: 2 companies, area 8, coverage 0.5.
    // 鈴木: 0 on Acme (not reached) + 3 on beta.co.jp: 1 company, coverage 1/3 < 0.5.
    // (blank): ガンマ with a blank count, 0 activities. 佐藤's row has no company: not listed.
    // Total: 7 activities, アルファ, acme, beta.co.jp reached.
    expect(sql).toEqual([
      ['田中', 4, 2, 8, 0.5, 'OK'],
      ['鈴木', 3, 1, 3, 1 / 3, '不足'],
      ['(blank)', 0, 0, 0, '', ''],
      ['合計', 7, 3, 21, 3 / 7, '不足'],
    ]);
    expect(sql).toEqual(js);
  });

  it('fails where the custom function fails: a negative count on a row with a company', async () => {
    const rows: Activity[] = [
      { company: '', n: -1, hours: null, owner: '田中' },
      { company: 'Acme', n: 2, hours: null, owner: '田中' },
    ];
    const c: Case = { counts: 'n', owners: true, rowOrder: true, lang: 'en' };
    expect((await both(rows, c)).sql).toEqual([
      ['田中', 2, 1, 2, 0.5, 'OK'],
      ['Total', 2, 1, 2, 0.5, 'OK'],
    ]);
    rows[0].company = 'Beta';
    const { js, sql } = await both(rows, c);
    expect(js).toBeInstanceOf(Error);
    expect(String(sql)).toContain('counts (n): a negative count on a row with a company');
  });

  it('gives the same table for random activity tables, columns and thresholds', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(activityArb, { maxLength: 40, size: 'max' }),
        fc.record({
          counts: fc.constantFrom('none' as const, 'n' as const, 'hours' as const),
          owners: fc.boolean(),
          rowOrder: fc.boolean(),
          minCoverage: fc.option(fc.constantFrom(0, 0.25, 1 / 3, 0.5, 1), { nil: undefined }),
          lang: fc.constantFrom('ja' as const, 'en' as const),
        }),
        async (rows, c) => {
          const { js, sql } = await both(rows, c);
          if (js instanceof Error) expect(sql).toBeInstanceOf(Error);
          else expect(sql).toEqual(js);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('reads coverage at min_coverage as OK within 1e-12, as the custom function does', async () => {
    // 3 companies ÷ 10 activities = 0.3, below 0.1 + 0.2 = 0.30000000000000004 by 6e-17.
    const rows: Activity[] = ['Acme', 'Beta', 'Gamma'].map((company, i) => ({
      company,
      n: i === 0 ? 8 : 1,
      hours: null,
      owner: null,
    }));
    const { js, sql } = await both(rows, {
      counts: 'n',
      owners: false,
      rowOrder: false,
      minCoverage: 0.1 + 0.2,
      lang: 'en',
    });
    expect(sql).toEqual([['Total', 10, 3, 30, 0.3, 'OK']]);
    expect(sql).toEqual(js);
  });

  it('refuses counts that are not numbers and a negative min_coverage', () => {
    const q: ActivityQuery = { table: 'a', companies: TABLE.company, lang: 'en' };
    expect(() => activitySql({ ...q, counts: { name: 'n', type: 'STRING' } }, duckDb)).toThrow(
      'counts (n): STRING is not a number type',
    );
    expect(() => activitySql({ ...q, minCoverage: -0.1 }, duckDb)).toThrow('min_coverage');
  });
});

describe('ACTIVITY_AREA printed for BigQuery parses with a BigQuery grammar', () => {
  it('with counts, owners and the row order', () => {
    const sql = activitySql(
      {
        table: 'project.dataset.activities',
        companies: TABLE.company,
        counts: TABLE.n,
        owners: TABLE.owner,
        rowOrder: TABLE.row,
        minCoverage: 0.4,
        lang: 'ja',
      },
      bigQuery,
    );
    expect(() => parseBigQuery(sql)).not.toThrow();
  });

  it('companies alone', () => {
    const sql = activitySql(
      { table: 'project.dataset.activities', companies: TABLE.company, lang: 'en' },
      bigQuery,
    );
    expect(() => parseBigQuery(sql)).not.toThrow();
  });
});
