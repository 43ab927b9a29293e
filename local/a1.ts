/** A1 notation: `B3`, `B3:D10`, `Sheet 1!A1:C`, `'KPI ツリー'!A:A`. Rows and columns are 1-based. */

export interface A1Range {
  sheet?: string;
  row: number;
  col: number;
  /** undefined = open-ended (to the sheet's last row / column) */
  endRow?: number;
  endCol?: number;
}

import { colLetters as colToLetters } from '../src/core/sheetModel';

export { colToLetters };

export function lettersToCol(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

const CELL = /^\$?([A-Za-z]{1,3})?\$?(\d+)?$/;

export function parseA1(text: string): A1Range {
  let ref = text.trim();
  let sheet: string | undefined;
  const bang = ref.lastIndexOf('!');
  if (bang >= 0) {
    sheet = ref.slice(0, bang);
    if (sheet.startsWith("'") && sheet.endsWith("'"))
      sheet = sheet.slice(1, -1).replace(/''/g, "'");
    ref = ref.slice(bang + 1);
  }
  const [a, b] = ref.split(':');
  const start = CELL.exec(a ?? '');
  const end = b === undefined ? start : CELL.exec(b);
  if (!start || !end || (!start[1] && !start[2])) throw new Error(`Range not found: ${text}`);
  const row = start[2] ? Number(start[2]) : 1;
  const col = start[1] ? lettersToCol(start[1]) : 1;
  return {
    sheet,
    row,
    col,
    endRow: end[2] ? Number(end[2]) : b === undefined ? row : undefined,
    endCol: end[1] ? lettersToCol(end[1]) : b === undefined ? col : undefined,
  };
}

export function toA1(row: number, col: number, numRows = 1, numCols = 1): string {
  const a = `${colToLetters(col)}${row}`;
  return numRows === 1 && numCols === 1
    ? a
    : `${a}:${colToLetters(col + numCols - 1)}${row + numRows - 1}`;
}

/** A sheet name for a reference: always quoted, as the add-on writes them (src/core/sheetModel.ts). */
export function quoteSheet(name: string): string {
  return `'${name.replace(/'/g, "''")}'`;
}

/**
 * The index just past a quoted run that starts at `start` — a string literal ("a""b") or a quoted
 * sheet name ('It''s'), a doubled quote standing for one — or the formula's length if unclosed.
 */
export function quotedEnd(formula: string, start: number): number {
  const q = formula[start];
  let j = start + 1;
  while (j < formula.length) {
    if (formula[j] !== q) j++;
    else if (formula[j + 1] === q) j += 2;
    else return j + 1;
  }
  return formula.length;
}

/**
 * Rewrites Google's open-ended ranges (`Leads!C2:C`, `A:A`, `'KPI ツリー'!B2:D`), which
 * HyperFormula cannot parse, into bounded ones, skipping string literals. `rowsOf` gives the grid
 * height of a sheet (undefined sheet = the formula's own sheet).
 */
export function boundOpenRanges(
  formula: string,
  rowsOf: (sheet: string | undefined) => number,
): string {
  let out = '';
  let i = 0;
  const ref =
    /^((?:'(?:[^']|'')+'|[^\s!"'(),;:=+\-*/&<>^%]+)!)?(\$?[A-Za-z]{1,3})(\$?\d+)?:(\$?[A-Za-z]{1,3})(?![A-Za-z0-9_(])/;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === '"') {
      const end = quotedEnd(formula, i);
      out += formula.slice(i, end);
      i = end;
      continue;
    }
    const prev = i > 0 ? formula[i - 1] : '';
    if (!/[A-Za-z0-9_$.'!]/.test(prev)) {
      const m = ref.exec(formula.slice(i));
      if (m && !/^\$?\d/.test(formula.slice(i + m[0].length))) {
        const prefix = m[1] ?? '';
        const sheet = prefix ? parseA1(`${prefix}A1`).sheet : undefined;
        const rows = rowsOf(sheet);
        out += `${prefix}${m[2]}${m[3] ?? '1'}:${m[4]}${rows}`;
        i += m[0].length;
        continue;
      }
    }
    out += ch;
    i++;
  }
  return out;
}

/**
 * A formula after the sheet `name` was deleted: every reference to it (`'KPIツリー'!E5`,
 * `Leads!B2:B`, `'Funnel'!A:A`) becomes `#REF!`, outside string literals. *Reported* (issue 21):
 * in Sheets a deleted sheet's references turn into #REF! for good, and a new sheet with the same
 * name does not bring them back (HyperFormula would re-bind them by name); the text written in
 * their place is *assumed* (`#REF!`, as Excel writes it).
 */
export function dropSheetRefs(formula: string, name: string): string {
  const quoted = `'${name.replace(/'/g, "''")}'`;
  const ref = /^(\$?[A-Za-z]{1,3}\$?\d*|\$?\d+)(:(\$?[A-Za-z]{1,3}\$?\d*|\$?\d+))?/;
  let out = '';
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === '"') {
      const end = quotedEnd(formula, i);
      out += formula.slice(i, end);
      i = end;
      continue;
    }
    const prev = i > 0 ? formula[i - 1] : '';
    let prefix: string | undefined;
    if (formula.startsWith(`${quoted}!`, i)) prefix = `${quoted}!`;
    else if (
      !/[A-Za-z0-9_.$'"]/.test(prev) &&
      formula.slice(i, i + name.length).toUpperCase() === name.toUpperCase() &&
      formula[i + name.length] === '!'
    )
      prefix = `${name}!`;
    if (prefix !== undefined) {
      const m = ref.exec(formula.slice(i + prefix.length));
      out += '#REF!';
      i += prefix.length + (m ? m[0].length : 0);
      continue;
    }
    out += ch;
    i++;
  }
  return out;
}

/** An A1 cell reference: 1–3 column letters (Sheets ends at column ZZZ) and a row from 1. */
const A1_CELL = /^[A-Za-z]{1,3}[1-9][0-9]*$/;
/** R1C1 notation: R1C1, R2C3, RC, R5C, RC7, and R or C alone (the current row or column). */
const R1C1 = /^(R[0-9]*C[0-9]*|R|C)$/i;
/** The two boolean literals (any case). */
const BOOLEAN = /^(TRUE|FALSE)$/i;

/**
 * Sheet names written bare before `!` in a formula (outside string literals and quoted names)
 * that Sheets would not read as a sheet name: an A1 cell reference (`Q1`, `FY24`, `CRM1`,
 * `AB12`), R1C1 notation (`R1C1`, `R2C3`, `RC`) or a boolean (`TRUE`, `FALSE`). HyperFormula
 * reads `Q1!B2:B` as the sheet Q1; Sheets reads it as a reference — DESIGN.md: "quote every sheet
 * name". Each name once, in order of appearance.
 */
export function unquotedSheetRefs(formula: string): string[] {
  const found: string[] = [];
  const delimiter = /[\s!"'(),;:=+\-*/&<>^%{}[\]]/;
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === '"' || ch === "'") {
      // A string literal ("a""b") or a quoted sheet name ('It''s'): skipped whole.
      i = quotedEnd(formula, i);
      continue;
    }
    if (delimiter.test(ch)) {
      i++;
      continue;
    }
    let j = i;
    while (j < formula.length && !delimiter.test(formula[j])) j++;
    const name = formula.slice(i, j);
    if (formula[j] === '!' && (A1_CELL.test(name) || R1C1.test(name) || BOOLEAN.test(name))) {
      if (!found.includes(name)) found.push(name);
    }
    i = j;
  }
  return found;
}
