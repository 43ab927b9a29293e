/**
 * CYCLE_TIME as SQL gives the custom function's main table (no group), cell for cell: random
 * lead tables (tests/helpers/lead-table.ts), a random start and end column among the date columns
 * (TIMESTAMP written at mixed UTC offsets, DATE, DATETIME: ends before starts, blanks), period and
 * language — the JS core (cycleTime over the values a Sheets extract shows, its Total label
 * localised as the custom function does) against the DuckDB printing of cycleTimeSql. Medians and
 * p75s must be the same numbers: PERCENTILE.INC, not an approximation.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cycleTime } from '../../src/core/cycleTime';
import { ZoneClock } from '../../src/core/dates';
import { totalLabel } from '../../src/core/i18n';
import { type CycleTimeQuery, cycleTimeSql } from '../../src/core/sql/cycleTime';
import { bigQuery, duckDb } from '../../src/core/sql/dialect';
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
import { leadWithBlanksArb, parseBigQuery } from '../helpers/sql-parity';

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
  period: 'month' | 'week' | 'quarter';
  lang: 'ja' | 'en';
}

async function both(leads: GeneratedLead[], c: Case) {
  await createTable(
    con,
    'leads',
    SQL_COLUMNS,
    leads.map((l) => ROLES.map((r) => tableValue(r, l))),
  );
  const js = cycleTime(
    leads.map((l) => cellValue(c.start, l)),
    leads.map((l) => cellValue(c.end, l)),
    { period: c.period, clock },
  ).slice(1);
  js[js.length - 1][0] = totalLabel(c.lang);
  const q: CycleTimeQuery = {
    table: 'leads',
    startDates: LEAD_TABLE[c.start],
    endDates: LEAD_TABLE[c.end],
    period: c.period,
    zone: ZONE,
    lang: c.lang,
  };
  return { js, sql: await rowsOf(con, cycleTimeSql(q, duckDb)) };
}

const at = (tokyo: string) => Date.parse(`${tokyo}+09:00`);
/** Started (created) at a Tokyo wall time, ended (won, a DATETIME) at one. */
function row(start: string | null, end: string | null): GeneratedLead {
  const s = start ? at(start) : null;
  return {
    created: s,
    mql: null,
    deal: null,
    won: end ? at(end) - (s ?? Date.UTC(2024, 11, 15) + 40 * 86_400_000) : null,
    close: null,
    lost: null,
    amount: null,
    company: null,
    target: null,
    status: null,
    offset: 540,
  };
}

describe('CYCLE_TIME as SQL (DuckDB) = the custom function', () => {
  it('on a hand-checked table', async () => {
    const rows = [
      row('2025-01-10T09:00:00', '2025-01-20T18:00:00'), // 10 days
      row('2025-01-15T23:00:00', '2025-01-16T01:00:00'), // 1 day (two hours, across midnight)
      row('2025-01-20T09:00:00', '2025-02-10T09:00:00'), // 21 days
      row('2025-01-25T09:00:00', null), // open
      row('2025-03-05T09:00:00', '2025-03-01T09:00:00'), // ends before it starts: 0 days
      row(null, '2025-03-10T09:00:00'), // no start: left out
    ];
    const { js, sql } = await both(rows, {
      start: 'created',
      end: 'won',
      period: 'month',
      lang: 'ja',
    });
    // January: 1, 10, 21 → median 10, p75 at rank 1.5 = 10 + 0.5 × 11; mean 32 / 3; one open.
    // All: 0, 1, 10, 21 → median at rank 1.5 = 5.5, p75 at rank 2.25 = 10 + 0.25 × 11.
    expect(sql).toEqual([
      ['2025-01', 3, 10, 15.5, 32 / 3, 1],
      ['2025-02', 0, '', '', '', 0],
      ['2025-03', 1, 0, 0, 0, 0],
      ['合計', 4, 5.5, 12.75, 8, 1],
    ]);
    expect(sql).toEqual(js);
  });

  it('gives a Total row on a table without starts', async () => {
    const { js, sql } = await both([row(null, '2025-03-10T09:00:00')], {
      start: 'created',
      end: 'won',
      period: 'week',
      lang: 'en',
    });
    expect(sql).toEqual([['Total', 0, '', '', '', 0]]);
    expect(sql).toEqual(js);
  });

  it('gives the same table for random tables, start and end columns, periods', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadWithBlanksArb, { maxLength: 40, size: 'max' }),
        fc.record({
          start: fc.constantFrom<DateRole>(...DATE_ROLES),
          end: fc.constantFrom<DateRole>(...DATE_ROLES),
          period: fc.constantFrom('month' as const, 'week' as const, 'quarter' as const),
          lang: fc.constantFrom('ja' as const, 'en' as const),
        }),
        async (leads, c) => {
          const { js, sql } = await both(leads, c);
          expect(sql).toEqual(js);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses columns SQL cannot read as dates', () => {
    expect(() =>
      cycleTimeSql(
        {
          table: 'leads',
          startDates: LEAD_TABLE.created,
          endDates: { name: 'closed', type: 'FLOAT64' },
          period: 'month',
          zone: ZONE,
          lang: 'en',
        },
        duckDb,
      ),
    ).toThrow('end_dates (closed): FLOAT64 is not a date type');
  });
});

describe('CYCLE_TIME printed for BigQuery parses with a BigQuery grammar', () => {
  for (const period of ['month', 'week', 'quarter'] as const) {
    it(`by ${period}`, () => {
      const sql = cycleTimeSql(
        {
          table: 'project.dataset.deals',
          startDates: LEAD_TABLE.deal,
          endDates: LEAD_TABLE.close,
          period,
          zone: ZONE,
          lang: 'ja',
        },
        bigQuery,
      );
      expect(() => parseBigQuery(sql)).not.toThrow();
    });
  }
});
