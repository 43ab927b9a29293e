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
import { boundOpenRanges } from './a1';

const SERIAL_EPOCH_DAYS = 25_569;
export const DEFAULT_GRID_ROWS = 1000;
export const DEFAULT_GRID_COLS = 26;
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

export interface WorkbookOptions {
  timeZone: string;
  /** The bundle's realm: Dates handed to custom functions and returned by getValues are its own. */
  DateCtor: DateConstructor;
  /** The bundle's global functions, by name. */
  callGlobal: (name: string, args: unknown[]) => unknown;
  customFunctions: CustomFunctionSpec[];
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

  constructor(opts: WorkbookOptions) {
    this.opts = opts;
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
    this.touch();
    this.refreshFormulas();
    return id;
  }

  removeSheet(id: number): void {
    this.hf.removeSheet(id);
    this.meta.delete(id);
    this.touch();
    this.refreshFormulas();
  }

  renameSheet(id: number, name: string): void {
    const other = this.hf.getSheetId(name);
    if (other !== undefined && other !== id) {
      throw new Error(`A sheet with the name "${name}" already exists. Please enter another name.`);
    }
    this.hf.renameSheet(id, name);
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
    if (v instanceof DetailedCellError) return v.value;
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
        return s;
      }),
    );
    this.grow(meta, row + values.length - 1, col + (values[0]?.length ?? 0) - 1);
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
    this.grow(meta, row + formulas.length - 1, col + (formulas[0]?.length ?? 0) - 1);
    this.write(id, row, col, content);
  }

  getFormulas(id: number, row: number, col: number, rows: number, cols: number): string[][] {
    const meta = this.sheetMeta(id);
    const out: string[][] = [];
    for (let r = 0; r < rows; r++) {
      const line: string[] = [];
      for (let c = 0; c < cols; c++) {
        const own = meta.formulas.get(cellKey(row + r, col + c));
        line.push(
          own ?? this.hf.getCellFormula({ sheet: id, row: row + r - 1, col: col + c - 1 }) ?? '',
        );
      }
      out.push(line);
    }
    return out;
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

  private grow(meta: SheetMeta, lastRow: number, lastCol: number): void {
    let grown = false;
    if (lastRow > meta.gridRows) {
      meta.gridRows = lastRow;
      grown = true;
    }
    if (lastCol > meta.gridCols) meta.gridCols = lastCol;
    if (grown) this.openRangesStale = true;
  }

  private openRangesStale = false;
  /** The bounded text last handed to HyperFormula for each tracked formula, by "sheet,row,col". */
  private readonly entered = new Map<string, string>();

  private prepareFormula(id: number, key: string, text: string): string {
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
    if (this.refreshing) return;
    this.refreshing = true;
    try {
      const stale = this.openRangesStale;
      this.openRangesStale = false;
      for (const [id, meta] of this.meta) {
        for (const [key, text] of meta.formulas) {
          const custom = this.mentionsCustom(text);
          if (!custom && !stale) continue;
          const [r, c] = key.split(',').map(Number);
          const bounded = boundOpenRanges(text, (sheet) => {
            const sid = sheet === undefined ? id : this.hf.getSheetId(sheet);
            return sid === undefined ? DEFAULT_GRID_ROWS : this.sheetMeta(sid).gridRows;
          });
          const address = { sheet: id, row: r - 1, col: c - 1 };
          const rebound = stale && bounded !== this.entered.get(`${id},${key}`);
          if (!rebound && (!custom || this.sizeStillFits(address))) continue;
          this.entered.set(`${id},${key}`, bounded);
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
    if (v instanceof CellError) return `#${v.type === ErrorType.NA ? 'N/A' : v.type}`;
    if (typeof v === 'number') return isDateFormat(fmt) ? this.serialToDate(v) : v;
    if (typeof v === 'object' && v !== null && 'val' in v) {
      // HyperFormula's typed numbers (dates, percentages …)
      const typed = v as { val: number; constructor: { name: string } };
      if (/Date/.test(typed.constructor.name) || isDateFormat(fmt))
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
    return new ArraySize(width, height);
  }

  evaluateCustom(
    name: string,
    plugin: FunctionPlugin,
    ast: { args: unknown[] },
    state: { formulaAddress: { sheet: number; row: number; col: number } },
  ): unknown {
    const key = JSON.stringify(state.formulaAddress);
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
      return new CellError(ErrorType.ERROR, String((result as Error).message));
    }
    if (!Array.isArray(result)) return this.fromResult(result);
    if (result.length === 0) return EmptyValue;
    const rows = result.map((r) => (Array.isArray(r) ? r : [r]));
    const width = maxOf(
      rows.map((r) => r.length),
      1,
    );
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
