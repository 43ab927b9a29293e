/** Prospect accuracy per rep and rank (PROSPECT_ACCURACY over the lead tab). */

import { formula } from '../../functions';
import type { KpiSettings } from '../settings';
import { Grid, type SheetModel } from '../sheetModel';
import { leadColumns } from './formulas';
import { defineSheet } from './sheet';
import { COLORS, FMT, moneyOf } from './style';

const NAMES = { ja: '見込み精度', en: 'Prospect accuracy' };

const PROSPECT_TEXT = {
  ja: {
    horizons: '見込みランクの期限（日、編集できます。* = その他のランク）',
    rank: 'ランク',
    days: '日数',
    note: 'ランク判定日から期限内に商談化した割合を担当者ごとに、チーム全体の率と比べます。',
  },
  en: {
    horizons: 'Prospect-rank horizons (days, editable; * = any other rank)',
    rank: 'Rank',
    days: 'Days',
    note: 'Per rep and rank: the share that became deals within the rank’s horizon, against the team’s rate.',
  },
};

/** Prospect accuracy: live PROSPECT_ACCURACY over the lead tab, horizons as editable cells. */
export function prospectSheet(
  settings: KpiSettings,
  ranks: readonly string[],
): SheetModel | undefined {
  const c = leadColumns(settings);
  if (!c.rank || !c.rankDate || !c.owner || !c.dealDate) return undefined;
  const t = PROSPECT_TEXT[settings.lang];
  const name = NAMES[settings.lang];
  const g = new Grid(13);
  g.set(1, 1, name, { bold: true });
  g.set(2, 1, t.note);
  // Horizons per rank (K:L), a * row for ranks not listed.
  const H = 11;
  g.set(3, H, t.horizons, { bold: true, background: COLORS.header });
  g.set(4, H, t.rank, { bold: true });
  g.set(4, H + 1, t.days, { bold: true });
  const listed = [...new Set([...ranks, ...Object.keys(settings.rankHorizons)])].filter(
    (r) => r !== '*',
  );
  const rows: [string, number][] = listed.map((r) => [r, settings.rankHorizons[r] ?? 180]);
  rows.push(['*', settings.rankHorizons['*'] ?? 180]);
  rows.forEach(([rank, days], i) => {
    g.set(5 + i, H, rank, { background: COLORS.input });
    g.set(5 + i, H + 1, days, { number: FMT.int, background: COLORS.input });
  });
  const horizons = `$K$5:$L$${5 + rows.length - 1}`;
  g.set(4, 1, {
    f: formula('PROSPECT_ACCURACY', {
      owners: c.owner,
      ranks: c.rank,
      rank_dates: c.rankDate,
      deal_dates: c.dealDate,
      amounts: c.amount,
      won_dates: c.wonDate,
      horizons,
    }),
  });
  // judged, became deals, rate, team rate, median days, amount
  g.formatArea(5, 3, 200, [FMT.int, FMT.int, FMT.pct, FMT.pct, FMT.days, moneyOf(settings)]);
  return g.model('prospect', name, { frozenRows: 4 });
}

export const prospect = defineSheet({
  key: 'prospect',
  names: NAMES,
  build: ({ settings, table }) => prospectSheet(settings, table.rankValues),
});
