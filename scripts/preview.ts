/**
 * npm start — the local preview: builds (npm script), loads the sample workbook (or
 * --leads file.xlsx|csv, optionally with --deals file.xlsx|csv as a second tab) into the local
 * runtime (--locale en_US|en_GB|ja_JP…, --tz Asia/Tokyo), and serves the real sidebar beside the workbook's
 * sheets on http://127.0.0.1:PORT (PORT env or --port, default 8080). Each build saves
 * out/preview.xlsx (written beside it and renamed over it). Stop with Ctrl-C.
 *
 * Only its own pages can drive it: it listens on 127.0.0.1, answers only Host 127.0.0.1:PORT or
 * localhost:PORT (DNS rebinding), and its API needs the per-run token those pages carry — see
 * README "Security and privacy".
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readWorkbookFile } from '../local/io';
import { startPreview } from '../local/preview';
import { LocalRuntime } from '../local/runtime';
import { sampleWorkbook } from '../local/sample';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const leads = arg('--leads');
const deals = arg('--deals');
const port = Number(arg('--port') ?? process.env.PORT ?? 8080);
const out = join(import.meta.dirname, '..', 'out');
mkdirSync(out, { recursive: true });

const rt = new LocalRuntime({
  timeZone: arg('--tz') ?? 'Asia/Tokyo',
  locale: arg('--locale') ?? 'ja_JP',
});
const sheets = leads ? await readWorkbookFile(leads) : sampleWorkbook();
if (deals) sheets.push(...(await readWorkbookFile(deals)));
for (const problem of rt.loadSheets(sheets)) {
  console.warn(`warning: ${problem}`);
}
const preview = await startPreview(rt, { port, saveTo: join(out, 'preview.xlsx') }).catch(
  (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE') throw e;
    console.error(`Port ${port} is in use: choose another with --port N (0 = any free port).`);
    process.exit(1);
  },
);
console.log(`KPI tree local preview: ${preview.url}`);
console.log(
  `Workbook: ${leads ? [leads, deals].filter(Boolean).join(' + ') : 'sample (3,000 leads + activity log)'}; each build saves ${join(out, 'preview.xlsx')}`,
);
console.log(
  'Open the URL, build the KPI sheets from the sidebar; only pages this preview served can drive it (per-run token). Ctrl-C stops.',
);
