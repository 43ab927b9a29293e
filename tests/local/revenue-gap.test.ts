/**
 * Where the revenue gap comes from (issue #12), on exports shaped like real CRMs': load the
 * export, inspect, Build with a plan (a revenue target and planned rates) and nothing else touched,
 * then read the KPI tree's division summary, its node boxes, the levers and the funnel sheet's
 * split per period — each number against a computation made here from the fixture's ground truth
 * (its own counts per window and per month, its own log split), never from the add-on's code.
 */
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { daysFromCivil } from '../../src/core/dates';
import { type KpiId, kpiLabel } from '../../src/core/goals';
import type { KpiSettings } from '../../src/core/settings';
import {
  activityLog,
  type CrmFixture,
  defaultWindow,
  expectedTotals,
  FIXTURE_TIME_ZONE,
  hubspotContacts,
  salesforceOpportunities,
  type Totals,
  zohoDeals,
} from '../fixtures/crm';
import { factorColumn, OWNER } from '../helpers/gapLabels';
import { settingsFor } from '../helpers/settings';

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);
const TARGET = 40_000; // revenue per month
const AVG = 900; // planned average deal size
const RATES = { targetShare: 0.9, mqlRate: 0.5, dealRate: 0.4, winRate: 0.3 };

/** Settings as the sidebar sends them with a plan typed and nothing else touched. */
function planned(rt: LocalRuntime, fx: CrmFixture, extra: Partial<KpiSettings> = {}) {
  const main =
    fx.id === 'activity-log'
      ? rt.call<{ suggested: string }>('kpiListTabs').suggested
      : fx.tabs[0].name;
  const ins = rt.call<TabInspection>('kpiInspectTab', main);
  const statusMap: Record<string, string> = {};
  for (const s of ins.statuses) statusMap[s.value] = s.guess;
  return settingsFor(ins, {
    from: ins.defaults.from,
    to: ins.defaults.to,
    rowsAre: ins.rowsAre,
    statusMap,
    lang: 'en',
    revenueTarget: TARGET,
    avgDealSize: AVG,
    kpis: Object.fromEntries(Object.entries(RATES).map(([id, target]) => [id, { target }])),
    ...extra,
  });
}

function open(fx: CrmFixture) {
  const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
  rt.loadSheets(fx.tabs);
  return rt;
}

/** The chain of factors the truth supports, bottom first, with actual and plan (per `plan` revenue). */
function chainOf(t: Totals, planRevenue: number) {
  const all: [KpiId, number | null, number][] = [];
  const rate = (a: number | null, b: number | null) =>
    a === null || b === null || b === 0 ? null : a / b;
  if (t.leads !== null && t.mql !== null) {
    // No target column in these exports: every lead is a target lead.
    all.push(['leads', t.leads, 0]);
    all.push(['targetShare', rate(t.leads, t.leads), RATES.targetShare]);
    all.push(['mqlRate', rate(t.mql, t.leads), RATES.mqlRate]);
    all.push(['dealRate', rate(t.deals, t.mql), RATES.dealRate]);
  } else {
    all.push(['deals', t.deals, 0]);
  }
  all.push(['winRate', rate(t.won, t.deals), RATES.winRate]);
  all.push(['avgDeal', rate(t.revenue, t.won), AVG]);
  const rates = all.slice(1).reduce((p, [, , x]) => p * x, 1);
  all[0][2] = planRevenue / rates;
  return all;
}

/** The log (LMDI) split, written out here: L(A, P) × ln(a ÷ p). */
function split(chain: [KpiId, number | null, number][], A: number, P: number) {
  const L = A === P ? A : (A - P) / Math.log(A / P);
  return chain.map(([id, a, p]) => [id, L * Math.log((a as number) / p)] as const);
}

const closeTo = (got: unknown, want: number, label: string) => {
  expect(typeof got, label).toBe('number');
  expect(Math.abs((got as number) - want), label).toBeLessThanOrEqual(
    Math.max(0.01, Math.abs(want) * 1e-9),
  );
};

/** The tree's division summary: KPI label → its row (plan, actual, ratio, effect, gain, rank). */
function gapTable(rt: LocalRuntime) {
  const v = rt.values('KPI tree');
  const head = v.findIndex((r) => r[0] === 'Division' && r[5] === 'Effect on revenue');
  expect(head, 'the division summary').toBeGreaterThan(0);
  const rows = new Map<string, unknown[]>();
  for (let r = head + 1; r < v.length && v[r][1] !== ''; r++) rows.set(String(v[r][1]), v[r]);
  return { rows, v, head };
}

/** A tree node's box: [plan, actual, achievement, effect on revenue]. */
function box(rt: LocalRuntime, label: string): unknown[] {
  const v = rt.values('KPI tree');
  for (let r = 0; r + 4 < v.length; r++)
    for (const c of [3, 6, 9])
      if (v[r][c] === label && v[r + 1][c] === 'Plan') {
        // A factor's own effect; a count node's with the stages below it; revenue's gap.
        expect(v[r + 4][c]).toBe(
          label === 'Revenue (KGI)'
            ? 'Gap vs plan'
            : ['Won deals', 'Deals', 'MQL', 'Target leads'].includes(label)
              ? 'Effect incl. stages below'
              : 'Effect on revenue',
        );
        return [1, 2, 3, 4].map((k) => v[r + k][c + 1]);
      }
  throw new Error(`no node ${label}`);
}

const monthsOf = (fromDay: number, toDay: number) => {
  const out: { label: string; from: number; to: number }[] = [];
  const d = new Date(fromDay * 86_400_000);
  let [y, m] = [d.getUTCFullYear(), d.getUTCMonth() + 1];
  for (;;) {
    const from = daysFromCivil(y, m, 1);
    if (from > toDay) return out;
    const to = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
    out.push({ label: `${y}-${String(m).padStart(2, '0')}`, from, to });
    [y, m] = m === 12 ? [y + 1, 1] : [y, m + 1];
  }
};

describe('the revenue gap, split by KPI, on real export shapes', () => {
  for (const make of [activityLog, zohoDeals]) {
    const fx = make();
    it(`${fx.crm}: each KPI's effect equals the log split of the ground truth, and they add up to the gap`, () => {
      const rt = open(fx);
      const before = fx.tabs.map((t) => JSON.stringify(rt.values(t.name)));
      rt.call('kpiBuild', planned(rt, fx));
      const win = defaultWindow(fx);
      const months = monthsOf(win.fromDay, win.toDay);
      expect(months.length).toBe(12);
      const truth = expectedTotals(fx, win.fromDay, win.toDay);
      const P = TARGET * 12;
      const A = truth.revenue as number;
      const chain = chainOf(truth, P);
      const want = split(chain, A, P);
      const { rows } = gapTable(rt);
      for (const [id, effect] of want) {
        const row = rows.get(kpiLabel('en', id));
        expect(row, id).toBeDefined();
        closeTo(row?.[5], effect, `${id} effect`);
        const [, a, p] = chain.find((c) => c[0] === id) as [KpiId, number, number];
        closeTo(row?.[3], a, `${id} actual`);
        closeTo(row?.[2], p, `${id} plan`);
      }
      // The KGI row: the gap; the effects' sum equals it within a cent.
      const revenue = rows.get('Revenue (KGI): gap (actual − plan)') as unknown[];
      closeTo(revenue[5], A - P, 'gap');
      const sum = rows.get('Sum of the effects') as unknown[];
      closeTo(sum[5], A - P, 'sum of effects');
      expect(Math.abs(want.reduce((s, [, e]) => s + e, 0) - (A - P))).toBeLessThan(0.01);
      // Division totals: the sum of their KPIs' effects.
      const byDivision = { Marketing: 0, IS: 0, FS: 0 } as Record<string, number>;
      const division = OWNER;
      for (const [id, e] of want) byDivision[division[id] as string] += e;
      for (const d of ['Marketing', 'IS', 'FS']) {
        const row = rows.get(`${d} total`) as unknown[];
        if (want.some(([id]) => division[id] === d)) closeTo(row[5], byDivision[d], `${d} total`);
        else expect(row[5]).toBe('no data');
      }
      // Each node box: its own effect, or the sum of the factors below it; revenue: the gap.
      closeTo(box(rt, 'Revenue (KGI)')[3], A - P, 'revenue box');
      closeTo(box(rt, 'Win rate')[3], want.find(([id]) => id === 'winRate')?.[1] as number, 'win');
      const belowWon = want.filter(([id]) => id !== 'avgDeal').reduce((s, [, e]) => s + e, 0);
      closeTo(box(rt, 'Won deals')[3], belowWon, 'won box = factors below it');
      if (chain[0][0] === 'deals') {
        // An opportunity export: no leads, the split starts at deals and says so.
        expect(box(rt, 'Leads')[3]).toMatch(/^no data \(the split starts at “Deals”\)/);
        expect(rows.get('Leads')?.[3]).toMatch(/^no data/);
      }
      // Levers: each KPI at plan alone, the rest as actual — sorted, with the owning division.
      const gains = chain
        .map(([id, a, p]) => {
          const others = chain.filter((c) => c[0] !== id).reduce((x, c) => x * (c[1] as number), 1);
          return { id, gain: (a as number) < p ? p * others - A : 0 };
        })
        .sort((x, y) => y.gain - x.gain);
      const { v } = gapTable(rt);
      const lv = v.findIndex((r) => r[0] === 'Rank' && r[3] === 'Revenue gained');
      gains.forEach((g, k) => {
        const row = v[lv + 1 + k];
        if (g.gain <= 0) {
          // At or above plan: nothing to gain, no rank (a ¥0 row ranked 4th reads as a lever).
          expect(row.slice(0, 4), `lever row ${k + 1}`).toEqual(['', '', '', '']);
          return;
        }
        expect(row[0]).toBe(k + 1);
        if (k > 0 && g.gain === gains[k - 1].gain) return; // a tie keeps table order
        expect(row[1], `lever ${k + 1}`).toBe(kpiLabel('en', g.id));
        expect(row[2]).toBe(division[g.id]);
        closeTo(row[3], g.gain, `gain of ${g.id}`);
      });
      expect(gains[0].gain).toBeGreaterThan(0);
      // The user's tabs are untouched.
      expect(fx.tabs.map((t) => JSON.stringify(rt.values(t.name)))).toEqual(before);
    });

    it(`${fx.crm}: each month's miss on the funnel sheet, split, and the factor it mostly came from`, () => {
      const rt = open(fx);
      rt.call('kpiBuild', planned(rt, fx));
      const win = defaultWindow(fx);
      const v = rt.values('Funnel by period');
      const head = v[3];
      const gapCol = head.indexOf('Revenue gap vs plan');
      expect(gapCol).toBeGreaterThan(14);
      // Every plan typed: no note on plans taken from the window's actual.
      expect(v[2][gapCol - 1]).toBe('');
      const mostly = head.indexOf('Mostly from');
      let split0 = 0;
      let unsplit = 0;
      for (const m of monthsOf(win.fromDay, win.toDay)) {
        const row = v.find((r) => r[0] === m.label);
        expect(row, m.label).toBeDefined();
        const r = row as unknown[];
        const t = expectedTotals(fx, m.from, m.to);
        const A = t.revenue as number;
        closeTo(r[gapCol], A - TARGET, `${m.label} gap`);
        const chain = chainOf(t, TARGET);
        const zero = chain.find(([, a]) => a === null || a <= 0);
        if (zero) {
          // A stage at 0 this month: no log split, and the first factor at 0 named.
          unsplit++;
          expect(r[mostly]).toBe(`no split (${factorColumn(zero[0])} is 0)`);
          for (let c = gapCol + 1; c < mostly; c++) expect(r[c]).toBe('');
          continue;
        }
        split0++;
        const want = split(chain, A, TARGET);
        for (const [id, e] of want) {
          closeTo(r[head.indexOf(factorColumn(id))], e, `${m.label} ${id}`);
        }
        // The KPI that pulled hardest in the gap's direction, and a second within 5 % of it.
        const [top, next] = [...want].sort((x, y) => (A < TARGET ? x[1] - y[1] : y[1] - x[1]));
        const sameSide = A < TARGET ? next[1] < 0 : next[1] > 0;
        const close = sameSide && next[1] / top[1] >= 0.95;
        if (A !== TARGET)
          expect(r[mostly], m.label).toBe(
            factorColumn(top[0]) + (close ? ` ≈ ${factorColumn(next[0])}` : ''),
          );
      }
      expect(split0).toBeGreaterThanOrEqual(6);
      expect(split0 + unsplit).toBe(12);
      // The Total row has no split (a sum of months is not a month).
      const total = v.find((r) => r[0] === 'Total') as unknown[];
      // It shows the window's gap against every month's target, and why it has no split.
      const windowRevenue = expectedTotals(fx, win.fromDay, win.toDay).revenue as number;
      closeTo(total[gapCol], windowRevenue - 12 * TARGET, 'total gap');
      expect(total[gapCol + 1]).toBe(
        'No split for the total (adding up each KPI’s monthly effects does not give the window’s split): the KPI tree splits the whole window',
      );
      expect(total[mostly]).toBe('');
      // The period is repeated at the block's left, far from column A.
      expect(v[4][gapCol - 1]).toBe(v[4][0]);
    });
  }

  for (const make of [activityLog, salesforceOpportunities]) {
    const fx = make();
    it(`${fx.crm}, no revenue target typed: the plan is the window's actual per period, no gap, no confident lever`, () => {
      // As the sidebar sends a first Build with the revenue target left blank.
      const rt = open(fx);
      rt.call(
        'kpiBuild',
        planned(rt, fx, { revenueTarget: undefined, avgDealSize: undefined, kpis: {} }),
      );
      const win = defaultWindow(fx);
      const truth = expectedTotals(fx, win.fromDay, win.toDay);
      const A = truth.revenue as number;
      const tree = rt.values('KPI tree');
      // B7: the window's revenue ÷ 12 months, said to be the actual, not a typed plan.
      expect(tree[6][0]).toBe('Revenue target per period');
      closeTo(tree[6][1], A / 12, 'B7');
      expect(tree[6][2]).toBe('= window actual');
      const { rows, v } = gapTable(rt);
      closeTo((rows.get('Revenue (KGI): gap (actual − plan)') as unknown[])[5], 0, 'gap');
      // Every plan is the actual: every effect exactly 0 (not −¥0 from a float in the last place).
      for (const id of ['winRate', 'avgDeal'] as KpiId[]) {
        expect(rows.get(kpiLabel('en', id))?.[5], id).toBe(0);
      }
      const first = chainOf(truth, A)[0][0];
      expect(rows.get(kpiLabel('en', first))?.[5], first).toBe(0);
      const lv = v.findIndex((r) => r[0] === 'Rank' && r[3] === 'Revenue gained');
      expect(v[lv + 1].slice(0, 2)).toEqual(['', 'none (all at or above plan)']);
      expect(
        v.flat().some((x) => String(x).startsWith('No revenue target typed, so the plan is')),
      ).toBe(true);
      // Per month: the month against the window's average, under an orange header.
      const f = rt.values('Funnel by period');
      const gapCol = f[3].indexOf('Revenue gap vs plan');
      const funnel = rt.wb.sheetMeta(rt.wb.sheetId('Funnel by period') as number).formats;
      expect(funnel.get(`4,${gapCol + 1}`)?.background).toBe('#fcd9b6');
      for (const m of monthsOf(win.fromDay, win.toDay)) {
        const row = f.find((r) => r[0] === m.label) as unknown[];
        closeTo(
          row[gapCol],
          (expectedTotals(fx, m.from, m.to).revenue as number) - A / 12,
          m.label,
        );
      }
      // The plan beside the funnel: a built-in assumption (a rate the export cannot measure) is
      // orange, as on the tree; a plan from the data's own actual is not.
      const planBg = (label: string) => {
        const r = f.findIndex((x) => x[15] === label);
        expect(r, label).toBeGreaterThan(0);
        return funnel.get(`${r + 1},17`)?.background;
      };
      const assumed = truth.mql === null; // an opportunity export: no MQL, no leads
      for (const label of ['Deal rate (MQL → deal)', 'MQL rate (target → MQL)'])
        expect(planBg(label) === '#fcd9b6', label).toBe(assumed);
      expect(planBg('Win rate')).not.toBe('#fcd9b6');
      expect(planBg('Average deal size')).not.toBe('#fcd9b6');
    });
  }

  it('an export without amounts: nothing to split, and the tree says why instead of a 0', () => {
    const fx = hubspotContacts();
    const rt = open(fx);
    rt.call('kpiBuild', planned(rt, fx));
    const { rows, v } = gapTable(rt);
    expect(rows.get('Win rate')?.[5]).toBe('no data');
    expect(rows.get('Sum of the effects')?.[5]).toBe('no data');
    expect(box(rt, 'Revenue (KGI)')[3]).toBe('no data');
    expect(v.flat()).toContain(
      'no data: won deals or revenue (an amount column) are not measured, so there is nothing to split',
    );
  });

  it('no deal won in the window: no split, the reason names the win rate', () => {
    const rows: unknown[][] = [['Created', 'MQL Date', 'Deal Date', 'Won Date', 'Amount']];
    for (let i = 0; i < 40; i++) {
      const d = `2025-0${1 + (i % 6)}-${String(1 + (i % 27)).padStart(2, '0')}`;
      rows.push([d, i % 2 ? d : '', i % 4 === 1 ? d : '', '', '']);
    }
    const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: 'en_US' });
    rt.loadSheets([{ name: 'Leads', rows }]);
    const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
    rt.call(
      'kpiBuild',
      settingsFor(ins, { from: ins.defaults.from, to: ins.defaults.to, lang: 'en' }),
    );
    const { rows: gap, v } = gapTable(rt);
    expect(gap.get('Win rate')?.[3]).toBe(0);
    expect(gap.get('Win rate')?.[5]).toBe('no data');
    expect(gap.get('Leads')?.[5]).toBe('no data');
    expect(v.flat()).toContain(
      'cannot split: Win rate is 0 or has no data (a log split needs every factor above 0)',
    );
    // The gap itself is still shown: revenue 0 against the plan.
    expect((gap.get('Revenue (KGI): gap (actual − plan)') as unknown[])[5]).toBeLessThan(0);
    expect(iso(0)).toBe('1970-01-01');
  });
});

describe('“mostly from” on the sample workbook', () => {
  it('names the KPI that pulled hardest each month, and a second one within 5 % of it', () => {
    const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: 'en_US' });
    rt.loadSheets(sampleWorkbook({ leads: 2000 }));
    const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
    const rates = { targetShare: 0.6, mqlRate: 0.55, dealRate: 0.5, winRate: 0.35 };
    rt.call(
      'kpiBuild',
      settingsFor(ins, {
        from: ins.defaults.from,
        to: ins.defaults.to,
        lang: 'en',
        revenueTarget: 12_000_000,
        kpis: Object.fromEntries(Object.entries(rates).map(([id, target]) => [id, { target }])),
      }),
    );
    const v = rt.values('Funnel by period');
    const head = v[3];
    const avg = rt.values('KPI tree')[7][1] as number; // B8: the plan's average deal size
    // The deal size's plan was not typed: the window's actual, 0 on the tree — but a month still
    // differs from the window, and the split says what it is measured against.
    expect(v[2][head.indexOf('Period')]).toBe(
      "Orange headers: no plan typed (= the window's actual) — 0 on the KPI tree; here each period is measured against the window's average",
    );
    // Orange: the untyped deal size's column only; the typed rates' headers stay grey.
    const funnel = rt.wb.sheetMeta(rt.wb.sheetId('Funnel by period') as number).formats;
    const bg = (h: string) => funnel.get(`4,${head.indexOf(h) + 1}`)?.background;
    expect(bg('Average deal size · FS')).toBe('#fcd9b6');
    for (const h of [
      'Leads · Marketing',
      'Win rate · FS',
      'Deal rate · IS',
      'Target share · Marketing',
    ])
      expect(bg(h), h).not.toBe('#fcd9b6');
    const col = (h: string) => head.indexOf(h);
    let ties = 0;
    for (const r of v.filter((x) => /^\d{4}-\d{2}$/.test(String(x[0])))) {
      // This month's counts as the funnel table shows them: B leads … H revenue.
      const [leads, targets, , mql, deals, won, revenue] = r.slice(1, 8) as number[];
      if ([leads, targets, mql, deals, won, revenue].some((x) => !(x > 0))) continue;
      const actual: [KpiId, number, number][] = [
        ['targetShare', targets / leads, rates.targetShare],
        ['mqlRate', mql / targets, rates.mqlRate],
        ['dealRate', deals / mql, rates.dealRate],
        ['winRate', won / deals, rates.winRate],
        ['avgDeal', revenue / won, avg],
      ];
      const planLeads = 12_000_000 / actual.reduce((p, [, , x]) => p * x, 1);
      const chain: [KpiId, number | null, number][] = [['leads', leads, planLeads], ...actual];
      const want = split(chain, revenue, 12_000_000);
      for (const [id, e] of want) closeTo(r[col(factorColumn(id))], e, `${r[0]} ${id}`);
      const [top, next] = [...want].sort((x, y) =>
        revenue < 12_000_000 ? x[1] - y[1] : y[1] - x[1],
      );
      const close = (revenue < 12_000_000 ? next[1] < 0 : next[1] > 0) && next[1] / top[1] >= 0.95;
      if (close) ties++;
      expect(r[col('Mostly from')]).toBe(
        factorColumn(top[0]) + (close ? ` ≈ ${factorColumn(next[0])}` : ''),
      );
    }
    expect(ties).toBeGreaterThanOrEqual(1);
  });
});
