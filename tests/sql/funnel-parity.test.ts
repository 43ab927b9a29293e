/**
 * KPI_FUNNEL as SQL gives the custom function's table, cell for cell: random lead tables
 * (Japanese company spellings, statuses in full- and half-width, timestamps written at mixed UTC
 * offsets, DATE and DATETIME columns, blanks, duplicates, negative amounts), a random choice of
 * mapped columns, period, window, exclude list and language — the JS core (funnelByPeriod over
 * the values a Sheets extract shows) against the DuckDB printing of funnelSql.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/core/dates';
import { funnelByPeriod, parseStatusMap } from '../../src/core/funnel';
import { totalLabel } from '../../src/core/i18n';
import { duckDb } from '../../src/core/sql/dialect';
import { type FunnelQuery, funnelSql, type LeadTableColumns } from '../../src/core/sql/funnel';
import { createTable, type DuckConnection, duckConnection, rowsOf } from '../helpers/duck';
import {
  funnelColumnsOf,
  type GeneratedLead,
  LEAD_TABLE,
  leadArb,
  ROLES,
  SQL_COLUMNS,
  STATUS_MAP_TEXT,
  tableValue,
  ZONE,
} from '../helpers/lead-table';

let con: DuckConnection;
beforeAll(async () => {
  con = await duckConnection();
});
afterAll(() => con.closeSync());

const clock = new ZoneClock(ZONE);
const statusStages = parseStatusMap(STATUS_MAP_TEXT);

async function both(
  leads: GeneratedLead[],
  roles: (keyof LeadTableColumns)[],
  opts: Omit<FunnelQuery, 'table' | 'columns' | 'zone'>,
) {
  await createTable(
    con,
    'leads',
    SQL_COLUMNS,
    leads.map((l) => ROLES.map((r) => tableValue(r, l))),
  );
  const columns: LeadTableColumns = {};
  for (const r of roles) columns[r] = LEAD_TABLE[r];
  const js = funnelByPeriod({
    ...funnelColumnsOf(leads, roles),
    statusStages: opts.statusMap,
    exclude: opts.exclude,
    period: opts.period,
    clock,
    from: opts.from,
    to: opts.to,
    withSal: opts.withSal,
  });
  const body = js.slice(1);
  const last = body[body.length - 1];
  last[0] = totalLabel(opts.lang);
  const sql = await rowsOf(
    con,
    funnelSql({ ...opts, table: 'leads', columns, zone: ZONE }, duckDb),
  );
  return { js: body, sql };
}

describe('KPI_FUNNEL as SQL (DuckDB) = the custom function', () => {
  it('on a hand-checked table: the funnel test example, window and exclude list', async () => {
    const day = (iso: string) => Date.parse(`${iso}T03:00:00Z`);
    const lead = (c: string, m: string | null, company: string, target: string): GeneratedLead => ({
      created: day(c),
      mql: m ? day(m) - day(c) : null,
      deal: null,
      won: null,
      close: null,
      lost: null,
      amount: null,
      company,
      target,
      status: null,
      offset: 540,
    });
    const leads = [
      lead('2025-04-03', '2025-04-10', '株式会社アルファ', '顧客'),
      lead('2025-04-20', null, 'アルファ株式会社', 'パートナー'),
      lead('2025-05-02', '2025-05-03', 'taro@beta.co.jp', '顧客'),
      lead('2025-06-01', '2025-06-02', 'Gamma', '顧客'),
    ];
    const { js, sql } = await both(leads, ['created', 'mql', 'companies', 'targets'], {
      period: 'month',
      lang: 'ja',
      from: '2025-04-01',
      to: '2025-05-31',
      exclude: ['パートナー'],
    });
    // Hand-worked: April 2 leads (1 target: the partner is not), one company (アルファ twice);
    // May 1 lead; June outside the window.
    expect(sql).toEqual([
      ['2025-04', 2, 1, 1, 1, '', '', '', 1, '', '', '', '', ''],
      ['2025-05', 1, 1, 1, 1, '', '', '', 1, '', '', '', '', ''],
      ['合計', 3, 2, 2, 2, '', '', '', 1, '', '', '', '', ''],
    ]);
    expect(sql).toEqual(js);
  });

  it('gives the same table for random lead tables, columns, periods and windows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(leadArb, { maxLength: 40, size: 'max' }),
        fc.subarray(ROLES),
        fc.record({
          period: fc.constantFrom('month' as const, 'week' as const, 'quarter' as const),
          lang: fc.constantFrom('ja' as const, 'en' as const),
          from: fc.option(fc.constantFrom('2025-01-01', '2025-02-17', '2025-03-31'), {
            nil: undefined,
          }),
          to: fc.option(fc.constantFrom('2025-04-30', '2025-06-01', '2025-09-30'), {
            nil: undefined,
          }),
          exclude: fc.option(fc.constantFrom(['パートナー'], ['競合', 'ＮＯ']), { nil: undefined }),
          withSal: fc.boolean(),
          statusMap: fc.option(fc.constant(statusStages), { nil: undefined }),
        }),
        async (leads, roles, opts) => {
          const { js, sql } = await both(leads, roles, opts);
          expect(sql).toEqual(js);
        },
      ),
      { numRuns: 80 },
    );
  });
});
