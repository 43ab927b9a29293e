/**
 * KPI_PIPELINE_FORECAST: the open pipeline weighted by historical win rates, landing by expected
 * close date (src/core/pipeline.ts), or its backtest where a dated stage history allows one.
 */
import {
  alignColumns,
  choice,
  column,
  isBlank,
  isOmitted,
  MAX_ROWS,
  type NamedColumn,
  scalar,
} from '../core/args';
import type { Cell } from '../core/cohort';
import { PERIOD_CHOICES } from '../core/dates';
import { KpiError } from '../core/errors';
import { BAD_CELL_CHOICES, DEFAULT_HORIZON, FORECAST_VIEWS } from '../core/forecast';
import { localizeTable } from '../core/i18n';
import {
  pipelineForecast,
  readPipelineColumns,
  readPipelineHistory,
  stageReader,
} from '../core/pipeline';
import {
  asOfDay,
  BAD_CELLS_PARAMETER,
  HORIZON_PARAMETER,
  PERIOD_PARAMETER,
  wholeArg,
} from './cohortForecast';
import { defineFunction } from './declare';
import { columnReader, inSheet, sheetClock } from './env';
import { statusTable } from './kpiFunnel';

/** The history argument's rows (2–5 columns; trailing blank rows dropped); undefined: none. */
function historyRows(arg: unknown): unknown[][] | undefined {
  if (isOmitted(arg)) return undefined;
  if (!Array.isArray(arg) || !Array.isArray(arg[0]))
    throw new KpiError('historyColumns', { cols: 1 });
  const width = (arg[0] as unknown[]).length;
  if (width < 2 || width > 5) throw new KpiError('historyColumns', { cols: width });
  if (arg.length > MAX_ROWS)
    throw new KpiError('rangeTooLarge', { arg: 'history', rows: arg.length, max: MAX_ROWS });
  let n = arg.length;
  while (n > 0 && (arg[n - 1] as unknown[]).every(isBlank)) n--;
  return (arg as unknown[][]).slice(0, n);
}

export function pipelineForecastCell(
  stages: unknown,
  amounts: unknown,
  closeDates: unknown,
  history: unknown,
  asOf: unknown,
  period?: unknown,
  horizon?: unknown,
  statusMap?: unknown,
  createdDates?: unknown,
  view?: unknown,
  badCells?: unknown,
): Cell[][] {
  return inSheet((env) => {
    const cols: NamedColumn[] = [
      { name: 'stages', values: column(stages, 'stages') },
      { name: 'amounts', values: column(amounts, 'amounts') },
      { name: 'close_dates', values: column(closeDates, 'close_dates') },
    ];
    const withCreated = !isOmitted(createdDates);
    if (withCreated)
      cols.push({ name: 'created_dates', values: column(createdDates, 'created_dates') });
    alignColumns(cols);
    const clock = sheetClock(env);
    const chosen = choice(view, 'view', FORECAST_VIEWS, 'forecast');
    const stageOf = stageReader(statusTable(statusMap));
    const read = readPipelineColumns(
      cols[1].values,
      cols[2].values,
      withCreated ? cols[3].values : undefined,
      {
        close: columnReader(env, clock, cols[2].values),
        created: withCreated ? columnReader(env, clock, cols[3].values) : undefined,
      },
      choice(badCells, 'bad_cells', BAD_CELL_CHOICES, 'error'),
    );
    const rows = historyRows(history);
    const dates = (k: number) =>
      rows && rows.length > 0 && rows[0].length > k
        ? columnReader(
            env,
            clock,
            rows.map((r) => r[k]),
          )
        : undefined;
    const table = pipelineForecast({
      stages: cols[0].values,
      ...read,
      stageOf,
      history: rows
        ? readPipelineHistory(rows, stageOf, { observed: dates(2), closed: dates(3) })
        : undefined,
      period: choice(period, 'period', PERIOD_CHOICES, 'month'),
      asOfDay: asOfDay(env, asOf),
      view: chosen,
      horizon: wholeArg(horizon, 'horizon', 1, DEFAULT_HORIZON[chosen]),
      asOfCell: scalar(asOf),
    });
    return localizeTable(table, env.lang);
  });
}

/** KPI_PIPELINE_FORECAST: the declaration src/index.ts's JSDoc and the sheets' formulas follow. */
export const pipelineForecastFunction = defineFunction({
  name: 'KPI_PIPELINE_FORECAST',
  parameters: [
    {
      name: 'stages',
      type: 'string[][]',
      description:
        'Stage of each deal (one column), e.g. Deals!C2:C; rows whose stage means won or lost are the closed deals.',
    },
    {
      name: 'amounts',
      type: 'number[][]',
      description: 'Amount of each deal, same height; blank = the average won amount.',
    },
    {
      name: 'close_dates',
      type: 'Date[][]',
      description:
        'Expected close date of each open deal (closing date of a closed one), same height.',
    },
    {
      name: 'history',
      type: 'string[][]',
      description:
        'Stage history of closed deals: stage | outcome [| observed on | closed on | amount]; a blank cell = none (win rate by age).',
    },
    {
      name: 'as_of',
      type: 'Date',
      description: 'The forecast date: deals open on it are forecast from its period on.',
    },
    PERIOD_PARAMETER,
    HORIZON_PARAMETER,
    {
      name: 'status_map',
      type: 'string',
      optional: true,
      description:
        'What each stage means, e.g. "Closed Won=won; Closed Lost=lost", or a two-column range. Default: the stage words known in six languages.',
    },
    {
      name: 'created_dates',
      type: 'Date[][]',
      optional: true,
      description:
        'Optional created date of each deal, same height: win rate and remaining time by age.',
    },
    {
      name: 'view',
      type: 'string',
      optional: true,
      description:
        '"forecast" (default) or "backtest" (needs a history with observed-on and closed-on dates).',
    },
    BAD_CELLS_PARAMETER,
  ],
  returns:
    'Per period: open deals landing, their pipeline amount, forecast won and revenue; or the backtest table. With a header row.',
  cell: pipelineForecastCell,
});
