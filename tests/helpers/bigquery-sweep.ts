/**
 * The BigQuery edition's rebuild under faults (as tests/helpers/rebuild-sweep.ts does for the tab
 * edition, whose sweeps fail every call of the writer's swap): here every call that touches
 * Connected Sheets or runs a query (data source sheets, extracts, specs, executions, the probe,
 * the data sheet's replacement, heal's clean-up), each with the call after it, and
 * every 20th call of the rest, fails once — and, a killed run, every call from it on. After each:
 * the report sheets are whole (old or new, never a mix; before the commit, the old), nothing
 * temporary or of Connected Sheets in sight, the user's formula over the tree keeps its
 * reference, and one more build heals it to exactly the reference rebuild.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalBigQuery, localBigQuery } from '../../local/bigquery';
import { generateLeads } from '../../local/leads';
import { DIST_BIGQUERY, LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import type { BigQuerySource, KpiSettings } from '../../src/core/settings';
import { untouchedSettings } from './settings';

const TABLE = 'kpi-faults.crm.leads';
const REPORT = ['KPI tree', 'Funnel by period', 'Cohort', 'KPI data (BigQuery)'];
let dir: string;
let engine: LocalBigQuery;

function fresh() {
  const rt = new LocalRuntime({
    timeZone: 'Asia/Tokyo',
    locale: 'en_US',
    distDir: DIST_BIGQUERY,
    bigQuery: engine,
    evaluate: false,
  });
  rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
  const ins = rt.callFromSidebar<TabInspection & { bigquery: BigQuerySource }>(
    'kpiInspectBigQuery',
    'kpi-faults',
    TABLE,
  );
  const a: KpiSettings = {
    ...untouchedSettings(ins, 'en'),
    bigquery: ins.bigquery,
    from: '2025-01-01',
    to: '2025-03-31',
  };
  const b: KpiSettings = { ...a, from: '2025-04-01', to: '2025-06-30' };
  rt.callFromSidebar('kpiBuild', a);
  // The user's own formula over the report.
  rt.spreadsheet.self.getSheetByName('Sheet1')?.getRange('A1').setFormula("='KPI tree'!E5");
  return { rt, a, b };
}

/** Each report sheet's formulas or literals (the tree's "incomplete" cell left out). */
function report(rt: LocalRuntime): string[] {
  return REPORT.map((name) => {
    const temp = rt.spreadsheet.order.find((x) =>
      /^~kpi-building-[a-z0-9]+-bq-data$/.test(rt.wb.sheetName(x)),
    );
    const id = rt.wb.sheetId(name) ?? (name === 'KPI data (BigQuery)' ? temp : undefined);
    if (id === undefined) return JSON.stringify(`${name}: missing`);
    const { rows, cols } = rt.wb.extent(id);
    const v = rt.wb.getValues(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
    const f = rt.wb.getFormulas(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
    // A run stopped between the commit's copies and its renames leaves the new data sheet under
    // its temporary name (hidden; formulas follow it through the rename heal gives it back).
    return JSON.stringify(
      v.map((row, i) =>
        row.map((x, j) => (name === 'KPI tree' && i === 1 && j === 0 ? '' : f[i][j] || x)),
      ),
    ).replace(/~kpi-building-[a-z0-9]+-bq-data/g, 'KPI data (BigQuery)');
  });
}
/** Service calls that only read (the runtime's implementations change nothing). */
const READ = /^[A-Za-z]+\.(get|is|has)[A-Z]/;
/** Calls of Connected Sheets and of the sheets it makes and removes. */
const CONNECTED =
  /^(DataSource|DataExecution|BigQuery|DataSourceSheet|DataSourceTable|DataSourceSpec)|BigQuery|DataSource|deleteSheet|hideSheet|addDeveloperMetadata/;
const visible = (rt: LocalRuntime) =>
  rt.spreadsheet.order
    .filter((id) => !rt.spreadsheet.hidden.has(id))
    .map((id) => rt.wb.sheetName(id));

/** The sweep in one mode (one mode per test file, so that the two run side by side). */
export function describeBigQuerySweep(MODE: 'once' | 'kill'): void {
  describe(`the BigQuery rebuild under faults (${MODE})`, () => {
    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'kpi-bqf-'));
      const file = join(dir, 'leads.parquet');
      await generateLeads({ rows: 400, out: file, seed: 5 });
      engine = localBigQuery();
      engine.addTable(TABLE, file);
    }, 60_000);
    afterAll(() => {
      engine.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it(`fails each Connected Sheets call and its neighbours (${MODE === 'once' ? 'once' : 'and every call after it: a killed run'}): whole sheets, nothing temporary, healed`, () => {
      const ref = fresh();
      const reportA = report(ref.rt);
      ref.rt.counter.reset();
      ref.rt.callFromSidebar('kpiBuild', ref.b);
      const log = [...ref.rt.counter.log];
      const calls = log.length;
      const reportB = report(ref.rt);
      const sheetsB = ref.rt.spreadsheet.order.length;
      const visibleB = visible(ref.rt);
      expect(calls).toBeGreaterThan(40);
      expect(
        ref.rt.counter.log.some((c) =>
          /DataExecution|insertDataSourceSheet|createDataSourceTable/.test(c),
        ),
      ).toBe(true);
      expect(reportB).not.toEqual(reportA);
      const connected = (c: string | undefined) => c !== undefined && CONNECTED.test(c);
      const positions = Array.from({ length: calls }, (_, i) => i + 1).filter(
        (k) => connected(log[k - 1]) || connected(log[k - 2]) || k % 20 === 0,
      );
      expect(positions.length).toBeGreaterThan(40);
      for (const mode of [MODE]) {
        const { rt, a, b } = fresh();
        let holds: 'A' | 'B' = 'A';
        for (const k of positions) {
          const [to, before, after] = holds === 'A' ? [b, reportA, reportB] : [a, reportB, reportA];
          // A kill at k after a call that only read leaves what the kill at k − 1 left (proven
          // when k − 1 is swept too).
          if (mode === 'kill' && positions.includes(k - 1) && READ.test(log[k - 2])) continue;
          const sheetsBefore = JSON.stringify(
            rt.spreadsheet.order.map((id) => rt.wb.sheetName(id)),
          );
          const registryBefore = rt.env.properties.document.get('kpi.registry');
          rt.counter.reset();
          if (mode === 'once') rt.counter.failIndex = k;
          else rt.counter.killFrom = k;
          let failed = false;
          try {
            rt.callFromSidebar('kpiBuild', to);
          } catch {
            failed = true;
          }
          rt.counter.failIndex = undefined;
          rt.counter.killFrom = undefined;
          const at = `${mode} k=${k} (${rt.counter.log[k - 1]})`;
          const now = report(rt);
          // Each sheet whole: the old report's or the new one's.
          now.forEach((s, i) => {
            if (s !== before[i] && s !== after[i]) {
              const [x, y, z] = [s, before[i], after[i]].map((j) => JSON.parse(j) as unknown[][]);
              const diff: string[] = [];
              x.forEach((row, r) => {
                row.forEach((v, c) => {
                  if (
                    JSON.stringify(v) !== JSON.stringify(z[r]?.[c]) &&
                    JSON.stringify(v) !== JSON.stringify(y[r]?.[c])
                  )
                    diff.push(
                      `R${r + 1}C${c + 1} ${JSON.stringify(v)} old ${JSON.stringify(y[r]?.[c])} new ${JSON.stringify(z[r]?.[c])}`,
                    );
                });
              });
              expect(diff.slice(0, 5), `${at} ${REPORT[i]}`).toEqual([]);
            }
            expect([before[i], after[i]], `${at} ${REPORT[i]}`).toContain(s);
          });
          if (failed && mode === 'once')
            expect(
              visible(rt).filter(
                (n) => n.startsWith('~') || (/^Sheet\d+$/.test(n) && n !== 'Sheet1'),
              ),
              at,
            ).toEqual([]);
          expect(
            rt.spreadsheet.self.getSheetByName('Sheet1')?.getRange('A1').getFormula(),
            at,
          ).toBe("='KPI tree'!E5");
          // A failure that left the spreadsheet exactly as it was (the same sheets, the same
          // registry, the old report) needs no healing: the next k starts from there (as the tab
          // sweep does).
          if (
            now.every((x, i) => x === before[i]) &&
            JSON.stringify(rt.spreadsheet.order.map((id) => rt.wb.sheetName(id))) ===
              sheetsBefore &&
            rt.env.properties.document.get('kpi.registry') === registryBefore
          )
            continue;
          // The next build heals: the new report, exactly, nothing left behind.
          rt.counter.reset();
          rt.callFromSidebar('kpiBuild', to);
          expect(report(rt), at).toEqual(after);
          expect(rt.spreadsheet.order.length, at).toBe(sheetsB);
          expect(visible(rt), at).toEqual(visibleB);
          holds = holds === 'A' ? 'B' : 'A';
        }
      }
    }, 300_000);
  });
}
