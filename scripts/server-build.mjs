// The server bundle's esbuild options, shared by scripts/build.mjs and the tests that build the
// same bundle with a different vocabulary (tests/helpers/variant-bundle.ts).
// esbuild bundles src/index.ts into an IIFE; esbuild-gas-plugin prepends top-level
// `function NAME(args) {}` stubs (with their JSDoc) for every `global.NAME = NAME` in the entry
// file, which Apps Script needs to see custom functions. The IIFE then replaces each stub.
import { join } from 'node:path';
import { GasPlugin } from 'esbuild-gas-plugin';

/** esbuild's define telling a bundle (server or page) its edition: src/edition.ts reads it. */
export function editionDefine(edition) {
  return { KPI_EDITION: JSON.stringify(edition) };
}

/**
 * Options for esbuild's build() writing the server bundle to `outfile`, plus extra plugins, for
 * one edition ("sheets" or "bigquery": scripts/editions.mjs; src/edition.ts reads the define).
 */
export function serverBuildOptions(root, outfile, plugins = [], edition = 'sheets') {
  return {
    entryPoints: [join(root, 'src/index.ts')],
    outfile,
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
    define: editionDefine(edition),
    plugins: [...plugins, GasPlugin],
  };
}
