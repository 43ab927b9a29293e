/**
 * A SpreadsheetApp-compatible subset over the local Workbook, plus the other Apps Script services
 * the add-on uses. Written from the Apps Script reference; the `Shape<>` clauses make the compiler
 * check method names and parameters against @types/google-apps-script, so drift shows at compile
 * time. Every call the bundle makes is counted by `Service.method`.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DAY_MS, daysFromCivil, yearMonthOfDay, ZoneClock } from '../src/core/dates';
import { parseA1, toA1 } from './a1';
import type {
  ConnectedSheets,
  LocalDataSource,
  LocalDataSourceSheet,
  LocalDataSourceTable,
} from './connected';
import {
  type CellFormat,
  type CellValue,
  LOADING_TEXT,
  OUTSIDE_GRID,
  type Workbook,
} from './engine';
import { formatValue } from './format';

/** Checks that each listed method exists in the Apps Script type with compatible parameters. */
export type Shape<T, K extends keyof T> = {
  [P in K]: T[P] extends (...a: infer A) => unknown ? (...a: A) => unknown : T[P];
};

// ---- call counting -------------------------------------------------------------------------

export class CallCounter {
  counts: Record<string, number> = {};
  /** Sheet, Range and RangeList calls by the sheet they act on. */
  perSheet = new Map<number, number>();
  /** Fault injection for tests: the n-th call of `method` throws. */
  failAt?: { method: string; call: number };
  /** Fault injection by position: the k-th service call since reset (1-based) throws once … */
  failIndex?: number;
  /** … or every call from the k-th on throws: the run was killed, no cleanup reaches the file. */
  killFrom?: number;
  /** Calls of the script's run since reset, in order (not those inside formula evaluation). */
  log: string[] = [];
  /** > 0 while the engine evaluates a custom function. */
  evaluating = 0;
  add(name: string): void {
    this.counts[name] = (this.counts[name] ?? 0) + 1;
    if (this.failAt && this.failAt.method === name && this.counts[name] === this.failAt.call) {
      throw new Error(`Service error (injected): ${name} call ${this.failAt.call}`);
    }
    if (this.evaluating > 0 || name.startsWith('CustomFunction.')) return;
    this.log.push(name);
    const k = this.log.length;
    if (this.failIndex === k) throw new Error(`Service error (injected): call ${k}, ${name}`);
    if (this.killFrom !== undefined && k >= this.killFrom) {
      throw new Error(`Execution killed (injected) at call ${k}, ${name}`);
    }
  }
  reset(): void {
    this.counts = {};
    this.perSheet = new Map();
    this.log = [];
  }
  addSheet(id: number): void {
    this.perSheet.set(id, (this.perSheet.get(id) ?? 0) + 1);
  }
  total(prefix = ''): number {
    let n = 0;
    for (const [k, v] of Object.entries(this.counts)) if (k.startsWith(prefix)) n += v;
    return n;
  }
}

/**
 * Wraps a service object so that each method call is counted as `Service.method` (and, for
 * objects of one sheet, against that sheet).
 */
export function counted<T extends object>(
  target: T,
  service: string,
  counter: CallCounter,
  sheetId?: number,
): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value = Reflect.get(obj, prop, obj);
      if (typeof value !== 'function' || typeof prop !== 'string' || prop === 'constructor') {
        return value;
      }
      return (...args: unknown[]) => {
        counter.add(`${service}.${prop}`);
        if (sheetId !== undefined) counter.addSheet(sheetId);
        const out = value.apply(obj, args);
        return out === obj ? receiver : out;
      };
    },
  });
}

/** A builder that records every call (newConditionalFormatRule, newDataValidation, newChart …). */
function recordingBuilder(kind: string, onBuild?: (rec: BuilderRecord) => unknown): unknown {
  const rec: BuilderRecord = { kind, calls: [] };
  const builder: unknown = new Proxy(
    {},
    {
      get(_t, prop) {
        if (prop === 'build')
          return () =>
            onBuild
              ? onBuild(rec)
              : {
                  ...rec,
                  getRanges: () => rangesOf(rec),
                  // EmbeddedChart.getOptions().get(option): what setOption recorded.
                  getOptions: () => ({
                    get: (option: string) =>
                      [...rec.calls]
                        .reverse()
                        .find((c) => c.method === 'setOption' && c.args[0] === option)?.args[1] ??
                      null,
                  }),
                  // An ID exists once the chart is on a sheet (insertChart).
                  getChartId: () => null,
                };
        if (typeof prop !== 'string') return undefined;
        return (...args: unknown[]) => {
          rec.calls.push({ method: prop, args });
          return builder;
        };
      },
    },
  );
  return builder;
}

export interface BuilderRecord {
  kind: string;
  calls: { method: string; args: unknown[] }[];
}

function rangesOf(rec: BuilderRecord): unknown[] {
  return rec.calls
    .filter((c) => c.method === 'setRanges' || c.method === 'addRange')
    .flatMap((c) => c.args.flat());
}

// ---- environment -------------------------------------------------------------------------------

export interface RuntimeEnv {
  wb: Workbook;
  counter: CallCounter;
  timeZone: string;
  locale: string;
  /** Folder HtmlService reads files from (dist/). */
  htmlDir: string;
  ui: UiRecord;
  properties: Record<'document' | 'script' | 'user', Map<string, string>>;
  locks: Record<string, boolean>;
  /** Connected Sheets (local/connected.ts): data sources, extracts, data source sheets. */
  connected?: ConnectedSheets;
}

function connectedOf(env: RuntimeEnv): ConnectedSheets {
  if (!env.connected) throw new Error('Connected Sheets is not modelled in this environment.');
  return env.connected;
}

/** Throws when a script's write would change an extract's or a data source sheet's cells. */
function checkWritable(
  env: RuntimeEnv,
  id: number,
  row: number,
  col: number,
  rows: number,
  cols: number,
) {
  const why = env.connected?.readOnly(id, row, col, rows, cols);
  if (why) throw new Error(why);
}

export interface UiRecord {
  menus: { title: string; items: { caption: string; fn: string }[] }[];
  sidebars: { title: string; html: string; width?: number }[];
  dialogs: { title: string; html: string }[];
  alerts: unknown[][];
  toasts: unknown[][];
}

// ---- Range -------------------------------------------------------------------------------------

type RangeShape = Shape<
  GoogleAppsScript.Spreadsheet.Range,
  | 'getValues'
  | 'getDisplayValues'
  | 'getDisplayValue'
  | 'setValues'
  | 'getValue'
  | 'setValue'
  | 'getFormulas'
  | 'setFormulas'
  | 'getFormula'
  | 'setFormula'
  | 'setNumberFormat'
  | 'setNumberFormats'
  | 'getNumberFormats'
  | 'setBackground'
  | 'setBackgrounds'
  | 'getBackgrounds'
  | 'setFontWeight'
  | 'setFontWeights'
  | 'setFontColor'
  | 'setHorizontalAlignment'
  | 'setWrap'
  | 'setNote'
  | 'merge'
  | 'setDataValidation'
  | 'clear'
  | 'clearContent'
  | 'clearFormat'
  | 'getRow'
  | 'getColumn'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getNumRows'
  | 'getNumColumns'
  | 'getA1Notation'
  | 'getSheet'
  | 'offset'
  | 'getCell'
  | 'copyTo'
  | 'createDataSourceTable'
  | 'getDataSourceTables'
>;

export class LocalRange implements RangeShape {
  constructor(
    private readonly sheet: LocalSheet,
    private readonly row: number,
    private readonly col: number,
    private readonly rows: number,
    private readonly cols: number,
  ) {
    const meta = sheet.env.wb.sheetMeta(sheet.id);
    // Every Range is checked against the grid (engine.ts OUTSIDE_GRID): Sheets never grows a
    // sheet for a getRange, setValues, setNumberFormats, RangeList, rule or chart range.
    const outside = row + rows - 1 > meta.gridRows || col + cols - 1 > meta.gridCols;
    if (row < 1 || col < 1 || rows < 1 || cols < 1 || (outside && !sheet.env.wb.lenient.bounds)) {
      throw new Error(OUTSIDE_GRID);
    }
  }

  private get wb(): Workbook {
    return this.sheet.env.wb;
  }
  private get id(): number {
    return this.sheet.id;
  }

  getValues(): CellValue[][] {
    return this.wb.getValues(this.id, this.row, this.col, this.rows, this.cols);
  }

  getValue(): CellValue {
    return this.wb.getValues(this.id, this.row, this.col, 1, 1)[0][0];
  }

  getDisplayValues(): string[][] {
    const values = this.getValues();
    const meta = this.wb.sheetMeta(this.id);
    return values.map((line, r) =>
      line.map((v, c) =>
        v === '#N/A' && this.wb.errorMessage(this.id, this.row + r, this.col + c) === LOADING_TEXT
          ? LOADING_TEXT
          : display(
              v,
              meta.formats.get(`${this.row + r},${this.col + c}`)?.numberFormat,
              this.sheet.env.timeZone,
            ),
      ),
    );
  }

  getDisplayValue(): string {
    return this.getDisplayValues()[0][0];
  }

  setValues(values: unknown[][]): LocalRange {
    this.checkShape(values);
    this.checkWritable();
    this.wb.setValues(this.id, this.row, this.col, values);
    return this;
  }

  setValue(value: unknown): LocalRange {
    this.checkWritable();
    const block = Array.from({ length: this.rows }, () => new Array(this.cols).fill(value));
    this.wb.setValues(this.id, this.row, this.col, block);
    return this;
  }

  getFormulas(): string[][] {
    return this.wb.getFormulas(this.id, this.row, this.col, this.rows, this.cols);
  }

  getFormula(): string {
    return this.wb.getFormulas(this.id, this.row, this.col, 1, 1)[0][0];
  }

  setFormulas(formulas: string[][]): LocalRange {
    this.checkShape(formulas);
    this.checkWritable();
    this.wb.setFormulas(this.id, this.row, this.col, formulas);
    return this;
  }

  setFormula(formula: string): LocalRange {
    this.checkWritable();
    this.wb.setFormulas(this.id, this.row, this.col, [[formula]]);
    return this;
  }

  private checkWritable(): void {
    checkWritable(this.sheet.env, this.id, this.row, this.col, this.rows, this.cols);
  }

  private checkShape(values: unknown[][]): void {
    if (!Array.isArray(values) || values.length !== this.rows) {
      throw new Error(
        `The number of rows in the data does not match the number of rows in the range. The data has ${Array.isArray(values) ? values.length : 0} but the range has ${this.rows}.`,
      );
    }
    for (const line of values) {
      if (!Array.isArray(line) || line.length !== this.cols) {
        throw new Error(
          `The number of columns in the data does not match the number of columns in the range. The data has ${Array.isArray(line) ? line.length : 0} but the range has ${this.cols}.`,
        );
      }
    }
  }

  private eachFormat(apply: (f: CellFormat, r: number, c: number) => void): LocalRange {
    for (let r = 0; r < this.rows; r++) {
      for (let c = 0; c < this.cols; c++)
        apply(this.wb.format(this.id, this.row + r, this.col + c), r, c);
    }
    return this;
  }

  setNumberFormat(format: string): LocalRange {
    return this.eachFormat((f) => {
      f.numberFormat = format;
    });
  }
  setNumberFormats(formats: string[][]): LocalRange {
    this.checkShape(formats);
    return this.eachFormat((f, r, c) => {
      f.numberFormat = formats[r][c];
    });
  }
  getNumberFormats(): string[][] {
    const meta = this.wb.sheetMeta(this.id);
    return this.map((r, c) => meta.formats.get(`${r},${c}`)?.numberFormat ?? '0.###############');
  }
  setBackground(color: string | null): LocalRange {
    return this.eachFormat((f) => {
      f.background = color ?? undefined;
    });
  }
  setBackgrounds(colors: (string | null)[][]): LocalRange {
    this.checkShape(colors);
    return this.eachFormat((f, r, c) => {
      f.background = colors[r][c] || undefined;
    });
  }
  getBackgrounds(): string[][] {
    const meta = this.wb.sheetMeta(this.id);
    return this.map((r, c) => meta.formats.get(`${r},${c}`)?.background ?? '#ffffff');
  }
  setFontWeight(weight: string | null): LocalRange {
    return this.eachFormat((f) => {
      f.fontWeight = weight ?? undefined;
    });
  }
  setFontWeights(weights: (string | null)[][]): LocalRange {
    this.checkShape(weights);
    return this.eachFormat((f, r, c) => {
      f.fontWeight = weights[r][c] || undefined;
    });
  }
  getFontWeights(): string[][] {
    const meta = this.wb.sheetMeta(this.id);
    return this.map((r, c) => meta.formats.get(`${r},${c}`)?.fontWeight ?? 'normal');
  }
  setFontColor(color: string | null): LocalRange {
    return this.eachFormat((f) => {
      f.fontColor = color ?? undefined;
    });
  }
  setHorizontalAlignment(alignment: string | null): LocalRange {
    return this.eachFormat((f) => {
      f.horizontalAlignment = alignment ?? undefined;
    });
  }
  setWrap(wrap: boolean): LocalRange {
    return this.eachFormat((f) => {
      f.wrap = wrap;
    });
  }
  setNote(note: string | null): LocalRange {
    return this.eachFormat((f) => {
      f.note = note ?? undefined;
    });
  }
  setBorder(...args: unknown[]): LocalRange {
    const on = args[0] !== false && args[0] !== null;
    return this.eachFormat((f) => {
      f.border = on;
    });
  }
  setDataValidation(rule: unknown): LocalRange {
    return this.eachFormat((f) => {
      f.dataValidation = rule ?? undefined;
    });
  }
  merge(): LocalRange {
    this.wb.sheetMeta(this.id).merges.push(this.getA1Notation());
    return this;
  }
  clear(options?: { contentsOnly?: boolean; formatOnly?: boolean }): LocalRange {
    if (!options?.formatOnly) {
      this.checkWritable();
      this.wb.clear(this.id, this.row, this.col, this.rows, this.cols, !options?.contentsOnly);
    } else this.clearFormat();
    return this;
  }
  clearContent(): LocalRange {
    this.checkWritable();
    this.wb.clear(this.id, this.row, this.col, this.rows, this.cols, false);
    return this;
  }
  clearFormat(): LocalRange {
    const meta = this.wb.sheetMeta(this.id);
    this.map((r, c) => meta.formats.delete(`${r},${c}`));
    return this;
  }

  getRow(): number {
    return this.row;
  }
  getColumn(): number {
    return this.col;
  }
  getLastRow(): number {
    return this.row + this.rows - 1;
  }
  getLastColumn(): number {
    return this.col + this.cols - 1;
  }
  getNumRows(): number {
    return this.rows;
  }
  getNumColumns(): number {
    return this.cols;
  }
  getA1Notation(): string {
    return toA1(this.row, this.col, this.rows, this.cols);
  }
  getSheet(): LocalSheet {
    return this.sheet.self;
  }
  offset(
    rowOffset: number,
    columnOffset: number,
    numRows?: number,
    numColumns?: number,
  ): LocalRange {
    return this.sheet.rangeAt(
      this.row + rowOffset,
      this.col + columnOffset,
      numRows ?? this.rows,
      numColumns ?? this.cols,
    );
  }
  /**
   * *Documented* (Range.copyTo(destination)): "Copies the data from a range of cells to another
   * range of cells. Both the values and formatting are copied." — "only the top-left cell
   * position is relevant" for the destination. One call replaces every cell of the area: values,
   * formulas, number formats, colours, notes, validation and merges. *Assumed*: the destination
   * area must lie inside its sheet's grid (else OUTSIDE_GRID), and conditional-format rules and
   * charts are not part of the copy (the product sets them on the destination afterwards, which
   * gives the same result either way). Only a copy to the same position is modelled (relative
   * references would shift otherwise).
   */
  copyTo(destination: GoogleAppsScript.Spreadsheet.Range, _options?: unknown): void {
    const dst = destination as unknown as { row: number; col: number; sheet: LocalSheet };
    if (dst.row !== this.row || dst.col !== this.col)
      throw new Error('The local runtime models copyTo to the same position only.');
    const meta = this.wb.sheetMeta(dst.sheet.id);
    const outside =
      this.row + this.rows - 1 > meta.gridRows || this.col + this.cols - 1 > meta.gridCols;
    if (outside && !this.wb.lenient.bounds) throw new Error(OUTSIDE_GRID);
    checkWritable(this.sheet.env, dst.sheet.id, this.row, this.col, this.rows, this.cols);
    this.wb.copyBlock(this.id, dst.sheet.id, this.row, this.col, this.rows, this.cols);
  }

  /** Connected Sheets (local/connected.ts): an empty extract anchored at this range's first cell. */
  createDataSourceTable(dataSource: object): LocalDataSourceTable {
    return connectedOf(this.sheet.env).createDataSourceTable(
      this.id,
      this.row,
      this.col,
      dataSource,
    );
  }
  getDataSourceTables(): LocalDataSourceTable[] {
    return connectedOf(this.sheet.env).tablesIn(this.id, this.row, this.col, this.rows, this.cols);
  }

  getCell(row: number, column: number): LocalRange {
    return this.sheet.rangeAt(this.row + row - 1, this.col + column - 1, 1, 1);
  }

  private map<T>(fn: (row: number, col: number) => T): T[][] {
    return Array.from({ length: this.rows }, (_, r) =>
      Array.from({ length: this.cols }, (_, c) => fn(this.row + r, this.col + c)),
    );
  }
}

// ---- Sheet -------------------------------------------------------------------------------------

let chartIds = 0;

/** A sheet's ID read by the service itself (not a call of the script's, so not counted). */
const idOf = (sheet: { getSheetId(): number }): number =>
  (sheet as unknown as { id?: number }).id ?? sheet.getSheetId();

type SheetShape = Shape<
  GoogleAppsScript.Spreadsheet.Sheet,
  | 'getName'
  | 'setName'
  | 'getSheetId'
  | 'getIndex'
  | 'getRange'
  | 'getDataRange'
  | 'getLastRow'
  | 'getLastColumn'
  | 'getMaxRows'
  | 'getMaxColumns'
  | 'clear'
  | 'clearContents'
  | 'clearFormats'
  | 'setFrozenRows'
  | 'getFrozenRows'
  | 'setFrozenColumns'
  | 'getFrozenColumns'
  | 'setColumnWidth'
  | 'autoResizeColumns'
  | 'getConditionalFormatRules'
  | 'setConditionalFormatRules'
  | 'newChart'
  | 'insertChart'
  | 'getCharts'
  | 'addDeveloperMetadata'
  | 'getDeveloperMetadata'
  | 'setTabColor'
  | 'activate'
  | 'getParent'
  | 'insertRowsAfter'
  | 'insertColumnsAfter'
  | 'deleteRows'
  | 'deleteColumns'
  | 'hideSheet'
  | 'showSheet'
  | 'isSheetHidden'
  | 'removeChart'
  | 'getDataSourceTables'
  | 'asDataSourceSheet'
>;

export class LocalSheet implements SheetShape {
  /** The counted proxy of this sheet, handed out by ranges. */
  self: LocalSheet = this;
  constructor(
    readonly env: RuntimeEnv,
    readonly id: number,
    private readonly spreadsheet: LocalSpreadsheet,
  ) {}

  getName(): string {
    return this.env.wb.sheetName(this.id);
  }
  setName(name: string): LocalSheet {
    this.env.wb.renameSheet(this.id, name);
    return this;
  }
  getSheetId(): number {
    return this.id;
  }
  getIndex(): number {
    return this.spreadsheet.order.indexOf(this.id) + 1;
  }
  getParent(): LocalSpreadsheet {
    return this.spreadsheet.self;
  }

  getRange(a: string | number, column?: number, numRows?: number, numColumns?: number): LocalRange {
    if (typeof a === 'string') {
      const r = parseA1(a);
      if (r.sheet !== undefined && r.sheet !== this.getName()) {
        throw new Error(`Range ${a} is not on sheet ${this.getName()}`);
      }
      const meta = this.env.wb.sheetMeta(this.id);
      const endRow = r.endRow ?? meta.gridRows;
      const endCol = r.endCol ?? meta.gridCols;
      return this.rangeAt(r.row, r.col, endRow - r.row + 1, endCol - r.col + 1);
    }
    if (column === undefined) throw new Error('getRange(row, column) needs a column');
    return this.rangeAt(a, column, numRows ?? 1, numColumns ?? 1);
  }

  rangeAt(row: number, col: number, rows: number, cols: number): LocalRange {
    return counted(new LocalRange(this, row, col, rows, cols), 'Range', this.env.counter, this.id);
  }

  getRangeList(a1Notations: string[]): {
    getRanges(): LocalRange[];
    setNumberFormat(f: string): unknown;
  } {
    const ranges = a1Notations.map((a) => this.getRange(a));
    const list = {
      getRanges: () => ranges,
      setNumberFormat: (f: string) => {
        for (const r of ranges) r.setNumberFormat(f);
        return list;
      },
    };
    return counted(list, 'RangeList', this.env.counter, this.id);
  }

  getDataRange(): LocalRange {
    const { rows, cols } = this.env.wb.extent(this.id);
    return this.rangeAt(1, 1, Math.max(1, rows), Math.max(1, cols));
  }
  getLastRow(): number {
    return this.env.wb.extent(this.id).rows;
  }
  getLastColumn(): number {
    return this.env.wb.extent(this.id).cols;
  }
  getMaxRows(): number {
    return this.env.wb.sheetMeta(this.id).gridRows;
  }
  getMaxColumns(): number {
    return this.env.wb.sheetMeta(this.id).gridCols;
  }
  /** Rows after the given one; only at the grid's end (see Workbook.growGrid). */
  insertRowsAfter(afterPosition: number, howMany: number): LocalSheet {
    if (this.env.wb.lenient.resize) return this;
    const meta = this.env.wb.sheetMeta(this.id);
    if (afterPosition < 1 || afterPosition > meta.gridRows || howMany < 1)
      throw new Error(OUTSIDE_GRID);
    if (afterPosition !== meta.gridRows)
      throw new Error('The local runtime models inserting rows at the end of a sheet only.');
    this.env.wb.growGrid(this.id, howMany, 0);
    return this;
  }
  insertColumnsAfter(afterPosition: number, howMany: number): LocalSheet {
    if (this.env.wb.lenient.resize) return this;
    const meta = this.env.wb.sheetMeta(this.id);
    if (afterPosition < 1 || afterPosition > meta.gridCols || howMany < 1)
      throw new Error(OUTSIDE_GRID);
    if (afterPosition !== meta.gridCols)
      throw new Error('The local runtime models inserting columns at the end of a sheet only.');
    this.env.wb.growGrid(this.id, 0, howMany);
    return this;
  }
  /** The last rows of the grid (see Workbook.shrinkGrid). */
  deleteRows(rowPosition: number, howMany: number): void {
    if (this.env.wb.lenient.resize) return;
    const meta = this.env.wb.sheetMeta(this.id);
    if (rowPosition < 1 || howMany < 1 || rowPosition + howMany - 1 > meta.gridRows)
      throw new Error(OUTSIDE_GRID);
    if (rowPosition + howMany - 1 !== meta.gridRows)
      throw new Error('The local runtime models deleting the last rows of a sheet only.');
    this.env.wb.shrinkGrid(this.id, howMany, 0);
  }
  deleteColumns(columnPosition: number, howMany: number): void {
    if (this.env.wb.lenient.resize) return;
    const meta = this.env.wb.sheetMeta(this.id);
    if (columnPosition < 1 || howMany < 1 || columnPosition + howMany - 1 > meta.gridCols)
      throw new Error(OUTSIDE_GRID);
    if (columnPosition + howMany - 1 !== meta.gridCols)
      throw new Error('The local runtime models deleting the last columns of a sheet only.');
    this.env.wb.shrinkGrid(this.id, 0, howMany);
  }
  hideSheet(): LocalSheet {
    const visible = this.spreadsheet.order.filter((id) => !this.spreadsheet.hidden.has(id));
    // *Documented*-ish (the UI and API refuse it): a spreadsheet keeps one visible sheet.
    if (visible.length === 1 && visible[0] === this.id)
      throw new Error("You can't hide all the sheets in a document.");
    this.spreadsheet.hidden.add(this.id);
    if (this.spreadsheet.activeId === this.id)
      this.spreadsheet.activate(
        this.spreadsheet.order.find((id) => !this.spreadsheet.hidden.has(id)),
      );
    return this;
  }
  showSheet(): LocalSheet {
    this.spreadsheet.hidden.delete(this.id);
    return this;
  }
  isSheetHidden(): boolean {
    return this.spreadsheet.hidden.has(this.id);
  }
  clear(): LocalSheet {
    const { rows, cols } = this.env.wb.extent(this.id);
    checkWritable(this.env, this.id, 1, 1, Math.max(1, rows), Math.max(1, cols));
    if (rows > 0 && cols > 0) this.env.wb.clear(this.id, 1, 1, rows, cols, true);
    const meta = this.env.wb.sheetMeta(this.id);
    meta.formats.clear();
    meta.merges = [];
    meta.conditionalFormats = [];
    return this;
  }
  clearContents(): LocalSheet {
    const { rows, cols } = this.env.wb.extent(this.id);
    checkWritable(this.env, this.id, 1, 1, Math.max(1, rows), Math.max(1, cols));
    if (rows > 0 && cols > 0) this.env.wb.clear(this.id, 1, 1, rows, cols, false);
    return this;
  }
  clearFormats(): LocalSheet {
    this.env.wb.sheetMeta(this.id).formats.clear();
    return this;
  }
  setFrozenRows(rows: number): void {
    this.env.wb.sheetMeta(this.id).frozenRows = rows;
  }
  getFrozenRows(): number {
    return this.env.wb.sheetMeta(this.id).frozenRows;
  }
  setFrozenColumns(columns: number): void {
    this.env.wb.sheetMeta(this.id).frozenCols = columns;
  }
  getFrozenColumns(): number {
    return this.env.wb.sheetMeta(this.id).frozenCols;
  }
  setColumnWidth(columnPosition: number, width: number): LocalSheet {
    this.env.wb.sheetMeta(this.id).columnWidths.set(columnPosition, width);
    return this;
  }
  setColumnWidths(startColumn: number, numColumns: number, width: number): LocalSheet {
    for (let c = 0; c < numColumns; c++) this.setColumnWidth(startColumn + c, width);
    return this;
  }
  autoResizeColumns(_startColumn: number, _numColumns: number): LocalSheet {
    return this;
  }
  getConditionalFormatRules(): unknown[] {
    return [...this.env.wb.sheetMeta(this.id).conditionalFormats];
  }
  setConditionalFormatRules(rules: unknown[]): void {
    this.env.wb.sheetMeta(this.id).conditionalFormats = [...rules];
  }
  newChart(): unknown {
    return recordingBuilder('chart');
  }
  insertChart(chart: unknown): void {
    const id = ++chartIds;
    const c = chart as Record<string, unknown>;
    c.getChartId = () => id;
    c.getId = () => `local-chart-${id}`;
    this.env.wb.sheetMeta(this.id).charts.push(c);
  }
  getCharts(): unknown[] {
    return [...this.env.wb.sheetMeta(this.id).charts];
  }
  removeChart(chart: unknown): void {
    const meta = this.env.wb.sheetMeta(this.id);
    const id = (chart as { getChartId?(): number }).getChartId?.();
    const at = meta.charts.findIndex((c) => (c as { getChartId?(): number }).getChartId?.() === id);
    if (at < 0) throw new Error('The chart is not on this sheet.');
    meta.charts.splice(at, 1);
  }
  addDeveloperMetadata(key: string, value?: string, visibility?: unknown): LocalSheet {
    this.env.wb.sheetMeta(this.id).metadata.push({
      key,
      value: value ?? '',
      visibility: String(visibility ?? 'DOCUMENT'),
    });
    return this;
  }
  getDeveloperMetadata(): {
    getKey(): string;
    getValue(): string;
    getVisibility(): string;
    remove(): void;
  }[] {
    const meta = this.env.wb.sheetMeta(this.id);
    return meta.metadata.map((m) => ({
      getKey: () => m.key,
      getValue: () => m.value,
      getVisibility: () => m.visibility,
      remove: () => {
        meta.metadata = meta.metadata.filter((x) => x !== m);
      },
    }));
  }
  setTabColor(color: string | null): LocalSheet {
    this.env.wb.sheetMeta(this.id).tabColor = color ?? undefined;
    return this;
  }
  activate(): LocalSheet {
    this.spreadsheet.activate(this.id);
    return this;
  }
  getDataSourceTables(): LocalDataSourceTable[] {
    return connectedOf(this.env).tablesIn(this.id);
  }
  asDataSourceSheet(): LocalDataSourceSheet | null {
    return this.env.connected?.dataSourceSheetOf(this.id) ?? null;
  }
}

// ---- Spreadsheet ---------------------------------------------------------------------------------

type SpreadsheetShape = Shape<
  GoogleAppsScript.Spreadsheet.Spreadsheet,
  | 'getSheets'
  | 'getSheetByName'
  | 'insertSheet'
  | 'deleteSheet'
  | 'setActiveSheet'
  | 'getActiveSheet'
  | 'getSpreadsheetTimeZone'
  | 'setSpreadsheetTimeZone'
  | 'getSpreadsheetLocale'
  | 'setSpreadsheetLocale'
  | 'getId'
  | 'getName'
  | 'toast'
  | 'getRange'
  | 'addDeveloperMetadata'
  | 'getDeveloperMetadata'
>;

export class LocalSpreadsheet implements SpreadsheetShape {
  self: LocalSpreadsheet = this;
  readonly order: number[] = [];
  activeId: number | undefined;
  /** Sheets hidden with hideSheet(). */
  readonly hidden = new Set<number>();
  /** Every sheet made active, in order (what the user's view showed during a run). */
  readonly activations: number[] = [];

  activate(id: number | undefined): void {
    this.activeId = id;
    if (id !== undefined) this.activations.push(id);
  }
  private readonly sheets = new Map<number, LocalSheet>();
  private readonly rawSheets = new Map<number, LocalSheet>();
  private readonly metadata: { key: string; value: string }[] = [];

  constructor(readonly env: RuntimeEnv) {
    for (const id of env.wb.sheetIds()) this.order.push(id);
  }

  sheetFor(id: number): LocalSheet {
    let s = this.sheets.get(id);
    if (!s) {
      const raw = new LocalSheet(this.env, id, this);
      s = counted(raw, 'Sheet', this.env.counter, id);
      raw.self = s;
      this.sheets.set(id, s);
      this.rawSheets.set(id, raw);
    }
    return s;
  }

  /** The sheet itself, for the services' own use (its calls are not the script's: not counted). */
  rawSheet(id: number): LocalSheet {
    this.sheetFor(id);
    return this.rawSheets.get(id) as LocalSheet;
  }

  /** Registers a sheet the runtime added directly (loading a file). */
  adopt(id: number): void {
    if (!this.order.includes(id)) this.order.push(id);
  }

  getSheets(): LocalSheet[] {
    return this.order.map((id) => this.sheetFor(id));
  }
  getSheetByName(name: string): LocalSheet | null {
    const id = this.env.wb.sheetId(name);
    return id === undefined ? null : this.sheetFor(id);
  }
  insertSheet(a?: string | number, b?: number | object): LocalSheet {
    let name = typeof a === 'string' ? a : undefined;
    const index = typeof a === 'number' ? a : typeof b === 'number' ? b : undefined;
    if (name === undefined) {
      let n = this.order.length + 1;
      while (this.env.wb.sheetId(`Sheet${n}`) !== undefined) n++;
      name = `Sheet${n}`;
    }
    const id = this.env.wb.addSheet(name);
    if (index === undefined || index >= this.order.length) this.order.push(id);
    else this.order.splice(Math.max(0, index), 0, id);
    // *Documented* (Spreadsheet.insertSheet): "Inserts a new sheet into the spreadsheet … The new
    // sheet becomes the active sheet."
    if (!this.env.wb.lenient.activate) this.activate(id);
    return this.sheetFor(id);
  }
  deleteSheet(sheet: { getSheetId(): number }): void {
    const id = idOf(sheet);
    if (this.order.length === 1) {
      throw new Error("You can't remove all the sheets in a document.");
    }
    this.env.wb.removeSheet(id);
    this.env.connected?.sheetDeleted(id);
    this.order.splice(this.order.indexOf(id), 1);
    this.sheets.delete(id);
    this.rawSheets.delete(id);
    this.hidden.delete(id);
    if (this.activeId === id) this.activate(this.order.find((x) => !this.hidden.has(x)));
  }
  setActiveSheet(sheet: { getSheetId(): number }, _restoreSelection?: boolean): LocalSheet {
    this.activate(idOf(sheet));
    return this.sheetFor(idOf(sheet));
  }
  getActiveSheet(): LocalSheet {
    return this.sheetFor(this.activeId ?? this.order[0]);
  }
  getSpreadsheetTimeZone(): string {
    return this.env.timeZone;
  }
  setSpreadsheetTimeZone(timezone: string): void {
    this.env.timeZone = timezone;
    this.env.wb.setTimeZone(timezone);
  }
  getSpreadsheetLocale(): string {
    return this.env.locale;
  }
  setSpreadsheetLocale(locale: string): void {
    this.env.locale = locale;
    this.env.wb.locale = locale;
  }
  getId(): string {
    return 'local-spreadsheet';
  }
  getName(): string {
    return 'Local workbook';
  }
  toast(...args: unknown[]): void {
    this.env.ui.toasts.push(args);
  }
  getRange(a1Notation: string): LocalRange {
    const r = parseA1(a1Notation);
    const sheet = r.sheet === undefined ? this.getActiveSheet() : this.getSheetByName(r.sheet);
    if (!sheet) throw new Error(`Range not found: ${a1Notation}`);
    return sheet.getRange(a1Notation.slice(a1Notation.lastIndexOf('!') + 1));
  }
  addDeveloperMetadata(key: string, value?: string): LocalSpreadsheet {
    this.metadata.push({ key, value: value ?? '' });
    return this;
  }
  getDeveloperMetadata(): { getKey(): string; getValue(): string }[] {
    return this.metadata.map((m) => ({ getKey: () => m.key, getValue: () => m.value }));
  }

  // Connected Sheets (local/connected.ts).
  insertDataSourceSheet(spec: object): LocalDataSourceSheet {
    return connectedOf(this.env).insertDataSourceSheet(spec);
  }
  getDataSources(): LocalDataSource[] {
    return connectedOf(this.env).getDataSources();
  }
  getDataSourceSheets(): LocalDataSourceSheet[] {
    return connectedOf(this.env).getDataSourceSheets();
  }
  refreshAllDataSources(): void {
    connectedOf(this.env).refreshAllDataSources();
  }
}

// ---- display values and Utilities.formatDate ---------------------------------------------------

function localParts(d: Date, tz: string) {
  const local = new ZoneClock(tz).toLocal(d.getTime());
  const day = Math.floor(local / DAY_MS);
  const { y, m } = yearMonthOfDay(day);
  const dd = day - daysFromCivil(y, m, 1) + 1;
  const secs = Math.floor((local - day * DAY_MS) / 1000);
  return {
    y,
    m,
    d: dd,
    h: Math.floor(secs / 3600),
    mi: Math.floor((secs % 3600) / 60),
    s: secs % 60,
    day,
    local,
  };
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Java SimpleDateFormat subset, as Utilities.formatDate takes. */
export function formatDate(date: Date, tz: string, pattern: string): string {
  const p = localParts(date, tz);
  const offsetMin = Math.round((p.local - date.getTime()) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const oh = pad(Math.floor(Math.abs(offsetMin) / 60));
  const om = pad(Math.abs(offsetMin) % 60);
  const dow = ['Thu', 'Fri', 'Sat', 'Sun', 'Mon', 'Tue', 'Wed'][((p.day % 7) + 7) % 7];
  return pattern.replace(/'([^']*)'|yyyy|yy|MM|M|dd|d|HH|H|mm|ss|SSS|EEE|XXX|Z/g, (tok, lit) => {
    if (lit !== undefined) return lit;
    switch (tok) {
      case 'yyyy':
        return String(p.y);
      case 'yy':
        return pad(p.y % 100);
      case 'MM':
        return pad(p.m);
      case 'M':
        return String(p.m);
      case 'dd':
        return pad(p.d);
      case 'd':
        return String(p.d);
      case 'HH':
        return pad(p.h);
      case 'H':
        return String(p.h);
      case 'mm':
        return pad(p.mi);
      case 'ss':
        return pad(p.s);
      case 'SSS':
        return pad(date.getTime() % 1000, 3);
      case 'EEE':
        return dow;
      case 'XXX':
        return `${sign}${oh}:${om}`;
      default:
        return `${sign}${oh}${om}`;
    }
  });
}

/** Sheets date format → Utilities.formatDate pattern ('mm' is minutes next to h or s). */
export function sheetsDateToJava(fmt: string): string {
  const toks = fmt.match(/yyyy|yy|mm|m|dd|d|hh|h|ss|s|"[^"]*"|./gi) ?? [];
  const letters = (t: string) => /^[a-z]+$/i.test(t);
  return toks
    .map((t, i) => {
      const l = t.toLowerCase();
      if (l === 'mm' || l === 'm') {
        const prev = toks.slice(0, i).reverse().find(letters)?.toLowerCase() ?? '';
        const next =
          toks
            .slice(i + 1)
            .find(letters)
            ?.toLowerCase() ?? '';
        const minute = prev.startsWith('h') || next.startsWith('s');
        return minute ? 'mm' : l === 'mm' ? 'MM' : 'M';
      }
      if (l === 'hh' || l === 'h') return 'HH';
      if (l === 's') return 'ss';
      if (t.startsWith('"')) return `'${t.slice(1, -1)}'`;
      if (['yyyy', 'yy', 'dd', 'd', 'ss'].includes(l)) return l;
      return letters(t) ? `'${t}'` : t;
    })
    .join('');
}

/** What a cell shows, as Sheets renders its number format (local/format.ts). */
export function display(v: CellValue, fmt: string | undefined, tz: string): string {
  return formatValue(v, fmt, tz);
}

// ---- the other services -----------------------------------------------------------------------

function propertiesStore(map: Map<string, string>) {
  return {
    getProperty: (k: string) => map.get(k) ?? null,
    setProperty(k: string, v: string) {
      map.set(k, String(v));
      return this;
    },
    setProperties(props: Record<string, string>, deleteAllOthers?: boolean) {
      if (deleteAllOthers) map.clear();
      for (const [k, v] of Object.entries(props)) map.set(k, String(v));
      return this;
    },
    getProperties: () => Object.fromEntries(map),
    getKeys: () => [...map.keys()],
    deleteProperty(k: string) {
      map.delete(k);
      return this;
    },
    deleteAllProperties() {
      map.clear();
      return this;
    },
  };
}

function lock(env: RuntimeEnv, kind: string) {
  let mine = false;
  return {
    tryLock(_ms: number) {
      if (env.locks[kind] && !mine) return false;
      env.locks[kind] = true;
      mine = true;
      return true;
    },
    waitLock(ms: number) {
      if (!this.tryLock(ms))
        throw new Error('Lock timeout: another process was holding the lock for too long.');
    },
    releaseLock() {
      if (mine) env.locks[kind] = false;
      mine = false;
    },
    hasLock: () => mine,
  };
}

function cache() {
  const store = new Map<string, string>();
  return {
    get: (k: string) => store.get(k) ?? null,
    put: (k: string, v: string) => void store.set(k, String(v)),
    remove: (k: string) => void store.delete(k),
    getAll: (keys: string[]) =>
      Object.fromEntries(keys.filter((k) => store.has(k)).map((k) => [k, store.get(k)])),
    putAll: (values: Record<string, string>) => {
      for (const [k, v] of Object.entries(values)) store.set(k, String(v));
    },
    removeAll: (keys: string[]) => {
      for (const k of keys) store.delete(k);
    },
  };
}

function htmlOutput(content: string) {
  const out = {
    title: '',
    width: undefined as number | undefined,
    height: undefined as number | undefined,
    getContent: () => content,
    setTitle(t: string) {
      out.title = t;
      return out;
    },
    getTitle: () => out.title,
    setWidth(w: number) {
      out.width = w;
      return out;
    },
    setHeight(h: number) {
      out.height = h;
      return out;
    },
    setSandboxMode: () => out,
    setXFrameOptionsMode: () => out,
    addMetaTag: () => out,
    setFaviconUrl: () => out,
    append(s: string) {
      content += s;
      return out;
    },
  };
  return out;
}

function menu(ui: UiRecord, title: string) {
  const m = { title, items: [] as { caption: string; fn: string }[] };
  const builder = {
    addItem(caption: string, fn: string) {
      m.items.push({ caption, fn });
      return builder;
    },
    addSeparator() {
      m.items.push({ caption: '---', fn: '' });
      return builder;
    },
    addSubMenu(sub: unknown) {
      m.items.push({ caption: `submenu:${JSON.stringify(sub)}`, fn: '' });
      return builder;
    },
    addToUi() {
      ui.menus.push(m);
    },
  };
  return builder;
}

/** The globals Apps Script gives a script, over one local workbook. */
export function appsScriptGlobals(
  env: RuntimeEnv,
  spreadsheet: LocalSpreadsheet,
  /** More SpreadsheetApp members (Connected Sheets: local/connected.ts spreadsheetAppMembers). */
  spreadsheetApp: Record<string, unknown> = {},
): Record<string, unknown> {
  const c = env.counter;
  const ss = counted(spreadsheet, 'Spreadsheet', c);
  spreadsheet.self = ss;
  const ui = counted(
    {
      createAddonMenu: () => menu(env.ui, 'add-on'),
      createMenu: (title: string) => menu(env.ui, title),
      showSidebar: (html: { getContent(): string; getTitle?(): string; width?: number }) => {
        env.ui.sidebars.push({
          title: html.getTitle?.() ?? '',
          html: html.getContent(),
          width: html.width,
        });
      },
      showModalDialog: (html: { getContent(): string }, title: string) => {
        env.ui.dialogs.push({ title, html: html.getContent() });
      },
      showModelessDialog: (html: { getContent(): string }, title: string) => {
        env.ui.dialogs.push({ title, html: html.getContent() });
      },
      alert: (...args: unknown[]) => {
        env.ui.alerts.push(args);
        return 'OK';
      },
      Button: { OK: 'OK', CANCEL: 'CANCEL', YES: 'YES', NO: 'NO', CLOSE: 'CLOSE' },
      ButtonSet: {
        OK: 'OK',
        OK_CANCEL: 'OK_CANCEL',
        YES_NO: 'YES_NO',
        YES_NO_CANCEL: 'YES_NO_CANCEL',
      },
    },
    'Ui',
    c,
  );
  const readHtml = (name: string) =>
    readFileSync(join(env.htmlDir, name.endsWith('.html') ? name : `${name}.html`), 'utf8');
  return {
    SpreadsheetApp: counted(
      {
        getActiveSpreadsheet: () => ss,
        getActive: () => ss,
        getActiveSheet: () => ss.getActiveSheet(),
        getUi: () => ui,
        flush: () => undefined,
        newConditionalFormatRule: () => recordingBuilder('conditionalFormat'),
        newDataValidation: () => recordingBuilder('dataValidation'),
        DeveloperMetadataVisibility: { DOCUMENT: 'DOCUMENT', PROJECT: 'PROJECT' },
        BorderStyle: {
          SOLID: 'SOLID',
          SOLID_MEDIUM: 'SOLID_MEDIUM',
          DOTTED: 'DOTTED',
          DASHED: 'DASHED',
        },
        WrapStrategy: { WRAP: 'WRAP', OVERFLOW: 'OVERFLOW', CLIP: 'CLIP' },
        InterpolationType: { NUMBER: 'NUMBER', PERCENT: 'PERCENT', MIN: 'MIN', MAX: 'MAX' },
        ...spreadsheetApp,
      },
      'SpreadsheetApp',
      c,
    ),
    Session: counted(
      {
        getScriptTimeZone: () => env.timeZone,
        getActiveUserLocale: () => env.locale.split('_')[0],
        getEffectiveUser: () => ({ getEmail: () => 'local@example.invalid' }),
        getActiveUser: () => ({ getEmail: () => 'local@example.invalid' }),
      },
      'Session',
      c,
    ),
    PropertiesService: counted(
      {
        getDocumentProperties: () =>
          counted(propertiesStore(env.properties.document), 'Properties', c),
        getScriptProperties: () => counted(propertiesStore(env.properties.script), 'Properties', c),
        getUserProperties: () => counted(propertiesStore(env.properties.user), 'Properties', c),
      },
      'PropertiesService',
      c,
    ),
    LockService: counted(
      {
        getDocumentLock: () => counted(lock(env, 'document'), 'Lock', c),
        getScriptLock: () => counted(lock(env, 'script'), 'Lock', c),
        getUserLock: () => counted(lock(env, 'user'), 'Lock', c),
      },
      'LockService',
      c,
    ),
    CacheService: counted(
      { getDocumentCache: cache, getScriptCache: cache, getUserCache: cache },
      'CacheService',
      c,
    ),
    Utilities: counted(
      {
        formatDate: (d: Date, tz: string, pattern: string) => formatDate(d, tz, pattern),
        sleep: () => undefined,
        getUuid: () => randomUUID(),
      },
      'Utilities',
      c,
    ),
    HtmlService: counted(
      {
        createHtmlOutputFromFile: (name: string) => htmlOutput(readHtml(name)),
        createHtmlOutput: (html?: string) => htmlOutput(html ?? ''),
        createTemplateFromFile: (name: string) => {
          const template: Record<string, unknown> = {};
          template.evaluate = () =>
            htmlOutput(
              readHtml(name).replace(/<\?!?=\s*([A-Za-z_$][\w$]*)\s*\?>/g, (_m, k: string) =>
                String(template[k] ?? ''),
              ),
            );
          return template;
        },
        SandboxMode: { IFRAME: 'IFRAME' },
        XFrameOptionsMode: { ALLOWALL: 'ALLOWALL', DEFAULT: 'DEFAULT' },
      },
      'HtmlService',
      c,
    ),
    Charts: {
      ChartType: {
        LINE: 'LINE',
        COLUMN: 'COLUMN',
        BAR: 'BAR',
        AREA: 'AREA',
        PIE: 'PIE',
        TABLE: 'TABLE',
      },
    },
    ScriptApp: {
      AuthMode: {
        NONE: 'NONE',
        LIMITED: 'LIMITED',
        FULL: 'FULL',
        CUSTOM_FUNCTION: 'CUSTOM_FUNCTION',
      },
    },
    Logger: { log: (...a: unknown[]) => console.log(...a) },
    console,
  };
}
