/**
 * Reading date cells: text dates (year first, or year last in a column's day/month order), the
 * locale's order, Date cells the spreadsheet misread, serial numbers.
 */
import { hasOwn } from '../args';
import { KpiError, shown } from '../errors';
import {
  DAY_MS,
  daysFromCivil,
  daysInMonth,
  isoDay,
  localOfSerial,
  MAX_LOCAL,
  MAX_SERIAL,
  MAX_YEAR,
  MIN_LOCAL,
  MIN_YEAR,
  yearMonthOfDay,
} from './civil';
import type { ZoneClock } from './zone';

/** Optional time after a date: `19:58`, `7:05 PM`, `19:58:00.123`; then an optional zone. */
const TIME_TAIL =
  '(?:,?\\s+|,|T)(\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.\\d+)?)?(?:\\s*([AP])\\.?M\\.?)?';
const ZONE_TAIL = '\\s*(Z|[+-]\\d{2}:?\\d{2})?$';

/** Year first, always y-m-d: groups y, m, d, then time h, mi, s, meridiem, zone (4–8). */
const TEXT_DATE = new RegExp(
  `^(\\d{4})\\s*[-/.年]\\s*(\\d{1,2})\\s*[-/.月]\\s*(\\d{1,2})\\s*日?(?:${TIME_TAIL})?${ZONE_TAIL}`,
  'i',
);

/**
 * Year last, one separator throughout (`20/10/2017`, `10-20-2016`, `20.10.2017`): groups first
 * part, separator, second part, y, then time h, mi, s, meridiem, zone (5–9).
 */
const DM_TEXT = new RegExp(
  `^(\\d{1,2})\\s*([-/.])\\s*(\\d{1,2})\\s*\\2\\s*(\\d{4})(?:${TIME_TAIL})?${ZONE_TAIL}`,
  'i',
);

/**
 * The order of day and month in text whose year comes last: `'dmy'` reads `01/02/2018` as
 * 1 February, `'mdy'` as 2 January. Text with a 4-digit year first is always y-m-d.
 */
export type DateOrder = 'dmy' | 'mdy';

/**
 * Sheets locales (and bare languages) whose short date (CLDR, `dateStyle: 'short'`) is month
 * first, plus locales that write dates year first (en_CA, en_ZA, fr_CA, and most languages in
 * MDY_LANGS): Sheets shows those as y/m/d, so text that is *not* year first in such a sheet most
 * likely came from a US system and is read month first. `es_US` is month first here although
 * current CLDR writes d/M/y, because US data pasted into Sheets is overwhelmingly M/D/Y. A full
 * tag wins over its language.
 */
const TAG_ORDER: Readonly<Record<string, DateOrder>> = {
  en: 'mdy', // CLDR's bare "en" is US English
  en_us: 'mdy',
  en_as: 'mdy',
  en_gu: 'mdy',
  en_mh: 'mdy',
  en_mp: 'mdy',
  en_ph: 'mdy',
  en_pr: 'mdy',
  en_um: 'mdy',
  en_vi: 'mdy',
  es_us: 'mdy',
  es_pa: 'mdy',
  es_pr: 'mdy',
  en_ca: 'mdy', // year first in CLDR (y-MM-dd); M/D/Y is the common alternative in Canada
  en_za: 'mdy', // year first (y/MM/dd)
  fr_ca: 'mdy', // year first (y-MM-dd)
  sv_fi: 'dmy', // Swedish is year first, except in Finland
  zh_hk: 'dmy', // Chinese is year first, except in Hong Kong, Macau and Singapore
  zh_mo: 'dmy',
  zh_sg: 'dmy',
};

/** Languages whose short dates are month first (fil, tl, zu) or year first (the rest). */
const MDY_LANGS: ReadonlySet<string> = new Set([
  'fil',
  'tl',
  'ja',
  'zh',
  'ko',
  'hu',
  'lt',
  'mn',
  'sv',
  'eu',
  'af',
  'si',
  'zu',
  'ne',
  'fa',
  'ps',
]);

/**
 * The day/month order of a spreadsheet locale (`en_US`, `en_GB`, `ja_JP`, `pt_BR`, `en-US`,
 * `en` …), used for text dates whose year comes last.
 * - Month first (`'mdy'`): en_US (and bare `en`), the other US-style English locales (en_PH,
 *   en_PR, en_GU …), es_US, es_PA, es_PR, fil, zu.
 * - Year-first locales — ja, zh (not zh_HK/zh_MO/zh_SG), ko, hu, lt, mn, sv (not sv_FI), eu,
 *   af, fa, en_CA, en_ZA, fr_CA … — write y/m/d; text in them that is not year first is read
 *   month first (`'mdy'`). en_CA is therefore `'mdy'`.
 * - Everything else, and an empty or unknown locale: day first (`'dmy'`).
 * Year-first text (`2017/10/20`) is y-m-d whatever this returns.
 */
export function localeDateOrder(locale: string): DateOrder {
  if (typeof locale !== 'string') return 'dmy';
  const tag = locale.trim().toLowerCase().replace(/-/g, '_');
  const parts = tag.split('_');
  const lang = parts[0];
  // zh_Hant_TW and the like: language + region, script dropped.
  const short = parts.length > 1 ? `${lang}_${parts[parts.length - 1]}` : lang;
  if (hasOwn(TAG_ORDER, short)) return TAG_ORDER[short];
  return MDY_LANGS.has(lang) ? 'mdy' : 'dmy';
}

/** Trimmed text with full-width digits and punctuation made ASCII; '' when over 40 chars. */
function prepare(text: string): string {
  let s = text.trim();
  if (s.length > 40) return '';
  // Full-width digits and punctuation (２０２５／４／１) → ASCII; cheap test first.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: range test for non-ASCII
  if (/[^\u0000-\u007f]/.test(s)) s = s.normalize('NFKC');
  return s;
}

/**
 * Wall-clock ms of a date and the time groups of `m` starting at index `t` (h, mi, s,
 * meridiem), or NaN if any part is out of range.
 */
function wallOf(y: number, mo: number, d: number, m: RegExpExecArray, t: number): number {
  if (y < MIN_YEAR || y > MAX_YEAR || mo < 1 || mo > 12 || d < 1) return Number.NaN;
  if (d > daysInMonth(y, mo)) return Number.NaN;
  let h = m[t] ? +m[t] : 0;
  const mi = m[t + 1] ? +m[t + 1] : 0;
  const sec = m[t + 2] ? +m[t + 2] : 0;
  const meridiem = m[t + 3];
  if (meridiem) {
    // 12-hour clock: 1–12; 12 AM is midnight, 12 PM noon.
    if (h < 1 || h > 12) return Number.NaN;
    h = (h % 12) + (meridiem === 'P' || meridiem === 'p' ? 12 : 0);
  }
  if (h > 23 || mi > 59 || sec > 59) return Number.NaN;
  return (daysFromCivil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec) * 1000;
}

/** 1: can only be read day first; 2: only month first; 0: ambiguous, the same either way, or
 * not a readable year-last date. */
function onlyOrder(m: RegExpExecArray): 0 | 1 | 2 {
  const a = +m[1];
  const b = +m[3];
  const y = +m[4];
  if (a > 12 && b <= 12) return Number.isNaN(wallOf(y, b, a, m, 5)) ? 0 : 1;
  if (b > 12 && a <= 12) return Number.isNaN(wallOf(y, a, b, m, 5)) ? 0 : 2;
  return 0;
}

export interface ColumnDateOrder {
  order: DateOrder;
  /** 'data': some text in the column can only be read one way; 'locale': the fallback. */
  decidedBy: 'data' | 'locale';
  /** A cell that decided it (as written), when decided by data. */
  example?: string;
  /** Set when the column holds text that can only be read day first *and* text that can only
   * be read month first: one example of each. */
  conflict?: { dmy: string; mdy: string };
  /** What the column's Date cells say, when judged (a clock given): see DateCellVerdict. */
  dates?: DateCellVerdict;
}

/**
 * The column's Date cells judged against its text (issue 21, "What users' data looks like in
 * Sheets"): a CSV of day-first dates imported into a month-first spreadsheet becomes a column of
 * Date cells, each `01/02/2018` read as 2 January, beside text the locale could not read
 * (`20/10/2017`). `day` and `month` below are the Date cell's own, in the sheet's zone.
 * - 'swapped': the text says the column is written in the other order than the locale's (and
 *   nothing contradicts it), and every Date cell has a day ≤ 12 — each could be such a misread,
 *   none is a date the locale read correctly from a day > 12. Their day and month are swapped
 *   back. `count` cells change (day ≠ month); `example` is one as stored and as read.
 * - 'mixed': the text says the other order, but some Date cells have a day > 12, which no misread
 *   of that text gives: the Date cells are not all misreads and nothing tells which are. They
 *   are read as stored; `count` of them (day ≤ 12, day ≠ month) may be misread.
 * - 'unverified': no text tells the order, and every Date cell has a day ≤ 12: nothing in the
 *   column can show a misread. The cells are read as stored (the spreadsheet's locale read them);
 *   `count` (day ≠ month) would change under the other order.
 * A column whose text order is the locale's, or with a day > 12 among Date cells and no text
 * saying otherwise, gets no verdict: its Date cells are what the locale made of them.
 */
export type DateCellVerdict =
  | {
      kind: 'swapped';
      count: number;
      /** The column's text order (the other than the locale's). */
      order: DateOrder;
      /** One Date cell changed: local day as stored and as read (ISO), its index in the column. */
      example: { index: number; stored: string; read: string };
      /** The text that decided the order. */
      evidence: string;
    }
  | { kind: 'mixed'; count: number; order: DateOrder; evidence: string; high: string }
  | { kind: 'unverified'; count: number; order: DateOrder };

/** Day of month and month (1–12) of a local ms value. */
function dayMonthOf(local: number): { day: number; y: number; m: number; d: number } {
  const day = Math.floor(local / DAY_MS);
  const { y, m } = yearMonthOfDay(day);
  return { day, y, m, d: day - daysFromCivil(y, m, 1) + 1 };
}

/** The local ms of a Date cell (NaN when not a usable date). */
function localOfDate(v: unknown, clock: ZoneClock): number {
  if (typeof v !== 'object' || v === null || !isDateObject(v)) return Number.NaN;
  const t = Date.prototype.getTime.call(v);
  return Number.isNaN(t) ? Number.NaN : clock.toLocal(t);
}

/**
 * Whether a cell is a Date whose day and month could be swapped into another date (day ≤ 12,
 * day ≠ month, in the sheet's zone): the cells a DateCellVerdict counts.
 */
export function swappableDate(v: unknown, clock: ZoneClock): boolean {
  const local = localOfDate(v, clock);
  if (Number.isNaN(local)) return false;
  const { d, m } = dayMonthOf(local);
  return d <= 12 && d !== m;
}

/** Day and month swapped (a day ≤ 12 only), the time of day kept. */
function swapDayMonth(local: number): number {
  const { day, y, m, d } = dayMonthOf(local);
  if (d > 12 || d === m) return local;
  return local + (daysFromCivil(y, d, m) - day) * DAY_MS;
}

/** Judges a column's Date cells against the order its text shows (see DateCellVerdict). */
function judgeDates(
  values: readonly unknown[],
  text: ColumnDateOrder,
  locale: DateOrder,
  clock: ZoneClock,
): DateCellVerdict | undefined {
  if (text.conflict) return undefined; // the text itself disagrees: the notes already say so
  const other = text.decidedBy === 'data' && text.order !== locale;
  if (text.decidedBy === 'data' && !other) return undefined;
  let count = 0;
  let first = -1;
  let high = '';
  for (let i = 0; i < values.length; i++) {
    const local = localOfDate(values[i], clock);
    if (Number.isNaN(local)) continue;
    const { d, m, day } = dayMonthOf(local);
    if (d > 12) {
      high = isoDay(day);
      if (!other) return undefined; // a date the locale read from a day > 12: nothing to doubt
      continue;
    }
    if (d !== m && count++ === 0) first = i;
  }
  if (count === 0) return undefined;
  if (!other) return { kind: 'unverified', count, order: locale };
  const evidence = text.example ?? '';
  if (high) return { kind: 'mixed', count, order: text.order, evidence, high };
  const stored = localOfDate(values[first], clock);
  return {
    kind: 'swapped',
    count,
    order: text.order,
    example: {
      index: first,
      stored: isoDay(Math.floor(stored / DAY_MS)),
      read: isoDay(Math.floor(swapDayMonth(stored) / DAY_MS)),
    },
    evidence,
  };
}

/**
 * Decides how to read the year-last text dates of one column. Text such as `20/10/2017` (first
 * part > 12) can only be day first, `10/20/2016` only month first. One kind alone decides;
 * neither → `fallback` (the locale's order); both → the kind with more such cells (the fallback
 * on a tie) and `conflict` names one of each. Invalid dates (`31/04/2017`) are no evidence.
 *
 * With the sheet's `clock`, the column's Date cells are judged too (`dates`, see
 * DateCellVerdict): a DateReader given this result swaps day and month back in Date cells that
 * the spreadsheet misread ('swapped'). `fallback` must then be the spreadsheet locale's order.
 * Without a clock only strings are looked at, as before.
 */
export function columnDateOrder(
  values: readonly unknown[],
  fallback: DateOrder,
  clock?: ZoneClock,
): ColumnDateOrder {
  let dmy = 0;
  let mdy = 0;
  let dmyExample = '';
  let mdyExample = '';
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'string' || v.length < 8) continue; // shortest: 1/1/2017
    const m = DM_TEXT.exec(prepare(v));
    if (m === null) continue;
    const kind = onlyOrder(m);
    if (kind === 1) {
      if (dmy++ === 0) dmyExample = v;
    } else if (kind === 2) {
      if (mdy++ === 0) mdyExample = v;
    }
  }
  let out: ColumnDateOrder;
  if (dmy === 0 && mdy === 0) out = { order: fallback, decidedBy: 'locale' };
  else {
    const order: DateOrder = dmy > mdy ? 'dmy' : mdy > dmy ? 'mdy' : fallback;
    out = { order, decidedBy: 'data', example: order === 'dmy' ? dmyExample : mdyExample };
    if (dmy > 0 && mdy > 0) out.conflict = { dmy: dmyExample, mdy: mdyExample };
  }
  if (clock) {
    const dates = judgeDates(values, out, fallback, clock);
    if (dates) out.dates = dates;
  }
  return out;
}

const isDateObject = (v: object): v is Date =>
  v instanceof Date || Object.prototype.toString.call(v) === '[object Date]';

/**
 * Reads date cells into local ms. Blank → NaN. Anything else that is not a date throws a
 * KpiError naming the argument, the 1-based row and the value.
 */
export class DateReader {
  /** The order for ambiguous year-last text; undefined: not a date, or not decided yet. */
  private ambiguous: DateOrder | undefined;
  private decide: (() => DateOrder | ColumnDateOrder) | undefined;
  private judged: ColumnDateOrder | undefined;
  /** Date cells are misreads of the other order: swap day and month back (day ≤ 12). */
  private swap = false;

  /**
   * @param order how to read year-last text whose day and month could be swapped (`01/02/2018`):
   *   a DateOrder, a ColumnDateOrder (columnDateOrder's result for the column: with a 'swapped'
   *   verdict, Date cells are read with day and month swapped back), or a function giving either,
   *   called once when the first such text or the first Date cell is met (so a column that needs
   *   neither never pays for a scan). Without it such text is not a date, as before orders
   *   existed. Text that can be read only one way (`20/10/2017`, `10/20/2016`) or reads the
   *   same both ways (`05/05/2017`) is read whatever the order.
   */
  constructor(
    readonly clock: ZoneClock,
    order?: DateOrder | ColumnDateOrder | (() => DateOrder | ColumnDateOrder),
  ) {
    if (typeof order === 'function') this.decide = order;
    else this.settle(order);
  }

  private settle(order: DateOrder | ColumnDateOrder | undefined): void {
    if (typeof order === 'object') {
      this.judged = order;
      this.ambiguous = order.order;
      this.swap = order.dates?.kind === 'swapped';
    } else this.ambiguous = order;
  }

  private resolve(): void {
    if (this.decide === undefined) return;
    const decide = this.decide;
    this.decide = undefined;
    this.settle(decide());
  }

  /** The column's judged order and Date-cell verdict, when the reader was given one. */
  column(): ColumnDateOrder | undefined {
    this.resolve();
    return this.judged;
  }

  read(v: unknown, arg: string, row: number): number {
    if (typeof v === 'object' && v !== null && isDateObject(v)) {
      const t = Date.prototype.getTime.call(v);
      if (!Number.isNaN(t)) {
        if (this.decide !== undefined) this.resolve();
        let local = this.clock.toLocal(t);
        if (this.swap) local = swapDayMonth(local);
        if (local >= MIN_LOCAL && local <= MAX_LOCAL) return local;
      }
      throw new KpiError('notDate', { arg, row, value: shown(v) });
    }
    if (v === '' || v === null || v === undefined) return Number.NaN;
    if (typeof v === 'number') {
      if (v >= 1 && v <= MAX_SERIAL + 1) return localOfSerial(v);
      throw new KpiError('notDate', { arg, row, value: shown(v) });
    }
    if (typeof v === 'string') {
      const local = this.parseText(v);
      if (!Number.isNaN(local)) return local;
      if (v.trim() === '') return Number.NaN;
    }
    throw new KpiError('notDate', { arg, row, value: shown(v) });
  }

  /**
   * Year first: `2025-04-01`, `2025/4/1`, `2025年4月1日`, `2025.4.1`. Year last, by the order:
   * `20/10/2017`, `10/20/2016`, `20.10.2017`, `01-02-2018`. Either with an optional time
   * (`19:58`, `19:58:00.5`, `7:05 PM`, `2017-10-20T19:58`) and an optional zone (`Z`, `+09:00`),
   * which makes the text an instant converted to the sheet's zone. At most 40 characters after
   * trimming. NaN if not a date.
   */
  parseText(text: string): number {
    const s = prepare(text);
    let m = TEXT_DATE.exec(s);
    let wall: number;
    let zone: string | undefined;
    if (m !== null) {
      wall = wallOf(+m[1], +m[2], +m[3], m, 4);
      zone = m[8];
    } else {
      m = DM_TEXT.exec(s);
      if (m === null) return Number.NaN;
      const a = +m[1];
      const b = +m[3];
      let dayFirst: boolean;
      if (a > 12 || a === b) dayFirst = true;
      else if (b > 12) dayFirst = false;
      else {
        // 01/02/2018: ambiguous.
        if (this.decide !== undefined) this.resolve();
        if (this.ambiguous === undefined) return Number.NaN;
        dayFirst = this.ambiguous === 'dmy';
      }
      wall = dayFirst ? wallOf(+m[4], b, a, m, 5) : wallOf(+m[4], a, b, m, 5);
      zone = m[9];
    }
    if (!zone || Number.isNaN(wall)) return wall;
    if (zone === 'Z' || zone === 'z') return this.clock.toLocal(wall);
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offset = sign * (+digits.slice(0, 2) * 60 + +digits.slice(2)) * 60_000;
    return this.clock.toLocal(wall - offset);
  }
}
