/** Colours and number formats the generated sheets share (below every sheet: it imports none). */

export const COLORS = {
  Marketing: '#e8f0fe',
  IS: '#fef7e0',
  FS: '#e6f4ea',
  KGI: '#f3e8fd',
  input: '#fff8c5',
  assumed: '#fcd9b6',
  header: '#eeeeee',
};
export const FMT = { yen: '#,##0', int: '#,##0', pct: '0.0%', date: 'yyyy-mm-dd', days: '#,##0.0' };
/** Days with their unit, for a value standing alone (a tree node, a target): 44.8日 / 44.8 days. */
export const daysWithUnit = (lang: 'ja' | 'en') =>
  lang === 'ja' ? '#,##0.0"日"' : '#,##0.0" days"';

/** Money as the spreadsheet's locale writes it: ¥ for ja_JP, $ for en_US, € for the euro area … */
export function moneyFormat(locale: string | undefined): string {
  const tag = String(locale ?? '').replace('-', '_');
  const symbol: Record<string, string> = {
    ja_JP: '"¥"#,##0',
    ja: '"¥"#,##0',
    en_US: '"$"#,##0',
    en: '"$"#,##0',
    en_GB: '"£"#,##0',
    en_CA: '"$"#,##0',
    en_AU: '"$"#,##0',
    pt_BR: '"R$"#,##0',
    zh_CN: '"¥"#,##0',
    ko_KR: '"₩"#,##0',
    en_IN: '"₹"#,##0',
  };
  if (symbol[tag]) return symbol[tag];
  if (/^(de|fr|es|it|nl|pt|fi|el|et|lv|lt|sk|sl|ga|mt)_/.test(tag)) return '#,##0 "€"';
  return FMT.yen;
}

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
