/**
 * The deal rate's effect split at SAL (MQL → SAL × SAL → deal), where a status means SAL: a block
 * of its own below everything else on the KPI tree (sheets/revenueGap.ts has the window's split).
 */
import {
  DIVISION_LABELS,
  type KpiId,
  kpiLabel,
  kpiNode,
  type Measure,
  type PlanKey,
} from '../kpiNodes';
import { measuredOf, PLAN_INPUT } from '../plan';
import type { KpiSettings } from '../settings';
import { a1, type ConditionalRule, type Grid } from '../sheetModel';
import {
  type AssumedTest,
  actualOf,
  effectColours,
  effectOf,
  type GapCells,
  planKeysOf,
  planOf,
  signed,
  toFactor,
  unlessAssumed,
} from './revenueGap';
import { GAP_TEXT as TEXT } from './revenueGapText';
import { COLORS } from './style';

/**
 * Where a status means SAL: the deal rate's effect split between MQL → SAL and SAL → deal, as a
 * block of its own below everything else on the tree (LMDI is additive over factors: with SAL →
 * deal planned at the deal rate ÷ the SAL rate, the two effects add up to the deal rate's). Returns
 * the effects of the SAL nodes for their boxes (SAL itself: MQL's effect with the stages below it,
 * plus the SAL rate's).
 */
export function writeSalSplit(
  g: Grid,
  row: number,
  settings: KpiSettings,
  gap: GapCells,
  total: (m: Measure) => string,
  money: string,
  untyped: KpiId[],
  assumed: AssumedTest = () => undefined,
): { endRow: number; effects: Partial<Record<KpiId, string>>; conditional: ConditionalRule[] } {
  const m = measuredOf(settings);
  if (!m.sal || !m.mql || !m.deals) return { endRow: row, effects: {}, conditional: [] };
  const t = TEXT[settings.lang];
  const lang = settings.lang;
  g.set(row, 1, t.salTitle, { bold: true, background: COLORS.header });
  t.header.slice(0, 6).forEach((h, i) => {
    g.set(row + 1, 1 + i, h, { bold: true, background: COLORS.header });
  });
  const plan = (k: PlanKey) => PLAN_INPUT[k];
  const effects: Partial<Record<KpiId, string>> = {};
  const parts = (kpiNode('dealRate').factor?.splitInto ?? []) as KpiId[];
  const tests: (string | undefined)[] = [];
  parts.forEach((id, i) => {
    const r = row + 2 + i;
    const f = toFactor(kpiNode(id));
    const bg = COLORS[f.division];
    g.set(r, 1, DIVISION_LABELS[lang][f.division], { background: bg });
    g.set(r, 2, kpiLabel(lang, id), { background: bg });
    g.set(
      r,
      3,
      { f: `=${planOf(f, [f], '', plan)}` },
      { number: '0.0%', background: untyped.includes(id) ? COLORS.assumed : undefined },
    );
    const act = actualOf(f, total);
    g.set(r, 4, { f: `=IF(ISNUMBER(${act}), ${act}, "${t.noData}")` }, { number: '0.0%' });
    const [a, p] = [a1(r, 4), a1(r, 3)];
    // A plan that rests on a built-in assumption is left out, as in the split above.
    const own = assumed(planKeysOf(f, [f]));
    tests.push(assumed([...planKeysOf(f, [f]), 'target']));
    g.set(
      r,
      5,
      {
        f: `=${unlessAssumed(own, t.planAssumed, `IF(AND(ISNUMBER(${a}), ISNUMBER(${p})), IF(${p}>0, ${a}/${p}, ""), "")`)}`,
      },
      { number: '0.0%' },
    );
    g.set(
      r,
      6,
      {
        f: `=${unlessAssumed(tests[i], t.planAssumed, `IF(AND(ISNUMBER(${gap.L}), ISNUMBER(${a}), ISNUMBER(${p})), IF(AND(${a}>0, ${p}>0), ${effectOf(gap.L, a, p)}, "${t.bad(kpiLabel(lang, id))}"), "${t.noData}")`)}`,
      },
      { number: signed(money) },
    );
    effects[id] = a1(r, 6);
  });
  const below = gap.nodeEffect('mql');
  const salRate = effects.salRate as string;
  const sum = `IF(AND(ISNUMBER(${below}), ISNUMBER(${salRate})), ${below}+${salRate}, "${t.noData}")`;
  // SAL's effect carries MQL's (with the stages below) and the SAL rate's: assumed if either is.
  const any = assumed(['target', 'avg', 'win', 'deal', 'mql', 'share', 'sal']);
  const label = `"${t.planAssumed}"`;
  effects.sal = any
    ? `IF(IFERROR(OR(${below}=${label}, ${salRate}=${label}), FALSE()), ${label}, ${sum})`
    : sum;
  const last = row + 1 + parts.length;
  return {
    endRow: last + 1,
    effects,
    conditional: effectColours([`F${row + 2}:F${last}`], `F${row + 2}`),
  };
}
