/**
 * The self-check's timing of the custom functions (src/addon/selfCheck.ts): each custom-function
 * formula of the generated report — the calls Sheets makes on the saved settings' lead tab — is
 * run here, in the script, on the same values (the tab read once, as kpiBuild reads it), and
 * timed with Date.now() against Apps Script's 30 s per custom-function call.
 *
 * A formula's arguments are evaluated the way Sheets hands them to a custom function: a range as
 * a 2-D array (an open range such as 'Leads'!B2:B down to the sheet's last row, blanks as ''), a
 * single cell as its value, a literal as itself, an omitted argument as ''. The report uses a
 * handful of shapes (ranges of the lead tab, cells of its own sheet, literals, FILTER(range,
 * range<>"")); a formula with anything else is not timed, and says which argument.
 */

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** A range reference: rows and columns 1-based; `lastRow` undefined = open to the grid's end. */
export interface RangeRef {
  sheet?: string;
  row: number;
  col: number;
  lastRow?: number;
  lastCol: number;
  /** One cell (`B4`), handed over as a scalar. */
  cell: boolean;
}

export type Arg =
  | { kind: 'empty' }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'range'; ref: RangeRef }
  | { kind: 'filter'; data: RangeRef; test: RangeRef }
  | { kind: 'other'; text: string };

/** Splits at top-level commas (outside quotes, quoted sheet names, parentheses and braces). */
function splitArgs(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < text.length) {
        if (text[j] === ch) {
          if (text[j + 1] === ch) j += 2;
          else break;
        } else j++;
      }
      i = j;
    } else if (ch === '(' || ch === '{') depth++;
    else if (ch === ')' || ch === '}') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map((s) => s.trim());
}

const colNumber = (letters: string): number => {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
};

/** `'Sheet'!B2:B`, `Sheet!A1`, `$K$5:$L$8`, `B:B` … or undefined. */
export function parseRange(text: string): RangeRef | undefined {
  const m =
    /^(?:'((?:[^']|'')+)'!|([A-Za-z_][\w.]*)!)?\$?([A-Za-z]{1,3})\$?(\d*)(?::\$?([A-Za-z]{1,3})\$?(\d*))?$/.exec(
      text.trim(),
    );
  if (m === null) return undefined;
  const sheet = m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2];
  const col = colNumber(m[3]);
  if (m[5] === undefined) {
    if (m[4] === '') return undefined; // a bare column letter is not a reference
    const row = Number(m[4]);
    return { sheet, row, col, lastRow: row, lastCol: col, cell: true };
  }
  const row = m[4] === '' ? 1 : Number(m[4]);
  const lastRow = m[6] === '' ? undefined : Number(m[6]);
  if (row < 1 || (lastRow !== undefined && lastRow < row)) return undefined;
  return { sheet, row, col, lastRow, lastCol: colNumber(m[5]), cell: false };
}

function parseArg(text: string): Arg {
  if (text === '') return { kind: 'empty' };
  if (/^"(?:[^"]|"")*"$/.test(text))
    return { kind: 'literal', value: text.slice(1, -1).replace(/""/g, '"') };
  if (/^-?\d+(\.\d+)?$/.test(text)) return { kind: 'literal', value: Number(text) };
  if (/^(TRUE|FALSE)$/i.test(text)) return { kind: 'literal', value: /^TRUE$/i.test(text) };
  const ref = parseRange(text);
  if (ref) return { kind: 'range', ref };
  const filter = /^FILTER\((.*)\)$/i.exec(text);
  if (filter) {
    const parts = splitArgs(filter[1]);
    const test = parts.length === 2 ? /^(.*)<>""$/.exec(parts[1]) : null;
    const data = parts.length === 2 ? parseRange(parts[0]) : undefined;
    const cond = test ? parseRange(test[1]) : undefined;
    if (data && cond) return { kind: 'filter', data, test: cond };
  }
  return { kind: 'other', text };
}

/** `=NAME(args)` with NAME a custom function (`isCustom`), or undefined. */
export function parseCall(
  formula: string,
  isCustom: (name: string) => boolean,
): { name: string; args: Arg[] } | undefined {
  const m = /^=\s*([A-Z][A-Z0-9_]*)\s*\(([\s\S]*)\)\s*$/.exec(formula);
  if (m === null || !isCustom(m[1])) return undefined;
  const inner = m[2].trim();
  return { name: m[1], args: inner === '' ? [] : splitArgs(inner).map(parseArg) };
}

/** The values of sheets read once each (getDataRange), with each sheet's number of rows. */
class SheetValues {
  private readonly cache = new Map<string, { values: unknown[][]; maxRows: number }>();
  constructor(private readonly ss: Spreadsheet) {}

  of(sheet: Sheet): { values: unknown[][]; maxRows: number } {
    const name = sheet.getName();
    let hit = this.cache.get(name);
    if (!hit) {
      hit = { values: sheet.getDataRange().getValues(), maxRows: sheet.getMaxRows() };
      this.cache.set(name, hit);
    }
    return hit;
  }

  byName(name: string): { values: unknown[][]; maxRows: number } {
    const sheet = this.ss.getSheetByName(name);
    if (!sheet) throw new Error(`no sheet named ${name}`);
    return this.of(sheet);
  }

  /** The area as a custom function receives it. */
  area(ref: RangeRef, home: Sheet): unknown {
    const { values, maxRows } = ref.sheet === undefined ? this.of(home) : this.byName(ref.sheet);
    const last = ref.lastRow ?? maxRows;
    const out: unknown[][] = [];
    for (let r = ref.row; r <= last; r++) {
      const line: unknown[] = [];
      for (let c = ref.col; c <= ref.lastCol; c++) line.push(values[r - 1]?.[c - 1] ?? '');
      out.push(line);
    }
    return ref.cell ? out[0][0] : out;
  }
}

export interface Timed {
  name: string;
  /** Where the formula is: 'Sheet'!A1. */
  where: string;
  ms?: number;
  /** Not timed (an argument this cannot evaluate), or what the call threw. */
  problem?: string;
}

const a1 = (row: number, col: number): string => {
  let letters = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return `${letters}${row}`;
};

/**
 * Times every custom-function formula of the given sheets (the report). `call` runs the named
 * custom function; `deadline` (Date.now() value) stops starting new calls, so the run stays
 * inside Apps Script's 6 minutes.
 */
export function timeFormulas(
  ss: Spreadsheet,
  sheets: readonly Sheet[],
  isCustom: (name: string) => boolean,
  call: (name: string, args: unknown[]) => unknown,
  deadline: number,
): Timed[] {
  const values = new SheetValues(ss);
  const out: Timed[] = [];
  for (const sheet of sheets) {
    const rows = sheet.getLastRow();
    const cols = sheet.getLastColumn();
    if (rows === 0 || cols === 0) continue;
    const formulas = sheet.getRange(1, 1, rows, cols).getFormulas();
    for (let r = 0; r < formulas.length; r++) {
      for (let c = 0; c < formulas[r].length; c++) {
        const parsed = parseCall(formulas[r][c], isCustom);
        if (!parsed) continue;
        const where = `'${sheet.getName()}'!${a1(r + 1, c + 1)}`;
        if (Date.now() > deadline) {
          out.push({ name: parsed.name, where, problem: 'time budget' });
          continue;
        }
        const other = parsed.args.find((a) => a.kind === 'other');
        if (other) {
          out.push({ name: parsed.name, where, problem: `argument ${other.text}` });
          continue;
        }
        const args = parsed.args.map((a): unknown => {
          switch (a.kind) {
            case 'empty':
              return '';
            case 'literal':
              return a.value;
            case 'range':
              return values.area(a.ref, sheet);
            case 'filter': {
              const data = values.area(a.data, sheet) as unknown[][];
              const test = values.area(a.test, sheet) as unknown[][];
              const kept = data.filter((_, i) => test[i]?.[0] !== '' && test[i]?.[0] !== undefined);
              return kept.length > 0 ? kept : '#N/A';
            }
            default:
              return '';
          }
        });
        // Trailing omitted arguments are not passed at all, as in Sheets.
        while (args.length > 0 && parsed.args[args.length - 1].kind === 'empty') args.pop();
        const start = Date.now();
        try {
          call(parsed.name, args);
          out.push({ name: parsed.name, where, ms: Date.now() - start });
        } catch (e) {
          out.push({
            name: parsed.name,
            where,
            ms: Date.now() - start,
            problem: String((e as Error)?.message ?? e),
          });
        }
      }
    }
  }
  return out;
}
