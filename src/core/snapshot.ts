/**
 * The KPI history's snapshot of the built tree: one row per node box (id, name, owner, plan,
 * actual, achievement, the window, when, its effect on revenue), read back from the tree's
 * values by its labels; refused while a value is an error or still computing.
 */
import type { Lang } from './errors';
import { KPI_NODES } from './goals';
import { MESSAGES } from './messages';
import { calculatingText, treeVocabulary } from './report';

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
  const unit = KPI_NODES.find((n) => n.id === node)?.unit;
  const value =
    unit === 'rate' ? '0.0%' : unit === 'money' ? money : unit === 'days' ? '#,##0.0' : '#,##0';
  return [null, null, null, value, value, '0.0%', null, null, `+${money};-${money};${money}`];
}

/**
 * The history rows of a built tree (`values`: the tree sheet's values, labelled in `treeLang`).
 * Throws, in `lang`, when a node shows an error or is still computing, and when no node is found.
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
  // A node box: label (division beside it), then Plan / Actual / Achievement rows.
  for (let r = 0; r + 3 < values.length; r++) {
    for (let c = 0; c + 1 < values[r].length; c++) {
      const label = values[r][c];
      if (typeof label !== 'string' || v.ids[label] === undefined) continue;
      if (values[r + 1][c] !== v.plan || values[r + 2][c] !== v.actual) continue;
      const [plan, actual, achievement] = [1, 2, 3].map((k) => values[r + k][c + 1]);
      // The box's effect on revenue (a number, or "no data"; off the revenue path: blank).
      const hasEffect = v.effects.includes(values[r + 4]?.[c] as string);
      const raw = hasEffect ? values[r + 4][c + 1] : '';
      const effect = typeof raw === 'number' || raw === v.noData ? raw : '';
      const shown = [actual, plan, achievement, raw].find(bad);
      if (shown !== undefined) {
        const text = String(shown);
        throw new Error(
          text.startsWith('#')
            ? MESSAGES[lang].nodeError(label, text)
            : MESSAGES[lang].notReady(label, text),
        );
      }
      rows.push([
        v.ids[label],
        label,
        String(values[r][c + 1] ?? ''),
        plan as string | number,
        actual as string | number,
        achievement as string | number,
        window,
        when,
        effect as string | number,
      ]);
    }
  }
  if (rows.length === 0) throw new Error(MESSAGES[lang].noTree);
  return rows;
}
