/**
 * 着地予測 / Forecast: where the coming periods land — the cohort method (KPI_COHORT_FORECAST over
 * the lead tab's created and won dates) and the pipeline method (KPI_PIPELINE_FORECAST over the
 * open deals' stages, amounts and expected close dates) side by side, per period, with the plan,
 * the actual so far, the range the cohort method's own backtest gives, and the landing at the
 * window's end the KPI tree's forecast node reads (FORECAST_CELLS.landing).
 *
 * Every number is a live formula over the user's tabs; the as-of date is an input cell (custom
 * functions must be deterministic: no TODAY()), written at build as the latest created date of
 * the data and changeable by the user.
 */

import { formula } from '../../functions';
import { isoToDay, type Period, periodOfDay, serialOfDay } from '../dates';
import { type KpiId, kpiLabel, kpiNode, type Measure, nodeBox } from '../kpiNodes';
import { windowDays } from '../leads';
import { maxOf } from '../numbers';
import {
  type Actuals,
  assumedTest,
  measuredOf,
  PLAN_CELL,
  PLAN_INPUT,
  plansFromActual,
} from '../plan';
import type { KpiSettings } from '../settings';
import { a1, type ConditionalRule, colLetters, Grid, type SheetModel } from '../sheetModel';
import { dealColumns, funnelTotal, leadColumns, TREE_FUNNEL, writeLists } from './formulas';
import { writeGapTables } from './revenueGap';
import { defineSheet } from './sheet';
import { COLORS, FMT, moneyOf } from './style';
import { calculatingText, noDataText } from './treeText';

const NAMES = { ja: '着地予測', en: 'Forecast' };

/** Periods the forecast table shows (a year of months; the horizon input may ask for more). */
const PERIODS_SHOWN = 12;

/** Fewer backtested periods than this: no range is shown ("too short to backtest"). */
export const MIN_BACKTEST = 3;

const TEXT = {
  ja: {
    note: '次の期間がどこに着地するか。コホート法: リードの作成期間（コホート）ごとに、過去のコホートが各経過期間で受注した割合（リードあたり）を当てはめます。基準日の期間の初めに分かっていたことだけで予測します。まだ作成されていないリードは予測に入りません（「計画リードを含める」をTRUEにすると計画のリード数を加えます）。パイプライン法: 未完了の商談 × その経過日数まで未完了だった商談が最終的に受注する確率（未完了の商談も現在の経過日数までは分母に入れます。関数にステージ履歴を渡せば同じステージの受注率）× 金額、完了予定日の期間に計上します。未完了の商談はいまの経過日数までしか数えられないため、決着しないまま残る商談が多いとまだ高めに出ることがあります。',
    asOf: '基準日（編集できます）',
    planned: '計画リードを含める（TRUE/FALSE）',
    horizon: '予測する期間数（表は12期間まで）',
    windowEnd: '集計期間の終了（KPIツリー）',
    table: '期間別の予測',
    header: [
      '期間',
      '計画',
      '実績（これまで）',
      'コホート法の予測（期間全体）',
      'パイプライン法の予測（未完了の商談）',
      '範囲（下限）',
      '範囲（上限）',
      '集計期間内の予測',
      '集計期間内の予測（受注数）',
    ],
    landingNote:
      '＝ 集計期間の実績 ＋ 基準日の期間の予測 × その期間の残りの割合 ＋ その後の期間の予測（集計期間の終わりまで）',
    ahead: '基準日の期間の残り（日数の割合）',
    backtest:
      'バックテスト — コホート法（各期間を、その期間の初めに分かっていたことから予測して実績と比較）',
    mape: '平均絶対誤差率（MAPE）',
    bias: 'バイアス（予測合計 ÷ 実績合計 − 1）',
    periods: 'バックテストした期間数',
    tooShort: (n: number) =>
      `データが短く、バックテストできる期間が${n}未満です: 範囲は表示しません`,
    pipelineBacktest:
      'バックテスト — パイプライン法: データにステージ履歴（過去の日付での各商談のステージ）がないため、バックテストできません。',
    pipeline: 'パイプライン法の予測（明細）',
    cohort: 'コホート法の予測（明細）',
    ofDeals: (tab: string) =>
      `このデータのコホート法は、商談タブ「${tab}」の商談を作成期間ごとにまとめたもの（商談→受注）です。リードタブには作成日と受注日がありません。`,
    noCohort:
      'コホート法: リードタブに作成日と受注日（または完了日と受注を意味するステータス）が必要です。',
    noPipeline:
      'パイプライン法: ステータス、金額、完了（予定）日の列が必要です。この表では計算しません。',
    won: '受注数',
    chart: '期間別の売上: 計画・実績・予測',
  },
  en: {
    note: 'Where the coming periods land. Cohort method: each lead cohort (the period its leads were created) converts as earlier cohorts did at each age (won deals per lead), from what was known at the start of the as-of period. Leads not created yet are not forecast (set “Include planned leads” to TRUE to add the plan’s leads). Pipeline method: open deals × the chance that a deal still open at that age is eventually won, the deals still open counted as at risk up to their current age (the win rate at the same stage where the function is given a stage history) × amount, in the period of the expected close date. Deals still open count only up to their current age, so it can still run high where many deals never close.',
    asOf: 'As of (editable)',
    planned: 'Include planned leads (TRUE/FALSE)',
    horizon: 'Periods to forecast (the table shows up to 12)',
    windowEnd: 'Window end (KPI tree)',
    table: 'Forecast by period',
    header: [
      'Period',
      'Plan',
      'Actual so far',
      'Cohort forecast (whole period)',
      'Pipeline forecast (open deals)',
      'Range (low)',
      'Range (high)',
      'Forecast within the window',
      'Forecast within the window (won deals)',
    ],
    landingNote:
      '= the window’s actual + the as-of period’s forecast × the share of it still ahead + the forecast of the periods after it (to the window’s end)',
    ahead: 'Share of the as-of period still ahead (days)',
    backtest:
      'Backtest — cohort method (each period forecast from what was known at its start, against what happened)',
    mape: 'Mean absolute percentage error (MAPE)',
    bias: 'Bias (Σ forecast ÷ Σ actual − 1)',
    periods: 'Periods backtested',
    tooShort: (n: number) =>
      `The data is too short: fewer than ${n} periods could be backtested, so no range is shown`,
    pipelineBacktest:
      'Backtest — pipeline method: the data holds no stage history (each deal’s stage at past dates), so it cannot be backtested.',
    pipeline: 'Pipeline forecast (detail)',
    cohort: 'Cohort forecast (detail)',
    ofDeals: (tab: string) =>
      `Here the cohort method groups the deals of the deals tab “${tab}” by the period they were created (deal → won): the lead tab has no created and won dates.`,
    noCohort:
      'Cohort method: the lead tab needs a created date and a won date (or a closing date with a status that means won).',
    noPipeline:
      'Pipeline method: needs status, amount and (expected) closing date columns; not computed here.',
    won: 'Won deals',
    chart: 'Revenue by period: plan, actual and forecast',
  },
};

/** Where the KPI tree reads the forecast (the landing at the window's end). */
export const FORECAST_CELLS = { landing: 'B9' } as const;

/**
 * The cohort method's columns: the lead tab's created and won dates (or closing dates of rows
 * whose status means won) — else, where the lead tab has none (an MQL list beside a deals tab, a
 * lead tab without a created date), the deals tab's own: cohorts of deals, deal → won.
 */
function cohortArgs(
  settings: KpiSettings,
  wonCells: string[],
): { created: string; conversion: string; amounts: string; of: 'leads' | 'deals' } | undefined {
  const fromTab = (c: ReturnType<typeof leadColumns>, of: 'leads' | 'deals') => {
    if (!c.created) return undefined;
    const amounts = c.amount ?? '';
    if (c.wonDate) return { created: c.created, conversion: c.wonDate, amounts, of };
    if (c.closeDate && c.status && wonCells.length > 0) {
      // A closing date counts for the rows whose status means won. ARRAYFORMULA: Sheets evaluates
      // an IF over ranges row by row only inside one ("ARRAYFORMULA: Enables the display of
      // values returned from an array formula into multiple rows and/or columns and the use of
      // non-array functions with arrays", https://support.google.com/docs/answer/3093275).
      const won = wonCells.map((w) => `(${c.status}=${w})`).join('+');
      return {
        created: c.created,
        conversion: `ARRAYFORMULA(IF(${won}>0, ${c.closeDate}, ""))`,
        amounts,
        of,
      };
    }
    return undefined;
  };
  return fromTab(leadColumns(settings), 'leads') ?? fromTab(dealColumns(settings), 'deals');
}

/**
 * The deals' columns of the pipeline method: the deals tab's, else the lead tab's. The closing
 * date is the expected close of an open deal (a won date where the data has no closing date: open
 * deals then land after the median remaining time); a deal's age runs from its deal date, else
 * its created date.
 */
function pipelineArgs(
  settings: KpiSettings,
): { stages: string; amounts: string; close: string; created: string } | undefined {
  const d = dealColumns(settings);
  const c = leadColumns(settings);
  const src = d.status ? d : c;
  const close = src.closeDate ?? src.wonDate;
  if (!src.status || !src.amount || !close) return undefined;
  return {
    stages: src.status,
    amounts: src.amount,
    close,
    created: src.dealDate ?? src.created ?? '',
  };
}

/** Whether a build can show a forecast (the tree's forecast node is measured by the same test). */
export function forecastable(settings: KpiSettings): boolean {
  return cohortColumns(settings) !== undefined;
}

/** Whether the forecast is revenue (the cohort method's tab has amounts): the tree's box needs it. */
export function forecastsRevenue(settings: KpiSettings): boolean {
  return (cohortColumns(settings)?.amounts ?? '') !== '';
}

/** The cohort method's columns as the build's settings give them (the won cells not written yet). */
function cohortColumns(settings: KpiSettings) {
  const wonValues = Object.values(settings.statusMap ?? {}).includes('won');
  return cohortArgs(settings, wonValues ? ['x'] : []);
}

/** A period's label as the functions write it, from a date cell: "2025-04" or "2025-Q2". */
function labelOf(cell: string, period: Period): string {
  return period === 'quarter'
    ? `YEAR(${cell})&"-Q"&ROUNDUP(MONTH(${cell})/3,0)`
    : `TEXT(${cell},"yyyy-mm")`;
}

export function forecastSheet(
  settings: KpiSettings,
  asOfDay: number,
  actuals: Actuals,
): SheetModel {
  const lang = settings.lang;
  const t = TEXT[lang];
  const name = NAMES[lang];
  const money = moneyOf(settings);
  const g = new Grid(8);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  // Inputs A4:B7.
  g.set(4, 1, t.asOf);
  g.set(4, 2, serialOfDay(asOfDay), { number: FMT.date, background: COLORS.input });
  g.set(5, 1, t.planned);
  g.set(5, 2, false, { background: COLORS.input });
  const toDay = isoToDay(settings.to);
  const period = settings.period;
  const toWindowEnd = periodOfDay(toDay, period) - periodOfDay(asOfDay, period) + 1;
  const horizon = Math.min(PERIODS_SHOWN, Math.max(3, toWindowEnd));
  g.set(6, 1, t.horizon);
  g.set(6, 2, horizon, { number: FMT.int, background: COLORS.input });
  g.set(7, 1, t.windowEnd);
  g.set(7, 2, { f: `=⟦kpi-tree⟧!${PLAN_INPUT.to}` }, { number: FMT.date });

  // The lists the formulas read (status meanings), far right.
  const listCol = 23; // W: the status meanings the pipeline reads
  const lists = writeLists(g, 1, listCol, settings);
  const statuses = Object.entries(settings.statusMap ?? {});
  const wonCells = statuses
    .map(([, stage], i) => (stage === 'won' ? a1(3 + i, listCol + 1, true) : ''))
    .filter((x) => x !== '');
  const cohort = cohortArgs(settings, wonCells);
  if (cohort?.of === 'deals') g.set(3, 1, t.ofDeals(settings.deals?.sheet ?? ''));
  const pipe = pipelineArgs(settings);
  const calc = calculatingText(lang);
  const noData = noDataText(lang);
  const revenue = cohort?.amounts !== '';

  // Detail spills, right of the table: the cohort forecast (J), the pipeline forecast (P), the
  // cohort backtest (J, below).
  const H = 40; // rows the detail spills may take (a horizon typed up to 39)
  // Right of the manager's columns (A…I) and below the chart (K3): the functions' own tables
  // (K24, Q24), which those cells read.
  const cohortCol = 11;
  const pipeCol = 17;
  const detailRow = 24;
  g.set(detailRow - 1, cohortCol, t.cohort, { bold: true, background: COLORS.header });
  if (cohort) {
    g.set(detailRow, cohortCol, {
      f: formula('KPI_COHORT_FORECAST', {
        created_dates: cohort.created,
        conversion_dates: cohort.conversion,
        as_of: '$B$4',
        period: `"${period}"`,
        horizon: '$B$6',
        amounts: cohort.amounts,
        // The plan's new cohort members per period: leads, or deals for cohorts of deals.
        new_leads: `IF($B$5=TRUE(), ⟦kpi-tree⟧!${cohort.of === 'deals' ? PLAN_CELL.deals : PLAN_CELL.leads}, "")`,
        bad_cells: '"skip"',
      }),
    });
    g.formatArea(detailRow + 1, cohortCol + 1, H, [FMT.days, money, FMT.int, money]);
  } else g.set(detailRow, cohortCol, t.noCohort);
  g.set(detailRow - 1, pipeCol, t.pipeline, { bold: true, background: COLORS.header });
  if (pipe) {
    g.set(detailRow, pipeCol, {
      f: formula('KPI_PIPELINE_FORECAST', {
        stages: pipe.stages,
        amounts: pipe.amounts,
        close_dates: pipe.close,
        history: '""',
        as_of: '$B$4',
        period: `"${period}"`,
        horizon: '$B$6',
        status_map: lists.statusMap,
        created_dates: pipe.created,
        bad_cells: '"skip"',
      }),
    });
    g.formatArea(detailRow + 1, pipeCol + 1, H, [FMT.int, money, FMT.days, money]);
  } else g.set(detailRow, pipeCol, t.noPipeline);

  // The backtest of the cohort method (6 periods), under its summary (its header row, then rows).
  const head = 10; // the table's header row
  const btRow = head + PERIODS_SHOWN + 9;
  const bt = (c: number) =>
    `$${colLetters(1 + c)}$${btRow + 1}:$${colLetters(1 + c)}$${btRow + 12}`;
  if (cohort) {
    g.set(btRow, 1, {
      f: formula('KPI_COHORT_FORECAST', {
        created_dates: cohort.created,
        conversion_dates: cohort.conversion,
        as_of: '$B$4',
        period: `"${period}"`,
        horizon: '6',
        amounts: cohort.amounts,
        view: '"backtest"',
        bad_cells: '"skip"',
      }),
    });
    g.formatArea(btRow + 1, 2, 12, [FMT.days, FMT.int, money, money, FMT.pct, '0.00']);
  }

  // The table the manager reads: A10 header, one row per period.
  g.set(head - 1, 1, t.table, { bold: true, background: COLORS.header });
  // …but the landing sits above it, at FORECAST_CELLS.landing (B9) — see below.
  t.header.forEach((h, i) => {
    g.set(head, 1 + i, h, { bold: true, background: COLORS.header });
  });
  const cohortAnchor = a1(detailRow, cohortCol, true);
  const pipeAnchor = a1(detailRow, pipeCol, true);
  const btAnchor = a1(btRow, 1, true);
  /** A cell that reads a spill: "calculating" while it loads, its error when it failed. */
  const guard = (anchor: string, f: string) =>
    `=IF(ISNA(${anchor}), "${calc}", IF(ISERROR(${anchor}), ${anchor}, ${f}))`;
  // The cohort detail's columns: forecast conversions (K), revenue (L), actual (M, N).
  const cc = (c: number) => colLetters(cohortCol + c);
  const n = (r: number) => r - head; // the row's period index (1 …)
  const fcCol = revenue ? 2 : 1; // forecast revenue, else conversions
  const acCol = revenue ? 4 : 3;
  // Range: the forecast × the lowest and highest actual ÷ forecast of the backtest.
  const ratios = bt(6);
  const enough = `COUNT(${ratios})>=${MIN_BACKTEST}`;
  for (let r = head + 1; r <= head + PERIODS_SHOWN; r++) {
    const i = n(r);
    const label = `INDEX($${cc(0)}$${detailRow + 1}:$${cc(0)}$${detailRow + H}, ${i})`;
    const has = `$B$6>=${i}`;
    if (!cohort) continue;
    g.set(r, 1, { f: guard(cohortAnchor, `IF(${has}, ${label}, "")`) });
    // Plan per period: the tree's revenue target (B7), or its won plan per period without amounts.
    g.set(
      r,
      2,
      {
        f: `=IF(A${r}="", "", ${revenue ? `⟦kpi-tree⟧!${PLAN_INPUT.target}` : `⟦kpi-tree⟧!${PLAN_CELL.won}`})`,
      },
      { number: revenue ? money : FMT.int },
    );
    const at = (c: number) => `INDEX($${cc(c)}$${detailRow + 1}:$${cc(c)}$${detailRow + H}, ${i})`;
    g.set(
      r,
      3,
      { f: guard(cohortAnchor, `IF(A${r}="", "", ${at(acCol)})`) },
      { number: revenue ? money : FMT.int },
    );
    g.set(
      r,
      4,
      { f: guard(cohortAnchor, `IF(A${r}="", "", ${at(fcCol)})`) },
      { number: revenue ? money : FMT.days },
    );
    const pc = (c: number) =>
      `$${colLetters(pipeCol + c)}$${detailRow + 1}:$${colLetters(pipeCol + c)}$${detailRow + H}`;
    g.set(
      r,
      5,
      {
        f: pipe
          ? guard(
              pipeAnchor,
              `IF(A${r}="", "", IFERROR(INDEX(${pc(revenue ? 4 : 3)}, MATCH(A${r}, ${pc(0)}, 0)), 0))`,
            )
          : `=IF(A${r}="", "", "${noData}")`,
      },
      { number: revenue ? money : FMT.days },
    );
    const range = (fn: 'MIN' | 'MAX') =>
      guard(
        btAnchor,
        `IF(OR(A${r}="", NOT(ISNUMBER(D${r}))), "", IF(${enough}, D${r}*${fn}(${ratios}), "${noData}"))`,
      );
    g.set(r, 6, { f: range('MIN') }, { number: revenue ? money : FMT.days });
    g.set(r, 7, { f: range('MAX') }, { number: revenue ? money : FMT.days });
    // The forecast counted in the landing: periods after the as-of one, up to the window's end
    // (label comparisons are text: "2025-04" < "2025-10", "2025-Q1" < "2025-Q3").
    if (r > head + 1)
      g.set(
        r,
        8,
        {
          f: `=IF(AND(A${r}<>"", ISNUMBER(D${r})), IF(A${r}<=${labelOf('$B$7', period)}, D${r}, 0), 0)`,
        },
        { number: revenue ? money : FMT.days },
      );
    // The same for won deals (the landing of the won node, for the split of the expected gap).
    if (r > head + 1 && revenue)
      g.set(
        r,
        9,
        {
          f: `=IF(AND(A${r}<>"", ISNUMBER(${at(1)})), IF(A${r}<=${labelOf('$B$7', period)}, ${at(1)}, 0), 0)`,
        },
        { number: FMT.days },
      );
  }

  // Landing at the window's end (B9): the tree's actual revenue of the window, plus the as-of
  // period's forecast for its days still ahead (its pace: the forecast × days left ÷ days in the
  // period — nothing once as_of is its last day), plus the forecast of the periods after it up
  // to the window's end. Label comparisons are text: "2025-04" < "2025-10", "2025-Q1" < "2025-Q3".
  const endLabel = labelOf('$B$7', period);
  const periodEnd =
    period === 'quarter'
      ? 'EOMONTH(DATE(YEAR($B$4), ROUNDUP(MONTH($B$4)/3, 0)*3, 1), 0)'
      : 'EOMONTH($B$4, 0)';
  const periodStart =
    period === 'quarter'
      ? 'DATE(YEAR($B$4), (ROUNDUP(MONTH($B$4)/3, 0)-1)*3+1, 1)'
      : 'DATE(YEAR($B$4), MONTH($B$4), 1)';
  g.set(8, 1, t.ahead);
  g.set(
    8,
    2,
    { f: `=IF(ISNUMBER($B$4), (${periodEnd}-INT($B$4))/(${periodEnd}-${periodStart}+1), "")` },
    { number: FMT.pct },
  );
  g.set(9, 3, t.landingNote);
  // The tree's revenue actual (the revenue box's actual cell, or its won deals without amounts).
  const box = nodeBox(kpiNode(revenue ? 'revenue' : 'won'));
  const treeActual = `⟦kpi-tree⟧!${a1(box.row + 2, box.col + 1, true)}`;
  const landing = cohort
    ? guard(
        cohortAnchor,
        `IF(NOT(ISNUMBER(${treeActual})), "${noData}", IF($A$${head + 1}>${endLabel}, ${treeActual}, ${treeActual}+N($B$8)*N($D$${head + 1})+SUM($H$${head + 2}:$H$${head + PERIODS_SHOWN})))`,
      )
    : `="${noData}"`;
  g.set(9, 1, kpiForecastLabel(lang), { bold: true });
  g.set(9, 2, { f: landing }, { number: revenue ? money : FMT.int, bold: true });

  // Backtest summary under the table.
  const sumRow = head + PERIODS_SHOWN + 2;
  g.set(sumRow, 1, t.backtest, { bold: true, background: COLORS.header });
  const errors = bt(5);
  const [fc, ac] = revenue ? [bt(3), bt(4)] : [bt(1), bt(2)];
  g.set(sumRow + 1, 1, t.periods);
  g.set(sumRow + 1, 2, { f: guard(btAnchor, `COUNT(${errors})`) }, { number: FMT.int });
  g.set(sumRow + 2, 1, t.mape);
  g.set(
    sumRow + 2,
    2,
    {
      f: guard(
        btAnchor,
        `IF(${enough}, (SUMIF(${errors}, ">0")-SUMIF(${errors}, "<0"))/COUNT(${errors}), "${t.tooShort(MIN_BACKTEST)}")`,
      ),
    },
    { number: FMT.pct },
  );
  g.set(sumRow + 3, 1, t.bias);
  g.set(
    sumRow + 3,
    2,
    {
      f: guard(
        btAnchor,
        `IF(${enough}, IF(SUM(${ac})>0, SUM(${fc})/SUM(${ac})-1, ""), "${t.tooShort(MIN_BACKTEST)}")`,
      ),
    },
    { number: FMT.pct },
  );
  g.set(sumRow + 5, 1, t.pipelineBacktest);

  // Which KPI is expected to cause the miss: the revenue-gap split of the tree, for the landing.
  const split =
    cohort && revenue
      ? writeForecastSplit(g, btRow + 14, settings, actuals, money, {
          cohortAnchor,
          head,
          detailRow,
          H,
          cohortCol,
        })
      : undefined;

  return g.model('forecast', name, {
    grid: { rows: Math.max(btRow + 14, (split?.endRow ?? 0) + 2), cols: listCol + 3 },
    frozenRows: 0,
    // Two widths (one setColumnWidths call each): the labels (A), then every number column.
    columnWidths: [330, 150, 150, 150, 150, 150, 150, 150, 150],
    conditional: split?.conditional ?? [],
    charts: cohort
      ? [
          {
            kind: 'line',
            ranges: [`A${head}:A${head + horizon}`, `B${head}:E${head + horizon}`],
            title: t.chart,
            row: 3,
            col: 11,
          },
        ]
      : [],
  });
}

/** The tree's forecast node label (also the landing's label on this sheet). */
export const kpiForecastLabel = (lang: 'ja' | 'en') =>
  lang === 'ja' ? '売上着地予測（集計期間末）' : 'Revenue forecast (window end)';

export const forecast = defineSheet({
  key: 'forecast',
  names: NAMES,
  build: ({ settings, table, actuals }) => {
    if (!forecastable(settings)) return undefined;
    // As of: the latest created date of the data (an export is as of its last record).
    const days = windowDays(table, settings.mapping);
    const asOf = days.length > 0 ? maxOf(days) : isoToDay(settings.to);
    return forecastSheet(settings, asOf, actuals);
  },
});

const SPLIT_TEXT = {
  ja: {
    title: '予想される売上ギャップの要因（集計期間末の着地予測 対 計画）',
    method:
      'KPIツリーの売上ギャップ分解（対数平均ディビジア）を、集計期間末の予測に当てはめたものです。受注数と売上はコホート法の着地予測、それより上の件数（リード・MQL・商談など）は集計期間の実績 × 期間の日数 ÷ 基準日までの日数（同じペースが続くとした場合）。',
    elapsed: '基準日までの集計期間の日数',
    days: '集計期間の日数',
    pace: 'ペース係数（日数 ÷ 経過日数）',
    atEnd: '集計期間末の予測',
  },
  en: {
    title: 'Where the expected revenue gap comes from (landing at the window’s end vs plan)',
    method:
      'The KPI tree’s revenue-gap split (log-mean Divisia), applied to the forecast at the window’s end: won deals and revenue are the cohort landing; the counts above them (leads, MQL, deals …) are the window’s actual × window days ÷ days elapsed at the as-of date (the same pace to the end).',
    elapsed: 'Window days elapsed at the as-of date',
    days: 'Window days',
    pace: 'Pace factor (days ÷ days elapsed)',
    atEnd: 'Forecast at the window’s end',
  },
};

/**
 * The split of the expected gap (landing vs plan) by KPI, with the tree's own tables
 * (writeGapTables, plan inputs read from ⟦kpi-tree⟧): every KPI forecast at the window's end —
 * won and revenue from the cohort landing, the counts above them at the window's pace so far.
 */
function writeForecastSplit(
  g: Grid,
  row: number,
  settings: KpiSettings,
  actuals: Actuals,
  money: string,
  at: { cohortAnchor: string; head: number; detailRow: number; H: number; cohortCol: number },
): { endRow: number; conditional: ConditionalRule[] } {
  const t = SPLIT_TEXT[settings.lang];
  const tree = (cell: string) => `⟦kpi-tree⟧!$${cell[0]}$${cell.slice(1)}`;
  const from = tree(PLAN_INPUT.from);
  const to = tree(PLAN_INPUT.to);
  g.set(row, 1, t.atEnd, { bold: true, background: COLORS.header });
  g.set(row + 1, 1, t.elapsed);
  g.set(row + 1, 2, { f: `=MAX(0, MIN($B$4, ${to})-${from}+1)` }, { number: FMT.int });
  g.set(row + 2, 1, t.days);
  g.set(row + 2, 2, { f: `=${to}-${from}+1` }, { number: FMT.int });
  g.set(row + 3, 1, t.pace);
  g.set(row + 3, 2, { f: `=IF(B${row + 1}>0, B${row + 2}/B${row + 1}, "")` }, { number: '0.00' });
  const pace = `$B$${row + 3}`;
  const windowTotal = funnelTotal(settings, '⟦kpi-tree⟧');
  const counts: Measure[] = [
    'leads',
    'targetLeads',
    'mql',
    ...(measuredOf(settings).sal ? (['sal'] as Measure[]) : []),
    'deals',
  ];
  const cellOf: Partial<Record<Measure, string>> = {};
  let r = row + 4;
  const noData = noDataText(settings.lang);
  for (const m of counts) {
    g.set(r, 1, kpiLabel(settings.lang, m === 'sal' ? 'sal' : (m as KpiId)));
    const x = windowTotal(m);
    g.set(
      r,
      2,
      { f: `=IF(AND(ISNUMBER(${x}), ISNUMBER(${pace})), ${x}*${pace}, "${noData}")` },
      { number: FMT.days },
    );
    cellOf[m] = `$B$${r}`;
    r++;
  }
  // Won at the window's end: the tree's won so far + the as-of period's forecast beyond its
  // actual + the forecast within the window after it (column I of the table).
  const box = nodeBox(kpiNode('won'));
  const wonActual = `⟦kpi-tree⟧!${a1(box.row + 2, box.col + 1, true)}`;
  const k = (c: number) => `$${colLetters(at.cohortCol + c)}$${at.detailRow + 1}`;
  g.set(r, 1, kpiLabel(settings.lang, 'won'));
  g.set(
    r,
    2,
    {
      f: `=IF(NOT(ISNUMBER(${wonActual})), "${noData}", IF($A$${at.head + 1}>${labelOf('$B$7', settings.period)}, ${wonActual}, ${wonActual}+N($B$8)*N(${k(1)})+SUM($I$${at.head + 2}:$I$${at.head + PERIODS_SHOWN})))`,
    },
    { number: FMT.days },
  );
  cellOf.won = `$B$${r}`;
  r++;
  g.set(r, 1, kpiLabel(settings.lang, 'revenue'));
  g.set(r, 2, { f: `=${FORECAST_CELLS.landing}` }, { number: money });
  cellOf.revenue = `$B$${r}`;
  r++;
  const ratio = (a: string | undefined, b: string | undefined) =>
    a && b ? `IF(AND(ISNUMBER(${a}), ISNUMBER(${b})), IF(${b}>0, ${a}/${b}, ""), "")` : '""';
  const total = (m: Measure): string => {
    if (cellOf[m]) return cellOf[m] as string;
    if (m === 'mqlRate') return ratio(cellOf.mql, cellOf.targetLeads);
    if (m === 'dealRate') return ratio(cellOf.deals, cellOf.mql);
    if (m === 'winRate') return ratio(cellOf.won, cellOf.deals);
    if (m === 'avgDeal') return ratio(cellOf.revenue, cellOf.won);
    return '""';
  };
  const gap = writeGapTables(
    g,
    r + 1,
    settings,
    total,
    `${tree(PLAN_INPUT.target)}*${tree(PLAN_INPUT.periods)}`,
    money,
    plansFromActual(settings, actuals),
    assumedTest(settings, actuals, tree),
    { planRef: tree, title: t.title, method: t.method },
  );
  // While a function the split reads is loading: "calculating"; when it failed: its error.
  const calc = calculatingText(settings.lang);
  const funnel = `⟦kpi-tree⟧!${TREE_FUNNEL.anchor}`;
  for (let rr = row + 1; rr <= gap.endRow; rr++) {
    for (let c = 1; c <= 13; c++) {
      const v = g.values[rr - 1]?.[c - 1];
      if (v === null || typeof v !== 'object') continue;
      g.values[rr - 1][c - 1] = {
        f: `=IF(OR(ISNA(${at.cohortAnchor}), ISNA(${funnel})), "${calc}", IF(ISERROR(${funnel}), ${funnel}, ${v.f.replace(/^=/, '')}))`,
      };
    }
  }
  return { endRow: gap.endRow, conditional: gap.conditional };
}
