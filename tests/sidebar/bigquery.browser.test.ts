/**
 * The BigQuery edition's sidebar in Chromium (issue #25): a generated lead table in the local
 * BigQuery (a parquet file, DuckDB), typed into the Source step as a user does — billing project
 * and table — read, built and refreshed.
 *
 * EN: `npm start -- --leads leads.parquet` as a user runs it (scripts/preview.ts in its own
 * process, the project and table it prints typed in; a wrong table id first). JA: the preview in
 * this process (the runtime's saved settings checked), then opened again: the table is restored
 * and read. And the Sheets-only edition's sidebar has no BigQuery field at all.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalBigQuery, localBigQuery } from '../../local/bigquery';
import { generateLeads } from '../../local/leads';
import { startPreview } from '../../local/preview';
import { DIST_BIGQUERY, LocalRuntime } from '../../local/runtime';
import type { KpiSettings } from '../../src/core/settings';
import { ARTIFACTS, fontsLoaded, launch, openPreview, overflowing } from '../helpers/chromium';
import { treeActual } from '../helpers/managers-path';

const ROOT = join(import.meta.dirname, '../..');
let browser: Browser;
let dir: string;
let file: string;
const engines: LocalBigQuery[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-bq-sidebar-'));
  file = join(dir, 'crm-leads.parquet');
  [browser] = await Promise.all([
    launch(),
    generateLeads({ rows: 3000, out: file, seed: 7 }).then(() => undefined),
  ]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  for (const e of engines) e.close();
  rmSync(dir, { recursive: true, force: true });
});

/** scripts/preview.ts on a free port: its URL, and the project and table it says to type. */
function startScript(
  args: string[],
): Promise<{ url: string; project: string; table: string; child: ChildProcess }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'scripts/preview.ts'), '--port', '0', ...args],
    { cwd: ROOT, env: { ...process.env, TZ: 'UTC' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    const seen = () => {
      const url = /local preview: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(out)?.[1];
      const typed = /Billing project: (\S+)\s+Table: (\S+)/.exec(out);
      if (url && typed) resolve({ url, project: typed[1], table: typed[2], child });
    };
    child.stdout?.on('data', (chunk) => {
      out += String(chunk);
      seen();
    });
    child.stderr?.on('data', (chunk) => {
      out += String(chunk);
    });
    child.on('exit', (code) => reject(new Error(`preview exited (${code}): ${out}`)));
  });
}

/** The page at `url`, its sidebar loaded (a BigQuery source with nothing typed reads nothing). */
async function openSidebar(url: string): Promise<{ page: Page; sidebar: Frame }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
  await page.goto(url);
  const sidebar = (await (await page.waitForSelector('iframe#sidebar')).contentFrame()) as Frame;
  await sidebar.waitForSelector('#build');
  return { page, sidebar };
}

const idle = (sidebar: Frame) =>
  sidebar.waitForFunction(() => document.body.dataset.busy === undefined);

/** Types the project and table, reads (the button, or Enter in the table field). */
async function readTable(sidebar: Frame, project: string, table: string, enter = false) {
  await sidebar.fill('#bq-project', project);
  await sidebar.fill('#bq-table', table);
  if (enter) await sidebar.press('#bq-table', 'Enter');
  else await sidebar.click('#bq-read');
  await idle(sidebar);
}

/** Build, then Refresh: the refresh message as shown. */
async function buildAndRefresh(sidebar: Frame): Promise<string> {
  await sidebar.click('#build');
  await sidebar.waitForSelector('#links li a', { timeout: 60_000 });
  await sidebar.click('#bq-refresh');
  await sidebar.waitForSelector('#bq-refresh-status:is(.ok, .warning, .error)');
  return (await sidebar.textContent('#bq-refresh-status')) ?? '';
}

describe('the BigQuery source in the sidebar (the BigQuery edition)', () => {
  it('npm start -- --leads leads.parquet (EN): a wrong table id says why; the right one reads, builds and refreshes', async () => {
    const { url, project, table, child } = await startScript([
      '--leads',
      file,
      '--locale',
      'en_US',
    ]);
    try {
      expect([project, table]).toEqual(['local-preview', 'local-preview.leads.crm_leads']);
      const { page, sidebar } = await openSidebar(url);
      expect(await sidebar.evaluate(() => document.documentElement.dataset.edition)).toBe(
        'bigquery',
      );
      // Nothing in the spreadsheet looks like leads: the sidebar opens on the BigQuery source.
      expect(await sidebar.inputValue('#source-kind')).toBe('bigquery');
      expect(await sidebar.getAttribute('#bq-table', 'placeholder')).toBe('my-project.crm.leads');
      // The build reads one table: no deals tab, no optional tabs, and a note saying so.
      for (const id of ['#source', '#deals-source', '#extra-customers', '#extra-costTab'])
        expect(await sidebar.isVisible(id), id).toBe(false);
      expect(await sidebar.textContent('#bq-note')).toContain('reads this one table');

      await readTable(sidebar, project, 'local-preview.leads');
      expect(await sidebar.getAttribute('#bq-status', 'class')).toBe('error');
      expect(await sidebar.textContent('#bq-status')).toMatch(
        /^Could not read the table: "local-preview\.leads" is not a BigQuery table .*project\.dataset\.table/,
      );
      // Build without a table read says so.
      await sidebar.click('#build');
      await sidebar.waitForSelector('#status.error');
      expect(await sidebar.textContent('#status')).toContain('Read a table first');

      await readTable(sidebar, project, table);
      expect(await sidebar.textContent('#bq-status')).toBe('');
      expect(await sidebar.textContent('#row-count')).toMatch(/^Columns detected on [\d,]+ sample/);
      // The columns as for a tab (the schema's names), nothing wider than the sidebar.
      expect(
        await sidebar.$eval(
          '#map-created',
          (s) => (s as HTMLSelectElement).selectedOptions[0]?.textContent,
        ),
      ).toBe('created_at');
      expect(await overflowing(sidebar)).toEqual([]);

      expect(await buildAndRefresh(sidebar)).toBe('Refreshed 3 BigQuery extracts.');
      expect(await sidebar.textContent('#status')).toBe('Built.');
      // The KPI tree as the preview shows it: the Leads node's actual is a number.
      const token = /<meta name="kpi-token" content="([0-9a-f]+)">/.exec(
        await (await fetch(url)).text(),
      )?.[1];
      const res = await fetch(`${url}api/sheet?name=${encodeURIComponent('KPI tree')}`, {
        headers: { 'x-kpi-token': token ?? '' },
      });
      expect(res.status).toBe(200);
      const { values } = (await res.json()) as { values: string[][] };
      const r = values.findIndex((row) => row[3] === 'Leads');
      expect(values[r + 2][3]).toBe('Actual');
      expect(Number(values[r + 2][4].replace(/,/g, ''))).toBeGreaterThan(0);
      await fontsLoaded(sidebar);
      await page.screenshot({ path: join(ARTIFACTS, 'sidebar-bigquery-en.png') });
      await page.close();
    } finally {
      child.kill();
    }
  }, 60_000);

  it('JA: reads with Enter, builds from the table, refreshes; opened again, the table is restored and read', async () => {
    const engine = localBigQuery();
    engines.push(engine);
    const TABLE = 'kpi-demo.crm.leads';
    engine.addTable(TABLE, file);
    const rt = new LocalRuntime({
      timeZone: 'Asia/Tokyo',
      locale: 'ja_JP',
      distDir: DIST_BIGQUERY,
      bigQuery: engine,
    });
    rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
    const preview = await startPreview(rt);
    try {
      const { page, sidebar } = await openSidebar(preview.url);
      expect(await sidebar.textContent('#columns')).toBe(
        '先にテーブルを読み込んでください（1. データ）。',
      );
      await readTable(sidebar, 'kpi-demo', TABLE, true);
      expect(await sidebar.textContent('#row-count')).toMatch(/^サンプル [\d,]+ 行から列を判定/);
      expect(await buildAndRefresh(sidebar)).toBe('BigQuery の抽出 3 件を更新しました。');
      expect(await sidebar.textContent('#status')).toBe('作成しました。');
      const leads = treeActual(rt, 'KPIツリー', 'リード');
      expect(typeof leads).toBe('number');
      expect(leads as number).toBeGreaterThan(0);
      // What Build sent: the table as the source, its id as the lead "sheet", nothing else read.
      const saved = rt.call<KpiSettings>('kpiLoadSettings');
      expect(saved.bigquery?.project).toBe('kpi-demo');
      expect(saved.bigquery?.table).toBe(TABLE);
      expect(saved.leadSheet).toBe(TABLE);
      expect(saved.deals).toBeUndefined();
      expect(saved.customers).toBeUndefined();

      // Opened again: the saved table is the source, read on opening, Refresh offered.
      await page.reload();
      const again = (await (await page.waitForSelector('iframe#sidebar')).contentFrame()) as Frame;
      await again.waitForSelector('#columns select');
      await idle(again);
      expect(await again.inputValue('#source-kind')).toBe('bigquery');
      expect(await again.inputValue('#bq-project')).toBe('kpi-demo');
      expect(await again.inputValue('#bq-table')).toBe(TABLE);
      expect(await again.isVisible('#bq-refresh')).toBe(true);
      await fontsLoaded(again);
      await page.screenshot({ path: join(ARTIFACTS, 'sidebar-bigquery-ja.png') });
      await page.close();
    } finally {
      await preview.close();
    }
  }, 60_000);

  it('the Sheets-only edition shows no BigQuery field', async () => {
    const rt = new LocalRuntime({ locale: 'en_US' });
    // A small lead tab: the Source step is what is looked at.
    rt.loadSheets([
      {
        name: 'Leads',
        rows: [
          ['Created', 'Company', 'Status'],
          ...Array.from({ length: 20 }, (_, i) => [
            `2025-0${1 + (i % 9)}-1${i % 10}`,
            `Company ${i}`,
            i % 3 === 0 ? 'Won' : 'Open',
          ]),
        ],
        parse: 'user-entered' as const,
      },
    ]);
    const { preview, page, sidebar } = await openPreview(browser, rt);
    try {
      expect(await sidebar.evaluate(() => document.documentElement.dataset.edition)).toBe('sheets');
      for (const id of ['#source-kind', '#bq-project', '#bq-table', '#bq-read', '#bq-refresh'])
        expect(await sidebar.locator(id).count(), id).toBe(0);
      expect(await sidebar.evaluate(() => document.body.innerText)).not.toContain('BigQuery');
      expect(await sidebar.isVisible('#source')).toBe(true);
    } finally {
      await page.close();
      await preview.close();
    }
  });
});
