/**
 * What the KPI tree shows while the KPI_FUNNEL it reads is loading, has failed or has timed out —
 * as Sheets shows those states (local/engine.ts CustomFunctionState) — and that a Snapshot never
 * records them; and that a build leaves the user's view where it was until it shows the tree.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { settingsFor } from '../helpers/settings';

/** The Actual cell of every node box on the tree (label in D, G or J; Actual two rows down). */
function actuals(rt: LocalRuntime, tree: string, actualLabel: string): Map<string, unknown> {
  const v = rt.values(tree);
  const out = new Map<string, unknown>();
  for (let r = 0; r + 2 < v.length; r++) {
    for (const c of [3, 6, 9]) {
      if (typeof v[r][c] === 'string' && v[r + 2]?.[c] === actualLabel)
        out.set(v[r][c] as string, v[r + 2][c + 1]);
    }
  }
  return out;
}

const LANGS = {
  ja: {
    locale: 'ja_JP',
    tree: 'KPIツリー',
    actual: '実績',
    calculating: '計算中…',
    noData: 'データなし',
    history: 'KPI履歴',
  },
  en: {
    locale: 'en_US',
    tree: 'KPI tree',
    actual: 'Actual',
    calculating: 'Calculating…',
    noData: 'no data',
    history: 'KPI history',
  },
};

for (const lang of ['ja', 'en'] as const) {
  describe(`the tree while KPI_FUNNEL is loading, failed or timed out (${lang})`, () => {
    const L = LANGS[lang];
    let rt: LocalRuntime;
    let measured: string[];
    beforeAll(() => {
      rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: L.locale });
      rt.loadSheets(sampleWorkbook({ leads: 200 }));
      const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
      rt.callFromSidebar(
        'kpiBuild',
        settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to, lang }),
      );
      const ready = actuals(rt, L.tree, L.actual);
      // The nodes the data measures show numbers once KPI_FUNNEL has computed.
      measured = [...ready].filter(([, v]) => typeof v === 'number').map(([k]) => k);
      expect(measured.length).toBeGreaterThanOrEqual(8);
    });

    it('loading: every node the data measures reads "calculating", none "no data"; Snapshot refuses', () => {
      rt.setCustomFunctionState('KPI_FUNNEL', 'loading');
      const shown = actuals(rt, L.tree, L.actual);
      for (const node of measured) expect(shown.get(node), node).toBe(L.calculating);
      expect([...shown.values()].filter((v) => v === L.noData).length).toBeLessThanOrEqual(
        shown.size - measured.length,
      );
      expect(() => rt.call('kpiSnapshot')).toThrow(L.calculating);
      expect(rt.wb.sheetId(L.history)).toBeUndefined();
      // Below the tree (the division summary, the levers, the SMART table): nothing claims
      // "no data", "no split" or "none (all at or above plan)" while the data is computing.
      const below = rt
        .values(L.tree)
        .slice(36)
        .flatMap((line) => line.slice(0, 13))
        .filter((v) => typeof v === 'string');
      expect(below).toContain(L.calculating);
      expect(
        below.filter((v) =>
          /データなし|分解でき|すべて計画以上|no data|no split|all at or above/.test(v as string),
        ),
      ).toEqual([]);
    });

    it('thrown: the nodes show the error with its message; Snapshot refuses', () => {
      rt.setCustomFunctionState('KPI_FUNNEL', {
        error: 'Lead tab row 12: "2025-13-01" is not a date',
      });
      const shown = actuals(rt, L.tree, L.actual);
      for (const node of measured) expect(shown.get(node), node).toBe('#ERROR!');
      // The message travels with the error (what Sheets shows when the cell is hovered).
      const id = rt.wb.sheetId(L.tree) as number;
      const v = rt.values(L.tree);
      const r = v.findIndex((line) => line[4] === '#ERROR!');
      expect(rt.wb.errorMessage(id, r + 1, 5)).toBe('Lead tab row 12: "2025-13-01" is not a date');
      expect(() => rt.call('kpiSnapshot')).toThrow(/#ERROR!/);
    });

    it('timed out: the error, not "no data"; released, the numbers come back and Snapshot records them', () => {
      rt.setCustomFunctionState('KPI_FUNNEL', 'timeout');
      const shown = actuals(rt, L.tree, L.actual);
      for (const node of measured) expect(shown.get(node), node).toBe('#ERROR!');
      expect(() => rt.call('kpiSnapshot')).toThrow();
      rt.setCustomFunctionState('KPI_FUNNEL', undefined);
      const back = actuals(rt, L.tree, L.actual);
      for (const node of measured) expect(typeof back.get(node), node).toBe('number');
      const { rows } = rt.call<{ rows: number }>('kpiSnapshot');
      expect(rows).toBeGreaterThanOrEqual(measured.length);
      const history = rt.values(L.history).slice(1);
      expect(history.some((row) => row.includes(L.calculating) || row.includes('#ERROR!'))).toBe(
        false,
      );
    });
  });
}

describe('the user’s view during a build', () => {
  it('stays on the user’s sheet until the tree is shown at the end (no temporary tab is ever left active)', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
    rt.loadSheets(sampleWorkbook({ leads: 100 }));
    const ss = rt.spreadsheet.self;
    ss.setActiveSheet(ss.getSheetByName('Activities') as never);
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    const settings = settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to });
    for (const round of [1, 2]) {
      // After every service call of the build, the active sheet is the user's — except right
      // after an insertSheet (Sheets makes the new sheet active; the next call restores the
      // user's) — and the tree at the very end.
      const seen: string[] = [];
      rt.counter.reset();
      const original = rt.counter.add.bind(rt.counter);
      rt.counter.add = (name: string) => {
        const prev = rt.counter.log[rt.counter.log.length - 1];
        if (prev && prev !== 'Spreadsheet.insertSheet' && rt.spreadsheet.activeId !== undefined)
          seen.push(rt.wb.sheetName(rt.spreadsheet.activeId));
        original(name);
      };
      rt.callFromSidebar('kpiBuild', settings);
      rt.counter.add = original;
      expect(seen.length).toBeGreaterThan(50);
      const last = seen.lastIndexOf('Activities');
      expect(new Set(seen.slice(0, last + 1)), `round ${round}`).toEqual(new Set(['Activities']));
      expect(
        seen.slice(last + 1).filter((n) => n !== 'KPI tree'),
        `round ${round}`,
      ).toEqual([]);
      expect(ss.getActiveSheet().getName()).toBe('KPI tree');
      ss.setActiveSheet(ss.getSheetByName('Activities') as never);
    }
  });
});
