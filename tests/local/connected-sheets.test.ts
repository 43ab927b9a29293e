/**
 * Connected Sheets in the local runtime (issue 25, local/connected.ts): specs, data source sheets,
 * extracts and their execution status, over a fake BigQuery engine. The services are called
 * directly (no bundle needed), exactly as a script reaches them: every call is counted and can be
 * failed by the fault injection of CallCounter.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type BigQueryEngine,
  BigQueryEngineError,
  type BigQueryType,
  type LocalDataSourceSheet,
  type LocalDataSourceSpecBuilder,
  type LocalDataSourceTable,
  NOT_ENABLED,
  READ_ONLY,
  REFRESH_IN_ERROR,
} from '../../local/connected';
import { LocalRuntime } from '../../local/runtime';
import type { LocalSheet, LocalSpreadsheet } from '../../local/services';

// No bundle: an empty script is enough for the runtime to start.
const DIST = mkdtempSync(join(tmpdir(), 'connected-sheets-'));
writeFileSync(join(DIST, 'Code.js'), '// empty\n');

interface App {
  newDataSourceSpec(): LocalDataSourceSpecBuilder;
  enableBigQueryExecution(): void;
  getActive(): LocalSpreadsheet;
  DataExecutionState: Record<string, string>;
}
type Column = { name: string; type: BigQueryType };
type Result = { columns: Column[]; rows: unknown[][] };

/** A stand-in for BigQuery: a query names a table; `version` changes what every table returns. */
class FakeBigQuery implements BigQueryEngine {
  calls: { projectId: string; sql: string; params: Record<string, unknown> }[] = [];
  version = 1;
  /** Queries that contain one of these fail with an ENGINE error. */
  failing = new Set<string>();
  constructor(private readonly tables: Record<string, (version: number) => Result>) {}
  run(projectId: string, sql: string, params: Record<string, unknown>): Result {
    this.calls.push({ projectId, sql, params });
    for (const f of this.failing)
      if (sql.includes(f)) throw new BigQueryEngineError('ENGINE', `Query failed: ${f}`);
    const name = Object.keys(this.tables).find((t) => sql.includes(t));
    if (!name) throw new BigQueryEngineError('DATA_NOT_FOUND', `No table in ${sql}`);
    return this.tables[name](this.version);
  }
}

const TOKYO_NOON_UTC = Date.UTC(2025, 2, 31, 15, 30); // 2025-04-01 00:30 in Tokyo
const deals = (): Result => ({
  columns: [
    { name: 'name', type: 'STRING' },
    { name: 'amount', type: 'INT64' },
    { name: 'closed', type: 'DATE' },
    { name: 'updated', type: 'DATETIME' },
    { name: 'at', type: 'TIMESTAMP' },
    { name: 'won', type: 'BOOL' },
  ],
  rows: [
    ['Acme', 1200, '2025-03-31', '2025-03-31T23:59:00', TOKYO_NOON_UTC, true],
    ['=Beta', 800, '2025-04-02', '2025-04-02T08:00:00', TOKYO_NOON_UTC + 86_400_000, false],
    ['1/2', null, null, null, null, true],
  ],
});
/** `n` rows of one table; each value says the version that produced it. */
const numbered =
  (n: number, tag: string) =>
  (version: number): Result => ({
    columns: [
      { name: `${tag}_id`, type: 'INT64' },
      { name: `${tag}_label`, type: 'STRING' },
    ],
    rows: Array.from({ length: n }, (_, i) => [i + 1, `${tag} v${version} #${i + 1}`]),
  });

function setup(engine?: BigQueryEngine) {
  const rt = new LocalRuntime({ distDir: DIST, timeZone: 'Asia/Tokyo', bigQuery: engine });
  rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
  const app = rt.run<App>('SpreadsheetApp');
  const ss = app.getActive();
  const query = (sql: string) =>
    app.newDataSourceSpec().asBigQuery().setProjectId('billing-1').setRawQuery(sql).build();
  return { rt, app, ss, query };
}

/** Everything a sheet shows, as text. */
const shown = (sheet: LocalSheet) => sheet.getDataRange().getDisplayValues();

describe('data source specs', () => {
  it('round-trip through the builders, copies and getters', () => {
    const { app, rt } = setup();
    const builder = app
      .newDataSourceSpec()
      .asBigQuery()
      .setProjectId('billing-1')
      .setRawQuery('SELECT * FROM deals WHERE city = @CITY')
      .setParameterFromCell('CITY', 'Params!B1')
      .setParameterFromCell('MIN', 'Params!B2')
      .setParameterFromCell('CITY', 'Params!C1');
    expect(builder.getProjectId()).toBe('billing-1');
    expect(builder.getRawQuery()).toBe('SELECT * FROM deals WHERE city = @CITY');
    expect(builder.getType()).toBe('BIGQUERY');
    expect(
      builder.getParameters().map((p) => [p.getName(), p.getSourceCell(), p.getType()]),
    ).toEqual([
      ['CITY', 'Params!C1', 'CELL'],
      ['MIN', 'Params!B2', 'CELL'],
    ]);
    const spec = builder.removeParameter('MIN').build();
    expect(spec.getType()).toBe('BIGQUERY');
    const bq = spec.asBigQuery();
    expect([bq.getProjectId(), bq.getRawQuery(), bq.getParameters().length]).toEqual([
      'billing-1',
      'SELECT * FROM deals WHERE city = @CITY',
      1,
    ]);
    // A copy is a new builder: changing it leaves the spec as it was.
    const other = spec.copy().asBigQuery().removeAllParameters().setRawQuery('SELECT 1').build();
    expect(other.asBigQuery().getRawQuery()).toBe('SELECT 1');
    expect(other.getParameters()).toEqual([]);
    expect(spec.asBigQuery().getRawQuery()).toBe('SELECT * FROM deals WHERE city = @CITY');
    expect(spec.getParameters().length).toBe(1);
    // A table spec: the raw query is gone.
    const table = app
      .newDataSourceSpec()
      .asBigQuery()
      .setProjectId('billing-1')
      .setTableProjectId('crm-prod')
      .setDatasetId('sales')
      .setTableId('deals');
    expect([table.getTableProjectId(), table.getDatasetId(), table.getTableId()]).toEqual([
      'crm-prod',
      'sales',
      'deals',
    ]);
    expect(table.build().asBigQuery().getRawQuery()).toBe('');
    // Documented: "Must use as...() to specify a data source type before building."
    const untyped = app.newDataSourceSpec();
    expect(untyped.getType()).toBe('DATA_SOURCE_TYPE_UNSUPPORTED');
    expect(() => untyped.build()).toThrow(/asBigQuery/);
    // Every builder call is a counted service call.
    expect(rt.counter.counts['BigQueryDataSourceSpecBuilder.setParameterFromCell']).toBe(3);
    expect(rt.counter.counts['SpreadsheetApp.newDataSourceSpec']).toBe(3);
  });
});

describe('enableBigQueryExecution', () => {
  // Documented (SpreadsheetApp.enableBigQueryExecution): "Data execution for BigQuery data source
  // throws an exception if not turned on."
  it('every call that executes a query throws until it is called, and changes nothing', () => {
    const { app, ss, query } = setup(new FakeBigQuery({ deals }));
    const spec = query('SELECT * FROM deals');
    const before = ss.getSheets().length;
    expect(() => ss.insertDataSourceSheet(spec)).toThrow(NOT_ENABLED);
    expect(() => ss.refreshAllDataSources()).toThrow(NOT_ENABLED);
    expect(ss.getSheets().length).toBe(before);
    expect(ss.getDataSources()).toEqual([]);
    app.enableBigQueryExecution();
    const sheet = ss.insertDataSourceSheet(spec);
    expect(sheet.getStatus().getExecutionState()).toBe('SUCCESS');
  });
});

describe('an extract', () => {
  function extract() {
    const engine = new FakeBigQuery({ deals });
    const { rt, app, ss, query } = setup(engine);
    app.enableBigQueryExecution();
    const source = ss.insertDataSourceSheet(query('SELECT * FROM deals')).getDataSource();
    const data = ss.insertSheet('Data');
    const table = data
      .getRange('B2')
      .createDataSourceTable(source)
      .addColumns(['name', 'amount', 'closed', 'updated', 'at', 'won']);
    return { rt, ss, data, table, engine };
  }

  it('writes a header and the rows at its anchor, dates as date cells in the spreadsheet zone', () => {
    const { data, table } = extract();
    // Documented: createDataSourceTable makes an *empty* table; its data comes with a refresh.
    expect(table.getStatus().getExecutionState()).toBe('NOT_STARTED');
    expect(data.getLastRow()).toBe(0);
    table.refreshData();
    expect(table.waitForCompletion(60).getExecutionState()).toBe('SUCCESS');
    expect(table.getRange().getA1Notation()).toBe('B2:G5');
    expect(data.getRange('B2:G5').getDisplayValues()).toEqual([
      ['name', 'amount', 'closed', 'updated', 'at', 'won'],
      ['Acme', '1200', '2025-03-31', '2025-03-31 23:59:00', '2025-04-01 00:30:00', 'TRUE'],
      ['=Beta', '800', '2025-04-02', '2025-04-02 08:00:00', '2025-04-02 00:30:00', 'FALSE'],
      ['1/2', '', '', '', '', 'TRUE'],
    ]);
    // Values are what a script reads from any cell: text stays text, a TIMESTAMP is the instant.
    const row = data.getRange('B3:G3').getValues()[0];
    expect(row[0]).toBe('Acme');
    expect((row[4] as Date).getTime()).toBe(TOKYO_NOON_UTC);
    expect(Object.prototype.toString.call(row[2])).toBe('[object Date]');
    expect(data.getRange('B4').getFormula()).toBe('');
    expect(data.getDataSourceTables().length).toBe(1);
  });

  it('is read by formulas on other sheets like any cells', () => {
    const { ss, table } = extract();
    table.refreshData();
    const calc = ss.insertSheet('Calc');
    calc
      .getRange('A1:A3')
      .setFormulas([
        ['=SUM(Data!C3:C5)'],
        ['=DAY(Data!F3)'],
        ['=IF(Data!G3,1,0)+IF(Data!G4,1,0)+IF(Data!G5,1,0)'],
      ]);
    expect(calc.getRange('A1:A3').getValues()).toEqual([[2000], [1], [2]]);
  });

  // Assumed (undocumented; conservative): a script cannot write into an extract's cells.
  it("cells are read-only to the script; cells beside it are not; it won't grow over data", () => {
    const { rt, data, table } = extract();
    table.refreshData();
    const before = shown(data);
    expect(() => data.getRange('C3').setValue(1)).toThrow(READ_ONLY);
    expect(() =>
      data.getRange('A1:B2').setValues([
        [1, 2],
        [3, 4],
      ]),
    ).toThrow(READ_ONLY);
    expect(() => data.getRange('G5').setFormula('=1')).toThrow(READ_ONLY);
    expect(() => data.getRange('B2:G5').clearContent()).toThrow(READ_ONLY);
    expect(() => data.clearContents()).toThrow(READ_ONLY);
    expect(shown(data)).toEqual(before);
    data.getRange('H2').setValue('beside');
    data.getRange('B7').setValue('below');
    expect(data.getRange('H2').getValue()).toBe('beside');
    // Assumed: more rows than fit above B7 → ERROR, the extract as it was.
    table.setRowLimit(null);
    const more = { ...deals(), rows: [...deals().rows, ...deals().rows] };
    rt.connected.engine = new FakeBigQuery({ deals: () => more });
    table.refreshData();
    const status = table.getStatus();
    expect([status.getExecutionState(), status.getErrorCode()]).toEqual(['ERROR', 'OTHER']);
    expect(status.getErrorMessage()).toMatch(/B7/);
    expect(data.getRange('B2:G5').getDisplayValues()).toEqual(
      before.slice(1, 5).map((r) => r.slice(1, 7)),
    );
  });

  it('setRowLimit cuts the rows and isTruncated says so; null is the default maximum', () => {
    const engine = new FakeBigQuery({ many: numbered(10, 'm') });
    const { app, ss, query } = setup(engine);
    app.enableBigQueryExecution();
    const source = ss.insertDataSourceSheet(query('SELECT * FROM many')).getDataSource();
    const sheet = ss.insertSheet('Many');
    const table = sheet
      .getRange('A1')
      .createDataSourceTable(source)
      .syncAllColumns()
      .setRowLimit(4);
    expect(table.getRowLimit()).toBe(4);
    table.refreshData();
    expect(table.getStatus().isTruncated()).toBe(true);
    expect(sheet.getLastRow()).toBe(5);
    expect(table.getColumns().map((c) => c.getDataSourceColumn().getName())).toEqual([
      'm_id',
      'm_label',
    ]);
    table.setRowLimit(null).refreshData();
    expect(table.getRowLimit()).toBeNull();
    expect(table.getStatus().isTruncated()).toBe(false);
    expect(sheet.getLastRow()).toBe(11);
    // A smaller result leaves no old rows behind.
    table.setRowLimit(2).refreshData();
    expect(shown(sheet)).toEqual([
      ['m_id', 'm_label'],
      ['1', 'm v1 #1'],
      ['2', 'm v1 #2'],
    ]);
    expect(() => table.setRowLimit(0)).toThrow();
    expect(() => table.setRowLimit(500_001)).toThrow();
  });
});

describe('a data source sheet', () => {
  // Documented (Sheets API guide): "a preview of up to 500 rows".
  it('shows the header and up to 500 rows, becomes the active sheet, and reads by column', () => {
    const engine = new FakeBigQuery({ big: numbered(600, 'b') });
    const { app, ss, query } = setup(engine);
    app.enableBigQueryExecution();
    const dss = ss.insertDataSourceSheet(query('SELECT * FROM big'));
    const sheet = dss.asSheet();
    expect(ss.getActiveSheet().getName()).toBe(sheet.getName());
    expect(sheet.getLastRow()).toBe(501);
    expect(dss.getStatus().isTruncated()).toBe(true);
    expect(dss.getSheetValues('b_id').length).toBe(500);
    expect(dss.getSheetValues('b_label', 2, 2)).toEqual(['b v1 #2', 'b v1 #3']);
    expect(() => dss.getSheetValues('nope')).toThrow();
    expect(() => sheet.getRange('A1').setValue('x')).toThrow(READ_ONLY);
    expect(ss.getDataSourceSheets().length).toBe(1);
    expect(sheet.asDataSourceSheet()?.getSheetValues('b_id', 1, 1)).toEqual([1]);
    expect(
      dss
        .getDataSource()
        .getColumns()
        .map((c) => c.getName()),
    ).toEqual(['b_id', 'b_label']);
  });

  it('without an engine, ends in ERROR and says there is no BigQuery here', () => {
    const { app, ss, query } = setup();
    app.enableBigQueryExecution();
    const status = ss.insertDataSourceSheet(query('SELECT 1')).waitForCompletion(10);
    expect(status.getExecutionState()).toBe('ERROR');
    expect(status.getErrorMessage()).toMatch(/RuntimeOptions\.bigQuery/);
    expect(status.getLastRefreshedTime()).toBeNull();
  });
});

describe('parameters', () => {
  it("pass each source cell's value at the time of the refresh", () => {
    const engine = new FakeBigQuery({ deals });
    const { app, ss, rt } = setup(engine);
    app.enableBigQueryExecution();
    rt.loadSheets([
      {
        name: 'Params',
        rows: [
          ['city', 'Tokyo'],
          ['min', 100],
        ],
      },
    ]);
    const spec = app
      .newDataSourceSpec()
      .asBigQuery()
      .setProjectId('billing-1')
      .setRawQuery('SELECT * FROM deals WHERE city = @CITY AND amount > @MIN')
      .setParameterFromCell('CITY', 'Params!B1')
      .setParameterFromCell('MIN', 'Params!B2')
      .build();
    const dss = ss.insertDataSourceSheet(spec);
    expect(engine.calls.at(-1)).toEqual({
      projectId: 'billing-1',
      sql: 'SELECT * FROM deals WHERE city = @CITY AND amount > @MIN',
      params: { CITY: 'Tokyo', MIN: 100 },
    });
    const params = ss.getSheetByName('Params') as LocalSheet;
    params.getRange('B1').setValue('Osaka');
    dss.refreshData();
    expect(engine.calls.at(-1)?.params).toEqual({ CITY: 'Osaka', MIN: 100 });
    // Documented (PARAMETER_INVALID): "The source cell must exist and contain only a number or text."
    const before = shown(dss.asSheet());
    params.getRange('B1').setValue('');
    dss.refreshData();
    expect(dss.getStatus().getErrorCode()).toBe('PARAMETER_INVALID');
    expect(shown(dss.asSheet())).toEqual(before);
  });
});

describe('refreshing three extracts', () => {
  /** Three data sources, each with its data source sheet and one extract on the sheet Data. */
  function three() {
    const engine = new FakeBigQuery({
      alpha: numbered(3, 'a'),
      beta: numbered(3, 'b'),
      gamma: numbered(3, 'c'),
    });
    const { rt, app, ss, query } = setup(engine);
    app.enableBigQueryExecution();
    const data = ss.insertSheet('Data');
    const tables = ['alpha', 'beta', 'gamma'].map((t, i) => {
      const source = ss.insertDataSourceSheet(query(`SELECT * FROM ${t}`)).getDataSource();
      return data
        .getRange(1, 1 + 3 * i)
        .createDataSourceTable(source)
        .syncAllColumns();
    });
    for (const t of tables) t.refreshData();
    return { rt, ss, data, tables, engine };
  }
  const cellsOf = (t: LocalDataSourceTable) => t.getRange().getDisplayValues();

  it('an engine error in the second: it keeps its cells and reports ERROR, the others refresh', () => {
    const { ss, tables, engine } = three();
    const [a, b, c] = tables;
    const before = cellsOf(b);
    const refreshedAt = b.getStatus().getLastRefreshedTime()?.getTime();
    engine.version = 2;
    engine.failing.add('beta');
    ss.refreshAllDataSources();
    expect(cellsOf(a)[1]).toEqual(['1', 'a v2 #1']);
    expect(cellsOf(c)[3]).toEqual(['3', 'c v2 #3']);
    expect(cellsOf(b)).toEqual(before);
    const status = b.getStatus();
    expect([status.getExecutionState(), status.getErrorCode(), status.getErrorMessage()]).toEqual([
      'ERROR',
      'ENGINE',
      'Query failed: beta',
    ]);
    // Documented: the last refreshed time is that of the last *successful* execution.
    expect(status.getLastRefreshedTime()?.getTime()).toBe(refreshedAt);
    // Documented (refreshData): "Throws an exception if currently in error state."
    expect(() => b.refreshData()).toThrow(REFRESH_IN_ERROR);
    engine.failing.clear();
    expect(b.forceRefreshData().getStatus().getExecutionState()).toBe('SUCCESS');
    expect(cellsOf(b)[1]).toEqual(['1', 'b v2 #1']);
  });

  it('a fault injected at the second execution: the same, with INTERRUPTED', () => {
    const { rt, ss, tables, engine } = three();
    const [a, b, c] = tables;
    const before = cellsOf(b);
    engine.version = 3;
    rt.counter.reset();
    // refreshAllDataSources runs, per data source, its sheet and then its extract: the 4th
    // execution is the second extract's.
    rt.counter.failAt = { method: 'DataExecution.run', call: 4 };
    ss.refreshAllDataSources();
    expect(rt.counter.counts['DataExecution.run']).toBe(6);
    expect(cellsOf(a)[1]).toEqual(['1', 'a v3 #1']);
    expect(cellsOf(c)[1]).toEqual(['1', 'c v3 #1']);
    expect(cellsOf(b)).toEqual(before);
    expect(b.getStatus().getExecutionState()).toBe('ERROR');
    expect(b.getStatus().getErrorCode()).toBe('INTERRUPTED');
    expect(b.getStatus().getErrorMessage()).toMatch(/injected/);
  });

  it('a fault at a script call fails that call; a killed run stops with nothing half-written', () => {
    const { rt, data, tables, engine } = three();
    const [a, b, c] = tables;
    engine.version = 4;
    const before = shown(data);
    rt.counter.reset();
    rt.counter.failAt = { method: 'DataSourceTable.refreshData', call: 2 };
    const script = () => {
      for (const t of tables) t.refreshData();
    };
    expect(script).toThrow(/injected/);
    expect(cellsOf(a)[1]).toEqual(['1', 'a v4 #1']);
    // The failed call never reached Sheets: the second keeps its cells and its status.
    expect(cellsOf(b)).toEqual(before.map((r) => r.slice(3, 5)));
    expect(b.getStatus().getExecutionState()).toBe('SUCCESS');
    expect(cellsOf(c)).toEqual(before.map((r) => r.slice(6, 8)));

    // Killed at the second extract's execution: everything from there on is as it was.
    engine.version = 5;
    const killedBefore = shown(data);
    rt.counter.reset();
    rt.counter.failAt = undefined;
    rt.counter.killFrom = 3; // 1 refreshAllDataSources, 2 alpha's sheet, 3 alpha's extract
    const ss = rt.run<App>('SpreadsheetApp');
    expect(() => ss.getActive().refreshAllDataSources()).toThrow(/killed/);
    rt.counter.killFrom = undefined;
    expect(shown(data)).toEqual(killedBefore);
    for (const t of tables) expect(t.getStatus().getExecutionState()).toBe('SUCCESS');
  });
});

describe('status and waitForCompletion', () => {
  it('NOT_STARTED → SUCCESS → ERROR, each status a snapshot; the timeout is 1..300 s', () => {
    const engine = new FakeBigQuery({ deals });
    const { app, ss, query } = setup(engine);
    app.enableBigQueryExecution();
    const source = ss.insertDataSourceSheet(query('SELECT * FROM deals')).getDataSource();
    const table = ss
      .insertSheet('T')
      .getRange('A1')
      .createDataSourceTable(source)
      .addColumns('name', 'won');
    const fresh = table.getStatus();
    expect([fresh.getExecutionState(), fresh.getErrorCode(), fresh.getErrorMessage()]).toEqual([
      'NOT_STARTED',
      'NONE',
      '',
    ]);
    expect(fresh.getLastRefreshedTime()).toBeNull();
    expect(fresh.isTruncated()).toBe(false);
    expect(() => table.waitForCompletion(301)).toThrow();
    expect(() => table.waitForCompletion(0)).toThrow();
    const done = table.refreshData().waitForCompletion(300);
    expect(done.getExecutionState()).toBe(app.DataExecutionState.SUCCESS);
    expect(done.getLastRefreshedTime()).not.toBeNull();
    expect(fresh.getExecutionState()).toBe('NOT_STARTED');
    engine.failing.add('deals');
    source.refreshAllLinkedDataSourceObjects();
    expect(table.waitForCompletion(1).getExecutionState()).toBe('ERROR');
    expect(done.getExecutionState()).toBe('SUCCESS');
    source.waitForAllDataExecutionsCompletion(5);
    // updateSpec refreshes every linked object with the new spec.
    engine.failing.clear();
    source.updateSpec(
      source.getSpec().copy().asBigQuery().setRawQuery('SELECT name, won FROM deals').build(),
    );
    expect(table.getStatus().getExecutionState()).toBe('SUCCESS');
    expect(engine.calls.at(-1)?.sql).toBe('SELECT name, won FROM deals');
    expect(ss.getDataSources().length).toBe(1);
    expect(
      (ss.getDataSourceSheets()[0] as LocalDataSourceSheet).getStatus().getExecutionState(),
    ).toBe('SUCCESS');
  });
});

describe('fault sweep', () => {
  /** A script's run: a data source, an extract of it on the sheet Data, a refresh. */
  function script(app: App, ss: LocalSpreadsheet): void {
    app.enableBigQueryExecution();
    const spec = app
      .newDataSourceSpec()
      .asBigQuery()
      .setProjectId('billing-1')
      .setRawQuery('SELECT * FROM alpha')
      .build();
    const source = ss.insertDataSourceSheet(spec).getDataSource();
    const table = ss.getSheetByName('Data')?.getRange('A1').createDataSourceTable(source);
    table?.syncAllColumns().setRowLimit(2).refreshData();
    table?.waitForCompletion(30).getExecutionState();
  }
  function run(fault: { failIndex?: number; killFrom?: number }) {
    const { rt, app, ss } = setup(new FakeBigQuery({ alpha: numbered(3, 'a') }));
    rt.loadSheets([{ name: 'Data', rows: [['']] }]);
    rt.counter.reset();
    Object.assign(rt.counter, fault);
    let thrown: unknown;
    try {
      script(app, ss);
    } catch (e) {
      thrown = e;
    }
    const calls = [...rt.counter.log];
    Object.assign(rt.counter, { failIndex: undefined, killFrom: undefined });
    return { calls, thrown, data: shown(ss.getSheetByName('Data') as LocalSheet) };
  }

  it('each call and each execution can fail; the extract is all there or not there', () => {
    const clean = run({});
    expect(clean.thrown).toBeUndefined();
    const full = clean.data;
    expect(full).toEqual([
      ['a_id', 'a_label'],
      ['1', 'a v1 #1'],
      ['2', 'a v1 #2'],
    ]);
    const calls = clean.calls;
    expect(calls).toContain('DataExecution.run');
    expect(calls).toContain('DataSourceTable.setRowLimit');
    for (let k = 1; k <= calls.length; k++) {
      for (const fault of [{ failIndex: k }, { killFrom: k }]) {
        const { data, thrown } = run(fault);
        expect([[['']], full]).toContainEqual(data);
        // A failed execution does not throw: the status says so. Any other fault does.
        if (calls[k - 1] !== 'DataExecution.run' || fault.killFrom)
          expect(thrown, `${calls[k - 1]}`).toBeDefined();
      }
    }
  });
});
