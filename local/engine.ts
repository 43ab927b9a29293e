/**
 * The workbook behind the local runtime: HyperFormula evaluates the formulas; this class adds what
 * Sheets has and HyperFormula does not — number formats (a date is a number with a date format),
 * open-ended ranges, per-cell formatting kept for export, and custom functions from the built
 * bundle. Values cross into the bundle's realm as Apps Script values (Date objects, '' blanks).
 *
 * HyperFormula is GPL-3.0: it is a devDependency used here and in tests only, never in dist/.
 */

import {
  ArraySize,
  CellError,
  DetailedCellError,
  EmptyValue,
  ErrorType,
  FunctionArgumentType,
  FunctionPlugin,
  HyperFormula,
  SimpleRangeValue,
} from 'hyperformula';
import { DAY_MS, ZoneClock } from '../src/core/dates';
import { maxOf } from '../src/core/numbers';
import { boundOpenRanges, dropSheetRefs, unquotedSheetRefs } from './a1';
import { parseUserEntered } from './userEntered';

/** A formula HyperFormula cannot parse: its cell is #ERROR! (Sheets: "Formula parse error."). */
const PARSE_ERROR = '=(';

const SERIAL_EPOCH_DAYS = 25_569;
/**
 * A new sheet's grid. *Documented* (Google Sheets help, "Files you can store in Google Drive" /
 * the Sheets UI): a new sheet has 1,000 rows and 26 columns (A–Z); Sheet.getMaxRows() /
 * getMaxColumns() of a fresh `insertSheet()` return 1000 / 26. The grid never grows by itself
 * from a script: see OUTSIDE_GRID.
 */
export const DEFAULT_GRID_ROWS = 1000;
export const DEFAULT_GRID_COLS = 26;
/**
 * *Reported* (issue 21; the message of Apps Script's exception, seen in public error reports and
 * copied by public Apps Script mocks): a Range outside the sheet's rows or columns throws
 * "The coordinates of the range are outside the dimensions of the sheet."
 */
export const OUTSIDE_GRID = 'The coordinates of the range are outside the dimensions of the sheet.';
/** *Documented* (Sheets help, "Files you can store in Google Drive"): 10 million cells. */
export const MAX_CELLS_PER_SPREADSHEET = 10_000_000;
const TOO_MANY_CELLS =
  'This action would increase the number of cells in the workbook above the limit of 10000000 cells.';
/** *Assumed*: Sheets refuses to delete every row or column of a sheet. */
const DELETE_ALL = 'Sorry, it is not possible to delete all non-frozen rows.';
/** HyperFormula refuses sheets larger than maxRows; Sheets allows 10M cells in all. */
const MAX_ROWS = 2_000_000;

export type CellValue = string | number | boolean | Date;

export interface CellFormat {
  numberFormat?: string;
  background?: string;
  fontWeight?: string;
  fontColor?: string;
  horizontalAlignment?: string;
  wrap?: boolean;
  note?: string;
  border?: boolean;
  dataValidation?: unknown;
}

export interface SheetMeta {
  gridRows: number;
  gridCols: number;
  formats: Map<string, CellFormat>;
  /** Formulas as the user wrote them (open-ended ranges kept), by cell key. */
  formulas: Map<string, string>;
  merges: string[];
  frozenRows: number;
  frozenCols: number;
  columnWidths: Map<number, number>;
  conditionalFormats: unknown[];
  charts: unknown[];
  metadata: { key: string; value: string; visibility: string }[];
  tabColor?: string;
}

export const cellKey = (row: number, col: number): string => `${row},${col}`;

/** A number format shows a date or time when it has y, d, h or s outside quotes. */
export function isDateFormat(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ydhs]/i.test(fmt.replace(/"[^"]*"|\\./g, '').replace(/\[[^\]]*\]/g, ''));
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

interface CustomFunctionSpec {
  name: string;
  params: string[];
}

/** The engines' owners: plugin methods find their workbook through the engine's graph. */
const owners = new WeakMap<object, Workbook>();
const registered = new Set<string>();

/** Registers custom functions with HyperFormula's global registry, once per name per process. */
function registerCustomFunctions(specs: CustomFunctionSpec[]): void {
  const fresh = specs.filter((s) => !registered.has(s.name));
  if (fresh.length === 0) return;
  class BundleFunctions extends FunctionPlugin {}
  const implemented: Record<string, unknown> = {};
  const proto = BundleFunctions.prototype as unknown as Record<string, unknown>;
  for (const spec of fresh) {
    registered.add(spec.name);
    const method = `call_${spec.name}`;
    const sizeMethod = `size_${spec.name}`;
    implemented[spec.name] = {
      method,
      sizeOfResultArrayMethod: sizeMethod,
      vectorizationForbidden: true,
      parameters: spec.params.map(() => ({
        argumentType: FunctionArgumentType.ANY,
        optionalArg: true,
      })),
    };
    // biome-ignore lint/suspicious/noExplicitAny: HyperFormula's AST and state types are internal
    proto[method] = function (this: any, ast: any, state: any) {
      const wb = owners.get(this.dependencyGraph);
      if (!wb) return new CellError(ErrorType.ERROR, 'no workbook');
      return wb.evaluateCustom(spec.name, this, ast, state);
    };
    // biome-ignore lint/suspicious/noExplicitAny: as above
    proto[sizeMethod] = function (this: any, ast: any, state: any) {
      const wb = owners.get(this.dependencyGraph);
      return wb ? wb.predictCustomSize(spec.name, this, ast, state) : ArraySize.scalar();
    };
  }
  (BundleFunctions as unknown as { implementedFunctions: unknown }).implementedFunctions =
    implemented;
  const names = Object.fromEntries(fresh.map((s) => [s.name, s.name]));
  HyperFormula.registerFunctionPlugin(BundleFunctions as never, { enGB: names, enUS: names });
}

/**
 * What a custom function's cell holds besides a result (a test hook: `LocalRuntime.
 * setCustomFunctionState`). *Documented* (Apps Script guide "Custom functions" → "Optimization" /
 * "Troubleshooting"): a custom function must return within 30 seconds, else the cell shows an
 * error ("Exceeded maximum execution time"); an exception shows #ERROR! with its message as the
 * cell's note. *Reported* (issue 21): on first load and after every edit of a range it reads, the
 * cell shows "Loading…" until the server answers.
 */
export type CustomFunctionState = 'loading' | 'timeout' | { error: string };
/**
 * *Assumed*: a loading cell is an #N/A error to the formulas that read it (they show an error
 * until it resolves) and to a script's getValue(); getDisplayValue() shows "Loading...". The
 * self-check (src/addon/selfCheck.ts) probes this on the real platform.
 */
export const LOADING_TEXT = 'Loading...';
/** *Reported*: the error of a custom function that ran past 30 s. */
export const TIMEOUT_TEXT = 'Exceeded maximum execution time';
/**
 * *Reported* (issue 21; the tooltip Sheets shows): an array result that would pass the grid's
 * last row or column is #REF! "Result was not automatically expanded, please insert more rows
 * (N)." / "… columns (N)."; one that would overwrite a non-empty cell is #REF! "Array result was
 * not expanded because it would overwrite data in A5."
 */
export const edgeMessage = (what: 'rows' | 'columns', n: number): string =>
  `Result was not automatically expanded, please insert more ${what} (${n}).`;

// ---- test-only: one modelled behaviour made lenient (tests/addon/self-check.test.ts) ----------

/**
 * Switches that each turn one behaviour this runtime models back into a lenient (or different)
 * one, so that a test can prove the self-check (src/addon/selfCheck.ts) notices and names it.
 * Off by default; no other test sets them. Consulted where the behaviour lives:
 * - gridSize: a new sheet is 5,000 × 100, not 1,000 × 26 (addSheet);
 * - bounds: a range outside the grid grows it instead of throwing OUTSIDE_GRID (checkBounds,
 *   services.ts LocalRange);
 * - resize: insertRowsAfter / insertColumnsAfter / deleteRows / deleteColumns change nothing
 *   (services.ts LocalSheet);
 * - spillEdge: a result spills past the grid's edge (pastEdge);
 * - spillBlocked: a result blocked by data shows HyperFormula's #SPILL! (toAppsScript);
 * - deletedSheet: formulas re-bind to a new sheet of the deleted one's name (removeSheet);
 * - loading: a custom function held 'loading' computes anyway (runtime.ts customState);
 * - customError: a custom function that throws shows #VALUE! (evaluateCustom);
 * - dateArgs: a date reaches a custom function as its serial number (scalarArgument);
 * - copyTo: Range.copyTo leaves number formats behind (copyBlock);
 * - sheetNames: a bare cell-like sheet name (Q1!A1) is the sheet (prepareFormula …);
 * - activate: insertSheet leaves the active sheet as it was (services.ts insertSheet);
 * - scriptRun: google.script.run carries arguments as JSON does (runtime.ts callFromSidebar);
 * - textLocale: setValues hands text to HyperFormula's own en-US parser, not the locale's
 *   (setValues).
 */
export interface Leniency {
  gridSize?: boolean;
  bounds?: boolean;
  resize?: boolean;
  spillEdge?: boolean;
  spillBlocked?: boolean;
  deletedSheet?: boolean;
  loading?: boolean;
  customError?: boolean;
  dateArgs?: boolean;
  copyTo?: boolean;
  sheetNames?: boolean;
  activate?: boolean;
  scriptRun?: boolean;
  textLocale?: boolean;
}

export interface WorkbookOptions {
  timeZone: string;
  /** The spreadsheet's locale: how text given to setValues is parsed (USER_ENTERED). */
  locale?: string;
  /** The bundle's realm: Dates handed to custom functions and returned by getValues are its own. */
  DateCtor: DateConstructor;
  /** The bundle's global functions, by name. */
  callGlobal: (name: string, args: unknown[]) => unknown;
  customFunctions: CustomFunctionSpec[];
  /**
   * false: formulas are kept as text and never parsed or evaluated (see Workbook.opaque). For
   * tests that check which sheets, cells, formats, tags and ranges exist — the fault sweep — and
   * not what formulas compute. Default true.
   */
  evaluate?: boolean;
}

export class Workbook {
  readonly hf: HyperFormula;
  readonly meta = new Map<number, SheetMeta>();
  clock: ZoneClock;
  private readonly opts: WorkbookOptions;
  private readonly customNames: Set<string>;
  /** Results computed while predicting a spill size, reused by the evaluation that follows. */
  private readonly predicted = new Map<string, { generation: number; result: unknown }>();
  private generation = 0;
  /** Test hook: a state the named custom function's cells are held in (see CustomFunctionState). */
  customState: (name: string) => CustomFunctionState | undefined = () => undefined;
  /** Test-only (see Leniency): every modelled behaviour is strict unless a test switches it. */
  lenient: Leniency = {};

  /** The spreadsheet's locale (Spreadsheet.setSpreadsheetLocale keeps it current). */
  locale: string;

  /**
   * Formulas are stored, not evaluated (WorkbookOptions.evaluate = false). Every rule about
   * sheets and ranges still holds — grid bounds, names, a bare Q1! as a parse error, deleting a
   * sheet turning the formulas that name it into =#REF! for good, copyTo, formats, rules, charts —
   * and getFormulas reads each formula back as written; a formula cell's *value* is its text
   * (no custom function runs, nothing spills). It is not a lenient Sheets: what depends on evaluation (a spill
   * blocked or past the grid's edge, a loading or failed custom function) is not there to see, so
   * a test about those uses the evaluating runtime (tests/local/strict-runtime.test.ts). A fault sweep checks hundreds of partial rebuilds
   * for which sheets and cells exist; evaluating each one was ~60 % of its time (NOTES.md).
   */
  readonly opaque: boolean;

  constructor(opts: WorkbookOptions) {
    this.opts = opts;
    this.locale = opts.locale ?? 'en_US';
    this.opaque = opts.evaluate === false;
    this.clock = new ZoneClock(opts.timeZone);
    this.customNames = new Set(opts.customFunctions.map((f) => f.name));
    registerCustomFunctions(opts.customFunctions);
    this.hf = HyperFormula.buildEmpty({
      licenseKey: 'gpl-v3',
      maxRows: MAX_ROWS,
      dateFormats: ['YYYY/MM/DD', 'YYYY-MM-DD', 'MM/DD/YYYY'],
      timeFormats: ['hh:mm', 'hh:mm:ss'],
      useArrayArithmetic: true,
      smartRounding: false,
    });
    owners.set((this.hf as unknown as { dependencyGraph: object }).dependencyGraph, this);
  }

  setTimeZone(tz: string): void {
    this.clock = new ZoneClock(tz);
    this.opts.timeZone = tz;
  }

  // ---- sheets ----------------------------------------------------------------------------

  sheetId(name: string): number | undefined {
    return this.hf.getSheetId(name);
  }

  sheetName(id: number): string {
    const n = this.hf.getSheetName(id);
    if (n === undefined) throw new Error(`Sheet ${id} does not exist`);
    return n;
  }

  sheetIds(): number[] {
    return this.hf.getSheetNames().map((n) => this.hf.getSheetId(n) as number);
  }

  addSheet(name: string): number {
    if (this.hf.getSheetId(name) !== undefined) {
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this.formulaTexts.clear();
    const added = this.hf.addSheet(name);
    const id = this.hf.getSheetId(added) as number;
    this.meta.set(id, {
      gridRows: DEFAULT_GRID_ROWS,
      gridCols: DEFAULT_GRID_COLS,
      formats: new Map(),
      formulas: new Map(),
      merges: [],
      frozenRows: 0,
      frozenCols: 0,
      columnWidths: new Map(),
      conditionalFormats: [],
      charts: [],
      metadata: [],
    });
    if (this.lenient.gridSize) Object.assign(this.sheetMeta(id), { gridRows: 5000, gridCols: 100 });
    this.touch();
    this.refreshFormulas();
    return id;
  }

  removeSheet(id: number): void {
    const name = this.sheetName(id);
    // Formulas of the other sheets that name this one lose it for good (see dropSheetRefs).
    const broken: { sheet: number; row: number; col: number; text: string }[] = [];
    const mentions = (f: string) =>
      f.toUpperCase().includes(`${name.toUpperCase()}!`) ||
      f.includes(`${name.replace(/'/g, "''")}'!`);
    for (const other of this.sheetIds()) {
      if (other === id || this.lenient.deletedSheet) continue;
      const meta = this.sheetMeta(other);
      if (this.opaque) {
        for (const [key, own] of meta.formulas) {
          const [r, c] = key.split(',').map(Number);
          if (mentions(own)) broken.push({ sheet: other, row: r, col: c, text: own });
        }
        continue;
      }
      const formulas = this.hf.getSheetFormulas(other);
      formulas.forEach((line, r) => {
        line.forEach((f, c) => {
          if (typeof f !== 'string') return;
          const key = cellKey(r + 1, c + 1);
          const own = meta.formulas.get(key) ?? f;
          if (mentions(own)) broken.push({ sheet: other, row: r + 1, col: c + 1, text: own });
        });
      });
    }
    this.formulaTexts.clear();
    this.hf.removeSheet(id);
    this.meta.delete(id);
    for (const b of broken) {
      const text = dropSheetRefs(b.text, name);
      const key = cellKey(b.row, b.col);
      const meta = this.sheetMeta(b.sheet);
      meta.formulas.delete(key);
      this.entered.delete(`${b.sheet},${key}`);
      this.hf.setCellContents(
        { sheet: b.sheet, row: b.row - 1, col: b.col - 1 },
        this.prepareFormula(b.sheet, key, text),
      );
    }
    this.touch();
    this.refreshFormulas();
  }

  renameSheet(id: number, name: string): void {
    const other = this.hf.getSheetId(name);
    if (other !== undefined && other !== id) {
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this.formulaTexts.clear();
    const old = this.sheetName(id);
    this.hf.renameSheet(id, name);
    // Formulas kept as text (opaque ones; those with open-ended ranges or a custom function, which
    // the workbook re-enters) follow the rename as HyperFormula's parsed ones do and as the writer
    // relies on Sheets doing (src/addon/writer.ts cellValues: a formula bound to a new sheet under
    // its temporary name follows it through its rename — *assumed*, the way a renamed tab's
    // references read in Sheets' formula bar): a formula re-entered after a rename must not name
    // the old sheet.
    for (const meta of this.meta.values()) renameRefs(meta.formulas, old, name);
    renameRefs(this.entered, old, name);
    this.touch();
    this.refreshFormulas();
  }

  sheetMeta(id: number): SheetMeta {
    const m = this.meta.get(id);
    if (!m) throw new Error(`Sheet ${id} does not exist`);
    return m;
  }

  /**
   * Last row/column with content (0 when empty), like Sheet.getLastRow(). HyperFormula's own
   * dimensions also count empty cells that a range reference touched, so trim those.
   */
  extent(id: number): { rows: number; cols: number } {
    const values = this.hf.getSheetValues(id);
    const filled = (v: unknown) => v !== null && v !== undefined && v !== '';
    let rows = values.length;
    while (rows > 0 && !values[rows - 1].some(filled)) rows--;
    let cols = 0;
    for (let r = 0; r < rows; r++) {
      const line = values[r];
      for (let c = line.length - 1; c >= cols; c--) {
        if (filled(line[c])) {
          cols = c + 1;
          break;
        }
      }
    }
    return { rows, cols };
  }

  // ---- values ------------------------------------------------------------------------------

  /** Apps Script values of a block: Dates for date-formatted numbers, '' for blanks. */
  getValues(id: number, row: number, col: number, rows: number, cols: number): CellValue[][] {
    const meta = this.sheetMeta(id);
    const out: CellValue[][] = new Array(rows);
    for (let r = 0; r < rows; r++) {
      const line: CellValue[] = new Array(cols);
      for (let c = 0; c < cols; c++) {
        const address = { sheet: id, row: row + r - 1, col: col + c - 1 };
        const v = this.hf.getCellValue(address);
        line[c] = this.toAppsScript(
          v,
          meta.formats.get(cellKey(row + r, col + c))?.numberFormat,
          () => this.hf.getCellValueDetailedType(address),
        );
      }
      out[r] = line;
    }
    return out;
  }

  private toAppsScript(v: unknown, fmt: string | undefined, detailed: () => string): CellValue {
    if (v === null || v === undefined) return '';
    if (v instanceof DetailedCellError)
      return v.type === 'SPILL' && !this.lenient.spillBlocked ? '#REF!' : v.value;
    if (typeof v === 'number') {
      if (isDateFormat(fmt)) return this.serialToDate(v);
      if (fmt === undefined) {
        const t = detailed();
        if (t === 'NUMBER_DATE' || t === 'NUMBER_DATETIME') return this.serialToDate(v);
      }
      return v;
    }
    return v as CellValue;
  }

  serialToDate(serial: number): Date {
    const local = Math.round((serial - SERIAL_EPOCH_DAYS) * DAY_MS);
    return new this.opts.DateCtor(this.clock.fromLocal(local));
  }

  dateToSerial(d: Date): number {
    return this.clock.toLocal(d.getTime()) / DAY_MS + SERIAL_EPOCH_DAYS;
  }

  /**
   * Writes a block the way Range.setValues does: a string starting with '=' becomes a formula,
   * a leading apostrophe keeps text as text, Dates become date-formatted serials.
   */
  setValues(id: number, row: number, col: number, values: readonly (readonly unknown[])[]): void {
    const meta = this.sheetMeta(id);
    // Array.from: host-realm arrays (the bundle's arrays fail HyperFormula's instanceof checks).
    const content: (string | number | boolean | null)[][] = Array.from(values, (line, r) =>
      Array.from(line, (v, c) => {
        const key = cellKey(row + r, col + c);
        meta.formulas.delete(key);
        if (v === null || v === undefined || v === '') return null;
        if (isDate(v)) {
          const t = (v as Date).getTime();
          if (Number.isNaN(t)) return '#NUM!';
          const serial = this.dateToSerial(v as Date);
          const f = meta.formats.get(key) ?? {};
          if (!isDateFormat(f.numberFormat)) {
            f.numberFormat = Number.isInteger(serial) ? 'yyyy-mm-dd' : 'yyyy-mm-dd hh:mm:ss';
            meta.formats.set(key, f);
          }
          return serial;
        }
        if (typeof v === 'number') return Number.isFinite(v) ? v : '#NUM!';
        if (typeof v === 'boolean') return v;
        const s = String(v);
        if (s.startsWith('=') && s.length > 1) return this.prepareFormula(id, key, s);
        // *Documented* (Range.setValues / setValue: a string is entered as if typed): text is
        // parsed by the spreadsheet's locale (local/userEntered.ts), never by HyperFormula's own
        // en-US parser; a leading apostrophe keeps it text.
        if (this.lenient.textLocale) return s;
        const entered = parseUserEntered(s, this.locale);
        if (entered.kind === 'number' || entered.kind === 'date') {
          const f = meta.formats.get(key) ?? {};
          if (entered.format && !f.numberFormat) {
            f.numberFormat = entered.format;
            meta.formats.set(key, f);
          }
          return entered.value;
        }
        if (entered.kind === 'boolean') return entered.value;
        if (entered.kind === 'blank') return null;
        if (entered.kind === 'formula') return this.prepareFormula(id, key, entered.formula);
        return `'${entered.value}`;
      }),
    );
    this.checkBounds(meta, row, col, values.length, values[0]?.length ?? 0);
    this.write(id, row, col, content);
  }

  /** Sets formulas ('' clears the cell). */
  setFormulas(
    id: number,
    row: number,
    col: number,
    formulas: readonly (readonly string[])[],
  ): void {
    const meta = this.sheetMeta(id);
    const content = Array.from(formulas, (line, r) =>
      Array.from(line, (f, c) => {
        const key = cellKey(row + r, col + c);
        meta.formulas.delete(key);
        if (f === '' || f === null || f === undefined) return null;
        const text = String(f).startsWith('=') ? String(f) : `=${f}`;
        return this.prepareFormula(id, key, text);
      }),
    );
    this.checkBounds(meta, row, col, formulas.length, formulas[0]?.length ?? 0);
    this.write(id, row, col, content);
  }

  /**
   * Range.copyTo to the same position on another sheet (services.ts): the destination area's
   * values, formulas and cell formats become the source's, in one write. A spilled result is not
   * copied as values (its formula spills again in the destination).
   */
  copyBlock(src: number, dst: number, row: number, col: number, rows: number, cols: number): void {
    const sm = this.sheetMeta(src);
    const dm = this.sheetMeta(dst);
    // Cells outside both sheets' content are empty before and after: only the rest is written,
    // and a cell that already holds what the copy brings is left as it is (the same end state,
    // without re-evaluating what did not change).
    const a = this.extent(src);
    const b = this.extent(dst);
    const lastRow = Math.min(row + rows - 1, Math.max(a.rows, b.rows));
    const lastCol = Math.min(col + cols - 1, Math.max(a.cols, b.cols));
    const h = lastRow - row + 1;
    const w = lastCol - col + 1;
    // Each side's formulas read once for the block (not a 1×1 read per cell).
    const srcFormulas = h > 0 && w > 0 ? this.getFormulas(src, row, col, h, w) : [];
    const dstFormulas = h > 0 && w > 0 ? this.getFormulas(dst, row, col, h, w) : [];
    // What a cell holds as setValues would take it back: a formula, text behind an apostrophe,
    // a number or boolean, or null (empty, or part of a spilled result: its formula spills again).
    const contentOf = (sheet: number, formulas: string[][], r: number, c: number): unknown => {
      const f = formulas[r - row][c - col];
      if (f) return f.startsWith('=') ? f : `=${f}`;
      const address = { sheet, row: r - 1, col: c - 1 };
      if (this.hf.isCellPartOfArray(address)) return null;
      const raw = this.hf.getCellSerialized(address);
      if (raw === null || raw === undefined || raw === '') return null;
      return typeof raw === 'string' ? `'${raw.replace(/^'/, '')}` : raw;
    };
    const changed: { r: number; c: number; v: unknown }[] = [];
    for (let r = row; r <= lastRow; r++) {
      for (let c = col; c <= lastCol; c++) {
        const v = contentOf(src, srcFormulas, r, c);
        if (v !== contentOf(dst, dstFormulas, r, c)) changed.push({ r, c, v });
      }
    }
    // Formats: the destination area's become the source's. Only the formatted cells are visited
    // (not every cell of the area: a report's grid is 700 rows); the destination's formats gain
    // the source's new keys in row-major order, as a cell-by-cell pass over the area would.
    if (!this.lenient.copyTo) {
      const inside = (key: string) => {
        const i = key.indexOf(',');
        const r = +key.slice(0, i);
        const c = +key.slice(i + 1);
        return r >= row && r < row + rows && c >= col && c < col + cols;
      };
      for (const key of [...dm.formats.keys()])
        if (!sm.formats.has(key) && inside(key)) dm.formats.delete(key);
      const copied = [...sm.formats.keys()].filter(inside).map((key) => {
        const i = key.indexOf(',');
        return { key, r: +key.slice(0, i), c: +key.slice(i + 1) };
      });
      copied.sort((x, y) => x.r - y.r || x.c - y.c);
      for (const { key } of copied) dm.formats.set(key, { ...(sm.formats.get(key) as CellFormat) });
    }
    dm.merges = [...dm.merges.filter((m) => !sm.merges.includes(m)), ...sm.merges];
    this.setCells(dst, changed);
  }

  /**
   * Writes scattered cells as one setValues would (one evaluation pass; custom-function formulas
   * entered last, see write()).
   */
  private setCells(id: number, cells: { r: number; c: number; v: unknown }[]): void {
    if (cells.length === 0) return;
    const meta = this.sheetMeta(id);
    this.touch();
    const deferred: { r: number; c: number; f: string }[] = [];
    const plain: { r: number; c: number; v: string | number | boolean | null }[] = [];
    for (const { r, c, v } of cells) {
      const key = cellKey(r, c);
      meta.formulas.delete(key);
      let content: string | number | boolean | null = null;
      if (typeof v === 'string' && v.startsWith('=')) content = this.prepareFormula(id, key, v);
      else if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string')
        content = v;
      if (typeof content === 'string' && content.startsWith('=') && this.mentionsCustom(content))
        deferred.push({ r, c, f: content });
      else plain.push({ r, c, v: content });
    }
    for (const { r, c } of cells) this.forgetTexts(id, r, c);
    this.hf.batch(() => {
      for (const p of plain)
        this.hf.setCellContents({ sheet: id, row: p.r - 1, col: p.c - 1 }, p.v);
      for (const d of deferred)
        this.hf.setCellContents({ sheet: id, row: d.r - 1, col: d.c - 1 }, null);
    });
    for (const d of deferred)
      this.hf.setCellContents({ sheet: id, row: d.r - 1, col: d.c - 1 }, d.f);
    this.refreshFormulas();
  }

  getFormulas(id: number, row: number, col: number, rows: number, cols: number): string[][] {
    const meta = this.sheetMeta(id);
    let texts = this.formulaTexts.get(id);
    if (!texts) {
      texts = new Map();
      this.formulaTexts.set(id, texts);
    }
    const out: string[][] = [];
    for (let r = 0; r < rows; r++) {
      const line: string[] = [];
      for (let c = 0; c < cols; c++) {
        const key = cellKey(row + r, col + c);
        let text = meta.formulas.get(key) ?? texts.get(key);
        if (text === undefined) {
          text = this.hf.getCellFormula({ sheet: id, row: row + r - 1, col: col + c - 1 }) ?? '';
          texts.set(key, text);
        }
        line.push(text);
      }
      out.push(line);
    }
    return out;
  }

  /**
   * HyperFormula's text of each formula read so far, by sheet and cell (unparsing a formula is
   * the dearest read there is). Forgotten for every cell written, and wholesale when a sheet is
   * added, removed or renamed (formula texts name sheets).
   */
  private readonly formulaTexts = new Map<number, Map<string, string>>();

  private forgetTexts(id: number, row: number, col: number, rows = 1, cols = 1): void {
    const texts = this.formulaTexts.get(id);
    if (!texts || texts.size === 0) return;
    if (rows * cols > texts.size) {
      for (const key of [...texts.keys()]) {
        const [r, c] = key.split(',').map(Number);
        if (r >= row && r < row + rows && c >= col && c < col + cols) texts.delete(key);
      }
    } else {
      for (let r = row; r < row + rows; r++)
        for (let c = col; c < col + cols; c++) texts.delete(cellKey(r, c));
    }
  }

  clear(id: number, row: number, col: number, rows: number, cols: number, formats: boolean): void {
    const meta = this.sheetMeta(id);
    const empty: null[][] = [];
    for (let r = 0; r < rows; r++) {
      empty.push(new Array(cols).fill(null));
      for (let c = 0; c < cols; c++) {
        const key = cellKey(row + r, col + c);
        meta.formulas.delete(key);
        if (formats) meta.formats.delete(key);
      }
    }
    this.write(id, row, col, empty);
  }

  format(id: number, row: number, col: number): CellFormat {
    const meta = this.sheetMeta(id);
    const key = cellKey(row, col);
    let f = meta.formats.get(key);
    if (!f) {
      f = {};
      meta.formats.set(key, f);
    }
    return f;
  }

  /**
   * Sheets never grows a grid by itself: a write outside it throws (see OUTSIDE_GRID).
   */
  private checkBounds(meta: SheetMeta, row: number, col: number, rows: number, cols: number): void {
    if (rows === 0 || cols === 0) return;
    if (this.lenient.bounds) {
      if (row + rows - 1 > meta.gridRows) this.openRangesStale = true;
      meta.gridRows = Math.max(meta.gridRows, row + rows - 1);
      meta.gridCols = Math.max(meta.gridCols, col + cols - 1);
      return;
    }
    if (row < 1 || col < 1 || row + rows - 1 > meta.gridRows || col + cols - 1 > meta.gridCols)
      throw new Error(OUTSIDE_GRID);
  }

  // ---- the grid: rows and columns -------------------------------------------------------------

  /**
   * Adds rows or columns at the end of the grid (Sheet.insertRowsAfter(maxRows, n) …). Inserting
   * in the middle of a sheet would shift its cells and every reference to them: the product never
   * does it, so the runtime refuses rather than model it half.
   */
  growGrid(id: number, rows: number, cols: number): void {
    const meta = this.sheetMeta(id);
    if (rows > 0) {
      meta.gridRows += rows;
      this.openRangesStale = true;
    }
    if (cols > 0) meta.gridCols += cols;
    if (meta.gridRows * meta.gridCols > MAX_CELLS_PER_SPREADSHEET) throw new Error(TOO_MANY_CELLS);
    this.touch();
    this.refreshFormulas();
  }

  /**
   * Removes the last rows or columns of the grid (Sheet.deleteRows(k, maxRows − k + 1) …). Only
   * an area with no content is removed here (the product trims blanks beyond its layout);
   * deleting cells that hold something is not modelled and refused.
   */
  shrinkGrid(id: number, rows: number, cols: number): void {
    const meta = this.sheetMeta(id);
    const { rows: usedRows, cols: usedCols } = this.extent(id);
    if (rows >= meta.gridRows || cols >= meta.gridCols) throw new Error(DELETE_ALL);
    if (meta.gridRows - rows < usedRows || meta.gridCols - cols < usedCols)
      throw new Error('The local runtime only deletes rows and columns that hold no content.');
    meta.gridRows -= rows;
    meta.gridCols -= cols;
    for (const key of [...meta.formats.keys()]) {
      const [r, c] = key.split(',').map(Number);
      if (r > meta.gridRows || c > meta.gridCols) meta.formats.delete(key);
    }
    if (rows > 0) this.openRangesStale = true;
    this.touch();
    this.refreshFormulas();
  }

  private openRangesStale = false;
  /** The bounded text last handed to HyperFormula for each tracked formula, by "sheet,row,col". */
  private readonly entered = new Map<string, string>();

  private prepareFormula(id: number, key: string, text: string): string {
    // *Reported* (issue 21, item 8) / *assumed* text: Sheets reads a bare Q1!, FY24!, R1C1! or
    // TRUE! as a cell reference or a value, not as the sheet of that name: a formula parse error
    // (#ERROR!), where HyperFormula would accept it. The formula keeps its text.
    if (unquotedSheetRefs(text).length > 0 && !this.lenient.sheetNames) {
      this.sheetMeta(id).formulas.set(key, text);
      this.entered.set(`${id},${key}`, PARSE_ERROR);
      return this.opaque ? `'${PARSE_ERROR}` : PARSE_ERROR;
    }
    if (this.opaque) {
      // Kept as text behind an apostrophe: HyperFormula stores it without parsing it.
      this.sheetMeta(id).formulas.set(key, text);
      return `'${text}`;
    }
    const bounded = boundOpenRanges(text, (sheet) => {
      const sid = sheet === undefined ? id : this.hf.getSheetId(sheet);
      return sid === undefined ? DEFAULT_GRID_ROWS : this.sheetMeta(sid).gridRows;
    });
    if (bounded !== text || this.mentionsCustom(text)) {
      this.sheetMeta(id).formulas.set(key, text);
      this.entered.set(`${id},${key}`, bounded);
    }
    return bounded;
  }

  private mentionsCustom(text: string): boolean {
    const upper = text.toUpperCase();
    for (const n of this.customNames) if (upper.includes(`${n}(`)) return true;
    return false;
  }

  /**
   * Writes a block. Custom-function formulas are entered after the rest of the block, one by
   * one: HyperFormula fixes a spill size when a formula is entered, so the data it reads (the
   * other cells of the same block included) must already be there.
   */
  private write(
    id: number,
    row: number,
    col: number,
    content: (string | number | boolean | null)[][],
  ): void {
    if (content.length === 0) return;
    this.touch();
    const deferred: { r: number; c: number; f: string }[] = [];
    const first = content.map((line, r) =>
      line.map((v, c) => {
        if (typeof v === 'string' && v.startsWith('=') && this.mentionsCustom(v)) {
          deferred.push({ r, c, f: v });
          return null;
        }
        return v;
      }),
    );
    this.forgetTexts(
      id,
      row,
      col,
      content.length,
      maxOf(
        content.map((l) => l.length),
        1,
      ),
    );
    this.hf.setCellContents({ sheet: id, row: row - 1, col: col - 1 }, first);
    for (const d of deferred)
      this.hf.setCellContents({ sheet: id, row: row - 1 + d.r, col: col - 1 + d.c }, d.f);
    this.refreshFormulas();
  }

  private touch(): void {
    this.generation++;
  }

  /**
   * Re-enters the formulas HyperFormula cannot keep current by itself: custom functions (their
   * spill size is fixed when a formula is entered, and data may have grown) and open-ended ranges
   * (bounded by the grid size when entered).
   */
  private refreshing = false;
  private refreshFormulas(): void {
    if (this.refreshing || this.opaque) return;
    this.refreshing = true;
    try {
      const stale = this.openRangesStale;
      this.openRangesStale = false;
      for (const [id, meta] of this.meta) {
        for (const [key, text] of meta.formulas) {
          const custom = this.mentionsCustom(text);
          if (!custom && !stale) continue;
          const [r, c] = key.split(',').map(Number);
          const bounded =
            unquotedSheetRefs(text).length > 0 && !this.lenient.sheetNames
              ? PARSE_ERROR
              : boundOpenRanges(text, (sheet) => {
                  const sid = sheet === undefined ? id : this.hf.getSheetId(sheet);
                  return sid === undefined ? DEFAULT_GRID_ROWS : this.sheetMeta(sid).gridRows;
                });
          const address = { sheet: id, row: r - 1, col: c - 1 };
          const rebound = stale && bounded !== this.entered.get(`${id},${key}`);
          if (!rebound && (!custom || this.sizeStillFits(address))) continue;
          this.entered.set(`${id},${key}`, bounded);
          this.forgetTexts(id, r, c);
          this.hf.setCellContents(address, bounded);
        }
      }
    } finally {
      this.refreshing = false;
    }
  }

  /** Whether a custom-function cell's reserved spill area still fits its result. */
  private sizeStillFits(address: { sheet: number; row: number; col: number }): boolean {
    if (this.pendingResize.has(`${address.sheet},${address.row},${address.col}`)) return false;
    const v = this.hf.getCellValue(address);
    return !(v instanceof DetailedCellError && v.type === 'SPILL');
  }

  private readonly pendingResize = new Map<string, boolean>();

  // ---- custom functions -----------------------------------------------------------------------

  private callCustom(
    name: string,
    plugin: FunctionPlugin,
    ast: { args: unknown[] },
    state: unknown,
  ): unknown {
    const p = plugin as unknown as { evaluateAst(a: unknown, s: unknown): unknown };
    const args = ast.args.map((a) => this.toArgument(p.evaluateAst(a, state)));
    // Trailing omitted arguments are not passed at all, as in Sheets.
    return this.opts.callGlobal(name, args);
  }

  private toArgument(v: unknown): unknown {
    if (v instanceof SimpleRangeValue) {
      const range = (
        v as unknown as { range?: { start: { sheet: number; row: number; col: number } } }
      ).range;
      const meta = range ? this.meta.get(range.start.sheet) : undefined;
      return v.data.map((line, r) =>
        line.map((cell, c) => {
          const fmt =
            range && meta
              ? meta.formats.get(cellKey(range.start.row + r + 1, range.start.col + c + 1))
                  ?.numberFormat
              : undefined;
          return this.scalarArgument(cell, fmt);
        }),
      );
    }
    return this.scalarArgument(v, undefined);
  }

  private scalarArgument(v: unknown, fmt: string | undefined): unknown {
    if (v === EmptyValue || v === undefined || v === null) return '';
    if (v instanceof CellError)
      return v.type === ErrorType.SPILL ? '#REF!' : `#${v.type === ErrorType.NA ? 'N/A' : v.type}`;
    if (typeof v === 'number')
      return isDateFormat(fmt) && !this.lenient.dateArgs ? this.serialToDate(v) : v;
    if (typeof v === 'object' && v !== null && 'val' in v) {
      // HyperFormula's typed numbers (dates, percentages …)
      const typed = v as { val: number; constructor: { name: string } };
      if ((/Date/.test(typed.constructor.name) || isDateFormat(fmt)) && !this.lenient.dateArgs)
        return this.serialToDate(typed.val);
      return typed.val;
    }
    return v;
  }

  private fromResult(v: unknown): unknown {
    if (v === '' || v === null || v === undefined) return EmptyValue;
    if (isDate(v)) return this.dateToSerial(v as Date);
    if (typeof v === 'number' && !Number.isFinite(v)) return new CellError(ErrorType.NUM);
    if (typeof v === 'object') return String(v);
    return v;
  }

  /** Runs the function once while HyperFormula reserves its spill area; the result is reused. */
  predictCustomSize(
    name: string,
    plugin: FunctionPlugin,
    ast: { args: unknown[] },
    state: { formulaAddress: unknown },
  ): ArraySize {
    const key = JSON.stringify(state.formulaAddress);
    if (this.customState(name) !== undefined) return ArraySize.scalar();
    let result: unknown;
    try {
      result = this.callCustom(name, plugin, ast, state);
    } catch (e) {
      this.predicted.set(key, { generation: this.generation, result: e });
      return ArraySize.scalar();
    }
    this.predicted.set(key, { generation: this.generation, result });
    if (!Array.isArray(result)) return ArraySize.scalar();
    const height = Math.max(1, result.length);
    const width = maxOf(
      result.map((r) => (Array.isArray(r) ? r.length : 1)),
      1,
    );
    // Past the grid's edge nothing spills: the anchor alone shows #REF! (see edgeMessage).
    if (this.pastEdge(state.formulaAddress as never, height, width)) return ArraySize.scalar();
    return new ArraySize(width, height);
  }

  /** Why an array of this size at this anchor cannot spill in its sheet's grid, if it cannot. */
  private pastEdge(
    at: { sheet: number; row: number; col: number },
    rows: number,
    cols: number,
  ): string | undefined {
    const meta = this.meta.get(at.sheet);
    if (!meta || this.lenient.spillEdge) return undefined;
    const moreRows = at.row + rows - meta.gridRows;
    if (moreRows > 0) return edgeMessage('rows', moreRows);
    const moreCols = at.col + cols - meta.gridCols;
    if (moreCols > 0) return edgeMessage('columns', moreCols);
    return undefined;
  }

  /** Re-enters every formula that calls the named custom function (after a state change). */
  recalculateCustom(name: string): void {
    this.touch();
    if (this.opaque) return;
    const upper = `${name.toUpperCase()}(`;
    for (const [id, meta] of this.meta) {
      for (const [key, text] of meta.formulas) {
        if (!text.toUpperCase().includes(upper)) continue;
        const [r, c] = key.split(',').map(Number);
        const bounded = this.entered.get(`${id},${key}`) ?? text;
        this.forgetTexts(id, r, c);
        this.hf.setCellContents({ sheet: id, row: r - 1, col: c - 1 }, null);
        this.hf.setCellContents({ sheet: id, row: r - 1, col: c - 1 }, bounded);
      }
    }
  }

  /** The message of an error cell (the note Sheets shows beside #REF!, #ERROR! …), if any. */
  errorMessage(id: number, row: number, col: number): string | undefined {
    const v = this.hf.getCellValue({ sheet: id, row: row - 1, col: col - 1 });
    if (!(v instanceof DetailedCellError)) return undefined;
    if (v.type === 'SPILL') return 'Array result was not expanded because it would overwrite data.';
    return v.message;
  }

  evaluateCustom(
    name: string,
    plugin: FunctionPlugin,
    ast: { args: unknown[] },
    state: { formulaAddress: { sheet: number; row: number; col: number } },
  ): unknown {
    const key = JSON.stringify(state.formulaAddress);
    const held = this.customState(name);
    if (held !== undefined) {
      this.predicted.delete(key);
      if (held === 'loading') return new CellError(ErrorType.NA, LOADING_TEXT);
      return new CellError(ErrorType.ERROR, held === 'timeout' ? TIMEOUT_TEXT : held.error);
    }
    const cached = this.predicted.get(key);
    this.predicted.delete(key);
    let result: unknown;
    if (cached && cached.generation === this.generation) {
      result = cached.result;
    } else {
      try {
        result = this.callCustom(name, plugin, ast, state);
      } catch (e) {
        result = e;
      }
    }
    if (
      result instanceof Error ||
      (typeof result === 'object' && result !== null && 'message' in result && 'stack' in result)
    ) {
      return new CellError(
        this.lenient.customError ? ErrorType.VALUE : ErrorType.ERROR,
        String((result as Error).message),
      );
    }
    if (!Array.isArray(result)) return this.fromResult(result);
    if (result.length === 0) return EmptyValue;
    const rows = result.map((r) => (Array.isArray(r) ? r : [r]));
    const width = maxOf(
      rows.map((r) => r.length),
      1,
    );
    const at0 = `${state.formulaAddress.sheet},${state.formulaAddress.row},${state.formulaAddress.col}`;
    const edge = this.pastEdge(state.formulaAddress, rows.length, width);
    // Re-entered when the grid grows (refreshFormulas), as Sheets re-spills after an insert.
    if (edge) {
      this.pendingResize.set(at0, true);
      return new CellError(ErrorType.REF, edge);
    }
    // Never hand HyperFormula more than it reserved: it would throw out of the engine.
    const vertex = (
      plugin as unknown as { dependencyGraph: { getCell(a: unknown): unknown } }
    ).dependencyGraph.getCell(state.formulaAddress) as
      | { array?: unknown; width: number; height: number }
      | undefined;
    const reservedW = vertex && 'array' in vertex ? vertex.width : 1;
    const reservedH = vertex && 'array' in vertex ? vertex.height : 1;
    const at = `${state.formulaAddress.sheet},${state.formulaAddress.row},${state.formulaAddress.col}`;
    // A different size than reserved: the workbook re-enters the formula after this write.
    if (rows.length !== reservedH || width !== reservedW) this.pendingResize.set(at, true);
    else this.pendingResize.delete(at);
    if (rows.length > reservedH || width > reservedW) {
      return new CellError(
        ErrorType.ERROR,
        `the result needs ${rows.length}×${width} cells; re-enter the formula`,
      );
    }
    const padded = rows.map((r) => {
      const line = r.map((v) => this.fromResult(v));
      while (line.length < width) line.push(EmptyValue);
      return line;
    });
    return SimpleRangeValue.onlyValues(padded as never);
  }
}

/**
 * Rewrites references to a renamed sheet in formula texts ('Old'!A1 → 'New'!A1; Old!A1 too),
 * matching the name without regard to case as HyperFormula's sheet lookup and removeSheet's
 * mention check do.
 */
function renameRefs(formulas: Map<string, string>, from: string, to: string): void {
  const quote = (n: string) => `'${n.replace(/'/g, "''")}'!`;
  const literal = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const quoted = new RegExp(literal(quote(from)), 'gi');
  const bare = /^[A-Za-z_][A-Za-z0-9_.]*$/.test(from)
    ? new RegExp(`(^|[^A-Za-z0-9_.'])${literal(from)}!`, 'gi')
    : undefined;
  for (const [key, text] of formulas) {
    let next = text.replace(quoted, () => quote(to));
    if (bare) next = next.replace(bare, (_m, pre: string) => `${pre}${quote(to)}`);
    if (next !== text) formulas.set(key, next);
  }
}
