/**
 * Customer retention by start cohort: live RETENTION over the customers tab (start, end, company),
 * coloured, with one line per cohort; above it, the LTV block: the one-period retention pooled
 * over the table, the expected lifetime it implies, revenue per customer per period, LTV and
 * LTV ÷ CAC, all live formulas (the KPI tree's LTV boxes read them: `⟦retention⟧`).
 */
import { formula } from '../../functions';
import { kpiNode, nodeBox } from '../kpiNodes';
import type { KpiSettings } from '../settings';
import { a1, colLetters, Grid, type SheetModel, sheetRef } from '../sheetModel';
import { colRange } from './formulas';
import { defineSheet } from './sheet';
import { COLORS, FMT, moneyOf } from './style';
import { calculatingText, noDataText } from './treeText';

const NAMES = { ja: '顧客継続率', en: 'Retention' };

const TEXT = {
  ja: {
    note: '契約開始の期間（コホート）ごとに、k期間後の終わりにまだ顧客である割合。解約日が空欄 = 継続中。基準日は顧客タブの最新の日付で、それより後の期間は空欄です。',
    byCompany: '同じ会社の複数の契約は1社として数えます（最初の開始日、すべて解約した日）。',
    chart: '顧客継続率（コホート別）',
    ltv: 'LTV（顧客生涯価値）— 下の継続率の表から',
    rho: '1期間の継続率 ρ（全コホートの合算）',
    rhoNote:
      'Σ（k期間後に残る顧客数）÷ Σ（その1期間前に残っていた顧客数）。下の表で k ≥ 1 の値があるセルすべてで合算',
    lifetime: { month: '期待継続期間（月数）', quarter: '期待継続期間（四半期数）' },
    lifetimeNote:
      '1 ÷ (1 − ρ)。毎期間 ρ の確率で継続する（幾何分布）と仮定。解約が1件もなければ推定できません（データなし）',
    revenue: '顧客あたりの売上（1期間）',
    fromAmount: (quarter: boolean) =>
      `顧客タブの金額列の平均（数値のセルのみ。1行 = 1契約）を月額として${quarter ? '3倍（四半期）' : '使用'}`,
    notNumbers: ['。⚠ 数値でないセルが', '件あり、除いています'],
    fromAvgDeal:
      '顧客タブに金額の列がないため、KPIツリーの平均受注単価（期間の実績）を1期間の売上とみなしています',
    ltvRow: 'LTV',
    ltvNote: '顧客あたりの売上（1期間）× 期待継続期間',
    cac: 'CAC（KPIツリーの期間）',
    cacNote: 'CACシートから（コストがなければデータなし）',
    ratio: 'LTV ÷ CAC',
    ratioNote: '顧客1社の獲得コストの何倍を売上で回収するか',
  },
  en: {
    note: 'Per start period (cohort): the share still a customer at the end of k periods later. A blank end date = still a customer. The report date is the latest date of the customers tab; periods after it are blank.',
    byCompany:
      'Several contracts of one company count as one customer (its first start; ended when all have ended).',
    chart: 'Customer retention by cohort',
    ltv: 'LTV (customer lifetime value) — from the retention table below',
    rho: 'One-period retention ρ (pooled over the cohorts)',
    rhoNote:
      'Σ customers left at k ÷ Σ customers left one period before, over every cell of the table below with a value at k ≥ 1',
    lifetime: {
      month: 'Expected lifetime (months)',
      quarter: 'Expected lifetime (quarters)',
    },
    lifetimeNote:
      '1 ÷ (1 − ρ), assuming a customer stays each period with probability ρ (geometric). Without any churn it cannot be estimated (no data)',
    revenue: 'Revenue per customer per period',
    fromAmount: (quarter: boolean) =>
      `The average of the customers tab’s amount column (number cells only; a row = a contract), read as revenue per month${quarter ? ', × 3 per quarter' : ''}`,
    notNumbers: ['. ⚠ Cells that are not numbers, left out: ', ''],
    fromAvgDeal:
      'No amount column on the customers tab: the KPI tree’s average deal size (the window’s actual) is taken as one period’s revenue per customer',
    ltvRow: 'LTV',
    ltvNote: 'Revenue per customer per period × expected lifetime',
    cac: 'CAC (the KPI tree’s window)',
    cacNote: 'From the CAC sheet (no data without costs)',
    ratio: 'LTV ÷ CAC',
    ratioNote: 'How many times a customer’s acquisition cost comes back as revenue',
  },
};

/** The LTV block's rows (values in column B, labels in A, what each is in C). */
const ROW = { title: 3, rho: 4, lifetime: 5, revenue: 6, ltv: 7, cac: 8, ratio: 9 };
/** The RETENTION table's header row (its cohorts below). */
const TABLE = 11;

/**
 * The KPI tree's actual of LTV or LTV ÷ CAC: the retention sheet's cell, its "calculating" read as
 * a loading cell (#N/A) so that the tree says "calculating" too; a number, "no data" or an error
 * otherwise.
 */
export function retentionActual(which: 'ltv' | 'ltvToCac', calculating: string): string {
  const cell = `⟦retention⟧!${a1(which === 'ltv' ? ROW.ltv : ROW.ratio, 2, true)}`;
  return `IF(${cell}="${calculating}", NA(), ${cell})`;
}

/** A box's actual cell on the KPI tree, as another sheet refers to it (`⟦kpi-tree⟧!$H$11`). */
const treeActual = (id: 'avgDeal' | 'cac') => {
  const { row, col } = nodeBox(kpiNode(id));
  return `⟦kpi-tree⟧!${a1(row + 2, col + 1, true)}`;
};

export function retentionSheet(settings: KpiSettings, spill = 40): SheetModel | undefined {
  const tab = settings.customers;
  const start = tab?.columns.start;
  // Without an end (churn) column every customer would stay forever: no table to show.
  if (!tab || start === undefined || tab.columns.end === undefined) return undefined;
  const lang = settings.lang;
  const t = TEXT[lang];
  const name = NAMES[lang];
  const money = moneyOf(settings);
  const noData = noDataText(lang);
  const q = sheetRef(tab.sheet);
  const col = (c: number | undefined) => (c === undefined ? '' : colRange(q, tab.headerRow, c));
  const g = new Grid(4);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, tab.columns.company === undefined ? t.note : `${t.note} ${t.byCompany}`);
  g.set(TABLE, 1, {
    f: formula('RETENTION', {
      start_dates: col(start),
      end_dates: col(tab.columns.end),
      period: `"${settings.period}"`,
      companies: col(tab.columns.company),
    }),
  });
  g.formatArea(TABLE + 1, 2, spill, [FMT.int, ...new Array(spill).fill(FMT.pct)]);
  const first = TABLE + 1;
  const last = TABLE + spill;
  const lastCol = colLetters(2 + spill);

  // ρ pooled over the table: Σ over cohorts of customers × S(k) at every observed k ≥ 1, over
  // Σ customers × S(k − 1) at the same k. RETENTION fills a row's +0, +1, … up to the report date
  // and leaves the rest "" (core/retention.ts), so "S(k) observed" is ISNUMBER of the cell. Two
  // matrix products, not a helper formula per cohort: MMULT "Calculates the matrix product of two
  // matrices specified as arrays or ranges" and takes numbers only
  // (https://support.google.com/docs/answer/3094292), so every blank is made 0 inside an
  // ARRAYFORMULA ("Enables … the use of non-array functions with arrays",
  // https://support.google.com/docs/answer/3093275); TRANSPOSE turns the customers column into the
  // row that multiplies the table.
  const prevCol = colLetters(1 + spill);
  const customers = `ARRAYFORMULA(IF(ISNUMBER(B${first}:B${last}), B${first}:B${last}, 0))`;
  const observed = `ISNUMBER(D${first}:${lastCol}${last})`;
  const pooled = (values: string) =>
    `SUM(MMULT(TRANSPOSE(${customers}), ARRAYFORMULA(IF(${observed}, ${values}, 0))))`;
  const left = pooled(`D${first}:${lastCol}${last}`);
  const before = pooled(`C${first}:${prevCol}${last}`);

  // The LTV block: live formulas over the table; a number the data cannot support reads "no
  // data", one still computing "calculating", an error its error.
  const anchor = a1(TABLE, 1, true);
  const v = (row: number) => a1(row, 2);
  const line = (
    row: number,
    label: string,
    f: string,
    number: string,
    note: string | { f: string },
  ) => {
    g.set(row, 1, label, { bold: row === ROW.ltv });
    g.set(row, 2, { f }, { number, background: COLORS.KGI, bold: row === ROW.ltv });
    g.set(row, 3, note);
  };
  g.set(ROW.title, 1, t.ltv, { bold: true, background: COLORS.header });
  line(
    ROW.rho,
    t.rho,
    `=IF(ISNA(${anchor}), "${calculatingText(lang)}", IF(ISERROR(${anchor}), ${anchor}, IF(${before}>0, ${left}/${before}, "${noData}")))`,
    FMT.pct,
    t.rhoNote,
  );
  line(
    ROW.lifetime,
    t.lifetime[settings.period],
    `=IF(ISNUMBER(${v(ROW.rho)}), IF(${v(ROW.rho)}<1, 1/(1-${v(ROW.rho)}), "${noData}"), ${v(ROW.rho)})`,
    FMT.days,
    t.lifetimeNote,
  );
  const amount = tab.columns.amount;
  const quarter = settings.period === 'quarter';
  const amounts = col(amount);
  // The amount column is read as the costs tab's columns are (sheets/cac.ts): the spreadsheet's own
  // numbers. AVERAGE leaves text out ("Any text encountered in the value arguments will be
  // ignored", https://support.google.com/docs/answer/3093615), so the text cells are counted
  // (COUNTA "counts all values in a dataset, including … text values",
  // https://support.google.com/docs/answer/3093991; COUNT only numbers) and said, not guessed.
  const notNumbers = `COUNTA(${amounts})-COUNT(${amounts})`;
  line(
    ROW.revenue,
    t.revenue,
    amount === undefined
      ? `=${treeActual('avgDeal')}`
      : `=IF(COUNT(${amounts})>0, AVERAGE(${amounts})${quarter ? '*3' : ''}, "${noData}")`,
    money,
    amount === undefined
      ? t.fromAvgDeal
      : {
          f: `="${t.fromAmount(quarter)}"&IF(${notNumbers}>0, "${t.notNumbers[0]}"&(${notNumbers})&"${t.notNumbers[1]}", "")`,
        },
  );
  line(
    ROW.ltv,
    t.ltvRow,
    `=IF(ISNUMBER(${v(ROW.lifetime)}), IF(ISNUMBER(${v(ROW.revenue)}), ${v(ROW.revenue)}*${v(ROW.lifetime)}, ${v(ROW.revenue)}), ${v(ROW.lifetime)})`,
    money,
    t.ltvNote,
  );
  line(ROW.cac, t.cac, `=${treeActual('cac')}`, money, t.cacNote);
  const [ltv, cac] = [v(ROW.ltv), v(ROW.cac)];
  line(
    ROW.ratio,
    t.ratio,
    `=IF(NOT(ISNUMBER(${ltv})), ${ltv}, IF(NOT(ISNUMBER(${cac})), ${cac}, IF(${cac}>0, ${ltv}/${cac}, "${noData}")))`,
    FMT.multiple,
    t.ratioNote,
  );

  // The rules and the chart cover the spill area (the sheet is sized to it: Sheets never grows a
  // grid, and a range outside it throws).
  const shown = Math.min(TABLE + 37, last);
  return g.model('retention', name, {
    frozenRows: TABLE,
    // The block's labels (A) are longer than a period label.
    columnWidths: [300],
    conditional: [
      { ranges: [`C${first}:${lastCol}${last}`], kind: 'scale', values: [0.5, 0.8, 1] },
    ],
    charts: [
      {
        kind: 'line',
        ranges: [`A${TABLE}:A${shown}`, `C${TABLE}:${lastCol}${shown}`],
        transpose: true,
        title: t.chart,
        row: TABLE,
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
