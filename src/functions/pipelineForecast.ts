/**
 * KPI_PIPELINE_FORECAST: the open pipeline weighted by historical win rates, landing by expected
 * close date (src/core/pipeline.ts), or its backtest where a dated stage history allows one.
 */
import type { Cell } from '../core/cohort';
import { defineFunction } from './declare';

export function pipelineForecastCell(
  _stages: unknown,
  _amounts: unknown,
  _closeDates: unknown,
  _history: unknown,
  _asOf: unknown,
  _period?: unknown,
  _horizon?: unknown,
  _statusMap?: unknown,
  _createdDates?: unknown,
  _view?: unknown,
): Cell[][] {
  throw new Error('KPI_PIPELINE_FORECAST: not implemented yet');
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
    {
      name: 'period',
      type: 'string',
      optional: true,
      description: '"month" (default), "week" (ISO, Monday start) or "quarter".',
    },
    {
      name: 'horizon',
      type: 'number',
      optional: true,
      description:
        'Periods to forecast from the as_of period on (default 3), or to backtest (default 6).',
    },
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
  ],
  returns:
    'Per period: open deals landing, their pipeline amount, forecast won and revenue; or the backtest table. With a header row.',
  cell: pipelineForecastCell,
});
