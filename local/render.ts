/**
 * What the local preview draws for a sheet, as Sheets would show it: cell text through the number
 * formats (local/format.ts), conditional colours evaluated from the recorded rules (numeric and
 * text conditions, custom formulas with their relative references shifted per cell and computed
 * by the workbook's HyperFormula, gradient colour scales interpolated linearly between their
 * points; the first matching rule wins), and the recorded charts as inline SVG placed at their
 * anchor cell. The page's grid code (GRID_CSS, GRID_SCRIPT) lays the cells out like Sheets:
 * recorded column widths (else 100 px), 21 px rows, frozen rows sticky, text spilling into empty
 * neighbours.
 */
import { boundOpenRanges, parseA1, quotedEnd } from './a1';
import { DEFAULT_GRID_ROWS } from './engine';
import { dateToSerial, formatNumber, formatValue, isGeneral, splitSections } from './format';
import type { LocalRuntime } from './runtime';

// ---- ranges --------------------------------------------------------------------------------------

/** A block of cells, 1-based and inclusive; open ends are Infinity. */
export interface Box {
  r0: number;
  c0: number;
  r1: number;
  c1: number;
}

const inBox = (b: Box, row: number, col: number) =>
  row >= b.r0 && row <= b.r1 && col >= b.c0 && col <= b.c1;

/** A recorded range (a LocalRange, an A1 string): its block, read without a counted call. */
export function boxOf(range: unknown): Box | undefined {
  if (typeof range === 'string') return boxOfA1(range);
  if (range === null || typeof range !== 'object') return undefined;
  // LocalRange keeps its coordinates in fields; reading a field through the counting proxy is
  // not a service call (calling getA1Notation would be counted as one of the script's).
  const f = range as Record<string, unknown>;
  if ([f.row, f.col, f.rows, f.cols].every((x) => typeof x === 'number')) {
    const [row, col, rows, cols] = [f.row, f.col, f.rows, f.cols] as number[];
    return { r0: row, c0: col, r1: row + rows - 1, c1: col + cols - 1 };
  }
  const a1 = (range as { getA1Notation?: () => string }).getA1Notation?.();
  return typeof a1 === 'string' ? boxOfA1(a1) : undefined;
}

function boxOfA1(a1: string): Box | undefined {
  try {
    const r = parseA1(a1);
    return {
      r0: r.row,
      c0: r.col,
      r1: r.endRow ?? Number.POSITIVE_INFINITY,
      c1: r.endCol ?? Number.POSITIVE_INFINITY,
    };
  } catch {
    return undefined;
  }
}

// ---- colours ---------------------------------------------------------------------------------------

function rgbOf(colour: string): [number, number, number] | undefined {
  const m = /^#?([0-9a-f]{6}|[0-9a-f]{3})$/i.exec(colour.trim());
  if (!m) return undefined;
  const hex = m[1].length === 3 ? [...m[1]].map((h) => h + h).join('') : m[1];
  return [0, 2, 4].map((i) => Number.parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
}

const hex2 = (n: number) =>
  Math.round(Math.min(255, Math.max(0, n)))
    .toString(16)
    .padStart(2, '0');

/** The colour at t ∈ [0, 1] on the straight line from a to b in RGB (#rrggbb). */
export function mixColours(a: string, b: string, t: number): string {
  const x = rgbOf(a);
  const y = rgbOf(b);
  if (!x || !y) return t < 0.5 ? a : b;
  return `#${x.map((v, i) => hex2(v + (y[i] - v) * t)).join('')}`;
}

export interface GradientPoint {
  colour: string;
  /** NUMBER (the value), PERCENT / PERCENTILE (of the range), MIN / MAX. */
  type: string;
  value?: number;
}

/** Where a point sits for a range whose numbers are `values` (needed by MIN, MAX, PERCENT…). */
function pointValue(p: GradientPoint, values: () => number[]): number {
  const type = p.type.toUpperCase();
  if (type === 'NUMBER') return p.value ?? 0;
  const sorted = values();
  if (sorted.length === 0) return 0;
  const min = sorted[0];
  const max = sorted[sorted.length - 1];
  if (type === 'MIN') return min;
  if (type === 'MAX') return max;
  const q = (p.value ?? 50) / 100;
  if (type === 'PERCENT') return min + (max - min) * q;
  // PERCENTILE: linear between closest ranks.
  const pos = q * (sorted.length - 1);
  const lo = Math.floor(pos);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/**
 * A colour scale's colour for x: the first point's colour at or below it, the last one's at or
 * above it, linear in RGB between the two points around it (as Sheets draws a gradient).
 */
export function gradientColour(
  points: GradientPoint[],
  x: number,
  values: () => number[] = () => [],
): string | undefined {
  if (points.length === 0) return undefined;
  const at = points.map((p) => ({ colour: p.colour, v: pointValue(p, values) }));
  if (x <= at[0].v) return normalise(at[0].colour);
  for (let i = 1; i < at.length; i++) {
    const a = at[i - 1];
    const b = at[i];
    if (x <= b.v) {
      const span = b.v - a.v;
      return mixColours(a.colour, b.colour, span > 0 ? (x - a.v) / span : 1);
    }
  }
  return normalise(at[at.length - 1].colour);
}

const normalise = (c: string) => {
  const rgb = rgbOf(c);
  return rgb ? `#${rgb.map(hex2).join('')}` : c;
};

// ---- custom formulas ---------------------------------------------------------------------------------

type Part = string | { colAbs: boolean; col: number; rowAbs: boolean; row?: number };

const REF = /^(\$?)([A-Za-z]{1,3})(\$?)(\d+)(?![A-Za-z0-9_(!.])/;
const COLS = /^(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})(?![A-Za-z0-9_(!.])/;

const lettersOf = (col: number) => {
  let s = '';
  for (let n = col; n > 0; n = Math.floor((n - 1) / 26))
    s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
};
const colOf = (letters: string) => {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
};

/**
 * A custom formula as written for its anchor cell (the top-left of the rule's first range), made
 * ready to be written for any other cell: relative references move with the cell, `$` parts stay.
 * String literals and quoted sheet names are left alone.
 */
export function compileShift(formula: string): (dRow: number, dCol: number) => string {
  const parts: Part[] = [];
  const text = (s: string) => {
    if (typeof parts[parts.length - 1] === 'string') parts[parts.length - 1] += s;
    else parts.push(s);
  };
  let i = 0;
  while (i < formula.length) {
    const ch = formula[i];
    if (ch === '"' || ch === "'") {
      const end = quotedEnd(formula, i);
      text(formula.slice(i, end));
      i = end;
      continue;
    }
    const prev = i > 0 ? formula[i - 1] : '';
    if (!/[A-Za-z0-9_.$]/.test(prev)) {
      const rest = formula.slice(i);
      const cols = COLS.exec(rest);
      if (cols) {
        parts.push({ colAbs: cols[1] === '$', col: colOf(cols[2]), rowAbs: true });
        text(':');
        parts.push({ colAbs: cols[3] === '$', col: colOf(cols[4]), rowAbs: true });
        i += cols[0].length;
        continue;
      }
      const ref = REF.exec(rest);
      if (ref) {
        parts.push({
          colAbs: ref[1] === '$',
          col: colOf(ref[2]),
          rowAbs: ref[3] === '$',
          row: Number(ref[4]),
        });
        i += ref[0].length;
        continue;
      }
    }
    text(ch);
    i++;
  }
  return (dRow, dCol) =>
    parts
      .map((p) => {
        if (typeof p === 'string') return p;
        const col = p.colAbs ? p.col : p.col + dCol;
        const row = p.row === undefined || p.rowAbs ? p.row : p.row + dRow;
        if (col < 1 || (row !== undefined && row < 1)) return '#REF!';
        return `${p.colAbs ? '$' : ''}${lettersOf(col)}${row === undefined ? '' : `${p.rowAbs ? '$' : ''}${row}`}`;
      })
      .join('');
}

/** A custom formula's result as a condition: TRUE, or a number other than 0. */
export function satisfied(result: unknown): boolean {
  let v = result;
  while (Array.isArray(v)) v = v[0];
  return v === true || (typeof v === 'number' && Number.isFinite(v) && v !== 0);
}

// ---- conditional rules -----------------------------------------------------------------------------

export interface Rule {
  boxes: Box[];
  /** The condition (absent for a colour scale). */
  test?: (cell: RuleCell, ctx: RuleContext) => boolean;
  gradient?: GradientPoint[];
  background?: string;
  fontColor?: string;
}

export interface RuleCell {
  row: number;
  col: number;
  value: unknown;
}

export interface RuleContext {
  /** Evaluates a formula (text starting with "=") in the rule's sheet. */
  formula(text: string): unknown;
  /** The numbers inside the boxes (sorted), for MIN / MAX / PERCENT points. */
  numbers(boxes: Box[]): number[];
}

interface Recorded {
  calls?: { method: string; args: unknown[] }[];
}

const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;
const blank = (v: unknown) => v === '' || v === null || v === undefined;

/** The rules as Sheets keeps them, from the recorded builder calls (order kept). */
export function parseRules(recorded: readonly unknown[]): Rule[] {
  const out: Rule[] = [];
  for (const rule of recorded as Recorded[]) {
    const calls = rule?.calls ?? [];
    const last = (m: string) => {
      for (let i = calls.length - 1; i >= 0; i--) if (calls[i].method === m) return calls[i].args;
      return undefined;
    };
    const ranges = (last('setRanges')?.[0] ?? []) as unknown[];
    const boxes = ranges.map(boxOf).filter((b): b is Box => b !== undefined);
    const bg = last('setBackground')?.[0];
    const fg = last('setFontColor')?.[0];
    const base = {
      boxes,
      background: typeof bg === 'string' ? bg : undefined,
      fontColor: typeof fg === 'string' ? fg : undefined,
    };
    const n = (m: string, i = 0) => Number(last(m)?.[i]);
    const gradient: GradientPoint[] = [];
    const point = (withValue: string, plain: string, type: string) => {
      const a = last(withValue);
      const b = last(plain);
      if (a) gradient.push({ colour: String(a[0]), type: String(a[1]), value: Number(a[2]) });
      else if (b) gradient.push({ colour: String(b[0]), type });
    };
    point('setGradientMinpointWithValue', 'setGradientMinpoint', 'MIN');
    point('setGradientMidpointWithValue', 'setGradientMidpoint', 'PERCENTILE');
    point('setGradientMaxpointWithValue', 'setGradientMaxpoint', 'MAX');
    if (gradient.length >= 2) {
      out.push({ ...base, gradient });
      continue;
    }
    const numeric =
      (f: (x: number) => boolean) =>
      (c: RuleCell): boolean => {
        const x = num(c.value);
        return x !== undefined && f(x);
      };
    const textTest =
      (f: (s: string) => boolean) =>
      (c: RuleCell): boolean =>
        !blank(c.value) && f(String(c.value).toLowerCase());
    let test: Rule['test'];
    if (last('whenFormulaSatisfied')) {
      const formula = String(last('whenFormulaSatisfied')?.[0] ?? '');
      const shift = compileShift(formula.startsWith('=') ? formula : `=${formula}`);
      const anchor = boxes[0];
      test = (c, ctx) =>
        anchor !== undefined && satisfied(ctx.formula(shift(c.row - anchor.r0, c.col - anchor.c0)));
    } else if (last('whenNumberGreaterThanOrEqualTo'))
      test = numeric((x) => x >= n('whenNumberGreaterThanOrEqualTo'));
    else if (last('whenNumberGreaterThan')) test = numeric((x) => x > n('whenNumberGreaterThan'));
    else if (last('whenNumberLessThanOrEqualTo'))
      test = numeric((x) => x <= n('whenNumberLessThanOrEqualTo'));
    else if (last('whenNumberLessThan')) test = numeric((x) => x < n('whenNumberLessThan'));
    else if (last('whenNumberBetween'))
      test = numeric(
        (x) =>
          x >= Math.min(n('whenNumberBetween'), n('whenNumberBetween', 1)) &&
          x <= Math.max(n('whenNumberBetween'), n('whenNumberBetween', 1)),
      );
    else if (last('whenNumberNotBetween'))
      test = numeric(
        (x) =>
          x < Math.min(n('whenNumberNotBetween'), n('whenNumberNotBetween', 1)) ||
          x > Math.max(n('whenNumberNotBetween'), n('whenNumberNotBetween', 1)),
      );
    else if (last('whenNumberEqualTo')) test = numeric((x) => x === n('whenNumberEqualTo'));
    else if (last('whenNumberNotEqualTo')) test = numeric((x) => x !== n('whenNumberNotEqualTo'));
    else if (last('whenCellEmpty')) test = (c) => blank(c.value);
    else if (last('whenCellNotEmpty')) test = (c) => !blank(c.value);
    else if (last('whenTextContains')) {
      const s = String(last('whenTextContains')?.[0]).toLowerCase();
      test = textTest((t) => t.includes(s));
    } else if (last('whenTextDoesNotContain')) {
      const s = String(last('whenTextDoesNotContain')?.[0]).toLowerCase();
      test = (c) =>
        !String(c.value ?? '')
          .toLowerCase()
          .includes(s);
    } else if (last('whenTextEqualTo')) {
      const s = String(last('whenTextEqualTo')?.[0]).toLowerCase();
      test = textTest((t) => t === s);
    } else if (last('whenTextStartsWith')) {
      const s = String(last('whenTextStartsWith')?.[0]).toLowerCase();
      test = textTest((t) => t.startsWith(s));
    } else if (last('whenTextEndsWith')) {
      const s = String(last('whenTextEndsWith')?.[0]).toLowerCase();
      test = textTest((t) => t.endsWith(s));
    }
    if (test) out.push({ ...base, test });
  }
  return out;
}

/**
 * The conditional format of one cell: the first rule whose ranges hold the cell and whose
 * condition holds (a colour scale holds for every number), as Sheets applies them.
 */
export function conditionalFormat(
  rules: readonly Rule[],
  cell: RuleCell,
  ctx: RuleContext,
): { background?: string; fontColor?: string } | undefined {
  for (const rule of rules) {
    if (!rule.boxes.some((b) => inBox(b, cell.row, cell.col))) continue;
    if (rule.gradient) {
      const x = num(cell.value);
      if (x === undefined) continue;
      return { background: gradientColour(rule.gradient, x, () => ctx.numbers(rule.boxes)) };
    }
    if (rule.test?.(cell, ctx)) return { background: rule.background, fontColor: rule.fontColor };
  }
  return undefined;
}

// ---- charts --------------------------------------------------------------------------------------

export interface ChartSpecRecorded {
  type: string;
  title: string;
  boxes: Box[];
  transpose: boolean;
  row: number;
  col: number;
  offsetX: number;
  offsetY: number;
  width: number;
  height: number;
}

/** Sheets' size for a chart inserted without a width or height option. */
export const CHART_WIDTH = 600;
export const CHART_HEIGHT = 371;

export function parseCharts(recorded: readonly unknown[]): ChartSpecRecorded[] {
  return (recorded as Recorded[]).map((chart) => {
    const calls = chart?.calls ?? [];
    const last = (m: string) => {
      for (let i = calls.length - 1; i >= 0; i--) if (calls[i].method === m) return calls[i].args;
      return undefined;
    };
    const option = (name: string) => {
      for (let i = calls.length - 1; i >= 0; i--)
        if (calls[i].method === 'setOption' && calls[i].args[0] === name) return calls[i].args[1];
      return undefined;
    };
    const position = last('setPosition') ?? [1, 1, 0, 0];
    const boxes = calls
      .filter((c) => c.method === 'addRange')
      .map((c) => boxOf(c.args[0]))
      .filter((b): b is Box => b !== undefined);
    return {
      type: String(last('setChartType')?.[0] ?? 'LINE').toUpperCase(),
      title: String(option('title') ?? ''),
      boxes,
      transpose: last('setTransposeRowsAndColumns')?.[0] === true,
      row: Number(position[0]) || 1,
      col: Number(position[1]) || 1,
      offsetX: Number(position[2]) || 0,
      offsetY: Number(position[3]) || 0,
      width: Number(option('width')) || CHART_WIDTH,
      height: Number(option('height')) || CHART_HEIGHT,
    };
  });
}

/** A cell as a chart reads it: its value and the text the sheet shows for it. */
export interface ChartCell {
  value: unknown;
  text: string;
  format?: string;
}

export interface ChartData {
  /** The domain (x) labels. */
  labels: string[];
  series: { name: string; values: (number | null)[] }[];
  /** The number format of the first value, for the axis. */
  format?: string;
}

/**
 * Series as Sheets takes them from the chart's table (its ranges side by side): one series per
 * column, the first column the labels and the first row the series names — or, transposed, one
 * series per row, the first row the labels and the first column the names. Series without a
 * number are left out, and so are the domain's trailing points with neither label nor number.
 */
export function chartData(table: ChartCell[][], transpose: boolean): ChartData {
  const t = transpose
    ? Array.from({ length: Math.max(0, ...table.map((r) => r.length)) }, (_, c) =>
        table.map((r) => r[c] ?? { value: '', text: '' }),
      )
    : table;
  if (t.length === 0) return { labels: [], series: [] };
  const header = t[0];
  const body = t.slice(1);
  const labels = body.map((r) => r[0]?.text ?? '');
  let format: string | undefined;
  const series: ChartData['series'] = [];
  for (let c = 1; c < header.length; c++) {
    const values = body.map((r) => {
      const x = num(r[c]?.value);
      if (x !== undefined && format === undefined) format = r[c]?.format;
      return x ?? null;
    });
    if (values.every((v) => v === null)) continue;
    series.push({ name: header[c]?.text ?? '', values });
  }
  let n = labels.length;
  while (n > 0 && labels[n - 1] === '' && series.every((s) => s.values[n - 1] === null)) n--;
  return {
    labels: labels.slice(0, n),
    series: series.map((s) => ({ ...s, values: s.values.slice(0, n) })),
    format,
  };
}

/** Joins the chart's ranges into one table: side by side when they share rows, else stacked. */
export function chartTable(
  boxes: Box[],
  cell: (row: number, col: number) => ChartCell,
): ChartCell[][] {
  if (boxes.length === 0) return [];
  const sameRows = boxes.every((b) => b.r0 === boxes[0].r0 && b.r1 === boxes[0].r1);
  const block = (b: Box) => {
    const out: ChartCell[][] = [];
    for (let r = b.r0; r <= b.r1; r++) {
      const line: ChartCell[] = [];
      for (let c = b.c0; c <= b.c1; c++) line.push(cell(r, c));
      out.push(line);
    }
    return out;
  };
  const blocks = boxes.map(block);
  if (sameRows || boxes.length === 1)
    return blocks[0].map((_, r) => blocks.flatMap((bl) => bl[r] ?? []));
  return blocks.flat();
}

/** Sheets' default series colours. */
export const PALETTE = [
  '#4285f4',
  '#ea4335',
  '#fbbc04',
  '#34a853',
  '#ff6d01',
  '#46bdc6',
  '#7baaf7',
  '#f07b72',
  '#fcd04f',
  '#71c287',
  '#ff994d',
  '#7ed1d7',
  '#b3cefb',
  '#f7b4ae',
  '#fde49b',
  '#aedcba',
  '#ffc599',
  '#b5e8ec',
];

/** Text for the SVG: XML-escaped, without the control characters XML cannot hold. */
const esc = (s: string) =>
  s
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '')
    .replace(
      /[&<>"']/g,
      (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`,
    );

/** Round steps: 1, 2, 2.5, 5 × 10^k, about `count` of them over [lo, hi]. */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const out: number[] = [];
  for (let v = Math.floor(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Number(v.toPrecision(12)));
  if (out[out.length - 1] < hi) out.push(Number((out[out.length - 1] + step).toPrecision(12)));
  return out;
}

/** An axis label: the source's number format, with as many decimals as the step needs. */
export function tickText(v: number, fmt: string | undefined, step: number): string {
  const pct = fmt !== undefined && !isGeneral(fmt) && fmt.includes('%');
  const scaled = step * (pct ? 100 : 1);
  let decimals = 0;
  while (
    decimals < 10 &&
    Math.abs(Math.round(scaled * 10 ** decimals) - scaled * 10 ** decimals) > 1e-6
  )
    decimals++;
  if (fmt === undefined || isGeneral(fmt))
    return formatNumber(v, decimals > 0 ? `0.${'0'.repeat(decimals)}` : '0');
  const section = splitSections(fmt)[0];
  // The section's digit codes (outside quotes and [$…] tags) give way to the ticks' own.
  const masked = section.replace(/"[^"]*"|\[[^\]]*\]|\\./g, (m) => ' '.repeat(m.length));
  const run = /[#0?][#0?,.]*/.exec(masked);
  if (!run) return formatNumber(v, fmt);
  const digits =
    (run[0].includes(',') ? '#,##0' : '0') + (decimals > 0 ? `.${'0'.repeat(decimals)}` : '');
  return formatNumber(
    v,
    section.slice(0, run.index) + digits + section.slice(run.index + run[0].length),
  );
}

/** A line or column chart as Sheets draws it: title, axes with gridlines, series, legend. */
export function chartSvg(spec: ChartSpecRecorded, data: ChartData): string {
  const W = spec.width;
  const H = spec.height;
  const legendW = Math.min(170, Math.round(W * 0.28));
  const left = 56;
  const top = spec.title ? 48 : 20;
  const right = W - legendW - 16;
  const bottom = H - 44;
  const values = data.series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const lo = Math.min(0, ...values);
  const hi = values.length > 0 ? Math.max(...values, lo + 1e-12) : 1;
  const ticks = niceTicks(lo, hi);
  const y0 = ticks[0];
  const y1 = ticks[ticks.length - 1];
  const step = ticks.length > 1 ? ticks[1] - ticks[0] : 1;
  const y = (v: number) => bottom - ((v - y0) / (y1 - y0 || 1)) * (bottom - top);
  const n = Math.max(1, data.labels.length);
  const column = spec.type === 'COLUMN' || spec.type === 'BAR';
  const slot = (right - left) / n;
  const x = (i: number) =>
    column || n === 1 ? left + slot * (i + 0.5) : left + ((right - left) * i) / (n - 1);
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" data-series="${data.series.length}" data-type="${esc(spec.type)}" font-family="Roboto, Arial, 'Noto Sans JP', 'Noto Sans JP Variable', sans-serif">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff" stroke="#dadce0"/>`);
  if (spec.title)
    out.push(
      `<text class="title" x="16" y="28" font-size="15" fill="#202124">${esc(spec.title)}</text>`,
    );
  // Gridlines and y labels.
  for (const t of ticks) {
    const yy = y(t).toFixed(1);
    out.push(
      `<line x1="${left}" x2="${right}" y1="${yy}" y2="${yy}" stroke="${t === 0 ? '#9aa0a6' : '#e8eaed'}"/>`,
    );
    out.push(
      `<text class="tick" x="${left - 6}" y="${yy}" dy="4" text-anchor="end" font-size="11" fill="#5f6368">${esc(tickText(t, data.format, step))}</text>`,
    );
  }
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${bottom}" stroke="#9aa0a6"/>`);
  // X labels, thinned so that they do not overlap.
  const longest = Math.max(1, ...data.labels.map((l) => l.length));
  const every = Math.max(1, Math.ceil((longest * 7 + 6) / Math.max(1, slot)));
  data.labels.forEach((label, i) => {
    if (i % every !== 0) return;
    out.push(
      `<text x="${x(i).toFixed(1)}" y="${bottom + 16}" text-anchor="middle" font-size="11" fill="#5f6368">${esc(label)}</text>`,
    );
  });
  // Series.
  data.series.forEach((s, k) => {
    const colour = PALETTE[k % PALETTE.length];
    if (column) {
      const bw = (slot * 0.7) / data.series.length;
      s.values.forEach((v, i) => {
        if (v === null) return;
        const bx = left + slot * i + slot * 0.15 + bw * k;
        const top0 = Math.min(y(v), y(0));
        out.push(
          `<rect class="series" data-name="${esc(s.name)}" x="${bx.toFixed(1)}" y="${top0.toFixed(1)}" width="${Math.max(1, bw - 1).toFixed(1)}" height="${Math.abs(y(v) - y(0)).toFixed(1)}" fill="${colour}"/>`,
        );
      });
      return;
    }
    let d = '';
    let pen = false;
    s.values.forEach((v, i) => {
      if (v === null) {
        pen = false; // a blank is a gap, as in Sheets
        return;
      }
      d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)},${y(v).toFixed(1)}`;
      pen = true;
    });
    out.push(
      `<path class="series" data-name="${esc(s.name)}" d="${d}" fill="none" stroke="${colour}" stroke-width="2" stroke-linejoin="round"/>`,
    );
  });
  // Legend on the right, as many entries as fit.
  const lx = right + 16;
  const room = Math.max(1, Math.floor((bottom - top) / 18));
  const shown = data.series.length > room ? room - 1 : data.series.length;
  data.series.slice(0, shown).forEach((s, k) => {
    const ly = top + 8 + k * 18;
    const colour = PALETTE[k % PALETTE.length];
    out.push(
      column
        ? `<rect x="${lx}" y="${ly - 5}" width="10" height="10" fill="${colour}"/>`
        : `<line x1="${lx}" x2="${lx + 14}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/>`,
    );
    out.push(
      `<text class="legend" x="${lx + 20}" y="${ly}" dy="4" font-size="11" fill="#202124">${esc(s.name)}</text>`,
    );
  });
  if (shown < data.series.length)
    out.push(
      `<text class="legend-more" x="${lx + 20}" y="${top + 8 + shown * 18}" dy="4" font-size="11" fill="#5f6368">… +${data.series.length - shown}</text>`,
    );
  if (data.series.length === 0)
    out.push(
      `<text x="${(left + right) / 2}" y="${(top + bottom) / 2}" text-anchor="middle" font-size="13" fill="#5f6368">No data</text>`,
    );
  out.push('</svg>');
  return out.join('');
}

// ---- the sheet -------------------------------------------------------------------------------------

export const DEFAULT_COLUMN_WIDTH = 100;
export const ROW_HEIGHT = 21;
const MAX_ROWS = 300;
const MAX_COLS = 60;

export interface RenderedCell {
  /** The text the cell shows. */
  t: string;
  bg?: string;
  fg?: string;
  b?: 1;
  /** Horizontal alignment: l, c, r. */
  a?: 'l' | 'c' | 'r';
  /** Numeric value (numbers and dates) — right-aligned and never spilled. */
  n?: 1;
}

export interface RenderedChart {
  svg: string;
  title: string;
  /** Anchor cell, A1. */
  anchor: string;
  row: number;
  col: number;
  offsetX: number;
  offsetY: number;
  width: number;
  height: number;
  series: number;
}

export interface RenderedSheet {
  name: string;
  rows: number;
  cols: number;
  letters: string[];
  widths: number[];
  frozenRows: number;
  frozenCols: number;
  cells: RenderedCell[][];
  /** The cells' text alone (what the preview's JSON has always carried). */
  values: string[][];
  charts: RenderedChart[];
  /** Rows and columns of the sheet beyond what is drawn. */
  clipped: { rows: number; cols: number };
}

const isDateValue = (v: unknown): v is Date =>
  Object.prototype.toString.call(v) === '[object Date]';

const ALIGN: Record<string, RenderedCell['a']> = {
  left: 'l',
  center: 'c',
  centre: 'c',
  right: 'r',
};

/** One sheet of the runtime, drawn as Sheets would show it. */
export function renderSheet(rt: LocalRuntime, id: number): RenderedSheet {
  const wb = rt.wb;
  const tz = rt.env.timeZone;
  const meta = wb.sheetMeta(id);
  const extent = wb.extent(id);
  const charts = parseCharts(meta.charts);
  const width = (c: number) => meta.columnWidths.get(c) ?? DEFAULT_COLUMN_WIDTH;
  // Enough of the grid to hold the data and the charts, as far as the preview draws.
  let wantRows = Math.max(extent.rows, meta.frozenRows, 50);
  let wantCols = Math.max(extent.cols, meta.frozenCols, 26);
  for (const ch of charts) {
    wantRows = Math.max(wantRows, ch.row + Math.ceil((ch.offsetY + ch.height) / ROW_HEIGHT));
    let c = ch.col;
    for (let px = -ch.offsetX; px < ch.width; c++) px += width(c);
    wantCols = Math.max(wantCols, c);
  }
  const rows = Math.min(wantRows, MAX_ROWS);
  const cols = Math.min(wantCols, MAX_COLS);
  const values = wb.getValues(id, 1, 1, rows, cols);
  const fmt = (r: number, c: number) => meta.formats.get(`${r},${c}`);
  const ruleValue = (v: unknown) => (isDateValue(v) ? dateToSerial(v, tz) : v);

  const rowsOf = (sheet: string | undefined) => {
    const sid = sheet === undefined ? id : wb.sheetId(sheet);
    return sid === undefined ? DEFAULT_GRID_ROWS : wb.sheetMeta(sid).gridRows;
  };
  const numbersCache = new Map<Box[], number[]>();
  const ctx: RuleContext = {
    formula: (text) => {
      try {
        return wb.hf.calculateFormula(boundOpenRanges(text, rowsOf), id);
      } catch {
        return undefined;
      }
    },
    numbers: (boxes) => {
      let out = numbersCache.get(boxes);
      if (!out) {
        out = [];
        for (const b of boxes) {
          const r1 = Math.min(b.r1, extent.rows);
          const c1 = Math.min(b.c1, extent.cols);
          if (r1 < b.r0 || c1 < b.c0) continue;
          for (const line of wb.getValues(id, b.r0, b.c0, r1 - b.r0 + 1, c1 - b.c0 + 1))
            for (const v of line) {
              const x = ruleValue(v);
              if (typeof x === 'number' && Number.isFinite(x)) out.push(x);
            }
        }
        out.sort((a, b) => a - b);
        numbersCache.set(boxes, out);
      }
      return out;
    },
  };
  const rules = parseRules(meta.conditionalFormats);

  const cells: RenderedCell[][] = values.map((line, i) =>
    line.map((v, j) => {
      const r = i + 1;
      const c = j + 1;
      const f = fmt(r, c);
      const cell: RenderedCell = { t: formatValue(v, f?.numberFormat, tz) };
      const numeric = typeof v === 'number' || isDateValue(v);
      if (numeric) cell.n = 1;
      const cond =
        rules.length > 0
          ? conditionalFormat(rules, { row: r, col: c, value: ruleValue(v) }, ctx)
          : undefined;
      const bg = cond?.background ?? f?.background;
      if (bg) cell.bg = bg;
      const fg = cond?.fontColor ?? f?.fontColor;
      if (fg) cell.fg = fg;
      if (f?.fontWeight === 'bold') cell.b = 1;
      const align = ALIGN[(f?.horizontalAlignment ?? '').toLowerCase()];
      if (align) cell.a = align;
      else if (numeric) cell.a = 'r';
      else if (typeof v === 'boolean') cell.a = 'c';
      return cell;
    }),
  );

  const chartCell = (r: number, c: number): ChartCell => {
    const v = wb.getValues(id, r, c, 1, 1)[0][0];
    const f = fmt(r, c)?.numberFormat;
    return { value: ruleValue(v), text: formatValue(v, f, tz), format: f };
  };
  const rendered: RenderedChart[] = charts.map((spec) => {
    // Open-ended chart ranges stop at the sheet's last row / column with content.
    const boxes = spec.boxes.map((b) => ({
      ...b,
      r1: Math.min(b.r1, Math.max(b.r0, extent.rows)),
      c1: Math.min(b.c1, Math.max(b.c0, extent.cols)),
    }));
    const data = chartData(chartTable(boxes, chartCell), spec.transpose);
    return {
      svg: chartSvg(spec, data),
      title: spec.title,
      anchor: `${lettersOf(spec.col)}${spec.row}`,
      row: spec.row,
      col: spec.col,
      offsetX: spec.offsetX,
      offsetY: spec.offsetY,
      width: spec.width,
      height: spec.height,
      series: data.series.length,
    };
  });

  return {
    name: wb.sheetName(id),
    rows,
    cols,
    letters: Array.from({ length: cols }, (_, i) => lettersOf(i + 1)),
    widths: Array.from({ length: cols }, (_, i) => width(i + 1)),
    frozenRows: Math.min(meta.frozenRows, rows),
    frozenCols: Math.min(meta.frozenCols, cols),
    cells,
    values: cells.map((line) => line.map((c) => c.t)),
    charts: rendered,
    clipped: { rows: Math.max(0, extent.rows - rows), cols: Math.max(0, extent.cols - cols) },
  };
}

// ---- the page's grid ------------------------------------------------------------------------------

/** Styles of the grid (Sheets' look: Arial 10 pt, 21 px rows, grey headers and gridlines). */
export const GRID_CSS = `
#grid { flex: 1; overflow: auto; position: relative; background: #fff; --cell-font: Arial, "Noto Sans JP", "Noto Sans JP Variable", "Noto Sans CJK JP", sans-serif; }
#grid .canvas { position: relative; display: inline-block; min-width: 100%; }
#grid table.cells { border-collapse: separate; border-spacing: 0; table-layout: fixed; font-size: 13px; font-family: var(--cell-font); color: #000; }
#grid td, #grid th { height: ${ROW_HEIGHT}px; box-sizing: border-box; padding: 0 3px; line-height: ${ROW_HEIGHT - 1}px; white-space: nowrap; overflow: hidden; border-right: 1px solid #e2e3e3; border-bottom: 1px solid #e2e3e3; background: #fff; }
#grid td.r { text-align: right; } #grid td.c { text-align: center; } #grid td.l { text-align: left; }
#grid td.spill { overflow: visible; position: relative; z-index: 1; }
#grid td.spill > span { display: inline-block; overflow: hidden; vertical-align: top; }
#grid th { background: #f8f9fa; color: #5f6368; font-weight: normal; font-size: 11px; text-align: center; border-color: #c0c0c0; }
#grid thead th { position: sticky; top: 0; z-index: 4; }
#grid tbody th { position: sticky; left: 0; z-index: 3; }
#grid thead th.corner { left: 0; z-index: 5; }
#grid td.frozen, #grid th.frozen { position: sticky; z-index: 2; }
#grid th.frozen { z-index: 4; }
#grid tr.frozen-last > * { border-bottom: 3px solid #c0c0c0; }
#grid .chart-box { position: absolute; z-index: 6; box-shadow: 0 1px 3px rgba(60,64,67,.3); background: #fff; }
#grid .chart-box svg { display: block; }
#grid .chart-below { margin: 12px 46px; }
#grid .chart-below .caption { color: #5f6368; font-size: 12px; margin-bottom: 4px; }
#grid .clipped { color: #5f6368; font-size: 12px; padding: 6px 46px; }
`;

/**
 * The page's drawSheet(grid, sheet): the table of cells (each td carries data-a1), frozen rows
 * sticky, text spilling into empty cells on its right as in Sheets, charts over the grid at
 * their anchor cells (or below the grid, labelled, when the anchor is not drawn).
 */
export const GRID_SCRIPT = `<script>
function drawSheet(grid, sheet) {
  var keep = grid.dataset.sheet === sheet.name ? { top: grid.scrollTop, left: grid.scrollLeft } : null;
  grid.dataset.sheet = sheet.name;
  var measure = document.createElement('canvas').getContext('2d');
  var family = getComputedStyle(grid).getPropertyValue('--cell-font') || 'Arial, sans-serif';
  function textWidth(text, bold) { measure.font = (bold ? 'bold ' : '') + '13px ' + family; return measure.measureText(text).width; }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text !== undefined) e.textContent = text; return e; }
  var canvas = el('div', 'canvas');
  var table = el('table', 'cells');
  var colgroup = el('colgroup');
  var head = el('col'); head.style.width = '46px'; colgroup.appendChild(head);
  var total = 46;
  sheet.widths.forEach(function (w) { var c = el('col'); c.style.width = w + 'px'; colgroup.appendChild(c); total += w; });
  table.style.width = total + 'px';
  table.appendChild(colgroup);
  var thead = el('thead'); var hr = el('tr'); hr.appendChild(el('th', 'corner', ''));
  sheet.letters.forEach(function (l) { hr.appendChild(el('th', '', l)); });
  thead.appendChild(hr); table.appendChild(thead);
  var tbody = el('tbody');
  var trs = [];
  sheet.cells.forEach(function (row, r) {
    var tr = el('tr'); tr.appendChild(el('th', '', String(r + 1)));
    // Text (not numbers) runs on over the empty cells to its right; no gridline under it.
    var spans = row.map(function () { return 0; });
    var hideRight = row.map(function () { return false; });
    row.forEach(function (cell, c) {
      spans[c] = sheet.widths[c];
      if (cell.t === '' || cell.n || (cell.a || 'l') !== 'l') return;
      var need = textWidth(cell.t, cell.b) + 7;
      for (var k = c + 1; spans[c] < need && k < row.length && row[k].t === ''; k++) { spans[c] += sheet.widths[k]; hideRight[k - 1] = true; }
    });
    row.forEach(function (cell, c) {
      var td = el('td', cell.a || 'l');
      td.dataset.a1 = sheet.letters[c] + (r + 1);
      if (cell.bg) td.style.background = cell.bg;
      if (cell.fg) td.style.color = cell.fg;
      if (cell.b) td.style.fontWeight = 'bold';
      if (hideRight[c]) td.style.borderRightColor = 'transparent';
      if (cell.t !== '') {
        if (spans[c] > sheet.widths[c]) {
          td.classList.add('spill');
          var s = el('span', '', cell.t); s.style.width = (spans[c] - 7) + 'px'; td.appendChild(s);
        } else td.textContent = cell.t;
      }
      tr.appendChild(td);
    });
    tbody.appendChild(tr); trs.push(tr);
  });
  table.appendChild(tbody);
  canvas.appendChild(table);
  grid.replaceChildren(canvas);
  // Frozen rows stay under the column letters while the grid scrolls.
  for (var i = 0; i < sheet.frozenRows; i++) {
    var top = trs[i].offsetTop;
    Array.prototype.forEach.call(trs[i].children, function (cell) { cell.classList.add('frozen'); cell.style.top = top + 'px'; });
    if (i === sheet.frozenRows - 1) trs[i].classList.add('frozen-last');
  }
  if (sheet.frozenCols > 0) {
    trs.forEach(function (tr) {
      for (var j = 1; j <= sheet.frozenCols; j++) { var cell = tr.children[j]; cell.classList.add('frozen'); cell.style.left = cell.offsetLeft + 'px'; }
    });
  }
  if (sheet.clipped.rows > 0 || sheet.clipped.cols > 0)
    canvas.appendChild(el('div', 'clipped', 'The preview draws the first ' + sheet.rows + ' rows and ' + sheet.cols + ' columns.'));
  sheet.charts.forEach(function (ch) {
    var svg = new DOMParser().parseFromString(ch.svg, 'image/svg+xml').documentElement;
    var node = document.importNode(svg, true);
    var anchor = canvas.querySelector('td[data-a1="' + ch.anchor + '"]');
    var box;
    if (anchor) {
      box = el('div', 'chart-box');
      box.style.left = (anchor.offsetLeft + ch.offsetX) + 'px';
      box.style.top = (anchor.offsetTop + ch.offsetY) + 'px';
    } else {
      box = el('div', 'chart-below');
      box.appendChild(el('div', 'caption', 'Chart at ' + ch.anchor + ' (beyond the drawn grid)'));
    }
    box.dataset.anchor = ch.anchor;
    box.appendChild(node);
    canvas.appendChild(box);
  });
  if (keep) { grid.scrollTop = keep.top; grid.scrollLeft = keep.left; }
}
</script>`;
