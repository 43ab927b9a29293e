/**
 * 動作チェック / Check this spreadsheet (src/addon/selfCheck.ts, the dialog in sidebar/check/) on
 * the strict local runtime: the menu item opens the dialog, the page's calls go through the
 * runtime's google.script.run path (LocalRuntime.callFromSidebar), and every check passes — the
 * runtime models what the check expects of Sheets. With each modelled behaviour switched to a
 * lenient one in turn (Workbook.lenient, test-only), exactly the check that covers it fails and
 * the report names it: on real Sheets a failing row points at the runtime's mistake.
 * A check killed at any call leaves nothing that the next check or Build does not remove.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Leniency } from '../../local/engine';
import { DIST, LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import { ARRIVED_PAYLOAD, asText, runSelfCheck } from '../../sidebar/check/page';
import type { TabInspection } from '../../src/addon/api';
import type { SelfCheckReport } from '../../src/addon/selfCheck';
import { sampleExtras, settingsFor } from '../helpers/settings';

/**
 * Where the strict runtime itself differs from what the check expects of Sheets (found by the
 * check). Empty: the one it found (setValues parsed text with HyperFormula's en-US parser instead
 * of the spreadsheet's locale) is fixed; a new one fails this list and says so.
 */
const RUNTIME_GAPS: string[] = [];

function runtime(locale: string, leads = 0): LocalRuntime {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
  rt.loadSheets(
    leads > 0
      ? sampleWorkbook({ leads })
      : [
          {
            name: 'Mine',
            rows: [
              ['a', 1],
              ['b', 2],
            ],
          },
        ],
  );
  return rt;
}

/** A report built from the sample, as a manager would have it before running the check. */
function built(locale: string): LocalRuntime {
  const rt = runtime(locale, 200);
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
  rt.callFromSidebar(
    'kpiBuild',
    settingsFor(ins, {
      from: ins.defaults.from,
      to: ins.defaults.to,
      revenueTarget: 30_000_000,
      lang: 'ja',
      ...sampleExtras((n, k) => rt.callFromSidebar('kpiInspectExtra', n, k)),
    }),
  );
  return rt;
}

/**
 * The menu item, then what its page does (sidebar/check/page.ts) through google.script.run.
 * *Assumed* on Sheets, and what the check expects: a custom function read by the script right
 * after it is written is still loading. The runtime computes at once unless a function is held
 * (setCustomFunctionState, as Sheets shows it): the check's probe uses CYCLE_TIME, held here.
 */
async function check(rt: LocalRuntime): Promise<SelfCheckReport> {
  rt.setCustomFunctionState('CYCLE_TIME', 'loading');
  rt.call('kpiMenuSelfCheck');
  try {
    return await runSelfCheck({
      run: async () => rt.callFromSidebar('kpiSelfCheck'),
      arrived: async (payload) => rt.callFromSidebar('kpiSelfCheckArrived', payload),
    });
  } finally {
    rt.setCustomFunctionState('CYCLE_TIME', undefined);
  }
}

const failing = (report: SelfCheckReport) =>
  report.checks.filter((c) => c.status === 'fail').map((c) => c.id);

const names = (rt: LocalRuntime) => rt.spreadsheet.self.getSheets().map((s) => s.getName());

describe('the self-check on the strict runtime', () => {
  it('opens its dialog from the menu, in the user’s language', () => {
    const page = readFileSync(join(DIST, 'check.html'), 'utf8');
    const ja = runtime('ja_JP');
    ja.call('onOpen', { authMode: 'NONE' });
    expect(ja.env.ui.menus[0].items.map((i) => i.caption)).toContain('動作チェック');
    ja.call('kpiMenuSelfCheck');
    expect(ja.env.ui.dialogs).toEqual([{ title: '動作チェック', html: page }]);
    const en = runtime('en_US');
    en.call('kpiMenuSelfCheck');
    expect(en.env.ui.dialogs[0].title).toBe('Check this spreadsheet');
    // The page calls the server only through google.script.run, and puts text in as text.
    expect(page).toContain('google.script.run');
    expect(page).not.toMatch(/innerHTML|https?:\/\//);
  });

  it.each([
    ['ja_JP', true],
    ['en_US', false],
    ['de_DE', false],
  ])(
    'passes every check in a %s spreadsheet and leaves it as it was (report built: %s)',
    async (locale, withReport) => {
      const rt = withReport ? built(locale) : runtime(locale, 50);
      const before = names(rt);
      const registry = rt.env.properties.document.get('kpi.registry');
      const active = rt.spreadsheet.self.getActiveSheet().getName();
      const report = await check(rt);
      expect(failing(report)).toEqual(RUNTIME_GAPS);
      expect(report.checks.filter((c) => c.status === 'pending')).toEqual([]);
      // Every probe ran: none of them skipped but the timings without a report.
      const ids = report.checks.map((c) => c.id);
      for (const id of [
        'insertSheet.activates',
        'grid.size',
        'grid.outside',
        'grid.resize',
        'spill.edge',
        'spill.blocked',
        'customFunction.error',
        'customFunction.date',
        'customFunction.loading',
        'formula.decimals',
        'text.locale',
        'metadata',
        'deletedSheet',
        'copyTo',
        'sheetName.unquoted',
        'scriptRun.undefined',
      ])
        expect(ids, id).toContain(id);
      const timings = report.checks.filter((c) => c.id.startsWith('timing'));
      if (withReport) {
        // The report's functions, each timed on the lead tab under the 30 s of a custom function.
        expect(timings.map((c) => c.id).sort()).toEqual(
          [
            'ACTIVITY_AREA',
            'CAPACITY',
            'COHORT_CONVERSION',
            'CYCLE_TIME',
            'DEAL_QUADRANTS',
            'KPI_COHORT_FORECAST',
            'KPI_FUNNEL',
            'KPI_PIPELINE_FORECAST',
            'LIST_COVERAGE',
            'PROSPECT_ACCURACY',
            'RETENTION',
          ].map((f) => `timing.${f}`),
        );
        for (const t of timings) {
          expect(t.status, t.id).toBe('pass');
          expect(t.observed).toMatch(/^\d+ ms at '[^']+'![A-Z]+\d+ /);
        }
      } else expect(timings.map((c) => [c.id, c.status])).toEqual([['timing', 'skip']]);
      // Nothing of the check is left: no sheet, the registry as it was, the user's sheet active.
      expect(names(rt)).toEqual(before);
      expect(rt.env.properties.document.get('kpi.registry')).toEqual(registry);
      expect(rt.spreadsheet.self.getActiveSheet().getName()).toBe(active);
    },
  );

  it('writes the report as text in the user’s language, naming each check and its runtime file', async () => {
    const rt = runtime('ja_JP', 20);
    // One behaviour made lenient, so that the report has a failure to name.
    rt.wb.lenient.textLocale = true;
    const text = asText(await check(rt));
    expect(text).toContain('合格 15 件、不合格 1 件、対象外 1 件');
    expect(text).toContain('[PASS] grid.size — 新しいシートの大きさ（行 × 列）');
    expect(text).toContain('[FAIL] text.locale');
    expect(text).toContain(
      'runtime: local/userEntered.ts (the locale’s rules); local/engine.ts Workbook.setValues',
    );
  });

  it('sends the page’s probe as the page does: undefined becomes null (an assumption the check probes)', () => {
    const rt = runtime('en_US');
    expect(rt.callFromSidebar('kpiSelfCheckArrived', ARRIVED_PAYLOAD())).toEqual({
      id: 'scriptRun.undefined',
      status: 'pass',
      expected: '{a: null, b: [1, null]}',
      observed: '{a: null, b: [1, null]}',
    });
  });
});

describe('each modelled behaviour made lenient in turn: exactly the check that covers it fails', () => {
  it('has every switch off by default', () => {
    expect(runtime('ja_JP').wb.lenient).toEqual({});
  });

  // The behaviour (Workbook.lenient's switch) and the check that must catch it.
  const COVERS: [keyof Leniency, string][] = [
    ['gridSize', 'grid.size'],
    ['bounds', 'grid.outside'],
    ['resize', 'grid.resize'],
    ['spillEdge', 'spill.edge'],
    ['spillBlocked', 'spill.blocked'],
    ['deletedSheet', 'deletedSheet'],
    ['loading', 'customFunction.loading'],
    ['customError', 'customFunction.error'],
    ['dateArgs', 'customFunction.date'],
    ['copyTo', 'copyTo'],
    ['sheetNames', 'sheetName.unquoted'],
    ['activate', 'insertSheet.activates'],
    ['scriptRun', 'scriptRun.undefined'],
    ['textLocale', 'text.locale'],
  ];

  it('covers every switch there is', () => {
    const documented = readFileSync(join(import.meta.dirname, '../../local/engine.ts'), 'utf8');
    const block = documented.slice(
      documented.indexOf('export interface Leniency {'),
      documented.indexOf('}', documented.indexOf('export interface Leniency {')),
    );
    const switches = [...block.matchAll(/^\s+(\w+)\?: boolean;$/gm)].map((m) => m[1]);
    expect(COVERS.map(([s]) => s).sort()).toEqual(switches.sort());
  });

  it.each(COVERS)('%s → %s fails and is named', async (name, covering) => {
    const rt = runtime('ja_JP');
    rt.wb.lenient[name] = true;
    const report = await check(rt);
    expect(failing(report).filter((id) => !RUNTIME_GAPS.includes(id))).toEqual([covering]);
    const row = report.checks.find((c) => c.id === covering);
    expect(row?.observed).not.toBe(row?.expected);
    expect(asText(report)).toMatch(new RegExp(`\\[FAIL\\] ${covering.replace('.', '\\.')} — `));
  });
});

describe('a check killed at any call (Apps Script’s 6 minutes)', () => {
  /** The calls of one whole check on a spreadsheet like `rt`'s, in order. */
  const callsOf = (rt: LocalRuntime) => {
    rt.counter.reset();
    rt.callFromSidebar('kpiSelfCheck');
    return [...rt.counter.log];
  };
  const calls = callsOf(runtime('ja_JP'));
  /**
   * The registry as it was (none), or as a check killed before it could give it back leaves it:
   * empty, no sheet, nothing pending. (Its heal ran first, with the names a pre-registry build
   * used: no sheet was left to adopt.)
   */
  const untouched = [undefined, '{"sheets":{},"retired":[]}'];
  const temporary = (rt: LocalRuntime) =>
    names(rt).filter((n) => n.startsWith('~kpi-building-') || /^ZQK\d$/.test(n));

  it('is healed away by the next check, wherever it stopped', () => {
    expect(calls.length).toBeGreaterThan(100);
    let leftovers = 0;
    for (let k = 1; k <= calls.length; k++) {
      const rt = runtime('ja_JP');
      rt.counter.reset();
      rt.counter.killFrom = k;
      expect(() => rt.callFromSidebar('kpiSelfCheck'), `killed at ${k}`).toThrow(
        /Execution killed/,
      );
      rt.counter.killFrom = undefined;
      if (temporary(rt).length > 0) leftovers++;
      rt.callFromSidebar('kpiSelfCheck');
      expect(names(rt), `killed at ${k}: ${calls[k - 1]}`).toEqual(['Mine']);
      expect(untouched, `killed at ${k}`).toContain(rt.env.properties.document.get('kpi.registry'));
    }
    expect(leftovers).toBeGreaterThan(calls.length / 2); // most kills leave a sheet behind
  });

  it('is healed away by the next Build: untagged, tagged, renamed like a cell, or mid-cleanup', () => {
    const calls = callsOf(runtime('ja_JP', 30));
    const killAfter = (method: string, nth = 1) => {
      let seen = 0;
      const at = calls.findIndex((c) => c === method && ++seen === nth);
      expect(at, method).toBeGreaterThanOrEqual(0);
      return at + 2; // the call after it fails: the run dies there
    };
    const positions = [
      killAfter('Spreadsheet.insertSheet'), // an untagged temporary sheet
      killAfter('Sheet.setName'), // a tagged sheet named ZQK1
      killAfter('Spreadsheet.deleteSheet', 2), // killed while removing its sheets
    ];
    for (const k of positions) {
      const rt = runtime('ja_JP', 30);
      const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
      const mine = names(rt);
      rt.counter.reset();
      rt.counter.killFrom = k;
      expect(() => rt.callFromSidebar('kpiSelfCheck')).toThrow(/Execution killed/);
      rt.counter.killFrom = undefined;
      expect(temporary(rt).length, `killed at ${k}`).toBeGreaterThan(0);
      rt.callFromSidebar(
        'kpiBuild',
        settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to, lang: 'ja' }),
      );
      expect(temporary(rt), `killed at ${k}`).toEqual([]);
      expect(names(rt).slice(0, mine.length)).toEqual(mine);
    }
  });
});
