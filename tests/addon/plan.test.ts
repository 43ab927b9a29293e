/**
 * One plan: the KPI tree holds the only plan block; the funnel and capacity sheets read it, so
 * the same period shows the same plan on all three, also after the manager edits it.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { settingsFor } from '../helpers/settings';

function built(locale: string) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
  rt.loadSheets(sampleWorkbook({ leads: 1200 }));
  const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const lang = locale.startsWith('ja') ? 'ja' : 'en';
  rt.call(
    'kpiBuild',
    settingsFor(ins, {
      from: ins.defaults.from,
      to: ins.defaults.to,
      revenueTarget: 25_000_000,
      lang,
    }),
  );
  return { rt, lang };
}

/** Label → value of the first cell right of a label cell in a given column. */
function beside(
  rt: LocalRuntime,
  sheet: string,
  col: number,
  label: string,
  last = false,
): unknown {
  const v = rt.values(sheet);
  for (const row of last ? [...v].reverse() : v) if (row[col - 1] === label) return row[col];
  throw new Error(`${sheet}: no ${label}`);
}

const NAMES = {
  en: {
    tree: 'KPI tree',
    funnel: 'Funnel by period',
    capacity: 'Capacity',
    stages: ['Won deals', 'Deals', 'MQL', 'Target leads', 'Leads'],
  },
  ja: {
    tree: 'KPIツリー',
    funnel: 'ファネル（輪切り）',
    capacity: 'キャパシティ',
    stages: ['受注数', '商談数', 'MQL', 'ターゲットリード', 'リード'],
  },
};

describe.each(['en_US', 'ja_JP'])('one plan (%s)', (locale) => {
  it('the same period’s won / deals / MQL / target leads / leads plan on tree, funnel and capacity', () => {
    const { rt, lang } = built(locale);
    const n = NAMES[lang as 'en' | 'ja'];
    const read = () =>
      n.stages.map((stage) => {
        const tree = beside(rt, n.tree, 1, stage);
        const funnel = beside(rt, n.funnel, 16, stage);
        // CAPACITY's "required" column (its table is below the inputs: the last such label).
        const capacity = beside(rt, n.capacity, 1, stage, true);
        return [stage, tree, funnel, capacity];
      });
    for (const [stage, tree, funnel, capacity] of read()) {
      expect(typeof tree, String(stage)).toBe('number');
      expect([funnel, capacity], String(stage)).toEqual([tree, tree]);
    }
    // Independent check of the chain: won = ⌈target ÷ average deal size⌉, then ÷ each rate.
    const tree = rt.spreadsheet.self.getSheetByName(n.tree);
    if (!tree) throw new Error('no tree');
    const [target, avg, win, deal, mql, share] = tree
      .getRange('B7:B12')
      .getValues()
      .map((r) => Number(r[0]));
    const won = Math.ceil(target / avg);
    const deals = Math.ceil(Number((won / win).toFixed(9)));
    const mqls = Math.ceil(Number((deals / deal).toFixed(9)));
    const targets = Math.ceil(Number((mqls / mql).toFixed(9)));
    const leads = Math.ceil(Number((targets / share).toFixed(9)));
    expect(read().map((r) => r[1])).toEqual([won, deals, mqls, targets, leads]);

    // The manager edits the plan on the tree: the funnel and capacity follow.
    tree.getRange('B7').setValue(50_000_000);
    const after = read();
    expect(after[0][1]).toBe(Math.ceil(50_000_000 / avg));
    for (const [stage, t, funnel, capacity] of after) {
      expect([funnel, capacity], String(stage)).toEqual([t, t]);
    }
  });
});
