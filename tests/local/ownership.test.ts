/**
 * Sheets that are provably ours, values that survive exactly, settings that always save.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook, tokyoDate } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import { settingsFor } from '../helpers/settings';

/** The sample workbook's own tabs (the user's data). */
const USER = ['Leads', 'Activities', 'ターゲットリスト', '顧客', 'コスト'];

const ROLES = [
  'kpi-tree',
  'funnel',
  'cohort',
  'activity',
  'capacity',
  'prospect',
  'definitions',
  'history',
];

function setup(leads = 80) {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  rt.loadSheets(sampleWorkbook({ leads }));
  const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const settings = settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to });
  return { rt, settings };
}

/** Values, formulas and formats of a sheet: everything a user could lose. */
function everything(rt: LocalRuntime, name: string): string {
  const id = rt.wb.sheetId(name) as number;
  const { rows, cols } = rt.wb.extent(id);
  const r = Math.max(rows, 1);
  const c = Math.max(cols, 1);
  const meta = rt.wb.sheetMeta(id);
  return JSON.stringify({
    values: rt.wb.getValues(id, 1, 1, r, c),
    formulas: rt.wb.getFormulas(id, 1, 1, r, c),
    formats: [...meta.formats.entries()].sort(),
    rules: meta.conditionalFormats.length,
    charts: meta.charts.length,
  });
}

const names = (rt: LocalRuntime) => rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));

describe('ownership the user’s data cannot fake', () => {
  it('user sheets and the lead tab tagged with each of our tags survive builds byte for byte', () => {
    const { rt, settings } = setup();
    rt.loadSheets([
      {
        name: 'Mine',
        rows: [
          ['my notes', { formula: '=1+1' }],
          ['keep', 3],
        ],
        formats: new Map([['1,1', { numberFormat: '@', background: '#ff0000' }]]),
      },
    ]);
    // Every role's tag on the user's own sheet and on the lead tab.
    for (const role of ROLES) {
      rt.spreadsheet.self.getSheetByName('Mine')?.addDeveloperMetadata('kpi-tree-addon', role);
      rt.spreadsheet.self.getSheetByName('Leads')?.addDeveloperMetadata('kpi-tree-addon', role);
    }
    const before = ['Mine', ...USER].map((n) => everything(rt, n));
    rt.call('kpiBuild', settings);
    rt.call('kpiBuild', { ...settings, revenueTarget: 5_000_000 });
    rt.call('kpiSnapshot');
    expect(['Mine', ...USER].map((n) => everything(rt, n))).toEqual(before);
    // The sidebar still offers the tagged lead tab and the user's sheet as sources.
    const { tabs } = rt.call<{ tabs: { name: string }[] }>('kpiListTabs');
    expect(tabs.map((t) => t.name)).toEqual([...USER, 'Mine']);
    // Our own sheets exist once each.
    const ours = names(rt).filter((n) => !['Mine', ...USER].includes(n));
    expect(new Set(ours).size).toBe(ours.length);
  });

  it('a copy of a generated sheet (same tag, another ID) is the user’s: never deleted', () => {
    const { rt, settings } = setup();
    rt.call('kpiBuild', settings);
    rt.loadSheets([{ name: 'My copy of the tree', rows: [['copy']] }]);
    rt.spreadsheet.self
      .getSheetByName('My copy of the tree')
      ?.addDeveloperMetadata('kpi-tree-addon', 'kpi-tree');
    rt.call('kpiBuild', settings);
    expect(names(rt)).toContain('My copy of the tree');
    expect(rt.values('My copy of the tree')).toEqual([['copy']]);
  });

  it('a rebuild retires a generated sheet the new mapping no longer produces', () => {
    const { rt, settings } = setup();
    rt.call('kpiBuild', settings);
    expect(names(rt)).toContain('Activity area');
    const { owner: _owner, ...noOwner } = settings.mapping;
    rt.call('kpiBuild', { ...settings, mapping: noOwner });
    expect(names(rt)).not.toContain('Activity area');
    expect(names(rt)).toContain('KPI tree');
  });

  it('a spreadsheet built before the registry existed: its sheets are adopted, not duplicated', () => {
    const { rt, settings } = setup();
    rt.call('kpiBuild', settings);
    const before = names(rt).sort();
    rt.env.properties.document.delete('kpi.registry'); // as an older version left it
    rt.call('kpiBuild', settings);
    expect(names(rt).sort()).toEqual(before);
  });
});

describe('values survive exactly', () => {
  const awkward = fc.constantFrom(
    'Partner, Japan',
    'He said "no"',
    'パートナー、競合',
    '代理店，海外',
    "'=1",
    '00123',
    'TRUE',
    '1e3',
    '50%',
    '2025-01-01',
    '=HYPERLINK("x")',
    ' padded ',
  );

  it('target exclusions with commas, quotes and 、， reach the formula as whole values', () => {
    fc.assert(
      fc.property(fc.uniqueArray(awkward, { minLength: 1, maxLength: 4 }), (excluded) => {
        const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
        const pool = [...excluded, 'Customer', 'Customer, Japan'];
        const rows: unknown[][] = [['Created', 'Company', 'Target']];
        for (let i = 0; i < 45; i++) {
          rows.push([tokyoDate(2025, 4, 1 + (i % 28)), `Co ${i}`, pool[i % pool.length]]);
        }
        rt.loadSheets([{ name: 'Leads', rows }]);
        const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
        rt.call('kpiBuild', settingsFor(ins, { targetExclude: excluded }));
        // Compared as the product documents: NFKC, trimmed, case-insensitive.
        const norm = (v: unknown) => String(v).normalize('NFKC').trim().toLowerCase();
        const out = new Set(excluded.map(norm));
        const expected = rows.slice(1).filter((r) => !out.has(norm(r[2]))).length;
        const tree = rt.values('KPI tree');
        let got: unknown;
        for (let r = 0; r < tree.length; r++)
          if (tree[r][3] === 'Target leads') got = tree[r + 2][4];
        expect(got).toBe(expected);
      }),
      { numRuns: 12 },
    );
  });

  it('owners, ranks, status values and the reason come back as the same text, or a marked cut', () => {
    const long = 'y'.repeat(60_000);
    fc.assert(
      fc.property(awkward, awkward, (owner, rank) => {
        const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
        rt.loadSheets([
          {
            name: 'Leads',
            rows: [
              ['Created', 'Owner', 'Rank', 'Rank date', 'Deal date', 'Company', 'Status'],
              [
                tokyoDate(2025, 4, 1),
                owner,
                rank,
                tokyoDate(2025, 4, 2),
                tokyoDate(2025, 4, 9),
                'A',
                owner,
              ],
              [tokyoDate(2025, 4, 3), long, rank, tokyoDate(2025, 4, 4), '', 'B', rank],
            ],
          },
        ]);
        const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
        const statusMap = Object.fromEntries(ins.statuses.map((s) => [s.value, 'sql']));
        const base = settingsFor(ins, { rankHorizons: { [rank.trim()]: 90 }, statusMap });
        rt.call('kpiBuild', base);
        // The reason is logged when the definitions change.
        rt.call('kpiBuild', { ...base, revenueTarget: 2_000_000, why: `${owner}|${rank}` });
        const prospect = rt.values('Prospect accuracy').flat();
        expect(prospect).toContain(owner.trim());
        expect(prospect).toContain(rank.trim());
        const cut = prospect.find((v) => typeof v === 'string' && v.startsWith('yyyy'));
        expect(String(cut).length).toBeLessThanOrEqual(50_000);
        expect(String(cut)).toMatch(/ … \[cut: 60,000 characters\]$/);
        // The status values the formulas read are the exact (trimmed) spellings.
        expect(rt.values('KPI tree').flat()).toContain(owner.trim());
        const log = rt.values('Definitions log');
        expect(log[2][3]).toBe(`${owner}|${rank}`);
      }),
      { numRuns: 10 },
    );
  });
});

describe('settings and limits', () => {
  it('a long reason and many status values are capped and saved; the saved copy rebuilds', () => {
    const { rt, settings } = setup();
    const statusMap: Record<string, string> = {};
    for (let i = 0; i < 700; i++) statusMap[`ステータス${i}${'x'.repeat(40)}`] = 'lead';
    const big: KpiSettings = { ...settings, why: '理由'.repeat(5_000), statusMap };
    rt.call('kpiBuild', big);
    for (const [k, v] of rt.env.properties.document) {
      expect(Buffer.byteLength(v, 'utf8'), k).toBeLessThanOrEqual(9 * 1024);
    }
    const saved = rt.call<KpiSettings>('kpiLoadSettings');
    expect(saved.why?.length).toBe(1_000);
    expect(Object.keys(saved.statusMap ?? {}).length).toBe(500);
    expect(() => rt.run('kpiMenuRebuild()')).not.toThrow();
  });

  it('a failure to save the settings is reported and nothing is built', () => {
    const { rt, settings } = setup();
    rt.counter.failAt = { method: 'Properties.setProperties', call: 1 };
    expect(() => rt.call('kpiBuild', settings)).toThrow(
      /The settings could not be saved, so nothing was built: Service error/,
    );
    expect(names(rt)).toEqual(USER);
  });

  it('rejects a negative or absurd revenue target with a message in the sheet’s language', () => {
    const { rt, settings } = setup();
    expect(() => rt.call('kpiBuild', { ...settings, revenueTarget: -5_000_000 })).toThrow(
      'The revenue target must be a number from 0 to 1,000 trillion (got -5000000).',
    );
    expect(() => rt.call('kpiBuild', { ...settings, revenueTarget: 1e21 })).toThrow(/1e\+21/);
    expect(() => rt.call('kpiBuild', { ...settings, revenueTarget: 'lots' })).toThrow(
      'The revenue target must be a number from 0 to 1,000 trillion (got lots).',
    );
  });

  it('a blank revenue target is not 0: it is saved as blank and read as the window’s actual', () => {
    const { rt, settings } = setup();
    for (const blank of [undefined, '', null]) {
      rt.call('kpiBuild', { ...settings, revenueTarget: blank });
      expect(rt.call<KpiSettings>('kpiLoadSettings').revenueTarget).toBeUndefined();
    }
  });

  it('refuses settings a broken client could send, naming the field, writing nothing', () => {
    const { rt, settings } = setup();
    const cases: [Partial<KpiSettings>, RegExp][] = [
      [{ period: 'week' as 'month' }, /period = "week"/],
      [{ headerRow: '2' as unknown as number }, /headerRow = "2"/],
      [{ from: '2024-02-31' }, /window start must be a date/],
      [{ statusMap: { Won: 'winner' } }, /statusMap.Won = "winner"/],
      [{ mapping: undefined as unknown as KpiSettings['mapping'] }, /mapping = undefined|mapping/],
      [{ capacity: undefined as unknown as KpiSettings['capacity'] }, /capacity/],
    ];
    for (const [patch, message] of cases) {
      expect(() => rt.call('kpiBuild', { ...settings, ...patch }), JSON.stringify(patch)).toThrow(
        message,
      );
    }
    expect(names(rt)).toEqual(USER);
  });

  it('refuses a build that would pass the 10,000,000-cell limit, writing nothing', () => {
    const { rt, settings } = setup();
    rt.wb.sheetMeta(rt.wb.sheetId('Activities') as number).gridRows = 400_000; // 400k × 26 columns
    expect(() => rt.call('kpiBuild', settings)).toThrow(
      /cells; a spreadsheet holds at most 10,000,000/,
    );
    expect(names(rt)).toEqual(USER);
  });

  it('snapshots refuse while the tree shows an error', () => {
    const { rt, settings } = setup();
    rt.call('kpiBuild', settings);
    rt.spreadsheet.self.getSheetByName('KPI tree')?.getRange('B8').setValue('=1/0');
    // An error is named as one (with where to look), not as "still computing".
    expect(() => rt.call('kpiSnapshot')).toThrow(
      /shows an error, so nothing was recorded: "Won deals" is #DIV\/0!\. Hover over the cell/,
    );
  });
});
