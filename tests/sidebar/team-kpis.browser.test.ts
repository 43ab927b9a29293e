/**
 * The team's other KPIs from the sidebar (issue #11): the manager picks the optional tabs
 * (customers, target list, activity log, costs) and types the costs the costs tab lacks, presses
 * Build, and finds the cycle-time, CAC, retention, quadrant and list-coverage sheets — each opened
 * from its tab in the preview and photographed, in Japanese and in English.
 */
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import { SHEET_NAMES } from '../../src/core/sheets/index';
import { ARTIFACTS, clipped, launch, openPreview, overflowing } from '../helpers/chromium';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const NEW_SHEETS = ['cycle-time', 'cac', 'retention', 'quadrants', 'list-coverage'] as const;

describe.each([
  ['ja_JP', 'ja'],
  ['en_US', 'en'],
] as const)('the optional tabs and the new sheets in Chromium (%s)', (locale, lang) => {
  it('picks the tabs, shows their columns, builds, and every new sheet opens with numbers', async () => {
    const rt = new LocalRuntime({ locale });
    rt.loadSheets(sampleWorkbook({ leads: 1500 }));
    const { preview, page, sidebar } = await openPreview(browser, rt, { height: 1400 });
    try {
      const pick = async (kind: string, tab: string) => {
        await sidebar.selectOption(`#extra-${kind}`, tab);
        await sidebar.waitForSelector(`#extra-${kind}-columns select`);
        await sidebar.waitForFunction(() => document.body.dataset.busy === undefined);
      };
      await pick('customers', '顧客');
      await pick('targetList', 'ターゲットリスト');
      await pick('activityLog', 'Activities');
      await pick('costTab', 'コスト');
      // The columns found from the tabs' Japanese headers.
      expect(await sidebar.inputValue('#extra-customers-start')).toBe('1');
      expect(await sidebar.inputValue('#extra-customers-end')).toBe('2');
      expect(await sidebar.inputValue('#extra-customers-company')).toBe('0');
      expect(await sidebar.inputValue('#extra-customers-amount')).toBe('3'); // 月額: LTV
      expect(await sidebar.inputValue('#extra-activityLog-company')).toBe('2');
      expect(await sidebar.inputValue('#extra-costTab-fs')).toBe('3');
      // The costs tab has every division; the typed marketing spend is not used, but is kept.
      await sidebar.fill('#cost-marketing', '2000000');
      expect(await overflowing(sidebar)).toEqual([]);
      expect(await clipped(sidebar)).toEqual([]);
      await page.screenshot({
        path: join(ARTIFACTS, `team-kpis-sidebar-${lang}.png`),
        fullPage: true,
      });

      await sidebar.click('#build');
      await sidebar.waitForSelector('#status.ok, #status.error', { timeout: 120_000 });
      expect(await sidebar.textContent('#status')).not.toMatch(/作成できません|Could not/);
      const links = await sidebar.$$eval('#links a', (as) => as.map((a) => a.textContent));
      // The sheets follow the spreadsheet's language (the sidebar sends it).
      for (const key of NEW_SHEETS) expect(links).toContain(SHEET_NAMES[lang][key]);
      for (const key of NEW_SHEETS) {
        const name = SHEET_NAMES[lang][key];
        await page.evaluate((n) => {
          for (const b of Array.from(document.querySelectorAll('#tabs button')))
            if (b.textContent === n) (b as HTMLButtonElement).click();
        }, name);
        // Rendering a sheet took 30 s once in a full run (both cores busy): a wait, not a timing.
        await page.waitForFunction(
          (n) => (document.querySelector('#grid') as HTMLElement)?.dataset.sheet === n,
          name,
          { timeout: 90_000 },
        );
        const text = await page.$eval('#grid', (g) => g.textContent ?? '');
        expect(text, name).not.toMatch(/#ERROR|#REF|#VALUE|#N\/A|#NAME|#SPILL/);
        await page.screenshot({ path: join(ARTIFACTS, `team-kpis-${key}-${lang}.png`) });
      }
      // The settings were saved with the tabs: a rebuild from the menu keeps the sheets.
      const saved = rt.call<{ customers?: { sheet: string }; costs?: { marketing: number } }>(
        'kpiLoadSettings',
      );
      expect(saved.customers?.sheet).toBe('顧客');
      expect(saved.costs?.marketing).toBe(2_000_000);
    } finally {
      await page.close();
      await preview.close();
    }
  }, 240_000);
});
