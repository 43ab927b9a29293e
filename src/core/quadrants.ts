/**
 * The four-quadrant deal review: deals split by target company or not × buying temperature hot
 * or cold. Row: [target, temperature, deals, amount, won, win rate = won ÷ deals]. Rows in a fixed
 * order: target/hot, target/cold, non-target/hot, non-target/cold; then "(no temperature)" when
 * some deal has a blank temperature; then Total.
 */
import { TOTAL_LABEL } from './activity';
import type { Cell } from './cohort';
import type { DateReader } from './dates';
import { KpiError, shown } from './errors';
import { readNumber } from './numbers';

export const QUADRANT_HEADER: readonly string[] = [
  'target',
  'temperature',
  'deals',
  'amount',
  'won',
  'win rate',
];
export const TARGET = 'target';
export const NON_TARGET = 'non-target';
export const HOT = 'hot';
export const COLD = 'cold';
export const NO_TEMPERATURE = '(no temperature)';

/** Values of targets that mean a target company, and values that mean not one (normalised). */
const TARGET_WORDS: Readonly<Record<string, boolean>> = {
  yes: true,
  y: true,
  true: true,
  '1': true,
  target: true,
  対象: true,
  ターゲット: true,
  はい: true,
  '○': true,
  '◯': true,
  '●': true,
  no: false,
  n: false,
  false: false,
  '0': false,
  'non-target': false,
  'non target': false,
  対象外: false,
  ターゲット外: false,
  いいえ: false,
  '×': false,
  '': false,
};
const TARGET_CHOICES =
  'TRUE/FALSE, 1/0, yes/no, target/non-target, 対象/対象外, ターゲット/ターゲット外, はい/いいえ, ○/×';

/** Temperatures read as hot when hot_values is not given. */
export const DEFAULT_HOT: readonly string[] = [
  'hot',
  'high',
  'a',
  '高',
  '高い',
  'ホット',
  'hot lead',
];

/** The text a temperature (or a hot value) is compared by: NFKC, trimmed, lower case. */
export function normTemperature(v: unknown): string {
  if (v === '' || v === null || v === undefined) return '';
  return String(v).normalize('NFKC').trim().toLowerCase();
}

/**
 * The hot values: cells of a range (any shape) or one text, each split on commas and 、;
 * blanks skipped. Nothing given (or only blanks) → DEFAULT_HOT.
 */
export function hotSet(hotValues: unknown): Set<string> {
  const out = new Set<string>();
  const add = (v: unknown): void => {
    if (Array.isArray(v)) {
      for (const x of v) add(x);
      return;
    }
    for (const part of normTemperature(v).split(/[,、]/)) {
      const t = part.trim();
      if (t !== '') out.add(t);
    }
  };
  add(hotValues);
  return out.size > 0 ? out : new Set(DEFAULT_HOT);
}

/** A targets cell: true for a target company, false for not; throws for anything else. */
export function readTarget(v: unknown, row: number): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') {
    if (v === 1) return true;
    if (v === 0) return false;
  } else if (v === '' || v === null || v === undefined) {
    return false;
  } else if (typeof v === 'string') {
    const key = v.normalize('NFKC').trim().toLowerCase();
    const found = Object.prototype.hasOwnProperty.call(TARGET_WORDS, key)
      ? TARGET_WORDS[key]
      : undefined;
    if (found !== undefined) return found;
  }
  throw new KpiError('notTarget', {
    arg: 'targets',
    row,
    value: shown(v),
    choices: TARGET_CHOICES,
  });
}

/**
 * A won_dates cell: a date (Date cell, date text, serial) or TRUE → won; blank, FALSE, 0 or the
 * text TRUE/FALSE as written → as written; anything else throws naming won_dates, row, value.
 */
export function readWon(v: unknown, reader: DateReader, row: number): boolean {
  if (v === '' || v === null || v === undefined || v === false || v === 0) return false;
  if (v === true) return true;
  if (typeof v === 'string') {
    const t = v.normalize('NFKC').trim().toLowerCase();
    if (t === '' || t === 'false') return false;
    if (t === 'true') return true;
  }
  let day: number;
  try {
    day = reader.read(v, 'won_dates', row);
  } catch (e) {
    if (e instanceof KpiError) {
      throw new KpiError('notWon', { arg: 'won_dates', row, value: shown(v) });
    }
    throw e;
  }
  return !Number.isNaN(day);
}

export interface QuadrantOptions {
  /** Deal amounts, aligned with targets; undefined = no amount column ("" in the table). */
  amounts?: readonly unknown[];
  /** Won dates, aligned; undefined = no won column ("" for won and win rate). */
  wonDates?: readonly unknown[];
  /** Reads won_dates' date cells (the sheet's zone and date order); required with wonDates. */
  wonReader?: DateReader;
  /** The hot_values argument as given (range, text or undefined). */
  hotValues?: unknown;
}

const isBlankText = (v: unknown): boolean =>
  v === '' || v === null || v === undefined || (typeof v === 'string' && v.trim() === '');

/** Buckets: 0 target/hot, 1 target/cold, 2 non-target/hot, 3 non-target/cold, 4 no temperature. */
const LABELS: readonly (readonly [string, string])[] = [
  [TARGET, HOT],
  [TARGET, COLD],
  [NON_TARGET, HOT],
  [NON_TARGET, COLD],
  [NO_TEMPERATURE, ''],
];

/** A temperature's bucket part: blank (no temperature), hot or cold. */
const BLANK_TEMP = 0;
const HOT_TEMP = 1;
const COLD_TEMP = 2;

/** What a temperature cell reads as: blank, else hot or cold (by normTemperature ∈ hot). */
function temperatureOf(temp: unknown, hot: Set<string>): number {
  if (isBlankText(temp)) return BLANK_TEMP;
  return hot.has(normTemperature(temp)) ? HOT_TEMP : COLD_TEMP;
}

/**
 * The loop over the rows: deals, amount (and whether any), won per bucket. Arrays, the reader,
 * the set and maps as plain arguments, no options object: an object a call builds has a new
 * hidden class after every full GC, and a loop reading its properties was compiled from the
 * third cold call on with stale feedback and sent back to the interpreter at the first read
 * (see judgeRows in prospect.ts).
 *
 * Sheets repeat a few spellings: each distinct text is read once (the maps), and the last two
 * distinct texts of each column are compared first (===, by content: a map hashes every fresh
 * string it is asked about).
 */
function countRows(
  n: number,
  targets: readonly unknown[],
  temperatures: readonly unknown[],
  amounts: readonly unknown[] | undefined,
  wonDates: readonly unknown[] | undefined,
  wonReader: DateReader | undefined,
  hot: Set<string>,
  targetOf: Map<string, boolean>,
  tempOf: Map<string | number, number>,
  deals: Float64Array,
  amount: Float64Array,
  hasAmount: Uint8Array,
  won: Float64Array,
): void {
  let t0: string | undefined;
  let t0Target = false;
  let t1: string | undefined;
  let t1Target = false;
  let h0: string | undefined;
  let h0Temp = 0;
  let h1: string | undefined;
  let h1Temp = 0;
  for (let i = 0; i < n; i++) {
    const t = targets[i];
    const temp = temperatures[i];
    let tempIs: number;
    if (temp === '') tempIs = BLANK_TEMP;
    else if (typeof temp === 'string') {
      if (temp === h0) tempIs = h0Temp;
      else if (temp === h1) tempIs = h1Temp;
      else {
        const known = tempOf.get(temp);
        if (known !== undefined) tempIs = known;
        else {
          tempIs = temperatureOf(temp, hot);
          tempOf.set(temp, tempIs);
        }
        h1 = h0;
        h1Temp = h0Temp;
        h0 = temp;
        h0Temp = tempIs;
      }
    } else if (typeof temp === 'number') {
      const known = tempOf.get(temp);
      if (known !== undefined) tempIs = known;
      else {
        tempIs = temperatureOf(temp, hot);
        tempOf.set(temp, tempIs);
      }
    } else {
      tempIs = temperatureOf(temp, hot);
    }
    const noTemp = tempIs === BLANK_TEMP;
    if (noTemp && isBlankText(t)) continue; // not a deal
    // Nor is an unticked checkbox (FALSE) with nothing else on its row: a checkbox column runs
    // on below the data.
    if (
      noTemp &&
      t === false &&
      isBlankText(amounts?.[i]) &&
      (wonDates === undefined || isBlankText(wonDates[i]) || wonDates[i] === false)
    )
      continue;
    let isTarget: boolean;
    if (typeof t === 'string') {
      if (t === t0) isTarget = t0Target;
      else if (t === t1) isTarget = t1Target;
      else {
        const known = targetOf.get(t);
        if (known !== undefined) isTarget = known;
        else {
          isTarget = readTarget(t, i + 1);
          targetOf.set(t, isTarget);
        }
        t1 = t0;
        t1Target = t0Target;
        t0 = t;
        t0Target = isTarget;
      }
    } else {
      isTarget = readTarget(t, i + 1);
    }
    const b = noTemp ? 4 : (isTarget ? 0 : 2) + (tempIs === HOT_TEMP ? 0 : 1);
    deals[b]++;
    if (amounts) {
      const a = readNumber(amounts[i], 'amounts', i + 1);
      if (!Number.isNaN(a)) {
        amount[b] += a;
        hasAmount[b] = 1;
      }
    }
    if (wonDates && wonReader && readWon(wonDates[i], wonReader, i + 1)) won[b]++;
  }
}

export function dealQuadrants(
  targets: readonly unknown[],
  temperatures: readonly unknown[],
  opts: QuadrantOptions = {},
): Cell[][] {
  // The options are read here, once: the loop gets what it needs as arguments.
  const amounts = opts.amounts;
  const wonDates = opts.wonDates;
  const wonReader = opts.wonReader;
  if (wonDates && !wonReader) throw new Error('dealQuadrants: wonDates needs a wonReader');
  const hot = hotSet(opts.hotValues);
  const n = Math.min(targets.length, temperatures.length);
  const deals = new Float64Array(5);
  const amount = new Float64Array(5);
  const hasAmount = new Uint8Array(5);
  const won = new Float64Array(5);
  countRows(
    n,
    targets,
    temperatures,
    amounts,
    wonDates,
    wonReader,
    hot,
    new Map(),
    new Map(),
    deals,
    amount,
    hasAmount,
    won,
  );

  const finite = (x: number): Cell => (Number.isFinite(x) ? x : '');
  const row = (a: string, b: string, d: number, amt: number, any: boolean, w: number): Cell[] => [
    a,
    b,
    d,
    amounts && any ? finite(amt) : '',
    wonDates ? w : '',
    wonDates && d > 0 ? w / d : '',
  ];
  const out: Cell[][] = [QUADRANT_HEADER.slice()];
  let totalDeals = 0;
  let totalAmount = 0;
  let totalAny = false;
  let totalWon = 0;
  for (let b = 0; b < 5; b++) {
    totalDeals += deals[b];
    totalAmount += amount[b];
    totalAny ||= hasAmount[b] === 1;
    totalWon += won[b];
    if (b === 4 && deals[b] === 0) continue;
    out.push(row(LABELS[b][0], LABELS[b][1], deals[b], amount[b], hasAmount[b] === 1, won[b]));
  }
  out.push(row(TOTAL_LABEL, '', totalDeals, totalAmount, totalAny, totalWon));
  return out;
}
