/**
 * The manager's path for the team's other KPIs (issue #11), end to end on the sample workbook:
 * inspect the lead tab and the optional tabs, press Build with nothing touched, and read the
 * cycle-time, CAC, retention, quadrant, list-coverage and prospect sheets and the tree's new nodes
 * — each number checked against a computation made here from the raw cells, with this test's own
 * date reading (Tokyo days) and its own company identity (the generator's company number), not
 * the add-on's code.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { sampleExtras, settingsFor } from '../helpers/settings';

const DAY = 86_400_000;
const TOKYO = 9 * 3_600_000;

/** A sample date cell as a Tokyo calendar day number; NaN for a blank. */
function dayOf(v: unknown): number {
  if (v instanceof Date) return Math.floor((v.getTime() + TOKYO) / DAY);
  if (typeof v === 'number') return v - 25_569;
  if (typeof v !== 'string' || v === '') return Number.NaN;
  const m = /^(\d{4})(?:[/-]|年)(\d{1,2})(?:[/-]|月)(\d{1,2})日?$/.exec(v);
  if (!m) throw new Error(`test cannot read ${v}`);
  return Date.UTC(+m[1], +m[2] - 1, +m[3]) / DAY;
}
const monthOf = (day: number) => {
  const d = new Date(day * DAY);
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
};
/** The sample's company identity: every spelling carries the company's number (co12 in e-mail). */
function companyOf(v: unknown): string {
  const s = String(v);
  const m = /@co(\d+)\./.exec(s) ?? /(\d+)/.exec(s);
  if (!m) throw new Error(`no company number in ${s}`);
  return m[1];
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const k = s.length >> 1;
  return s.length % 2 ? s[k] : (s[k - 1] + s[k]) / 2;
};
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const money = (v: unknown) => (typeof v === 'number' ? v : Number(String(v).replace(/,/g, '')));

let rt: LocalRuntime;
let sheets: Record<string, unknown[][]>;
let leads: unknown[][];
let from: string;
let to: string;

beforeAll(() => {
  rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  const book = sampleWorkbook({ leads: 2000 });
  rt.loadSheets(book);
  sheets = Object.fromEntries(book.map((s) => [s.name, s.rows]));
  leads = sheets.Leads.slice(1).filter((r) => r.some((v) => v !== ''));
  const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  from = ins.defaults.from;
  to = ins.defaults.to;
  const settings = settingsFor(ins, {
    from,
    to,
    lang: 'en',
    rankHorizons: { A: 90, B: 180, C: 365 },
    ...sampleExtras((name, kind) => rt.call('kpiInspectExtra', name, kind)),
  });
  rt.call('kpiBuild', settings);
});

/** A generated sheet's rows from the one whose first cell is `label`, as long as column A has text. */
function table(sheet: string, col = 0): Map<string, unknown[]> {
  const out = new Map<string, unknown[]>();
  for (const row of rt.values(sheet)) {
    const key = row[col];
    if (typeof key === 'string' && /^\d{4}-(\d{2}|Q\d)$|^Total$/.test(key))
      out.set(key, row.slice(col));
  }
  return out;
}

/** The tree node `label` (columns D/G/J) → actual. */
function treeActual(label: string): unknown {
  const v = rt.values('KPI tree');
  for (let r = 0; r < v.length; r++)
    for (const c of [3, 6, 9]) if (v[r][c] === label) return v[r + 2][c + 1];
  throw new Error(`no node ${label}`);
}

describe('Build with the optional tabs, nothing touched: the new sheets are right', () => {
  it('cycle time lead → deal and deal → won per month, and the tree’s window means', () => {
    const cycles = (start: number, end: number) => {
      const by = new Map<string, { days: number[]; open: number }>();
      for (const r of leads) {
        const s = dayOf(r[start]);
        if (Number.isNaN(s)) continue;
        const e = dayOf(r[end]);
        const b = by.get(monthOf(s)) ?? { days: [], open: 0 };
        by.set(monthOf(s), b);
        if (Number.isNaN(e)) b.open++;
        else b.days.push(Math.max(0, e - s));
      }
      return by;
    };
    const sheet = rt.values('Cycle time');
    const blockAt = (title: string) => {
      for (const row of sheet) {
        const c = row.indexOf(title);
        if (c >= 0) return c;
      }
      throw new Error(title);
    };
    for (const [title, start, end, node] of [
      ['Lead → deal', 1, 11, 'Lead → deal, mean days'],
      ['Deal → won', 11, 12, 'Deal → won, mean days'],
    ] as const) {
      const got = table('Cycle time', blockAt(title));
      const want = cycles(start, end);
      for (const [month, b] of want) {
        const row = got.get(month) as unknown[];
        expect(row, `${title} ${month}`).toBeDefined();
        const n = b.days.length;
        expect(row.slice(1, 6)).toEqual([
          n,
          n ? median(b.days) : '',
          expect.anything(),
          n ? expect.closeTo(mean(b.days), 9) : '',
          b.open,
        ]);
      }
      // The tree: the mean over the starts within the window.
      const inWindow = [...want].filter(([m]) => m >= from.slice(0, 7) && m <= to.slice(0, 7));
      const days = inWindow.flatMap(([, b]) => b.days);
      expect(treeActual(node)).toBeCloseTo(mean(days), 9);
    }
  });

  it('CAC per period = the costs tab’s costs ÷ the won deals of the period, and on the tree', () => {
    const costs = new Map<string, number>();
    for (const r of sheets.コスト.slice(1))
      costs.set(monthOf(dayOf(r[0])), (r[1] as number) + (r[2] as number) + (r[3] as number));
    const won = new Map<string, number>();
    for (const r of leads) {
      const w = dayOf(r[12]);
      if (!Number.isNaN(w)) won.set(monthOf(w), (won.get(monthOf(w)) ?? 0) + 1);
    }
    const got = table('CAC');
    let cost = 0;
    let wins = 0;
    for (const [month, row] of got) {
      if (month === 'Total') continue;
      const c = costs.get(month) as number;
      const w = won.get(month) ?? 0;
      cost += c;
      wins += w;
      expect(row[4], month).toBe(c);
      expect(row[5], month).toBe(w);
      expect(row[6], month).toEqual(w > 0 ? expect.closeTo(c / w, 6) : 'no data');
    }
    expect(got.size).toBeGreaterThan(6);
    expect(got.has('Total')).toBe(false); // the window's total is the line above the header
    const total = rt.values('CAC').find((r) => r[0] === 'Window total') as unknown[];
    expect(total.slice(4, 7)).toEqual([cost, wins, expect.closeTo(cost / wins, 6)]);
    expect(treeActual('Customer acquisition cost (CAC)')).toBeCloseTo(cost / wins, 6);
  });

  it('retention by start cohort, one customer per company', () => {
    const rows = sheets.顧客.slice(1);
    const co = new Map<string, { start: number; open: boolean; end: number }>();
    let asOf = 0;
    for (const r of rows) {
      const s = dayOf(r[1]);
      const e = dayOf(r[2]);
      asOf = Math.max(asOf, s, Number.isNaN(e) ? 0 : e);
      const k = companyOf(r[0]);
      const c = co.get(k) ?? { start: s, open: false, end: -1 };
      c.start = Math.min(c.start, s);
      if (Number.isNaN(e)) c.open = true;
      else c.end = Math.max(c.end, e);
      co.set(k, c);
    }
    const idx = (day: number) => {
      const d = new Date(day * DAY);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    };
    const got = table('Retention');
    const last = idx(asOf);
    for (const [month, row] of got) {
      const cohort = [...co.values()].filter((c) => monthOf(c.start) === month);
      expect(row[1], month).toBe(cohort.length);
      const p = idx(cohort[0]?.start ?? 0);
      for (let k = 0; p + k <= last && cohort.length > 0; k++) {
        const kept = cohort.filter((c) => c.open || idx(c.end) > p + k).length;
        expect(row[2 + k], `${month} +${k}`).toBeCloseTo(kept / cohort.length, 12);
      }
    }
    const customers = [...got.values()].reduce((a, r) => a + (r[1] as number), 0);
    expect(customers).toBe(co.size);
  });

  it('the four quadrants of the deals: target × temperature, amount, won, win rate', () => {
    const q = new Map<string, { deals: number; amount: number; won: number }>();
    for (const r of leads) {
      if (Number.isNaN(dayOf(r[11]))) continue; // not a deal
      const key = `${r[15] === 'yes' ? 'target' : 'non-target'}|${r[16] === '高' ? 'hot' : 'cold'}`;
      const b = q.get(key) ?? { deals: 0, amount: 0, won: 0 };
      b.deals++;
      if (r[13] !== '') b.amount += money(r[13]);
      if (!Number.isNaN(dayOf(r[12]))) b.won++;
      q.set(key, b);
    }
    const v = rt.values('Deal quadrants');
    const start = v.findIndex((r) => r[0] === 'target' && r[1] === 'temperature');
    const body = v.slice(start + 1, start + 5);
    for (const row of body) {
      const b = q.get(`${row[0]}|${row[1]}`) ?? { deals: 0, amount: 0, won: 0 };
      expect(row.slice(2, 6), `${row[0]} ${row[1]}`).toEqual([
        b.deals,
        b.amount > 0 ? b.amount : '',
        b.won,
        b.deals > 0 ? b.won / b.deals : '',
      ]);
    }
    // Every quadrant has deals in the sample (non-target deals come from outside the ICP).
    expect(body.every((r) => (r[2] as number) > 0)).toBe(true);
  });

  it('BDR list coverage per rep and in total, from the activity log', () => {
    const list = new Set(sheets.ターゲットリスト.slice(1).map((r) => companyOf(r[0])));
    const touches = new Map<string, Map<string, number>>(); // owner → company → activities
    const off = new Map<string, number>();
    for (const r of sheets.Activities.slice(1)) {
      const owner = String(r[1]);
      // Keys as ACTIVITY_AREA's: an e-mail stands for its domain, which matches a list company
      // only when the list names that domain (the sample's list names companies).
      const k = String(r[2]).includes('@') ? `mail:${r[2]}` : companyOf(r[2]);
      const n = r[4] as number;
      for (const who of [owner, 'Total']) {
        if (!list.has(k)) {
          off.set(who, (off.get(who) ?? 0) + n);
          continue;
        }
        const m = touches.get(who) ?? new Map<string, number>();
        m.set(k, (m.get(k) ?? 0) + n);
        touches.set(who, m);
      }
    }
    const v = rt.values('List coverage');
    const start = v.findIndex((r) => r[0] === 'owner');
    const rows = v.slice(start + 1).filter((r) => r[0] !== '');
    expect(rows.map((r) => r[0])).toContain('Total');
    for (const row of rows) {
      const m = touches.get(String(row[0])) ?? new Map<string, number>();
      const acts = [...m.values()].reduce((a, b) => a + b, 0);
      const below = [...list].filter((k) => (m.get(k) ?? 0) < 3).length;
      expect(row.slice(1), String(row[0])).toEqual([
        list.size,
        m.size,
        expect.closeTo(m.size / list.size, 12),
        acts,
        expect.closeTo(acts / m.size, 12),
        below,
        off.get(String(row[0])) ?? 0,
      ]);
    }
  });

  it('prospect accuracy is live: judged and became deals per rep and rank', () => {
    const horizon: Record<string, number> = { A: 90, B: 180, C: 365 };
    const by = new Map<string, { judged: number; became: number }>();
    for (const r of leads) {
      const rank = String(r[8]);
      const judged = dayOf(r[9]);
      if (!rank || Number.isNaN(judged)) continue;
      const key = `${r[6]}|${rank}`;
      const b = by.get(key) ?? { judged: 0, became: 0 };
      b.judged++;
      const deal = dayOf(r[11]);
      if (!Number.isNaN(deal) && deal - judged <= horizon[rank]) b.became++;
      by.set(key, b);
    }
    const v = rt.values('Prospect accuracy');
    const start = v.findIndex((r) => r[0] === 'owner');
    const rows = v.slice(start + 1).filter((r) => r[0] !== '');
    expect(rows.length).toBe(by.size);
    for (const row of rows) {
      expect(row.slice(2, 4), `${row[0]} ${row[1]}`).toEqual(
        Object.values(by.get(`${row[0]}|${row[1]}`) ?? {}),
      );
    }
    // Live: the formula is in the sheet, not values frozen at build time.
    const id = rt.wb.sheetId('Prospect accuracy') as number;
    expect(String(rt.wb.getFormulas(id, 4, 1, 1, 1)[0][0])).toMatch(/^=PROSPECT_ACCURACY\(/);
  });

  it('charts plot periods only: no Total point on the cycle-time and CAC charts', () => {
    for (const sheet of ['Cycle time', 'CAC']) {
      const id = rt.wb.sheetId(sheet) as number;
      const charts = rt.wb.sheetMeta(id).charts as { getRanges(): { getA1Notation(): string }[] }[];
      expect(charts.length, sheet).toBeGreaterThan(0);
      for (const chart of charts) {
        const labels = chart.getRanges()[0].getA1Notation();
        const m = /^([A-Z]+)(\d+):[A-Z]+(\d+)$/.exec(labels) as RegExpExecArray;
        const col = m[1].charCodeAt(0) - 64;
        const shown = rt
          .values(sheet)
          .slice(+m[2] - 1, +m[3])
          .map((r) => r[col - 1]);
        const points = shown.slice(1).filter((v) => v !== '');
        expect(points.length, `${sheet} ${labels}`).toBeGreaterThan(3);
        expect(points.every((v) => typeof v === 'string' && /^\d{4}-\d{2}$/.test(v))).toBe(true);
      }
    }
  });
});

describe('optional tabs that cannot make their sheet', () => {
  it('a customers tab without an end column: no retention sheet, and the build says why', () => {
    const rt2 = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    rt2.loadSheets(sampleWorkbook({ leads: 200 }));
    const ins = rt2.call<TabInspection>('kpiInspectTab', 'Leads');
    const result = rt2.call<{ sheets: { key: string }[]; checks: string[] }>(
      'kpiBuild',
      settingsFor(ins, {
        from: ins.defaults.from,
        to: ins.defaults.to,
        lang: 'ja',
        customers: { sheet: 'Leads', headerRow: 1, columns: { start: 12, company: 2 } },
      }),
    );
    expect(result.sheets.map((x) => x.key)).not.toContain('retention');
    expect(result.checks).toContain(
      '顧客継続率: 顧客タブ「Leads」に開始日と解約日（終了日）の列が必要です。シートは作成していません',
    );
  });
});
