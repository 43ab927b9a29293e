/**
 * A rebuild never leaves a broken report, whatever call fails: for a rebuild of the sample, fail
 * the k-th service call (k = 1 … N) once, and — as Apps Script's 6-minute kill does — every call
 * from the k-th on. Then:
 * - before the commit, the previous report is whole; after it, each report sheet is whole — all
 *   its cells (values, formulas, number formats) are either its old or its new content, never a
 *   mix — and while the run has not completed, the KPI tree says "rebuild incomplete";
 * - after a caught failure no temporary tab is in sight (a killed run may leave hidden ones);
 * - the user's tabs are untouched, and the user's own formulas and chart that point at the report
 *   keep working (never #REF!);
 * - one more rebuild leaves exactly one sheet per role with the new content, no leftovers, and
 *   the user's formulas and chart right.
 *
 * The sweep runs on a runtime that stores formulas without evaluating them (LocalRuntime
 * `evaluate: false`, local/engine.ts Workbook.opaque): every rule about sheets, ranges, names and
 * deleted sheets holds, and a rebuild there costs about a ninth of an evaluated one. What the
 * sweep compares never needed evaluation — each cell's formula text (or literal value) and
 * format; the user's formulas as text (a reference lost to a deleted sheet becomes =#REF! for
 * good, in the text) and their chart's range. The reference rebuilds run in both modes: the
 * product makes exactly the same service calls in each, and in the evaluated one the user's
 * formulas and chart read the report's actual values.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/settings';
import { sampleExtras, settingsFor } from './settings';

const ROLES = [
  'KPI tree',
  'Funnel by period',
  'Cohort',
  'Forecast',
  'Activity area',
  'Capacity',
  'Prospect accuracy',
  'Cycle time',
  'CAC',
  'Retention',
  'Deal quadrants',
  'List coverage',
];
const USER = ['Leads', 'Activities', 'ターゲットリスト', '顧客', 'コスト'];
const INCOMPLETE = '⚠ Rebuild incomplete — run Build again';

/** The user's own tab of formulas over the report, and their chart on the funnel sheet. */
const MINE = 'Mine';
const MINE_FORMULAS = [["='KPI tree'!E5"], ["=SUM('Funnel by period'!B5:B10)"]];

function addUserReferences(rt: LocalRuntime): void {
  const ss = rt.spreadsheet.self;
  const active = ss.getActiveSheet();
  const mine = ss.insertSheet(MINE);
  mine.getRange('A1:A2').setFormulas(MINE_FORMULAS);
  const funnel = ss.getSheetByName('Funnel by period');
  if (!funnel) throw new Error('no funnel');
  const sheet = funnel as unknown as GoogleAppsScript.Spreadsheet.Sheet;
  const chart = sheet
    .newChart()
    .setChartType(rt.run<typeof Charts>('Charts').ChartType.COLUMN)
    .addRange(sheet.getRange('A5:B10'))
    .setPosition(20, 20, 0, 0)
    .setOption('title', 'My leads chart')
    .build();
  funnel.insertChart(chart as never);
  ss.setActiveSheet(active as never);
}

/**
 * The user's formulas and chart as the opaque runtime shows them: the formulas as they wrote
 * them (never rewritten to =#REF!), naming sheets that exist, and the chart still over
 * A5:B10 of the funnel sheet.
 */
function userReferencesKept(rt: LocalRuntime): { got: unknown[]; want: unknown[] } {
  const mineId = rt.wb.sheetId(MINE) as number;
  const formulas = rt.wb.getFormulas(mineId, 1, 1, 2, 1);
  const named = formulas.flat().map((f) => /'([^']+)'!/.exec(f)?.[1] ?? '');
  const range = myChart(rt)[0]?.getRanges()[0];
  return {
    got: [
      formulas,
      named.map((n) => rt.wb.sheetId(n) !== undefined),
      myChart(rt).length,
      range?.getSheet().getName(),
      range?.getA1Notation(),
    ],
    want: [MINE_FORMULAS, [true, true], 1, 'Funnel by period', 'A5:B10'],
  };
}

type Chart = {
  getOptions(): { get(k: string): unknown };
  getRanges(): {
    getA1Notation(): string;
    getSheet(): { getName(): string };
    getValues(): unknown[][];
  }[];
};
function myChart(rt: LocalRuntime): Chart[] {
  const funnelId = rt.wb.sheetId('Funnel by period') as number;
  const charts = rt.wb.sheetMeta(funnelId).charts as Chart[];
  return charts.filter((c) => c.getOptions().get('title') === 'My leads chart');
}

/** What the user's formulas and chart read now (evaluated), and what they should read. */
function userReferences(rt: LocalRuntime): { got: unknown[]; want: unknown[] } {
  const mine = rt.values(MINE);
  const tree = rt.values('KPI tree');
  const funnel = rt.values('Funnel by period');
  let sum = 0;
  for (let r = 4; r < 10; r++)
    sum += typeof funnel[r]?.[1] === 'number' ? (funnel[r][1] as number) : 0;
  const mineChart = myChart(rt);
  const range = mineChart[0]?.getRanges()[0];
  return {
    got: [
      mine[0][0],
      mine[1][0],
      mineChart.length,
      range?.getSheet().getName(),
      range?.getA1Notation(),
      JSON.stringify(range?.getValues()),
    ],
    want: [
      tree[4][4],
      sum,
      1,
      'Funnel by period',
      'A5:B10',
      JSON.stringify(funnel.slice(4, 10).map((l) => l.slice(0, 2))),
    ],
  };
}

function fresh(evaluate = false): { rt: LocalRuntime; a: KpiSettings; b: KpiSettings } {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US', evaluate });
  rt.loadSheets(sampleWorkbook({ leads: 60 }));
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', 'Leads');
  const a = settingsFor(ins, {
    from: ins.defaults.from,
    to: ins.defaults.to,
    rankHorizons: { A: 90, B: 180, C: 365 },
    // Quarters: the same sheets and the same sequence of calls as months, with a quarter of the
    // formula rows for the engine to evaluate at every k.
    period: 'quarter',
    // Every sheet the add-on makes, the optional tabs' too.
    ...sampleExtras((name, kind) => rt.callFromSidebar('kpiInspectExtra', name, kind)),
  });
  return { rt, a, b: { ...a, revenueTarget: 7_000_000, why: 'new target' } };
}

/**
 * A sheet's cells as the user sees them, without what other sheets feed in: each cell's formula,
 * else its value, and its number format (the tree's "rebuild incomplete" cell left out).
 */
function cells(rt: LocalRuntime, id: number): string {
  const meta = rt.wb.sheetMeta(id);
  const { rows, cols } = rt.wb.extent(id);
  const r = Math.max(rows, 1);
  const c = Math.max(cols, 1);
  const values = rt.wb.getValues(id, 1, 1, r, c);
  const formulas = rt.wb.getFormulas(id, 1, 1, r, c);
  const out = values.map((line, i) =>
    line.map((v, j) => {
      if (rt.wb.sheetName(id) === 'KPI tree' && i === 1 && j === 0) return '';
      const f = formulas[i][j];
      const fmt = meta.formats.get(`${i + 1},${j + 1}`)?.numberFormat ?? '';
      return `${f || JSON.stringify(v)}|${fmt}`;
    }),
  );
  return JSON.stringify(out);
}
const byName = (rt: LocalRuntime, list: string[]) =>
  list.map((n) => cells(rt, rt.wb.sheetId(n) as number));
const names = (rt: LocalRuntime) => rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
const visible = (rt: LocalRuntime) =>
  rt.spreadsheet.order
    .filter((id) => !rt.spreadsheet.hidden.has(id))
    .map((id) => rt.wb.sheetName(id));
/** Service calls that only read (the runtime's implementations change nothing). */
const READ = /^[A-Za-z]+\.(get|is|has)[A-Z]/;

/** Every sheet by ID, name and visibility, in tab order. */
const sheetList = (rt: LocalRuntime) =>
  rt.spreadsheet.order.map((id) => [id, rt.wb.sheetName(id), rt.spreadsheet.hidden.has(id)]);
const marker = (rt: LocalRuntime) => rt.values('KPI tree')[1]?.[0] ?? '';

/**
 * The sweep in the given modes (one mode per test file — rebuild-faults.test.ts and
 * rebuild-faults-kill.test.ts — so that the two run side by side).
 *
 * One spreadsheet serves the whole sweep, as a user's does: reports A and B alternate. The fault
 * at call k hits the rebuild from the report the spreadsheet holds to the other one (A → B and
 * B → A make the same calls in the same order: checked), and the build that heals it is the same
 * rebuild run again, which leaves the other report in place for k + 1. Every call position of a
 * rebuild is failed once; the user's formulas and chart live through every one of them.
 */
export function describeSweep(modes: readonly ('once' | 'kill')[]): void {
  describe(`rebuilds under faults (${modes.join(', ')})`, () => {
    // Evaluated: the same calls, and the user's formulas and chart read the report's values.
    const evaluated = fresh(true);
    evaluated.rt.callFromSidebar('kpiBuild', evaluated.a);
    addUserReferences(evaluated.rt);
    evaluated.rt.counter.reset();
    evaluated.rt.callFromSidebar('kpiBuild', evaluated.b);
    const evaluatedLog = [...evaluated.rt.counter.log];
    const evaluatedUser = userReferences(evaluated.rt);
    // Back to A, as the opaque reference below ends: the two are compared cell by cell.
    evaluated.rt.callFromSidebar('kpiBuild', evaluated.a);
    // The reference reports and call sequences (formulas stored, not evaluated): A built, B over
    // A, A over B.
    const ref = fresh();
    ref.rt.callFromSidebar('kpiBuild', ref.a);
    addUserReferences(ref.rt);
    const reportA = byName(ref.rt, ROLES);
    const userBefore = byName(ref.rt, USER);
    ref.rt.counter.reset();
    ref.rt.callFromSidebar('kpiBuild', ref.b);
    const logAB = [...ref.rt.counter.log];
    const reportB = byName(ref.rt, ROLES);
    const finalNames = names(ref.rt).sort();
    const refUserB = userReferencesKept(ref.rt);
    ref.rt.counter.reset();
    ref.rt.callFromSidebar('kpiBuild', ref.a);
    const logBA = [...ref.rt.counter.log];
    const reportAAgain = byName(ref.rt, ROLES);
    const calls = logAB.length;

    it('has a rebuild to sweep (dozens of service calls, two different reports, the same calls both ways, the user’s references right)', () => {
      expect(calls).toBeGreaterThan(50);
      expect(reportB).not.toEqual(reportA);
      expect(reportAAgain).toEqual(reportA);
      expect(logBA).toEqual(logAB);
      expect(finalNames).toEqual([...USER, ...ROLES, 'Definitions log', MINE].sort());
      expect(refUserB.got).toEqual(refUserB.want);
      expect(marker(ref.rt)).toBe('');
    });

    it('the runtime that does not evaluate sees the same rebuild: the same service calls, the same formulas, literals and formats cell by cell; evaluated, the user’s formulas and chart read the report', () => {
      expect(logAB).toEqual(evaluatedLog);
      expect(evaluatedUser.got).toEqual(evaluatedUser.want);
      expect(typeof evaluatedUser.got[0]).toBe('number');
      // Cell by cell, every sheet the same: each formula (in HyperFormula's spelling — it writes
      // formulas back its own way; an open-ended range like B2:B, which it cannot parse, stays as
      // written on both sides), each literal value and each number format. Only what a formula
      // computes differs: the opaque side reads back the formula's text, the evaluated side its
      // result and any values it spilled (cells that belong to a spilled array are skipped).
      const spell = (f: string) => {
        try {
          return evaluated.rt.wb.hf.normalizeFormula(f);
        } catch {
          return f;
        }
      };
      for (const name of ROLES) {
        const [o, e] = [ref.rt, evaluated.rt].map((x) => x.wb.sheetId(name) as number);
        const size = [ref.rt.wb.extent(o), evaluated.rt.wb.extent(e)];
        const rows = Math.max(1, ...size.map((z) => z.rows));
        const cols = Math.max(1, ...size.map((z) => z.cols));
        const [fo, fe] = [
          ref.rt.wb.getFormulas(o, 1, 1, rows, cols),
          evaluated.rt.wb.getFormulas(e, 1, 1, rows, cols),
        ];
        const [vo, ve] = [
          ref.rt.wb.getValues(o, 1, 1, rows, cols),
          evaluated.rt.wb.getValues(e, 1, 1, rows, cols),
        ];
        const [mo, me] = [ref.rt.wb.sheetMeta(o), evaluated.rt.wb.sheetMeta(e)];
        const differ: string[] = [];
        let formulas = 0;
        for (let r = 0; r < rows; r++)
          for (let c = 0; c < cols; c++) {
            const at = `${name}!R${r + 1}C${c + 1}`;
            const key = `${r + 1},${c + 1}`;
            if (
              (mo.formats.get(key)?.numberFormat ?? '') !==
              (me.formats.get(key)?.numberFormat ?? '')
            )
              differ.push(`${at} format`);
            if (fo[r][c] || fe[r][c]) {
              formulas++;
              if (spell(fo[r][c]) !== spell(fe[r][c]))
                differ.push(`${at} ${fo[r][c]} ≠ ${fe[r][c]}`);
              continue;
            }
            const spilled = evaluated.rt.wb.hf.isCellPartOfArray({ sheet: e, row: r, col: c });
            if (!spilled && JSON.stringify(vo[r][c]) !== JSON.stringify(ve[r][c]))
              differ.push(`${at} ${JSON.stringify(vo[r][c])} ≠ ${JSON.stringify(ve[r][c])}`);
          }
        expect(formulas, name).toBeGreaterThan(0);
        expect(differ, name).toEqual([]);
      }
    });

    for (const mode of modes) {
      it(`fails call k = 1 … N (${mode === 'once' ? 'once' : 'and every call after it: a killed run'}): each sheet whole, the previous report before the commit, healed by the next build`, () => {
        const outcomes = { previous: 0, mixed: 0, next: 0 };
        const { rt, a, b } = fresh();
        rt.callFromSidebar('kpiBuild', a);
        addUserReferences(rt);
        // The report the spreadsheet holds: each healed fault leaves the other one in place.
        let holds: 'A' | 'B' = 'A';
        let untouched = 0;
        let sameAsBefore = 0;
        for (let k = 1; k <= calls; k++) {
          const [to, oldReport, newReport, refLog] =
            holds === 'A' ? [b, reportA, reportB, logAB] : [a, reportB, reportA, logBA];
          // A run killed at call k leaves what calls 1 … k − 1 did. When call k − 1 only read
          // (get…, is…, has…: no service call changes anything by reading), that is exactly what
          // the kill at k − 1 left, which the sweep has just proven and healed: the same outcome.
          if (mode === 'kill' && k > 1 && READ.test(refLog[k - 2])) {
            sameAsBefore++;
            continue;
          }
          // The spreadsheet as it is before the faulted build: its sheets and the registry.
          const sheetsBefore = sheetList(rt);
          const registryBefore = rt.env.properties.document.get('kpi.registry');
          rt.counter.reset();
          if (mode === 'once') rt.counter.failIndex = k;
          else rt.counter.killFrom = k;
          let message = '';
          try {
            rt.callFromSidebar('kpiBuild', to);
          } catch (e) {
            message = String((e as Error).message);
          }
          rt.counter.failIndex = undefined;
          rt.counter.killFrom = undefined;
          const at = `k=${k} (${rt.counter.log[k - 1]})`;
          // The fault hit the k-th call of the same sequence as the reference rebuild.
          expect(rt.counter.log.slice(0, k), at).toEqual(refLog.slice(0, k));
          const seen = byName(rt, ROLES);
          // Each sheet is its old or its new self, never a mix.
          seen.forEach((c, i) => {
            expect(c === oldReport[i] || c === newReport[i], `${at}: ${ROLES[i]}`).toBe(true);
          });
          const renewed = seen.map((c, i) => c === newReport[i] && c !== oldReport[i]);
          const anyNew = renewed.some(Boolean);
          const allNew = seen.every((c, i) => c === newReport[i]);
          // The tree is replaced first: no sheet is new while the tree is old.
          if (anyNew) expect(renewed[0], `${at}: the tree first`).toBe(true);
          // A run that stopped after replacing the tree says so on it.
          if (anyNew && !allNew) expect(marker(rt), at).toBe(INCOMPLETE);
          if (!anyNew) expect(marker(rt), at).toBe('');
          if (allNew) outcomes.next++;
          else if (anyNew) outcomes.mixed++;
          else outcomes.previous++;
          // The message says which report the user has (a killed run says nothing to anyone).
          if (mode === 'once' && message !== '') {
            if (/Your previous KPI sheets are unchanged/.test(message))
              expect(anyNew, `${at}: ${message}`).toBe(false);
            // Nothing temporary in sight after a caught failure.
            expect(
              visible(rt).filter((n) => n.startsWith('~kpi')),
              at,
            ).toEqual([]);
          }
          expect(byName(rt, USER), at).toEqual(userBefore);
          // The user's formulas never lost the report.
          const kept = userReferencesKept(rt);
          expect(kept.got, at).toEqual(kept.want);
          // A failure that left the spreadsheet exactly as it was before the build — the same
          // sheets, hidden or not, the same registry, the previous report — needs no healing:
          // the next build is the rebuild the reference already made. The next k starts there.
          if (
            !anyNew &&
            JSON.stringify(sheetList(rt)) === JSON.stringify(sheetsBefore) &&
            rt.env.properties.document.get('kpi.registry') === registryBefore
          ) {
            untouched++;
            continue;
          }
          // The next build heals: one sheet per role, the new content, canonical names, no
          // leftovers, the user's formulas and chart right.
          rt.callFromSidebar('kpiBuild', to);
          holds = holds === 'A' ? 'B' : 'A';
          expect(names(rt).sort(), at).toEqual(finalNames);
          expect(byName(rt, ROLES), at).toEqual(newReport);
          expect(marker(rt), at).toBe('');
          const user = userReferencesKept(rt);
          expect(user.got, at).toEqual(user.want);
        }
        // Both sides of the commit were exercised; a caught failure before it leaves nothing to
        // heal (the once mode), a killed run always something.
        if (mode === 'once') expect(untouched).toBeGreaterThan(0);
        else expect(sameAsBefore).toBeGreaterThan(0);
        expect(outcomes.previous).toBeGreaterThan(0);
        expect(outcomes.mixed + outcomes.next).toBeGreaterThan(0);
      }, 1_500_000);
    }

    if (modes.includes('once'))
      it('a build refused by the lock (another run holds it) changes nothing; the next one runs', () => {
        const { rt, a, b } = fresh();
        rt.callFromSidebar('kpiBuild', a);
        const before = byName(rt, ROLES);
        rt.env.locks.document = true; // another execution holds the document lock
        expect(() => rt.callFromSidebar('kpiBuild', b)).toThrow(/Another build is running/);
        expect(byName(rt, ROLES)).toEqual(before);
        rt.env.locks.document = false;
        rt.callFromSidebar('kpiBuild', b);
        expect(byName(rt, ROLES)).toEqual(reportB);
      });
  });
}
