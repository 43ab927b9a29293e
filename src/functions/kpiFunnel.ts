/**
 * KPI_FUNNEL: the funnel by period over a lead tab (and optionally a deals tab), the live data
 * block of the generated KPI sheets. Its contract is its JSDoc in src/index.ts.
 */
import {
  alignColumns,
  choice,
  column,
  isBlank,
  isOmitted,
  type NamedColumn,
  scalar,
} from '../core/args';
import type { Cell } from '../core/cohort';
import { PERIOD_CHOICES } from '../core/dates';
import {
  type DealColumns,
  type FunnelStage,
  funnelByPeriod,
  parseStatusMap,
  statusStagesFrom,
} from '../core/funnel';
import { localizeTable } from '../core/i18n';
import { columnReader, inSheet, sheetClock } from './env';

/** Optional same-height columns by argument name (omitted ones left out), aligned together. */
export function columnsOf(named: [string, unknown][], required?: string): Map<string, unknown[]> {
  const cols: NamedColumn[] = [];
  const byName = new Map<string, unknown[]>();
  for (const [name, arg] of named) {
    if (name !== required && isOmitted(arg)) continue;
    const c = { name, values: column(arg, name) };
    cols.push(c);
    byName.set(name, c.values);
  }
  if (cols.length > 0) alignColumns(cols);
  return byName;
}

/**
 * Values listed in `exclude`: a range of cells (any text survives, commas and quotes included)
 * or a comma-separated text typed by hand.
 */
export function excludeList(arg: unknown): string[] | undefined {
  if (Array.isArray(arg)) {
    const values = arg
      .flat()
      .filter((v) => !isBlank(v))
      .map((v) => String(v).trim());
    return values.length > 0 ? values : undefined;
  }
  const ex = scalar(arg);
  if (isBlank(ex)) return undefined;
  return String(ex)
    .split(/[,、，]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** A status map: a two-column range (value, stage) or text such as "MQL=mql; 受注=won". */
export function statusTable(arg: unknown): Record<string, FunnelStage> | undefined {
  if (Array.isArray(arg) && Array.isArray(arg[0]) && arg[0].length >= 2) {
    return statusStagesFrom(arg as unknown[][]);
  }
  const map = scalar(arg);
  return isBlank(map) ? undefined : parseStatusMap(String(map));
}

const ROW_KINDS = {
  lead: 'lead',
  leads: 'lead',
  リード: 'lead',
  mql: 'mql',
  mqls: 'mql',
  deal: 'deal',
  deals: 'deal',
  opportunity: 'deal',
  商談: 'deal',
} as const;

export function kpiFunnelCell(
  created: unknown,
  mqlDates?: unknown,
  dealDates?: unknown,
  wonDates?: unknown,
  amounts?: unknown,
  companies?: unknown,
  targets?: unknown,
  period?: unknown,
  from?: unknown,
  to?: unknown,
  exclude?: unknown,
  statuses?: unknown,
  statusMap?: unknown,
  closeDates?: unknown,
  lostDates?: unknown,
  rowsAre?: unknown,
  dealCreated?: unknown,
  dealStatuses?: unknown,
  dealCloseDates?: unknown,
  dealWonDates?: unknown,
  dealLostDates?: unknown,
  dealAmounts?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const lead = columnsOf(
      [
        ['created', created],
        ['mql_dates', mqlDates],
        ['deal_dates', dealDates],
        ['won_dates', wonDates],
        ['amounts', amounts],
        ['companies', companies],
        ['targets', targets],
        ['statuses', statuses],
        ['close_dates', closeDates],
        ['lost_dates', lostDates],
      ],
      'created',
    );
    const deal = columnsOf([
      ['deal_created', dealCreated],
      ['deal_statuses', dealStatuses],
      ['deal_close_dates', dealCloseDates],
      ['deal_won_dates', dealWonDates],
      ['deal_lost_dates', dealLostDates],
      ['deal_amounts', dealAmounts],
    ]);
    const deals: DealColumns | undefined =
      deal.size === 0
        ? undefined
        : {
            created: deal.get('deal_created'),
            statuses: deal.get('deal_statuses'),
            close: deal.get('deal_close_dates'),
            won: deal.get('deal_won_dates'),
            lost: deal.get('deal_lost_dates'),
            amounts: deal.get('deal_amounts'),
          };
    const clock = sheetClock(env);
    const table = funnelByPeriod({
      created: lead.get('created') ?? [],
      mql: lead.get('mql_dates'),
      deal: lead.get('deal_dates'),
      won: lead.get('won_dates'),
      close: lead.get('close_dates'),
      lost: lead.get('lost_dates'),
      amounts: lead.get('amounts'),
      companies: lead.get('companies'),
      targets: lead.get('targets'),
      exclude: excludeList(exclude),
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      clock,
      from: scalar(from),
      to: scalar(to),
      statuses: lead.get('statuses'),
      statusStages: statusTable(statusMap),
      rows: choice(rowsAre, 'rows_are', ROW_KINDS, 'lead'),
      deals,
      readerFor: (values) => columnReader(env, clock, values),
    });
    return localizeTable(table, env.lang, { total: true });
  });
}
