/**
 * KGI → CSF → KPI and the SMART check (issue #12): one row per node of the KPI tree with the
 * critical success factor, owner, target and deadline the manager wrote in the plan step, and
 * each criterion's pass / fail with its reason, as live formulas on the KPI tree:
 *
 * - Specific: an owner (person or division) is named.
 * - Measurable: a data column or the status mapping measures the KPI (fixed by the build's mapping).
 * - Achievable: the target against the best and the median of the last 12 periods' actuals; a
 *   target above the best by more than the stretch margin (an editable cell) fails.
 * - Relevant: the KPI is on the revenue path of the tree.
 * - Time-bound: the deadline falls within the report window.
 *
 * The last 12 periods come from a second KPI_FUNNEL on the tree (ending at the window's end), read
 * through helper columns that keep only real periods (not the Total row, not periods before the
 * data starts).
 */
import { isoToDay, serialOfDay } from '../dates';
import { FUNNEL_COL } from '../funnel';
import { DEFAULT_STRETCH } from '../goals';
import { totalLabel } from '../i18n';
import {
  DIVISION_LABELS,
  KPI_NODES,
  type KpiId,
  type KpiNode,
  kpiLabel,
  kpiNode,
  type Measure,
  planInputOf,
  presentNodes,
} from '../kpiNodes';
import { PLAN_INPUT } from '../plan';
import type { KpiSettings } from '../settings';
import { a1, type ConditionalRule, colLetters, type Grid } from '../sheetModel';
import { COLORS, daysWithUnit, FMT, moneyOf } from './style';

/** The funnel measure behind each node's history ('share' = target leads ÷ leads): the table's. */
type History = NonNullable<KpiNode['history']>;
const HISTORY: Partial<Record<KpiId, History>> = Object.fromEntries(
  (KPI_NODES as readonly KpiNode[]).flatMap((n) => (n.history ? [[n.id, n.history]] : [])),
);

const TEXT = {
  ja: {
    title: 'KGI → CSF → KPI と SMART チェック（計画ステップで入力。ここでも編集できます）',
    header: [
      'KPI',
      '部門',
      'CSF（重要成功要因）',
      '担当',
      '目標（期間あたり）',
      '期限',
      'S 具体的',
      'M 測定可能',
      'A 達成可能',
      'R 関連性',
      'T 期限',
      'ツリーの計画（売上に必要な値）と比べて',
    ],
    margin: 'ストレッチの許容幅',
    marginNote: '過去12期間の最高値をこれより大きく超える目標は A が ✗',
    legend: '目標: 黄 = 入力した値、白 = ツリーの計画（未入力）',
    history: '過去12期間の実績（SMART の A が参照）',
    historyFrom: '開始',
    s: ['✓ 担当者あり', '✗ 担当者が未設定'],
    m: ['✓ 測定できる', '✗ 測る列・ステータスなし'],
    r: ['✓ 売上の経路上', '✗ 売上の経路外'],
    t: ['✓ 期間内', '✗ 期限が未設定', '✗ 期間の開始より前', '✗ 期間の終了より後'],
    a: {
      noTarget: '✗ 目標が未設定',
      noPeriods: '– 過去12期間に実績なし',
      notMeasured: '– 判定なし（測れない）',
      noHistory: '– 判定なし（期間の履歴なし）',
      ok: '✓ 最高 ',
      median: '、中央値 ',
      over: '✗ 過去最高（',
      overBy: '）を',
      overEnd: '%超える目標',
      limit: '（上限 ',
      limitEnd: '）',
      low: '（中央値未満）',
      lowest: '（過去最低未満）',
    },
    vsPlan: {
      none: '– ツリーに計画なし',
      equal: '= ツリーの計画',
      ok: '✓ ツリーの計画（',
      okEnd: '）以上',
      below: '✗ ツリーの計画（',
      belowEnd: '）未満: 達成しても売上計画に届きません',
    },
  },
  en: {
    title: 'KGI → CSF → KPI and the SMART check (written in the plan step; editable here too)',
    header: [
      'KPI',
      'Division',
      'CSF (critical success factor)',
      'Owner',
      'Target (per period)',
      'Deadline',
      'S Specific',
      'M Measurable',
      'A Achievable',
      'R Relevant',
      'T Time-bound',
      'Against the tree’s plan (what revenue needs)',
    ],
    margin: 'Stretch margin',
    marginNote: 'A target above the best of the last 12 periods by more than this fails A',
    legend: 'Target: yellow = typed, white = the tree’s plan (none typed)',
    history: 'Last 12 periods (read by the SMART check’s A)',
    historyFrom: 'From',
    s: ['✓ owner named', '✗ no owner named'],
    m: ['✓ measured', '✗ no column or status'],
    r: ['✓ on the revenue path', '✗ off the revenue path'],
    t: [
      '✓ within the window',
      '✗ no deadline',
      '✗ before the window start',
      '✗ after the window end',
    ],
    a: {
      noTarget: '✗ no target',
      noPeriods: '– no data in the last 12 periods',
      notMeasured: '– not judged (not measured)',
      noHistory: '– not judged (no history)',
      ok: '✓ best ',
      median: ', median ',
      over: '✗ above the best ',
      overBy: ' by more than ',
      overEnd: '%',
      limit: ' (limit ',
      limitEnd: ')',
      low: ' (below the median)',
      lowest: ' (below the worst period)',
    },
    vsPlan: {
      none: '– no plan on the tree',
      equal: '= the tree’s plan',
      ok: '✓ at or above the tree’s plan (',
      okEnd: ')',
      below: '✗ below the tree’s plan (',
      belowEnd: '): met, revenue still misses its plan',
    },
  },
};

/**
 * A number as text in a formula: a rate as a percentage with one decimal always (61.0 %, not 61 %
 * beside 30.1 %), money in 万 / 億 (JA) or k / M (EN) — no currency sign: the cells' format follows
 * the locale, a count to one decimal. No TEXT() or
 * FIXED(): HyperFormula's differ from Sheets'.
 */
function show(x: string, node: KpiNode, lang: 'ja' | 'en'): string {
  if (node.unit === 'rate') {
    const tenths = `ROUND(${x}*1000, 0)`;
    return `IF(${tenths}<0, "-", "")&INT(ABS(${tenths})/10)&"."&MOD(ABS(${tenths}), 10)&"%"`;
  }
  if (node.unit === 'money')
    return lang === 'ja'
      ? `IF(ABS(${x})>=100000000, ROUND(${x}/100000000, 2)&"億", IF(ABS(${x})>=10000, ROUND(${x}/10000, 1)&"万", ROUND(${x}, 0)))`
      : `IF(ABS(${x})>=1000000, ROUND(${x}/1000000, 2)&"M", IF(ABS(${x})>=1000, ROUND(${x}/1000, 1)&"k", ROUND(${x}, 0)))`;
  return `ROUND(${x}, 1)`;
}

export interface HistoryBlock {
  /** The KPI_FUNNEL cell of the history (row 4 of `col`), and the cell holding its start date. */
  funnelCell: string;
  fromCell: string;
  /** A node's history range (12 helper cells), where the funnel has the measure. */
  range: (id: KpiId) => string | undefined;
}

/**
 * The last-12-periods block at `col` (its KPI_FUNNEL goes at row 4, written by the caller with
 * `fromCell` and the window end), and the helper columns right of the funnel's 14.
 * `firstPeriod` is the data's first period label: periods before it are not actuals of 0.
 */
export function writeHistory(
  g: Grid,
  col: number,
  settings: KpiSettings,
  windowTo: string,
  firstPeriod: string | undefined,
  funnelWidth: number,
  measured: Record<KpiId, boolean>,
): HistoryBlock {
  const t = TEXT[settings.lang];
  const money = moneyOf(settings);
  g.set(1, col, t.history, { bold: true });
  g.set(2, col, t.historyFrom);
  const fromCell = a1(2, col + 1);
  const back = settings.period === 'month' ? 11 : 33;
  const startOfPeriod =
    settings.period === 'month'
      ? `DATE(YEAR(${windowTo}), MONTH(${windowTo}), 1)`
      : `DATE(YEAR(${windowTo}), INT((MONTH(${windowTo})-1)/3)*3+1, 1)`;
  g.set(2, col + 1, { f: `=EDATE(${startOfPeriod}, -${back})` }, { number: FMT.date });
  const helper = col + funnelWidth + 1;
  const ids = presentNodes(measured)
    .map((n) => n.id)
    .filter((id) => HISTORY[id] !== undefined);
  const label = (r: number) => `$${colLetters(col)}${r}`;
  const cell = (m: Measure, r: number) => a1(r, col + FUNNEL_COL[m] - 1);
  ids.forEach((id, i) => {
    const c = helper + i;
    g.set(4, c, kpiLabel(settings.lang, id), { bold: true });
    for (let r = 5; r < 17; r++) {
      const h = HISTORY[id] as History;
      const ratio = (num: Measure, den: Measure) =>
        `IF(AND(ISNUMBER(${cell(den, r)}), ISNUMBER(${cell(num, r)})), IF(${cell(den, r)}>0, ${cell(num, r)}/${cell(den, r)}, ""), "")`;
      const value =
        h === 'share'
          ? ratio('targetLeads', 'leads')
          : typeof h === 'object'
            ? ratio(h.ratio[0], h.ratio[1])
            : cell(h, r);
      const real = [
        `${label(r)}<>""`,
        `${label(r)}<>"${totalLabel('en')}"`,
        `${label(r)}<>"${totalLabel('ja')}"`,
        ...(firstPeriod ? [`${label(r)}>="${firstPeriod}"`] : []),
      ].join(', ');
      const node = KPI_NODES.find((n) => n.id === id) as KpiNode;
      const number = node.unit === 'rate' ? FMT.pct : node.unit === 'money' ? money : FMT.int;
      g.set(r, c, { f: `=IF(AND(${real}), ${value}, "")` }, { number });
    }
  });
  return {
    funnelCell: a1(4, col),
    fromCell,
    range: (id) => {
      const i = ids.indexOf(id);
      if (i < 0) return undefined;
      const c = colLetters(helper + i);
      return `$${c}$5:$${c}$16`;
    },
  };
}

/**
 * The tree's plan cell of a node (per period), where it has one: a factor's plan input, a chain
 * count's row in the plan per period (from the node table).
 */
export function planCellOf(id: KpiId, planCell: Record<string, string>): string | undefined {
  const node = kpiNode(id);
  if (node.plan === 'target') return PLAN_INPUT.target;
  const input = planInputOf(node);
  if (input) return PLAN_INPUT[input];
  if (node.plan === 'chain') return planCell[id];
  return undefined;
}

/** The SMART table from `row` at column A; returns the next free row and its colour rules. */
export function writeSmartTable(
  g: Grid,
  row: number,
  settings: KpiSettings,
  measured: Record<KpiId, boolean>,
  history: HistoryBlock,
  planCell: Record<string, string>,
): { endRow: number; conditional: ConditionalRule[] } {
  const lang = settings.lang;
  const t = TEXT[lang];
  const money = moneyOf(settings);
  g.set(row, 1, t.title, { bold: true, background: COLORS.header });
  g.set(row + 1, 1, t.margin);
  const margin = a1(row + 1, 2);
  g.set(row + 1, 2, settings.stretchMargin ?? DEFAULT_STRETCH, {
    number: FMT.pct,
    background: COLORS.input,
  });
  g.set(row + 1, 3, t.marginNote);
  g.set(row + 1, 7, t.legend);
  const head = row + 2;
  t.header.forEach((h, i) => {
    g.set(head, 1 + i, h, { bold: true, background: COLORS.header });
  });
  const fmt = (n: KpiNode) =>
    n.unit === 'rate'
      ? FMT.pct
      : n.unit === 'money'
        ? money
        : n.unit === 'days'
          ? daysWithUnit(lang)
          : n.unit === 'multiple'
            ? FMT.multiple
            : FMT.int;
  const nodes = presentNodes(measured);
  nodes.forEach((node, i) => {
    const r = head + 1 + i;
    const goal = settings.kpis?.[node.id] ?? {};
    const bg = COLORS[node.division];
    g.set(r, 1, kpiLabel(lang, node.id), { bold: true, background: bg });
    g.set(r, 2, DIVISION_LABELS[lang][node.division], { background: bg });
    g.set(r, 3, goal.csf ?? '', { background: COLORS.input });
    g.set(r, 4, goal.owner ?? DIVISION_LABELS[lang][node.division], { background: COLORS.input });
    const plan = planCellOf(node.id, planCell);
    const target: string | number | { f: string } =
      typeof goal.target === 'number' ? goal.target : plan ? { f: `=${plan}` } : '';
    // A typed target is an input (yellow); the tree's plan shown in its place is not.
    g.set(r, 5, target, {
      number: fmt(node),
      background: typeof goal.target === 'number' ? COLORS.input : undefined,
    });
    const deadline = goal.deadline ? serialOfDay(isoToDay(goal.deadline)) : '';
    g.set(r, 6, deadline, { number: FMT.date, background: COLORS.input });
    const [owner, tgt, due] = [a1(r, 4), a1(r, 5), a1(r, 6)];
    g.set(r, 7, { f: `=IF(LEN(TRIM(${owner}))>0, "${t.s[0]}", "${t.s[1]}")` });
    g.set(r, 8, measured[node.id] ? t.m[0] : t.m[1]);
    g.set(r, 9, achievable(node, measured[node.id], history.range(node.id), tgt, margin, lang));
    g.set(r, 10, node.onPath ? t.r[0] : t.r[1]);
    g.set(r, 11, {
      f: `=IF(NOT(ISNUMBER(${due})), "${t.t[1]}", IF(${due}<${PLAN_INPUT.from}, "${t.t[2]}", IF(${due}>${PLAN_INPUT.to}, "${t.t[3]}", "${t.t[0]}")))`,
    });
    g.set(r, 12, againstPlan(node, plan, tgt, lang));
  });
  const last = head + nodes.length;
  const checks = `G${head + 1}:L${last}`;
  return {
    endRow: last + 1,
    conditional: [
      // Amber: an Achievable target that is easy (below the median or the worst period).
      {
        ranges: [checks],
        kind: 'formula',
        values: [],
        formula: `=AND(LEFT(G${head + 1}, 1)="✓", OR(ISNUMBER(SEARCH("${t.a.low}", G${head + 1})), ISNUMBER(SEARCH("${t.a.lowest}", G${head + 1}))))`,
        background: '#fce8b2',
      },
      {
        ranges: [checks],
        kind: 'formula',
        values: [],
        formula: `=LEFT(G${head + 1}, 1)="✓"`,
        background: '#b7e1cd',
      },
      {
        ranges: [checks],
        kind: 'formula',
        values: [],
        formula: `=LEFT(G${head + 1}, 1)="✗"`,
        background: '#f4c7c3',
      },
    ],
  };
}

/**
 * A target against the tree's plan for the same node (per period): a division can meet its own
 * target while revenue misses — an MQL target below the MQL the revenue plan needs is ✗.
 */
function againstPlan(
  node: KpiNode,
  plan: string | undefined,
  target: string,
  lang: 'ja' | 'en',
): string | { f: string } {
  const t = TEXT[lang].vsPlan;
  if (!plan) return t.none;
  const shown = show(plan, node, lang);
  return {
    f: `=IF(OR(NOT(ISNUMBER(${target})), NOT(ISNUMBER(${plan}))), "", IF(${target}=${plan}, "${t.equal}", IF(${target}>${plan}, "${t.ok}"&${shown}&"${t.okEnd}", "${t.below}"&${shown}&"${t.belowEnd}")))`,
  };
}

function achievable(
  node: KpiNode,
  measured: boolean,
  range: string | undefined,
  target: string,
  margin: string,
  lang: 'ja' | 'en',
): string | { f: string } {
  const t = TEXT[lang].a;
  if (!measured) return t.notMeasured;
  if (!range || node.lowerIsBetter) return t.noHistory;
  const best = `MAX(${range})`;
  const median = `MEDIAN(${range})`;
  return {
    f: `=IF(NOT(ISNUMBER(${target})), "${t.noTarget}", IF(COUNT(${range})=0, "${t.noPeriods}", IF(${target}<=${best}*(1+${margin}), "${t.ok}"&${show(best, node, lang)}&"${t.median}"&${show(median, node, lang)}&IF(${target}<MIN(${range}), "${t.lowest}", IF(${target}<${median}, "${t.low}", "")), "${t.over}"&${show(best, node, lang)}&"${t.overBy}"&ROUND(${margin}*100, 0)&"${t.overEnd}${t.limit}"&${show(`${best}*(1+${margin})`, node, lang)}&"${t.limitEnd}")))`,
  };
}
