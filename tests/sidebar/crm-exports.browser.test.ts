/**
 * Real CRM exports through the real sidebar, in Chromium: an opportunity export (one row per
 * deal, a stage column, a closing date set for lost deals too) and an MQL list with a separate
 * closed-deals tab. The sidebar builds them without hand-mapping; the KPI tree's numbers are
 * checked against a computation done here from the rows, the stages the data cannot support read
 * "no data", and the sidebar shows the build's checks. Screenshots go to test-artifacts/.
 */
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { MAVEN_HEADERS } from '../fixtures/crm';
import { odooMixedLeads } from '../fixtures/shapes';
import { ARTIFACTS, launch, openPreview, overflowing, settled } from '../helpers/chromium';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** A small deterministic PRNG (mulberry32), so every run sees the same export. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const DAY = 86_400_000;
const iso = (t: number) => new Date(t).toISOString().slice(0, 10);

/** The window the sidebar should propose: the 12 calendar months up to the latest date. */
function lastTwelveMonths(dates: string[]): { from: string; to: string } {
  const latest = dates.reduce((a, b) => (b > a ? b : a));
  const [y, m] = latest.split('-').map(Number);
  return { from: iso(Date.UTC(y, m - 12, 1)), to: iso(Date.UTC(y, m, 0)) };
}

interface Opportunity {
  id: string;
  stage: 'Prospecting' | 'Engaging' | 'Won' | 'Lost';
  engage: string;
  close: string;
  value: number | '';
}

/** A CRM opportunity export (Kaggle's "CRM Sales Opportunities" shape): ISO text dates. */
function opportunityExport(n = 300) {
  const rnd = random(42);
  const start = Date.UTC(2016, 9, 20);
  const span = (Date.UTC(2017, 11, 31) - start) / DAY;
  const deals: Opportunity[] = [];
  for (let i = 0; i < n; i++) {
    // The first and last rows pin the data's range (2016-10-20 … 2017-12-31) and are open.
    const pinned = i === 0 || i === n - 1;
    const stage = pinned
      ? 'Engaging'
      : (['Prospecting', 'Engaging', 'Won', 'Lost', 'Won', 'Lost'] as const)[Math.floor(rnd() * 6)];
    const engageDay =
      i === 0 ? start : i === n - 1 ? start + span * DAY : start + Math.floor(rnd() * span) * DAY;
    const closed = stage === 'Won' || stage === 'Lost';
    deals.push({
      id: `OPP${String(i + 1).padStart(4, '0')}`,
      stage,
      // Prospecting deals are not engaged yet: no date at all, as in the real export.
      engage: stage === 'Prospecting' ? '' : iso(engageDay),
      close: closed ? iso(engageDay + Math.floor(rnd() * 120) * DAY) : '',
      value: closed ? (stage === 'Won' ? 500 + Math.floor(rnd() * 5000) : 0) : '',
    });
  }
  const rows: unknown[][] = [
    [...MAVEN_HEADERS],
    ...deals.map((d, i) => [
      d.id,
      ['Moses Frase', 'Darcel Schlecht', 'Zane Levy', 'Anna Snelling'][i % 4],
      ['GTX Pro', 'MG Special', 'GTXPlus Basic'][i % 3],
      ['Acme Corporation', 'Betasoloin', 'Cancity', 'Dalttechnology', 'Funholding'][i % 5],
      d.stage,
      d.engage,
      d.close,
      d.value,
    ]),
  ];
  return { rows, deals };
}

/** An MQL list (Olist's marketing funnel shape) and its closed deals, joined by mql_id. */
function mqlsAndClosedDeals(n = 400) {
  const rnd = random(7);
  const start = Date.UTC(2017, 5, 14);
  const mqls: { id: string; contact: string }[] = [];
  const won: { id: string; won: string }[] = [];
  for (let i = 0; i < n; i++) {
    const day = start + Math.floor(rnd() * 350) * DAY;
    const id = `mql${(i * 7919).toString(16).padStart(6, '0')}`;
    mqls.push({ id, contact: iso(day) });
    if (rnd() < 0.2) {
      const t = day + Math.floor(rnd() * 200) * DAY + Math.floor(rnd() * DAY);
      won.push({ id, won: new Date(t).toISOString().slice(0, 19).replace('T', ' ') });
    }
  }
  const origins = ['organic_search', 'paid_search', 'social', 'direct_traffic', 'email'];
  return {
    mqls,
    won,
    sheets: [
      {
        name: 'mqls',
        rows: [
          ['mql_id', 'first_contact_date', 'origin'],
          ...mqls.map((m, i) => [m.id, m.contact, origins[i % origins.length]]),
        ],
      },
      {
        name: 'closed_deals',
        rows: [
          ['mql_id', 'won_date', 'sdr_id', 'sr_id'],
          ...won.map((w, i) => [w.id, w.won, `sdr${i % 6}`, `sr${i % 4}`]),
        ],
      },
    ],
  };
}

type Lang = 'en' | 'ja';

const TREE = {
  en: {
    sheet: 'KPI tree',
    actual: 'Actual',
    revenue: 'Revenue (KGI)',
    won: 'Won deals',
    deals: 'Deals',
    winRate: 'Win rate',
    closedWinRate: 'Win rate of closed deals: won ÷ (won + lost)',
    dealRate: 'Deal rate (MQL → deal)',
    mql: 'MQL',
    targetLeads: 'Target leads',
    leads: 'Leads',
    noData: 'no data',
  },
  ja: {
    sheet: 'KPIツリー',
    actual: '実績',
    revenue: '売上（KGI）',
    won: '受注数',
    deals: '商談数',
    winRate: '受注率',
    closedWinRate: '受注率（決着分: 受注÷(受注+失注)）',
    dealRate: '商談化率（MQL→商談）',
    mql: 'MQL',
    targetLeads: 'ターゲットリード',
    leads: 'リード',
    noData: 'データなし',
  },
};

/** The actual value of a node of the generated tree (its label in D, G or J; actual two rows down). */
function actualOf(values: unknown[][], lang: Lang, label: string): unknown {
  for (let r = 0; r + 2 < values.length; r++) {
    for (const c of [3, 6, 9]) {
      if (values[r][c] === label && values[r + 2][c] === TREE[lang].actual)
        return values[r + 2][c + 1];
    }
  }
  throw new Error(`no node "${label}" in the tree`);
}

/** Screenshots of the page (showing the KPI tree) and of the whole sidebar frame. */
async function shoot(page: Page, sidebar: Frame, lang: Lang, name: string): Promise<void> {
  await sidebar.click(`#links a >> text=${TREE[lang].sheet}`);
  await page.waitForFunction(
    (tree) => document.querySelector('#tabs button.active')?.textContent === tree,
    TREE[lang].sheet,
  );
  await page.waitForSelector('#grid td');
  await page.screenshot({ path: join(ARTIFACTS, `${name}-page.png`) });
  await page.locator('iframe#sidebar').screenshot({ path: join(ARTIFACTS, `${name}-sidebar.png`) });
}

async function build(sidebar: Frame): Promise<string[]> {
  await sidebar.click('#build');
  await sidebar.waitForSelector('#links li a', { timeout: 60_000 });
  return sidebar.locator('#check-list li').allTextContents();
}

const LOCALES: [string, Lang][] = [
  ['en_US', 'en'],
  ['ja_JP', 'ja'],
];

describe.each(LOCALES)('real CRM exports in the sidebar (%s)', (locale, lang) => {
  const T = TREE[lang];

  it('builds an opportunity export without hand-mapping: won and win rates from the rows', async () => {
    const { rows, deals } = opportunityExport();
    const rt = new LocalRuntime({ locale });
    rt.loadSheets([{ name: 'sales_pipeline', rows }]);
    // A tall page, so that the sidebar frame's screenshot holds the whole sidebar.
    const { preview, page, sidebar } = await openPreview(browser, rt, { height: 2600 });
    try {
      // Detected: rows are deals, the stage column with its values, the closing date.
      expect(await sidebar.inputValue('#source')).toBe('sales_pipeline');
      expect(await sidebar.inputValue('#rows-are')).toBe('deal');
      expect(await sidebar.inputValue('#map-status')).toBe('4');
      expect(await sidebar.inputValue('#map-created')).toBe('5');
      expect(await sidebar.inputValue('#map-closeDate')).toBe('6');
      expect(await sidebar.inputValue('#map-amount')).toBe('7');
      expect(await sidebar.textContent('#map-reason-closeDate')).toContain('close_date');
      expect(await sidebar.textContent('#notes')).toContain('close_date');
      const stages = await sidebar.$$eval('#statuses select', (ss) =>
        Object.fromEntries(
          (ss as HTMLSelectElement[]).map((s) => [s.dataset.value as string, s.value]),
        ),
      );
      expect(stages).toEqual({ Won: 'won', Lost: 'lost', Engaging: 'sql', Prospecting: 'sql' });
      // The window follows the data: the 12 months up to the latest engage date.
      const window = lastTwelveMonths(deals.map((d) => d.engage).filter(Boolean));
      expect(window).toEqual({ from: '2017-01-01', to: '2017-12-31' });
      expect(await sidebar.inputValue('#from')).toBe(window.from);
      expect(await sidebar.inputValue('#to')).toBe(window.to);
      expect(await sidebar.textContent('#data-range')).toContain('2016-10-20 … 2017-12-31');
      expect(await overflowing(sidebar)).toEqual([]);

      const checks = await build(sidebar);

      // What the tree must say, computed here from the rows.
      const inWindow = (d: string) => d !== '' && d >= window.from && d <= window.to;
      const engaged = deals.filter((d) => inWindow(d.engage)).length;
      const wonDeals = deals.filter((d) => d.stage === 'Won' && inWindow(d.close));
      const won = wonDeals.length;
      const lost = deals.filter((d) => d.stage === 'Lost' && inWindow(d.close)).length;
      const revenue = wonDeals.reduce((s, d) => s + Number(d.value), 0);
      // Lost deals carry a close date too: it must not count them as won.
      expect(deals.filter((d) => d.close && inWindow(d.close)).length).toBeGreaterThan(won);
      const tree = rt.values(T.sheet);
      expect(actualOf(tree, lang, T.won)).toBe(won);
      expect(actualOf(tree, lang, T.revenue)).toBe(revenue);
      expect(actualOf(tree, lang, T.deals)).toBe(engaged);
      expect(actualOf(tree, lang, T.winRate) as number).toBeCloseTo(won / engaged, 10);
      expect(actualOf(tree, lang, T.closedWinRate) as number).toBeCloseTo(won / (won + lost), 10);
      // The revenue target was left blank: the plan is the window's revenue ÷ 12 months, said so
      // (not a made-up target that would make the whole report a miss).
      expect(await sidebar.inputValue('#revenue-target')).toBe('');
      expect(tree[6][1] as number).toBeCloseTo(revenue / 12, 6);
      expect(tree[6][2]).toBe(lang === 'en' ? '= window actual' : '＝期間の実績');
      // An opportunity export holds no leads and no MQLs: "no data", never 0.
      for (const label of [T.mql, T.targetLeads, T.leads, T.dealRate])
        expect(actualOf(tree, lang, label), label).toBe(T.noData);
      // The sidebar says so before the tree is opened.
      expect(checks.join('\n')).toContain(
        lang === 'en'
          ? 'Leads, target leads, MQL: no data'
          : 'リード・ターゲットリード・MQL: データなし',
      );
      const saved = rt.call<{ rowsAre: string; statusMap: Record<string, string> }>(
        'kpiLoadSettings',
      );
      expect(saved.rowsAre).toBe('deal');
      expect(saved.statusMap).toEqual(stages);
      expect(await overflowing(sidebar)).toEqual([]);
      await shoot(page, sidebar, lang, `crm-opportunities-${lang}`);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);

  it('builds an MQL list with its closed-deals tab: only the deals tab is chosen', async () => {
    const data = mqlsAndClosedDeals();
    const rt = new LocalRuntime({ locale });
    rt.loadSheets(data.sheets);
    const { preview, page, sidebar } = await openPreview(browser, rt, { height: 2600 });
    try {
      expect(await sidebar.inputValue('#source')).toBe('mqls');
      expect(await sidebar.inputValue('#rows-are')).toBe('mql');
      // The tab of won deals (a won date on every row) is proposed as the deals tab.
      expect(await sidebar.inputValue('#deals-source')).toBe('closed_deals');
      expect(await sidebar.locator('#deals-source option').allTextContents()).toEqual([
        lang === 'en' ? '(none)' : '（なし）',
        'closed_deals',
      ]);
      await sidebar.waitForSelector('#deal-map-wonDate');
      await settled(sidebar);
      expect(await sidebar.inputValue('#deal-map-wonDate')).toBe('1');
      expect(await sidebar.inputValue('#deal-map-created')).toBe('');
      const n = data.won.length;
      const join = await sidebar.locator('#deal-notes li').first().textContent();
      expect(join).toContain('mql_id');
      expect(join).toContain(lang === 'en' ? `${n} of ${n} deals` : `${n}件中${n}件`);

      const checks = await build(sidebar);

      const window = lastTwelveMonths(data.mqls.map((m) => m.contact));
      const inWindow = (d: string) => d >= window.from && d <= window.to;
      const mql = data.mqls.filter((m) => inWindow(m.contact)).length;
      const won = data.won.filter((w) => inWindow(w.won.slice(0, 10))).length;
      expect(won).toBeGreaterThan(0);
      const tree = rt.values(T.sheet);
      expect(actualOf(tree, lang, T.mql)).toBe(mql);
      expect(actualOf(tree, lang, T.won)).toBe(won);
      // No deal dates, no lost deals, no leads before MQL: none of these can be shown.
      for (const label of [T.deals, T.winRate, T.closedWinRate, T.dealRate, T.leads, T.targetLeads])
        expect(actualOf(tree, lang, label), label).toBe(T.noData);
      const text = checks.join('\n');
      if (lang === 'en') {
        expect(text).toMatch(/Deals: no data \(.+\); won is measured/);
        expect(text).toContain('Leads, target leads: no data (each row of this tab is an MQL)');
      } else {
        expect(text).toMatch(/ステージ「商談」: データなし（.+）。受注は計測されています/);
        expect(text).toContain('リード・ターゲットリード: データなし（このタブの1行はMQLです）');
      }
      const saved = rt.call<{ deals: Record<string, unknown> }>('kpiLoadSettings');
      expect(saved.deals).toMatchObject({
        sheet: 'closed_deals',
        headerRow: 1,
        mapping: { wonDate: 1 },
        joinBy: 'id',
        leadKey: 0,
        dealKey: 0,
      });
      expect(await overflowing(sidebar)).toEqual([]);
      await shoot(page, sidebar, lang, `crm-mql-deals-${lang}`);

      // Opened again, the sidebar restores the deals tab, its mapping and the window.
      await page.reload();
      const frame = (await (await page.waitForSelector('iframe#sidebar')).contentFrame()) as Frame;
      await frame.waitForSelector('#deal-map-wonDate');
      await settled(frame);
      expect(await frame.inputValue('#deals-source')).toBe('closed_deals');
      expect(await frame.inputValue('#deal-map-wonDate')).toBe('1');
      expect(await frame.inputValue('#rows-are')).toBe('mql');
      expect(await frame.inputValue('#from')).toBe(window.from);
      expect(await frame.inputValue('#to')).toBe(window.to);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);
});

describe('choices by hand in the sidebar', () => {
  it('warns when the chosen tab looks like an activity log, naming the likelier lead list', async () => {
    const rt = new LocalRuntime({ locale: 'en_US' });
    const companies = ['Acme Corporation', 'Betasoloin', 'Cancity', 'Dalttechnology', 'Funholding'];
    rt.loadSheets([
      {
        name: 'Activity log',
        rows: [
          ['Date', 'Company', 'Type'],
          ...Array.from({ length: 60 }, (_, i) => [
            `2025-0${1 + (i % 9)}-${String(1 + (i % 28)).padStart(2, '0')}`,
            companies[i % companies.length],
            ['Call', 'Email', 'Meeting'][i % 3],
          ]),
        ],
      },
      {
        name: 'Leads',
        rows: [
          ['Created', 'Company', 'Status'],
          ...companies.map((c, i) => [`2025-0${1 + i}-01`, c, ['New', 'MQL', 'Won'][i % 3]]),
        ],
      },
    ]);
    const { preview, page, sidebar } = await openPreview(browser, rt);
    try {
      if ((await sidebar.inputValue('#source')) !== 'Activity log') {
        await sidebar.selectOption('#source', 'Activity log');
        await sidebar.waitForSelector('#warnings li');
        await settled(sidebar);
      }
      const warning = await sidebar.textContent('#warnings');
      expect(warning).toContain('activity log');
      expect(warning).toContain('"Leads"');
      expect(await sidebar.getAttribute('#warnings', 'class')).toBe('warnings');
      expect(await overflowing(sidebar)).toEqual([]);
      await page
        .locator('iframe#sidebar')
        .screenshot({ path: join(ARTIFACTS, 'crm-activity-log-sidebar.png') });
      // The lead list it names: no warning there.
      await sidebar.selectOption('#source', 'Leads');
      await sidebar.waitForSelector('#warnings', { state: 'hidden' });
      await settled(sidebar);
      expect(await sidebar.locator('#warnings li').count()).toBe(0);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);

  it('lists the deals tab status values with the lead tab ones: one map, counts added', async () => {
    const rt = new LocalRuntime({ locale: 'en_US' });
    const leads = [
      ['Lead ID', 'Created', 'Company', 'Status'],
      ...['New', 'New', 'New', 'New', 'New', 'MQL', 'MQL', 'MQL', 'Won', 'Won'].map((st, i) => [
        `L${i + 1}`,
        `2025-0${1 + (i % 6)}-1${i % 10}`,
        `Company ${i + 1}`,
        st,
      ]),
    ];
    const deals = [
      ['Deal ID', 'Lead ID', 'Deal created', 'Status', 'Won time', 'Lost time', 'Value'],
      ['D1', 'L6', '2025-03-01', 'Open', '', '', ''],
      ['D2', 'L7', '2025-03-02', 'Open', '', '', ''],
      ['D3', 'L8', '2025-03-03', 'Lost', '', '2025-04-03', ''],
      ['D4', 'L9', '2025-03-04', 'Won', '2025-04-04', '', 1200],
      ['D5', 'L10', '2025-03-05', 'Won', '2025-04-05', '', 800],
      ['D6', 'L1', '2025-03-06', 'Won', '2025-04-06', '', 500],
    ];
    rt.loadSheets([
      { name: 'Leads', rows: leads },
      { name: 'Deals', rows: deals },
    ]);
    const { preview, page, sidebar } = await openPreview(browser, rt);
    try {
      const labels = () => sidebar.locator('#statuses label > span').allTextContents();
      // The lead tab and the deals tab are proposed from their rows (the deals tab names more
      // fields, yet its rows are deals): one list of both tabs' values from the start.
      expect(await sidebar.inputValue('#source')).toBe('Leads');
      expect(await sidebar.inputValue('#deals-source')).toBe('Deals');
      await sidebar.waitForSelector('#deal-map-status');
      await settled(sidebar);
      expect(await sidebar.inputValue('#deal-map-status')).toBe('3');
      expect(await labels()).toEqual(['New (5)', 'Won (5)', 'MQL (3)', 'Open (2)', 'Lost (1)']);
      // A stage chosen by hand survives the next re-inspection.
      await sidebar.selectOption('#statuses select[data-value="Open"]', 'sal');
      await sidebar.selectOption('#deal-map-amount', '');
      await sidebar.waitForFunction(() => !document.querySelector('#deal-map-reason-amount'));
      await settled(sidebar);
      expect(await sidebar.inputValue('#statuses select[data-value="Open"]')).toBe('sal');
      expect(await overflowing(sidebar)).toEqual([]);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);

  it('a tab of leads and opportunities: the record type and the active flag shown, and changeable', async () => {
    const fx = odooMixedLeads({ rows: 300 });
    const rt = new LocalRuntime({ locale: fx.locale, timeZone: 'Asia/Tokyo' });
    rt.loadSheets(fx.tabs);
    const { preview, page, sidebar } = await openPreview(browser, rt, { height: 1600 });
    try {
      const header = fx.tabs[0].rows[0];
      expect(await sidebar.inputValue('#map-kind')).toBe(String(header.indexOf('Type')));
      expect(await sidebar.inputValue('#map-active')).toBe(String(header.indexOf('Active')));
      expect(await sidebar.textContent('#map-reason-kind')).toContain('"Type"');
      // The record type's values are listed with the statuses: Opportunity means a deal.
      expect(await sidebar.inputValue('#statuses select[data-value="Opportunity"]')).toBe('sql');
      // The money: the data says nothing of a currency (Odoo's plain numbers), so the locale's $ —
      // unless the user says the amounts are in pounds.
      await sidebar.selectOption('#currency', 'GBP');
      await build(sidebar);
      const tree = rt.values('KPI tree');
      const at = tree.findIndex((r) => r[3] === 'Revenue (KGI)');
      const format = rt.spreadsheet
        .getSheetByName('KPI tree')
        ?.getRange(at + 3, 5)
        .getNumberFormats()[0][0];
      expect(String(format)).toContain('£');
      // Not a record type after all: the user clears it, and the list follows.
      await sidebar.selectOption('#map-kind', '');
      await sidebar.waitForFunction(
        () => !document.querySelector('#statuses select[data-value="Opportunity"]'),
      );
      await settled(sidebar);
      expect(await overflowing(sidebar)).toEqual([]);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);

  it('lists the status values of a status column chosen by hand; the window follows the created column', async () => {
    const { rows } = opportunityExport(120);
    const rt = new LocalRuntime({ locale: 'en_US' });
    rt.loadSheets([{ name: 'sales_pipeline', rows }]);
    const { preview, page, sidebar } = await openPreview(browser, rt);
    try {
      const statusCount = () => sidebar.locator('#statuses select').count();
      expect(await statusCount()).toBe(4);
      await sidebar.selectOption('#map-status', '');
      await sidebar.waitForSelector('#statuses p.hint');
      expect(await statusCount()).toBe(0);
      // The bug this guards: a status column chosen by hand used to leave the list empty.
      await sidebar.selectOption('#map-status', '4');
      await sidebar.waitForFunction(() => document.querySelectorAll('#statuses select').length > 0);
      await settled(sidebar);
      expect(await statusCount()).toBe(4);
      expect(await sidebar.textContent('#map-reason-status')).toContain('deal_stage');

      // Another created column: the window and the data range follow it.
      const before = await sidebar.inputValue('#to');
      await sidebar.selectOption('#map-created', '6');
      await sidebar.waitForFunction(
        (b) => (document.querySelector('#to') as HTMLInputElement).value !== b,
        before,
      );
      await settled(sidebar);
      expect(await sidebar.textContent('#map-reason-created')).toContain('chosen by you');
      expect(await sidebar.textContent('#data-range')).toMatch(/^Data: \d{4}-\d\d-\d\d … 2018-/);
      expect(await sidebar.inputValue('#to')).toMatch(/^2018-/);

      // Rows are leads after all: the sidebar re-reads the tab and says so.
      await sidebar.selectOption('#rows-are', 'lead');
      await sidebar.waitForFunction(() =>
        document.querySelector('#notes li')?.textContent?.startsWith('Each row is a lead'),
      );
      await settled(sidebar);
      expect(await sidebar.inputValue('#rows-are')).toBe('lead');
      expect(await statusCount()).toBe(4);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);
});
