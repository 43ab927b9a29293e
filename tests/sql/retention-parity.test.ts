/**
 * RETENTION as SQL gives the custom function's table, cell for cell: random tables
 * (tests/helpers/lead-table.ts, company column with blank-looking spellings), a random start and
 * end column among the date columns (TIMESTAMP written at mixed UTC offsets, DATE, DATETIME:
 * ends before starts, blanks), period, as_of and companies — the JS core (retention over the
 * values a Sheets extract shows) against the DuckDB printing of retentionSql. The JS table's +k
 * columns are as many as its data needs; the query has `ages` of them: the JS rows are padded
 * with blank cells to that width.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../src/core/cohort';
import { ZoneClock } from '../../src/core/dates';
import { retention } from '../../src/core/retention';
import { bigQuery, duckDb } from '../../src/core/sql/dialect';
import {
  type RetentionQuery,
  retentionSql,
  retentionSqlColumns,
} from '../../src/core/sql/retention';
import { createTable, type DuckConnection, duckConnection, rowsOf } from '../helpers/duck';
import {
  cellValue,
  type GeneratedLead,
  LEAD_TABLE,
  ROLES,
  SQL_COLUMNS,
  tableValue,
  ZONE,
} from '../helpers/lead-table';
import { asOfArb, leadWithBlanksArb, parseBigQuery } from '../helpers/sql-parity';

let con: DuckConnection;
beforeAll(async () => {
  con = await duckConnection();
});
afterAll(() => con.closeSync());

const clock = new ZoneClock(ZONE);
type DateRole = 'created' | 'mql' | 'deal' | 'won' | 'close' | 'lost';
const DATE_ROLES: DateRole[] = ['created', 'mql', 'deal', 'won', 'close', 'lost'];

interface Case {
  start: DateRole;
  end: DateRole;
  companies: boolean;
  period: 'month' | 'week' | 'quarter';
  asOf?: string;
  /** +k columns beyond the JS table's. */
  extraAges: number;
}

async function both(rows: GeneratedLead[], c: Case) {
  await createTable(
    con,
    'customers',
    SQL_COLUMNS,
    rows.map((l) => ROLES.map((r) => tableValue(r, l))),
  );
  const cells = (r: DateRole | 'companies') => rows.map((l) => cellValue(r, l));
  const js = retention(cells(c.start), cells(c.end), {
    period: c.period,
    clock,
    asOf: c.asOf,
    companies: c.companies ? cells('companies') : undefined,
  });
  const q: RetentionQuery = {
    table: 'customers',
    startDates: LEAD_TABLE[c.start],
    endDates: LEAD_TABLE[c.end],
    companies: c.companies ? LEAD_TABLE.companies : undefined,
    period: c.period,
    zone: ZONE,
    asOf: c.asOf,
    ages: Math.max(1, js[0].length - 2 + c.extraAges),
  };
  const sql = await rowsOf(con, retentionSql(q, duckDb));
  const width = retentionSqlColumns(q).length;
  const body: Cell[][] = js
    .slice(1)
    .map((r) => [...r, ...Array<Cell>(Math.max(0, width - r.length)).fill('')]);
  return { js: body, sql, jsWidth: js[0].length };
}

const at = (tokyo: string) => Date.parse(`${tokyo}+09:00`);
/** A customer from a Tokyo wall time (created, TIMESTAMP) to a Tokyo day (lost, DATE). */
function customer(start: string, end: string | null, company: string): GeneratedLead {
  return {
    created: at(start),
    mql: null,
    deal: null,
    won: null,
    close: null,
    lost: end ? at(`${end}T12:00:00`) - at(start) : null,
    amount: null,
    company,
    target: null,
    status: null,
    offset: -300,
  };
}
const HAND = [
  customer('2025-01-10T10:00:00', '2025-02-15', 'Acme Inc.'),
  customer('2025-01-20T10:00:00', null, 'acme'),
  customer('2025-01-25T10:00:00', '2025-01-28', 'Gamma'),
  customer('2025-03-03T10:00:00', '2025-03-01', 'Delta'),
  customer('2025-03-20T10:00:00', '2025-04-10', 'K.K. Delta'),
];
const HAND_CASE: Case = {
  start: 'created',
  end: 'lost',
  companies: false,
  period: 'month',
  extraAges: 0,
};

describe('RETENTION as SQL (DuckDB) = the custom function', () => {
  it('on a hand-checked table: by customer, as_of the latest date and a month earlier', async () => {
    const latest = await both(HAND, { ...HAND_CASE, extraAges: 1 });
    // as_of = 04-10 (April), K = 3. January: 3 customers, one gone in January (+0), one in
    // February (+1). March: 2, one gone before its start (+0), one in April (+1). +4: no K.
    expect(latest.sql).toEqual([
      ['2025-01', 3, 2 / 3, 1 / 3, 1 / 3, 1 / 3, ''],
      ['2025-02', 0, '', '', '', '', ''],
      ['2025-03', 2, 0.5, 0, '', '', ''],
    ]);
    expect(latest.sql).toEqual(latest.js);
    const march = await both(HAND, { ...HAND_CASE, asOf: '2025-03-31' });
    // as_of 03-31: the April end is not known yet, K = 2.
    expect(march.sql).toEqual([
      ['2025-01', 3, 2 / 3, 1 / 3, 1 / 3],
      ['2025-02', 0, '', '', ''],
      ['2025-03', 2, 0.5, '', ''],
    ]);
    expect(march.sql).toEqual(march.js);
  });

  it('on a hand-checked table: by company', async () => {
    const { js, sql } = await both(HAND, { ...HAND_CASE, companies: true });
    // Acme (two spellings): from 01-10, still open (acme's row). Gamma: January, gone in
    // January. Delta (Delta, K.K. Delta): from 03-03, latest end 04-10 (+1).
    expect(sql).toEqual([
      ['2025-01', 2, 0.5, 0.5, 0.5, 0.5],
      ['2025-02', 0, '', '', '', ''],
      ['2025-03', 1, 1, 0, '', ''],
    ]);
    expect(sql).toEqual(js);
  });

  it('gives the same table for random tables, columns, periods, as_of and companies', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadWithBlanksArb, { maxLength: 40, size: 'max' }),
        fc.record({
          start: fc.constantFrom<DateRole>(...DATE_ROLES),
          end: fc.constantFrom<DateRole>(...DATE_ROLES),
          companies: fc.boolean(),
          period: fc.constantFrom('month' as const, 'week' as const, 'quarter' as const),
          asOf: fc.option(asOfArb, { nil: undefined }),
          extraAges: fc.integer({ min: 0, max: 3 }),
        }),
        async (rows, c) => {
          const { js, sql, jsWidth } = await both(rows, c);
          expect(sql).toEqual(js);
          // Where the JS table has no column, the SQL cells are blank.
          for (const row of sql) expect(row.slice(jsWidth).every((v) => v === '')).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses columns SQL cannot read as dates, and a query without ages', () => {
    const q: RetentionQuery = {
      table: 'customers',
      startDates: LEAD_TABLE.created,
      endDates: LEAD_TABLE.lost,
      period: 'month',
      zone: ZONE,
      ages: 3,
    };
    expect(() =>
      retentionSql({ ...q, endDates: { name: 'churn', type: 'STRING' } }, duckDb),
    ).toThrow('end_dates (churn): STRING is not a date type');
    expect(() => retentionSql({ ...q, ages: 0 }, duckDb)).toThrow('ages');
  });
});

describe('RETENTION printed for BigQuery parses with a BigQuery grammar', () => {
  for (const period of ['month', 'week', 'quarter'] as const) {
    it(`by ${period}`, () => {
      const sql = retentionSql(
        {
          table: 'project.dataset.customers',
          startDates: LEAD_TABLE.won,
          endDates: LEAD_TABLE.close,
          companies: LEAD_TABLE.companies,
          period,
          zone: ZONE,
          asOf: '2025-06-30',
          ages: 3,
        },
        bigQuery,
      );
      expect(() => parseBigQuery(sql)).not.toThrow();
    });
  }
});
