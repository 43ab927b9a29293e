/**
 * A rebuild is all-or-nothing, whatever call fails: for a rebuild of the sample, fail the k-th
 * service call (k = 1 … N) once, and — as Apps Script's 6-minute kill does — every call from the
 * k-th on; then the spreadsheet must hold the complete previous report or the complete new one,
 * the user's tabs untouched, and one more rebuild must leave exactly one sheet per role with the
 * new content and no leftovers.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import type { KpiSettings } from '../../src/core/report';
import { sampleExtras, settingsFor } from './settings';

const ROLES = [
  'KPI tree',
  'Funnel by period',
  'Cohort',
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

function fresh(): { rt: LocalRuntime; a: KpiSettings; b: KpiSettings } {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  rt.loadSheets(sampleWorkbook({ leads: 60 }));
  const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const a = settingsFor(ins, {
    from: ins.defaults.from,
    to: ins.defaults.to,
    rankHorizons: { A: 90, B: 180, C: 365 },
    // Quarters: the same sheets and the same sequence of calls as months, with a quarter of the
    // formula rows for the engine to evaluate at every k.
    period: 'quarter',
    // Every sheet the add-on makes, the optional tabs' too.
    ...sampleExtras((name, kind) => rt.call('kpiInspectExtra', name, kind)),
  });
  return { rt, a, b: { ...a, revenueTarget: 7_000_000, why: 'new target' } };
}

/** What a user sees of a sheet: values and formulas. */
function content(rt: LocalRuntime, id: number): string {
  const { rows, cols } = rt.wb.extent(id);
  const r = Math.max(rows, 1);
  const c = Math.max(cols, 1);
  return JSON.stringify([rt.wb.getValues(id, 1, 1, r, c), rt.wb.getFormulas(id, 1, 1, r, c)]);
}

/** What a user sees (values only): mid-swap, a formula may still name a sheet by its temporary name. */
function shown(rt: LocalRuntime, id: number): string {
  const { rows, cols } = rt.wb.extent(id);
  return JSON.stringify(rt.wb.getValues(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1)));
}
const contents = (rt: LocalRuntime) => rt.spreadsheet.order.map((id) => shown(rt, id));
const shownByName = (rt: LocalRuntime, list: string[]) =>
  list.map((n) => shown(rt, rt.wb.sheetId(n) as number));
const names = (rt: LocalRuntime) => rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
const byName = (rt: LocalRuntime, list: string[]) =>
  list.map((n) => content(rt, rt.wb.sheetId(n) as number));

/**
 * The sweep in the given modes (one mode per test file — rebuild-faults.test.ts and
 * rebuild-faults-kill.test.ts — so that the two run side by side).
 */
export function describeSweep(modes: readonly ('once' | 'kill')[]): void {
  describe(`rebuilds under faults (${modes.join(', ')})`, () => {
    // The reference reports: A built, and B built over it with no fault.
    const ref = fresh();
    ref.rt.call('kpiBuild', ref.a);
    const oldReport = shownByName(ref.rt, ROLES);
    const userBefore = byName(ref.rt, USER);
    ref.rt.counter.reset();
    ref.rt.call('kpiBuild', ref.b);
    const calls = ref.rt.counter.log.length;
    const newReport = shownByName(ref.rt, ROLES);
    const newReportFull = byName(ref.rt, ROLES);
    const finalNames = names(ref.rt).sort();

    it('has a rebuild to sweep (dozens of service calls, two different reports)', () => {
      expect(calls).toBeGreaterThan(50);
      expect(newReport).not.toEqual(oldReport);
      expect(finalNames).toEqual([...USER, ...ROLES, 'Definitions log'].sort());
    });

    for (const mode of modes) {
      it(`fails call k = 1 … N (${mode === 'once' ? 'once' : 'and every call after it: a killed run'}): previous or new report whole, healed by the next build`, () => {
        const outcomes = { previous: 0, next: 0 };
        for (let k = 1; k <= calls; k++) {
          const { rt, a, b } = fresh();
          rt.call('kpiBuild', a);
          rt.counter.reset();
          if (mode === 'once') rt.counter.failIndex = k;
          else rt.counter.killFrom = k;
          let message = '';
          try {
            rt.call('kpiBuild', b);
          } catch (e) {
            message = String((e as Error).message);
          }
          rt.counter.failIndex = undefined;
          rt.counter.killFrom = undefined;
          const seen = contents(rt);
          const whole = (report: string[]) => report.every((c) => seen.includes(c));
          const previous = whole(oldReport);
          const next = whole(newReport);
          expect(previous || next, `k=${k} (${rt.counter.log[k - 1]})`).toBe(true);
          if (next) outcomes.next++;
          else outcomes.previous++;
          // The message says which report the user has (a killed run says nothing to anyone).
          if (mode === 'once' && message !== '') {
            const says = /new KPI sheets are in place/.test(message) ? next : previous;
            expect(says, `k=${k}: ${message}`).toBe(true);
          }
          expect(byName(rt, USER), `k=${k}`).toEqual(userBefore);
          // The next build heals: one sheet per role, the new content, canonical names, no leftovers.
          rt.call('kpiBuild', b);
          expect(names(rt).sort(), `k=${k}`).toEqual(finalNames);
          expect(byName(rt, ROLES), `k=${k}`).toEqual(newReportFull);
        }
        // Both sides of the commit were exercised.
        expect(outcomes.previous).toBeGreaterThan(0);
        expect(outcomes.next).toBeGreaterThan(0);
      }, 1_500_000);
    }

    if (modes.includes('once'))
      it('a build refused by the lock (another run holds it) changes nothing; the next one runs', () => {
        const { rt, a, b } = fresh();
        rt.call('kpiBuild', a);
        const before = contents(rt);
        rt.env.locks.document = true; // another execution holds the document lock
        expect(() => rt.call('kpiBuild', b)).toThrow(/Another build is running/);
        expect(contents(rt)).toEqual(before);
        rt.env.locks.document = false;
        rt.call('kpiBuild', b);
        expect(byName(rt, ROLES)).toEqual(newReportFull);
      });
  });
}
