/**
 * COHORT_CONVERSION as SQL gives the custom function's table, cell for cell: random lead tables
 * (tests/helpers/lead-table.ts), a random lead-date and conversion-date column (TIMESTAMP written
 * at mixed UTC offsets, DATE, DATETIME), view, period, as_of and companies — the JS core
 * (cohortConversion over the values a Sheets extract shows) against the DuckDB printing of
 * cohortSql. The chase table's +k columns are as many as its data needs; the query has `ages` of
 * them: the JS rows are padded with blank cells to that width.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Cell, cohortConversion } from '../../src/core/cohort';
import { ZoneClock } from '../../src/core/dates';
import { type CohortQuery, cohortSql, cohortSqlColumns } from '../../src/core/sql/cohort';
import { bigQuery, duckDb } from '../../src/core/sql/dialect';
import type { LeadTableColumns } from '../../src/core/sql/funnel';
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
  lead: DateRole;
  conv: DateRole;
  companies: boolean;
  view: 'slice' | 'chase';
  period: 'month' | 'week' | 'quarter';
  asOf?: string;
  /** chase: +k columns beyond the JS table's. */
  extraAges: number;
}

async function both(leads: GeneratedLead[], c: Case) {
  await createTable(
    con,
    'leads',
    SQL_COLUMNS,
    leads.map((l) => ROLES.map((r) => tableValue(r, l))),
  );
  const cells = (r: keyof LeadTableColumns) => leads.map((l) => cellValue(r, l));
  const js = cohortConversion(cells(c.lead), cells(c.conv), {
    view: c.view,
    period: c.period,
    clock,
    asOf: c.asOf,
    companies: c.companies ? cells('companies') : undefined,
  });
  const jsAges = js[0].length - 4;
  const ages = Math.max(1, jsAges + c.extraAges);
  const q: CohortQuery = {
    table: 'leads',
    leadDates: LEAD_TABLE[c.lead],
    convertedDates: LEAD_TABLE[c.conv],
    companies: c.companies ? LEAD_TABLE.companies : undefined,
    view: c.view,
    period: c.period,
    zone: ZONE,
    asOf: c.asOf,
    ages,
  };
  const sql = await rowsOf(con, cohortSql(q, duckDb));
  const width = cohortSqlColumns(q).length;
  const body: Cell[][] = js
    .slice(1)
    .map((r) => [...r, ...Array<Cell>(Math.max(0, width - r.length)).fill('')]);
  return { js: body, sql, jsWidth: js[0].length };
}

const at = (tokyo: string) => Date.parse(`${tokyo}+09:00`);
/** A lead created at a Tokyo wall time, converted (the deal DATE column) on a Tokyo day. */
function lead(created: string, converted: string | null, company: string): GeneratedLead {
  return {
    created: at(created),
    mql: null,
    deal: converted ? at(`${converted}T12:00:00`) - at(created) : null,
    won: null,
    close: null,
    lost: null,
    amount: null,
    company,
    target: null,
    status: null,
    offset: 0,
  };
}
// The 01-31 lead is January in Tokyo (14:30 UTC); the 03-01 00:30 one is March in Tokyo but
// February in UTC; the 03-05 conversion is two months after its January lead.
const HAND = [
  lead('2025-01-10T10:00:00', '2025-01-20', '株式会社アルファ'),
  lead('2025-01-15T10:00:00', '2025-03-05', 'アルファ株式会社'),
  lead('2025-01-31T23:30:00', null, 'Gamma'),
  lead('2025-03-01T00:30:00', null, '(株)アルファ'),
  lead('2025-03-10T09:00:00', '2025-03-10', 'ベータ'),
];
const HAND_CASE: Case = {
  lead: 'created',
  conv: 'deal',
  companies: false,
  view: 'chase',
  period: 'month',
  extraAges: 0,
};

describe('COHORT_CONVERSION as SQL (DuckDB) = the custom function', () => {
  it('on a hand-checked table: chase with a spare +k column', async () => {
    const { js, sql } = await both(HAND, { ...HAND_CASE, extraAges: 1 });
    // as_of = 03-10 (March): K = 2. January: 3 leads, converted +0 (01-20) and +2 (03-05).
    // February: no lead. March: 2 leads, one converted +0; +1, +2 not observable. age_3: no K.
    expect(sql).toEqual([
      ['2025-01', 3, 2, 2 / 3, 1 / 3, 1 / 3, 2 / 3, ''],
      ['2025-02', 0, 0, '', '', '', '', ''],
      ['2025-03', 2, 1, 0.5, 0.5, '', '', ''],
    ]);
    expect(sql).toEqual(js);
  });

  it('on a hand-checked table: slice, and chase by company', async () => {
    const slice = await both(HAND, { ...HAND_CASE, view: 'slice' });
    // Leads by created month; conversions by their own month (01-20; 03-05 and 03-10).
    expect(slice.sql).toEqual([
      ['2025-01', 3, 1, 1 / 3],
      ['2025-02', 0, 0, ''],
      ['2025-03', 2, 2, 1],
    ]);
    expect(slice.sql).toEqual(slice.js);
    const byCompany = await both(HAND, { ...HAND_CASE, companies: true });
    // アルファ (three spellings): first lead 01-10, first conversion 01-20 (+0); Gamma: January,
    // never converted; ベータ: March, converted +0.
    expect(byCompany.sql).toEqual([
      ['2025-01', 2, 1, 0.5, 0.5, 0.5, 0.5],
      ['2025-02', 0, 0, '', '', '', ''],
      ['2025-03', 1, 1, 1, 1, '', ''],
    ]);
    expect(byCompany.sql).toEqual(byCompany.js);
  });

  it('gives the same table for random lead tables, columns, views, periods and as_of', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadWithBlanksArb, { maxLength: 40, size: 'max' }),
        fc.record({
          lead: fc.constantFrom<DateRole>(...DATE_ROLES),
          conv: fc.constantFrom<DateRole>(...DATE_ROLES),
          companies: fc.boolean(),
          view: fc.constantFrom('slice' as const, 'chase' as const),
          period: fc.constantFrom('month' as const, 'week' as const, 'quarter' as const),
          asOf: fc.option(asOfArb, { nil: undefined }),
          extraAges: fc.integer({ min: 0, max: 3 }),
        }),
        async (leads, c) => {
          const { js, sql, jsWidth } = await both(leads, c);
          expect(sql).toEqual(js);
          // Where the JS table has no column, the SQL cells are blank.
          for (const row of sql) expect(row.slice(jsWidth).every((v) => v === '')).toBe(true);
        },
      ),
      { numRuns: 80 },
    );
  });

  it('refuses columns SQL cannot read as dates, and a chase without ages', () => {
    const q: CohortQuery = {
      table: 'leads',
      leadDates: LEAD_TABLE.created,
      convertedDates: LEAD_TABLE.deal,
      view: 'chase',
      period: 'month',
      zone: ZONE,
      ages: 3,
    };
    expect(() =>
      cohortSql({ ...q, leadDates: { name: 'created', type: 'STRING' } }, duckDb),
    ).toThrow('lead_dates (created): STRING is not a date type');
    expect(() => cohortSql({ ...q, ages: undefined }, duckDb)).toThrow('ages');
    expect(() => cohortSql({ ...q, asOf: '2025/01/01' }, duckDb)).toThrow('as_of');
  });
});

describe('COHORT_CONVERSION printed for BigQuery parses with a BigQuery grammar', () => {
  for (const view of ['slice', 'chase'] as const) {
    for (const period of ['month', 'week', 'quarter'] as const) {
      it(`${view} by ${period}`, () => {
        const sql = cohortSql(
          {
            table: 'project.dataset.leads',
            leadDates: LEAD_TABLE.created,
            convertedDates: LEAD_TABLE.won,
            companies: LEAD_TABLE.companies,
            view,
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
  }
});
