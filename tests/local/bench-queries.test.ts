/**
 * The DuckDB KPI bench (bench/duckdb-kpis.ts) times the funnel a BigQuery build really runs: the
 * settings it assumes for the generated lead table are the ones the sidebar sends when the user
 * touches nothing, and its funnel queries are exactly the distinct queries of such a build.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { benchSettings, buildFunnelQueries, PROJECT, TABLE } from '../../bench/kpi-queries';
import { type LocalBigQuery, localBigQuery } from '../../local/bigquery';
import { generateLeads } from '../../local/leads';
import { DIST_BIGQUERY, LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import type { BigQuerySource } from '../../src/core/settings';
import { bigQuery } from '../../src/core/sql/dialect';
import { querySql } from '../../src/core/sql/queries';
import { untouchedSettings } from '../helpers/settings';

let dir: string;
let engine: LocalBigQuery;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-bench-q-'));
  const file = join(dir, 'leads.parquet');
  // Seed 1, as the bench's: the inspection samples the first 2,000 rows, which a table of any size
  // shares (local/leads.ts), so this build's queries are those of the bench's 1M and 10M tables.
  await generateLeads({ rows: 3000, out: file, seed: 1 });
  engine = localBigQuery();
  engine.addTable(TABLE, file);
}, 60_000);
afterAll(() => {
  engine?.close();
  rmSync(dir, { recursive: true, force: true });
});

it("the bench's funnel queries are the ones a BigQuery build runs on the generated table", () => {
  const rt = new LocalRuntime({
    timeZone: 'Asia/Tokyo',
    locale: 'en_US',
    distDir: DIST_BIGQUERY,
    bigQuery: engine,
  });
  rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
  const ins = rt.callFromSidebar<TabInspection & { bigquery: BigQuerySource }>(
    'kpiInspectBigQuery',
    PROJECT,
    TABLE,
  );
  const settings = { ...untouchedSettings(ins, 'en'), bigquery: ins.bigquery };
  const bench = benchSettings('en');
  expect(ins.bigquery.schema).toEqual(bench.bigquery?.schema);
  expect(settings.mapping).toEqual(bench.mapping);
  expect(Object.entries(settings.statusMap ?? {})).toEqual(Object.entries(bench.statusMap ?? {}));
  const before = engine.log.length;
  rt.callFromSidebar('kpiBuild', settings);
  const ran = new Set(engine.log.slice(before).filter((sql) => sql.includes('"kind":"funnel"')));
  expect([...ran]).toEqual(
    buildFunnelQueries(bench).map((query) => querySql({ kind: 'funnel', query }, bigQuery)),
  );
}, 60_000);
