/**
 * The KPI builder run from the built bundle on the local runtime: the sidebar's server API, the
 * generated sheets' live formulas evaluated by HyperFormula, and the safety properties (user
 * sheets untouched, idempotent rebuilds, failure leaves the previous report, batching).
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook, tokyoDate } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { ZoneClock } from '../../src/core/dates';
import { windowActuals } from '../../src/core/plan';
import { settingsFor } from '../helpers/settings';

const GENERATED = [
  'KPIツリー',
  'ファネル（輪切り）',
  'コホート（追っかけ）',
  '着地予測',
  '活動量',
  'キャパシティ',
  '見込み精度',
  // From the lead tab alone (dates and 温度感): the optional tabs add CAC, retention, coverage.
  'サイクルタイム',
  '商談の4象限',
];

const USER_TABS = ['Leads', 'Activities', 'ターゲットリスト', '顧客', 'コスト'];

function setup(leads = 3000, locale = 'ja_JP') {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
  rt.loadSheets(sampleWorkbook({ leads }));
  const inspection = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
  const settings = settingsFor(inspection, {
    from: inspection.defaults.from,
    to: inspection.defaults.to,
    revenueTarget: 30_000_000,
    capacity: [
      { stage: 'MQL', heads: 3, perHead: 120 },
      { stage: '商談', heads: 4, perHead: 20 },
    ],
    rankHorizons: { A: 90, B: 180, C: 365 },
    lang: 'ja',
  });
  return { rt, inspection, settings };
}

/** Everything a user could see of a sheet: values, formulas, formats. */
function snapshot(rt: LocalRuntime, name: string) {
  const id = rt.wb.sheetId(name);
  if (id === undefined) return undefined;
  const { rows, cols } = rt.wb.extent(id);
  const r = Math.max(rows, 1);
  const c = Math.max(cols, 1);
  return JSON.stringify({
    values: rt.wb.getValues(id, 1, 1, r, c),
    formulas: rt.wb.getFormulas(id, 1, 1, r, c),
    formats: [...rt.wb.sheetMeta(id).formats.entries()].sort(),
  });
}

/** Reads a KPI-tree node (label at column D/G/J) → [plan, actual]. */
function node(rt: LocalRuntime, label: string): [unknown, unknown] {
  const values = rt.values('KPIツリー');
  for (let r = 0; r < values.length; r++) {
    for (const c of [3, 6, 9]) {
      if (values[r][c] === label) return [values[r + 1][c + 1], values[r + 2][c + 1]];
    }
  }
  throw new Error(`no node ${label}`);
}

describe('building the KPI sheets', () => {
  it('lists the tabs and suggests the one that looks like a lead list', () => {
    const { rt } = setup(200);
    const { tabs, suggested } = rt.callFromSidebar<{
      tabs: { name: string; rows: number }[];
      suggested: string;
    }>('kpiListTabs');
    expect(suggested).toBe('Leads');
    const customers = sampleWorkbook({ leads: 200 })[3].rows.length - 1;
    expect(tabs.map((t) => [t.name, t.rows])).toEqual([
      ['Leads', 200],
      ['Activities', 300],
      ['ターゲットリスト', 400],
      ['顧客', customers],
      ['コスト', 18],
    ]);
  });

  it('writes live formulas whose values equal the core’s numbers on the sample workbook', () => {
    const { rt, settings } = setup();
    const result = rt.callFromSidebar<{ sheets: { name: string }[] }>('kpiBuild', settings);
    expect(result.sheets.map((s) => s.name)).toEqual(GENERATED);
    // No generated cell evaluates to an error (#SPILL!, #REF!, #ERROR! …).
    for (const name of GENERATED) {
      const errors = rt
        .values(name)
        .flat()
        .filter((v) => typeof v === 'string' && /^#[A-Z]/.test(v));
      expect(errors, name).toEqual([]);
    }
    const values = rt.values('Leads');
    const core = windowActuals(values, settings, new ZoneClock('Asia/Tokyo'));
    expect(core.leads).toBeGreaterThan(1000);
    expect(node(rt, '売上（KGI）')[1]).toBe(core.revenue);
    expect(node(rt, '受注数')[1]).toBe(core.won);
    expect(node(rt, '商談数')[1]).toBe(core.deals);
    expect(node(rt, 'MQL')[1]).toBe(core.mql);
    expect(node(rt, 'ターゲットリード')[1]).toBe(core.targetLeads);
    expect(node(rt, 'リード')[1]).toBe(core.leads);
    expect(node(rt, 'ユニーク社数')[1]).toBe(core.companies);
    expect(node(rt, '受注率')[1]).toBeCloseTo(Number(core.won) / Number(core.deals), 12);
    // The plan flows down from the revenue target: 12 months × 30M.
    expect(node(rt, '売上（KGI）')[0]).toBe(360_000_000);
    const avg = Number(core.revenue) / Number(core.won);
    // The window's plan, not rounded (the revenue-gap split uses the same numbers): the revenue
    // plan ÷ the average deal size; the plan per period (B16) is what a period needs, rounded up.
    expect(node(rt, '受注数')[0]).toBeCloseTo(360_000_000 / avg, 6);
    const tree = rt.spreadsheet.self.getSheetByName('KPIツリー');
    expect(tree?.getRange('B16').getValue()).toBe(Math.ceil(30_000_000 / avg - 1e-9));
    // The sample has a 失注 status but no lost or close date: the data check names the missing
    // column (a lost deal cannot be placed in a period), not just "no data".
    expect(rt.values('KPIツリー').flat()).toContain(
      '失注: データなし（失注日・完了日の列がありません。決着ベースの受注率に必要です）',
    );
  });

  it('re-flows the plan when a plan input changes, and moves the actuals when a lead is added', () => {
    const { rt, settings } = setup(1000);
    rt.callFromSidebar('kpiBuild', settings);
    const tree = rt.spreadsheet.self.getSheetByName('KPIツリー');
    if (!tree) throw new Error('no tree');
    tree.getRange('B7').setValue(10_000_000); // revenue target per period
    expect(node(rt, '売上（KGI）')[0]).toBe(120_000_000);
    const avg = tree.getRange('B8').getValue() as number;
    expect(node(rt, '受注数')[0]).toBeCloseTo(120_000_000 / avg, 6);

    const before = node(rt, 'リード')[1] as number;
    const leads = rt.spreadsheet.self.getSheetByName('Leads');
    if (!leads) throw new Error('no leads');
    // Sheets never grows a grid by itself: a user adds a row before typing in it.
    if (leads.getLastRow() === leads.getMaxRows()) leads.insertRowsAfter(leads.getMaxRows(), 1);
    leads
      .getRange(leads.getLastRow() + 1, 1, 1, 3)
      .setValues([['L-new', tokyoDate(2025, 6, 10), '新規株式会社']]);
    expect(node(rt, 'リード')[1]).toBe(before + 1);
  });

  it('builds the same sheets twice and never changes the user’s sheets', () => {
    const { rt, settings } = setup(1500);
    const userBefore = USER_TABS.map((n) => snapshot(rt, n));
    rt.callFromSidebar('kpiBuild', settings);
    const first = GENERATED.map((n) => snapshot(rt, n));
    rt.callFromSidebar('kpiBuild', settings);
    expect(GENERATED.map((n) => snapshot(rt, n))).toEqual(first);
    expect(USER_TABS.map((n) => snapshot(rt, n))).toEqual(userBefore);
    // Only the generated sheets, the definitions log and the user's tabs exist: no leftovers.
    const names = rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
    expect(names.sort()).toEqual([...USER_TABS, ...GENERATED, '定義ログ'].sort());
  });

  it('leaves the previous report intact when a build fails midway', () => {
    const { rt, settings } = setup(800);
    rt.callFromSidebar('kpiBuild', settings);
    const before = GENERATED.map((n) => snapshot(rt, n));
    const sheetsBefore = rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
    rt.counter.reset();
    rt.counter.failAt = { method: 'Range.setValues', call: 3 }; // the third sheet's write fails
    expect(() => rt.callFromSidebar('kpiBuild', { ...settings, revenueTarget: 1 })).toThrow(
      /injected/,
    );
    rt.counter.failAt = undefined;
    expect(GENERATED.map((n) => snapshot(rt, n))).toEqual(before);
    expect(rt.spreadsheet.order.map((id) => rt.wb.sheetName(id))).toEqual(sheetsBefore);
    // The lock was released: the next build runs.
    expect(() => rt.callFromSidebar('kpiBuild', settings)).not.toThrow();
  });

  it('reads the lead tab once and writes each sheet with a flat number of calls (≤ 10), 1k to 10k leads', () => {
    const perSheet = (leads: number) => {
      const { rt, settings } = setup(leads);
      rt.counter.reset();
      rt.callFromSidebar('kpiBuild', settings);
      // One read of the lead tab: the build's only getValues.
      expect(rt.counter.counts['Range.getValues']).toBe(1);
      charts = GENERATED.map((n) => rt.wb.sheetMeta(rt.wb.sheetId(n) as number).charts.length);
      // setColumnWidths calls: one per run of equal widths the sheet got (the tree's columns
      // follow their labels).
      widthRuns = GENERATED.map((n) => {
        const w = rt.wb.sheetMeta(rt.wb.sheetId(n) as number).columnWidths;
        const cols = [...w.keys()].sort((a, b) => a - b);
        return cols.filter((c, i) => i === 0 || cols[i - 1] !== c - 1 || w.get(c - 1) !== w.get(c))
          .length;
      });
      return [...GENERATED, 'Leads'].map(
        (n) => rt.counter.perSheet.get(rt.wb.sheetId(n) as number) ?? 0,
      );
    };
    let charts: number[] = [];
    let widthRuns: number[] = [];
    const small = perSheet(1000);
    const large = perSheet(10_000);
    expect(large).toEqual(small);
    // Per generated sheet: the write (tag, hidden while written, sized to its layout — rows and
    // columns, range, values, formats, backgrounds, weights, frozen rows, column widths, range
    // list for rules and charts, rules; then newChart + insertChart per chart and one getCharts
    // for their IDs), its ID for the registry commit, shown, renamed; the tree's "rebuild
    // incomplete" cell cleared last: ≤ 18 + 3 per chart + 1 per run of equal column widths
    // (none for most sheets; the tree's follow its labels).
    GENERATED.forEach((name, i) => {
      expect(small[i], name).toBeLessThanOrEqual(18 + 3 * charts[i] + Math.max(1, widthRuns[i]));
    });
    expect(widthRuns[0], 'the tree: widths by label, not per cell').toBeLessThanOrEqual(10);
    // Lead tab: getDataRange + getValues (the one read), getSheetId + getDeveloperMetadata (the
    // ownership scan), getMaxRows + getMaxColumns (the 10M-cell pre-check).
    expect(small[small.length - 1]).toBe(6);
  }, 120_000);

  it('a history begun before the effect column gets that column’s header on the next snapshot', () => {
    const { rt, settings } = setup(200);
    rt.callFromSidebar('kpiBuild', settings);
    rt.call('kpiSnapshot');
    // As an earlier version left it: eight columns, no effect header.
    rt.spreadsheet.self.getSheetByName('KPI履歴')?.getRange(1, 9).setValue('');
    rt.call('kpiSnapshot');
    const history = rt.values('KPI履歴');
    expect(history[0][8]).toBe('売上への影響');
    expect(history.length).toBe(1 + 2 * 16);
  });

  it('writes user text as text, never as a formula', () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    const hostile = '=IMPORTXML("http://x","//a")';
    rt.loadSheets([
      {
        name: 'Leads',
        rows: [
          ['作成日', '担当者', '見込みランク', 'ランク判定日', '商談化日'],
          [tokyoDate(2025, 4, 1), hostile, 'A', tokyoDate(2025, 4, 2), tokyoDate(2025, 4, 20)],
          [tokyoDate(2025, 4, 3), '+81-3-0000', 'A', tokyoDate(2025, 4, 4), ''],
        ],
      },
    ]);
    const inspection = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    rt.callFromSidebar(
      'kpiBuild',
      settingsFor(inspection, { rankHorizons: { A: 90 }, lang: 'ja' }),
    );
    const sheet = rt.spreadsheet.self.getSheetByName('見込み精度');
    // The live PROSPECT_ACCURACY (header in row 4) returns the owners as text.
    const owners = sheet?.getRange('A5:A6').getValues().flat();
    expect(owners?.sort()).toEqual(['+81-3-0000', hostile].sort());
    expect(sheet?.getRange('A5:A6').getFormulas().flat()).toEqual(['', '']);
  });

  it('refuses a second build while one holds the lock, with a message in the sheet’s language', () => {
    const { rt, settings } = setup(100);
    rt.env.locks.document = true; // another execution holds the document lock
    expect(() => rt.callFromSidebar('kpiBuild', settings)).toThrow(
      '別のビルドが実行中です。しばらくしてからもう一度お試しください。',
    );
  });

  it('keeps settings, logs definitions with the reason when they change, and snapshots KPI values', () => {
    const { rt, settings } = setup(600);
    rt.callFromSidebar('kpiBuild', settings);
    // Saved as sent, with the spreadsheet's locale the build formatted money by.
    expect(rt.callFromSidebar('kpiLoadSettings')).toEqual({
      ...JSON.parse(JSON.stringify(settings)),
      locale: 'ja_JP',
    });
    rt.callFromSidebar('kpiBuild', settings);
    rt.callFromSidebar('kpiBuild', {
      ...settings,
      targetExclude: ['パートナー'],
      why: 'パートナー経由を除外',
    });
    const log = rt.values('定義ログ');
    expect(log[0]).toEqual(['日時', '定義', '変更', '理由']);
    // Readable: what changed as "field: before → after", the reason, the time in Tokyo.
    expect(log.slice(1).map((r) => [r[2], r[3]])).toEqual([
      ['初回作成', ''],
      ['変更なし', ''],
      ['ターゲット外の値: — → パートナー', 'パートナー経由を除外'],
    ]);
    const tokyoMinute = new Date(Date.now() + 9 * 3_600_000).toISOString().slice(0, 13);
    expect(String(log[3][0]).slice(0, 13).replace(' ', 'T')).toBe(tokyoMinute);
    expect(String(log[1][1])).toContain('売上目標/期間: 30,000,000');
    // One row per KPI node, nothing else (no 計画 / 実績 / │ rows).
    const { rows } = rt.call<{ rows: number }>('kpiSnapshot');
    expect(rows).toBe(16);
    const history = rt.values('KPI履歴');
    expect(history[0]).toEqual([
      'ノードID',
      'KPI',
      '担当',
      '計画',
      '実績',
      '達成率',
      '期間',
      '取得日時',
      '売上への影響',
    ]);
    expect(
      history
        .slice(1)
        .map((r) => r[0])
        .sort(),
    ).toEqual(
      [
        'revenue',
        'won',
        'avgDeal',
        'deals',
        'winRate',
        'mql',
        'dealRate',
        'targetLeads',
        'mqlRate',
        'leads',
        'targetShare',
        'companies',
        'closedWinRate',
        'cac',
        'leadToDeal',
        'dealToWon',
      ].sort(),
    );
    const revenue = history.find((r) => r[0] === 'revenue');
    expect(revenue?.slice(1, 5)).toEqual(['売上（KGI）', '全社', ...node(rt, '売上（KGI）')]);
    expect(revenue?.[6]).toBe(`${settings.from} … ${settings.to}`);
    // Taken at: local time in the spreadsheet's zone (Tokyo), not the process's (UTC).
    const tokyoNow = new Date(Date.now() + 9 * 3_600_000)
      .toISOString()
      .slice(0, 13)
      .replace('T', ' ');
    expect(String(revenue?.[7]).slice(0, 13)).toBe(tokyoNow);
    // Each node's effect on revenue as the tree shows it (revenue: the gap; off the path: blank).
    const tree = rt.values('KPIツリー');
    const effectOf = (label: string) => {
      for (let r = 0; r < tree.length; r++)
        for (const c of [3, 6, 9]) if (tree[r][c] === label) return tree[r + 4][c + 1];
      return undefined;
    };
    expect(typeof revenue?.[8]).toBe('number');
    expect(revenue?.[8]).toBe(effectOf('売上（KGI）'));
    expect(history.find((r) => r[0] === 'winRate')?.[8]).toBe(effectOf('受注率'));
    expect(history.find((r) => r[0] === 'companies')?.[8]).toBe('');
    expect(rt.spreadsheet.self.getSheetByName('KPI履歴')?.getRange('E2').getFormula()).toBe('');
  });
});

describe('a lead tab with statuses but no stage dates', () => {
  it('counts stages from the status mapping chosen in the sidebar', () => {
    const rt = new LocalRuntime({ locale: 'en_US' });
    rt.loadSheets([
      {
        name: 'Leads',
        rows: [
          // Won and lost are dated by their closing date (never by creation).
          ['Created', 'Company', 'Status', 'Amount', 'Close Date'],
          [tokyoDate(2025, 4, 2), 'Acme Inc.', 'Closed Won', 500_000, tokyoDate(2025, 4, 20)],
          [tokyoDate(2025, 4, 8), 'ACME, Inc', 'Closed Lost', '', tokyoDate(2025, 4, 25)],
          [tokyoDate(2025, 4, 9), 'Globex', 'Working', '', ''],
          [tokyoDate(2025, 5, 1), 'Initech', 'New', '', ''],
        ],
      },
    ]);
    const inspection = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
    expect(inspection.statuses.map((s) => s.value).sort()).toEqual([
      'Closed Lost',
      'Closed Won',
      'New',
      'Working',
    ]);
    rt.callFromSidebar(
      'kpiBuild',
      settingsFor(inspection, {
        to: '2025-05-31',
        statusMap: { 'Closed Won': 'won', 'Closed Lost': 'lost', Working: 'mql', New: 'lead' },
      }),
    );
    const values = rt.values('KPI tree');
    const actual = (label: string) => {
      for (let r = 0; r < values.length; r++) {
        for (const c of [3, 6, 9]) if (values[r][c] === label) return values[r + 2][c + 1];
      }
      return undefined;
    };
    expect(actual('Leads')).toBe(4);
    expect(actual('MQL')).toBe(3);
    expect(actual('Deals')).toBe(2);
    expect(actual('Won deals')).toBe(1);
    expect(actual('Unique companies')).toBe(3);
  });
});

describe('menu and template', () => {
  it('adds the add-on menu in AuthMode.NONE without touching the spreadsheet, labelled in the user’s language', () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    rt.counter.reset();
    rt.call('onOpen', { authMode: 'NONE' });
    expect(rt.counter.counts['SpreadsheetApp.getActiveSpreadsheet']).toBeUndefined();
    expect(rt.env.ui.menus[0].items.map((i) => i.caption)).toEqual([
      'KPIサイドバーを開く',
      'KPIシートを再作成',
      'KPI値をスナップショット',
      'リードタブのテンプレートを挿入',
      '---',
      '動作チェック',
      'ヘルプ',
    ]);
    for (const item of rt.env.ui.menus[0].items) {
      if (item.fn) expect(rt.run(`typeof ${item.fn}`)).toBe('function');
    }
    const en = new LocalRuntime({ locale: 'en_US' });
    en.call('onOpen', { authMode: 'NONE' });
    expect(en.env.ui.menus[0].items[0].caption).toBe('Open KPI sidebar');
  });

  it('rebuilds from the menu with the saved settings, or says to build once first', () => {
    const { rt, settings } = setup(300);
    rt.call('kpiMenuRebuild');
    expect(rt.env.ui.alerts[0]).toEqual(['先にサイドバーから一度作成してください。']);
    rt.callFromSidebar('kpiBuild', settings);
    const before = snapshot(rt, 'KPIツリー');
    rt.call('kpiMenuRebuild');
    expect(rt.env.ui.toasts.at(-1)).toEqual(['KPIシートを再作成しました。']);
    expect(snapshot(rt, 'KPIツリー')).toEqual(before);
  });

  it('opens the sidebar from the built page (no setWidth: sidebars are always 300 px)', () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    rt.call('kpiOpenSidebar');
    expect(rt.env.ui.sidebars[0].width).toBeUndefined();
    expect(rt.env.ui.sidebars[0].html).toContain('<main id="app">');
  });

  it('inserts a lead tab template without overwriting an existing tab', () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    rt.loadSheets([{ name: 'リード', rows: [['my own data']] }]);
    const { name } = rt.call<{ name: string }>('kpiInsertTemplate');
    expect(name).toBe('リード (2)');
    expect(rt.values('リード')).toEqual([['my own data']]);
    const header = rt.values('リード (2)')[0];
    expect(header.slice(0, 3)).toEqual(['リードID', '作成日', '会社名']);
    const meta = rt.wb.sheetMeta(rt.wb.sheetId('リード (2)') as number);
    expect(meta.formats.get('2,8')?.dataValidation).toBeDefined();
    expect(meta.formats.get('5,2')?.numberFormat).toBe('yyyy-mm-dd');
  });
});
