/**
 * The KPI tree's node table (src/core/kpiNodes.ts) is complete and consistent: every node has
 * both labels, a unit, a division, a place of its own, what its actual reads and its plan (or an
 * explicit none); the revenue path is a chain with a factor at every level; and the built tree
 * shows each node's label where the table places it (the snapshot reads the boxes there).
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { FUNNEL_COL } from '../../src/core/funnel';
import {
  CHAIN,
  FACTORS,
  factorAt,
  isKpiId,
  KPI_NODES,
  type KpiId,
  type KpiNode,
  kpiNode,
  nodeBox,
} from '../../src/core/kpiNodes';
import { settingsFor } from '../helpers/settings';

const NODES = KPI_NODES as readonly KpiNode[];

describe('the KPI node table', () => {
  it('gives every node an id, both labels, a division, a unit, a place, an actual and a plan', () => {
    for (const n of NODES) {
      expect(n.labels.ja.trim(), n.id).not.toBe('');
      expect(n.labels.en.trim(), n.id).not.toBe('');
      expect(['Marketing', 'IS', 'FS', 'KGI'], n.id).toContain(n.division);
      expect(['money', 'count', 'rate', 'days', 'multiple'], n.id).toContain(n.unit);
      expect(['chain', 'factor', 'beside', 'sal'], n.id).toContain(n.place.column);
      expect(n.place.level, n.id).toBeGreaterThanOrEqual(0);
      expect(n.place.level, n.id).toBeLessThanOrEqual(5);
      const a = n.actual as Record<string, unknown>;
      expect(Object.keys(a), n.id).toHaveLength(1);
      if ('total' in a) expect(Object.keys(FUNNEL_COL), n.id).toContain(a.total);
      if ('ratio' in a)
        for (const m of a.ratio as string[]) expect(Object.keys(FUNNEL_COL), n.id).toContain(m);
      expect(n.plan, n.id).toBeDefined();
      const h = n.history;
      if (typeof h === 'object')
        for (const m of h.ratio) expect(Object.keys(FUNNEL_COL), n.id).toContain(m);
      else if (h && h !== 'share') expect(Object.keys(FUNNEL_COL), n.id).toContain(h);
      expect(typeof n.measured, n.id).toBe('function');
    }
  });

  it('has unique ids, labels and boxes', () => {
    const ids = NODES.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const lang of ['ja', 'en'] as const) {
      const labels = NODES.map((n) => n.labels[lang]);
      expect(new Set(labels).size, lang).toBe(labels.length);
    }
    const boxes = NODES.map((n) => JSON.stringify(nodeBox(n)));
    expect(new Set(boxes).size).toBe(boxes.length);
  });

  it('is a chain from revenue to leads with a factor at every level below revenue', () => {
    expect(CHAIN.map((n) => n.id)).toEqual([
      'revenue',
      'won',
      'deals',
      'mql',
      'targetLeads',
      'leads',
    ]);
    expect(CHAIN.map((n) => n.place.level)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(factorAt(0)).toBeUndefined();
    for (let level = 1; level <= 5; level++) {
      const f = factorAt(level) as KpiNode;
      expect(f.onPath, f.id).toBe(true);
      expect(typeof f.plan, f.id).toBe('object');
      // The factor produces the chain node above it with the chain node beside it.
      expect(f.factor?.produces, f.id).toBe(CHAIN[level - 1].id);
      expect(isKpiId(f.factor?.produces ?? ''), f.id).toBe(true);
    }
    // Bottom first, as the revenue-gap split multiplies them.
    expect(FACTORS.map((n) => n.id)).toEqual([
      'targetShare',
      'mqlRate',
      'dealRate',
      'winRate',
      'avgDeal',
    ]);
    // The deal rate splits into MQL → SAL × SAL → deal, both optional nodes of the table.
    for (const id of kpiNode('dealRate').factor?.splitInto ?? []) {
      expect(isKpiId(id), id).toBe(true);
      expect(kpiNode(id as KpiId).optional, id).toBe(true);
    }
    // Off the path: no plan of its own and no place in the chain (beside it, or right of every
    // other box as LTV is, beside CAC).
    for (const n of NODES.filter((x) => !x.onPath)) {
      expect(n.plan, n.id).toBe('none');
      expect(['beside', 'sal'], n.id).toContain(n.place.column);
    }
  });

  it('is laid out on the built tree where the table places each node, in both languages', () => {
    for (const lang of ['ja', 'en'] as const) {
      const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
      rt.loadSheets(sampleWorkbook({ leads: 120 }));
      const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
      rt.callFromSidebar(
        'kpiBuild',
        settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to, lang }),
      );
      const v = rt.values(lang === 'ja' ? 'KPIツリー' : 'KPI tree');
      // The sample has no status that means SAL and no customers tab is given: the optional
      // nodes have no box (tests/addon/sal.test.ts and ltv.test.ts build them).
      for (const n of NODES) {
        const { row, col } = nodeBox(n);
        if (n.optional) {
          expect(v[row - 1][col - 1], `${lang} ${n.id}`).toBe('');
          continue;
        }
        expect(v[row - 1][col - 1], `${lang} ${n.id}`).toBe(n.labels[lang]);
        expect(v[row][col - 1], `${lang} ${n.id}`).toBe(lang === 'ja' ? '計画' : 'Plan');
      }
    }
  });
});
