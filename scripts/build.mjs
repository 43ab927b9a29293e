// Builds dist/ for clasp: appsscript.json and exactly one server bundle, Code.js.
// esbuild bundles src/index.ts into an IIFE; esbuild-gas-plugin prepends top-level
// `function NAME(args) {}` stubs (with their JSDoc) for every `global.NAME = NAME` in the entry
// file, which Apps Script needs to see custom functions. The IIFE then replaces each stub.
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { GasPlugin } from 'esbuild-gas-plugin';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');

await rm(dist, { recursive: true, force: true });
await mkdir(dist, { recursive: true });

await build({
  entryPoints: [join(root, 'src/index.ts')],
  outfile: join(dist, 'Code.js'),
  bundle: true,
  format: 'iife',
  target: 'es2019',
  platform: 'neutral',
  charset: 'utf8',
  legalComments: 'none',
  // Every custom-function cell loads the whole bundle: drop whitespace and simplify syntax, but
  // keep names (stack traces and the plugin's top-level stubs stay readable).
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
  plugins: [GasPlugin],
});
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
