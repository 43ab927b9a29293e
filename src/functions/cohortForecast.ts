/**
 * KPI_COHORT_FORECAST: where the coming periods land from the chase triangle (src/core/forecast.ts),
 * or its backtest. Deterministic: as_of is an argument (no TODAY()); the builder writes the as-of
 * cell and the user may change it.
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
import { DAY_MS, DateReader, localeDateOrder, PERIOD_CHOICES } from '../core/dates';
import { KpiError } from '../core/errors';
import {
  BAD_CELL_CHOICES,
  cohortForecast,
  DEFAULT_HORIZON,
  FORECAST_VIEWS,
  readForecastColumns,
} from '../core/forecast';
import { localizeTable } from '../core/i18n';
import { readNumber } from '../core/numbers';
import { defineFunction } from './declare';
import { columnReader, inSheet, type SheetEnv, sheetClock } from './env';

/** A whole number ≥ min from a one-cell argument; omitted → fallback. */
export function wholeArg(arg: unknown, name: string, min: number, fallback: number): number {
  const v = scalar(arg);
  if (isBlank(v)) return fallback;
  const x = readNumber(v, name, 1);
  if (!Number.isInteger(x) || x < min)
    throw new KpiError('notWhole', { arg: name, row: 1, value: String(v), min });
  return x;
}

/** The as_of argument: required, a date (text read in the locale's order). */
export function asOfDay(env: SheetEnv, arg: unknown): number {
  const v = scalar(arg);
  if (isBlank(v)) throw new KpiError('required', { arg: 'as_of' });
  const reader = new DateReader(sheetClock(env), localeDateOrder(env.locale));
  return Math.floor(reader.read(v, 'as_of', 1) / DAY_MS);
}

export function cohortForecastCell(
  createdDates: unknown,
  conversionDates: unknown,
  asOf: unknown,
  period?: unknown,
  horizon?: unknown,
  amounts?: unknown,
  newLeads?: unknown,
  view?: unknown,
  badCells?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'created_dates', values: column(createdDates, 'created_dates') },
      { name: 'conversion_dates', values: column(conversionDates, 'conversion_dates') },
    ];
    const withAmounts = !isOmitted(amounts);
    if (withAmounts) cols.push({ name: 'amounts', values: column(amounts, 'amounts') });
    alignColumns(cols);
    const clock = sheetClock(env);
    const chosen = choice(view, 'view', FORECAST_VIEWS, 'forecast');
    const planned = scalar(newLeads);
    const plannedLeads = isBlank(planned) ? undefined : readNumber(planned, 'new_leads', 1);
    if (plannedLeads !== undefined && plannedLeads < 0)
      throw new KpiError('negative', { arg: 'new_leads', row: 1, value: String(planned) });
    const read = readForecastColumns(
      cols[0].values,
      cols[1].values,
      withAmounts ? cols[2].values : undefined,
      {
        lead: columnReader(env, clock, cols[0].values),
        converted: columnReader(env, clock, cols[1].values),
      },
      choice(badCells, 'bad_cells', BAD_CELL_CHOICES, 'error'),
    );
    const table = cohortForecast({
      ...read,
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      asOfDay: asOfDay(env, asOf),
      view: chosen,
      horizon: wholeArg(horizon, 'horizon', 1, DEFAULT_HORIZON[chosen]),
      newLeads: plannedLeads,
      leadCells: cols[0].values,
      asOfCell: scalar(asOf),
    });
    return localizeTable(table, env.lang);
  });
}

/** The parameters both forecast functions declare alike (KPI_PIPELINE_FORECAST reuses them). */
export const PERIOD_PARAMETER = {
  name: 'period',
  type: 'string',
  optional: true,
  description: '"month" (default), "week" (ISO, Monday start) or "quarter".',
} as const;
export const HORIZON_PARAMETER = {
  name: 'horizon',
  type: 'number',
  optional: true,
  description:
    'Periods to forecast from the as_of period on (default 3), or to backtest (default 6).',
} as const;
export const BAD_CELLS_PARAMETER = {
  name: 'bad_cells',
  type: 'string',
  optional: true,
  description:
    '"error" (default): a cell that is not a date or a number is an error naming it; "skip": such cells are left out (the generated sheets, whose sidebar lists them before a build).',
} as const;

/** KPI_COHORT_FORECAST: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const cohortForecastFunction = defineFunction({
  name: 'KPI_COHORT_FORECAST',
  parameters: [
    {
      name: 'created_dates',
      type: 'Date[][]',
      description: 'Lead created dates (one column), e.g. Leads!B2:B.',
    },
    {
      name: 'conversion_dates',
      type: 'Date[][]',
      description: 'Won dates (or another conversion), same height; blank = not converted.',
    },
    {
      name: 'as_of',
      type: 'Date',
      description:
        'The forecast date: the forecast is made from what was known at the start of its period.',
    },
    PERIOD_PARAMETER,
    HORIZON_PARAMETER,
    {
      name: 'amounts',
      type: 'number[][]',
      optional: true,
      description:
        'Optional deal amount per row, same height: revenue = conversions × average amount.',
    },
    {
      name: 'new_leads',
      type: 'number',
      optional: true,
      description:
        'Optional leads expected per coming period (the plan): forecast too. Default: only leads already created.',
    },
    {
      name: 'view',
      type: 'string',
      optional: true,
      description:
        '"forecast" (default) or "backtest" (the last completed periods, each forecast from its start).',
    },
    BAD_CELLS_PARAMETER,
  ],
  returns:
    'Per period: forecast conversions and revenue, and the actual so far; or the backtest table. With a header row.',
  cell: cohortForecastCell,
});
