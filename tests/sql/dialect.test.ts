/**
 * The two printings of one query model. BigQuery's: every query parses with a maintained
 * BigQuery grammar (node-sql-parser's), which rejects DuckDB-only syntax; DuckDB's: golden
 * outputs for every construct that differs between the dialects — the ISO week (BigQuery's WEEK
 * starts on Sunday, DuckDB's on Monday), NFKC (BigQuery NORMALIZE(x, NFKC), DuckDB only NFC),
 * the time-zone conversion — each against a value worked out by hand or by JavaScript's own
 * Intl/normalize, never by the printer under test.
 */
import pkg from 'node-sql-parser/build/bigquery.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Period } from '../../src/core/dates';
import { parseStatusMap } from '../../src/core/funnel';
import { bigQuery, DUCKDB_NFKC_TABLE, duckDb } from '../../src/core/sql/dialect';
import { funnelSql, type LeadTableColumns } from '../../src/core/sql/funnel';
import { type DuckConnection, duckConnection, rowsOf } from '../helpers/duck';
import { LEAD_TABLE } from '../helpers/lead-table';

const { Parser } = pkg as unknown as {
  Parser: new () => { astify(sql: string, opt: { database: string }): unknown };
};
const parser = new Parser();
const parsesAsBigQuery = (sql: string): boolean => {
  try {
    parser.astify(sql, { database: 'BigQuery' });
    return true;
  } catch {
    return false;
  }
};

let con: DuckConnection;
beforeAll(async () => {
  con = await duckConnection();
});
afterAll(() => con.closeSync());
const one = async (expr: string): Promise<unknown> => (await rowsOf(con, `SELECT ${expr}`))[0][0];

const PERIODS: Period[] = ['month', 'week', 'quarter'];
const statusMap = parseStatusMap('MQL=mql; SAL=sal; 商談化=sql; 受注=won; 失注=lost');
const withoutStatuses: LeadTableColumns = { ...LEAD_TABLE, statuses: undefined };

describe('BigQuery printing: parsed by a BigQuery grammar', () => {
  for (const period of PERIODS) {
    it(`KPI_FUNNEL by ${period}: every mapping shape parses; its DuckDB twin does not`, () => {
      const shapes = [
        { columns: LEAD_TABLE, statusMap, withSal: true, exclude: ['パートナー'] },
        { columns: withoutStatuses, from: '2025-01-01', to: '2025-06-30' },
        { columns: { created: LEAD_TABLE.created } },
        { columns: { close: LEAD_TABLE.close, statuses: LEAD_TABLE.statuses }, statusMap },
      ];
      for (const s of shapes) {
        const q = {
          table: 'my-project.crm.leads',
          zone: 'Asia/Tokyo',
          lang: 'ja' as const,
          period,
          ...s,
        };
        expect(parsesAsBigQuery(funnelSql(q, bigQuery))).toBe(true);
        // The grammar is not lenient: the DuckDB printing (FILTER, list_filter …) is refused.
        expect(parsesAsBigQuery(funnelSql(q, duckDb))).toBe(false);
      }
    });
  }

  it('prints the BigQuery forms of the constructs that differ', () => {
    expect(bigQuery.periodStart('d', 'week')).toBe('DATE_TRUNC(d, ISOWEEK)');
    expect(bigQuery.periodLabel('d', 'week')).toBe("FORMAT_DATE('%G-W%V', d)");
    expect(bigQuery.nfkc('x')).toBe('NORMALIZE(x, NFKC)');
    expect(bigQuery.dayOf({ name: 'created_at', type: 'TIMESTAMP' }, 'Asia/Tokyo')).toBe(
      "DATE(`created_at`, 'Asia/Tokyo')",
    );
    expect(bigQuery.dayOf({ name: 'd', type: 'DATETIME' }, 'Asia/Tokyo')).toBe('DATE(`d`)');
  });
});

describe('DuckDB printing: golden outputs', () => {
  it('weeks are ISO weeks: Monday-first, labelled by the ISO year', async () => {
    // 2025-04-06 is a Sunday: its ISO week began on Monday 2025-03-31 (BigQuery's WEEK would
    // give Sunday 2025-04-06 itself). 2024-12-30 (Monday) is in 2025-W01; 2027-01-01 (Friday)
    // in 2026-W53; 2021-01-03 (Sunday) in 2020-W53.
    const cases: [string, string, string][] = [
      ['2025-04-06', '2025-03-31', '2025-W14'],
      ['2025-04-07', '2025-04-07', '2025-W15'],
      ['2024-12-30', '2024-12-30', '2025-W01'],
      ['2027-01-01', '2026-12-28', '2026-W53'],
      ['2021-01-03', '2020-12-28', '2020-W53'],
    ];
    for (const [day, monday, label] of cases) {
      const start = duckDb.periodStart(`DATE '${day}'`, 'week');
      expect(String(await one(`CAST(${start} AS VARCHAR)`))).toBe(monday);
      expect(await one(duckDb.periodLabel(start, 'week'))).toBe(label);
    }
  });

  it('months and quarters', async () => {
    const q = duckDb.periodStart(`DATE '2025-08-31'`, 'quarter');
    expect(String(await one(`CAST(${q} AS VARCHAR)`))).toBe('2025-07-01');
    expect(await one(duckDb.periodLabel(q, 'quarter'))).toBe('2025-Q3');
    const m = duckDb.periodStart(`DATE '2025-02-28'`, 'month');
    expect(await one(duckDb.periodLabel(m, 'month'))).toBe('2025-02');
    const series = await rowsOf(
      con,
      `SELECT ${duckDb.periodLabel('p', 'month')} FROM ${duckDb.periodSeries("DATE '2024-11-01'", "DATE '2025-02-01'", 'month', 'p')}`,
    );
    expect(series.map((r) => r[0])).toEqual(['2024-11', '2024-12', '2025-01', '2025-02']);
  });

  it('the local day of an instant is the spreadsheet zone’s', async () => {
    const day = async (instant: string, zone: string) => {
      await con.run('DROP TABLE IF EXISTS z');
      await con.run(`CREATE TABLE z AS SELECT TIMESTAMPTZ '${instant}' AS t`);
      const r = await rowsOf(
        con,
        `SELECT CAST(${duckDb.dayOf({ name: 't', type: 'TIMESTAMP' }, zone)} AS VARCHAR) FROM z`,
      );
      return r[0][0];
    };
    // 15:30 UTC on 31 March is 00:30 on 1 April in Tokyo (UTC+9, no DST).
    expect(await day('2025-03-31 15:30:00+00', 'Asia/Tokyo')).toBe('2025-04-01');
    expect(await day('2025-03-31 14:59:59+00', 'Asia/Tokyo')).toBe('2025-03-31');
    // New York: 04:30 UTC on 9 March 2025 is 23:30 EST on the 8th; after the switch to EDT
    // (07:00 UTC), 04:30 UTC on 10 March is 00:30 EDT on the 10th.
    expect(await day('2025-03-09 04:30:00+00', 'America/New_York')).toBe('2025-03-08');
    expect(await day('2025-03-10 04:30:00+00', 'America/New_York')).toBe('2025-03-10');
    // Tokyo kept summer time in 1948–51 (UTC+10): 14:30 UTC on 1 July 1950 was 00:30 on the
    // 2nd there — the day JavaScript's own zone data gives, not the +09:00 shift's.
    const summer = Date.parse('1950-07-01T14:30:00Z');
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Tokyo' }).format(summer);
    expect(await day('1950-07-01 14:30:00+00', 'Asia/Tokyo')).toBe(parts);
    // The same instant written with another offset is the same day.
    expect(await day('2025-04-01 00:30:00+09:00', 'Asia/Tokyo')).toBe('2025-04-01');
    expect(await day('2025-03-31 10:30:00-05:00', 'Asia/Tokyo')).toBe('2025-04-01');
  });

  it('periods and days between, PERCENTILE.INC, the failing check', async () => {
    // Whole months / ISO weeks / quarters between period starts; days between dates.
    expect(
      await one(duckDb.periodsBetween("DATE '2024-11-01'", "DATE '2025-02-01'", 'month')),
    ).toBe(3);
    expect(await one(duckDb.periodsBetween("DATE '2024-12-30'", "DATE '2025-01-13'", 'week'))).toBe(
      2,
    );
    expect(
      await one(duckDb.periodsBetween("DATE '2025-04-01'", "DATE '2024-10-01'", 'quarter')),
    ).toBe(-2);
    expect(await one(duckDb.daysBetween("DATE '2024-02-28'", "DATE '2024-03-01'"))).toBe(2);
    // The reference's own example: 0, 3, NULL, 1, 2 → 0.03, 1.5, 2.7 (PERCENTILE.INC).
    const pct = async (p: number) =>
      (
        await rowsOf(
          con,
          `SELECT ${duckDb.percentileOver('x', p, [])} FROM (VALUES (0), (3), (NULL), (1), (2)) AS v(x) LIMIT 1`,
        )
      )[0][0] as number;
    expect(await pct(0.01)).toBeCloseTo(0.03, 12);
    expect(await pct(0.5)).toBe(1.5);
    expect(await pct(0.9)).toBeCloseTo(2.7, 12);
    await expect(
      rowsOf(con, `SELECT ${duckDb.check('1 > 2', '1', 'counts must not be negative')}`),
    ).rejects.toThrow(/counts must not be negative/);
    expect(await one(duckDb.check('2 > 1', '7', 'x'))).toBe(7);
  });

  it('folds every character of its NFKC table as JavaScript’s NFKC does', async () => {
    const chars = DUCKDB_NFKC_TABLE.map(([c]) => c);
    expect(chars.length).toBeGreaterThan(200);
    const values = chars.map((c) => `(${duckDb.str(c)})`).join(', ');
    const rows = await rowsOf(con, `SELECT c, ${duckDb.nfkc('c')} FROM (VALUES ${values}) AS v(c)`);
    const wrong = rows.filter(([c, k]) => k !== String(c).normalize('NFKC'));
    expect(wrong).toEqual([]);
    // Composed with what follows: half-width カ + ゛ is one ガ; a name keeps its other letters.
    expect(await one(duckDb.nfkc("'ｶﾞﾝﾏ㈱　ＡＣＭＥ'"))).toBe('ガンマ(株) ACME');
    expect(await one(duckDb.nfkc("'ﾎﾟｲﾝﾄ'"))).toBe('ポイント');
  });
});
