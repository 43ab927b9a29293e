/**
 * Where the revenue gap comes from (issue #12): revenue = leads × target share × MQL rate × deal
 * rate × win rate × average deal size, so the gap between actual and planned revenue is split into
 * each factor's effect with the log (LMDI) decomposition of src/core/attribution.ts — written here
 * as live formulas: on the KPI tree for the window (a table grouped by division, the levers ranked,
 * and each node's effect), and on the funnel sheet per period.
 *
 * When the data cannot measure the bottom of the funnel (an MQL list, an opportunity export), the
 * split starts at the first node it measures (MQL, deals or won deals): the product from there up
 * is still revenue.
 */
import { AT_PLAN } from '../attribution';
import { totalLabel } from '../i18n';
import {
  CHAIN,
  DIVISION_LABELS,
  FACTORS,
  KPI_NODES,
  type KpiId,
  type KpiNode,
  kpiLabel,
  kpiNode,
  kpiShortLabel,
  type Measure,
  type PlanKey,
  planInputOf,
} from '../kpiNodes';
import { measuredOf, PLAN_INPUT, type PlanInputKey } from '../plan';
import type { KpiSettings } from '../settings';
import { a1, type ConditionalRule, colLetters, type Grid } from '../sheetModel';
import { GAP_TEXT as TEXT } from './revenueGapText';
import { COLORS } from './style';

/** AT_PLAN as a formula literal (HyperFormula reads no 1E-12). */
const AT_PLAN_TEXT = AT_PLAN.toFixed(12);
type Division = 'Marketing' | 'IS' | 'FS';

/** One factor of revenue: a count (the chain's first) or a rate num ÷ den with its plan input. */
export interface Factor {
  id: KpiId;
  division: Division;
  num: Measure;
  den?: Measure;
  plan?: FactorPlan;
  /** The funnel table's own column for this rate (same num ÷ den), where it has one. */
  col?: Measure;
}

/** A factor's plan input, or — for SAL → deal — the quotient of two (deal rate ÷ SAL rate). */
type FactorPlan = PlanKey | [PlanKey, PlanKey];

export const toFactor = (n: KpiNode): Factor => ({
  id: n.id,
  division: n.division as Division,
  num: n.factor?.num as Measure,
  den: n.factor?.den,
  plan:
    planInputOf(n) ??
    (typeof n.plan === 'object' && 'quotient' in n.plan ? n.plan.quotient : undefined),
  ...(n.factor?.col ? { col: n.factor.col } : {}),
});

/**
 * From the node table (kpiNodes.ts), for the build's data: the rates bottom first (MQL → SAL →
 * deal in place of the deal rate where a status means SAL), where the chain can start, and every
 * row the tables show (a start count only when it is the start).
 */
function structureOf(settings: KpiSettings) {
  const m = measuredOf(settings);
  // The division table and the per-period split keep the deal rate whatever the data: the SAL
  // split is a block of its own (writeSalSplit), so no cell of theirs ever moves.
  const rates = FACTORS.map(toFactor);
  const starts = [...CHAIN]
    .reverse()
    .filter((n) => n.start)
    .map((n) => {
      const measure = (n.actual as { total: Measure }).total;
      return {
        id: n.id,
        division: n.division as Division,
        measure,
        rate: rates.findIndex((r) => r.den === measure),
      };
    });
  const produces = (id: KpiId) => kpiNode(id).factor?.produces as KpiId;
  const rowOrder: KpiId[] = [
    starts[0].id,
    ...rates.flatMap((r) =>
      starts.some((x) => x.id === produces(r.id)) ? [r.id, produces(r.id)] : [r.id],
    ),
  ];
  return { m, rates, starts, rowOrder, produces };
}

/** The factors the data supports, bottom first; empty when revenue or won deals are not measured. */
export function gapFactors(settings: KpiSettings): Factor[] {
  const { m, rates: RATES, starts } = structureOf(settings);
  const has: Record<Measure, boolean> = {
    leads: m.leads,
    targetLeads: m.leads,
    companies: m.companies,
    mql: m.mql,
    deals: m.deals,
    won: m.won,
    revenue: m.revenue,
    mqlRate: false,
    dealRate: false,
    winRate: false,
    avgDeal: false,
    lost: m.lost,
    closedWinRate: false,
    sal: m.sal,
  };
  for (const s of starts) {
    const rates = RATES.slice(s.rate);
    if (has[s.measure] && rates.every((r) => has[r.num] && (!r.den || has[r.den]))) {
      return [{ id: s.id, division: s.division, num: s.measure }, ...rates];
    }
  }
  return [];
}

/**
 * The last row of a node box: a factor's own effect, a count node's effect with every stage
 * below it, revenue's gap.
 */
export function effectLabel(lang: 'ja' | 'en', id: KpiId): string {
  const t = TEXT[lang];
  if (id === 'revenue') return t.gapRow;
  // A count some factor produces carries the effects of the stages below it.
  if ((KPI_NODES as readonly KpiNode[]).some((n) => n.factor?.produces === id))
    return t.effectBelow;
  return t.effectRow;
}

/** A factor's column on the funnel's per-period split: "Target share · Marketing" / "ターゲット率・マーケ". */
export const factorHeader = (lang: 'ja' | 'en', f: Pick<Factor, 'id' | 'division'>) =>
  `${kpiShortLabel(lang, f.id)}${lang === 'ja' ? '・' : ' · '}${DIVISION_LABELS[lang][f.division]}`;

/** Money with its sign: +¥1,234 / −¥1,234. */
export const signed = (money: string) => `+${money};-${money};${money}`;

/** Red for a negative effect, green for a positive one (`first` = the ranges' top-left cell). */
export function effectColours(ranges: string[], first: string): ConditionalRule[] {
  return [
    { ranges, kind: 'below', values: [0], fontColor: '#c5221f' },
    {
      ranges,
      kind: 'formula',
      values: [],
      formula: `=AND(ISNUMBER(${first}), ${first}>0)`,
      fontColor: '#137333',
    },
  ];
}

const product = (xs: string[]) => (xs.length === 0 ? '1' : xs.join('*'));

/** A factor's actual from the measures: the count, or num ÷ den ("" when den is not above 0). */
export function actualOf(f: Factor, v: (m: Measure) => string): string {
  if (!f.den) return v(f.num);
  if (f.col) return v(f.col);
  return `IF(AND(ISNUMBER(${v(f.num)}), ISNUMBER(${v(f.den)})), IF(${v(f.den)}>0, ${v(f.num)}/${v(f.den)}, ""), "")`;
}

/** A factor's plan: its input, or for the count, the revenue plan ÷ the plan of every rate above it. */
export function planOf(
  f: Factor,
  chain: Factor[],
  revenuePlan: string,
  plan: (k: PlanKey) => string,
) {
  const of = (p: FactorPlan) => (Array.isArray(p) ? `(${plan(p[0])}/${plan(p[1])})` : plan(p));
  if (f.plan) return of(f.plan);
  return `(${revenuePlan}/(${product(chain.filter((x) => x.plan).map((x) => of(x.plan as FactorPlan)))}))`;
}

/** The plan inputs a factor's plan rests on: its own, or for the count, the target and every rate's. */
export const planKeysOf = (f: Factor, chain: Factor[]): PlanInputKey[] =>
  f.plan ? [f.plan].flat() : ['target', ...chain.flatMap((x) => (x.plan ? [x.plan].flat() : []))];

/**
 * A live test that a plan input still holds its built-in assumption (plan.ts assumedTest), or
 * undefined when none of `keys` held one at build.
 */
export type AssumedTest = (keys: readonly PlanInputKey[]) => string | undefined;

/** `f` — or, while `test` holds, the label: a plan that rests on an assumption judges nothing. */
export const unlessAssumed = (test: string | undefined, label: string, f: string) =>
  test ? `IF(${test}, "${label}", ${f})` : f;

/** ln(actual ÷ plan), exactly 0 within AT_PLAN of the plan (see src/core/attribution.ts). */
const lnRatio = (a: string, p: string) =>
  `IF(ABS(LN(${a}/${p}))<${AT_PLAN_TEXT}, 0, LN(${a}/${p}))`;

/** A factor's effect: L × ln(actual ÷ plan). */
export const effectOf = (L: string, a: string, p: string) => `${L}*${lnRatio(a, p)}`;

/** L(A, P) from the factor cells (Σ ln as ln(A ÷ P)), or "" when a factor is not above 0. */
function logMeanFormula(A: string, P: string, actual: string[], plan: string[], otherwise: string) {
  const n = actual.length;
  const logs = actual.map((a, i) => lnRatio(a, plan[i])).join('+');
  return `IF(AND(ISNUMBER(${A}), ISNUMBER(${P}), COUNT(${actual.join(', ')})=${n}, COUNT(${plan.join(', ')})=${n}), IF(AND(${A}>0, ${P}>0, MIN(${actual.join(', ')})>0, MIN(${plan.join(', ')})>0), IF(ABS(${logs})<${AT_PLAN_TEXT}, ${A}, (${A}-${P})/(${logs})), ${otherwise}), ${otherwise})`;
}

export interface GapCells {
  /** Each tree node's effect on revenue, as a formula ("" = off the revenue path). */
  nodeEffect: (id: KpiId) => string;
  /** The log mean L of the window's split (its cell). */
  L: string;
  /** The rows the tables took (the next free row). */
  endRow: number;
  conditional: ConditionalRule[];
}

/**
 * The division summary (grouped factor table with each KPI's effect) and the levers, from `row`
 * down at column A of the KPI tree. `total(m)` is the window's Total of a measure; the plan inputs
 * are PLAN_INPUT's cells; `revenuePlan` the window's revenue plan.
 */
export function writeGapTables(
  g: Grid,
  row: number,
  settings: KpiSettings,
  total: (m: Measure) => string,
  revenuePlan: string,
  money: string,
  fromActual: KpiId[],
  assumed: AssumedTest = () => undefined,
  /**
   * Written elsewhere than the tree (the forecast sheet's split of the *expected* gap): how the
   * tree's plan inputs are referred to, and the block's own title and method line.
   */
  elsewhere?: { planRef: (cell: string) => string; title: string; method: string },
): GapCells {
  const t = TEXT[settings.lang];
  const lang = settings.lang;
  const chain = gapFactors(settings);
  const planCell = (k: PlanKey) => (elsewhere ? elsewhere.planRef(PLAN_INPUT[k]) : PLAN_INPUT[k]);
  g.set(row, 1, elsewhere?.title ?? t.title, { bold: true, background: COLORS.header });
  g.set(row + 1, 1, elsewhere?.method ?? t.method);
  const untyped = fromActual.filter((id) => chain.some((f) => f.id === id));
  // The chain's first count has no plan of its own: it is what the revenue plan needs.
  if (chain.length > 0) g.set(row + 2, 1, t.backCalc(kpiLabel(lang, chain[0].id)));
  const notes = [
    ...(fromActual.includes('revenue') ? [t.noTarget] : []),
    ...(untyped.length > 0
      ? [t.fromActual(untyped.map((id) => kpiLabel(lang, id)).join(lang === 'ja' ? '、' : ', '))]
      : []),
  ];
  // A factor whose plan is a built-in assumption is left out of the split while it holds one
  // (its effect reads "plan assumed"; the effect also rests on the revenue target, through L).
  const effectTest = (f: Factor) => assumed([...planKeysOf(f, chain), 'target']);
  const anyAssumed = assumed(['target', ...chain.flatMap((f) => planKeysOf(f, chain))]);
  if (anyAssumed && chain.length > 0) {
    const text = notes.length > 0 ? `"${notes.join(' ')} "&` : '';
    g.set(
      row + 3,
      1,
      { f: `=${text}IF(${anyAssumed}, "${t.leftOut}", "")` },
      {
        background: COLORS.assumed,
      },
    );
  } else if (notes.length > 0) g.set(row + 3, 1, notes.join(' '), { background: COLORS.assumed });
  const head = row + 4;
  t.header.forEach((h, i) => {
    g.set(head, 1 + i, h, { bold: true, background: COLORS.header });
  });
  // Rows: each division's KPIs, then its total.
  const divisions: Division[] = ['Marketing', 'IS', 'FS'];
  const { rowOrder, starts, produces } = structureOf(settings);
  const shown = rowOrder.filter((id) => {
    const start = starts.find((s) => s.id === id);
    return !start || id === 'leads' || chain[0]?.id === id;
  });
  const divisionOf = (id: KpiId): Division => kpiNode(id).division as Division;
  let r = head + 1;
  const at: Partial<Record<KpiId, number>> = {};
  const totals: Partial<Record<Division, number>> = {};
  const members: Record<Division, number[]> = { Marketing: [], IS: [], FS: [] };
  for (const d of divisions) {
    for (const id of shown.filter((x) => divisionOf(x) === d)) {
      at[id] = r;
      members[d].push(r);
      r++;
    }
    totals[d] = r++;
  }
  const revenueRow = r;
  const sumRow = r + 1;
  const lRow = r + 2;
  const whyRow = r + 3;
  const C = (col: number, rr: number) => a1(rr, col);
  const L = C(6, lRow);
  const inChain = (id: KpiId) => chain.find((f) => f.id === id);
  const revenueActual = total('revenue');
  const A = C(4, revenueRow);
  const P = C(3, revenueRow);
  // The factor rows.
  const chainActual: string[] = [];
  const chainPlan: string[] = [];
  for (const f of chain) {
    chainActual.push(C(4, at[f.id] as number));
    chainPlan.push(C(3, at[f.id] as number));
  }
  const start = chain[0] ? kpiLabel(lang, chain[0].id) : '';
  for (const id of shown) {
    const rr = at[id] as number;
    const f = inChain(id);
    g.set(rr, 1, DIVISION_LABELS[lang][divisionOf(id)], { background: COLORS[divisionOf(id)] });
    g.set(rr, 2, kpiLabel(lang, id), { background: COLORS[divisionOf(id)] });
    const fmt = id === 'avgDeal' ? money : kpiNode(id).unit === 'rate' ? '0.0%' : '#,##0';
    if (!f) {
      g.set(rr, 4, chain.length ? t.notMeasured(start) : t.noData);
      g.set(rr, 6, t.noData);
      continue;
    }
    // A plan nobody typed (= the window's actual) is marked as assumed, as beside the inputs.
    g.set(
      rr,
      3,
      { f: `=${planOf(f, chain, P, planCell)}` },
      { number: fmt, background: untyped.includes(id) ? COLORS.assumed : undefined },
    );
    const act = actualOf(f, total);
    g.set(rr, 4, { f: `=IF(ISNUMBER(${act}), ${act}, "${t.noData}")` }, { number: fmt });
    const [a, p] = [C(4, rr), C(3, rr)];
    const own = assumed(planKeysOf(f, chain));
    g.set(
      rr,
      5,
      {
        f: `=${unlessAssumed(own, t.planAssumed, `IF(AND(ISNUMBER(${a}), ISNUMBER(${p})), IF(${p}>0, ${a}/${p}, ""), "")`)}`,
      },
      { number: '0.0%' },
    );
    g.set(
      rr,
      6,
      {
        f: `=IF(ISNUMBER(${L}), ${unlessAssumed(effectTest(f), t.planAssumed, effectOf(L, a, p))}, "${t.noData}")`,
      },
      { number: signed(money) },
    );
    // The lever: this factor at plan, every other as actual, minus actual revenue.
    const others = chainActual.filter((x) => x !== a);
    g.set(
      rr,
      7,
      {
        f: `=${unlessAssumed(own, t.planAssumed, `IF(AND(COUNT(${chainActual.join(', ')})=${chain.length}, COUNT(${chainPlan.join(', ')})=${chain.length}), IF(${a}<${p}*(1-${AT_PLAN_TEXT}), ${p}*${product(others)}-${product(chainActual)}, "${t.atPlan}"), "${t.noData}")`)}`,
      },
      { number: money },
    );
  }
  // Ranks of the levers worth something (ties in table order), for the sorted list below.
  const gains = chain.map((f) => C(7, at[f.id] as number));
  gains.forEach((gi, i) => {
    const beats = gains
      .filter((_, j) => j !== i)
      .map((gj, jj) => {
        const j = jj >= i ? jj + 1 : jj;
        return `IF(AND(ISNUMBER(${gj}), ${gj}${j < i ? '>=' : '>'}${gi}), 1, 0)`;
      });
    g.set(
      at[chain[i].id] as number,
      8,
      { f: `=IF(AND(ISNUMBER(${gi}), ${gi}>0), 1${beats.map((b) => `+${b}`).join('')}, "")` },
      { number: '0' },
    );
  });
  // The effects' sum; while a factor's plan is assumed, the sum of the others ("plan assumed"
  // when every one is): SUM leaves the label out.
  const sumShown = (cells: string[], fs: Factor[]) => {
    const test = assumed([
      ...new Set(fs.flatMap((f): PlanInputKey[] => [...planKeysOf(f, chain), 'target'])),
    ]);
    const all = cells.join('+');
    if (!test) return all;
    return `IF(COUNT(${cells.join(', ')})=0, "${t.planAssumed}", IF(${test}, SUM(${cells.join(', ')}), ${all}))`;
  };
  // Division totals: the product of their ratios, the sum of their effects.
  for (const d of divisions) {
    const rr = totals[d] as number;
    const rows = members[d].filter((x) => chain.some((f) => at[f.id] === x));
    g.set(rr, 1, DIVISION_LABELS[lang][d], { bold: true, background: COLORS[d] });
    g.set(rr, 2, t.total(DIVISION_LABELS[lang][d]), { bold: true, background: COLORS[d] });
    if (rows.length === 0) {
      g.set(rr, 6, t.noData, { background: COLORS[d] });
      continue;
    }
    const ratios = rows.map((x) => C(5, x));
    g.set(
      rr,
      5,
      { f: `=IF(COUNT(${ratios.join(', ')})=${rows.length}, ${product(ratios)}, "")` },
      { number: '0.0%', bold: true, background: COLORS[d] },
    );
    g.set(
      rr,
      6,
      {
        f: `=IF(ISNUMBER(${L}), ${sumShown(
          rows.map((x) => C(6, x)),
          chain.filter((f) => rows.includes(at[f.id] as number)),
        )}, "${t.noData}")`,
      },
      { number: signed(money), bold: true, background: COLORS[d] },
    );
  }
  // Revenue: plan, actual, the gap; the effects' sum beside it; L and why there is no split.
  g.set(revenueRow, 1, DIVISION_LABELS[lang].KGI, { bold: true, background: COLORS.KGI });
  g.set(revenueRow, 2, `${kpiLabel(lang, 'revenue')}: ${t.gap}`, {
    bold: true,
    background: COLORS.KGI,
  });
  g.set(revenueRow, 3, { f: `=${revenuePlan}` }, { number: money, background: COLORS.KGI });
  g.set(
    revenueRow,
    4,
    { f: `=IF(ISNUMBER(${revenueActual}), ${revenueActual}, "${t.noData}")` },
    { number: money, background: COLORS.KGI },
  );
  const target = assumed(['target']);
  g.set(
    revenueRow,
    5,
    {
      f: `=${unlessAssumed(target, t.planAssumed, `IF(AND(ISNUMBER(${A}), ISNUMBER(${P})), IF(${P}>0, ${A}/${P}, ""), "")`)}`,
    },
    { number: '0.0%', background: COLORS.KGI },
  );
  g.set(
    revenueRow,
    6,
    {
      f: `=${unlessAssumed(target, t.planAssumed, `IF(AND(ISNUMBER(${A}), ISNUMBER(${P})), ${A}-${P}, "${t.noData}")`)}`,
    },
    { number: signed(money), bold: true, background: COLORS.KGI },
  );
  g.set(revenueRow, 7, '', { background: COLORS.KGI });
  const effects = chain.map((f) => C(6, at[f.id] as number));
  g.set(sumRow, 2, t.sum);
  g.set(
    sumRow,
    6,
    {
      f: chain.length
        ? `=IF(ISNUMBER(${L}), ${sumShown(effects, chain)}, "${t.noData}")`
        : `="${t.noData}"`,
    },
    { number: signed(money) },
  );
  g.set(lRow, 2, t.logMean);
  g.set(
    lRow,
    6,
    { f: chain.length ? `=${logMeanFormula(A, P, chainActual, chainPlan, '""')}` : '=""' },
    { number: money },
  );
  // Why there is no split: the first factor that is not above 0.
  const why = chain.length
    ? chain.reduceRight(
        (rest, f, i) =>
          `IF(OR(NOT(ISNUMBER(${chainActual[i]})), NOT(ISNUMBER(${chainPlan[i]}))), "${t.bad(kpiLabel(lang, f.id))}", IF(OR(${chainActual[i]}<=0, ${chainPlan[i]}<=0), "${t.bad(kpiLabel(lang, f.id))}", ${rest}))`,
        `IF(AND(ISNUMBER(${P}), ${P}<=0), "${t.badPlan}", "")`,
      )
    : `"${t.none}"`;
  g.set(whyRow, 1, { f: `=IF(ISNUMBER(${L}), "", ${why})` });

  // The levers, biggest first.
  const lv = whyRow + 2;
  g.set(lv, 1, t.levers, { bold: true, background: COLORS.header });
  if (chain.length > 0) g.set(lv + 1, 1, t.leverNote);
  t.leverHeader.forEach((h, i) => {
    g.set(lv + 2, 1 + i, h, { bold: true, background: COLORS.header });
  });
  const firstRow = head + 1;
  const lastRow = revenueRow - 1;
  const col = (c: number) => `$${colLetters(c)}$${firstRow}:$${colLetters(c)}$${lastRow}`;
  chain.forEach((_, k) => {
    const rr = lv + 3 + k;
    // Only as many ranks as KPIs below plan (ranks are distinct: ties go in table order).
    const ranked = `COUNT(${col(8)})`;
    g.set(rr, 1, { f: `=IF(${ranked}>${k}, ${k + 1}, "")` }, { number: '0' });
    const pick = (c: number) => `IFERROR(INDEX(${col(c)}, MATCH(${k + 1}, ${col(8)}, 0)), "")`;
    g.set(rr, 2, { f: k === 0 ? `=IF(${ranked}>0, ${pick(2)}, "${t.noLever}")` : `=${pick(2)}` });
    g.set(rr, 3, { f: `=${pick(1)}` });
    g.set(rr, 4, { f: `=${pick(7)}` }, { number: money });
  });

  // A node's effect with the stages below: "plan assumed" while any of theirs is.
  const sumOf = (ids: KpiId[]) => {
    const cells = ids.map((id) => C(6, at[id] as number));
    const test = assumed([
      ...new Set(
        chain
          .filter((f) => ids.includes(f.id))
          .flatMap((f): PlanInputKey[] => [...planKeysOf(f, chain), 'target']),
      ),
    ]);
    return `IF(ISNUMBER(${L}), ${unlessAssumed(test, t.planAssumed, cells.join('+'))}, "${t.noData}")`;
  };
  const nodeEffect = (id: KpiId): string => {
    if (chain.length === 0) return `"${t.noData}"`;
    if (id === 'revenue') return C(6, revenueRow);
    if (inChain(id)) return sumOf([id]);
    // A count node: the effects of the factors below it, when the chain reaches down to it.
    const rate = chain.find((f) => f.den && produces(f.id) === id)?.id;
    if (rate && inChain(rate)) {
      const upTo = chain.findIndex((f) => f.id === rate);
      return sumOf(chain.slice(0, upTo + 1).map((f) => f.id));
    }
    // On the revenue path below the chain's start (won and above are in every chain there is).
    return kpiNode(id).onPath ? `"${t.notMeasured(start)}"` : '';
  };
  return {
    nodeEffect,
    L,
    endRow: lv + 3 + Math.max(chain.length, 1),
    conditional: effectColours([`F${firstRow}:F${sumRow}`], `F${firstRow}`),
  };
}

/**
 * The funnel sheet's split per period, at column `col` from row 4 (header) down `spill` rows:
 * the gap against the plan per period, each factor's effect, which factor it mostly came from, and
 * the period's log mean L. `v(m, row)` is a measure's cell in a row of the KPI_FUNNEL table (its
 * period label in column A); `plan(k)` the plan per period, `target` the revenue target per period.
 */
export function writePeriodGap(
  g: Grid,
  col: number,
  spill: number,
  settings: KpiSettings,
  v: (m: Measure, row: number) => string,
  target: string,
  plan: (k: PlanKey) => string,
  money: string,
  fromActual: KpiId[],
  assumed: AssumedTest = () => undefined,
): { width: number; columnWidths: number[]; conditional: ConditionalRule[] } {
  const t = TEXT[settings.lang];
  const lang = settings.lang;
  const chain = gapFactors(settings);
  // The period again (the block is right of the plan, far from column A), then the gap.
  g.set(3, 1, t.pointer(colLetters(col)));
  // An untyped plan is the window's actual: 0 on the tree, but a month still differs from it.
  // Their columns' headers are orange, as the untyped plans are on the tree.
  const untyped = (f: Factor) => fromActual.includes(f.id);
  if (chain.some(untyped) || fromActual.includes('revenue')) g.set(3, col, t.periodFromActual);
  g.set(4, col, t.periodCol, { bold: true, background: COLORS.header });
  col++;
  g.set(4, col, t.periodGap, {
    bold: true,
    background: fromActual.includes('revenue') ? COLORS.assumed : COLORS.header,
  });
  // Each effect column names its KPI and the division that owns it (read by "Mostly from").
  chain.forEach((f, i) => {
    g.set(4, col + 1 + i, factorHeader(lang, f), {
      bold: true,
      background: untyped(f) ? COLORS.assumed : COLORS.header,
    });
  });
  const mostly = col + 1 + chain.length;
  const lCol = mostly + 1;
  g.set(4, mostly, t.mostly, { bold: true, background: COLORS.header });
  g.set(4, lCol, t.logMean, { bold: true, background: COLORS.header });
  const first = colLetters(col + 1);
  const last = colLetters(col + chain.length);
  const head = `$${first}$4:$${last}$4`;
  const planned = chain.map((f) => planOf(f, chain, target, plan));
  // A factor whose plan (or the revenue target) is a built-in assumption: no effect, the label.
  const tests = chain.map((f) => assumed([...planKeysOf(f, chain), 'target']));
  const anyTest = assumed(['target', ...chain.flatMap((f) => planKeysOf(f, chain))]);
  for (let rr = 5; rr < 5 + spill; rr++) {
    const period = `AND($A${rr}<>"", $A${rr}<>"${totalLabel('en')}", $A${rr}<>"${totalLabel('ja')}")`;
    const A = v('revenue', rr);
    const gap = a1(rr, col);
    const isTotal = `OR($A${rr}="${totalLabel('en')}", $A${rr}="${totalLabel('ja')}")`;
    g.set(rr, col - 1, { f: `=IF(${period}, $A${rr}, "")` });
    g.set(
      rr,
      col,
      {
        // The Total row's gap: the window's revenue against every period's target.
        f: `=IF(AND(${period}, ISNUMBER(${A})), ${A}-${target}, IF(AND(${isTotal}, ISNUMBER(${A}), ${rr - 5}>0), ${A}-${target}*${rr - 5}, ""))`,
      },
      { number: signed(money) },
    );
    if (chain.length === 0) continue;
    const actual = chain.map((f) => actualOf(f, (m) => v(m, rr)));
    const L = a1(rr, lCol);
    g.set(
      rr,
      lCol,
      {
        f: `=IF(AND(ISNUMBER(${gap}), NOT(${isTotal})), ${logMeanFormula(A, target, actual, planned, '""')}, "")`,
      },
      { number: money },
    );
    chain.forEach((_, i) => {
      const effect = unlessAssumed(tests[i], t.planAssumed, effectOf(L, actual[i], planned[i]));
      g.set(
        rr,
        col + 1 + i,
        {
          f:
            i === 0
              ? `=IF(${isTotal}, "${t.totalRow}", IF(ISNUMBER(${L}), ${effect}, ""))`
              : `=IF(ISNUMBER(${L}), ${effect}, "")`,
        },
        { number: signed(money) },
      );
    });
    const effects = `${first}${rr}:${last}${rr}`;
    // The first factor not above 0 (bottom of the funnel first) is why a period has no split.
    const whyNoSplit = (xs: string[]) =>
      xs.reduceRight(
        (rest, x, i) =>
          `IF(NOT(AND(ISNUMBER(${x}), ${x}>0)), "${t.noSplitAt(factorHeader(lang, chain[i]))}", ${rest})`,
        `"${t.noSplit}"`,
      );
    // The KPI that pulled hardest in the gap's direction, and a second one within 5 % of it.
    const label = (fn: string, k: number) =>
      `INDEX(${head}, 1, MATCH(${fn}(${effects}, ${k}), ${effects}, 0))`;
    const side = (fn: string, sign: string) =>
      `${label(fn, 1)}&IF(AND(COUNT(${effects})>1, ${fn}(${effects}, 2)${sign}0, ${fn}(${effects}, 2)/${fn}(${effects}, 1)>=0.95, ${label(fn, 2)}<>${label(fn, 1)}), " ≈ "&${label(fn, 2)}, "")`;
    g.set(rr, mostly, {
      f: `=IF(AND(ISNUMBER(${gap}), NOT(${isTotal})), IF(COUNT(${effects})=0, ${anyTest ? `IF(AND(ISNUMBER(${L}), ${anyTest}), "${t.planAssumed}", ${whyNoSplit(actual)})` : whyNoSplit(actual)}, IF(${gap}<0, ${side('SMALL', '<')}, IF(${gap}>0, ${side('LARGE', '>')}, ""))), "")`,
    });
  }
  const c0 = colLetters(col);
  const cEnd = chain.length ? last : c0;
  return {
    width: chain.length + 4,
    // period, gap, each KPI, "Mostly from" (two names), L.
    columnWidths: [100, 160, ...chain.map(() => 170), 260, 190],
    conditional: effectColours([`${c0}5:${cEnd}${4 + spill}`], `${c0}5`),
  };
}
