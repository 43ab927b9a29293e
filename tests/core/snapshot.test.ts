import { describe, expect, it } from 'vitest';
import { KPI_NODES, type KpiNode, nodeBox } from '../../src/core/kpiNodes';
import { HISTORY_HEADER, snapshotFormats, snapshotRows } from '../../src/core/sheets/history';
import { treeVocabulary } from '../../src/core/sheets/kpiTree';
import { calculatingText } from '../../src/core/sheets/treeText';

const v = treeVocabulary('en');
const label = (id: string) => Object.keys(v.ids).find((k) => v.ids[k] === id) as string;

/** Every node's box where the layout puts it; revenue's actual is `revenueActual`. */
function tree(revenueActual: unknown = 900): unknown[][] {
  const grid: unknown[][] = Array.from({ length: 80 }, () => Array(40).fill(''));
  for (const n of KPI_NODES as readonly KpiNode[]) {
    const { row, col } = nodeBox(n);
    const [r, c] = [row - 1, col - 1];
    grid[r][c] = label(n.id);
    grid[r][c + 1] = 'owner';
    grid[r + 1][c] = v.plan;
    grid[r + 1][c + 1] = 1000;
    grid[r + 2][c] = v.actual;
    grid[r + 2][c + 1] = n.id === 'revenue' ? revenueActual : 900;
    grid[r + 3][c] = v.achievement;
    grid[r + 3][c + 1] = 0.9;
  }
  return grid;
}

describe('KPI history snapshot (src/core/sheets/history.ts)', () => {
  it('reads one row per node box, where the layout puts it', () => {
    const rows = snapshotRows(tree(), 'en', 'en', '2025-01-01 … 2025-12-31', 'now');
    expect(rows).toHaveLength(KPI_NODES.length);
    const revenue = rows.find((r) => r[0] === 'revenue');
    expect(revenue).toEqual([
      'revenue',
      label('revenue'),
      'owner',
      1000,
      900,
      0.9,
      '2025-01-01 … 2025-12-31',
      'now',
      '',
    ]);
  });

  it('refuses errors, loading cells and a tree not where the layout says', () => {
    expect(() => snapshotRows(tree('#DIV/0!'), 'en', 'en', '', '')).toThrow(
      /shows an error, so nothing was recorded/,
    );
    expect(() => snapshotRows(tree(calculatingText('en')), 'en', 'ja', '', '')).toThrow(
      /KPIツリーの計算が終わっていません/,
    );
    expect(() => snapshotRows([['x']], 'en', 'en', '', '')).toThrow(/Build the KPI sheets first/);
  });

  it('formats plan and actual by the node unit', () => {
    expect(snapshotFormats('winRate', '#,##0')[3]).toBe('0.0%');
    expect(snapshotFormats('cac', '¥#,##0')[4]).toBe('¥#,##0');
    expect(snapshotFormats('leadToDeal', '#,##0')[3]).toBe('#,##0.0');
    expect(snapshotFormats('won', '#,##0')[3]).toBe('#,##0');
    expect(snapshotFormats('unknown', '#,##0')[3]).toBe('#,##0');
    expect(HISTORY_HEADER.en).toHaveLength(9);
    expect(HISTORY_HEADER.ja).toHaveLength(9);
  });
});
