import { LocalRuntime } from '../local/runtime';
import { sampleWorkbook } from '../local/sample';
import type { TabInspection } from '../src/addon/api';
import { launch, openPreview } from '../tests/helpers/chromium';
import { sampleExtras, settingsFor } from '../tests/helpers/settings';
const locale = process.argv[2] ?? 'ja_JP';
const sheetName = process.argv[3];
const out = process.argv[4];
const lang = locale.startsWith('ja') ? 'ja' : 'en';
const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale });
rt.loadSheets(sampleWorkbook());
const ins = rt.call<TabInspection>('kpiInspectTab', 'Leads');
rt.call('kpiBuild', settingsFor(ins, { from: '2025-07-01', to: '2025-12-31', revenueTarget: 9_000_000, lang,
  ...sampleExtras((name, kind) => rt.call('kpiInspectExtra', name, kind)),
  costs: { marketing: '', isHeads: 3, isPerHead: 600_000, fsHeads: '', fsPerHead: '' } }));
const browser = await launch();
const { preview, page } = await openPreview(browser, rt, { height: Number(process.argv[5] ?? 2400) });
await page.setViewportSize({ width: 1700, height: Number(process.argv[5] ?? 2400) });
await page.evaluate((n) => { for (const b of Array.from(document.querySelectorAll('#tabs button'))) if (b.textContent === n) (b as HTMLButtonElement).click(); }, sheetName);
await page.waitForTimeout(1500);
if (process.argv[6]) await page.$eval('#grid', (g, x) => { g.scrollLeft = Number(x); }, process.argv[6]);
await page.waitForTimeout(300);
await page.screenshot({ path: out });
await page.close(); await preview.close(); await browser.close();
