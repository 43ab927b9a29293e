/**
 * The KPI history: one row per node each time the tree is snapshot (api.ts kpiSnapshot).
 * A log: the add-on appends to it and never replaces it (no `build`).
 */

import type { Lang } from '../errors';
import { isKpiId, KPI_NODES, type KpiNode, kpiNode, nodeBox } from '../kpiNodes';
import { MESSAGES } from '../messages';
import { treeVocabulary } from './kpiTree';
import { defineSheet } from './sheet';
import { FMT } from './style';
import { calculatingText } from './treeText';

export const history = defineSheet({
  key: 'history',
  bigquery: true,
  names: { ja: 'KPI履歴', en: 'KPI history' },
});

/** The history's header row. */
export const HISTORY_HEADER: Record<Lang, string[]> = {
  ja: ['ノードID', 'KPI', '担当', '計画', '実績', '達成率', '期間', '取得日時', '売上への影響'],
  en: [
    'node id',
    'KPI',
    'owner',
    'plan',
    'actual',
    'achievement',
    'window',
    'taken at',
    'effect on revenue',
  ],
};

/** Number formats of a history row: plan and actual as the node shows them, achievement in %. */
export function snapshotFormats(node: string, money: string): (string | null)[] {
  const unit = isKpiId(node) ? kpiNode(node).unit : 'count';
  const value = { rate: '0.0%', money, days: '#,##0.0', count: '#,##0', multiple: FMT.multiple }[
    unit
  ];
  return [null, null, null, value, value, '0.0%', null, null, `+${money};-${money};${money}`];
}

/**
 * The history rows of a built tree (`values`: the tree sheet's values, labelled in `treeLang`),
 * each node's box read where the layout puts it (kpiNodes.ts nodeBox). Throws, in `lang`, when
 * a node shows an error or is still computing, and when the tree is not where the layout says.
 */
export function snapshotRows(
  values: readonly (readonly unknown[])[],
  treeLang: Lang,
  lang: Lang,
  window: string,
  when: string,
): (string | number)[][] {
  const v = treeVocabulary(treeLang);
  const calculating = [calculatingText('ja'), calculatingText('en')];
  const bad = (x: unknown) =>
    typeof x === 'string' &&
    (/^#[A-Z/0-9!?]+/.test(x) || /^(Loading|読み込み中)/.test(x) || calculating.includes(x));
  const rows: (string | number)[][] = [];
  // Each node's box where the layout puts it (kpiNodes.ts nodeBox): label (division beside
  // it), then Plan / Actual / Achievement and the effect on revenue; in the tree's reading
  // order (row by row), as the history has always listed them.
  const boxes = (KPI_NODES as readonly KpiNode[])
    .map((n) => ({ id: n.id, optional: n.optional === true, ...nodeBox(n) }))
    .sort((a, b) => a.row - b.row || a.col - b.col);
  for (const { id, optional, row, col } of boxes) {
    const [r, c] = [row - 1, col - 1];
    const label = values[r]?.[c];
    // An optional node (SAL) the data does not measure has no box: nothing to read.
    if (optional && (label === '' || label === undefined)) continue;
    // A tree from another layout (or edited by hand) is not read by guesswork.
    if (values[r + 1]?.[c] !== v.plan || values[r + 2]?.[c] !== v.actual)
      throw new Error(MESSAGES[lang].noTree);
    const [plan, actual, achievement] = [1, 2, 3].map((k) => values[r + k][c + 1]);
    // The box's effect on revenue (a number, "no data" or "plan assumed"; off the path: blank).
    const hasEffect = v.effects.includes(values[r + 4]?.[c] as string);
    const raw = hasEffect ? values[r + 4][c + 1] : '';
    const effect = typeof raw === 'number' || raw === v.noData || raw === v.planAssumed ? raw : '';
    const shown = [actual, plan, achievement, raw].find(bad);
    if (shown !== undefined) {
      const text = String(shown);
      throw new Error(
        text.startsWith('#')
          ? MESSAGES[lang].nodeError(String(label), text)
          : MESSAGES[lang].notReady(String(label), text),
      );
    }
    rows.push([
      id,
      String(label),
      String(values[r][c + 1] ?? ''),
      plan as string | number,
      actual as string | number,
      achievement as string | number,
      window,
      when,
      effect as string | number,
    ]);
  }
  if (rows.length === 0) throw new Error(MESSAGES[lang].noTree);
  return rows;
}
