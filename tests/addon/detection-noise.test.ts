/**
 * Hostile noise (#23): columns added to a real export that look like the roles detection reads
 * from values — dates earlier than the created date on most rows, amount-like numbers, low-
 * cardinality categories spelled like stages — under headers nothing knows. The roles of the real
 * columns never change to a wrong one; a change is allowed only as an honest "not sure — please
 * check" (low confidence). Through the built bundle (kpiInspectTab), Tokyo sheet.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import type { TabInspection } from '../../src/addon/api';
import {
  type CrmFixture,
  FIXTURE_TIME_ZONE,
  hubspotContacts,
  japaneseDeals,
  mavenOpportunities,
  pipedriveDeals,
} from '../fixtures/crm';
import { noCreatedOpportunities, odooMixedLeads } from '../fixtures/shapes';
import { UNSEEN_CRM_FIXTURES } from '../fixtures/unseen';

const FIXTURES: CrmFixture[] = [
  mavenOpportunities({ rows: 250 }),
  hubspotContacts({ rows: 250 }),
  pipedriveDeals({ rows: 250 }),
  japaneseDeals({ rows: 250 }),
  odooMixedLeads({ rows: 250 }),
  noCreatedOpportunities({ rows: 250 }),
  ...UNSEEN_CRM_FIXTURES.slice(0, 3).map((make) => make({ rows: 250 })),
];

type Noise = 'earlyDate' | 'amountLike' | 'stageLike';

const iso = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The main tab with noise columns inserted at the given positions (headers: tokens). */
function noisy(
  fx: CrmFixture,
  columns: { kind: Noise; at: number; seed: number }[],
): { rows: string[][]; inserted: number[] } {
  const tab = fx.tabs[0];
  const headerAt = (fx.headerRow[tab.name] ?? 1) - 1;
  const createdOf = new Map(
    fx.truth.filter((t) => t.tab === tab.name).map((t) => [t.row - 1, t.created]),
  );
  let rows = tab.rows.map((r) => [...(r as string[])]);
  const inserted: number[] = [];
  for (const [k, col] of columns.entries()) {
    const width = rows[headerAt].length;
    const at = col.at % (width + 1);
    let s = col.seed >>> 0 || 1;
    const rand = () => {
      s = (Math.imul(s, 1_103_515_245) + 12_345) >>> 0;
      return s / 2 ** 32;
    };
    rows = rows.map((r, i) => {
      let v = '';
      if (i < headerAt) v = '';
      else if (i === headerAt) v = `zq${k}x${col.seed % 97}`;
      else if (col.kind === 'earlyDate') {
        // Earlier than the created date on most rows (the truth's own created day).
        const created = createdOf.get(i) ?? fx.truth[0].created;
        if (created !== undefined && rand() < 0.85) v = iso(created - 1 - Math.floor(rand() * 400));
      } else if (col.kind === 'amountLike') {
        if (rand() < 0.7) v = String(Math.floor(rand() * 900 + 10) * 100);
      } else {
        v = ['Open', 'Closed', 'Won', 'Lost', 'Pending'][Math.floor(rand() * 5)];
      }
      return [...r.slice(0, at), v, ...r.slice(at)];
    });
    // Earlier insertions at or after `at` move one to the right.
    for (let j = 0; j < inserted.length; j++) if (inserted[j] >= at) inserted[j]++;
    inserted.push(at);
  }
  return { rows, inserted };
}

function inspect(fx: CrmFixture, rows: string[][]): TabInspection {
  const rt = new LocalRuntime({ timeZone: FIXTURE_TIME_ZONE, locale: fx.locale });
  rt.loadSheets([{ name: fx.tabs[0].name, rows, parse: 'user-entered' }]);
  return rt.callFromSidebar<TabInspection>('kpiInspectTab', fx.tabs[0].name);
}

describe('hostile noise never changes a real column’s role to a wrong one', () => {
  it('dates before the created date, amount-like numbers, stage-like categories', () => {
    const clean = FIXTURES.map((fx) => inspect(fx, fx.tabs[0].rows as string[][]));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: FIXTURES.length - 1 }),
        fc.array(
          fc.record({
            kind: fc.constantFrom<Noise>('earlyDate', 'amountLike', 'stageLike'),
            at: fc.nat(40),
            seed: fc.integer({ min: 1, max: 1_000_000 }),
          }),
          { minLength: 1, maxLength: 3 },
        ),
        (f, columns) => {
          const fx = FIXTURES[f];
          const { rows, inserted } = noisy(fx, columns);
          const ins = inspect(fx, rows);
          /** A noisy column index back to the clean one (undefined for a noise column). */
          const original = (c: number) => {
            if (inserted.includes(c)) return undefined;
            return c - inserted.filter((x) => x < c).length;
          };
          const before = clean[f];
          for (const [field, col] of Object.entries(ins.mapping)) {
            const was = before.mapping[field as keyof typeof before.mapping];
            const now = original(col as number);
            if (now === was) continue;
            // Anything else — a real column moved to another field, or a field moved to a noise
            // column — is allowed only as "not sure — please check".
            expect(
              ins.confidence[field as keyof typeof ins.confidence],
              `${fx.id}: ${field} moved from column ${was} to ${now ?? 'a noise column'} (${ins.reasons[field as keyof typeof ins.reasons]})`,
            ).toBe('low');
          }
          // No real field is lost to the noise either (its column still serves it, or a low-
          // confidence guess replaced it).
          for (const field of Object.keys(before.mapping)) {
            if (ins.mapping[field as keyof typeof ins.mapping] === undefined) {
              expect.fail(
                `${fx.id}: ${field} no longer found with noise ${JSON.stringify(columns)}`,
              );
            }
          }
        },
      ),
      { numRuns: 30, seed: 2312 },
    );
  });
});
