/**
 * The real sidebar (dist/sidebar.html) in Debian's Chromium, driven by playwright-core, against
 * the local preview (google.script.run bridged to the local runtime). Screenshots are kept in
 * test-artifacts/.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readXlsx } from '../../local/io';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import {
  ARTIFACTS,
  clipped,
  launch,
  openPreview as open,
  overflowing,
  settled,
} from '../helpers/chromium';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

const openPreview = (rt: LocalRuntime, saveTo?: string) => open(browser, rt, { saveTo });

describe('the sidebar in Chromium', () => {
  it('detects the mapping, takes a changed column, builds and links the generated sheets', async () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook());
    const saved = join(ARTIFACTS, 'preview.xlsx');
    rmSync(saved, { force: true });
    const { preview, page, sidebar } = await openPreview(rt, saved);
    try {
      expect(await sidebar.inputValue('#source')).toBe('Leads');
      expect(await sidebar.textContent('#row-count')).toContain('3,000');
      // Detected from the Japanese headers: 作成日 is column B (index 1), 商談化日 column L (11).
      expect(await sidebar.inputValue('#map-created')).toBe('1');
      expect(await sidebar.inputValue('#map-dealDate')).toBe('11');
      // One mapped field per row, with its first values; dates readable.
      expect(await sidebar.locator('#preview tr').count()).toBeGreaterThanOrEqual(10);
      expect(await sidebar.locator('#preview tr').first().locator('th').textContent()).toBe(
        '作成日',
      );
      expect(await sidebar.locator('#preview tr').first().locator('td').textContent()).toMatch(
        /^\d{4}-\d{2}-\d{2} · \d{4}-\d{2}-\d{2}/,
      );
      expect(await sidebar.textContent('#problems')).toContain('読み取れます');
      // Why each column was taken, and nothing wider than the sidebar's 300 px.
      expect(await sidebar.textContent('#map-reason-created')).toContain('作成日');
      expect(await overflowing(sidebar)).toEqual([]);
      // No text of the sidebar is cut at 300 px (labels, cells, notes, links).
      expect(await clipped(sidebar)).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'sidebar-detected.png') });

      // Change one column: no activities column → the activity sheet counts each row once.
      await sidebar.selectOption('#map-activities', '');
      await sidebar.waitForFunction(
        () => (document.querySelector('#map-activities') as HTMLSelectElement).value === '',
      );
      // IS teams rename SAL/SQL.
      await sidebar.check('#is-stages');
      expect(await sidebar.inputValue('#stage-name-2')).toBe('ISAL');
      await sidebar.click('#build');
      await sidebar.waitForSelector('#links li a', { timeout: 60_000 });
      const settings = rt.call<{ stageNames: string[]; mapping: Record<string, number> }>(
        'kpiLoadSettings',
      );
      // A Japanese sheet: the default names are Japanese; IS teams rename SAL/SQL.
      expect(settings.stageNames).toEqual(['リード', 'MQL', 'ISAL', 'ISQL', '受注']);
      expect(settings.mapping.activities).toBeUndefined();
      // The build was saved as .xlsx, and the file opens with the generated sheets in it.
      const book = await readXlsx(saved);
      expect(book.map((s) => s.name)).toEqual(
        expect.arrayContaining(['Leads', 'KPIツリー', '定義ログ']),
      );
      const links = await sidebar.locator('#links a').allTextContents();
      expect(links).toEqual([
        'KPIツリー',
        'ファネル（輪切り）',
        'コホート（追っかけ）',
        '着地予測',
        '活動量',
        'キャパシティ',
        '見込み精度',
        'サイクルタイム',
        '商談の4象限',
      ]);
      expect(await sidebar.textContent('#status')).toContain('作成しました');
      // After Build the KPI tree is the sheet in front.
      await page.waitForFunction(
        () => document.querySelector('#tabs button.active')?.textContent === 'KPIツリー',
      );
      // The settings went through: the activity formula has no counts argument.
      const activity = rt.spreadsheet.self.getSheetByName('活動量');
      expect(activity?.getRange('A2').getFormula()).toMatch(
        /^=ACTIVITY_AREA\('Leads'!C2:C, , 'Leads'!G2:G\)$/,
      );
      // A link shows its sheet in the preview.
      await sidebar.click('#links a >> text=KPIツリー');
      await page.waitForFunction(
        () => document.querySelector('#tabs button.active')?.textContent === 'KPIツリー',
      );
      await page.waitForSelector('#grid td');
      // Achievement cells carry the conditional colours (green / yellow / red) in the preview too.
      const coloured = await page.$$eval(
        '#grid td',
        (tds) =>
          tds.filter((td) =>
            ['rgb(183, 225, 205)', 'rgb(252, 232, 178)', 'rgb(244, 199, 195)'].includes(
              td.style.background,
            ),
          ).length,
      );
      expect(coloured).toBeGreaterThanOrEqual(10);
      await page.screenshot({ path: join(ARTIFACTS, 'kpi-tree.png'), fullPage: false });
      // Opened again, the sidebar restores its state exactly: the IS box ticked, ISAL / ISQL.
      await page.reload();
      const again = (await (await page.waitForSelector('iframe#sidebar')).contentFrame()) as Frame;
      await again.waitForSelector('#is-stages');
      await again.waitForFunction(() => document.body.dataset.busy === undefined);
      expect(await again.isChecked('#is-stages')).toBe(true);
      expect(await again.inputValue('#stage-name-2')).toBe('ISAL');
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);

  it('shows a clear error and writes nothing when the build cannot run', async () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook({ leads: 200 }));
    const { preview, page, sidebar } = await openPreview(rt);
    try {
      const before = rt.spreadsheet.order.length;
      // Neither a created date nor a won date: nothing dates a lead or a won deal. (Without the
      // created date alone it still builds, from the won dates: leads and MQL read no data.)
      for (const field of ['created', 'wonDate']) {
        await sidebar.selectOption(`#map-${field}`, '');
        await sidebar.waitForFunction(
          (f) => (document.querySelector(`#map-${f}`) as HTMLSelectElement).value === '',
          field,
        );
        await settled(sidebar);
      }
      await sidebar.click('#build');
      await sidebar.waitForSelector('#status.error');
      expect(await sidebar.textContent('#status')).toBe(
        '作成できませんでした: リードの作成日の列を選んでください。',
      );
      expect(rt.spreadsheet.order.length).toBe(before);
      await page.screenshot({ path: join(ARTIFACTS, 'sidebar-error.png') });
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);

  it('renders hostile tab names and headers as inert text', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const rt = new LocalRuntime({ locale: 'en_US' });
    rt.loadSheets([
      {
        name: hostile,
        rows: [
          ['作成日', hostile, '商談化日'],
          ['2025-04-01', '<script>alert(2)</script>', ''],
        ],
      },
    ]);
    const { preview, page, sidebar, dialogs } = await openPreview(rt);
    try {
      expect(await sidebar.locator('#source option').first().textContent()).toBe(hostile);
      expect(await sidebar.locator('#map-company option', { hasText: hostile }).count()).toBe(1);
      expect(await sidebar.locator('img').count()).toBe(0);
      expect(await sidebar.locator('#preview script').count()).toBe(0);
      await page.waitForTimeout(300);
      expect(await page.locator('#tabs button').first().textContent()).toBe(hostile);
      expect(await page.locator('img').count()).toBe(0);
      expect(dialogs).toEqual([]);
      await page.screenshot({ path: join(ARTIFACTS, 'sidebar-hostile.png') });
    } finally {
      await page.close();
      await preview.close();
    }
  }, 120_000);
});
