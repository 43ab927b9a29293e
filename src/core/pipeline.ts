/**
 * The pipeline forecast (KPI_PIPELINE_FORECAST): open deals × the win rate of closed deals at the
 * same stage (from a stage history) or of similar age, landing in the period of their expected
 * close date (else after the median remaining time), × their amount (else the average won amount).
 * SPEC: see the issue #24 notes in NOTES.md; implemented by pipelineForecast below.
 */
import type { Cell } from './cohort';
import type { Period } from './dates';
import type { ForecastView } from './forecast';
import type { FunnelStage } from './funnel';

export const PIPELINE_FORECAST_HEADER = [
  'period',
  'open deals',
  'pipeline',
  'forecast won',
  'forecast revenue',
] as const;

export interface PipelineInput {
  /** Stage value per deal row. */
  stages: readonly unknown[];
  /** Amount per row (NaN: none). */
  amount: Float64Array;
  /** Expected close date (open) or close date (closed) per row, local day (NO_DAY: blank). */
  closeDay: Int32Array;
  /** Created day per row (NO_DAY: blank); undefined: not given. */
  createdDay?: Int32Array;
  /** What a stage value means (status_map), else knownStage. */
  stageOf: (value: unknown) => FunnelStage | undefined;
  /** Stage history rows: stage, outcome, [observed on, closed on, amount]; undefined: none. */
  history?: {
    stage: readonly unknown[];
    won: readonly boolean[];
    observedDay?: Int32Array;
    closedDay?: Int32Array;
    amount?: Float64Array;
  };
  period: Period;
  asOfDay: number;
  view: ForecastView;
  horizon: number;
}

export function pipelineForecast(_x: PipelineInput): Cell[][] {
  throw new Error('pipelineForecast: not implemented yet');
}
