/**
 * SheetModel: a generated sheet as pure data — values and formulas, formats, conditional rules,
 * charts. Core code builds models; src/addon/writer.ts turns each into a constant number of
 * batched Sheets calls. Nothing here touches Apps Script.
 */

/** A plain value, or a formula (written as `{ f: '=…' }` so it can never be confused with text). */
export type CellInput = string | number | boolean | null | { f: string };

export interface ConditionalRule {
  /** A1 ranges within the sheet. */
  ranges: string[];
  /** Number ≥ value, number < value, between, a three-colour scale, or a custom formula. */
  kind: 'atLeast' | 'below' | 'between' | 'scale' | 'formula';
  values: number[];
  /** For kind 'formula': relative to the top-left cell of the first range. */
  formula?: string;
  background?: string;
  fontColor?: string;
}

export interface ChartSpec {
  kind: 'line' | 'column';
  /** A1 ranges of the data: the labels first, then the values. */
  ranges: string[];
  /** One series per row (e.g. one line per cohort) instead of per column. */
  transpose?: boolean;
  title: string;
  /** Anchor cell of the chart (1-based). */
  row: number;
  col: number;
}

export interface SheetModel {
  /** Stable identity, kept in developer metadata: what a rebuild replaces. */
  key: string;
  name: string;
  values: CellInput[][];
  numberFormats?: (string | null)[][];
  backgrounds?: (string | null)[][];
  fontWeights?: ('bold' | 'normal' | null)[][];
  frozenRows?: number;
  /** Pixel width of each column from A. */
  columnWidths?: number[];
  conditional?: ConditionalRule[];
  charts?: ChartSpec[];
  /**
   * The grid the sheet needs beyond its cells, rules and charts: room for what its formulas spill
   * (Sheets shows #REF! for a spill past the grid's edge and never grows a grid by itself).
   */
  grid?: { rows: number; cols: number };
  /**
   * A cell whose text says the rebuild is incomplete: the writer clears it with the run's last
   * call, so a run that fails or is killed after this sheet was replaced leaves it saying so.
   */
  incomplete?: { row: number; col: number };
  /**
   * Connected Sheets extracts (BigQuery): a data source table at each (row, col) running `sql`
   * in `project`, refreshed before the build commits. A sheet with extracts is replaced whole
   * (its new sheet becomes the report's, the old one is deleted), never copied onto the old.
   */
  extracts?: { row: number; col: number; project: string; sql: string }[];
  /** Kept hidden (the data sheet the report's formulas read). */
  hidden?: boolean;
}

/** A rectangular grid being filled in; every layer has the same shape. */
export class Grid {
  readonly values: CellInput[][] = [];
  readonly numberFormats: (string | null)[][] = [];
  readonly backgrounds: (string | null)[][] = [];
  readonly fontWeights: ('bold' | 'normal' | null)[][] = [];
  private width = 0;

  constructor(minCols = 1) {
    this.width = minCols;
  }

  private ensure(row: number, col: number): void {
    if (col > this.width) {
      for (const layer of this.layers())
        for (const line of layer) while (line.length < col) line.push(null);
      this.width = col;
    }
    while (this.values.length < row) {
      for (const layer of this.layers()) layer.push(new Array(this.width).fill(null));
    }
  }

  private layers(): unknown[][][] {
    return [this.values, this.numberFormats, this.backgrounds, this.fontWeights];
  }

  /** Sets a cell (1-based) and, optionally, its formats. */
  set(
    row: number,
    col: number,
    value: CellInput,
    fmt: { number?: string; background?: string; bold?: boolean } = {},
  ): this {
    this.ensure(row, col);
    this.values[row - 1][col - 1] = value;
    if (fmt.number !== undefined) this.numberFormats[row - 1][col - 1] = fmt.number;
    if (fmt.background !== undefined) this.backgrounds[row - 1][col - 1] = fmt.background;
    if (fmt.bold) this.fontWeights[row - 1][col - 1] = 'bold';
    return this;
  }

  /**
   * Number formats for an area a formula will spill into (its values stay empty here): one
   * format per column, `null` for a column of text.
   */
  formatArea(row: number, col: number, rows: number, formats: readonly (string | null)[]): this {
    this.ensure(row + rows - 1, col + formats.length - 1);
    for (let r = row; r < row + rows; r++) {
      formats.forEach((f, c) => {
        if (f !== null) this.numberFormats[r - 1][col + c - 1] = f;
      });
    }
    return this;
  }

  /** Writes a block of values starting at (row, col). */
  block(
    row: number,
    col: number,
    rows: CellInput[][],
    fmt: { bold?: boolean; background?: string } = {},
  ): this {
    rows.forEach((line, r) => {
      line.forEach((v, c) => {
        this.set(row + r, col + c, v, fmt);
      });
    });
    return this;
  }

  get rows(): number {
    return this.values.length;
  }

  get cols(): number {
    return this.width;
  }

  model(key: string, name: string, extra: Partial<SheetModel> = {}): SheetModel {
    const hasAny = (layer: unknown[][]) => layer.some((l) => l.some((v) => v !== null));
    return {
      key,
      name,
      values: this.values,
      numberFormats: hasAny(this.numberFormats) ? this.numberFormats : undefined,
      backgrounds: hasAny(this.backgrounds) ? this.backgrounds : undefined,
      fontWeights: hasAny(this.fontWeights) ? this.fontWeights : undefined,
      ...extra,
    };
  }
}

/** Column letters of a 1-based column index. */
export function colLetters(col: number): string {
  let s = '';
  let n = col;
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export const a1 = (row: number, col: number, absolute = false): string =>
  absolute ? `$${colLetters(col)}$${row}` : `${colLetters(col)}${row}`;

/**
 * A sheet name as it must appear in a formula: always quoted. Bare, Sheets reads a name such as
 * Q1, FY24, CRM1, R1C1 or TRUE as a cell reference or a value (`=KPI_FUNNEL(Q1!B2:B, …)` would
 * not read the tab Q1), where HyperFormula accepts it (local/a1.ts unquotedSheetRefs).
 */
export function sheetRef(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}
