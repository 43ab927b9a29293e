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

// The sidebar: one self-contained HTML file (Apps Script serves no separate JS or CSS).
const sidebar = await build({
  entryPoints: [join(root, 'sidebar/main.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2019',
  charset: 'utf8',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
});
const script = sidebar.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
const css = await readFile(join(root, 'sidebar/style.css'), 'utf8');
const page = (await readFile(join(root, 'sidebar/index.html'), 'utf8'))
  .replace('/*STYLE*/', () => css)
  .replace('/*SCRIPT*/', () => script);
await writeFile(join(dist, 'sidebar.html'), page);

// The self-check's dialog (Extensions → KPI tree → Check this spreadsheet): its own small page.
const check = await build({
  entryPoints: [join(root, 'sidebar/check/main.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  target: 'es2019',
  charset: 'utf8',
  legalComments: 'none',
  minify: true,
  logLevel: 'warning',
});
const checkScript = check.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
const checkPage = (await readFile(join(root, 'sidebar/check/index.html'), 'utf8')).replace(
  '/*SCRIPT*/',
  () => checkScript,
);
await writeFile(join(dist, 'check.html'), checkPage);

for (const f of await readdir(dist)) {
  const { size } = await stat(join(dist, f));
  console.log(`dist/${f}  ${(size / 1024).toFixed(1)} KB`);
}
