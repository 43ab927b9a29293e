/**
 * Customer retention by start cohort: live RETENTION over the customers tab (start, end, company),
 * coloured, with one line per cohort.
 */
import type { KpiSettings } from '../settings';
import { colLetters, Grid, type SheetModel, sheetRef } from '../sheetModel';
import { call, colRange } from './formulas';
import { defineSheet } from './sheet';
import { FMT } from './style';

const NAMES = { ja: '顧客継続率', en: 'Retention' };

const TEXT = {
  ja: {
    note: '契約開始の期間（コホート）ごとに、k期間後の終わりにまだ顧客である割合。解約日が空欄 = 継続中。基準日は顧客タブの最新の日付で、それより後の期間は空欄です。',
    byCompany: '同じ会社の複数の契約は1社として数えます（最初の開始日、すべて解約した日）。',
    chart: '顧客継続率（コホート別）',
  },
  en: {
    note: 'Per start period (cohort): the share still a customer at the end of k periods later. A blank end date = still a customer. The report date is the latest date of the customers tab; periods after it are blank.',
    byCompany:
      'Several contracts of one company count as one customer (its first start; ended when all have ended).',
    chart: 'Customer retention by cohort',
  },
};

export function retentionSheet(settings: KpiSettings, spill = 40): SheetModel | undefined {
  const tab = settings.customers;
  const start = tab?.columns.start;
  // Without an end (churn) column every customer would stay forever: no table to show.
  if (!tab || start === undefined || tab.columns.end === undefined) return undefined;
  const lang = settings.lang;
  const t = TEXT[lang];
  const name = NAMES[lang];
  const q = sheetRef(tab.sheet);
  const col = (c: number | undefined) => (c === undefined ? '' : colRange(q, tab.headerRow, c));
  const g = new Grid(4);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, tab.columns.company === undefined ? t.note : `${t.note} ${t.byCompany}`);
  g.set(3, 1, {
    f: call('RETENTION', [
      col(start),
      col(tab.columns.end),
      `"${settings.period}"`,
      '',
      col(tab.columns.company),
    ]),
  });
  g.formatArea(4, 2, spill, [FMT.int, ...new Array(spill).fill(FMT.pct)]);
  // The rules and the chart cover the spill area (the sheet is sized to it: Sheets never grows a
  // grid, and a range outside it throws).
  const last = colLetters(2 + spill);
  return g.model('retention', name, {
    frozenRows: 3,
    conditional: [{ ranges: [`C4:${last}${3 + spill}`], kind: 'scale', values: [0.5, 0.8, 1] }],
    charts: [
      {
        kind: 'line',
        ranges: [`A3:A${Math.min(40, 3 + spill)}`, `C3:${last}${Math.min(40, 3 + spill)}`],
        transpose: true,
        title: t.chart,
        row: 3,
        col: 30,
      },
    ],
  });
}

export const retention = defineSheet({
  key: 'retention',
  names: NAMES,
  // The customers tab is not read at build: room for ten years of months.
  build: ({ settings }) => retentionSheet(settings, 124),
});
