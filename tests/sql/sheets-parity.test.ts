/**
 * The third leg of the parity: random lead tables in "BigQuery" (DuckDB), built by the BigQuery
 * edition in the local runtime — Connected Sheets extracts, read by the funnel sheet's formulas,
 * evaluated by the engine — show the table the JS core (funnelByPeriod, the custom function's
 * logic) gives on the values a Sheets extract holds, cell for cell.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalBigQuery, localBigQuery } from '../../local/bigquery';
import { type DuckDb, openDuckDb } from '../../local/duckdb';
import { DIST_BIGQUERY, LocalRuntime } from '../../local/runtime';
import { ZoneClock } from '../../src/core/dates';
import { funnelByPeriod, parseStatusMap } from '../../src/core/funnel';
import { totalLabel } from '../../src/core/i18n';
import type { KpiSettings } from '../../src/core/settings';
import type { LeadTableColumns } from '../../src/core/sql/funnel';
import { DUCK_TYPE, literal } from '../helpers/duck';
import {
  funnelColumnsOf,
  leadArb,
  ROLES,
  SQL_COLUMNS,
  STATUS_MAP_TEXT,
  tableValue,
  ZONE,
} from '../helpers/lead-table';

const TABLE = 'kpi-parity.crm.leads';
let duck: DuckDb;
let engine: LocalBigQuery;
beforeAll(() => {
  duck = openDuckDb();
  engine = localBigQuery(duck);
});
afterAll(() => engine.close());

/** The sidebar's field for each role of the generated table (the mapping a build sends). */
const FIELD: Record<keyof LeadTableColumns, keyof KpiSettings['mapping']> = {
  created: 'created',
  mql: 'mqlDate',
  deal: 'dealDate',
  won: 'wonDate',
  close: 'closeDate',
  lost: 'lostDate',
  amounts: 'amount',
  companies: 'company',
  targets: 'target',
  statuses: 'status',
};
const statusMap: Record<string, string> = Object.fromEntries(
  STATUS_MAP_TEXT.split(';').map((p) => p.split('=').map((s) => s.trim())),
);

describe('KPI_FUNNEL on the BigQuery edition’s sheets = the JS core', () => {
  it('for random lead tables, mappings and windows', () => {
    fc.assert(
      fc.property(
        fc.array(leadArb, { minLength: 1, maxLength: 60, size: 'max' }),
        fc.subarray(ROLES, { minLength: 1 }),
        fc.constantFrom('ja' as const, 'en' as const),
        fc.constantFrom(['2025-01-01', '2025-03-31'], ['2025-02-01', '2025-06-30']),
        (leads, roles, lang, [from, to]) => {
          duck.query(
            `CREATE OR REPLACE TABLE "${TABLE}" (${SQL_COLUMNS.map((c) => `"${c.name}" ${DUCK_TYPE[c.type]}`).join(', ')})`,
          );
          duck.query(
            `INSERT INTO "${TABLE}" VALUES ${leads
              .map(
                (l) =>
                  `(${ROLES.map((r, j) => literal(SQL_COLUMNS[j].type, tableValue(r, l))).join(', ')})`,
              )
              .join(', ')}`,
          );
          engine.tableChanged();
          const mapping: KpiSettings['mapping'] = {};
          for (const r of roles) mapping[FIELD[r]] = ROLES.indexOf(r);
          const settings: KpiSettings = {
            leadSheet: TABLE,
            mapping,
            period: 'month',
            from,
            to,
            targetExclude: [],
            capacity: [],
            rankHorizons: {},
            lang,
            statusMap: roles.includes('statuses') ? statusMap : undefined,
            bigquery: { project: 'kpi-parity', table: TABLE, schema: SQL_COLUMNS },
          };
          const rt = new LocalRuntime({
            timeZone: ZONE,
            locale: lang === 'ja' ? 'ja_JP' : 'en_US',
            distDir: DIST_BIGQUERY,
            bigQuery: engine,
          });
          rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
          rt.callFromSidebar('kpiBuild', settings);
          const input = funnelColumnsOf(leads, roles);
          const js = funnelByPeriod({
            ...input,
            statusStages: roles.includes('statuses') ? parseStatusMap(STATUS_MAP_TEXT) : undefined,
            period: 'month',
            clock: new ZoneClock(ZONE),
            from,
            to,
          });
          js[js.length - 1][0] = totalLabel(lang);
          const funnel = lang === 'ja' ? 'ファネル（輪切り）' : 'Funnel by period';
          const shown = rt
            .values(funnel)
            .slice(4, 4 + js.length - 1)
            .map((r) => r.slice(0, 14));
          expect(shown).toEqual(js.slice(1).map((r) => r.slice(0, 14)));
        },
      ),
      { numRuns: 8 },
    );
  }, 120_000);
});
