/**
 * Sheets number formats, as a cell shows its value: the patterns the add-on writes (`#,##0`,
 * `0.0%`, `0%`, `yyyy-mm-dd`, `¥#,##0`, `[$¥-411]#,##0`, `$#,##0.00`, `#,##0.0`, `0.00`) and the
 * general shape of the pattern language (sections `pos;neg;zero;text`, quoted and escaped
 * literals, `[$sym-locale]` currencies, `[Color]` tags, `%`, thousands separators and scaling
 * commas, `0 # ?` placeholders, exponents, date and time tokens). "General" (Sheets' automatic
 * format) shows at most 10 significant digits and integers without separators. Text stays text.
 */
import { DAY_MS, daysFromCivil, yearMonthOfDay, ZoneClock } from '../src/core/dates';

/** Days from 1899-12-30 (Sheets' serial 0) to 1970-01-01. */
export const SERIAL_EPOCH_DAYS = 25_569;

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

const clocks = new Map<string, ZoneClock>();
function clock(tz: string): ZoneClock {
  let c = clocks.get(tz);
  if (!c) {
    c = new ZoneClock(tz);
    clocks.set(tz, c);
  }
  return c;
}

/** A Date's wall-clock serial in the sheet's zone (what Sheets stores for a date cell). */
export function dateToSerial(d: Date, tz: string): number {
  return clock(tz).toLocal(d.getTime()) / DAY_MS + SERIAL_EPOCH_DAYS;
}

/** Sheets' automatic format: "General" and the default `0.###############`. */
export function isGeneral(fmt: string | undefined | null): boolean {
  if (fmt === undefined || fmt === null) return true;
  const f = fmt.trim().toLowerCase();
  return f === '' || f === 'general' || f === '0.###############';
}

/** What a cell shows for its value and number format. */
export function formatValue(v: unknown, fmt: string | undefined | null, tz = 'UTC'): string {
  if (v === null || v === undefined || v === '') return '';
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return formatText(v, fmt);
  if (isDate(v)) {
    const serial = dateToSerial(v, tz);
    if (Number.isNaN(serial)) return '#NUM!';
    const f =
      fmt && isDateTimeFormat(fmt)
        ? fmt
        : Number.isInteger(serial)
          ? 'yyyy-mm-dd'
          : 'yyyy-mm-dd hh:mm:ss';
    return formatNumber(serial, f);
  }
  if (typeof v === 'number') return formatNumber(v, fmt);
  return String(v);
}

function formatText(s: string, fmt: string | undefined | null): string {
  if (!fmt || isGeneral(fmt)) return s;
  const sections = splitSections(fmt);
  const text = sections.length >= 4 ? sections[3] : sections.find((x) => x.includes('@'));
  if (!text) return s;
  return literalTokens(text)
    .map((t) => (t.kind === 'at' ? s : t.kind === 'lit' ? t.text : ''))
    .join('');
}

/** A number as the format shows it. */
export function formatNumber(x: number, fmt: string | undefined | null): string {
  if (!Number.isFinite(x)) return '#NUM!';
  if (isGeneral(fmt)) return general(x);
  const sections = splitSections(fmt as string);
  let section = sections[0];
  let signed = x;
  if (sections.length >= 2 && x < 0) {
    section = sections[1];
    signed = -x; // the negative section writes its own sign (or parentheses)
  } else if (sections.length >= 3 && x === 0) {
    section = sections[2];
  }
  if (isGeneral(section)) return general(signed);
  if (isDateTimeFormat(section)) return formatDateTime(signed, section);
  return formatPlain(signed, section);
}

/** Up to 10 significant digits; integers in full, without separators; tiny and huge as 1.23E+15. */
export function general(x: number): string {
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e15 || a < 1e-9) {
    const [m, e] = x.toExponential(5).split('e');
    const mant = m.replace(/\.?0+$/, '');
    const exp = Number(e);
    return `${mant}E${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  }
  if (a >= 1e10) return String(Math.round(x));
  const p = Number(x.toPrecision(10));
  if (Number.isInteger(p)) return String(p);
  // Fixed notation, no exponent (String(1e-7) would give one).
  const digits = Math.max(0, 10 - Math.floor(Math.log10(a)) - 1);
  return p.toFixed(Math.min(20, digits)).replace(/\.?0+$/, '');
}

/** Splits `pos;neg;zero;text` outside quotes, escapes and brackets. */
export function splitSections(fmt: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < fmt.length; i++) {
    const ch = fmt[i];
    if (ch === '"') {
      const close = fmt.indexOf('"', i + 1);
      const end = close < 0 ? fmt.length : close + 1;
      cur += fmt.slice(i, end);
      i = end - 1;
    } else if (ch === '\\' && i + 1 < fmt.length) {
      cur += fmt.slice(i, i + 2);
      i++;
    } else if (ch === '[') {
      const close = fmt.indexOf(']', i + 1);
      const end = close < 0 ? fmt.length : close + 1;
      cur += fmt.slice(i, end);
      i = end - 1;
    } else if (ch === ';') {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

type Token =
  | { kind: 'lit'; text: string }
  | { kind: 'at' }
  | { kind: 'code'; text: string }
  | { kind: 'percent' };

/**
 * Literal parts (quoted text, escapes, currency tags, `_x` spaces) apart from format codes.
 * Unquoted characters that are not codes (`$`, `¥`, `€`, `-`, `+`, `(`, `)`, `:`, `/`, space …)
 * are literals too.
 */
function literalTokens(section: string): Token[] {
  const out: Token[] = [];
  const lit = (text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === 'lit') last.text += text;
    else out.push({ kind: 'lit', text });
  };
  const code = (text: string) => {
    const last = out[out.length - 1];
    if (last && last.kind === 'code') last.text += text;
    else out.push({ kind: 'code', text });
  };
  for (let i = 0; i < section.length; i++) {
    const ch = section[i];
    if (ch === '"') {
      const close = section.indexOf('"', i + 1);
      const end = close < 0 ? section.length : close;
      lit(section.slice(i + 1, end));
      i = end;
    } else if (ch === '\\' && i + 1 < section.length) {
      lit(section[i + 1]);
      i++;
    } else if (ch === '[') {
      const close = section.indexOf(']', i + 1);
      const end = close < 0 ? section.length : close;
      const inner = section.slice(i + 1, end);
      // [$¥-411] → ¥; [$USD] → USD; colours and conditions ([Red], [<1000]) show nothing.
      if (inner.startsWith('$')) lit(inner.slice(1).split('-')[0]);
      i = end;
    } else if (ch === '_' && i + 1 < section.length) {
      lit(' ');
      i++;
    } else if (ch === '*' && i + 1 < section.length) {
      i++; // fill character: nothing to repeat in a preview
    } else if (/^(am\/pm|a\/p)/i.test(section.slice(i))) {
      const len = /^am\/pm/i.test(section.slice(i)) ? 5 : 3;
      code(section.slice(i, i + len));
      i += len - 1;
    } else if ((ch === 'E' || ch === 'e') && /^[Ee][+-]/.test(section.slice(i))) {
      code(section.slice(i, i + 2)); // exponent: E+ / E-
      i++;
    } else if (ch === '@') out.push({ kind: 'at' });
    else if (ch === '%') out.push({ kind: 'percent' });
    else if ('0#?.,'.includes(ch) || /[A-Za-z]/.test(ch)) code(ch);
    else lit(ch);
  }
  return out;
}

/** A section shows a date or time when it has y, m, d, h or s codes outside literals. */
export function isDateTimeFormat(section: string): boolean {
  return literalTokens(section).some(
    (t) => t.kind === 'code' && /[ydhs]/i.test(t.text.replace(/[Ee][+-]?/g, '')),
  );
}

function formatPlain(x: number, section: string): string {
  const tokens = literalTokens(section);
  const percents = tokens.filter((t) => t.kind === 'percent').length;
  // The number's codes: the first run of 0 # ? , . E (split runs are joined: "#,##0" " " "0").
  const codeText = tokens
    .filter((t) => t.kind === 'code')
    .map((t) => (t.kind === 'code' ? t.text : ''))
    .join('');
  let value = x * 100 ** percents;
  const expMatch = /[Ee][+-]/.exec(codeText);
  const mantissaCodes = expMatch ? codeText.slice(0, expMatch.index) : codeText;
  const dot = mantissaCodes.indexOf('.');
  let intCodes = dot < 0 ? mantissaCodes : mantissaCodes.slice(0, dot);
  const fracCodes = dot < 0 ? '' : mantissaCodes.slice(dot + 1).replace(/,/g, '');
  // Commas right of the last digit code divide by 1,000 each.
  const trailing = /,+$/.exec(intCodes);
  if (trailing) {
    value /= 1000 ** trailing[0].length;
    intCodes = intCodes.slice(0, -trailing[0].length);
  }
  const grouping = intCodes.includes(',');
  const minInt = (intCodes.match(/0/g) ?? []).length;
  const maxFrac = (fracCodes.match(/[0#?]/g) ?? []).length;
  const minFrac = fracCodes.replace(/[#?]+$/, '').length;
  let exponentText = '';
  if (expMatch) {
    const expCodes = codeText.slice(expMatch.index + 2);
    const e = value === 0 ? 0 : Math.floor(Math.log10(Math.abs(value)));
    value /= 10 ** e;
    const sign = e < 0 ? '-' : expMatch[0][1] === '+' ? '+' : '';
    exponentText = `E${sign}${String(Math.abs(e)).padStart((expCodes.match(/0/g) ?? []).length, '0')}`;
  }
  const negative = value < 0;
  const rounded = roundTo(Math.abs(value), maxFrac);
  let [intPart, fracPart = ''] = rounded.split('.');
  if (intPart === '0' && minInt === 0) intPart = '';
  intPart = intPart.padStart(minInt, '0');
  if (grouping) intPart = intPart.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  fracPart = fracPart.padEnd(maxFrac, '0');
  while (fracPart.length > minFrac && fracPart.endsWith('0')) fracPart = fracPart.slice(0, -1);
  // "0.##" with 1 shows "1"; an explicit "0." keeps its dot.
  const showDot = dot >= 0 && (fracPart.length > 0 || maxFrac === 0);
  const numberText = intPart + (showDot ? `.${fracPart}` : '') + exponentText;
  // Literals keep their place around the number; the number goes where its first code was.
  let placed = false;
  const body = tokens
    .map((t) => {
      if (t.kind === 'lit') return t.text;
      if (t.kind === 'percent') return '%';
      if (t.kind === 'code') {
        if (placed) return '';
        placed = true;
        return numberText;
      }
      return '';
    })
    .join('');
  const zero = !/[1-9]/.test(numberText);
  return negative && !zero ? `-${body}` : body;
}

/** Round half away from zero to `decimals` places, as decimal text (no exponent). */
function roundTo(a: number, decimals: number): string {
  // 15 significant digits first: 1.005 × 100 is 100.49999999999999 in binary, 100.5 on paper.
  const n = Math.round(Number((a * 10 ** decimals).toPrecision(15)));
  const s = n.toFixed(0).padStart(decimals + 1, '0');
  return decimals === 0 ? s : `${s.slice(0, -decimals)}.${s.slice(-decimals)}`;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** A wall-clock serial in a date/time section (`yyyy-mm-dd`, `m/d/yyyy h:mm AM/PM` …). */
export function formatDateTime(serial: number, section: string): string {
  let totalSeconds = Math.round(serial * 86_400);
  const day = Math.floor(totalSeconds / 86_400) - SERIAL_EPOCH_DAYS;
  totalSeconds -= (day + SERIAL_EPOCH_DAYS) * 86_400;
  const { y, m } = yearMonthOfDay(day);
  const d = day - daysFromCivil(y, m, 1) + 1;
  const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const ampm = /am\/pm|a\/p/i.test(section);
  const tokens = literalTokens(section);
  const codes = tokens.flatMap((t) =>
    t.kind === 'code'
      ? (t.text.match(/yyyy|yy|y|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|a\/p|./gi) ??
        [])
      : [],
  );
  // m / mm next to h or s is minutes.
  const isMinute = (i: number) => {
    const before = codes
      .slice(0, i)
      .reverse()
      .find((c) => /^[ymdhs]/i.test(c));
    const after = codes.slice(i + 1).find((c) => /^[ymdhs]/i.test(c));
    return (
      (before !== undefined && /^h/i.test(before)) || (after !== undefined && /^s/i.test(after))
    );
  };
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  let ci = 0;
  const render = (code: string): string => {
    const i = ci++;
    const l = code.toLowerCase();
    switch (l) {
      case 'yyyy':
      case 'y':
        return String(y);
      case 'yy':
        return pad(y % 100);
      case 'mmmmm':
        return MONTHS[m - 1][0];
      case 'mmmm':
        return MONTHS[m - 1];
      case 'mmm':
        return MONTHS[m - 1].slice(0, 3);
      case 'mm':
        return isMinute(i) ? pad(minutes) : pad(m);
      case 'm':
        return isMinute(i) ? String(minutes) : String(m);
      case 'dddd':
        return WEEKDAYS[weekday];
      case 'ddd':
        return WEEKDAYS[weekday].slice(0, 3);
      case 'dd':
        return pad(d);
      case 'd':
        return String(d);
      case 'hh':
        return pad(ampm ? ((hours + 11) % 12) + 1 : hours);
      case 'h':
        return String(ampm ? ((hours + 11) % 12) + 1 : hours);
      case 'ss':
        return pad(seconds);
      case 's':
        return String(seconds);
      case 'am/pm':
        return hours < 12 ? 'AM' : 'PM';
      case 'a/p':
        return hours < 12 ? 'A' : 'P';
      default:
        return code;
    }
  };
  return tokens
    .map((t) => {
      if (t.kind === 'lit') return t.text;
      if (t.kind === 'percent') return '%';
      if (t.kind === 'code') {
        const parts =
          t.text.match(/yyyy|yy|y|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|am\/pm|a\/p|./gi) ??
          [];
        return parts.map(render).join('');
      }
      return '';
    })
    .join('');
}
