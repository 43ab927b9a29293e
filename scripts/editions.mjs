// The add-on's two editions (issue #25), built from the same source by scripts/build.mjs:
//
//   sheets    dist/           .clasp.json            npm run build / push / release
//   bigquery  dist-bigquery/  .clasp-bigquery.json   npm run build:bigquery / push:bigquery
//
// Each is its own Apps Script project (its own scriptId), so a Sheets-only user never grants a
// BigQuery scope. The bundles are the same but for the edition constant (src/edition.ts, set here
// with an esbuild define); the manifests are one definition: appsscript.json is the Sheets-only
// manifest, and the BigQuery edition's is derived from it below (manifestFor) — never a copy.
//
// Which scopes Connected Sheets needs from Apps Script (newDataSourceSpec().asBigQuery(),
// Spreadsheet.insertDataSourceSheet, Range.createDataSourceTable, DataSourceTable.refreshData,
// SpreadsheetApp.enableBigQueryExecution) — what Google's pages say:
//
// - bigquery.readonly — required. https://developers.google.com/apps-script/guides/sheets/connected-sheets
//   "To access BigQuery data, you must include the enableBigQueryExecution() method in your Google
//   Apps Script code. This method adds the required bigquery.readonly OAuth scope to your Google
//   Apps Script project." Our manifest lists its scopes explicitly (oauthScopes), so the scope is
//   written here rather than left to Apps Script's detection. The Sheets API says the same of its
//   Connected Sheets requests (https://developers.google.com/workspace/sheets/api/guides/connected-sheets):
//   "If your application requests any BigQuery Connected Sheets data, it must provide an OAuth 2.0
//   token that grants bigquery.readonly scope, in addition to the other scopes required for a
//   regular Google Sheets API request."; its AddDataSourceRequest: "The request requires an
//   additional bigquery.readonly OAuth scope if you are adding a BigQuery data source." (and
//   RefreshDataSourceRequest: "... if you are refreshing a BigQuery data source.").
//
// - The spreadsheet side: spreadsheets.currentonly is kept — UNVERIFIED on a live deployment.
//   For it: the reference lists both scopes as sufficient for the data-source classes' methods,
//   e.g. https://developers.google.com/apps-script/reference/spreadsheet/data-source-sheet
//   (forceRefreshData(), cancelDataRefresh() and the rest): "Scripts that use this method require
//   authorization with one or more of the following scopes:
//   https://www.googleapis.com/auth/spreadsheets.currentonly, https://www.googleapis.com/auth/spreadsheets"
//   (read in the page's zh-CN rendering on developers.google.cn, "使用此方法的脚本需要获得以下一个或多个
//   范围的授权"). Against it, or not: the guide's section "Add additional OAuth scopes to the
//   manifest file" (English text not available here; the zh-CN rendering of the same page on
//   developers.google.cn) introduces its sample manifest with "以下示例展示了清单文件的 oauthScopes
//   部分。除了最低要求的 spreadsheet[s] 和 bigquery.rea[donly] …" ("The following shows the
//   oauthScopes section of a manifest file. In addition to the minimum required spreadsheet[s]
//   and bigquery.readonly …"; the stored copy is cut there, so which spreadsheets scope the sample
//   lists was not seen). That guide's samples are standalone scripts (SpreadsheetApp.create,
//   openByUrl), which need the broad scope anyway; nothing found says Connected Sheets refuses
//   currentonly in an editor add-on. If a test deployment shows it does, add
//   'https://www.googleapis.com/auth/spreadsheets' to EDITIONS.bigquery.extraScopes (one line;
//   tests/scripts/manifests.test.ts then names it) — the Sheets-only edition is unaffected.
//
// - Drive: only for BigQuery tables over Drive files (same zh-CN page: "例如，如需查询 Google 云端
//   硬盘中托管的 BigQuery 数据，您必须向清单文件添加云端硬盘 OAuth 范围。" — "to query BigQuery
//   data hosted in Google Drive, you must add a Drive OAuth scope to the manifest file"). Not
//   added: it is needed only if a source is a Drive-backed (external) BigQuery table.
import { copyFile, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { editionDefine, serverBuildOptions } from './server-build.mjs';

export const BIGQUERY_READONLY = 'https://www.googleapis.com/auth/bigquery.readonly';

export const EDITIONS = {
  sheets: {
    outDir: 'dist',
    projectFile: '.clasp.json',
    title: 'KPI tree',
    extraScopes: [],
  },
  bigquery: {
    outDir: 'dist-bigquery',
    projectFile: '.clasp-bigquery.json',
    title: 'KPI tree (BigQuery)',
    extraScopes: [BIGQUERY_READONLY],
  },
};

export const DEFAULT_EDITION = 'sheets';

export function isEdition(value) {
  return typeof value === 'string' && Object.hasOwn(EDITIONS, value);
}

/** `--edition bigquery` / `--edition=bigquery` in argv (default sheets); throws on anything else. */
export function editionFromArgs(argv) {
  let edition = DEFAULT_EDITION;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    let value;
    if (a === '--edition') {
      value = argv[++i];
      if (value === undefined) throw new Error('--edition needs a value: sheets or bigquery.');
    } else if (a.startsWith('--edition=')) value = a.slice('--edition='.length);
    else throw new Error(`Unknown argument ${a}. Use --edition sheets|bigquery.`);
    if (!isEdition(value)) {
      throw new Error(`Unknown edition "${value}". Use ${Object.keys(EDITIONS).join(' or ')}.`);
    }
    edition = value;
  }
  return edition;
}

/** The edition's manifest: the Sheets-only one (appsscript.json) plus the edition's scopes. */
export function manifestFor(base, edition) {
  const extra = EDITIONS[edition].extraScopes;
  if (extra.length === 0) return base;
  const scopes = base.oauthScopes ?? [];
  return { ...base, oauthScopes: [...scopes, ...extra.filter((s) => !scopes.includes(s))] };
}

// One self-contained HTML page (Apps Script serves no separate JS or CSS): the entry bundled and
// minified into the template's SCRIPT placeholder, the stylesheet (if any) into its STYLE one.
async function htmlPage(root, edition, entry, template, stylesheet) {
  const bundled = await build({
    entryPoints: [join(root, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    target: 'es2019',
    charset: 'utf8',
    legalComments: 'none',
    minify: true,
    logLevel: 'warning',
    define: editionDefine(edition),
  });
  const script = bundled.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  const css = stylesheet ? await readFile(join(root, stylesheet), 'utf8') : '';
  return (await readFile(join(root, template), 'utf8'))
    .replace('/*STYLE*/', () => css)
    .replace('/*SCRIPT*/', () => script);
}

/**
 * Builds one edition into `outDir` (emptied first): appsscript.json and exactly one server bundle,
 * Code.js (its options: scripts/server-build.mjs), the sidebar and the check dialog.
 */
export async function buildEdition(root, edition, outDir = join(root, EDITIONS[edition].outDir)) {
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });

  await build(serverBuildOptions(root, join(outDir, 'Code.js'), [], edition));
  if (EDITIONS[edition].extraScopes.length === 0) {
    // The Sheets-only manifest is appsscript.json itself, byte for byte.
    await copyFile(join(root, 'appsscript.json'), join(outDir, 'appsscript.json'));
  } else {
    const base = JSON.parse(await readFile(join(root, 'appsscript.json'), 'utf8'));
    await writeFile(
      join(outDir, 'appsscript.json'),
      `${JSON.stringify(manifestFor(base, edition), null, 2)}\n`,
    );
  }
  // The sidebar.
  await writeFile(
    join(outDir, 'sidebar.html'),
    await htmlPage(root, edition, 'sidebar/main.ts', 'sidebar/index.html', 'sidebar/style.css'),
  );
  // The self-check's dialog (Extensions → KPI tree → Check this spreadsheet): its own small page.
  await writeFile(
    join(outDir, 'check.html'),
    await htmlPage(root, edition, 'sidebar/check/main.ts', 'sidebar/check/index.html'),
  );
  return outDir;
}
