/**
 * The KPI tree sheet: revenue (KGI) = won × average deal size; won = deals × win rate; deals = MQL
 * × deal rate; MQL = target leads × MQL rate; target leads = leads × target share; and unique
 * companies. Plan inputs are editable cells; plan nodes are formulas over them; actual nodes are
 * formulas over a live KPI_FUNNEL of the lead tab on the same sheet. Below the tree: where the
 * revenue gap comes from (revenueGap.ts) and the SMART check (smart.ts). Also the data checks
 * (what the tree cannot show and why) and the tree's vocabulary the snapshot reads.
 *
 * Each generated sheet is self-contained: its formulas refer only to the user's tabs and to cells
 * of the same sheet, or to another generated sheet by its role (`⟦cac⟧`), which the writer binds
 * to the new build, so a rebuild can swap sheets without leaving #REF! behind.
 */

import { isoToDay, periodLabel, periodOfDay, serialOfDay } from '../dates';
import type { Lang } from '../errors';
import { FUNNEL_HEADER } from '../funnel';
import {
  CHAIN,
  factorAt,
  KPI_NODES,
  type KpiId,
  type KpiNode,
  kpiLabel,
  kpiNode,
  type Measure,
  measuredNodes,
  nodeBox,
  planInputOf,
  planSources,
} from '../kpiNodes';
import {
  type Actuals,
  assumedTest,
  measuredOf,
  PLAN_CELL,
  PLAN_INPUT,
  PLAN_ROW,
  type PlanValue,
  planDefaults,
  planInputsOf,
  plansFromActual,
} from '../plan';
import type { KpiSettings } from '../settings';
import {
  a1,
  type CellInput,
  type ConditionalRule,
  colLetters,
  Grid,
  type SheetModel,
} from '../sheetModel';
import { hasCosts, windowCacFormula } from './cac';
import { cycleSources, windowMeanDays } from './cycleTime';
import { FORECAST_CELLS, forecastsRevenue, kpiForecastLabel } from './forecast';
import { funnelTotal, REFERENCED_ROWS, writeFunnel, writeLists } from './formulas';
import { retentionActual } from './retention';
import { effectColours, effectLabel, signed, writeGapTables } from './revenueGap';
import { writeSalSplit } from './revenueGapSal';
import { defineSheet } from './sheet';
import { writeHistory, writeSmartTable } from './smart';
import { COLORS, daysWithUnit, FMT, funnelFormats, moneyOf } from './style';
import { T } from './treeText';

/** The ids planDefaults gives a plan value for. */
type PlanId = keyof ReturnType<typeof planDefaults>;

const NAMES = { ja: 'KPIツリー', en: 'KPI tree' };

const NOTES = {
  ja: {
    leadsRows: (k: string, deal: boolean) =>
      `リード・ターゲットリード${deal ? '・MQL' : ''}: データなし（このタブの1行は${k}です）`,
    kind: { mql: 'MQL', deal: '商談' } as Record<string, string>,
    mql: 'MQL: データなし（MQL日の列も、MQLを意味するステータスもありません）',
    deals: 'ステージ「商談」: データなし（商談の日付列も、商談を意味するステータスもありません）',
    dealsButWon: '。受注は計測されています',
    won: '受注: データなし（受注日の列も、受注を意味するステータスもありません）',
    revenue: '売上: データなし（金額の列がありません）',
    lost: '失注: データなし（失注日・完了日の列がありません。決着ベースの受注率に必要です）',
    contradiction: (a: string, x: number, b: string, y: number) =>
      `⚠ ${a}（${x}）が${b}（${y}）を上回っています。列の対応と期間を確認してください`,
    noChurn: (tab: string) =>
      `顧客継続率: 顧客タブ「${tab}」に開始日と解約日（終了日）の列が必要です。シートは作成していません`,
    noListCompany: (tab: string) =>
      `リストカバー率: ターゲットリスト「${tab}」に会社名の列が必要です。シートは作成していません`,
  },
  en: {
    leadsRows: (k: string, deal: boolean) =>
      `Leads, target leads${deal ? ', MQL' : ''}: no data (each row of this tab is ${k})`,
    kind: { mql: 'an MQL', deal: 'a deal' } as Record<string, string>,
    mql: 'MQL: no data (no MQL date column and no status that means MQL)',
    deals: 'Deals: no data (no deal date column and no status that means a deal)',
    dealsButWon: '; won is measured',
    won: 'Won: no data (no won date column and no status that means won)',
    revenue: 'Revenue: no data (no amount column)',
    lost: 'Lost: no data — no lost date or close date column (the win rate of closed deals needs one)',
    contradiction: (a: string, x: number, b: string, y: number) =>
      `⚠ ${a} (${x}) exceed ${b} (${y}): check the column mapping and the window`,
    noChurn: (tab: string) =>
      `Retention: the customers tab “${tab}” needs a start date and an end (churn) date column; the sheet was not built`,
    noListCompany: (tab: string) =>
      `List coverage: the target list “${tab}” needs a company column; the sheet was not built`,
  },
};

/**
 * What the tree cannot show and why (from the mapping), and — given the window's actuals — the
 * contradictions among measured stages, in the build's language.
 */
export function trustNotes(settings: KpiSettings, actuals: Actuals | undefined): string[] {
  const n = NOTES[settings.lang];
  const t = T[settings.lang];
  const m = measuredOf(settings);
  const out: string[] = [];
  if (!m.leads) {
    out.push(n.leadsRows(n.kind[settings.rowsAre ?? 'lead'] ?? '', settings.rowsAre === 'deal'));
  }
  if (!m.mql && settings.rowsAre !== 'deal') out.push(n.mql);
  if (!m.deals) out.push(n.deals + (m.won ? n.dealsButWon : ''));
  if (!m.won) out.push(n.won);
  if (m.won && !m.revenue) out.push(n.revenue);
  if (m.won && !m.lost) out.push(n.lost);
  const c = settings.customers;
  if (c && (c.columns.start === undefined || c.columns.end === undefined))
    out.push(n.noChurn(c.sheet));
  const l = settings.targetList;
  if (l && l.columns.company === undefined) out.push(n.noListCompany(l.sheet));
  if (actuals) {
    const pairs: [number | null, string, number | null, string][] = [
      [actuals.won, t.won, actuals.deals, t.deals],
      [actuals.deals, t.deals, actuals.mql, t.mql],
      [actuals.mql, t.mql, actuals.targetLeads, t.targetLeads],
    ];
    for (const [x, a, y, b] of pairs) {
      if (x !== null && y !== null && x > y) out.push(n.contradiction(a, x, b, y));
    }
  }
  return out;
}

/** Node IDs of the KPI tree by their label in a language, and the box's row labels. */
export function treeVocabulary(lang: Lang) {
  const t = T[lang];
  const ids: Record<string, string> = Object.fromEntries(
    KPI_NODES.map((n) => [kpiLabel(lang, n.id), n.id]),
  );
  return {
    ids,
    plan: t.plan,
    actual: t.actual,
    achievement: t.achievement,
    noData: t.noData,
    planAssumed: t.planAssumed,
    divisions: Object.values(t.division),
    /** The labels of a box's last row (its effect on revenue), whichever kind of node. */
    effects: (Object.values(ids) as KpiId[]).map((id) => effectLabel(lang, id)),
  };
}

/** The plan inputs that hold a built-in assumption, by their label in the build's language. */
export function assumedInputs(settings: KpiSettings, actuals: Actuals): string[] {
  const t = T[settings.lang];
  const p = planDefaults(settings, actuals);
  return planInputsOf(settings)
    .filter((x) => p[x.id].assumed)
    .map((x) => t[x.label]);
}

/** KPI tree sheet. */
export function kpiTreeSheet(
  settings: KpiSettings,
  actuals: Actuals,
  spill = 40,
  firstDay?: number,
): SheetModel {
  const t = T[settings.lang];
  const money = moneyOf(settings);
  const g = new Grid(28);
  g.set(1, 1, t.title, { bold: true });
  // Cleared (text and colour) by the writer with the run's last call (SheetModel.incomplete).
  g.set(2, 1, t.incomplete, { bold: true, background: COLORS.assumed });
  // Plan inputs: A4:B12 (B13: the SAL rate, where a status means SAL). Defaults are the actual rates of the window, so the plan starts honest.
  const from = isoToDay(settings.from);
  const to = isoToDay(settings.to);
  const inputs: [string, CellInput, string][] = [
    [t.from, serialOfDay(from), FMT.date],
    [t.to, serialOfDay(to), FMT.date],
    [
      t.periods,
      {
        f:
          settings.period === 'month'
            ? '=(YEAR(B5)-YEAR(B4))*12+MONTH(B5)-MONTH(B4)+1'
            : '=ROUNDUP(((YEAR(B5)-YEAR(B4))*12+MONTH(B5)-MONTH(B4)+1)/3,0)',
      },
      FMT.int,
    ],
  ];
  const plan = planDefaults(settings, actuals);
  const stillAssumed = assumedTest(settings, actuals);
  const planInputs: [string, PlanValue, string][] = planInputsOf(settings).map((x) => [
    t[x.label],
    plan[x.id],
    x.money ? money : FMT.pct,
  ]);
  // The label as the number format's literal text ("label: ¥"#,##0, "label: "0.0%).
  const labelled = (fmt: string) =>
    fmt.startsWith('"') ? `"${t.assumed}: ${fmt.slice(1)}` : `"${t.assumed}: "${fmt}`;
  g.set(3, 1, t.inputs, { bold: true, background: COLORS.header });
  inputs.forEach(([label, value, fmt], i) => {
    g.set(4 + i, 1, label);
    g.set(4 + i, 2, value, { number: fmt, background: i === 2 ? undefined : COLORS.input });
  });
  planInputs.forEach(([label, p, number], i) => {
    const row = 4 + inputs.length + i;
    g.set(row, 1, label);
    g.set(row, 2, p.value, { number, background: p.assumed ? COLORS.assumed : COLORS.input });
    // A built-in assumption is also written beside its input, labelled by its number format: a
    // node planned from the input reads "plan assumed" while the input still equals it (B=C).
    if (p.assumed) g.set(row, 3, p.value, { number: labelled(number), background: COLORS.assumed });
    else if (p.actual) g.set(row, 3, t.fromActual);
  });
  const P = PLAN_INPUT;

  // Live data: KPI_FUNNEL of the window, on this sheet (columns N…Y); the tree reads its Total row.
  const dataCol = 14;
  g.set(3, dataCol, t.data, { bold: true, background: COLORS.header });
  // The lists the formula reads, right of the data block (N…AA).
  const lists = writeLists(g, 1, dataCol + FUNNEL_HEADER.length + 2, settings);
  const main = writeFunnel(
    g,
    4,
    dataCol,
    settings,
    { from: P.from, to: P.to, slot: 'window' },
    lists,
  );
  // With a SAL column (a status means SAL) the table is one column wider, into the gap beside it.
  const sal = measuredOf(settings).sal;
  g.formatArea(5, dataCol, spill, funnelFormats(money, sal));
  const total = funnelTotal(settings);

  // The tree: one box per node of the table (kpiNodes.ts) — label · division / plan / actual /
  // achievement / effect on revenue — at the node's place.
  // Filled in once the gap table below the tree is written (it knows each node's effect).
  const effectCells: [number, number, KpiId][] = [];
  const cells = (n: KpiNode) => {
    const { row, col } = nodeBox(n);
    return { plan: a1(row + 1, col + 1), actual: a1(row + 2, col + 1) };
  };
  const cycles = cycleSources(settings);
  const perUnit = (a: Measure, b: Measure) =>
    `IF(AND(ISNUMBER(${total(a)}), ISNUMBER(${total(b)})), IF(${total(b)}>0, ${total(a)}/${total(b)}, ""), "")`;
  /** What the node's actual reads ('""': nothing the build can give, "no data"). */
  const actualOf = (n: KpiNode): string => {
    const x = n.actual;
    if ('total' in x) return total(x.total);
    if ('ratio' in x) return perUnit(x.ratio[0], x.ratio[1]);
    if ('cac' in x)
      return hasCosts(settings)
        ? windowCacFormula(P.from, P.to, cells(kpiNode('won')).actual)
        : '""';
    if ('retention' in x) return retentionActual(x.retention, t.calculating);
    return cycles[x.cycle] ? windowMeanDays(x.cycle, P.from, P.to) : '""';
  };
  // The chain from revenue down to leads: each node's plan is the one above divided by the
  // factor beside it (won × average deal size = revenue, deals × win rate = won, …), not rounded
  // (the display rounds): the window's plan, the same numbers the revenue-gap split uses. The
  // plan per period (A15:B20) rounds each stage up: what a period needs in whole deals.
  const inputOf = (n: KpiNode | undefined) => {
    const k = n && planInputOf(n);
    return k ? P[k] : '';
  };
  const planOf = (n: KpiNode): string => {
    if (n.plan === 'target') return `${P.target}*${P.periods}`;
    if (n.plan === 'none') return '""';
    if (n.plan === 'chain')
      return `${cells(CHAIN[n.place.level - 1]).plan}/${inputOf(factorAt(n.place.level))}`;
    if ('times' in n.plan)
      return `${cells(kpiNode(n.plan.times[0] as KpiId)).plan}*${P[n.plan.times[1]]}`;
    if ('quotient' in n.plan) return `${P[n.plan.quotient[0]]}/${P[n.plan.quotient[1]]}`;
    return inputOf(n);
  };
  const formatOf = (n: KpiNode): string =>
    ({
      money,
      count: FMT.int,
      rate: FMT.pct,
      days: daysWithUnit(settings.lang),
      multiple: FMT.multiple,
    })[n.unit];
  const node = (n: KpiNode) => {
    const { row, col } = nodeBox(n);
    const div = n.division;
    const fmt = formatOf(n);
    // A factor whose plan nobody typed (= the window's actual): its plan cell is marked assumed.
    const untyped = planInputOf(n) !== undefined && plan[n.id as PlanId]?.actual === true;
    g.set(row, col, kpiLabel(settings.lang, n.id), { bold: true, background: COLORS[div] });
    g.set(row, col + 1, t.division[div], { background: COLORS[div] });
    g.set(row + 1, col, t.plan, { background: COLORS[div] });
    g.set(
      row + 1,
      col + 1,
      { f: `=${planOf(n)}` },
      { number: fmt, background: untyped ? COLORS.assumed : COLORS[div] },
    );
    g.set(row + 2, col, t.actual, { background: COLORS[div] });
    // A measure the data cannot support reads "no data", never a confident 0; one whose custom
    // function is still loading reads "calculating" (Sheets shows a loading cell as #N/A to the
    // formulas that read it: local/engine.ts LOADING_TEXT), and a failed one shows its error
    // (with its message). Every node reads the window's KPI_FUNNEL (CAC through won).
    const x = actualOf(n);
    const anchor = `$${colLetters(dataCol)}$4`;
    const state =
      x === '""'
        ? `"${t.noData}"`
        : `IF(ISNA(${anchor}), "${t.calculating}", IF(ISERROR(${anchor}), ${anchor}, IF(ISNA(${x}), "${t.calculating}", IF(ISERROR(${x}), ${x}, IF(ISNUMBER(${x}), ${x}, "${t.noData}")))))`;
    g.set(row + 2, col + 1, { f: `=${state}` }, { number: fmt, background: COLORS[div] });
    g.set(row + 3, col, t.achievement, { background: COLORS[div] });
    const { plan: planCell, actual: actualCell } = cells(n);
    // A plan that rests on a built-in assumption judges no actual: "plan assumed", uncoloured.
    const achieved = `IF(AND(ISNUMBER(${planCell}), ISNUMBER(${actualCell})), IF(${planCell}>0, ${actualCell}/${planCell}, ""), "")`;
    const assumedPlan = stillAssumed(planSources(n));
    g.set(
      row + 3,
      col + 1,
      {
        f: assumedPlan ? `=IF(${assumedPlan}, "${t.planAssumed}", ${achieved})` : `=${achieved}`,
      },
      {
        number: FMT.pct,
        background: COLORS[div],
      },
    );
    // The node's effect on revenue (the gap table's split): written after the table.
    g.set(row + 4, col, effectLabel(settings.lang, n.id), { background: COLORS[div] });
    effectCells.push([row + 4, col + 1, n.id]);
  };
  const L = 4; // first tree column (D)
  const R = L + 3; // right-hand node column (G)
  const level = (i: number) => 3 + i * 6;
  // Level by level the chain node and its factor, then the nodes beside them.
  for (const n of CHAIN) {
    node(n);
    const f = factorAt(n.place.level);
    if (f) node(f);
  }
  for (const n of KPI_NODES as readonly KpiNode[]) if (n.place.column === 'beside') node(n);
  // Beside revenue: where the window is expected to land (the forecast sheet's landing, cohort
  // method) against the same plan — so the meeting sees the miss before the period closes.
  // Only where the forecast is revenue (an amount column): a won-deal count is no revenue landing.
  if (forecastsRevenue(settings)) forecastBox(g, settings, cells(kpiNode('revenue')).plan, money);
  // The SAL column, where a status means SAL, and LTV beside CAC, where a customers tab has churn
  // (absent otherwise: every other cell stays put).
  const measured = measurableNodes(settings);
  const salColumn = (KPI_NODES as readonly KpiNode[]).filter(
    (n) => n.place.column === 'sal' && measured[n.id],
  );
  for (const n of salColumn) node(n);
  // The plan per period: the one reverse funnel every sheet reads (the funnel and capacity
  // sheets refer to these cells), so a month shows the same plan everywhere.
  g.set(PLAN_ROW, 1, t.planPer, { bold: true, background: COLORS.header });
  CHAIN.slice(1).forEach((n, i) => {
    const above = i === 0 ? P.target : PLAN_CELL[CHAIN[i].id as keyof typeof PLAN_CELL];
    g.set(PLAN_ROW + 1 + i, 1, kpiLabel(settings.lang, n.id));
    // ROUND first: 0.3 × 10 must not round up to 4 because of a binary fraction.
    g.set(
      PLAN_ROW + 1 + i,
      2,
      { f: `=ROUNDUP(ROUND(${above}/${inputOf(factorAt(n.place.level))}, 9), 0)` },
      { number: FMT.int },
    );
  });
  // Data checks: stages the data cannot measure (fixed by the mapping) and live contradictions
  // (a count above the one it comes from: won > deals, deals > MQL, MQL > target leads).
  const checksRow = PLAN_ROW + 7;
  g.set(checksRow, 1, t.checks, { bold: true, background: COLORS.header });
  const contradiction = (hi: KpiNode, lo: KpiNode) => {
    const [a, b] = [cells(hi).actual, cells(lo).actual];
    const text = `${kpiLabel(settings.lang, hi.id)} > ${kpiLabel(settings.lang, lo.id)}`;
    return `IF(AND(ISNUMBER(${a}), ISNUMBER(${b})), IF(${a}>${b}, "⚠ ${text} ", ""), "")`;
  };
  g.set(checksRow + 1, 1, {
    f: `=${CHAIN.slice(1, 4)
      .map((n, i) => contradiction(n, CHAIN[i + 2]))
      .join(' & ')}`,
  });
  trustNotes(settings, undefined).forEach((note, i) => {
    g.set(checksRow + 2 + i, 1, note);
  });
  // Connectors: "=" beside each parent, "×" between the two factors, "│" down the chain.
  for (let i = 0; i < 5; i++) {
    g.set(level(i) + 5, L, '│');
    g.set(level(i + 1) + 1, L + 2, '×');
  }
  g.set(level(0) + 1, L + 2, '=');

  // Below the tree: where the revenue gap comes from (by division, with the levers), then the
  // SMART check of every KPI against its last 12 periods (a second KPI_FUNNEL, right of the lists).
  const notes = trustNotes(settings, undefined).length;
  const gapRow = Math.max(level(5) + 7, checksRow + notes + 4);
  const gap = writeGapTables(
    g,
    gapRow,
    settings,
    total,
    `${P.target}*${P.periods}`,
    money,
    plansFromActual(settings, actuals),
    stillAssumed,
  );
  const historyCol = dataCol + FUNNEL_HEADER.length + 2 + 4;
  const history = writeHistory(
    g,
    historyCol,
    settings,
    P.to,
    firstDay === undefined
      ? undefined
      : periodLabel(periodOfDay(firstDay, settings.period), settings.period),
    FUNNEL_HEADER.length,
    measured,
  );
  const hist = writeFunnel(
    g,
    4,
    historyCol,
    settings,
    { from: history.fromCell, to: P.to, slot: 'history' },
    lists,
  );
  g.formatArea(5, historyCol, 13, funnelFormats(money, sal));
  const smart = writeSmartTable(
    g,
    gap.endRow + 2,
    settings,
    measurableNodes(settings),
    history,
    PLAN_CELL,
  );
  // Where a status means SAL: the deal rate's effect split at SAL, below everything else.
  const salSplit = writeSalSplit(
    g,
    smart.endRow + 2,
    settings,
    gap,
    total,
    money,
    plansFromActual(settings, actuals),
    stillAssumed,
  );
  for (const [r, c, id] of effectCells) {
    const f = salSplit.effects[id] ?? gap.nodeEffect(id);
    const bg = g.backgrounds[r - 2]?.[c - 1] ?? null;
    g.set(r, c, f === '' ? t.offPath : { f: `=${f}` }, {
      number: signed(money),
      background: bg ?? undefined,
    });
  }

  // While a KPI_FUNNEL the tables read is loading, every cell derived from it (the node boxes'
  // effects, the division summary, the levers, the SMART table) reads "calculating", and when it
  // failed, its error — never "no data", "no split" or "none (all at or above plan)".
  const guarded = (f: string) =>
    `=IF(OR(ISNA(${main}), ISNA(${hist})), "${t.calculating}", IF(ISERROR(${main}), ${main}, IF(ISERROR(${hist}), ${hist}, ${f.replace(/^=/, '')})))`;
  const guard = (r: number, c: number) => {
    const v = g.values[r - 1]?.[c - 1];
    if (v !== null && typeof v === 'object') g.values[r - 1][c - 1] = { f: guarded(v.f) };
  };
  for (let r = gapRow; r <= g.rows; r++) for (let c = 1; c <= 13; c++) guard(r, c);
  for (const [r, c] of effectCells) guard(r, c);

  const achievements = [
    ...[0, 1, 2, 3, 4, 5].flatMap((i) => [a1(level(i) + 3, L + 1), a1(level(i) + 3, R + 1)]),
    ...salColumn.map((n) => a1(nodeBox(n).row + 3, nodeBox(n).col + 1)),
  ];
  return g.model('kpi-tree', NAMES[settings.lang], {
    incomplete: { row: 2, col: 1 },
    // Formulas read the KPI_FUNNEL table down to row 700 (REFERENCED_ROWS): the grid reaches it.
    grid: { rows: REFERENCED_ROWS, cols: 1 },
    // Each column as wide as its longest label, in either language: the plan inputs' labels (A),
    // the division summary's KPI names (B), the SMART table's CSF (C), M and A reasons (H, I), the
    // tree's middle and right node titles (G, J: "Win rate of closed deals: won ÷ (won + lost)"),
    // the SMART table's comparison with the tree's plan (L).
    // Consecutive equal widths are one setColumnWidths call.
    columnWidths: [280, 270, 220, 150, 150, 130, 240, 170, 350, 350, 150, 420],
    conditional: [
      ...achievementColours(achievements),
      ...effectColours(
        effectCells.map(([r, c]) => a1(r, c)),
        a1(effectCells[0][0], effectCells[0][1]),
      ),
      ...gap.conditional,
      ...smart.conditional,
      ...salSplit.conditional,
    ],
  });
}

/**
 * Green at or above plan, yellow from 80 %, red below: numbers only. A text achievement ("plan
 * assumed", "") is never coloured: formula comparisons order any text above every number (the
 * spreadsheet convention, e.g. https://exceljet.net/formulas/text-is-greater-than-number), and
 * Google documents its "number greater/less than" conditions only for numbers
 * (https://developers.google.com/apps-script/reference/spreadsheet/conditional-format-rule-builder),
 * so each rule asks ISNUMBER itself. A rule's formula is relative to its first cell.
 */
function achievementColours(ranges: string[]): ConditionalRule[] {
  const x = ranges[0];
  const rule = (test: string, background: string): ConditionalRule => ({
    ranges,
    kind: 'formula',
    values: [],
    formula: `=AND(ISNUMBER(${x}), ${test})`,
    background,
  });
  return [
    rule(`${x}>=1`, '#b7e1cd'),
    rule(`${x}>=0.8, ${x}<1`, '#fce8b2'),
    rule(`${x}<0.8`, '#f4c7c3'),
  ];
}

/**
 * The forecast box at G3:H7, right of the revenue node: the window's revenue plan, the landing the
 * forecast sheet computes (⟦forecast⟧), the landing ÷ plan and the expected gap. Not a KPI node of
 * its own (nothing to plan, snapshot or set a goal for): a view of revenue ahead of time.
 */
function forecastBox(g: Grid, settings: KpiSettings, planCell: string, money: string): void {
  const t = T[settings.lang];
  const ja = settings.lang === 'ja';
  const [row, col] = [3, 7];
  const bg = COLORS.KGI;
  const landing = `⟦forecast⟧!${FORECAST_CELLS.landing}`;
  const value = a1(row + 2, col + 1);
  g.set(row, col, kpiForecastLabel(settings.lang), { bold: true, background: bg });
  g.set(row, col + 1, t.division.KGI, { background: bg });
  g.set(row + 1, col, t.plan, { background: bg });
  g.set(row + 1, col + 1, { f: `=${planCell}` }, { number: money, background: bg });
  g.set(row + 2, col, ja ? '着地予測' : 'Forecast', { background: bg });
  // The landing as the forecast sheet shows it: a number, "no data", "calculating" or its error.
  g.set(row + 2, col + 1, { f: `=${landing}` }, { number: money, background: bg });
  g.set(row + 3, col, ja ? '予測の達成率' : 'Forecast ÷ plan', { background: bg });
  g.set(
    row + 3,
    col + 1,
    {
      f: `=IF(AND(ISNUMBER(${planCell}), ISNUMBER(${value})), IF(${planCell}>0, ${value}/${planCell}, ""), "")`,
    },
    { number: FMT.pct, background: bg },
  );
  g.set(row + 4, col, ja ? '計画との差（予測）' : 'Expected gap to plan', { background: bg });
  g.set(
    row + 4,
    col + 1,
    { f: `=IF(AND(ISNUMBER(${planCell}), ISNUMBER(${value})), ${value}-${planCell}, "")` },
    { number: signed(money), background: bg },
  );
}

/** Which nodes the build's columns (or status mapping, costs, cycle columns) measure. */
export function measurableNodes(settings: KpiSettings): Record<KpiId, boolean> {
  const m = measuredOf(settings);
  const cycles = cycleSources(settings);
  const c = settings.customers;
  return measuredNodes({
    m,
    // Without a target column every lead counts as a target: the share is 100 % by definition.
    targets: m.leads && settings.mapping.target !== undefined,
    costs: hasCosts(settings),
    cycles: {
      leadToDeal: cycles.leadToDeal !== undefined,
      dealToWon: cycles.dealToWon !== undefined,
    },
    customers: {
      churn: c?.columns.start !== undefined && c.columns.end !== undefined,
      amount: c?.columns.amount !== undefined,
    },
  });
}

export const kpiTree = defineSheet({
  key: 'kpi-tree',
  bigquery: true,
  names: NAMES,
  build: ({ settings, actuals, spill, firstDay }) =>
    kpiTreeSheet(settings, actuals, spill, firstDay),
});
