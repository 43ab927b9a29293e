/**
 * What Sheets stores for a text typed, pasted or imported from CSV into a spreadsheet of a given
 * locale: the Sheets API calls it USER_ENTERED.
 *
 * The only word Google gives (documented), https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption :
 *   "USER_ENTERED: The values will be parsed as if the user typed them into the UI. Numbers will
 *   stay as numbers, but strings may be converted to numbers, dates, etc. following the same rules
 *   that are applied when entering text into a cell via the Google Sheets UI."
 * Those rules are not published, per locale or otherwise. Every rule below is therefore tagged:
 *   *documented* — Google says so;
 *   *reported*   — public reports of real Sheets behaviour say so (cited);
 *   *assumed*    — our reading, to be checked on a real spreadsheet (issue 21's self-check). Every
 *                  per-locale detail (separators, date orders, currency symbols) is assumed.
 *
 * Dates are stored as Sheets stores them (documented, https://developers.google.com/sheets/api/guides/formats :
 * "the whole number portion of the value (left of the decimal) counts the days since
 * December 30th 1899. The fractional portion (right of the decimal) counts the time as a fraction
 * of one day"): a wall-clock serial, with a date format so that a script reads a Date back.
 */
import Papa from 'papaparse';
import { daysFromCivil, daysInMonth, localeDateOrder } from '../src/core/dates';

/** Days from Sheets' serial epoch (1899-12-30) to 1970-01-01. */
const SERIAL_EPOCH_DAYS = 25_569;

/** What one cell holds after USER_ENTERED parsing. */
export type EnteredCell =
  | { kind: 'blank' }
  | { kind: 'text'; value: string }
  | { kind: 'number'; value: number; format?: string }
  | { kind: 'boolean'; value: boolean }
  /** A date, a time or a date-time: its wall-clock serial and the date/time format Sheets gives it. */
  | { kind: 'date'; value: number; format: string }
  | { kind: 'formula'; formula: string };

interface LocaleRules {
  lang: string;
  decimal: string;
  /** Grouping separators accepted between thousands. */
  groups: string[];
  /** Separators of a date written with numbers only. */
  dateSeparators: string[];
  order: 'dmy' | 'mdy';
  currency?: { symbols: string[]; place: 'before' | 'after'; format: (decimals: number) => string };
}

const zeros = (n: number) => (n > 0 ? `.${'0'.repeat(n)}` : '');

/**
 * The currency symbol of a spreadsheet locale and where it goes (*assumed*: Sheets formats a
 * locale's currency this way — `$` en_US, `£` en_GB, `¥` ja_JP, `€` after the amount in de_DE,
 * `R$` pt_BR — and is assumed to read it back when typed; a foreign symbol stays text). ja_JP
 * takes the full-width `￥` too, which Japanese IMEs type.
 */
const CURRENCY: Record<string, LocaleRules['currency']> = {
  en_US: { symbols: ['$'], place: 'before', format: (d) => `$#,##0${zeros(d)}` },
  en_GB: { symbols: ['£'], place: 'before', format: (d) => `£#,##0${zeros(d)}` },
  ja_JP: { symbols: ['¥', '￥'], place: 'before', format: (d) => `¥#,##0${zeros(d)}` },
  de_DE: { symbols: ['€'], place: 'after', format: (d) => `#,##0${zeros(d)} [$€]` },
  pt_BR: { symbols: ['R$'], place: 'before', format: (d) => `[$R$] #,##0${zeros(d)}` },
};

const rulesCache = new Map<string, LocaleRules>();

/**
 * Separators of a locale, from CLDR through Intl (*assumed*: Sheets uses the same CLDR data):
 * en_US, en_GB, ja_JP write `1,234.5`; de_DE, pt_BR `1.234,5`. A space-like group separator
 * (fr_FR's narrow no-break space) also accepts an ordinary space.
 */
function rulesOf(locale: string): LocaleRules {
  const key = String(locale || 'en_US');
  const cached = rulesCache.get(key);
  if (cached) return cached;
  const tag = key.replace(/_/g, '-');
  let decimal = '.';
  let group = ',';
  let dateSep = '/';
  try {
    for (const p of new Intl.NumberFormat(tag).formatToParts(12_345.6)) {
      if (p.type === 'decimal') decimal = p.value;
      if (p.type === 'group') group = p.value;
    }
    const lit = new Intl.DateTimeFormat(tag, { year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(new Date(Date.UTC(2017, 9, 20)))
      .find((p) => p.type === 'literal');
    if (lit && /^[./-]$/.test(lit.value.trim())) dateSep = lit.value.trim();
  } catch {
    // an unknown tag: en_US's separators
  }
  const groups = /\s/.test(group) ? [group, ' ', '\u00a0', '\u202f'] : [group];
  const rules: LocaleRules = {
    lang: key.split(/[_-]/)[0].toLowerCase(),
    decimal,
    groups: [...new Set(groups)],
    dateSeparators: [...new Set(['/', '-', dateSep])],
    order: localeDateOrder(key),
    currency: CURRENCY[key],
  };
  rulesCache.set(key, rules);
  return rules;
}

const reEscape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * A plain number as the locale writes it: optional sign, digits with or without the locale's
 * grouping (groups of three), the locale's decimal separator, an optional exponent.
 * `{ value, decimals, grouped, exponent }` or null.
 */
function readNumber(
  s: string,
  r: LocaleRules,
): { value: number; decimals: number; grouped: boolean; exponent: boolean } | null {
  const dec = reEscape(r.decimal);
  const grp = r.groups.map(reEscape).join('|');
  const re = new RegExp(
    `^([+-]?)(?:(\\d+)|(\\d{1,3}(?:(?:${grp})\\d{3})+))?(?:${dec}(\\d+))?(?:[eE]([+-]?\\d{1,3}))?$`,
  );
  const m = re.exec(s);
  if (m === null) return null;
  const [, sign, plain, grouped, frac, exp] = m;
  // Digits are needed somewhere (`-`, `e5` alone are text).
  if (plain === undefined && grouped === undefined && frac === undefined) return null;
  const intDigits = plain ?? (grouped ? grouped.replace(/\D/g, '') : '0');
  const value = Number(`${sign}${intDigits}.${frac ?? '0'}e${exp ?? '0'}`);
  if (!Number.isFinite(value)) return null;
  return {
    value: Object.is(value, -0) ? 0 : value,
    decimals: frac ? frac.length : 0,
    grouped: grouped !== undefined,
    exponent: exp !== undefined,
  };
}

/** A time `9:30`, `09:30:15`, `9:30:15.250`, `9:30 PM`: the fraction of a day, or NaN. */
function readTime(s: string): { fraction: number; seconds: boolean; meridiem: boolean } | null {
  const m = /^(\d{1,2}):(\d{2})(?::(\d{2})(\.\d{1,3})?)?(?:\s*([AaPp])\.?[Mm]\.?)?$/.exec(s);
  if (m === null) return null;
  let h = +m[1];
  const mi = +m[2];
  const sec = m[3] ? +m[3] + (m[4] ? +m[4] : 0) : 0;
  if (m[5]) {
    // 12-hour clock: 12 AM is midnight, 12 PM noon.
    if (h < 1 || h > 12) return null;
    h = (h % 12) + (/p/i.test(m[5]) ? 12 : 0);
  }
  // *assumed*: 24:00 and more is a duration in Sheets; not modelled, so such text stays text.
  if (h > 23 || mi > 59 || sec >= 60) return null;
  return { fraction: (h * 3600 + mi * 60 + sec) / 86_400, seconds: !!m[3], meridiem: !!m[5] };
}

/**
 * Two-digit years (*assumed*, the window Excel documents: 00–29 → 2000–2029, 30–99 → 1930–1999;
 * *reported* for Sheets by fileverse/fileverse-dsheets#446, "UK date parity with GSheets …
 * Excel-style two-digit year windows").
 */
const fullYear = (y: string): number => (y.length === 4 ? +y : +y < 30 ? 2000 + +y : 1900 + +y);

/** Serial of a calendar date, or NaN when it does not exist (month 13, 31 February …). */
function serialOf(y: number, m: number, d: number): number {
  if (y < 1000 || y > 9999 || m < 1 || m > 12 || d < 1 || d > daysInMonth(y, m)) return Number.NaN;
  return daysFromCivil(y, m, d) + SERIAL_EPOCH_DAYS;
}

const timeFormat = (t: { seconds: boolean; meridiem: boolean }) =>
  `h:mm${t.seconds ? ':ss' : ''}${t.meridiem ? ' am/pm' : ''}`;

/** A date, with an optional time after a space. */
function readDate(s: string, r: LocaleRules): EnteredCell | null {
  const [datePart, ...rest] = s.split(/\s+/);
  const timeText = rest.join(' ');
  const time = timeText === '' ? null : readTime(timeText);
  if (timeText !== '' && time === null) return null;
  let serial = Number.NaN;
  let format = '';
  // Year first, in every locale: ISO `2025-01-31` (*reported* for en_GB: "2012-12-25 = converts
  // to 25/12/2012", burnash/gspread#18), `2025/01/31` (*assumed* everywhere; it is ja_JP's own
  // short date), and ja_JP's `2025年1月31日` (*assumed*).
  let m = /^(\d{4})([-/])(\d{1,2})\2(\d{1,2})$/.exec(datePart);
  const kanji = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/.exec(datePart);
  if (m !== null) {
    serial = serialOf(+m[1], +m[3], +m[4]);
    format = `yyyy${m[2]}mm${m[2]}dd`;
  } else if (kanji !== null && r.lang === 'ja') {
    serial = serialOf(+kanji[1], +kanji[2], +kanji[3]);
    format = 'yyyy"年"m"月"d"日"';
  } else {
    // Year last, in the locale's day/month order (*assumed* per locale: en_US M/D/Y — *reported*:
    // in a US sheet "03/01 is interpreted as March 1st … 21/01/2013 is not stored as a date at
    // all", onlinejournalismblog.com 2016-07-19; en_GB D/M/Y — *reported*: "25/12/2012",
    // "25-12-2012 = converts to 25/12/2012", burnash/gspread#18; pt_BR D/M/Y and de_DE D.M.Y —
    // *assumed*; ja_JP, whose own dates are year first, reads year-last text month first —
    // *assumed*, as src/core/dates.ts localeDateOrder says). Separators: `/` and `-`, and the
    // locale's own short-date separator (de_DE `.`) — *assumed*. Two-digit years as fullYear.
    const seps = r.dateSeparators.map(reEscape).join('');
    m = new RegExp(`^(\\d{1,2})([${seps}])(\\d{1,2})\\2(\\d{4}|\\d{2})$`).exec(datePart);
    if (m === null) return null;
    const a = +m[1];
    const b = +m[3];
    const y = fullYear(m[4]);
    serial = r.order === 'dmy' ? serialOf(y, b, a) : serialOf(y, a, b);
    const sep = m[2];
    const yy = m[4].length === 2 ? 'yy' : 'yyyy';
    format = r.order === 'dmy' ? `dd${sep}mm${sep}${yy}` : `m${sep}d${sep}${yy}`;
  }
  // An impossible date (month 13, 31 February) stays text (*assumed*; a US sheet keeping
  // "21/01/2013" as text is *reported* above).
  if (Number.isNaN(serial)) return null;
  if (time === null) return { kind: 'date', value: serial, format };
  // A date and a time (*reported* for en_US: "1/25/2023 19:09:01" is parsed as a number,
  // home-assistant/core#86653).
  return { kind: 'date', value: serial + time.fraction, format: `${format} ${timeFormat(time)}` };
}

/** A number followed by `%` (*assumed*: 12% → 0.12 shown as `0%`, 12.5% as `0.00%`). */
function readPercent(s: string, r: LocaleRules): EnteredCell | null {
  const m = /^(.*?)\s*%$/.exec(s);
  if (m === null) return null;
  const n = readNumber(m[1], r);
  if (n === null || n.exponent) return null;
  return {
    kind: 'number',
    value: n.value / 100,
    format: n.decimals > 0 ? '0.00%' : '0%',
  };
}

/** An amount with the locale's currency symbol (see CURRENCY). */
function readCurrency(s: string, r: LocaleRules): EnteredCell | null {
  const c = r.currency;
  if (!c) return null;
  for (const sym of c.symbols) {
    const e = reEscape(sym);
    // `$1,234`, `-$1,234`, `$-1,234`, `R$ 1.234,00`; `1.234,00 €`, `-1.234 €`.
    const re =
      c.place === 'before'
        ? new RegExp(
            `^([+-]?)${e}\\s?([+-]?[\\d${reEscape(r.decimal)}${r.groups.map(reEscape).join('')}]+)$`,
          )
        : new RegExp(
            `^([+-]?[\\d${reEscape(r.decimal)}${r.groups.map(reEscape).join('')}]+)\\s?${e}$`,
          );
    const m = re.exec(s);
    if (m === null) continue;
    const body = c.place === 'before' ? m[2] : m[1];
    const outer = c.place === 'before' ? m[1] : '';
    if (outer && /^[+-]/.test(body)) return null; // two signs
    const n = readNumber(body, r);
    if (n === null) return null;
    const value = outer === '-' ? -n.value : n.value;
    return {
      kind: 'number',
      value: Object.is(value, -0) ? 0 : value,
      format: c.format(n.decimals > 0 ? 2 : 0),
    };
  }
  return null;
}

/**
 * What Sheets stores for `text` typed or imported into a spreadsheet of `locale` (`en_US`,
 * `ja_JP` …). Rules, in order:
 * - '' → blank.
 * - A leading apostrophe keeps the rest as text, the apostrophe not shown (*reported*: "it acts
 *   as a command telling the software … treat whatever comes after me as plain text",
 *   eathealthy365.com, "The Vanishing Apostrophe in Excel", on Excel and Google Sheets).
 * - `=` followed by something is a formula (*documented* for typing: a formula starts with `=`;
 *   *assumed* for CSV import, whose "Convert text to numbers, dates, and formulas" is on by
 *   default).
 * - TRUE / FALSE in any case → a boolean (*assumed*: the English words in every locale, since
 *   Sheets shows booleans as TRUE/FALSE whatever the locale; WAHR, VERDADEIRO … stay text).
 * - A number in the locale's separators → a number: `1,234.5` (en_US, en_GB, ja_JP), `1.234,5`
 *   (de_DE, pt_BR); grouping typed gives `#,##0` (*assumed*); leading zeros are dropped, `0012` →
 *   12 (*reported* in issue 21: "`0012` becomes 12"; the same in Excel); `1e3` → 1000 shown
 *   `0.00E+00` (*assumed*).
 * - A percent → the number ÷ 100 with a percent format (*assumed*).
 * - An amount with the locale's currency symbol → a number with a currency format (*assumed*).
 * - A date or date-time (see readDate) → its serial with a date format; a time alone (`9:30`,
 *   `09:30:15`, `9:30 PM`) → the fraction of a day with a time format (*assumed*).
 * - Everything else stays text, with its spaces (*assumed*: Sheets trims nothing of text; numbers
 *   and dates are recognised with surrounding spaces, *assumed*). Not modelled, and so text
 *   here: dates without a year (`1/2`: Sheets is reported to take the current year; modelling it
 *   would make a load depend on the day it runs), month names (`Jan 2, 2018`), ISO `T` date-times,
 *   durations over 24 hours, negative numbers in parentheses, localised booleans.
 */
export function parseUserEntered(text: string, locale: string): EnteredCell {
  if (text === '') return { kind: 'blank' };
  if (text.startsWith("'")) return { kind: 'text', value: text.slice(1) };
  if (text.startsWith('=') && text.length > 1) return { kind: 'formula', formula: text };
  const s = text.trim();
  if (s === '') return { kind: 'text', value: text };
  const r = rulesOf(locale);
  if (/^(?:true|false)$/i.test(s)) return { kind: 'boolean', value: /^t/i.test(s) };
  const n = readNumber(s, r);
  if (n !== null) {
    if (n.exponent) return { kind: 'number', value: n.value, format: '0.00E+00' };
    if (n.grouped) return { kind: 'number', value: n.value, format: `#,##0${zeros(n.decimals)}` };
    return { kind: 'number', value: n.value };
  }
  const parsed = readPercent(s, r) ?? readCurrency(s, r) ?? readDate(s, r);
  if (parsed) return parsed;
  const t = readTime(s);
  if (t) return { kind: 'date', value: t.fraction, format: timeFormat(t) };
  return { kind: 'text', value: text };
}

/**
 * Splits pasted text into rows of cells: tab-separated when it holds a tab (what copying cells
 * from a spreadsheet or a web table gives), else CSV (RFC 4180). A final line break ends the
 * last row, it does not add an empty one.
 */
export function splitPasted(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(body, {
    delimiter: body.includes('\t') ? '\t' : ',',
    skipEmptyLines: false,
  });
  const rows = parsed.data;
  if (rows.length > 1 && rows[rows.length - 1].every((c) => c === '')) rows.pop();
  return rows;
}
