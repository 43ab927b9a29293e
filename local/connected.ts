/**
 * Connected Sheets in the local runtime (issue 25): data sources, data source sheets and extracts
 * (data source tables) over an injected, synchronous stand-in for BigQuery. Written from the Apps
 * Script reference (developers.google.com/apps-script/reference/spreadsheet/: data-source,
 * data-source-table, data-source-sheet, big-query-data-source-spec-builder, data-execution-*).
 * Every method a script can call is counted as `Class.method`, like the other services, and each
 * data execution as `DataExecution.run`: a fault sweep can fail a call (it throws, nothing
 * changes) or an execution (ERROR, the cells keep their previous content). Each behaviour says
 * whether it is *documented*, *reported* or *assumed*.
 */

import { daysFromCivil } from '../src/core/dates/civil';
import type { SqlType } from '../src/core/sql/dialect';
import { parseA1, toA1 } from './a1';
import { cellKey, MAX_CELLS_PER_SPREADSHEET } from './engine';
import {
  counted,
  type LocalRange,
  type LocalSheet,
  type LocalSpreadsheet,
  type RuntimeEnv,
  type Shape,
} from './services';

import S = GoogleAppsScript.Spreadsheet;

/** Checks an object against a Shape (without the excess-property check) and returns it as is. */
const conforms =
  <G, K extends keyof G>() =>
  <T extends Shape<G, K>>(o: T): T =>
    o;

const names = <K extends string>(...keys: K[]) =>
  Object.freeze(Object.fromEntries(keys.map((k) => [k, k]))) as { readonly [P in K]: P };

/** *Documented* (Enum DataExecutionState): SpreadsheetApp.DataExecutionState. */
export const DataExecutionState = names(
  'DATA_EXECUTION_STATE_UNSUPPORTED',
  'RUNNING',
  'SUCCESS',
  'ERROR',
  'NOT_STARTED',
);
/** *Documented* (Enum DataExecutionErrorCode, page of 2026-04-13). */
export const DataExecutionErrorCode = names(
  'DATA_EXECUTION_ERROR_CODE_UNSUPPORTED',
  'NONE',
  'TIME_OUT',
  'TOO_MANY_ROWS',
  'TOO_MANY_COLUMNS',
  'TOO_MANY_CELLS',
  'ENGINE',
  'PARAMETER_INVALID',
  'UNSUPPORTED_DATA_TYPE',
  'DUPLICATE_COLUMN_NAMES',
  'INTERRUPTED',
  'OTHER',
  'TOO_MANY_CHARS_PER_CELL',
  'DATA_NOT_FOUND',
  'PERMISSION_DENIED',
);
export type ErrorCode = keyof typeof DataExecutionErrorCode;

// ---- the engine: BigQuery's stand-in (DuckDB in issue 25), given in RuntimeOptions.bigQuery ----

/** BigQuery's column types the add-on reads: the query model's (src/core/sql/dialect.ts). */
export type BigQueryType = SqlType;
const TYPES = new Set('STRING INT64 FLOAT64 NUMERIC BOOL DATE DATETIME TIMESTAMP'.split(' '));

export interface BigQueryEngine {
  /** Runs one query synchronously; throws BigQueryEngineError(code, message) on failure. */
  run(
    projectId: string,
    sql: string,
    params: Record<string, unknown>,
  ): {
    columns: { name: string; type: BigQueryType }[];
    /**
     * STRING→string, numbers→number, BOOL→boolean, DATE→'YYYY-MM-DD', DATETIME→
     * 'YYYY-MM-DDTHH:MM:SS' (wall time), TIMESTAMP→epoch milliseconds (number), NULL→null.
     */
    rows: unknown[][];
  };
}

/** A failed execution: its DataExecutionErrorCode and the text getErrorMessage() shows. */
export class BigQueryEngineError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'BigQueryEngineError';
  }
}

// ---- limits and messages ---------------------------------------------------------------------

/**
 * An extract's rows. *Documented* (Sheets API, DataSourceTable.rowLimit,
 * https://developers.google.com/workspace/sheets/api/reference/rest/v4/spreadsheets/cells):
 * "The limit of rows to return. If not set, a default limit is applied. Please refer to the
 * Sheets editor for the default and max limit." *Documented* (DataSourceTable.setRowLimit,
 * https://developers.google.com/apps-script/reference/spreadsheet/data-source-table): "If the
 * provided row limit is null, then updates the data source table to use the default max row
 * limit as in Google Sheets UI." *Reported* (Google Drive file limits,
 * https://support.google.com/drive/answer/37603, as quoted in public notes; the page itself is
 * not in the stored corpus): an extract holds up to 500,000 rows or 5 million cells.
 * *Assumed*: the default is that maximum ("the default max row limit"); a limit outside
 * 1..500,000 throws; rows past the limit are left out and isTruncated() says so.
 */
export const EXTRACT_MAX_ROWS = 500_000;
export const EXTRACT_MAX_CELLS = 5_000_000;
/**
 * *Documented* (Sheets API guide "Connected Sheets",
 * https://developers.google.com/workspace/sheets/api/guides/connected-sheets): "After a data
 * source is created, an associated DATA_SOURCE sheet is created to provide a preview of up to
 * 500 rows."
 */
export const PREVIEW_ROWS = 500;
/**
 * *Documented* (DataExecutionErrorCode.TOO_MANY_CHARS_PER_CELL): "The data execution returns
 * values that exceed the maximum characters allowed in a single cell." *Reported* (Google Drive
 * file limits, as above): 50,000 characters.
 */
const MAX_CHARS_PER_CELL = 50_000;
/** *Documented* (waitForCompletion): "The maximum is 300 seconds." */
const MAX_WAIT_SECONDS = 300;

/**
 * *Documented* (SpreadsheetApp.enableBigQueryExecution(),
 * https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet-app): "Turns data
 * execution on for BigQuery data sources. Data execution for BigQuery data source throws an
 * exception if not turned on." The wording of the message is *assumed*.
 */
export const NOT_ENABLED =
  'Data execution for BigQuery data sources is not turned on: call SpreadsheetApp.enableBigQueryExecution() first.';
/** *Documented* (refreshData): "Throws an exception if currently in error state." Wording *assumed*. */
export const REFRESH_IN_ERROR =
  'The data source object is in the error state: use forceRefreshData() or DataSource.updateSpec().';
/**
 * *Assumed* (nothing public says what a script's write into an extract does; the editor does not
 * let a user type into one): the conservative behaviour, the write throws and changes nothing.
 */
export const READ_ONLY =
  'You cannot edit cells of a Connected Sheets extract or data source sheet: refresh it or change its data source.';

// ---- data source specs -----------------------------------------------------------------------

interface SpecData {
  bigQuery: boolean;
  projectId: string;
  rawQuery: string;
  tableProjectId: string;
  datasetId: string;
  tableId: string;
  parameters: { name: string; cell: string }[];
}
const copyData = (d: SpecData): SpecData => ({
  ...d,
  parameters: d.parameters.map((p) => ({ ...p })),
});

/** What builders and built specs share. */
class SpecBase {
  constructor(
    protected readonly cs: ConnectedSheets,
    readonly data: SpecData,
  ) {}
  /** *Documented* (both): "Creates a DataSourceSpecBuilder based on this data source's settings." */
  copy(): LocalDataSourceSpecBuilder {
    const copy = new LocalDataSourceSpecBuilder(this.cs, copyData(this.data));
    return this.cs.wrap(copy, 'DataSourceSpecBuilder');
  }
  getParameters() {
    return this.data.parameters.map(({ name, cell }) =>
      this.cs.wrap(
        { getName: () => name, getSourceCell: () => cell, getType: () => 'CELL' },
        'DataSourceParameter',
      ),
    );
  }
  getType(): string {
    return this.data.bigQuery ? 'BIGQUERY' : 'DATA_SOURCE_TYPE_UNSUPPORTED';
  }
}

class BuilderBase extends SpecBase {
  removeAllParameters(): this {
    this.data.parameters = [];
    return this;
  }
  removeParameter(parameterName: string): this {
    this.data.parameters = this.data.parameters.filter((p) => p.name !== parameterName);
    return this;
  }
  /**
   * *Documented*: "Adds a parameter, or if the parameter with the name exists, updates its source
   * cell for data source spec builders of type DataSourceType.BIGQUERY." *Assumed*: on a builder
   * with no type yet, it throws ("only available for BigQuery data sources").
   */
  setParameterFromCell(parameterName: string, sourceCell: string): this {
    if (!this.data.bigQuery) throw new Error('Only available for BigQuery data sources.');
    const found = this.data.parameters.find((p) => p.name === parameterName);
    if (found) found.cell = sourceCell;
    else this.data.parameters.push({ name: parameterName, cell: sourceCell });
    return this;
  }
  /** *Documented*: "Must use as...() to specify a data source type before building." */
  build(): LocalDataSourceSpec {
    if (!this.data.bigQuery) throw new Error('Use asBigQuery() before building the spec.');
    return this.cs.wrap(new LocalDataSourceSpec(this.cs, copyData(this.data)), 'DataSourceSpec');
  }
}

type BuilderMethods = 'build' | 'copy' | 'getParameters' | 'getType' | 'removeAllParameters';
type BuilderShape = Shape<
  S.DataSourceSpecBuilder,
  BuilderMethods | 'asBigQuery' | 'removeParameter' | 'setParameterFromCell'
>;
export class LocalDataSourceSpecBuilder extends BuilderBase implements BuilderShape {
  asBigQuery(): LocalBigQuerySpecBuilder {
    this.data.bigQuery = true;
    const builder = new LocalBigQuerySpecBuilder(this.cs, this.data);
    return this.cs.wrap(builder, 'BigQueryDataSourceSpecBuilder');
  }
}

/**
 * *Documented* (BigQueryDataSourceSpecBuilder): a raw query, or a table (table project, dataset,
 * table — each getter returns "an empty string if the data source spec is defined by a raw
 * query"). *Assumed*: setting one kind clears the other (the API's spec holds one of them).
 */
export class LocalBigQuerySpecBuilder
  extends BuilderBase
  implements
    Shape<
      S.BigQueryDataSourceSpecBuilder,
      BuilderMethods | 'getProjectId' | 'getRawQuery' | 'setProjectId' | 'setRawQuery'
    >
{
  getProjectId = () => this.data.projectId;
  getRawQuery = () => this.data.rawQuery;
  getTableProjectId = () => this.data.tableProjectId;
  getDatasetId = () => this.data.datasetId;
  getTableId = () => this.data.tableId;
  setProjectId(projectId: string): this {
    this.data.projectId = String(projectId);
    return this;
  }
  setRawQuery(rawQuery: string): this {
    return this.set({ rawQuery, tableProjectId: '', datasetId: '', tableId: '' });
  }
  setTableProjectId(projectId: string): this {
    return this.set({ tableProjectId: projectId, rawQuery: '' });
  }
  setDatasetId(datasetId: string): this {
    return this.set({ datasetId, rawQuery: '' });
  }
  setTableId(tableId: string): this {
    return this.set({ tableId, rawQuery: '' });
  }
  private set(fields: Partial<Record<keyof SpecData, string>>): this {
    for (const [k, v] of Object.entries(fields)) Object.assign(this.data, { [k]: String(v) });
    return this;
  }
}

export class LocalDataSourceSpec
  extends SpecBase
  implements Shape<S.DataSourceSpec, 'asBigQuery' | 'copy' | 'getParameters' | 'getType'>
{
  asBigQuery(): LocalBigQuerySpec {
    return this.cs.wrap(new LocalBigQuerySpec(this.cs, this.data), 'BigQueryDataSourceSpec');
  }
}

export class LocalBigQuerySpec
  extends SpecBase
  implements Shape<S.BigQueryDataSourceSpec, 'copy' | 'getProjectId' | 'getRawQuery' | 'getType'>
{
  getProjectId = () => this.data.projectId;
  getRawQuery = () => this.data.rawQuery;
  getTableProjectId = () => this.data.tableProjectId;
  getDatasetId = () => this.data.datasetId;
  getTableId = () => this.data.tableId;
}

/** The data of a built spec a script hands in (a DataSourceSpec or its asBigQuery() view). */
function specOf(spec: unknown): SpecData {
  if (!(spec instanceof SpecBase) || spec instanceof BuilderBase || !spec.data.bigQuery)
    throw new Error('Invalid argument: spec (a DataSourceSpec made by build()).');
  return spec.data;
}

// ---- data source objects: data source sheets and extracts -------------------------------------

interface Execution {
  state: keyof typeof DataExecutionState;
  code: ErrorCode;
  message: string;
  lastRefreshed?: number;
  lastExecuted?: number;
  truncated: boolean;
}

/** Cells an execution writes: text behind an apostrophe, numbers, booleans, null; date formats. */
interface Block {
  values: (string | number | boolean | null)[][];
  formats: (string | undefined)[][];
}

/** A result as one object shows it: its columns, its cells, and whether rows were left out. */
interface Shown {
  names: string[];
  block: Block;
  truncated: boolean;
}

interface Result {
  names: string[];
  rows: unknown[][];
  /** The header and the first `limit` rows of the given columns, as cells. */
  block(columns: number[], limit: number): Block;
}

/** The methods @types/google-apps-script knows, checked against it (see services.ts Shape). */
type DataObjectMethods = 'forceRefreshData' | 'getDataSource' | 'getStatus' | 'refreshData';
type TableShape = Shape<S.DataSourceTable, DataObjectMethods | 'getRange' | 'waitForCompletion'>;
type SheetShape = Shape<
  S.DataSourceSheet,
  DataObjectMethods | 'asSheet' | 'getSheetValues' | 'waitForCompletion'
>;

type StatusMethods = 'getErrorCode' | 'getErrorMessage' | 'getExecutionState' | 'isTruncated';

abstract class DataObject {
  self: this = this;
  exec: Execution = { state: 'NOT_STARTED', code: 'NONE', message: '', truncated: false };
  /** What the last successful execution wrote at the anchor: its size, cells and columns. */
  area?: { rows: number; cols: number };
  block?: Block;
  shown: string[] = [];
  abstract readonly row: number;
  abstract readonly col: number;
  constructor(
    protected readonly cs: ConnectedSheets,
    readonly source: LocalDataSource,
    readonly sheetId: number,
  ) {}
  getDataSource(): LocalDataSource {
    return this.source.self;
  }
  getStatus() {
    return this.cs.status(this.exec);
  }
  refreshData(): this {
    this.cs.requireEnabled();
    if (this.exec.state === 'ERROR') throw new Error(REFRESH_IN_ERROR);
    this.cs.execute(this);
    return this;
  }
  /** *Documented*: "Refreshes the data of this object regardless of the current state." */
  forceRefreshData(): this {
    this.cs.requireEnabled();
    this.cs.execute(this);
    return this;
  }
  /**
   * *Documented*: "Waits until the current execution completes, timing out after the provided
   * number of seconds." An execution here ends inside the call that starts it: the status at once.
   */
  waitForCompletion(timeoutInSeconds: number) {
    checkTimeout(timeoutInSeconds);
    return this.getStatus();
  }
  abstract shape(result: Result): Shown;
  /** False for what a refresh of everything skips (an extract with no columns). */
  valid(): boolean {
    return true;
  }
}

function checkTimeout(t: number): void {
  if (!(typeof t === 'number' && t > 0 && t <= MAX_WAIT_SECONDS))
    throw new Error(`The timeout must be from 1 to ${MAX_WAIT_SECONDS} seconds.`);
}

/**
 * An extract. *Documented* (Sheets API guide "Connected Sheets"): "Known as an "extract" in the
 * Sheets editor, the table object imports a static dump of data from the data source into
 * Sheets. Similar to a pivot table, the table is specified and anchored to the top left cell."
 * (Range.createDataSourceTable): "Creates an empty data source table from the data source,
 * anchored at the first cell in this range." *Assumed*: a header row holds the column names.
 */
export class LocalDataSourceTable extends DataObject implements TableShape {
  columns: string[] = [];
  syncAll = false;
  rowLimit: number | null = null;
  constructor(
    cs: ConnectedSheets,
    source: LocalDataSource,
    sheetId: number,
    readonly row: number,
    readonly col: number,
  ) {
    super(cs, source, sheetId);
  }
  /** The reference takes String[]; its own example passes names one by one: both work. */
  addColumns(...columnNames: (string | string[])[]): this {
    for (const n of columnNames.flat().map(String))
      if (!this.columns.includes(n)) this.columns.push(n);
    return this;
  }
  getColumns() {
    return (this.syncAll ? this.shown : this.columns).map((name) =>
      this.cs.wrap(
        {
          getDataSourceColumn: () => this.cs.column(this.source, name),
          /** *Documented*: "Removes the column from the DataSourceTable." */
          remove: () => {
            if (this.syncAll) Object.assign(this, { syncAll: false, columns: [...this.shown] });
            this.columns = this.columns.filter((n) => n !== name);
          },
        },
        'DataSourceTableColumn',
        this.sheetId,
      ),
    );
  }
  removeAllColumns(): this {
    Object.assign(this, { columns: [], syncAll: false });
    return this;
  }
  /** *Documented*: "Sync all current and future columns in the associated data source". */
  syncAllColumns(): this {
    this.syncAll = true;
    return this;
  }
  isSyncingAllColumns(): boolean {
    return this.syncAll;
  }
  setRowLimit(rowLimit: number | null): this {
    const ok = rowLimit === null || (Number.isInteger(rowLimit) && rowLimit >= 1);
    if (!ok || (rowLimit ?? 0) > EXTRACT_MAX_ROWS)
      throw new Error(
        `The row limit must be null or a whole number from 1 to ${EXTRACT_MAX_ROWS}.`,
      );
    this.rowLimit = rowLimit;
    return this;
  }
  /** *Documented*: "… or null if no limit is set and the table uses the default max limit". */
  getRowLimit(): number | null {
    return this.rowLimit;
  }
  /** *Documented*: "Gets the Range this data source table spans." (*Assumed*: its anchor before data.) */
  getRange(): LocalRange {
    const { rows, cols } = this.area ?? { rows: 1, cols: 1 };
    return this.cs.ss.rawSheet(this.sheetId).rangeAt(this.row, this.col, rows, cols);
  }
  valid(): boolean {
    return this.syncAll || this.columns.length > 0;
  }
  shape(result: Result): Shown {
    const names = this.syncAll ? result.names : this.columns;
    if (names.length === 0)
      throw new BigQueryEngineError('OTHER', 'The extract has no columns: use addColumns().');
    const at = names.map((n) => {
      const i = result.names.indexOf(n);
      if (i < 0) throw new BigQueryEngineError('OTHER', `The data source has no column "${n}".`);
      return i;
    });
    const limit = Math.min(this.rowLimit ?? EXTRACT_MAX_ROWS, EXTRACT_MAX_CELLS / at.length);
    return { names, block: result.block(at, limit), truncated: result.rows.length > limit };
  }
}

/**
 * A data source sheet: the header and the first PREVIEW_ROWS rows from A1 of a sheet of its own.
 * *Assumed*: getSheetValues reads those preview rows, startRow 1 being the row under the header.
 */
export class LocalDataSourceSheet extends DataObject implements SheetShape {
  readonly row = 1;
  readonly col = 1;
  asSheet(): LocalSheet {
    return this.cs.ss.sheetFor(this.sheetId);
  }
  getSheetValues(columnName: string, startRow = 1, numRows?: number): unknown[] {
    const c = this.shown.indexOf(columnName);
    if (c < 0) throw new Error(`The data source sheet has no column "${columnName}".`);
    const left = (this.area?.rows ?? 1) - startRow;
    const n = Math.min(numRows ?? left, left);
    if (startRow < 1 || n <= 0) return [];
    return this.cs.env.wb.getValues(this.sheetId, 1 + startRow, 1 + c, n, 1).map((r) => r[0]);
  }
  shape(result: Result): Shown {
    const block = result.block(
      result.names.map((_, i) => i),
      PREVIEW_ROWS,
    );
    return { names: result.names, block, truncated: result.rows.length > PREVIEW_ROWS };
  }
}

export class LocalDataSource implements Shape<S.DataSource, 'getSpec' | 'updateSpec'> {
  self: this = this;
  readonly sheets: LocalDataSourceSheet[] = [];
  readonly tables: LocalDataSourceTable[] = [];
  /** Column names of the last successful execution of any of its objects. */
  columns: string[] = [];
  constructor(
    private readonly cs: ConnectedSheets,
    public spec: SpecData,
  ) {}
  /** Its objects whose sheet still exists: data source sheets first, then extracts. */
  objects(): DataObject[] {
    const live = new Set(this.cs.env.wb.sheetIds());
    return [...this.sheets, ...this.tables].filter((o) => live.has(o.sheetId));
  }
  getSpec(): LocalDataSourceSpec {
    return this.cs.wrap(new LocalDataSourceSpec(this.cs, copyData(this.spec)), 'DataSourceSpec');
  }
  /**
   * *Documented*: updateSpec(spec) "refreshes the data source objects linked with this data
   * source"; updateSpec(spec, refreshAllLinkedObjects) "refreshes the linked data source sheets"
   * and, if true, "also refreshes all the data source objects". "Throws an exception if the data
   * source type is not enabled."
   */
  updateSpec(spec: object, refreshAllLinkedObjects?: boolean): this {
    this.cs.requireEnabled();
    this.spec = copyData(specOf(spec));
    for (const o of this.objects())
      if (refreshAllLinkedObjects !== false || o instanceof LocalDataSourceSheet)
        this.cs.execute(o);
    return this;
  }
  refreshAllLinkedDataSourceObjects(): void {
    this.cs.requireEnabled();
    for (const o of this.objects()) if (o.valid()) this.cs.execute(o);
  }
  waitForAllDataExecutionsCompletion(timeoutInSeconds: number): void {
    checkTimeout(timeoutInSeconds);
  }
  getDataSourceSheets(): LocalDataSourceSheet[] {
    return this.objects()
      .filter((o) => o instanceof LocalDataSourceSheet)
      .map((o) => o.self as LocalDataSourceSheet);
  }
  getColumns() {
    return this.columns.map((n) => this.cs.column(this, n));
  }
}

// ---- the service --------------------------------------------------------------------------------

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2}(?:\.\d+)?)$/;
const SERIAL_EPOCH_DAYS = 25_569;
const DATE_TIME = 'yyyy-mm-dd hh:mm:ss';
const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class ConnectedSheets {
  engine?: BigQueryEngine;
  /** enableBigQueryExecution() was called (*assumed*: for the runtime's life, not one run). */
  enabled = false;
  private readonly sources: LocalDataSource[] = [];
  private readonly DateCtor: DateConstructor;

  constructor(
    readonly env: RuntimeEnv,
    readonly ss: LocalSpreadsheet,
    opts: { engine?: BigQueryEngine; DateCtor: DateConstructor },
  ) {
    this.engine = opts.engine;
    this.DateCtor = opts.DateCtor;
  }

  /** The counted proxy of a service object (also its `self`, so it can hand itself out). */
  wrap<T extends object>(obj: T, service: string, sheetId?: number): T {
    const proxy = counted(obj, service, this.env.counter, sheetId);
    if ('self' in obj) Object.assign(obj, { self: proxy });
    return proxy;
  }
  /** A snapshot of a status, as getStatus() returns it. */
  status(s: Execution) {
    const x = { ...s };
    const at = (t?: number) => (t === undefined ? null : new this.DateCtor(t));
    const status = {
      getExecutionState: (): string => x.state,
      getErrorCode: (): string => x.code,
      /** *Documented*: "Gets the error message of the data execution. The message may be empty." */
      getErrorMessage: () => x.message,
      /** *Documented*: "… or null if there is never a successful data execution." */
      getLastRefreshedTime: () => at(x.lastRefreshed),
      getLastExecutionTime: () => at(x.lastExecuted),
      /** *Documented*: "true if the data from last successful execution is truncated". */
      isTruncated: () => x.truncated,
    };

    const shaped = conforms<S.DataExecutionStatus, StatusMethods>()(status);
    return this.wrap(shaped, 'DataExecutionStatus');
  }
  column(source: LocalDataSource, name: string) {
    const column = { getName: () => name, getDataSource: () => source.self };
    return this.wrap(column, 'DataSourceColumn');
  }
  requireEnabled(): void {
    if (!this.enabled) throw new Error(NOT_ENABLED);
  }

  // ---- entry points: SpreadsheetApp, Spreadsheet, Sheet, Range ----

  newDataSourceSpec(): LocalDataSourceSpecBuilder {
    const data = { bigQuery: false, projectId: '', rawQuery: '', parameters: [] };
    const empty = { ...data, tableProjectId: '', datasetId: '', tableId: '' };
    return this.wrap(new LocalDataSourceSpecBuilder(this, empty), 'DataSourceSpecBuilder');
  }

  /**
   * *Documented* (Spreadsheet.insertDataSourceSheet): "Inserts a new DataSourceSheet in the
   * spreadsheet and starts data execution. As a side effect, this also makes the new sheet the
   * active sheet. Throws an exception if the data source type is not enabled." *Assumed*: the
   * sheet is named after the table, else as insertSheet() names a sheet.
   */
  insertDataSourceSheet(spec: object): LocalDataSourceSheet {
    this.requireEnabled();
    const source = new LocalDataSource(this, copyData(specOf(spec)));
    this.wrap(source, 'DataSource');
    this.sources.push(source);
    const name = source.spec.tableId;
    const free = name !== '' && this.env.wb.sheetId(name) === undefined;
    const sheet = free ? this.ss.insertSheet(name) : this.ss.insertSheet();
    const dss = new LocalDataSourceSheet(this, source, sheet.id);
    this.wrap(dss, 'DataSourceSheet', dss.sheetId);
    source.sheets.push(dss);
    this.execute(dss);
    return dss.self;
  }

  getDataSources(): LocalDataSource[] {
    return this.sources.map((s) => s.self);
  }

  /**
   * A sheet was deleted: its data source sheet or extracts go with it, for good (the workbook may
   * give a later sheet the same id; Sheets never does). A data source left with no object goes.
   */
  sheetDeleted(sheetId: number): void {
    for (const s of this.sources) {
      for (const list of [s.sheets, s.tables] as DataObject[][])
        for (let i = list.length - 1; i >= 0; i--)
          if (list[i].sheetId === sheetId) list.splice(i, 1);
    }
    for (let i = this.sources.length - 1; i >= 0; i--)
      if (this.sources[i].sheets.length + this.sources[i].tables.length === 0)
        this.sources.splice(i, 1);
  }
  getDataSourceSheets(): LocalDataSourceSheet[] {
    return this.sources.flatMap((s) => s.getDataSourceSheets());
  }
  dataSourceSheetOf(sheetId: number): LocalDataSourceSheet | null {
    return this.getDataSourceSheets().find((d) => d.sheetId === sheetId) ?? null;
  }

  /**
   * *Documented* (Spreadsheet.refreshAllDataSources): "Refreshes all supported data sources and
   * their linked data source objects, skipping invalid data source objects." Each object ends in
   * its own state: one failed execution does not stop the others.
   */
  refreshAllDataSources(): void {
    this.requireEnabled();
    for (const s of this.sources) for (const o of s.objects()) if (o.valid()) this.execute(o);
  }

  createDataSourceTable(id: number, row: number, col: number, ds: object): LocalDataSourceTable {
    const source = this.sources.find((s) => s.self === ds);
    if (!source) throw new Error('Invalid argument: dataSource.');
    const why = this.readOnly(id, row, col, 1, 1);
    if (why) throw new Error(why);
    const table = new LocalDataSourceTable(this, source, id, row, col);
    this.wrap(table, 'DataSourceTable', id);
    source.tables.push(table);
    return table.self;
  }

  /** The extracts whose cells meet an area of a sheet (all of the sheet's by default). */
  tablesIn(id: number, row = 1, col = 1, rows = Infinity, cols = Infinity): LocalDataSourceTable[] {
    const meets = (t: LocalDataSourceTable) => {
      const { rows: h, cols: w } = t.area ?? { rows: 1, cols: 1 };
      return t.row < row + rows && row < t.row + h && t.col < col + cols && col < t.col + w;
    };
    return this.sources
      .flatMap((s) => s.objects())
      .filter((o) => o instanceof LocalDataSourceTable && o.sheetId === id && meets(o))
      .map((t) => t.self as LocalDataSourceTable);
  }

  /** Why a script may not write to an area (an extract's or a data source sheet's cells). */
  readOnly(id: number, row: number, col: number, rows: number, cols: number): string | undefined {
    if (this.sources.length === 0) return undefined;
    const ours = this.dataSourceSheetOf(id) || this.tablesIn(id, row, col, rows, cols).length > 0;
    return ours ? READ_ONLY : undefined;
  }

  // ---- one data execution ----

  /**
   * Runs one object's query and writes its cells, or ends in ERROR leaving them as they were.
   * *Assumed* (nothing public says what a failed refresh does to an extract's cells; the status
   * speaks of "the data from last successful execution"): a failed execution keeps the previous
   * data whole. An injected fault at `DataExecution.run` is a failed execution (INTERRUPTED); a
   * killed run stops here, the object untouched.
   */
  execute(obj: DataObject): void {
    const counter = this.env.counter;
    try {
      counter.add('DataExecution.run');
    } catch (e) {
      if (counter.killFrom !== undefined && counter.log.length >= counter.killFrom) throw e;
      this.fail(obj, 'INTERRUPTED', messageOf(e));
      return;
    }
    try {
      const result = this.query(obj.source.spec);
      const { names, block, truncated } = obj.shape(result);
      this.write(obj, block);
      obj.shown = names;
      obj.source.columns = result.names;
      const now = Date.now();
      Object.assign(obj.exec, { state: 'SUCCESS', code: 'NONE', message: '', truncated });
      Object.assign(obj.exec, { lastRefreshed: now, lastExecuted: now });
    } catch (e) {
      const known = e instanceof BigQueryEngineError && e.code in DataExecutionErrorCode;
      this.fail(obj, known ? e.code : 'ENGINE', messageOf(e));
    }
  }

  private fail(obj: DataObject, code: ErrorCode, message: string): void {
    Object.assign(obj.exec, { state: 'ERROR', code, message, lastExecuted: Date.now() });
  }

  private query(spec: SpecData): Result {
    if (!this.engine)
      throw new BigQueryEngineError(
        'OTHER',
        'No BigQuery here: the local runtime runs queries only through RuntimeOptions.bigQuery, and none was given.',
      );
    const table = [spec.tableProjectId || spec.projectId, spec.datasetId, spec.tableId].join('.');
    const sql = spec.rawQuery || (spec.tableId ? `SELECT * FROM \`${table}\`` : '');
    if (!sql) throw new BigQueryEngineError('OTHER', 'The data source spec has no query or table.');
    const out = this.engine.run(spec.projectId, sql, this.parameters(spec));
    const names = out.columns.map((c) => String(c.name));
    // BigQuery column names are case-insensitive.
    const lower = names.map((n) => n.toLowerCase());
    const twice = names.find((_, i) => lower.indexOf(lower[i]) !== i);
    if (twice !== undefined)
      throw new BigQueryEngineError('DUPLICATE_COLUMN_NAMES', `Duplicate column "${twice}".`);
    const types = out.columns.map((c) => c.type);
    const odd = types.find((t) => !TYPES.has(t));
    if (odd !== undefined)
      throw new BigQueryEngineError('UNSUPPORTED_DATA_TYPE', `Unsupported type ${String(odd)}.`);
    if (out.rows.some((r) => !Array.isArray(r) || r.length !== names.length))
      throw new BigQueryEngineError('ENGINE', 'A result row does not match the result columns.');
    return {
      names,
      rows: out.rows,
      block: (at, limit) => {
        const cells = out.rows.slice(0, limit).map((r) => at.map((i) => this.cell(types[i], r[i])));
        return {
          values: [at.map((i) => `'${names[i]}`), ...cells.map((r) => r.map((x) => x.v))],
          formats: [at.map(() => undefined), ...cells.map((r) => r.map((x) => x.f))],
        };
      },
    };
  }

  /**
   * A BigQuery value as the extract's cell. *Assumed* (issue 25's brief; no Google page found
   * states it): DATE and DATETIME are wall-clock dates and TIMESTAMP an instant shown in the
   * spreadsheet's time zone — each stored as the workbook stores a date (engine.ts setValues: a
   * serial of the wall-clock time with a date format, which getValues turns back into a Date).
   */
  private cell(
    type: BigQueryType,
    v: unknown,
  ): { v: string | number | boolean | null; f?: string } {
    if (v === null || v === undefined) return { v: null };
    const bad = new BigQueryEngineError('ENGINE', `Malformed ${type} value: ${String(v)}`);
    const day = (m: RegExpExecArray) => daysFromCivil(+m[1], +m[2], +m[3]) + SERIAL_EPOCH_DAYS;
    if (type === 'STRING') {
      const s = String(v);
      if (s.length > MAX_CHARS_PER_CELL)
        throw new BigQueryEngineError(
          'TOO_MANY_CHARS_PER_CELL',
          `A value of ${s.length} characters.`,
        );
      return { v: s === '' ? null : `'${s}` };
    }
    if (type === 'BOOL') return { v: Boolean(v) };
    if (type === 'DATE') {
      const m = DATE.exec(String(v));
      if (!m) throw bad;
      return { v: day(m), f: 'yyyy-mm-dd' };
    }
    if (type === 'DATETIME') {
      const m = DATETIME.exec(String(v));
      if (!m) throw bad;
      return { v: day(m) + (+m[4] * 3600 + +m[5] * 60 + +m[6]) / 86_400, f: DATE_TIME };
    }
    if (type === 'TIMESTAMP') {
      if (typeof v !== 'number' || !Number.isFinite(v)) throw bad;
      return { v: this.env.wb.dateToSerial(new Date(v)), f: DATE_TIME };
    }
    const n = Number(v);
    if (!Number.isFinite(n)) throw bad;
    return { v: n };
  }

  /**
   * Parameter values, read from their source cells when the execution runs. *Documented*
   * (DataExecutionErrorCode.PARAMETER_INVALID): "Invalid data execution parameter. The source
   * cell must exist and contain only a number or text." *Assumed*: a bare A1 names a cell of the
   * first sheet; named ranges are not modelled (PARAMETER_INVALID); a date cell passes its serial
   * number (a date is a number in Sheets).
   */
  private parameters(spec: SpecData): Record<string, unknown> {
    const wb = this.env.wb;
    const out: Record<string, unknown> = {};
    for (const p of spec.parameters) {
      const invalid = new BigQueryEngineError(
        'PARAMETER_INVALID',
        `Parameter ${p.name}: the source cell ${p.cell} must exist and contain only a number or text.`,
      );
      let ref: ReturnType<typeof parseA1>;
      try {
        ref = parseA1(p.cell);
      } catch {
        throw invalid;
      }
      const id = ref.sheet === undefined ? this.ss.order[0] : wb.sheetId(ref.sheet);
      if (id === undefined || ref.endRow !== ref.row || ref.endCol !== ref.col) throw invalid;
      const meta = wb.sheetMeta(id);
      if (ref.row > meta.gridRows || ref.col > meta.gridCols) throw invalid;
      const kind = wb.hf.getCellValueType({ sheet: id, row: ref.row - 1, col: ref.col - 1 });
      const v = wb.getValues(id, ref.row, ref.col, 1, 1)[0][0];
      if (kind === 'NUMBER') out[p.name] = typeof v === 'number' ? v : wb.dateToSerial(v as Date);
      else if (kind === 'STRING' && v !== '') out[p.name] = v;
      else throw invalid;
    }
    return out;
  }

  /**
   * Writes an object's new block in place of its previous one, all or nothing: every check comes
   * first; a failure after the first change puts the previous block back. *Assumed*: an extract
   * may not grow over other non-empty cells (ERROR, like a blocked spill); the grid grows to fit.
   */
  private write(obj: DataObject, block: Block): void {
    const wb = this.env.wb;
    const { sheetId: id, row, col } = obj;
    const rows = block.values.length;
    const cols = block.values[0]?.length ?? 0;
    const old = obj.area;
    const extent = wb.extent(id);
    const h = Math.min(rows, extent.rows - row + 1);
    const w = Math.min(cols, extent.cols - col + 1);
    if (h > 0 && w > 0) {
      const values = wb.getValues(id, row, col, h, w);
      const formulas = wb.getFormulas(id, row, col, h, w);
      for (let r = 0; r < h; r++)
        for (let c = 0; c < w; c++) {
          const mine = old !== undefined && r < old.rows && c < old.cols;
          if (!mine && (values[r][c] !== '' || formulas[r][c] !== ''))
            throw new BigQueryEngineError(
              'OTHER',
              `The data would overwrite ${toA1(row + r, col + c)}.`,
            );
        }
    }
    const meta = wb.sheetMeta(id);
    const needRows = Math.max(0, row + rows - 1 - meta.gridRows);
    const needCols = Math.max(0, col + cols - 1 - meta.gridCols);
    if ((meta.gridRows + needRows) * (meta.gridCols + needCols) > MAX_CELLS_PER_SPREADSHEET)
      throw new BigQueryEngineError('TOO_MANY_CELLS', 'The data does not fit in the sheet.');
    try {
      this.clearBlock(obj);
      if (needRows > 0 || needCols > 0) wb.growGrid(id, needRows, needCols);
      this.putBlock(id, row, col, block);
    } catch (e) {
      try {
        wb.clear(
          id,
          row,
          col,
          Math.min(rows, meta.gridRows - row + 1),
          Math.min(cols, meta.gridCols - col + 1),
          false,
        );
        if (obj.block) this.putBlock(id, row, col, obj.block);
      } catch {
        // Best effort: the error below is what the status reports.
      }
      throw new BigQueryEngineError('OTHER', `Writing the data failed: ${messageOf(e)}`);
    }
    obj.area = { rows, cols };
    obj.block = block;
  }

  /** Clears what the object wrote last: its values and the date formats it set. */
  private clearBlock(obj: DataObject): void {
    if (!obj.area || !obj.block) return;
    const wb = this.env.wb;
    wb.clear(obj.sheetId, obj.row, obj.col, obj.area.rows, obj.area.cols, false);
    const formats = wb.sheetMeta(obj.sheetId).formats;
    for (const [r, c, f] of datesOf(obj.block)) {
      const fmt = formats.get(cellKey(obj.row + r, obj.col + c));
      if (fmt?.numberFormat === f) fmt.numberFormat = undefined;
    }
  }

  private putBlock(id: number, row: number, col: number, block: Block): void {
    const wb = this.env.wb;
    for (const [r, c, f] of datesOf(block)) wb.format(id, row + r, col + c).numberFormat = f;
    wb.setValues(id, row, col, block.values);
  }
}

/** The cells of a block that carry a date format: [row offset, column offset, format]. */
function* datesOf(block: Block): Generator<[number, number, string]> {
  for (let r = 0; r < block.formats.length; r++)
    for (let c = 0; c < block.formats[r].length; c++) {
      const f = block.formats[r][c];
      if (f !== undefined) yield [r, c, f];
    }
}

/** SpreadsheetApp's Connected Sheets members (merged into the counted SpreadsheetApp). */
export function spreadsheetAppMembers(cs: ConnectedSheets): Record<string, unknown> {
  const enable = () => {
    cs.enabled = true;
  };
  return {
    newDataSourceSpec: () => cs.newDataSourceSpec(),
    enableBigQueryExecution: enable,
    /** *Documented*: "Turns data execution on for all types of data sources." */
    enableAllDataSourcesExecution: enable,
    DataExecutionState,
    DataExecutionErrorCode,
    DataSourceType: names('DATA_SOURCE_TYPE_UNSUPPORTED', 'BIGQUERY', 'LOOKER'),
    DataSourceParameterType: names('DATA_SOURCE_PARAMETER_TYPE_UNSUPPORTED', 'CELL'),
  };
}
