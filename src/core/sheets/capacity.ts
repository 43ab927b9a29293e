/** Capacity: heads × capacity per stage against the KPI tree's plan (CAPACITY). */

import { formula } from '../../functions';
import { PLAN_INPUT } from '../plan';
import type { KpiSettings } from '../settings';
import { Grid, type SheetModel } from '../sheetModel';
import { defineSheet } from './sheet';
import { COLORS, FMT, moneyOf } from './style';
import { T } from './treeText';

const NAMES = { ja: 'キャパシティ', en: 'Capacity' };

/** Capacity: CAPACITY over the plan, self-contained (its own copy of the plan figures). */
export function capacitySheet(settings: KpiSettings): SheetModel {
  const ja = settings.lang === 'ja';
  const money = moneyOf(settings);
  const t = T[settings.lang];
  const g = new Grid(5);
  g.set(1, 1, NAMES[settings.lang], { bold: true });
  g.set(2, 1, t.editOnTree);
  // The same stages and rates as the KPI tree's plan per period, read from it: the required
  // volumes CAPACITY computes are the tree's and the funnel's plan, month for month.
  const tree = (cell: string) => ({ f: `=⟦kpi-tree⟧!$${cell[0]}$${cell.slice(1)}` });
  const stages: { label: string; keys: string[]; rate?: string }[] = [
    { label: t.leads, keys: ['lead', 'リード', 'Lead'], rate: PLAN_INPUT.share },
    { label: t.targetLeads, keys: ['target', 'ターゲットリード'], rate: PLAN_INPUT.mql },
    { label: t.mql, keys: ['mql', 'MQL'], rate: PLAN_INPUT.deal },
    { label: t.deals, keys: ['deal', '商談', 'Deal'], rate: PLAN_INPUT.win },
    { label: t.won, keys: ['won', '受注', 'Won'] },
  ];
  g.block(
    3,
    1,
    [ja ? ['ステージ', '転換率', '人数', '1人あたり'] : ['Stage', 'Rate', 'Heads', 'Per head']],
    { bold: true, background: COLORS.header },
  );
  stages.forEach((stage, i) => {
    const cap = settings.capacity.find((x) => stage.keys.includes(x.stage));
    g.set(4 + i, 1, stage.label);
    g.set(4 + i, 2, stage.rate ? tree(stage.rate) : '', { number: FMT.pct });
    g.set(4 + i, 3, cap?.heads ?? '', { number: FMT.int, background: COLORS.input });
    g.set(4 + i, 4, cap?.perHead ?? '', { number: FMT.int, background: COLORS.input });
  });
  g.set(10, 1, t.targetPer);
  g.set(10, 2, tree(PLAN_INPUT.target), { number: money });
  g.set(11, 1, t.avgDeal);
  g.set(11, 2, tree(PLAN_INPUT.avg), { number: money });
  g.set(13, 1, {
    f: formula('CAPACITY', {
      stages: 'A4:A8',
      rates: 'B4:B8',
      heads: 'C4:C8',
      per_head: 'D4:D8',
      target: 'B10',
      avg_deal_size: 'B11',
    }),
  });
  g.formatArea(14, 2, 5, [FMT.int, FMT.int, FMT.pct, FMT.int]);
  return g.model('capacity', NAMES[settings.lang], {
    columnWidths: [190], // the stage and plan labels ("Revenue target per period")
    conditional: [{ ranges: ['D14:D18'], kind: 'atLeast', values: [1], background: '#f4c7c3' }],
  });
}

export const capacity = defineSheet({
  key: 'capacity',
  names: NAMES,
  build: ({ settings }) => capacitySheet(settings),
});
