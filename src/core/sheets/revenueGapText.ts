/** The revenue-gap tables' words in both languages (sheets/revenueGap.ts). */
export const GAP_TEXT = {
  ja: {
    title: '売上ギャップの要因 — 部門別サマリー（各KPIが売上の差をいくら生んだか）',
    method:
      '売上の差を、各KPIの「実績 ÷ 計画」の対数の比で按分します（LMDI法: 影響 = L × ln(実績 ÷ 計画)、L =（売上実績 − 売上計画）÷ ln(売上実績 ÷ 売上計画)）。影響の合計は売上の差に一致します。影響は差の中の取り分で、そのKPIだけを直して取り戻せる額ではありません（それは「このKPIだけ計画どおりなら」）。',
    header: [
      '部門',
      'KPI',
      '計画',
      '実績',
      '実績 ÷ 計画',
      '売上への影響',
      'このKPIだけ計画どおりなら',
      '順位',
    ],
    total: (d: string) => `${d} 計`,
    gap: '売上の差（実績 − 計画）',
    sum: '影響の合計',
    logMean: 'L（按分の係数: 対数平均）',
    noData: 'データなし',
    notMeasured: (start: string) => `データなし（この分解は「${start}」から始まります）`,
    none: 'データなし: 受注数または売上（金額列）を測れないため分解できません',
    bad: (label: string) =>
      `分解できません: ${label} が0またはデータなし（対数の分解には0より大きい値が必要です）`,
    badPlan: '分解できません: 売上計画が0です',
    levers: '効く順: そのKPIだけが計画に届いたときに増える売上（ほかは実績のまま）',
    leverHeader: ['順位', 'KPI', '部門', '増える売上'],
    leverNote:
      '計画を下回るKPIだけを順位づけます。増える額は足し合わせられず、ほかのKPIが計画を上回っていると売上の差より大きくなることがあります。',
    noLever: 'なし（すべて計画以上）',
    salTitle:
      'SALで分けた商談化率: MQL→SAL × SAL→商談（上の表の商談化率の影響を2つに分けたもの。合計は商談化率の影響）',
    effectRow: '売上への影響',
    effectBelow: '影響（下の段階を含む）',
    gapRow: '計画との差',
    noTarget:
      '売上目標が未入力のため、計画 = 期間の実績売上（期間あたり）: 期間全体の差はありません。サイドバーかB7に売上目標を入力してください。',
    fromActual: (labels: string) =>
      `計画が未入力のため、計画 = 期間の実績: ${labels}（影響は0になります。計画ステップかB8:B12に計画を入力してください）`,
    backCalc: (start: string) =>
      `${start}の計画は売上計画からの逆算（売上計画 ÷ 計画の率と単価の積）: 率の計画が低いほど、差は${start}に集まります。`,
    atPlan: '計画以上',
    planAssumed: '計画は仮定値',
    leftOut:
      '計画が仮定値（データなし）のKPIは分解から外しています（「計画は仮定値」）: 示した影響の合計は売上の差と一致しません。B7:B13に実際の計画を入力すると分解に入ります。',
    totalRow:
      '合計は分解しません（期間ごとの影響をKPI別に足しても期間全体の分解にはなりません。期間全体の分解はKPIツリーにあります）',
    offPath: '売上の経路外',
    periodGap: '売上の差（計画比）',
    periodCol: '期間',
    pointer: (col: string) => `→ ${col}列から: 期間ごとの売上の差と、その要因（各KPIの影響）`,
    mostly: '主な要因',
    noSplit: '分解できず（0の段階あり）',
    noSplitAt: (label: string) => `分解できず（${label}が0）`,
    periodFromActual:
      'オレンジの見出し = 計画が未入力（＝期間全体の実績）: KPIツリーでは0、ここでは各期間を期間全体の平均と比べています',
  },
  en: {
    title: 'Where the revenue gap comes from — division summary (each KPI’s effect on revenue)',
    method:
      'The revenue gap is shared out in proportion to the log of each KPI’s actual ÷ plan (LMDI: effect = L × ln(actual ÷ plan), L = (actual − plan revenue) ÷ ln(actual ÷ plan revenue)). The effects add up to the gap. An effect is the KPI’s share of the gap, not what fixing that KPI alone would win back (that is “If only this KPI were at plan”).',
    header: [
      'Division',
      'KPI',
      'Plan',
      'Actual',
      'Actual ÷ plan',
      'Effect on revenue',
      'If only this KPI were at plan',
      'Rank',
    ],
    total: (d: string) => `${d} total`,
    gap: 'gap (actual − plan)',
    sum: 'Sum of the effects',
    logMean: 'L (the split’s scale: log mean)',
    noData: 'no data',
    notMeasured: (start: string) => `no data (the split starts at “${start}”)`,
    none: 'no data: won deals or revenue (an amount column) are not measured, so there is nothing to split',
    bad: (label: string) =>
      `cannot split: ${label} is 0 or has no data (a log split needs every factor above 0)`,
    badPlan: 'cannot split: the revenue plan is 0',
    levers: 'Biggest levers: revenue gained if only this KPI reached plan (the rest as actual)',
    leverHeader: ['Rank', 'KPI', 'Division', 'Revenue gained'],
    leverNote:
      'Only KPIs below plan are ranked. The gains do not add up, and one can exceed the revenue gap when other KPIs are above plan.',
    noLever: 'none (all at or above plan)',
    salTitle:
      'The deal rate split at SAL: MQL → SAL × SAL → deal (the deal rate’s effect above, shared between the two; they add up to it)',
    effectRow: 'Effect on revenue',
    effectBelow: 'Effect incl. stages below',
    gapRow: 'Gap vs plan',
    noTarget:
      "No revenue target typed, so the plan is this window's actual revenue per period: the window has no gap. Type the target in the sidebar or in B7.",
    fromActual: (labels: string) =>
      `No plan typed, so the plan is this window's actual: ${labels} (their effect is 0 — type a plan in the plan step or in B8:B12)`,
    backCalc: (start: string) =>
      `The ${start} plan is worked back from the revenue plan (÷ the planned rates and deal size): the lower the planned rates, the more of the gap lands on ${start}.`,
    atPlan: 'at or above plan',
    planAssumed: 'plan assumed',
    leftOut:
      'KPIs whose plan is a built-in assumption (no data) are left out of the split (“plan assumed”): the effects shown do not add up to the gap. Type a real plan in B7:B13 to include them.',
    totalRow:
      'No split for the total (adding up each KPI’s monthly effects does not give the window’s split): the KPI tree splits the whole window',
    offPath: 'off the revenue path',
    periodGap: 'Revenue gap vs plan',
    periodCol: 'Period',
    pointer: (col: string) =>
      `→ From column ${col}: each period's revenue gap vs plan, split by KPI`,
    mostly: 'Mostly from',
    noSplit: 'no split (a stage is 0)',
    noSplitAt: (label: string) => `no split (${label} is 0)`,
    periodFromActual:
      "Orange headers: no plan typed (= the window's actual) — 0 on the KPI tree; here each period is measured against the window's average",
  },
};
