/** Number cells: numbers, numeric text (full-width digits, thousands separators, 25%). */
import { KpiError, shown } from './errors';

const CURRENCY =
  /^([+-]?)\s*(?:[A-Z]{3}\s*|[$¥€£₩]\s*)?([\d.]+(?:e[+-]?\d+)?)\s*(?:円|[A-Z]{3})?$/i;

/** The number in a cell; NaN for a blank cell; throws `notNumber` naming the row otherwise. */
export function readNumber(v: unknown, arg: string, row: number): number {
  if (typeof v === 'number') {
    if (Number.isFinite(v)) return v;
  } else if (v === '' || v === null || v === undefined) {
    return Number.NaN;
  } else if (typeof v === 'string' && v.length <= 40) {
    let t = v.normalize('NFKC').trim().replace(/,/g, '');
    if (t === '') return Number.NaN;
    // Currency as CRMs export it: $1,234.00 · USD 12,500.00 · ¥1,200,000 · 1200000円 · 1,234 EUR.
    if (/[^\d.%+\-eE]/.test(t)) t = t.replace(CURRENCY, '$1$2').trim();
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
