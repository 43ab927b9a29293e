/**
 * KPI_FUNNEL: the funnel by period over a lead tab (and optionally a deals tab), the live data
 * block of the generated KPI sheets. Its contract is kpiFunnelFunction below (src/index.ts's JSDoc
 * follows it).
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
import { DEAL_STAGE_COLUMNS, LEAD_STAGE_COLUMNS, stageValues } from '../core/stageColumns';
import {
  argumentsByName,
  type CellArguments,
  defineFunction,
  type FunctionParameter,
} from './declare';
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

/** KPI_FUNNEL's parameters, in order; the implementation takes them as they are declared. */
const KPI_FUNNEL_PARAMETERS = [
  {
    name: 'created',
    type: 'Date[][]',
    optional: true,
    description:
      "Lead created dates, e.g. Leads!B2:B (a deal export: the deal's created date); left empty for an export without one (deals are then dated when they closed).",
  },
  {
    name: 'mql_dates',
    type: 'Date[][]',
    optional: true,
    description: 'MQL dates, same height (blank = not MQL).',
  },
  {
    name: 'deal_dates',
    type: 'Date[][]',
    optional: true,
    description: 'Deal (商談化) dates, same height.',
  },
  {
    name: 'won_dates',
    type: 'Date[][]',
    optional: true,
    description: 'Won (受注) dates, same height.',
  },
  {
    name: 'amounts',
    type: 'number[][]',
    optional: true,
    description: 'Won amounts, same height.',
  },
  {
    name: 'companies',
    type: 'string[][]',
    optional: true,
    description: 'Company names or e-mails, for unique companies.',
  },
  {
    name: 'targets',
    type: 'string[][]',
    optional: true,
    description:
      'Target flags (yes/no), or a column whose values listed in exclude are not targets.',
  },
  {
    name: 'period',
    type: 'string',
    optional: true,
    description: '"month" (default), "week" or "quarter".',
  },
  {
    name: 'from',
    type: 'Date',
    optional: true,
    description: 'First day of the window (optional).',
  },
  { name: 'to', type: 'Date', optional: true, description: 'Last day of the window (optional).' },
  {
    name: 'exclude',
    type: 'string',
    optional: true,
    description:
      'Comma-separated values of targets that mark a non-target lead, e.g. "パートナー,競合".',
  },
  {
    name: 'statuses',
    type: 'string[][]',
    optional: true,
    description:
      'Optional lead statuses, same height: used for a stage whose date column is not given.',
  },
  {
    name: 'status_map',
    type: 'string',
    optional: true,
    description: 'What each status means, e.g. "MQL=mql; 商談化=sql; 受注=won; 失注=lost".',
  },
  {
    name: 'close_dates',
    type: 'Date[][]',
    optional: true,
    description:
      'Closing dates (Close Date, 完了日), same height: the won date where the status is won, the lost date where it is lost.',
  },
  {
    name: 'lost_dates',
    type: 'Date[][]',
    optional: true,
    description: 'Lost (失注) dates, same height.',
  },
  {
    name: 'rows_are',
    type: 'string',
    optional: true,
    description:
      'What one row of created is: "lead" (default), "mql" (an MQL list) or "deal" (an opportunity export).',
  },
  {
    name: 'deal_created',
    type: 'Date[][]',
    optional: true,
    description: "From a second tab of deals: each deal's created date (its 商談化 date).",
  },
  {
    name: 'deal_statuses',
    type: 'string[][]',
    optional: true,
    description: 'Deals tab: status or stage, same height as the other deal columns.',
  },
  {
    name: 'deal_close_dates',
    type: 'Date[][]',
    optional: true,
    description: 'Deals tab: closing dates (won where won, lost where lost).',
  },
  {
    name: 'deal_won_dates',
    type: 'Date[][]',
    optional: true,
    description: 'Deals tab: won dates.',
  },
  {
    name: 'deal_lost_dates',
    type: 'Date[][]',
    optional: true,
    description: 'Deals tab: lost dates.',
  },
  {
    name: 'deal_amounts',
    type: 'number[][]',
    optional: true,
    description: 'Deals tab: amounts of won deals.',
  },
  {
    name: 'with_sal',
    type: 'boolean',
    optional: true,
    description:
      'TRUE: add a SAL column (leads accepted by IS: a status that means SAL or a later stage, at the created date).',
  },
  {
    name: 'row_types',
    type: 'string[][]',
    optional: true,
    description:
      'What each row is, same height, where a tab holds two kinds (Lead / Opportunity): looked up in status_map like a status; a type meaning a deal makes the row a deal.',
  },
  {
    name: 'active',
    type: 'string[][]',
    optional: true,
    description:
      'Active flags, same height: an archived (FALSE, no, 0, archived) deal that is not won counts as lost.',
  },
] as const satisfies readonly FunctionParameter[];

type KpiFunnelParameter = (typeof KPI_FUNNEL_PARAMETERS)[number]['name'];

export function kpiFunnelCell(...args: CellArguments<typeof KPI_FUNNEL_PARAMETERS>): Cell[][] {
  const arg = argumentsByName(KPI_FUNNEL_PARAMETERS, args);
  return inSheet((env) => {
    // Typed by KPI_FUNNEL's parameters: a stage column whose parameter is misspelt does not compile.
    const given = (c: { param: KpiFunnelParameter }): [string, unknown] => [c.param, arg[c.param]];
    const lead = columnsOf(LEAD_STAGE_COLUMNS.map(given));
    const deal = columnsOf(DEAL_STAGE_COLUMNS.map(given));
    const deals: DealColumns | undefined =
      deal.size === 0
        ? undefined
        : stageValues(DEAL_STAGE_COLUMNS, 'key', (c) => deal.get(c.param));
    const clock = sheetClock(env);
    const table = funnelByPeriod({
      ...stageValues(LEAD_STAGE_COLUMNS, 'key', (c) => lead.get(c.param)),
      created: lead.get('created'),
      exclude: excludeList(arg.exclude),
      period: choice(arg.period, 'period', PERIOD_CHOICES, 'month'),
      clock,
      from: scalar(arg.from),
      to: scalar(arg.to),
      statusStages: statusTable(arg.status_map),
      rows: choice(arg.rows_are, 'rows_are', ROW_KINDS, 'lead'),
      deals,
      readerFor: (values) => columnReader(env, clock, values),
      withSal: flag(arg.with_sal, 'with_sal'),
    });
    return localizeTable(table, env.lang, { total: true });
  });
}

/** KPI_FUNNEL: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const kpiFunnelFunction = defineFunction({
  name: 'KPI_FUNNEL',
  parameters: KPI_FUNNEL_PARAMETERS,
  returns: 'The funnel table with a header row and a Total row.',
  cell: kpiFunnelCell,
});

/** A TRUE/FALSE argument (omitted = FALSE); anything else names itself. */
function flag(arg: unknown, name: string): boolean {
  const v = scalar(arg);
  if (v === true || v === false) return v;
  if (v === '' || v === undefined || v === null) return false;
  return choice(v, name, { true: true, false: false }, false);
}
