/** The settings a build is given: the state, and every input of the page as it stands. */

import type { TabInspection } from '../src/addon/api';
import type { CurrencyCode } from '../src/core/currency';
import type {
  BigQuerySource,
  CostSettings,
  DealsSettings,
  KpiSettings,
} from '../src/core/settings';
import type { RowKind } from '../src/core/stages';
import { byId } from './dom';
import { CAPACITY_STAGES, EXTRA_KINDS } from './fields';
import { readGoals } from './goals';
import type { Ui } from './layout';
import { type State, stageOf, statusValues } from './state';

export function readSettings(ui: Ui, state: State): KpiSettings {
  const ins = state.inspection as TabInspection & { bigquery?: BigQuerySource };
  // A BigQuery table (the BigQuery edition): the build reads that one table — its id is the lead
  // "sheet", and no deals tab or optional tab goes with it.
  const bigquery = state.source === 'bigquery' ? ins.bigquery : undefined;
  const num = (id: string) => {
    const v = byId<HTMLInputElement>(id)?.value ?? '';
    return v === '' ? '' : Number(v);
  };
  // Every status value of both tabs: its select where shown, else its saved map or guess.
  const statusMap: Record<string, string> = {};
  for (const s of statusValues(state)) statusMap[s.value] = stageOf(state, s);
  for (const s of Array.from(ui.statusesBox.querySelectorAll('select'))) {
    if (s.dataset.value !== undefined) statusMap[s.dataset.value] = s.value;
  }
  const horizons: Record<string, number> = {};
  for (const i of Array.from(ui.horizonsBox.querySelectorAll('input'))) {
    if (i.dataset.rank !== undefined && i.value !== '') horizons[i.dataset.rank] = Number(i.value);
  }
  const avg = num('avg-deal');
  const revenue = num('revenue-target');
  const costValues: CostSettings = {
    marketing: num('cost-marketing'),
    isHeads: num('cost-is-heads'),
    isPerHead: num('cost-is-per-head'),
    fsHeads: num('cost-fs-heads'),
    fsPerHead: num('cost-fs-per-head'),
  };
  const costs = Object.values(costValues).some((v) => v !== '') ? costValues : undefined;
  const kpis = readGoals(num);
  const stretch = num('stretch-margin');
  const d = bigquery ? undefined : state.deals;
  const dealSettings: DealsSettings | undefined = d
    ? {
        sheet: d.name,
        headerRow: d.headerRow,
        mapping: state.dealMapping,
        joinBy: d.joinBy,
        leadKey: d.leadKey,
        dealKey: d.dealKey,
      }
    : undefined;
  const extras: State['extras'] = bigquery ? {} : state.extras;
  // The currency chosen in the plan step, else the amounts' as the inspections found it: the
  // deals tab's (where the amounts are) over the lead tab's; none = the spreadsheet locale's.
  const chosen = document.getElementById('currency') as HTMLSelectElement | null;
  const currency =
    (chosen?.value as CurrencyCode | '' | undefined) || (d?.currency?.code ?? ins.currency?.code);
  return {
    leadSheet: bigquery ? bigquery.table : ins.name,
    ...(bigquery ? { bigquery } : {}),
    headerRow: ins.headerRow,
    mapping: state.mapping,
    rowsAre: ui.rowsAreSel.value as RowKind,
    period: byId<HTMLSelectElement>('period').value === 'quarter' ? 'quarter' : 'month',
    from: byId<HTMLInputElement>('from').value,
    to: byId<HTMLInputElement>('to').value,
    revenueTarget: revenue === '' ? undefined : revenue,
    avgDealSize: avg === '' ? undefined : avg,
    targetExclude: byId<HTMLInputElement>('exclude')
      .value.split(/[,、，]/)
      .map((x) => x.trim())
      .filter(Boolean),
    capacity: CAPACITY_STAGES.map((stage, i) => ({
      stage,
      heads: num(`heads-${i}`),
      perHead: num(`per-head-${i}`),
    })),
    rankHorizons: horizons,
    lang: state.lang,
    why: byId<HTMLTextAreaElement>('why').value,
    statusMap,
    stageNames: [0, 1, 2, 3, 4].map((i) => byId<HTMLInputElement>(`stage-name-${i}`).value),
    ...(dealSettings ? { deals: dealSettings } : {}),
    ...Object.fromEntries(
      EXTRA_KINDS.filter((k) => extras[k] !== undefined).map((k) => [k, extras[k]]),
    ),
    ...(costs ? { costs } : {}),
    ...(currency ? { currency } : {}),
    kpis,
    ...(stretch === '' ? {} : { stretchMargin: stretch / 100 }),
  };
}
