/**
 * `npm start -- --leads export.csv [--deals deals.csv] --locale …` as a user runs it: the preview
 * script in its own process on CSV files written from the CRM fixtures, Chromium on its page,
 * Build pressed with nothing else touched (the deals tab is the one choice), and the KPI tree read
 * back through the preview's own sheet view — compared with the fixture's ground truth.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type CrmFixture,
  defaultWindow,
  expectedTotals,
  olistFunnel,
  salesforceOpportunities,
} from '../fixtures/crm';
import { ARTIFACTS, launch, settled } from '../helpers/chromium';

const ROOT = join(import.meta.dirname, '../..');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/** Starts scripts/preview.ts on a free port; resolves with its URL once it listens. */
function startScript(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/preview.ts'), '--port', '0', ...args],
    { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      const m = /local preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out);
      if (m) resolve({ url: m[1], child });
    });
    child.stderr?.on('data', (chunk) => {
      out += String(chunk);
    });
    child.on('exit', (code) => reject(new Error(`preview exited (${code}): ${out}`)));
  });
}

function csvFiles(fx: CrmFixture): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-start-'));
  return Object.entries(fx.csv).map(([name, text]) => {
    const file = join(dir, `${name}.csv`);
    writeFileSync(file, text);
    return file;
  });
}

/** The tree's actual values as the preview shows them (formatted text → number or text). */
async function treeActuals(url: string): Promise<Map<string, number | string>> {
  // The preview answers /api/* only with the per-run token its own page carries.
  const page = await (await fetch(url)).text();
  const token = /<meta name="kpi-token" content="([0-9a-f]+)">/.exec(page)?.[1] ?? '';
  const res = await fetch(`${url}api/sheet?name=${encodeURIComponent('KPI tree')}`, {
    headers: { 'x-kpi-token': token },
  });
  expect(res.status).toBe(200);
  const { values } = (await res.json()) as { values: string[][] };
  const out = new Map<string, number | string>();
  for (let r = 0; r + 2 < values.length; r++) {
    for (const c of [3, 6, 9]) {
      if (!values[r][c] || values[r + 2][c] !== 'Actual') continue;
      const shown = values[r + 2][c + 1];
      // Money shows its currency ($23,951,250): the number is the digits.
      const n = Number(shown.replace(/[^\d.-]/g, ''));
      const numeric = /\d/.test(shown) && !shown.endsWith('%') && Number.isFinite(n);
      out.set(values[r][c], numeric ? n : shown);
    }
  }
  return out;
}

async function press(
  url: string,
  name: string,
  dealsTab?: string,
): Promise<Map<string, number | string>> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  try {
    await page.goto(url);
    const sidebar = (await (await page.waitForSelector('iframe#sidebar')).contentFrame()) as Frame;
    await settled(sidebar);
    if (dealsTab) {
      await sidebar.selectOption('#deals-source', dealsTab);
      await sidebar.waitForSelector('#deal-map-wonDate');
      await settled(sidebar);
    }
    await sidebar.click('#build');
    await sidebar.waitForSelector('#links li a', { timeout: 60_000 });
    await page.waitForSelector('#grid td');
    await page.screenshot({ path: join(ARTIFACTS, `npm-start-${name}.png`) });
    return await treeActuals(url);
  } finally {
    await page.close();
  }
}

describe('npm start on a CRM export', () => {
  it('--leads: a Salesforce opportunities report (US dates), built untouched', async () => {
    const fx = salesforceOpportunities();
    const [file] = csvFiles(fx);
    const { url, child } = await startScript(['--leads', file, '--locale', 'en_US']);
    try {
      const tree = await press(url, 'salesforce');
      const win = defaultWindow(fx);
      const truth = expectedTotals(fx, win.fromDay, win.toDay);
      expect(tree.get('Won deals')).toBe(truth.won);
      expect(tree.get('Deals')).toBe(truth.deals);
      expect(tree.get('Revenue (KGI)')).toBe(truth.revenue);
      expect(tree.get('Leads')).toBe('no data');
      expect(tree.get('MQL')).toBe('no data');
      // Rates as the preview formats them (one decimal of a percent).
      const closed = ((100 * (truth.won ?? 0)) / ((truth.won ?? 0) + (truth.lost ?? 0))).toFixed(1);
      expect(tree.get('Win rate of closed deals: won ÷ (won + lost)')).toBe(`${closed}%`);
    } finally {
      child.kill();
    }
  }, 120_000);

  it('--leads mqls.csv --deals closed_deals.csv: two files joined by mql_id', async () => {
    const fx = olistFunnel();
    const [mqls, deals] = csvFiles(fx);
    const { url, child } = await startScript([
      '--leads',
      mqls,
      '--deals',
      deals,
      '--locale',
      fx.locale,
    ]);
    try {
      const tree = await press(url, 'olist', 'closed_deals');
      const win = defaultWindow(fx);
      const truth = expectedTotals(fx, win.fromDay, win.toDay);
      expect(tree.get('MQL')).toBe(truth.mql);
      expect(tree.get('Won deals')).toBe(truth.won);
      expect(tree.get('Deals')).toBe('no data');
      expect(tree.get('Revenue (KGI)')).toBe('no data');
    } finally {
      child.kill();
    }
  }, 120_000);
});
