/**
 * The SMART check on the KPI tree (issue #12) on crafted plans: each criterion failing alone —
 * an unnamed owner (S), a KPI no column measures (M), a target far above the best month (A), a KPI
 * off the revenue path (R), a deadline outside the window or none (T) — and the Achievable
 * figures (best and median of the last 12 months) against the fixture's ground truth.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import { daysFromCivil } from '../../src/core/dates';
import type { KpiGoal } from '../../src/core/goals';
import {
  activityLog,
  type CrmFixture,
  defaultWindow,
  expectedTotals,
  FIXTURE_TIME_ZONE,
  zohoDeals,
} from '../fixtures/crm';
import { settingsFor } from '../helpers/settings';

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

function build(fx: CrmFixture, kpis: Record<string, KpiGoal>, lang: 'en' | 'ja' = 'en') {
  const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
  rt.loadSheets(fx.tabs);
  const main =
    fx.id === 'activity-log'
      ? rt.call<{ suggested: string }>('kpiListTabs').suggested
      : fx.tabs[0].name;
  const ins = rt.call<TabInspection>('kpiInspectTab', main);
  const statusMap: Record<string, string> = {};
  for (const s of ins.statuses) statusMap[s.value] = s.guess;
  rt.call(
    'kpiBuild',
    settingsFor(ins, {
      from: ins.defaults.from,
      to: ins.defaults.to,
      rowsAre: ins.rowsAre,
      statusMap,
      lang,
      kpis,
    }),
  );
  return rt;
}

/** The SMART table: KPI label → [S, M, A, R, T] and the row's cells. */
function smart(rt: LocalRuntime, sheet = 'KPI tree') {
  const v = rt.values(sheet);
  const head = v.findIndex((r) => /^(S Specific|S 具体的)$/.test(String(r[6])));
  expect(head, 'the SMART table').toBeGreaterThan(0);
  const out = new Map<string, { checks: string[]; row: unknown[] }>();
  for (let r = head + 1; r < v.length && v[r][0] !== ''; r++) {
    out.set(String(v[r][0]), { checks: v[r].slice(6, 11).map(String), row: v[r] });
  }
  return out;
}

/** Which of S, M, A, R, T fail (✗); "–" (not judged) is not a failure. */
const failing = (checks: string[]) =>
  checks.map((c, i) => (c.startsWith('✗') ? 'SMART'[i] : '')).join('');

const monthly = (fx: CrmFixture) => {
  const win = defaultWindow(fx);
  const d = new Date(win.fromDay * 86_400_000);
  const out: ReturnType<typeof expectedTotals>[] = [];
  for (let k = 0; k < 12; k++) {
    const y = d.getUTCFullYear() + Math.floor((d.getUTCMonth() + k) / 12);
    const m = ((d.getUTCMonth() + k) % 12) + 1;
    const from = daysFromCivil(y, m, 1);
    const to = daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
    out.push(expectedTotals(fx, from, to));
  }
  return out;
};
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};

describe('the SMART check, each criterion failing alone', () => {
  const fx = activityLog();
  const win = defaultWindow(fx);
  const inside = iso(win.fromDay + 100);
  const months = monthly(fx);
  const leads = months.map((t) => t.leads as number);
  const mqls = months.map((t) => t.mql as number);
  const wons = months.map((t) => t.won as number);
  const winRates = months
    .filter((t) => (t.deals as number) > 0)
    .map((t) => (t.won as number) / (t.deals as number));
  const dealRates = months
    .filter((t) => (t.mql as number) > 0)
    .map((t) => (t.deals as number) / (t.mql as number));
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;
  let rows: ReturnType<typeof smart>;

  beforeAll(() => {
    const rt = build(fx, {
      // S alone: nobody named.
      winRate: { owner: '', target: median(winRates), deadline: inside, csf: 'Demo within 48 h' },
      // A alone: 1.5 × the best month, far above the 10 % stretch.
      leads: { owner: 'Aiko', target: Math.max(...leads) * 1.5, deadline: inside },
      // T alone: after the window; and none at all.
      mql: { owner: 'Ken', target: median(mqls), deadline: iso(win.toDay + 1) },
      deals: { owner: 'Ken', target: 1, deadline: '' },
      // R alone: measured, achievable, on time — but not a factor of revenue.
      companies: { owner: 'Aiko', target: 1, deadline: inside },
      // Passes, but below the median month: an easy target, said so.
      dealRate: { owner: 'Ken', target: Math.min(...dealRates), deadline: inside },
      // All pass: within the best month + 10 %.
      won: { owner: 'Mika', target: Math.max(...wons) * 1.05, deadline: inside },
      // Measured by no column of this export (it has no target column): M fails alone.
      targetShare: { owner: 'Mika', target: 0.5, deadline: inside },
    });
    rows = smart(rt);
  });

  it('S: an unnamed owner fails Specific only', () => {
    const r = rows.get('Win rate');
    expect(failing(r?.checks ?? [])).toBe('S');
    expect(r?.checks[0]).toBe('✗ no owner named');
    expect(r?.row[2]).toBe('Demo within 48 h');
  });

  it('A: a target above the best month by more than the margin fails Achievable only, with the figures', () => {
    const r = rows.get('Leads');
    expect(failing(r?.checks ?? [])).toBe('A');
    // With the ceiling the margin allows (the best + 10 %), to one decimal.
    const limit = Math.round(Math.max(...leads) * 1.1 * 10) / 10;
    expect(r?.checks[2]).toBe(
      `✗ above the best ${Math.max(...leads)} by more than 10% (limit ${limit})`,
    );
    // Within the margin: passes, showing the best and the median of the 12 months.
    const ok = rows.get('Won deals');
    expect(failing(ok?.checks ?? [])).toBe('');
    expect(ok?.checks[2]).toBe(
      `✓ best ${Math.max(...wons)}, median ${Math.round(median(wons) * 10) / 10}`,
    );
  });

  it('A: a target below the median of the last 12 periods passes, and says it is below the median', () => {
    const r = rows.get('Deal rate (MQL → deal)');
    expect(failing(r?.checks ?? [])).toBe('');
    expect(r?.checks[2]).toBe(
      `✓ best ${pct(Math.max(...dealRates))}, median ${pct(median(dealRates))} (below the median)`,
    );
  });

  it('T: a deadline after the window, or none, fails Time-bound only', () => {
    expect(failing(rows.get('MQL')?.checks ?? [])).toBe('T');
    expect(rows.get('MQL')?.checks[4]).toBe('✗ after the window end');
    expect(failing(rows.get('Deals')?.checks ?? [])).toBe('T');
    expect(rows.get('Deals')?.checks[4]).toBe('✗ no deadline');
  });

  it('R: a KPI off the revenue path fails Relevant only', () => {
    const r = rows.get('Unique companies');
    expect(failing(r?.checks ?? [])).toBe('R');
    expect(r?.checks[3]).toBe('✗ off the revenue path');
  });

  it('a KPI the plan step did not touch: owned by its division, the plan as its target', () => {
    const r = rows.get('Revenue (KGI)');
    // Money in k / M (the cells' currency follows the locale), never a bare 376600.
    const money = (x: number) =>
      x >= 1e6
        ? `${Math.round(x / 1e4) / 100}M`
        : x >= 1e3
          ? `${Math.round(x / 100) / 10}k`
          : `${Math.round(x)}`;
    const best = Math.max(...months.map((t) => t.revenue as number));
    expect(best).toBeGreaterThan(1000);
    expect(r?.checks[2]).toBe(
      `✗ above the best ${money(best)} by more than 10% (limit ${money(best * 1.1)})`,
    );
    expect(r?.row[3]).toBe('Company');
    expect(r?.checks[0]).toBe('✓ owner named');
    expect(r?.checks[4]).toBe('✗ no deadline');
  });

  it('a count target set below what the revenue plan needs: met, revenue still misses — said beside the checks', () => {
    // The tree's plan per period, worked back here: won = ⌈revenue target ÷ average deal⌉, deals =
    // ⌈won ÷ win rate⌉, MQL = ⌈deals ÷ deal rate⌉ (the rates typed above; the deal size the window's).
    const t = expectedTotals(fx, win.fromDay, win.toDay);
    const up = (x: number) => Math.ceil(Math.round(x * 1e9) / 1e9);
    const won = up(1_000_000 / ((t.revenue as number) / (t.won as number)));
    const deals = up(won / median(winRates));
    const mql = up(deals / Math.min(...dealRates));
    const vsPlan = (label: string) => rows.get(label)?.row[11];
    // The MQL target (the median month) is below the MQL the revenue plan needs.
    expect(median(mqls)).toBeLessThan(mql);
    expect(vsPlan('MQL')).toBe(
      `✗ below the tree’s plan (${mql}): met, revenue still misses its plan`,
    );
    // An untouched count shows the plan itself; rates typed are the plan.
    expect(Math.max(...wons) * 1.05).toBeLessThan(won);
    expect(vsPlan('Won deals')).toBe(
      `✗ below the tree’s plan (${won}): met, revenue still misses its plan`,
    );
    expect(vsPlan('Target leads')).toBe('= the tree’s plan');
    expect(vsPlan('Deal rate (MQL → deal)')).toBe('= the tree’s plan');
    // No plan on the tree for KPIs off the revenue path; none of this changes S, M, A, R or T.
    expect(vsPlan('Unique companies')).toBe('– no plan on the tree');
    expect(failing(rows.get('MQL')?.checks ?? [])).toBe('T');
  });

  it('M: without a target column, target share and target leads are not measured (every lead would be a target)', () => {
    const r = rows.get('Target share (lead → target)');
    expect(failing(r?.checks ?? [])).toBe('M');
    expect(r?.checks[1]).toBe('✗ no column or status');
    expect(r?.checks[2]).toBe('– not judged (not measured)');
    expect(rows.get('Target leads')?.checks[1]).toBe('✗ no column or status');
  });

  it('M: a KPI no column measures fails Measurable only (Achievable is not judged)', () => {
    // An opportunity export: one row per deal, so leads are not in the data.
    const z = zohoDeals();
    const zw = defaultWindow(z);
    const rt = build(z, { leads: { owner: 'Aiko', target: 10, deadline: iso(zw.fromDay + 30) } });
    const r = smart(rt).get('Leads');
    expect(failing(r?.checks ?? [])).toBe('M');
    expect(r?.checks[1]).toBe('✗ no column or status');
    expect(r?.checks[2]).toMatch(/^– /);
  });

  it('in Japanese: the same checks in the sheet’s language', () => {
    const rt = build(
      fx,
      {
        winRate: { owner: '', target: median(winRates), deadline: inside },
        leads: { owner: '佐藤', target: Math.max(...leads) * 1.5, deadline: inside },
        dealRate: { owner: '佐藤', target: Math.min(...dealRates) * 0.9, deadline: inside },
        won: { owner: '佐藤', target: 100_000, deadline: inside },
      },
      'ja',
    );
    const table = smart(rt, 'KPIツリー');
    const r = table.get('受注率');
    expect(r?.checks[0]).toBe('✗ 担当者が未設定');
    expect(failing(r?.checks ?? [])).toBe('S');
    // Rates with one decimal always (61.0%, not 61% beside 30.1%), figures from the fixture.
    expect(r?.checks[2]).toBe(
      `✓ 最高 ${pct(Math.max(...winRates))}、中央値 ${pct(median(winRates))}`,
    );
    expect(table.get('リード')?.checks[2]).toBe(
      `✗ 過去最高（${Math.max(...leads)}）を10%超える目標（上限 ${Math.round(Math.max(...leads) * 11) / 10}）`,
    );
    // A target below every one of the 12 periods: passes A, and says it is below the worst.
    expect(table.get('商談化率（MQL→商談）')?.checks[2]).toBe(
      `✓ 最高 ${pct(Math.max(...dealRates))}、中央値 ${pct(median(dealRates))}（過去最低未満）`,
    );
    // A won-deals target far above what the revenue plan needs: at or above the tree's plan.
    expect(table.get('受注数')?.row[11]).toMatch(/^✓ ツリーの計画（\d+）以上$/);
    expect(table.get('MQL')?.row[11]).toBe('= ツリーの計画');
    expect(table.get('ユニーク社数')?.row[11]).toBe('– ツリーに計画なし');
  });
});
