/** Number cells: numbers, numeric text (full-width digits, thousands separators, 25%). */
import { KpiError, shown } from './errors';

const CURRENCY =
  /^([+-]?)\s*(?:[A-Z]{3}\s*|(?:US|R|CA|A|NZ|HK|S)\$\s*|[$¥€£₩]\s*)?([+-]?)\s*([\d.,]+(?:e[+-]?\d+)?)\s*(円|[A-Z]{3}|[$¥€£₩])?$/i;

/**
 * Thousands and decimal separators as the text writes them: with both, the last one is the
 * decimal mark (1,234.50 · 1.234,50); a comma alone is thousands in groups of three (1,234,567),
 * else decimal (12,5 · 0,500); a dot alone is decimal (12.50) unless it groups threes more than
 * once (1.234.567) or the currency follows the number the European way (12.500 €).
 */
function separators(t: string, europeanCurrency: boolean): string {
  const comma = t.lastIndexOf(',');
  const dot = t.lastIndexOf('.');
  if (comma >= 0 && dot >= 0) {
    return comma > dot ? t.replace(/\./g, '').replace(',', '.') : t.replace(/,/g, '');
  }
  if (comma >= 0) {
    return /^[+-]?[1-9]\d{0,2}(?:,\d{3})+%?$/.test(t) ? t.replace(/,/g, '') : t.replace(',', '.');
  }
  if (/^[+-]?[1-9]\d{0,2}(?:\.\d{3}){2,}$/.test(t)) return t.replace(/\./g, '');
  if (europeanCurrency && /^[+-]?[1-9]\d{0,2}\.\d{3}$/.test(t)) return t.replace('.', '');
  return t;
}

/** The number in a cell; NaN for a blank cell; throws `notNumber` naming the row otherwise. */
export function readNumber(v: unknown, arg: string, row: number): number {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
  } else if (v === '' || v === null || v === undefined) {
    return Number.NaN;
  } else if (typeof v === 'string' && v.length <= 40) {
    let t = v.normalize('NFKC').trim();
    if (t === '') return Number.NaN;
    // An accountant's negative: (1,234).
    const paren = /^\((.+)\)$/.exec(t);
    if (paren) t = `-${paren[1].trim()}`;
    // Spaces and apostrophes between digit groups first: 1 234 567 (FR), 1'234 (CH).
    t = t.replace(/(\d)[\s']+(?=\d{3}(?:\D|$))/g, '$1');
    // Currency as CRMs export it, before or after: $1,234.00 · USD 12,500.00 · ¥1,200,000 ·
    // 1200000円 · 1,234 EUR · 12.500,00 € · R$ 1.234,56 · $-1,234 (NFKC turns a no-break space
    // into a space).
    let after = false;
    if (/[^\d.,%+\-eE\s]/.test(t)) {
      const m = CURRENCY.exec(t);
      if (m) {
        after = m[4] !== undefined && m[4] !== '円' && !/^[A-Z]{3}$/i.test(m[4]);
        t = `${m[1] === '-' || m[2] === '-' ? '-' : ''}${m[3]}`;
      }
    }
    t = separators(t, after);
    const percent = t.endsWith('%');
    if (percent) t = t.slice(0, -1).trim();
    if (/^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i.test(t)) {
      const x = Number(t);
      if (Number.isFinite(x)) return percent ? x / 100 : x;
    }
  }
  throw new KpiError('notNumber', { arg, row, value: shown(v) });
}

/** A count cell: blank → 0, negative → error. */
export function readCount(v: unknown, arg: string, row: number): number {
  const x = readNumber(v, arg, row);
  if (Number.isNaN(x)) return 0;
  if (x < 0) throw new KpiError('negative', { arg, row, value: shown(v) });
  return x;
}

/** Largest of many numbers (Math.max(...xs) overflows the call stack past ~100k values). */
export function maxOf(xs: Iterable<number>, start = Number.NEGATIVE_INFINITY): number {
  let m = start;
  for (const x of xs) if (x > m) m = x;
  return m;
}

export function minOf(xs: Iterable<number>, start = Number.POSITIVE_INFINITY): number {
  let m = start;
  for (const x of xs) if (x < m) m = x;
  return m;
}
