/**
 * The manager's path on an export, nothing touched: list the tabs, take the lead tab and the
 * deals tab the sidebar proposes, inspect them, build with the proposed window and the guessed
 * stage meanings — and read the KPI tree's actuals back, beside the totals the fixture's ground
 * truth gives for the same window (tests/fixtures/crm.ts expectedTotals: the truth rows, never
 * the export's text or the product's code).
 */
import { LocalRuntime } from '../../local/runtime';
import type { DealsInspection, TabInspection } from '../../src/addon/api';
import { type CrmFixture, expectedTotals, FIXTURE_TIME_ZONE } from '../fixtures/crm';
import { untouchedSettings } from './settings';

export const TREE_LABELS = {
  en: {
    sheet: 'KPI tree',
    leads: 'Leads',
    mql: 'MQL',
    deals: 'Deals',
    won: 'Won deals',
    revenue: 'Revenue (KGI)',
    closed: 'Win rate of closed deals: won ÷ (won + lost)',
    noData: 'no data',
  },
  ja: {
    sheet: 'KPIツリー',
    leads: 'リード',
    mql: 'MQL',
    deals: '商談数',
    won: '受注数',
    revenue: '売上（KGI）',
    closed: '受注率（決着分: 受注÷(受注+失注)）',
    noData: 'データなし',
  },
};

/** A node's actual on the tree: the cell two rows below its label, one column right. */
export function treeActual(rt: LocalRuntime, sheet: string, label: string): unknown {
  const v = rt.values(sheet);
  for (let r = 0; r < v.length; r++) {
    for (const c of [3, 6, 9]) if (v[r][c] === label) return v[r + 2][c + 1];
  }
  throw new Error(`no node ${label}`);
}

const dayOfIso = (s: string) => Date.parse(`${s}T00:00:00Z`) / 86_400_000;

export interface PathResult {
  /** The runtime the path ran in (to read an error cell's message). */
  rt: LocalRuntime;
  lead: string;
  deals: string | null;
  inspection: TabInspection;
  dealsInspection?: DealsInspection;
  /** [what the tree shows, what the truth says] per node. */
  pairs: Record<'leads' | 'mql' | 'deals' | 'won' | 'revenue' | 'closed', [unknown, unknown]>;
  /** Cells of any sheet that evaluate to an error ("sheet!R1C1 #ERROR!"). */
  errors: string[];
}

/**
 * Runs the path on `fx`'s tabs (optionally renamed headers: `tabs`), with the bundle in `distDir`
 * (default: dist/), in the build language `lang`.
 */
export function managersPath(
  fx: CrmFixture,
  lang: 'ja' | 'en',
  opts: { distDir?: string; tabs?: CrmFixture['tabs'] } = {},
): PathResult {
  const rt = new LocalRuntime({
    timeZone: FIXTURE_TIME_ZONE,
    locale: fx.locale,
    ...(opts.distDir ? { distDir: opts.distDir } : {}),
  });
  rt.loadSheets(opts.tabs ?? fx.tabs);
  const list = rt.callFromSidebar<{ suggested: string; suggestedDeals: string | null }>(
    'kpiListTabs',
  );
  const ins = rt.callFromSidebar<TabInspection>('kpiInspectTab', list.suggested);
  const deals = list.suggestedDeals
    ? rt.callFromSidebar<DealsInspection>(
        'kpiInspectDeals',
        list.suggestedDeals,
        list.suggested,
        ins.mapping,
      )
    : undefined;
  const settings = untouchedSettings(ins, lang, deals);
  rt.callFromSidebar('kpiBuild', settings);
  const truth = expectedTotals(fx, dayOfIso(settings.from), dayOfIso(settings.to));
  const L = TREE_LABELS[lang];
  const want = (v: number | null) => (v === null ? L.noData : v);
  const closedTruth =
    truth.won !== null && truth.lost !== null && truth.won + truth.lost > 0
      ? truth.won / (truth.won + truth.lost)
      : L.noData;
  const shown = (label: string) => treeActual(rt, L.sheet, label);
  const closed = shown(L.closed);
  const errors: string[] = [];
  for (const id of rt.spreadsheet.order) {
    const { rows, cols } = rt.wb.extent(id);
    const values = rt.wb.getValues(id, 1, 1, Math.max(rows, 1), Math.max(cols, 1));
    for (let r = 0; r < values.length; r++) {
      for (let c = 0; c < values[r].length; c++) {
        const v = values[r][c];
        if (typeof v === 'string' && /^#[A-Z]/.test(v))
          errors.push(`${rt.wb.sheetName(id)}!R${r + 1}C${c + 1} ${v}`);
      }
    }
  }
  return {
    rt,
    errors,
    lead: list.suggested,
    deals: list.suggestedDeals,
    inspection: ins,
    dealsInspection: deals,
    pairs: {
      leads: [shown(L.leads), want(truth.leads)],
      mql: [shown(L.mql), want(truth.mql)],
      deals: [shown(L.deals), want(truth.deals)],
      won: [shown(L.won), want(truth.won)],
      revenue: [shown(L.revenue), want(truth.revenue)],
      // A rate: equal to 12 places.
      closed: [
        typeof closed === 'number' && typeof closedTruth === 'number'
          ? Number(closed.toFixed(12))
          : closed,
        typeof closedTruth === 'number' ? Number(closedTruth.toFixed(12)) : closedTruth,
      ],
    },
  };
}

/** The nodes whose shown value differs from the truth ("node: shown ≠ truth"), and error cells. */
export function mismatches(r: PathResult): string[] {
  return Object.entries(r.pairs)
    .filter(([, [got, want]]) => got !== want)
    .map(([k, [got, want]]) => `${k}: ${String(got)} ≠ ${String(want)}`)
    .concat(r.errors.slice(0, 5));
}
