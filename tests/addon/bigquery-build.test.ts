/**
 * The BigQuery edition end to end in the local runtime: a generated lead table in "BigQuery"
 * (DuckDB running the BigQuery printing's twin), read by the sidebar's BigQuery source
 * (schema + sample through Connected Sheets), built into the KPI tree and funnel sheets reading
 * extracts — against the Sheets edition built from a tab holding the same rows with the custom
 * functions: the same tree and the same funnel, cell for cell. Then Refresh with a query failing
 * midway, and a build whose query fails: the previous report and extracts stay whole.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalBigQuery, localBigQuery } from '../../local/bigquery';
import { BigQueryEngineError } from '../../local/connected';
import { closeDuckQuery, duckQuery } from '../../local/duckdb';
import { generateLeads } from '../../local/leads';
import { DIST_BIGQUERY, LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import type { BigQuerySource, KpiSettings } from '../../src/core/settings';
import { TREE_LABELS, treeActual } from '../helpers/managers-path';
import { untouchedSettings } from '../helpers/settings';

const TABLE = 'kpi-demo.crm.leads';
let dir: string;
let file: string;
let engine: LocalBigQuery;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-bq-'));
  file = join(dir, 'leads.parquet');
  await generateLeads({ rows: 3000, out: file, seed: 11 });
  engine = localBigQuery();
  engine.addTable(TABLE, file);
}, 60_000);
afterAll(async () => {
  engine?.close();
  await closeDuckQuery();
  rmSync(dir, { recursive: true, force: true });
});

type Inspection = TabInspection & { bigquery: BigQuerySource };

function bigQueryRuntime(lang: 'ja' | 'en') {
  const rt = new LocalRuntime({
    timeZone: 'Asia/Tokyo',
    locale: lang === 'ja' ? 'ja_JP' : 'en_US',
    distDir: DIST_BIGQUERY,
    bigQuery: engine,
  });
  // A spreadsheet has a sheet of its own before anything is built (Sheets never has none).
  rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
  const ins = rt.callFromSidebar<Inspection>('kpiInspectBigQuery', 'kpi-demo', TABLE);
  const settings: KpiSettings = { ...untouchedSettings(ins, lang), bigquery: ins.bigquery };
  return { rt, ins, settings };
}

/** The same rows as a tab, as Sheets shows them (TIMESTAMP cells as Dates), header first. */
async function tabOf(): Promise<unknown[][]> {
  const rows = (await duckQuery(`SELECT * FROM read_parquet('${file}')`)) as {
    columns: { name: string; type: string }[];
    rows: unknown[][];
  };
  const header = rows.columns.map((c) => c.name);
  return [
    header,
    ...rows.rows.map((r) =>
      r.map((v, i) =>
        v === null ? '' : rows.columns[i].type === 'TIMESTAMP' ? new Date(v as number) : v,
      ),
    ),
  ];
}

describe('the BigQuery edition (Connected Sheets over the local engine)', () => {
  it('reads the table like a tab: schema types, a sample, the detected columns', () => {
    const { ins } = bigQueryRuntime('en');
    expect(ins.bigquery.schema.map((c) => `${c.name}:${c.type}`)).toEqual(
      expect.arrayContaining(['created_at:TIMESTAMP', 'amount:INT64', 'company:STRING']),
    );
    const named = (i: number | undefined) => (i === undefined ? '' : ins.header[i]);
    expect(named(ins.mapping.created)).toBe('created_at');
    expect(named(ins.mapping.wonDate)).toBe('won_at');
    expect(named(ins.mapping.amount)).toBe('amount');
    expect(named(ins.mapping.status)).toBe('status');
  });

  for (const lang of ['ja', 'en'] as const) {
    it(`builds the same tree and funnel as the custom functions on the same rows (${lang})`, async () => {
      const { rt, settings } = bigQueryRuntime(lang);
      rt.callFromSidebar('kpiBuild', settings);
      const L = TREE_LABELS[lang];
      // The Sheets edition over a tab of the same rows, the same settings but the tab.
      const tab = new LocalRuntime({
        timeZone: 'Asia/Tokyo',
        locale: lang === 'ja' ? 'ja_JP' : 'en_US',
      });
      tab.loadSheets([{ name: 'Leads', rows: await tabOf() }]);
      const { bigquery: _bq, ...tabSettings } = settings;
      tab.callFromSidebar('kpiBuild', { ...tabSettings, leadSheet: 'Leads' });
      for (const label of [L.leads, L.mql, L.deals, L.won, L.revenue, L.closed]) {
        const want = treeActual(tab, L.sheet, label);
        expect(typeof want === 'number' || want === L.noData).toBe(true);
        expect([label, treeActual(rt, L.sheet, label)]).toEqual([label, want]);
      }
      const funnel = lang === 'ja' ? 'ファネル（輪切り）' : 'Funnel by period';
      const table = (r: LocalRuntime) =>
        r
          .values(funnel)
          .slice(3, 20)
          .map((row) => row.slice(0, 14));
      expect(table(rt)).toEqual(table(tab));
      // The cohort (追っかけ): the custom function's table, its empty cells "" on BigQuery.
      const cohort = lang === 'ja' ? 'コホート（追っかけ）' : 'Cohort';
      const chase = (r: LocalRuntime) =>
        r
          .values(cohort)
          .slice(1, 40)
          .map((row) => Array.from({ length: 44 }, (_, c) => row[c] ?? ''));
      const want = chase(tab);
      const got = chase(rt);
      expect(want[1][0]).toMatch(/^\d{4}-\d{2}$/);
      // The header: the function's, then the extract's fixed room (+k up to +39) labelled.
      const width = want[0].filter((h) => h !== '').length;
      expect(got[0].slice(0, width)).toEqual(want[0].slice(0, width));
      expect(got[0].slice(width, 44)).toEqual(
        Array.from({ length: 44 - width }, (_, i) => `+${width - 4 + i}`),
      );
      expect(got.slice(1)).toEqual(want.slice(1));
      // The data sheet is hidden; nothing else of ours is in sight but the report.
      const data = rt.wb.sheetId(lang === 'ja' ? 'KPIデータ（BigQuery）' : 'KPI data (BigQuery)');
      expect(data).toBeDefined();
    }, 120_000);
  }

  it('Refresh with a query failing midway: the failing extract keeps its rows, the others refresh', async () => {
    const { rt, settings } = bigQueryRuntime('en');
    rt.callFromSidebar('kpiBuild', settings);
    const data = () => rt.values('KPI data (BigQuery)');
    const before = data();
    // New rows arrive in the table (another seed), then Refresh runs with its second query failing.
    const file2 = join(dir, 'leads2.parquet');
    await generateLeads({ rows: 3000, out: file2, seed: 12 });
    engine.addTable(TABLE, file2);
    try {
      const real = engine.run.bind(engine);
      let n = 0;
      rt.connected.engine = {
        run(project, sql, params) {
          n++;
          if (n === 2) throw new BigQueryEngineError('ENGINE', 'Quota exceeded (injected)');
          return real(project, sql, params);
        },
      };
      const r = rt.callFromSidebar<{ refreshed: number; failed: string[]; message: string }>(
        'kpiRefreshBigQuery',
      );
      expect(r.refreshed).toBe(2); // the window's and the cohort's
      expect(r.failed).toHaveLength(1);
      expect(r.message).toMatch(/1 failed and keep their previous rows.*Quota exceeded/);
      // The window's extract (columns A–N) holds the new rows; the history's (P–AC) the old, whole.
      const after = data();
      const block = (v: unknown[][], c0: number) =>
        v.slice(0, 20).map((row) => row.slice(c0, c0 + 14));
      expect(block(after, 0)).not.toEqual(block(before, 0));
      expect(block(after, 15)).toEqual(block(before, 15));
      // What a build on the new rows shows in the window's extract.
      rt.connected.engine = engine;
      rt.callFromSidebar('kpiBuild', settings);
      expect(block(data(), 0)).toEqual(block(after, 0));
    } finally {
      engine.addTable(TABLE, file);
    }
  });

  it('a build whose query fails leaves the previous report and its extracts whole', () => {
    const { rt, settings } = bigQueryRuntime('en');
    rt.callFromSidebar('kpiBuild', settings);
    const before = rt.spreadsheet.order.map((id) => [
      rt.wb.sheetName(id),
      rt.wb.getValues(id, 1, 1, 30, 30),
    ]);
    const real = engine.run.bind(engine);
    for (const failAt of [1, 2, 3]) {
      let n = 0;
      rt.connected.engine = {
        run(project, sql, params) {
          n++;
          if (n === failAt) throw new BigQueryEngineError('ENGINE', 'Quota exceeded (injected)');
          return real(project, sql, params);
        },
      };
      expect(() =>
        rt.callFromSidebar('kpiBuild', { ...settings, from: '2025-01-01', to: '2025-03-31' }),
      ).toThrow(/Quota exceeded/);
      const after = rt.spreadsheet.order.map((id) => [
        rt.wb.sheetName(id),
        rt.wb.getValues(id, 1, 1, 30, 30),
      ]);
      expect(after).toEqual(before);
    }
  });
});
