/** Colours and number formats the generated sheets share (below every sheet: it imports none). */

import type { CurrencyCode } from '../currency';
import type { KpiSettings } from '../settings';

export const COLORS = {
  Marketing: '#e8f0fe',
  IS: '#fef7e0',
  FS: '#e6f4ea',
  KGI: '#f3e8fd',
  input: '#fff8c5',
  assumed: '#fcd9b6',
  header: '#eeeeee',
};
export const FMT = {
  yen: '#,##0',
  int: '#,##0',
  pct: '0.0%',
  date: 'yyyy-mm-dd',
  days: '#,##0.0',
  /** A multiple (LTV ÷ CAC): 3.2×. */
  multiple: '0.0"×"',
};
/** Days with their unit, for a value standing alone (a tree node, a target): 44.8日 / 44.8 days. */
export const daysWithUnit = (lang: 'ja' | 'en') =>
  lang === 'ja' ? '#,##0.0"日"' : '#,##0.0" days"';

/** Money as the spreadsheet's locale writes it: ¥ for ja_JP, $ for en_US, € for the euro area … */
function localeMoney(tag: string): { format: string; currency?: CurrencyCode } {
  const symbol: Record<string, [string, CurrencyCode?]> = {
    ja_JP: ['"¥"#,##0', 'JPY'],
    ja: ['"¥"#,##0', 'JPY'],
    en_US: ['"$"#,##0', 'USD'],
    en: ['"$"#,##0', 'USD'],
    en_GB: ['"£"#,##0', 'GBP'],
    en_CA: ['"$"#,##0'],
    en_AU: ['"$"#,##0'],
    pt_BR: ['"R$"#,##0'],
    zh_CN: ['"¥"#,##0'],
    ko_KR: ['"₩"#,##0'],
    en_IN: ['"₹"#,##0'],
  };
  const own = symbol[tag];
  if (own) return { format: own[0], currency: own[1] };
  if (/^(de|fr|es|it|nl|pt|fi|el|et|lv|lt|sk|sl|ga|mt)_/.test(tag))
    return { format: '#,##0 "€"', currency: 'EUR' };
  return { format: FMT.yen };
}

/**
 * Money in the currency of the data when it is known (settings.currency, detected from the amount
 * column: core/currency.ts), else as the spreadsheet's locale writes money. Whole units, as every
 * money cell of the generated sheets has always been (`#,##0`): the tree and the plan are about
 * amounts in thousands and millions, where cents only add noise; JPY has none anyway. Where the
 * locale's own money is that currency, its format is kept (a euro-area locale writes `1.234 €`).
 * The symbol is quoted: in a Sheets number format "text" is shown literally
 * (https://developers.google.com/sheets/api/guides/formats, "Number format tokens"); a locale
 * whose own money uses $ or ¥ for another currency (en_CA, zh_CN) gets US$ / JP¥ instead.
 */
export function moneyFormat(locale: string | undefined, currency?: CurrencyCode): string {
  const own = localeMoney(String(locale ?? '').replace('-', '_'));
  if (!currency || own.currency === currency) return own.format;
  const clash = (symbol: string) => own.format.includes(symbol);
  switch (currency) {
    case 'JPY':
      return clash('¥') ? '"JP¥"#,##0' : '"¥"#,##0';
    case 'USD':
      return clash('$') ? '"US$"#,##0' : '"$"#,##0';
    case 'GBP':
      return '"£"#,##0';
    case 'EUR':
      return '"€"#,##0';
  }
}

/** The generated sheets' money format for a build's settings: its currency, else its locale's. */
export const moneyOf = (s: Pick<KpiSettings, 'locale' | 'currency'>): string =>
  moneyFormat(s.locale, s.currency);

/** Formats of the funnel table's columns (KPI_FUNNEL's output), period column as text. */
export function funnelFormats(money: string, sal = false): (string | null)[] {
  return [
    null,
    FMT.int,
    FMT.int,
    FMT.int,
    FMT.int,
    FMT.int,
    FMT.int,
    money,
    FMT.pct,
    FMT.pct,
    FMT.pct,
    money,
    FMT.int,
    FMT.pct,
    ...(sal ? [FMT.int] : []),
  ];
}
