// Builds dist/ for clasp: appsscript.json and exactly one server bundle, Code.js (its options:
// scripts/server-build.mjs), the sidebar and the check dialog.
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { serverBuildOptions } from './server-build.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build(serverBuildOptions(root, join(dist, 'Code.js')));
await copyFile(join(root, 'appsscript.json'), join(dist, 'appsscript.json'));

// One self-contained HTML page (Apps Script serves no separate JS or CSS): the entry bundled and
// minified into the template's SCRIPT placeholder, the stylesheet (if any) into its STYLE one.
async function htmlPage(entry, template, stylesheet) {
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
  });
  const script = bundled.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  const css = stylesheet ? await readFile(join(root, stylesheet), 'utf8') : '';
  return (await readFile(join(root, template), 'utf8'))
    .replace('/*STYLE*/', () => css)
    .replace('/*SCRIPT*/', () => script);
}

// The sidebar.
await writeFile(
  join(dist, 'sidebar.html'),
  await htmlPage('sidebar/main.ts', 'sidebar/index.html', 'sidebar/style.css'),
);
// The self-check's dialog (Extensions → KPI tree → Check this spreadsheet): its own small page.
await writeFile(
  join(dist, 'check.html'),
  await htmlPage('sidebar/check/main.ts', 'sidebar/check/index.html'),
);

for (const f of await readdir(dist)) {
  const { size } = await stat(join(dist, f));
  console.log(`dist/${f}  ${(size / 1024).toFixed(1)} KB`);
}
