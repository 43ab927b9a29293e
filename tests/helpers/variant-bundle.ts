/**
 * The server bundle built from the same sources with some header words taken out of the
 * vocabulary (src/core/vocabulary.ts): what the product would be had nobody ever taught it a
 * CRM's column names. The options are scripts/build.mjs's own (scripts/server-build.mjs); only the
 * vocabulary file's string entries equal to one of `words` are dropped while it is loaded.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';
// @ts-expect-error: a plain ES module without types (the build script's own options)
import { serverBuildOptions } from '../../scripts/server-build.mjs';

const ROOT = join(import.meta.dirname, '../..');
const VOCABULARY = join(ROOT, 'src/core/vocabulary.ts');

/** The vocabulary's source without the entries in `words`, and the entries it dropped. */
export function vocabularyWithout(words: ReadonlySet<string>): {
  source: string;
  removed: string[];
} {
  const text = readFileSync(VOCABULARY, 'utf8');
  // Only the lists: the LeadField type above them names fields, not header words.
  const start = text.indexOf('export const LEAD_ID_HEADERS');
  if (start < 0) throw new Error('vocabulary.ts: LEAD_ID_HEADERS not found — update this helper');
  const removed: string[] = [];
  const lists = text.slice(start).replace(/'([^'\\\n]*)',?/g, (all, word: string) => {
    if (!words.has(word)) return all;
    removed.push(word);
    return '';
  });
  return { source: text.slice(0, start) + lists, removed };
}

/** Builds the bundle without `words` into a fresh directory (for LocalRuntime's distDir). */
export async function bundleWithout(
  words: ReadonlySet<string>,
): Promise<{ dir: string; removed: string[] }> {
  const { source, removed } = vocabularyWithout(words);
  const dir = mkdtempSync(join(tmpdir(), 'kpi-vocab-'));
  const plugin: Plugin = {
    name: 'vocabulary-without',
    setup(b) {
      b.onLoad({ filter: /src[\\/]core[\\/]vocabulary\.ts$/ }, () => ({
        contents: source,
        loader: 'ts',
      }));
    },
  };
  await build(serverBuildOptions(ROOT, join(dir, 'Code.js'), [plugin]));
  return { dir, removed };
}
