/**
 * The revenue-gap split as the engine evaluates it (issue #12), for random data and random plans
 * (fast-check): a lead tab of random size and random stage reach, a random revenue target, average
 * deal size and planned rates, built through the add-on's own path (inspect → Build, nothing else
 * touched), then the KPI tree's division summary and the funnel sheet's per-period split read back
 * and held to a log split computed here from the rows themselves — never from the add-on's code:
 * - the effects add up to the revenue gap within a cent (window and every month);
 * - each effect equals L × ln(actual ÷ plan) of the test's own counts;
 * - a KPI whose plan is typed equal to its actual has an effect of exactly 0;
 * - the levers: each KPI alone at plan, the rest as actual.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import { type KpiId, kpiLabel } from '../../src/core/goals';
import { factorColumn } from '../helpers/gap-labels';
import { settingsFor } from '../helpers/settings';

const MONTHS = ['2025-01', '2025-02', '2025-03', '2025-04', '2025-05', '2025-06'];
const RATE_IDS = ['targetShare', 'mqlRate', 'dealRate', 'winRate'] as const;

/** One lead: its month, day, how far it got (0 lead … 3 won) and, when won, its amount. */
const lead = fc.record({
  month: fc.integer({ min: 0, max: 5 }),
  day: fc.integer({ min: 1, max: 28 }),
  reach: fc.integer({ min: 0, max: 3 }),
  amount: fc.integer({ min: 1, max: 5_000_000 }),
});
const plan = fc.record({
  target: fc.integer({ min: 1, max: 50_000_000 }),
  avg: fc.integer({ min: 1, max: 5_000_000 }),
  rates: fc.tuple(
    ...RATE_IDS.map(() => fc.double({ min: 0.01, max: 1, noNaN: true, noDefaultInfinity: true })),
  ),
  /** Which rate (if any) is typed equal to the data's own rate: its effect must be 0. */
  atPlan: fc.integer({ min: -1, max: 3 }),
});

type Lead = { month: number; day: number; reach: number; amount: number };

/** The counts a period of these leads has (the stage date is the lead's own day). */
function counts(leads: Lead[]) {
  const won = leads.filter((l) => l.reach >= 3);
  return {
    leads: leads.length,
    mql: leads.filter((l) => l.reach >= 1).length,
    deals: leads.filter((l) => l.reach >= 2).length,
    won: won.length,
    revenue: won.reduce((s, l) => s + l.amount, 0),
  };
}

/** The chain bottom first: [KPI, actual, plan]; no target column, so every lead is a target lead. */
function chainOf(c: ReturnType<typeof counts>, rates: number[], avg: number, planRevenue: number) {
  const chain: [KpiId, number, number][] = [
    ['leads', c.leads, 0],
    ['targetShare', 1, rates[0]],
    ['mqlRate', c.mql / c.leads, rates[1]],
    ['dealRate', c.deals / c.mql, rates[2]],
    ['winRate', c.won / c.deals, rates[3]],
    ['avgDeal', c.revenue / c.won, avg],
  ];
  chain[0][2] = planRevenue / chain.slice(1).reduce((p, [, , x]) => p * x, 1);
  return chain;
}

/** L(A, P) × ln(a ÷ p): the log-mean split. */
const split = (chain: [KpiId, number, number][], A: number, P: number) => {
  const L = A === P ? A : (A - P) / Math.log(A / P);
  return chain.map(([id, a, p]) => [id, L * Math.log(a / p)] as const);
};

const within = (got: unknown, want: number, label: string) => {
  expect(typeof got, label).toBe('number');
  expect(Math.abs((got as number) - want), label).toBeLessThanOrEqual(
    Math.max(0.01, Math.abs(want) * 1e-9),
  );
};

type Plan = { target: number; avg: number; rates: number[]; atPlan: number };

function build(leads: Lead[], p: Plan) {
  const rows: unknown[][] = [['Created', 'MQL Date', 'Deal Date', 'Won Date', 'Amount']];
  for (const l of leads) {
    const d = `${MONTHS[l.month]}-${String(l.day).padStart(2, '0')}`;
    rows.push([
      d,
      l.reach >= 1 ? d : '',
      l.reach >= 2 ? d : '',
      l.reach >= 3 ? d : '',
      l.reach >= 3 ? l.amount : '',
    ]);
  }
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  rt.loadSheets([{ name: 'Leads', rows }]);
  const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const c = counts(leads);
  const own = [1, c.mql / c.leads, c.deals / c.mql, c.won / c.deals];
  const rates = p.rates.map((r: number, k: number) => (k === p.atPlan ? own[k] : r));
  rt.call(
    'kpiBuild',
    settingsFor(ins, {
      from: '2025-01-01',
      to: '2025-06-30',
      lang: 'en',
      revenueTarget: p.target,
      avgDealSize: p.avg,
      kpis: Object.fromEntries(RATE_IDS.map((id, k) => [id, { target: rates[k] }])),
    }),
  );
  return { rt, rates, c };
}

describe('the revenue-gap formulas, for random data and plans, as the engine evaluates them', () => {
  it('add up to the gap, equal a log split of the rows, and give 0 to a KPI at plan', () => {
    let runs = 0;
    fc.assert(
      fc.property(fc.array(lead, { minLength: 1, maxLength: 90 }), plan, (leads, p) => {
        // A split needs every stage above 0 in the window.
        fc.pre(leads.some((l) => l.reach >= 3));
        runs++;
        const { rt, rates, c } = build(leads, p);
        const P = p.target * MONTHS.length;
        const A = c.revenue;
        const chain = chainOf(c, rates, p.avg, P);
        const want = split(chain, A, P);

        const v = rt.values('KPI tree');
        const head = v.findIndex((r) => r[0] === 'Division' && r[5] === 'Effect on revenue');
        expect(head).toBeGreaterThan(0);
        const rows = new Map<string, unknown[]>();
        for (let r = head + 1; r < v.length && v[r][1] !== ''; r++) rows.set(String(v[r][1]), v[r]);
        let sum = 0;
        for (const [id, effect] of want) {
          const row = rows.get(kpiLabel('en', id)) as unknown[];
          expect(row, id).toBeDefined();
          within(row[5], effect, `${id} effect`);
          sum += row[5] as number;
        }
        // The sheet's own effects add up to the gap within a cent, and so does its sum row.
        expect(Math.abs(sum - (A - P))).toBeLessThanOrEqual(0.01);
        within((rows.get('Sum of the effects') as unknown[])[5], A - P, 'sum row');
        within((rows.get('Revenue (KGI): gap (actual − plan)') as unknown[])[5], A - P, 'gap row');
        // A rate typed equal to the data's own rate: exactly no effect.
        if (p.atPlan >= 0) {
          expect((rows.get(kpiLabel('en', RATE_IDS[p.atPlan])) as unknown[])[5]).toBe(0);
        }
        // Levers: closing one KPI's gap alone, the rest as actual (only KPIs below plan).
        const lv = v.findIndex((r) => r[0] === 'Rank' && r[3] === 'Revenue gained');
        const gains = new Map<string, number>();
        for (let r = lv + 1; r < v.length && v[r][1] !== ''; r++) {
          gains.set(String(v[r][1]), v[r][3] as number);
        }
        for (const [id, a, pl] of chain) {
          const label = kpiLabel('en', id);
          if (a < pl) {
            const others = chain.filter((x) => x[0] !== id).reduce((x, y) => x * y[1], 1);
            within(gains.get(label), pl * others - A, `lever ${id}`);
          } else {
            expect(gains.has(label), `${id} is no lever`).toBe(false);
          }
        }

        // Per month on the funnel sheet: the month's gap and its split.
        const f = rt.values('Funnel by period');
        const fh = f[3];
        const gapCol = fh.indexOf('Revenue gap vs plan');
        expect(gapCol).toBeGreaterThan(0);
        MONTHS.forEach((label, m) => {
          const row = f.find((r) => r[0] === label) as unknown[];
          expect(row, label).toBeDefined();
          const mc = counts(leads.filter((l) => l.month === m));
          within(row[gapCol], mc.revenue - p.target, `${label} gap`);
          if (!(mc.won > 0)) {
            // The first factor at 0, bottom of the funnel first, is named.
            const zero = chainOf(mc, rates, p.avg, p.target).find(([, a]) => !(a > 0));
            expect(row[fh.indexOf('Mostly from')], label).toBe(
              `no split (${factorColumn(zero?.[0] as KpiId)} is 0)`,
            );
            return;
          }
          const mw = split(chainOf(mc, rates, p.avg, p.target), mc.revenue, p.target);
          let monthSum = 0;
          for (const [id, e] of mw) {
            const col = fh.indexOf(factorColumn(id));
            expect(col, id).toBeGreaterThan(gapCol);
            within(row[col], e, `${label} ${id}`);
            monthSum += row[col] as number;
          }
          expect(Math.abs(monthSum - (mc.revenue - p.target))).toBeLessThanOrEqual(0.01);
        });
      }),
      { numRuns: 24, seed: Number(process.env.FC_SEED ?? 20261205) },
    );
    expect(runs).toBeGreaterThan(12);
  }, 120_000);
});
