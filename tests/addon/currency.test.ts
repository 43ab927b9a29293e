/**
 * Money in the currency of the data, through the built bundle: an export whose amounts are in
 * euros — said by the amount column's header, by its text cells or by its cells' number format —
 * shows € on the KPI tree in an en_US and a ja_JP spreadsheet alike, after inspect → Build with
 * nothing touched (the sidebar sends the inspection's currency); an export that says nothing
 * keeps the locale's currency. The export is made here row by row; the revenue it should show is
 * counted from the rows themselves.
 */
import { describe, expect, it } from 'vitest';
import { formatValue } from '../../local/format';
import { LocalRuntime } from '../../local/runtime';
import type { DealsInspection, TabInspection } from '../../src/addon/api';
import { untouchedSettings } from '../helpers/settings';

type Cell = string | number;

/**
 * 120 leads over 2025-01 … 2025-06, every fifth one won; won amounts 1,000 … 5,000 written by
 * `amount` (a number or a text with its currency). Returns the rows and the window's revenue.
 */
function exportRows(amountHeader: string, amount: (n: number, i: number) => Cell) {
  // A won deal is dated by its closing date: here the day it was created.
  const rows: Cell[][] = [['Created Date', 'Company', 'Status', amountHeader, 'Close Date']];
  let revenue = 0;
  for (let i = 0; i < 120; i++) {
    const month = 1 + (i % 6);
    const day = 1 + ((i * 7) % 28);
    const won = i % 5 === 0;
    const n = 1_000 * (1 + (i % 5 === 0 ? (i / 5) % 5 : 0));
    if (won) revenue += n;
    const created = `2025-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    rows.push([
      created,
      `Company ${i % 40}`,
      won ? 'Closed Won' : i % 3 === 0 ? 'MQL' : 'Lead',
      won ? amount(n, i) : '',
      won ? created : '',
    ]);
  }
  return { rows, revenue };
}

const TREE = { en: 'KPI tree', ja: 'KPIツリー' };
const REVENUE = { en: 'Revenue (KGI)', ja: '売上（KGI）' };

/** Builds the export as the sidebar does, untouched but for the window (the whole half-year). */
function build(
  locale: 'en_US' | 'ja_JP',
  rows: Cell[][],
  formats?: Map<string, { numberFormat: string }>,
) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
  rt.loadSheets([{ name: 'Export', rows, parse: 'user-entered', formats }]);
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Export');
  const lang = locale === 'ja_JP' ? 'ja' : 'en';
  rt.callFromSidebar('kpiBuild', {
    ...untouchedSettings(ins, lang),
    from: '2025-01-01',
    to: '2025-06-30',
  });
  // The revenue node's actual: two rows below its label, one column right.
  const tree = rt.values(TREE[lang]);
  const id = rt.wb.sheetId(TREE[lang]) as number;
  const formatAt = (r: number, c: number) =>
    rt.wb.sheetMeta(id).formats.get(`${r + 1},${c + 1}`)?.numberFormat;
  for (let r = 0; r < tree.length; r++) {
    for (const c of [3, 6, 9]) {
      if (tree[r][c] !== REVENUE[lang]) continue;
      const actual = tree[r + 2][c + 1];
      const format = formatAt(r + 2, c + 1);
      return {
        ins,
        actual,
        format,
        shown: formatValue(actual, format),
        // The plan's revenue target per period (B7), money as well.
        targetFormat: formatAt(6, 1),
      };
    }
  }
  throw new Error('no revenue node');
}

const grouped = (n: number) => n.toLocaleString('en-US');

describe.each(['en_US', 'ja_JP'] as const)('a %s spreadsheet', (locale) => {
  const ja = locale === 'ja_JP';

  it('the header "Expected Revenue (EUR)" → the tree shows €', () => {
    const { rows, revenue } = exportRows('Expected Revenue (EUR)', (n) => n);
    const r = build(locale, rows);
    expect(r.ins.currency?.code).toBe('EUR');
    const note = ja
      ? '金額の通貨はEURです（列名「Expected Revenue (EUR)」から判断）。KPIシートの金額もEURで表示します'
      : 'Money in EUR (from the header "Expected Revenue (EUR)"): the KPI sheets show it in EUR';
    expect(r.ins.notes).toContain(note);
    expect(r.ins.currency?.reason).toBe(note);
    // 24 won deals (i = 0, 5 … 115): 1,000 … 5,000 four times over (60,000), then 1,000 … 4,000.
    expect(revenue).toBe(70_000);
    expect(r.actual).toBe(revenue);
    expect(r.format).toBe('"€"#,##0');
    expect(r.shown).toBe('€70,000');
    expect(r.targetFormat).toBe('"€"#,##0');
  });

  it('EUR text cells ("€1,200", "EUR 2,000", "3,000 EUR") → the tree shows €', () => {
    const texts = [
      (n: number) => `€${grouped(n)}`,
      (n: number) => `EUR ${grouped(n)}`,
      (n: number) => `${grouped(n)} EUR`,
    ];
    const { rows, revenue } = exportRows('Amount', (n, i) => texts[i % 3](n));
    const r = build(locale, rows);
    expect(r.ins.currency?.code).toBe('EUR');
    // The first won row (i = 0) writes €1,000: the example the note quotes.
    expect(r.ins.notes).toContain(
      ja
        ? '金額の通貨はEURです（金額の値「€1,000」などから判断）。KPIシートの金額もEURで表示します'
        : 'Money in EUR (from the amounts, e.g. "€1,000"): the KPI sheets show it in EUR',
    );
    expect(r.actual).toBe(revenue);
    expect(r.format).toBe('"€"#,##0');
    expect(r.shown).toBe('€70,000');
  });

  it('numbers formatted [$€-407]#,##0.00 → the tree shows € (read through getNumberFormats)', () => {
    const { rows, revenue } = exportRows('Amount', (n) => n);
    const formats = new Map<string, { numberFormat: string }>();
    rows.forEach((row, i) => {
      if (i > 0 && row[3] !== '') formats.set(`${i + 1},4`, { numberFormat: '[$€-407]#,##0.00' });
    });
    const r = build(locale, rows, formats);
    expect(r.ins.currency?.code).toBe('EUR');
    expect(r.ins.currency?.reason).toBe(
      ja
        ? '金額の通貨はEURです（金額の表示形式「[$€-407]#,##0.00」などから判断）。KPIシートの金額もEURで表示します'
        : 'Money in EUR (from the amounts\' number format, e.g. "[$€-407]#,##0.00"): the KPI sheets show it in EUR',
    );
    expect(r.actual).toBe(revenue);
    expect(r.format).toBe('"€"#,##0');
  });

  it('no currency in the data → the locale’s, as before', () => {
    const { rows, revenue } = exportRows('Amount', (n) => n);
    const r = build(locale, rows);
    expect(r.ins.currency).toBeNull();
    expect(r.ins.notes.some((n) => n.includes('EUR') || n.includes('通貨'))).toBe(false);
    expect(r.actual).toBe(revenue);
    expect(r.format).toBe(ja ? '"¥"#,##0' : '"$"#,##0');
    expect(r.shown).toBe(ja ? '¥70,000' : '$70,000');
  });
});

describe('settings.currency', () => {
  function inspected(locale: 'en_US' | 'ja_JP') {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
    rt.loadSheets([
      { name: 'Export', rows: exportRows('Amount', (n) => n).rows, parse: 'user-entered' },
    ]);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Export');
    return { rt, ins };
  }

  it('an unknown currency is refused, in the user’s language', () => {
    const en = inspected('en_US');
    expect(() =>
      en.rt.callFromSidebar('kpiBuild', { ...untouchedSettings(en.ins, 'en'), currency: 'CHF' }),
    ).toThrow(
      'The currency must be one of EUR, USD, JPY, GBP or blank (got "CHF"). Reopen the sidebar and build again.',
    );
    const ja = inspected('ja_JP');
    expect(() =>
      ja.rt.callFromSidebar('kpiBuild', { ...untouchedSettings(ja.ins, 'ja'), currency: 'eur' }),
    ).toThrow(
      '通貨はEUR、USD、JPY、GBPのいずれかか空欄にしてください（入力: 「eur」）。サイドバーを開き直して作成してください。',
    );
  });

  it('a blank currency is the locale’s; the build keeps the one it was given', () => {
    const { rt, ins } = inspected('ja_JP');
    const target = () =>
      rt.wb.sheetMeta(rt.wb.sheetId('KPIツリー') as number).formats.get('7,2')?.numberFormat;
    rt.callFromSidebar('kpiBuild', { ...untouchedSettings(ins, 'ja'), currency: '' });
    expect(target()).toBe('"¥"#,##0');
    rt.callFromSidebar('kpiBuild', { ...untouchedSettings(ins, 'ja'), currency: 'GBP' });
    expect(target()).toBe('"£"#,##0');
    expect(rt.callFromSidebar<{ currency?: string }>('kpiLoadSettings').currency).toBe('GBP');
  });
});

describe('a deals tab beside the lead tab', () => {
  it('the deals tab’s currency wins over the lead tab’s', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    const leads: Cell[][] = [['Lead ID', 'Created Date', 'Status', 'Amount (USD)']];
    const deals: Cell[][] = [['Deal ID', 'Lead ID', 'Created Date', 'Stage', 'Amount (EUR)']];
    for (let i = 0; i < 60; i++) {
      const day = `2025-0${1 + (i % 6)}-${String(1 + (i % 27)).padStart(2, '0')}`;
      leads.push([`L-${i}`, day, i % 3 === 0 ? 'SQL' : 'Lead', '']);
      if (i % 3 === 0) deals.push([`D-${i}`, `L-${i}`, day, 'Closed Won', 1_000]);
    }
    rt.loadSheets([
      { name: 'Leads', rows: leads, parse: 'user-entered' },
      { name: 'Deals', rows: deals, parse: 'user-entered' },
    ]);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    const dealIns = rt.callFromSidebar<DealsInspection>(
      'kpiInspectDeals',
      'Deals',
      'Leads',
      ins.mapping,
    );
    expect(ins.currency?.code).toBe('USD');
    expect(dealIns.currency?.code).toBe('EUR');
    expect(untouchedSettings(ins, 'ja', dealIns).currency).toBe('EUR');
    expect(untouchedSettings(ins, 'ja').currency).toBe('USD');
  });
});
