/**
 * CYCLE_TIME as SQL gives the custom function's table, cell for cell: random lead tables
 * (tests/helpers/lead-table.ts), a random start and end column among the date columns
 * (TIMESTAMP written at mixed UTC offsets, DATE, DATETIME: ends before starts, blanks), period,
 * language, and a group column or none (groups in the order of their first row when the query has
 * the row order, by name without) — the JS core (cycleTime over the values a Sheets extract shows,
 * localised as cycleTimeCell does) against the DuckDB printing of cycleTimeSql. Medians and p75s
 * must be the same numbers: PERCENTILE.INC, not an approximation.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cell } from '../../src/core/cohort';
import { cycleTime, TOTAL } from '../../src/core/cycleTime';
import { ZoneClock } from '../../src/core/dates';
import { allLabel, totalLabel } from '../../src/core/i18n';
import { type CycleTimeQuery, cycleTimeSql } from '../../src/core/sql/cycleTime';
import { bigQuery, duckDb, type SqlColumn } from '../../src/core/sql/dialect';
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
  group?: 'targets' | 'statuses' | 'companies';
  rowOrder?: boolean;
}

const ROW_NO: SqlColumn = { name: 'row_no', type: 'INT64' };

/**
 * The grouped table as the query orders it without a row order: the grid by period then group
 * name, the groups' Total rows by name, the grand total last.
 */
function byName(rows: Cell[][], lang: 'ja' | 'en'): Cell[][] {
  const section = (r: Cell[]) => (r[0] !== totalLabel(lang) ? 0 : r === rows.at(-1) ? 2 : 1);
  const key = (r: Cell[]) => [section(r), section(r) === 0 ? String(r[0]) : '', String(r[1])];
  return rows.slice().sort((a, b) => {
    const [x, y] = [key(a), key(b)];
    for (let i = 0; i < 3; i++) if (x[i] !== y[i]) return x[i] < y[i] ? -1 : 1;
    return 0;
  });
}

async function both(leads: GeneratedLead[], c: Case) {
  await createTable(
    con,
    'leads',
    [...SQL_COLUMNS, ROW_NO],
    leads.map((l, i) => [...ROLES.map((r) => tableValue(r, l)), i + 1]),
  );
  const group = c.group;
  const js = cycleTime(
    leads.map((l) => cellValue(c.start, l)),
    leads.map((l) => cellValue(c.end, l)),
    { period: c.period, clock, group: group ? leads.map((l) => cellValue(group, l)) : undefined },
  ).slice(1);
  // As cycleTimeCell localises: every Total row, and the grand total's "all".
  for (const r of js) if (r[0] === TOTAL) r[0] = totalLabel(c.lang);
  if (group) js[js.length - 1][1] = allLabel(c.lang);
  const q: CycleTimeQuery = {
    table: 'leads',
    startDates: LEAD_TABLE[c.start],
    endDates: LEAD_TABLE[c.end],
    period: c.period,
    group: group ? LEAD_TABLE[group] : undefined,
    rowOrder: c.rowOrder ? ROW_NO : undefined,
    zone: ZONE,
    lang: c.lang,
  };
  const sql = await rowsOf(con, cycleTimeSql(q, duckDb));
  return { js: group && !c.rowOrder ? byName(js, c.lang) : js, sql };
}

const at = (tokyo: string) => Date.parse(`${tokyo}+09:00`);
/** Started (created) at a Tokyo wall time, ended (won, a DATETIME) at one. */
function row(start: string | null, end: string | null, group: string | null = null): GeneratedLead {
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
    target: group,
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

  it('on a hand-checked table: by group, groups in the order of their first row', async () => {
    const rows = [
      row('2025-01-10T09:00:00', '2025-01-20T18:00:00', 'B team'), // 10 days
      row('2025-01-15T23:00:00', '2025-01-16T01:00:00', ' A team '), // 1 day
      row('2025-01-20T09:00:00', '2025-02-10T09:00:00', 'B team'), // 21 days
      row('2025-01-25T09:00:00', null, null), // open, (blank)
      row('2025-03-05T09:00:00', '2025-03-01T09:00:00', 'A team'), // 0 days
      row(null, '2025-03-10T09:00:00', 'C team'), // no start: C team has no row
    ];
    const { js, sql } = await both(rows, {
      start: 'created',
      end: 'won',
      period: 'month',
      lang: 'en',
      group: 'targets',
      rowOrder: true,
    });
    const none = [0, '', '', '', 0];
    // B team: 10, 21 → median 15.5, p75 at rank 0.75 = 10 + 0.75 × 11. A team: 1, then 0 → its
    // total's median 0.5, p75 0.75. All: 0, 1, 10, 21 as without groups.
    expect(sql).toEqual([
      ['2025-01', 'B team', 2, 15.5, 18.25, 15.5, 0],
      ['2025-01', 'A team', 1, 1, 1, 1, 0],
      ['2025-01', '(blank)', 0, '', '', '', 1],
      ['2025-02', 'B team', ...none],
      ['2025-02', 'A team', ...none],
      ['2025-02', '(blank)', ...none],
      ['2025-03', 'B team', ...none],
      ['2025-03', 'A team', 1, 0, 0, 0, 0],
      ['2025-03', '(blank)', ...none],
      ['Total', 'B team', 2, 15.5, 18.25, 15.5, 0],
      ['Total', 'A team', 2, 0.5, 0.75, 0.5, 0],
      ['Total', '(blank)', 0, '', '', '', 1],
      ['Total', 'all', 4, 5.5, 12.75, 8, 1],
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

  it('gives the same table for random tables, start and end columns, periods and groups', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadWithBlanksArb, { maxLength: 40, size: 'max' }),
        fc.record({
          start: fc.constantFrom<DateRole>(...DATE_ROLES),
          end: fc.constantFrom<DateRole>(...DATE_ROLES),
          period: fc.constantFrom('month' as const, 'week' as const, 'quarter' as const),
          lang: fc.constantFrom('ja' as const, 'en' as const),
          group: fc.option(
            fc.constantFrom('targets' as const, 'statuses' as const, 'companies' as const),
            {
              nil: undefined,
            },
          ),
          rowOrder: fc.boolean(),
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
  for (const grouped of [false, true]) {
    for (const period of ['month', 'week', 'quarter'] as const) {
      it(`by ${period}${grouped ? ' and group' : ''}`, () => {
        const sql = cycleTimeSql(
          {
            table: 'project.dataset.deals',
            startDates: LEAD_TABLE.deal,
            endDates: LEAD_TABLE.close,
            period,
            group: grouped ? LEAD_TABLE.statuses : undefined,
            rowOrder: grouped ? ROW_NO : undefined,
            zone: ZONE,
            lang: 'ja',
          },
          bigQuery,
        );
        expect(() => parseBigQuery(sql)).not.toThrow();
      });
    }
  }
});
