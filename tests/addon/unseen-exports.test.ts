/**
 * Leave-one-CRM-out (#23): for every export-shaped fixture — the CRMs the vocabulary was written
 * for, ten it never saw, and four shapes users sent — the product is built from the same sources
 * with every vocabulary entry that matches any header of that fixture removed
 * (tests/helpers/variant-bundle.ts), and the manager's path (proposed tabs, proposed columns,
 * guessed stages, proposed window, nothing touched) must give a KPI tree equal to the truth
 * computed from the fixture's rows. One line per CRM is printed.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { normaliseHeader } from '../../src/core/headers';
import { CRM_FIXTURES, type CrmFixture } from '../fixtures/crm';
import { SHAPE_FIXTURES } from '../fixtures/shapes';
import { UNSEEN_CRM_FIXTURES } from '../fixtures/unseen';
import { managersPath, mismatches } from '../helpers/managers-path';
import { bundleWithout } from '../helpers/variant-bundle';

/** Every fixture, at a size that keeps a build to a second or two. */
const FIXTURES: CrmFixture[] = [...CRM_FIXTURES, ...UNSEEN_CRM_FIXTURES, ...SHAPE_FIXTURES].map(
  (make) => make({ rows: 700 }),
);

/** A header's normalised form, and the same without a currency (as the amount field reads it). */
const CURRENCY =
  /^(?:usd|eur|jpy|gbp|円|米ドル|ドル|ユーロ|ポンド)|(?:in)?(?:usd|eur|jpy|gbp|円|米ドル|ドル|ユーロ|ポンド)$/g;
function headerWords(fx: CrmFixture): Set<string> {
  const words = new Set<string>();
  for (const tab of fx.tabs) {
    // The header row, and any title row above it.
    for (const row of tab.rows.slice(0, fx.headerRow[tab.name] ?? 1)) {
      for (const h of row) {
        const n = normaliseHeader(h);
        if (n === '') continue;
        words.add(n);
        words.add(n.replace(CURRENCY, ''));
      }
    }
  }
  return words;
}

const report: string[] = [];
afterAll(() => {
  console.log(
    `leave-one-CRM-out: ${report.filter((l) => l.startsWith('✓')).length} of ${report.length} trees equal their truth\n${report.join('\n')}`,
  );
});

describe('leave-one-CRM-out: each export read with its own header words unknown', () => {
  for (const fx of FIXTURES) {
    it(`${fx.crm}: the tree equals the truth without the vocabulary of its headers`, async () => {
      const { dir, removed } = await bundleWithout(headerWords(fx));
      const lang = fx.locale.startsWith('ja') ? 'ja' : 'en';
      const r = managersPath(fx, lang, { distDir: dir });
      const bad = mismatches(r);
      report.push(
        `${bad.length === 0 ? '✓' : '✗'} ${fx.id.padEnd(28)} ${String(removed.length).padStart(2)} words removed · lead tab "${r.lead}"${r.deals ? ` + deals "${r.deals}"` : ''}${bad.length ? ` · ${bad.join('; ')}` : ''}`,
      );
      expect(
        bad,
        `${fx.id} (${removed.length} vocabulary words removed: ${removed.join(', ')})`,
      ).toEqual([]);
    });
  }
});
