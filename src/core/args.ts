/**
 * Normalising custom-function arguments. Sheets passes a range as a 2D array, a single cell as a
 * scalar and an empty cell as ''. Whole-column references (A2:A) bring thousands of trailing
 * blank rows, which are trimmed here once for all the columns of a call.
 */
import { KpiError } from './errors';

/** More rows than any spreadsheet holds (10M cells): anything larger is a mistake. */
export const MAX_ROWS = 10_000_000;

export function isBlank(v: unknown): boolean {
  return v === '' || v === null || v === undefined;
}

/** An omitted optional argument: not passed, or an empty cell. */
export function isOmitted(v: unknown): boolean {
  if (isBlank(v)) return true;
  // A one-cell range holding a blank arrives as [['']].
  return (
    Array.isArray(v) &&
    v.length === 1 &&
    Array.isArray(v[0]) &&
    v[0].length === 1 &&
    isBlank(v[0][0])
  );
}

/**
 * A column argument as a flat array of cell values. Accepts a 2D single-column range, a scalar,
 * or a 1D array (for callers outside Sheets). A multi-column range is an error, not a guess.
 */
export function column(arg: unknown, name: string): unknown[] {
  if (!Array.isArray(arg)) return [arg];
  const n = arg.length;
  if (n > MAX_ROWS) throw new KpiError('rangeTooLarge', { arg: name, rows: n, max: MAX_ROWS });
  if (n === 0) return [];
  if (!Array.isArray(arg[0])) return arg.slice();
  const out = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const row = arg[i];
    if (!Array.isArray(row)) {
      out[i] = row;
      continue;
    }
    if (row.length !== 1) {
      // A wide range means the user selected the wrong thing; silently using its first column
      // would hide that.
      if (row.length === 0) {
        out[i] = '';
        continue;
      }
      throw new KpiError('notColumn', { arg: name, cols: row.length });
    }
    out[i] = row[0];
  }
  return out;
}

/** Index one past the last non-blank cell of the column. */
export function filledLength(col: readonly unknown[]): number {
  let n = col.length;
  while (n > 0 && isBlank(col[n - 1])) n--;
  return n;
}

export interface NamedColumn {
  name: string;
  values: unknown[];
}

/**
 * Trims trailing blank rows and checks that the columns line up. Ranges of different heights are
 * accepted only when the longer one is blank beyond the shorter one's end (A2:A beside A2:A500);
 * otherwise the rows would not belong together and the call fails naming both ranges.
 * Returns the common height; every column is truncated to it.
 */
export function alignColumns(cols: NamedColumn[]): number {
  let height = 0;
  for (const c of cols) height = Math.max(height, filledLength(c.values));
  const first = cols[0];
  for (const c of cols) {
    if (c.values.length < height) {
      // The shorter range ends before data in another range does.
      const longer = cols.find((o) => filledLength(o.values) === height) ?? first;
      throw new KpiError('heightMismatch', {
        arg: c.name,
        height: c.values.length,
        other: longer.name,
        otherHeight: longer.values.length,
      });
    }
  }
  for (const c of cols) c.values.length = height;
  return height;
}

/** A scalar argument: a one-cell range [[x]] is unwrapped. */
export function scalar(arg: unknown): unknown {
  let v = arg;
  while (Array.isArray(v) && v.length === 1) v = v[0];
  if (Array.isArray(v)) return v.length === 0 ? '' : v;
  return v;
}

/** Object.hasOwn is ES2022; this works on every runtime the bundle meets. */
export function hasOwn(obj: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(obj, key);
}

/**
 * An enumerated text argument (view, period): case-insensitive, Japanese synonyms allowed.
 * Omitted → the default; anything else lists the valid choices.
 */
export function choice<T>(arg: unknown, name: string, table: Record<string, T>, fallback: T): T {
  const v = scalar(arg);
  if (isBlank(v)) return fallback;
  const key = String(v).normalize('NFKC').trim().toLowerCase();
  const found = hasOwn(table, key) ? table[key] : undefined;
  if (found !== undefined) return found;
  throw new KpiError('badChoice', {
    arg: name,
    value: String(v).slice(0, 60),
    choices: Object.keys(table).join(', '),
  });
}
