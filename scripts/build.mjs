// Builds dist/ for clasp: appsscript.json and exactly one server bundle, Code.js (its options:
// scripts/server-build.mjs), the sidebar and the check dialog.
//
//   node scripts/build.mjs                      the Sheets-only edition → dist/          (npm run build)
//   node scripts/build.mjs --edition bigquery   the BigQuery edition    → dist-bigquery/ (npm run build:bigquery)
//
// The editions, their folders and manifests: scripts/editions.mjs.
import { readdir, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildEdition, EDITIONS, editionFromArgs } from './editions.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

let edition;
try {
  edition = editionFromArgs(process.argv.slice(2));
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
const out = await buildEdition(root, edition);

for (const f of await readdir(out)) {
  const { size } = await stat(join(out, f));
  console.log(`${EDITIONS[edition].outDir}/${f}  ${(size / 1024).toFixed(1)} KB`);
}
