import { describe, expect, it } from 'vitest';
import { calculatingText, treeVocabulary } from '../../src/core/report';
import { HISTORY_HEADER, snapshotFormats, snapshotRows } from '../../src/core/snapshot';

const v = treeVocabulary('en');
const label = (id: string) => Object.keys(v.ids).find((k) => v.ids[k] === id) as string;

/** Two node boxes side by side (revenue with its effect row, win rate without one). */
function tree(winActual: unknown = 0.25): unknown[][] {
  return [
    ['', '', '', '', ''],
    [label('revenue'), 'KGI', '', label('winRate'), 'FS'],
    [v.plan, 1000, '', v.plan, 0.3],
    [v.actual, 900, '', v.actual, winActual],
    [v.achievement, 0.9, '', v.achievement, 0.83],
    [v.effects[0], -100, '', 'note', 'x'],
  ];
}

describe('KPI history snapshot (src/core/snapshot.ts)', () => {
  it('reads one row per node box, with its effect on revenue where it has one', () => {
    const rows = snapshotRows(tree(), 'en', 'en', '2025-01-01 … 2025-12-31', 'now');
    expect(rows).toEqual([
      ['revenue', label('revenue'), 'KGI', 1000, 900, 0.9, '2025-01-01 … 2025-12-31', 'now', -100],
      ['winRate', label('winRate'), 'FS', 0.3, 0.25, 0.83, '2025-01-01 … 2025-12-31', 'now', ''],
    ]);
  });

  it('refuses errors, loading cells and an empty tree, in the given language', () => {
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
