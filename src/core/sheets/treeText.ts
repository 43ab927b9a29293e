/**
 * The KPI tree's words in both languages: the node labels, the plan inputs' labels and the
 * states a node shows. The funnel and capacity sheets, the data checks and the sidebar's API
 * read the same words.
 */

import type { Lang } from '../errors';
import { DIVISION_LABELS, kpiLabel } from '../goals';

export const T = {
  ja: {
    title: 'KPIツリー — 売上（KGI）につながる各部門の数字',
    inputs: '計画の入力（編集できます）',
    from: '期間 開始',
    to: '期間 終了',
    periods: '期間数',
    targetPer: '売上目標（期間あたり）',
    avgDeal: kpiLabel('ja', 'avgDeal'),
    winRate: kpiLabel('ja', 'winRate'),
    dealRate: kpiLabel('ja', 'dealRate'),
    mqlRate: kpiLabel('ja', 'mqlRate'),
    targetShare: kpiLabel('ja', 'targetShare'),
    salRate: kpiLabel('ja', 'salRate'),
    plan: '計画',
    actual: '実績',
    achievement: '達成率',
    revenue: kpiLabel('ja', 'revenue'),
    won: kpiLabel('ja', 'won'),
    deals: kpiLabel('ja', 'deals'),
    mql: kpiLabel('ja', 'mql'),
    targetLeads: kpiLabel('ja', 'targetLeads'),
    leads: kpiLabel('ja', 'leads'),
    companies: kpiLabel('ja', 'companies'),
    data: 'データ（リードタブから自動計算）',
    division: DIVISION_LABELS.ja,
    noData: 'データなし',
    calculating: '計算中…',
    incomplete: '⚠ 再作成が完了していません — もう一度「作成」を実行してください',
    assumed: '仮定（データなし）',
    closedWinRate: kpiLabel('ja', 'closedWinRate'),
    checks: 'データの確認',
    planPer: '計画（期間あたり）',
    editOnTree: '計画はKPIツリーで編集します（ここはその値を表示）',
    cac: kpiLabel('ja', 'cac'),
    leadToDeal: kpiLabel('ja', 'leadToDeal'),
    dealToWon: kpiLabel('ja', 'dealToWon'),
    offPath: '売上の経路外',
    fromActual: '＝期間の実績',
  },
  en: {
    title: 'KPI tree — every division’s number, connected to revenue (KGI)',
    inputs: 'Plan inputs (editable)',
    from: 'Window start',
    to: 'Window end',
    periods: 'Periods',
    targetPer: 'Revenue target per period',
    avgDeal: kpiLabel('en', 'avgDeal'),
    winRate: kpiLabel('en', 'winRate'),
    dealRate: kpiLabel('en', 'dealRate'),
    mqlRate: kpiLabel('en', 'mqlRate'),
    targetShare: kpiLabel('en', 'targetShare'),
    salRate: kpiLabel('en', 'salRate'),
    plan: 'Plan',
    actual: 'Actual',
    achievement: 'Achievement',
    revenue: kpiLabel('en', 'revenue'),
    won: kpiLabel('en', 'won'),
    deals: kpiLabel('en', 'deals'),
    mql: kpiLabel('en', 'mql'),
    targetLeads: kpiLabel('en', 'targetLeads'),
    leads: kpiLabel('en', 'leads'),
    companies: kpiLabel('en', 'companies'),
    data: 'Data (computed from the lead tab)',
    division: DIVISION_LABELS.en,
    noData: 'no data',
    calculating: 'Calculating…',
    incomplete: '⚠ Rebuild incomplete — run Build again',
    assumed: 'assumption (no data)',
    closedWinRate: kpiLabel('en', 'closedWinRate'),
    checks: 'Data checks',
    planPer: 'Plan per period',
    editOnTree: 'The plan is edited on the KPI tree (shown here)',
    cac: kpiLabel('en', 'cac'),
    leadToDeal: kpiLabel('en', 'leadToDeal'),
    dealToWon: kpiLabel('en', 'dealToWon'),
    offPath: 'off the revenue path',
    fromActual: '= window actual',
  },
};

/** "no data" in a language: what a cell shows for a number the data cannot support. */
export const noDataText = (lang: Lang): string => T[lang].noData;
/** What a node shows while a custom function it reads is still loading (Sheets' "Loading…"). */
export const calculatingText = (lang: Lang): string => T[lang].calculating;
