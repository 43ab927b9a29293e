/**
 * Settings treat null as blank (issue 21): the sidebar leaves a blank field undefined, and
 * google.script.run may deliver an undefined object field as null (local/scriptRun.ts: assumed;
 * the documentation names only arrays, where undefined becomes null). A null optional setting
 * means what leaving it out means, at any depth, and nothing downstream sees a null. A default
 * Build from the sidebar — blank revenue target and deal size, blank goals and costs — goes through
 * the same serialisation (LocalRuntime.callFromSidebar) and builds.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { BuildResult, ExtraInspection, TabInspection } from '../../src/addon/api';
import { validateSettings } from '../../src/addon/settings';
import { KPI_NODES } from '../../src/core/goals';
import type { KpiSettings } from '../../src/core/settings';

const base: KpiSettings = {
  leadSheet: 'Leads',
  headerRow: 1,
  mapping: { created: 0, company: 1 },
  period: 'month',
  from: '2025-04-01',
  to: '2026-03-31',
  targetExclude: [],
  capacity: [],
  rankHorizons: {},
  lang: 'en',
};

const withNull = (field: string) => ({ ...base, [field]: null }) as unknown as KpiSettings;

describe('validateSettings: null is blank', () => {
  // Each optional setting, null, reads as left out: what the sidebar means by a blank field.
  it.each([
    ['revenueTarget', undefined],
    ['avgDealSize', undefined],
    ['stretchMargin', undefined],
    ['costs', undefined],
    ['rowsAre', undefined],
    ['deals', undefined],
    ['customers', undefined],
    ['targetList', undefined],
    ['activityLog', undefined],
    ['costTab', undefined],
    ['kpis', undefined],
    ['why', undefined],
    ['statusMap', undefined],
    ['stageNames', undefined],
    ['locale', undefined],
    ['headerRow', 1],
    ['targetExclude', []],
  ])('%s: null validates as blank (EN and JA)', (field, blank) => {
    for (const lang of ['en', 'ja'] as const) {
      const out = validateSettings(withNull(field), lang) as unknown as Record<string, unknown>;
      expect(out[field]).toEqual(blank);
      expect(JSON.stringify(out)).not.toContain('null');
    }
  });

  it('null inside a setting is blank too: columns, costs, capacity, keys, goals, statuses', () => {
    const given = {
      ...base,
      mapping: { created: 0, company: 1, owner: null },
      costs: { marketing: null, isHeads: 2, isPerHead: 500_000, fsHeads: null, fsPerHead: null },
      capacity: [{ stage: 'mql', heads: null, perHead: 120 }],
      rankHorizons: { A: 90, B: null },
      statusMap: { Won: 'won', Junk: null },
      targetExclude: ['Partner', null],
      stageNames: ['Lead', null, 'SAL', 'SQL', 'Won'],
      deals: {
        sheet: 'Deals',
        headerRow: 1,
        mapping: { created: 0, amount: null },
        joinBy: 'none',
        leadKey: null,
        dealKey: null,
      },
      customers: { sheet: '顧客', headerRow: 1, columns: { company: 0, end: null } },
      kpis: {
        winRate: null,
        won: { csf: 'Demo first', owner: null, target: null, deadline: null },
      },
    } as unknown as KpiSettings;
    const out = validateSettings(given, 'ja');
    expect(out.mapping).toEqual({ created: 0, company: 1 });
    // A blank cost or capacity is '' — "not typed", as the sidebar sends an empty box.
    expect(out.costs).toEqual({
      marketing: '',
      isHeads: 2,
      isPerHead: 500_000,
      fsHeads: '',
      fsPerHead: '',
    });
    expect(out.capacity).toEqual([{ stage: 'mql', heads: '', perHead: 120 }]);
    expect(out.rankHorizons).toEqual({ A: 90 });
    expect(out.statusMap).toEqual({ Won: 'won' });
    expect(out.targetExclude).toEqual(['Partner']);
    expect(out.stageNames).toEqual(['Lead', '', 'SAL', 'SQL', 'Won']);
    expect(out.deals).toEqual({
      sheet: 'Deals',
      headerRow: 1,
      mapping: { created: 0 },
      joinBy: 'none',
    });
    expect(out.customers).toEqual({ sheet: '顧客', headerRow: 1, columns: { company: 0 } });
    expect(out.kpis).toEqual({ won: { csf: 'Demo first' } });
    expect(JSON.stringify(out)).not.toContain('null');
  });

  it('an empty box is blank too, and a bad value is still refused', () => {
    const blank = { ...base, avgDealSize: '', stretchMargin: '' } as unknown as KpiSettings;
    expect(validateSettings(blank, 'en').avgDealSize).toBeUndefined();
    expect(validateSettings(blank, 'en').stretchMargin).toBeUndefined();
    expect(() => validateSettings({ ...base, avgDealSize: 0 }, 'en')).toThrow(
      'The average deal size must be a number above 0 and at most 1,000 trillion, or blank (got 0).',
    );
    expect(() => validateSettings({ ...base, stretchMargin: -1 }, 'en')).toThrow(
      'The stretch margin must be a number from 0 to 1,000 % (got -1).',
    );
    // Required settings are not optional: null is refused as missing.
    expect(() => validateSettings(withNull('leadSheet'), 'en')).toThrow('Choose the lead tab.');
    expect(() => validateSettings(withNull('capacity'), 'en')).toThrow(
      /The settings are not valid: capacity/,
    );
    expect(() => validateSettings(withNull('period'), 'ja')).toThrow(
      /設定が正しくありません: period/,
    );
  });
});

describe('a default Build from the sidebar, through google.script.run', () => {
  it('builds with a blank revenue target, deal size, goals and costs, and saves no null', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook({ leads: 300 }));
    // What the sidebar does on open (sidebar/inspect.ts), then on Build without typing anything.
    const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    const extra = (name: string, kind: string) => {
      const x = rt.callFromSidebar<ExtraInspection>('kpiInspectExtra', name, kind);
      return { sheet: x.name, headerRow: x.headerRow, columns: { ...x.columns } };
    };
    const settings = {
      leadSheet: ins.name,
      headerRow: ins.headerRow,
      mapping: { ...ins.mapping },
      rowsAre: ins.rowsAre,
      period: ins.defaults.period,
      from: ins.defaults.from,
      to: ins.defaults.to,
      revenueTarget: undefined,
      avgDealSize: undefined,
      targetExclude: [],
      capacity: ['mql', 'deal', 'won'].map((stage) => ({ stage, heads: '', perHead: '' })),
      rankHorizons: {},
      lang: 'ja',
      why: '',
      statusMap: Object.fromEntries(ins.statuses.map((s) => [s.value, s.guess])),
      stageNames: ['', '', '', '', ''],
      customers: extra('顧客', 'customers'),
      targetList: extra('ターゲットリスト', 'targetList'),
      activityLog: extra('Activities', 'activityLog'),
      costTab: extra('コスト', 'costTab'),
      kpis: Object.fromEntries(
        KPI_NODES.map((n) => [n.id, { csf: '', owner: '', target: '', deadline: '' }]),
      ),
    };
    const result = rt.callFromSidebar<BuildResult>('kpiBuild', settings);
    expect(result.sheets.map((s) => s.name)).toContain('KPIツリー');
    const saved = rt.callFromSidebar<KpiSettings>('kpiLoadSettings');
    expect(saved.leadSheet).toBe('Leads');
    expect('avgDealSize' in saved).toBe(false);
    expect('revenueTarget' in saved).toBe(false);
    expect(JSON.stringify(saved)).not.toContain('null');
  });
});
