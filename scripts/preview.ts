/**
 * npm start — the local preview: builds both editions (npm script), loads the sample workbook (or
 * --leads file.xlsx|csv, optionally with --deals file.xlsx|csv as a second tab) into the local
 * runtime (--locale en_US|en_GB|ja_JP…, --tz Asia/Tokyo), and serves the real sidebar beside the workbook's
 * sheets on http://127.0.0.1:PORT (PORT env or --port, default 8080). Each build saves
 * out/preview.xlsx (written beside it and renamed over it). Stop with Ctrl-C.
 *
 * --leads file.parquet (or a .csv / .csv.gz with --bigquery): the BigQuery edition (issue #25).
 * The file is the table `local-preview.leads.<its name>` of the local BigQuery (DuckDB,
 * local/bigquery.ts), the spreadsheet has one empty sheet, and the sidebar of the BigQuery
 * edition's bundle (dist-bigquery/) reads the table through Connected Sheets; the project and
 * table to type into it are printed.
 *
 * Only its own pages can drive it: it listens on 127.0.0.1, answers only Host 127.0.0.1:PORT or
 * localhost:PORT (DNS rebinding), and its API needs the per-run token those pages carry — see
 * README "Security and privacy".
 */
import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { localBigQuery } from '../local/bigquery';
import { readWorkbookFile } from '../local/io';
import { startPreview } from '../local/preview';
import { DIST_BIGQUERY, LocalRuntime } from '../local/runtime';
import { sampleWorkbook } from '../local/sample';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const leads = arg('--leads');
const deals = arg('--deals');
const port = Number(arg('--port') ?? process.env.PORT ?? 8080);
const out = join(import.meta.dirname, '..', 'out');
mkdirSync(out, { recursive: true });

/** The project the local BigQuery's tables are in (a valid Google Cloud project ID). */
const BQ_PROJECT = 'local-preview';
/** A BigQuery table: a parquet file, or a CSV given with --bigquery. */
const onBigQuery =
  leads !== undefined && (/\.parquet$/i.test(leads) || args.includes('--bigquery'));
/** `local-preview.leads.<file name without its extension>` (BigQuery's table-name characters). */
const tableId = (file: string) =>
  `${BQ_PROJECT}.leads.${basename(file)
    .replace(/\.(csv\.gz|[^.]*)$/i, '')
    .replace(/[^A-Za-z0-9_]/g, '_')}`;

const timeZone = arg('--tz') ?? 'Asia/Tokyo';
const locale = arg('--locale') ?? 'ja_JP';
let rt: LocalRuntime;
let table = '';
if (onBigQuery && leads) {
  const engine = localBigQuery();
  table = tableId(leads);
  engine.addTable(table, resolve(leads));
  rt = new LocalRuntime({ timeZone, locale, distDir: DIST_BIGQUERY, bigQuery: engine });
  // A spreadsheet always has a sheet: the report on the table is built beside it.
  rt.loadSheets([{ name: 'Sheet1', rows: [['']] }]);
  if (deals)
    console.warn('warning: --deals is not used with a BigQuery table (one table is read).');
} else {
  rt = new LocalRuntime({ timeZone, locale });
  const sheets = leads ? await readWorkbookFile(leads) : sampleWorkbook();
  if (deals) sheets.push(...(await readWorkbookFile(deals)));
  for (const problem of rt.loadSheets(sheets)) {
    console.warn(`warning: ${problem}`);
  }
}
const preview = await startPreview(rt, { port, saveTo: join(out, 'preview.xlsx') }).catch(
  (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EADDRINUSE') throw e;
    console.error(`Port ${port} is in use: choose another with --port N (0 = any free port).`);
    process.exit(1);
  },
);
console.log(`KPI tree local preview: ${preview.url}`);
if (onBigQuery) {
  console.log(`BigQuery edition: ${leads} is the BigQuery table ${table}.`);
  console.log(
    `In the sidebar (Read from: BigQuery table) type  Billing project: ${BQ_PROJECT}  Table: ${table}  and press Read table; each build saves ${join(out, 'preview.xlsx')}`,
  );
} else
  console.log(
    `Workbook: ${leads ? [leads, deals].filter(Boolean).join(' + ') : 'sample (3,000 leads + activity log)'}; each build saves ${join(out, 'preview.xlsx')}`,
  );
console.log(
  'Open the URL, build the KPI sheets from the sidebar; only pages this preview served can drive it (per-run token). Ctrl-C stops.',
);
