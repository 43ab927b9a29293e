/**
 * KGI → CSF → KPI in the plan step (issue #12): the manager opens the win-rate KPI, writes its
 * critical success factor, owner, a 30 % target and a deadline, presses Build, and finds them in
 * the saved settings (the rate as a fraction), on the KPI tree, and back in the sidebar when it is
 * opened again — in Japanese and in English, nothing wider than the sidebar's 300 px.
 */
import { join } from 'node:path';
import type { Browser, Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { KpiSettings } from '../../src/core/settings';
import { SHEET_NAMES } from '../../src/core/sheets/index';
import { ARTIFACTS, clipped, launch, openPreview, overflowing, settled } from '../helpers/chromium';

let browser: Browser;
beforeAll(async () => {
  browser = await launch();
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

const TEXT = {
  ja: {
    section: 'KPIとCSF（重要成功要因）・SMART目標',
    winRate: '受注率',
    fs: 'FS',
    marketing: 'マーケ',
    csf: '提案前に全商談でデモを実施する',
    owner: '田中（FS部長）',
    unit: '%',
    perPeriod: '期間あたり',
    effect: '売上への影響',
    summary: '売上ギャップの要因 — 部門別サマリー（各KPIが売上の差をいくら生んだか）',
    pass: ['✓ 担当者あり', '✓ 期間内', '✓ 売上の経路上'],
    below: '影響（下の段階を含む）',
    mostly: '主な要因',
    low: '（中央値未満）',
  },
  en: {
    section: 'KPIs: critical success factors and SMART targets',
    winRate: 'Win rate',
    fs: 'FS',
    marketing: 'Marketing',
    csf: 'A live demo in every deal before the proposal',
    owner: 'Tanaka (Head of FS)',
    unit: '%',
    perPeriod: 'per period',
    effect: 'Effect on revenue',
    summary: 'Where the revenue gap comes from — division summary (each KPI’s effect on revenue)',
    pass: ['✓ owner named', '✓ within the window', '✓ on the revenue path'],
    below: 'Effect incl. stages below',
    mostly: 'Mostly from',
    low: '(below the median)',
  },
} as const;

/** The ISO day halfway between two ISO days. */
const midway = (from: string, to: string) =>
  new Date((Date.parse(from) + Date.parse(to)) / 2).toISOString().slice(0, 10);

describe.each([
  ['ja_JP', 'ja'],
  ['en_US', 'en'],
] as const)('KPI goals in the plan step, in Chromium (%s)', (locale, lang) => {
  it('types a CSF, owner, target and deadline; they are saved, built and restored', async () => {
    const T = TEXT[lang];
    const rt = new LocalRuntime({ locale });
    rt.loadSheets(sampleWorkbook({ leads: 1500 }));
    const { preview, page, sidebar } = await openPreview(browser, rt, { height: 1400 });
    try {
      // The section, after the costs: the stretch margin (10 %) and one block per KPI, closed.
      expect(await sidebar.textContent('#goals h3')).toBe(T.section);
      expect(await sidebar.inputValue('#stretch-margin')).toBe('10');
      // 16 nodes; the three SAL nodes are offered only while a status is mapped to SAL, LTV and
      // LTV ÷ CAC only while the customers tab has start and end dates.
      expect(await sidebar.locator('#goals details:not([hidden])').count()).toBe(16);
      expect(await sidebar.locator('#goals details[hidden]').count()).toBe(5);
      await sidebar.selectOption('#extra-customers', '顧客');
      await sidebar.waitForSelector('#extra-customers-columns select');
      await sidebar.waitForFunction(() => document.body.dataset.busy === undefined);
      expect(await sidebar.locator('#goal-ltv').isVisible()).toBe(true);
      expect(await sidebar.locator('#goals details:not([hidden])').count()).toBe(18);
      // Without its end date the tab cannot measure a lifetime: LTV's goals are not offered.
      await sidebar.selectOption('#extra-customers-end', '');
      expect(await sidebar.locator('#goal-ltvToCac').isVisible()).toBe(false);
      await sidebar.selectOption('#extra-customers', '');
      await sidebar.waitForFunction(() => document.body.dataset.busy === undefined);
      expect(await sidebar.locator('#goals details:not([hidden])').count()).toBe(16);
      const first = sidebar.locator('#status-0');
      const was = await first.inputValue();
      await first.selectOption('sal');
      expect(await sidebar.locator('#goals details:not([hidden])').count()).toBe(19);
      expect(await sidebar.locator('#goal-sal').isVisible()).toBe(true);
      await first.selectOption(was);
      expect(await sidebar.locator('#goals details:not([hidden])').count()).toBe(16);
      expect(await sidebar.locator('#goals details[open]').count()).toBe(0);
      const win = sidebar.locator('#goal-winRate');
      expect(await win.locator('summary .kpi').textContent()).toBe(T.winRate);
      expect(await win.locator('summary .division').textContent()).toBe(T.fs);
      expect(await sidebar.locator('#goal-mql summary .division').textContent()).toBe(T.marketing);
      // Nothing saved yet: the owner is the division, the target blank (= the tree's plan).
      expect(await sidebar.inputValue('#goal-winRate-owner')).toBe(T.fs);
      expect(await sidebar.inputValue('#goal-winRate-target')).toBe('');
      expect(await sidebar.getAttribute('#goal-winRate-csf', 'maxlength')).toBe('200');
      expect(await sidebar.getAttribute('#goal-winRate-owner', 'maxlength')).toBe('100');

      await win.locator('summary').click();
      expect(await win.evaluate((d) => (d as HTMLDetailsElement).open)).toBe(true);
      expect(await win.locator('.unit').textContent()).toBe(T.unit);
      expect(await sidebar.textContent('#goal-won .unit')).toBe(T.perPeriod);
      const deadline = midway(await sidebar.inputValue('#from'), await sidebar.inputValue('#to'));
      await sidebar.fill('#goal-winRate-csf', T.csf);
      await sidebar.fill('#goal-winRate-owner', T.owner);
      await sidebar.fill('#goal-winRate-target', '30');
      await sidebar.fill('#goal-winRate-deadline', deadline);

      // Every block open: nothing sticks out of 300 px, no text is cut.
      await sidebar.evaluate(() => {
        for (const d of Array.from(document.querySelectorAll('#goals details')))
          (d as HTMLDetailsElement).open = true;
      });
      expect(await overflowing(sidebar)).toEqual([]);
      expect(await clipped(sidebar)).toEqual([]);
      // The photograph: the section with the win rate open, the others closed.
      await sidebar.evaluate(() => {
        for (const d of Array.from(document.querySelectorAll('#goals details')))
          (d as HTMLDetailsElement).open = d.id === 'goal-winRate';
      });
      await sidebar.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
      await sidebar.locator('#goals').screenshot({
        path: join(ARTIFACTS, `plan-goals-${lang}.png`),
      });

      await sidebar.click('#build');
      await sidebar.waitForSelector('#status.ok, #status.error', { timeout: 120_000 });
      expect(await sidebar.textContent('#status')).not.toMatch(/作成できません|Could not/);

      // (a) Saved as typed: the rate as a fraction; untouched KPIs keep their division as owner.
      const saved = rt.call<KpiSettings>('kpiLoadSettings');
      expect(saved.kpis?.winRate).toEqual({
        csf: T.csf,
        owner: T.owner,
        target: 0.3,
        deadline,
      });
      expect(saved.kpis?.mql).toEqual({ csf: '', owner: T.marketing, target: '', deadline: '' });
      expect(Object.keys(saved.kpis ?? {})).toHaveLength(16);
      expect(saved.stretchMargin).toBe(0.1);

      // (d) Opened again, the sidebar shows what was typed.
      await page.reload();
      const again = (await (await page.waitForSelector('iframe#sidebar')).contentFrame()) as Frame;
      await again.waitForSelector('#goal-winRate-csf', { state: 'attached' });
      await settled(again);
      // The KPI with a goal opens by itself; the others stay closed.
      expect(
        await again.locator('#goals details[open]').evaluateAll((ds) => ds.map((d) => d.id)),
      ).toEqual(['goal-winRate']);
      expect(await again.inputValue('#goal-winRate-csf')).toBe(T.csf);
      expect(await again.inputValue('#goal-winRate-owner')).toBe(T.owner);
      expect(await again.inputValue('#goal-winRate-target')).toBe('30');
      expect(await again.inputValue('#goal-winRate-deadline')).toBe(deadline);
      expect(await again.inputValue('#goal-mql-owner')).toBe(T.marketing);
      expect(await again.inputValue('#stretch-margin')).toBe('10');

      // (b) The KPI tree's SMART table shows the CSF and the owner (last: it needs the tree's part).
      const tree = rt.values(SHEET_NAMES[lang]['kpi-tree']).flat();
      expect(tree).toContain(T.csf);
      expect(tree).toContain(T.owner);

      // (e) In the preview: the tree shows each node's effect on revenue, the division summary
      // and the SMART results; the funnel sheet which KPI each month's gap mostly came from.
      const show = async (name: string) => {
        await page.evaluate((n) => {
          for (const b of Array.from(document.querySelectorAll('#tabs button')))
            if (b.textContent === n) (b as HTMLButtonElement).click();
        }, name);
        await page.waitForFunction(
          (n) => (document.querySelector('#grid') as HTMLElement)?.dataset.sheet === n,
          name,
        );
        const text = await page.$eval('#grid', (g) => g.textContent ?? '');
        expect(text, name).not.toMatch(/#ERROR|#REF|#VALUE|#N\/A|#NAME|#SPILL|#NUM|#DIV/);
        return text;
      };
      const treeText = await show(SHEET_NAMES[lang]['kpi-tree']);
      expect(treeText.split(T.effect).length - 1).toBeGreaterThanOrEqual(11);
      expect(treeText.split(T.below).length - 1).toBe(4);
      expect(treeText).toContain(T.summary);
      for (const p of T.pass) expect(treeText).toContain(p);
      expect(treeText).toContain(T.csf);
      // SMART A: an easy target (below the median month) is amber, not the green of a pass — the
      // colour the preview gave the cell (its inline style: no layout needed to read it).
      await page.waitForSelector(`#grid td:has-text("${T.low}")`);
      const colours = await page.$$eval(
        '#grid td',
        (tds, low) =>
          (tds as HTMLElement[])
            .filter((td) => td.textContent?.startsWith('✓') && td.textContent.includes(low))
            .map((td) => td.style.backgroundColor),
        T.low,
      );
      expect(colours.length).toBeGreaterThan(0);
      expect(new Set(colours)).toEqual(new Set(['rgb(252, 232, 178)']));
      await page.screenshot({
        path: join(ARTIFACTS, `revenue-gap-tree-${lang}.png`),
        fullPage: true,
      });
      const funnelText = await show(SHEET_NAMES[lang].funnel);
      expect(funnelText).toContain(T.mostly);
      await page.screenshot({
        path: join(ARTIFACTS, `revenue-gap-funnel-${lang}.png`),
        fullPage: true,
      });
    } finally {
      await page.close();
      await preview.close();
    }
  }, 240_000);
});
