/**
 * THE list of custom functions, each declared beside its implementation (./declare.ts). The
 * entry file's JSDoc'd functions, the README's reference and the menu's help are checked against
 * it or derived from it; the sheets write their calls with `formula` below.
 */
import { activityAreaFunction } from './activityArea';
import { capacityFunction } from './capacity';
import { cohortConversionFunction } from './cohortConversion';
import { cohortForecastFunction } from './cohortForecast';
import { cycleTimeFunction } from './cycleTime';
import { dealQuadrantsFunction } from './dealQuadrants';
import { type FormulaArguments, formulaOf } from './declare';
import { kpiCohortFunction } from './kpiCohort';
import { kpiFunnelFunction } from './kpiFunnel';
import { listCoverageFunction } from './listCoverage';
import { pipelineForecastFunction } from './pipelineForecast';
import { prospectAccuracyFunction } from './prospectAccuracy';
import { retentionFunction } from './retention';
import { selfCheckProbeFunction } from './selfCheckProbe';

/** Every custom function, in the order the menu's help names them. */
export const CUSTOM_FUNCTIONS = [
  cohortConversionFunction,
  activityAreaFunction,
  capacityFunction,
  kpiFunnelFunction,
  kpiCohortFunction,
  cycleTimeFunction,
  retentionFunction,
  listCoverageFunction,
  dealQuadrantsFunction,
  prospectAccuracyFunction,
  cohortForecastFunction,
  pipelineForecastFunction,
  selfCheckProbeFunction,
] as const;

type Declared = (typeof CUSTOM_FUNCTIONS)[number];
export type FunctionName = Declared['name'];
type DeclarationOf<N extends FunctionName> = Extract<Declared, { name: N }>;
/** The named arguments of a call to N (its parameter names; the required ones required). */
export type ArgumentsOf<N extends FunctionName> = FormulaArguments<DeclarationOf<N>['parameters']>;

const BY_NAME = new Map<string, Declared>(CUSTOM_FUNCTIONS.map((f) => [f.name, f]));

/**
 * `=NAME(…)` from named arguments (formula text each), placed in the declared order: a wrong name
 * or a missing required argument does not compile. An omitted middle argument is written empty
 * (`a, , c`), omitted trailing ones are dropped.
 */
export function formula<N extends FunctionName>(name: N, args: ArgumentsOf<N>): string {
  const declaration = BY_NAME.get(name) as Declared;
  return formulaOf(declaration, args as FormulaArguments<Declared['parameters']>);
}

/** The names the menu's help lists: the report functions (not the self-check's probe). */
export function reportFunctionNames(): string[] {
  return CUSTOM_FUNCTIONS.filter((f) => !('internal' in f && f.internal)).map((f) => f.name);
}
