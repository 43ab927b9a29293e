/**
 * The list of generated sheets (src/core/sheets/index.ts) is the one place sheets are registered:
 * keys, names in both languages, the append-only logs and the build's loop all come from it.
 */
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/core/dates';
import { readLeadTable } from '../../src/core/leads';
import type { KpiSettings } from '../../src/core/settings';
import {
  ADOPT_NAMES,
  APPEND_ONLY_KEYS,
  buildModels,
  SHEET_NAMES,
  SHEETS,
} from '../../src/core/sheets/index';

const clock = new ZoneClock('Asia/Tokyo');

/** A small lead tab with the columns the optional sheets need (owners, ranks, temperature…). */
function leadTab(): unknown[][] {
  const header = [
    'created',
    'company',
    'owner',
    'deal',
    'won',
    'amount',
    'rank',
    'rankDate',
    'temp',
    'target',
  ];
  const rows: unknown[][] = [header];
  for (let i = 0; i < 24; i++) {
    const day = `2025-04-${String(1 + (i % 28)).padStart(2, '0')}`;
    rows.push([
      day,
      `Co ${i % 7}`,
      i % 2 ? 'Aoki' : 'Baba',
      i % 3 === 0 ? day : '',
      i % 6 === 0 ? day : '',
      i % 6 === 0 ? 500_000 : '',
      i % 2 ? 'A' : 'B',
      day,
      i % 2 ? 'hot' : 'cold',
      i % 4 ? 'yes' : 'no',
    ]);
  }
  return rows;
}

const settings = (lang: 'ja' | 'en'): KpiSettings => ({
  leadSheet: 'Leads',
  mapping: {
    created: 0,
    company: 1,
    owner: 2,
    dealDate: 3,
    wonDate: 4,
    amount: 5,
    rank: 6,
    rankDate: 7,
    temperature: 8,
    target: 9,
  },
  period: 'month',
  from: '2025-04-01',
  to: '2025-04-30',
  targetExclude: [],
  capacity: [],
  rankHorizons: {},
  lang,
  costs: { marketing: 100_000, isHeads: 1, isPerHead: 1, fsHeads: 1, fsPerHead: 1 },
});

describe('the sheet registry', () => {
  it('gives every sheet one unique key and a name in each language, unique per language', () => {
    const keys = SHEETS.map((s) => s.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const lang of ['ja', 'en'] as const) {
      const names = SHEETS.map((s) => s.names[lang]);
      expect(names.every((n) => n.trim() !== '')).toBe(true);
      expect(new Set(names).size).toBe(names.length);
      expect(Object.keys(SHEET_NAMES[lang])).toEqual(keys);
    }
    expect(Object.keys(ADOPT_NAMES)).toEqual(keys);
    expect(ADOPT_NAMES['kpi-tree']).toEqual(['KPI tree', 'KPIツリー']);
  });

  it('marks the logs (no build) as the sheets a rebuild appends to', () => {
    expect(APPEND_ONLY_KEYS).toEqual(['definitions', 'history']);
  });

  it('builds each sheet under its own key and name, in the list order', () => {
    for (const lang of ['ja', 'en'] as const) {
      const s = settings(lang);
      const values = leadTab();
      const table = readLeadTable(values, s.mapping, clock, {}, 1);
      const models = buildModels(s, table, values, clock);
      const built = SHEETS.filter((d) => d.build).map((d) => d.key);
      // Customers, target list, costs tab: not given, so retention and list coverage are absent;
      // no BigQuery table, so no data sheet of extracts.
      expect(models.map((m) => m.key)).toEqual(
        built.filter((k) => k !== 'retention' && k !== 'list-coverage' && k !== 'bq-data'),
      );
      for (const m of models) expect(m.name).toBe(SHEET_NAMES[lang][m.key as 'funnel']);
    }
  });
});
