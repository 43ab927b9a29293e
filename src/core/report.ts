/**
 * TEMPORARY: the old home of the generated sheets, kept only as re-exports so that branches of
 * issue 22 written against it (the api.ts and sidebar/main.ts splits) still compile once merged.
 * Nothing in src/, sidebar/ or tests/ imports it; delete it when those branches have landed.
 *   settings types → ./settings · plan maths → ./plan · sheets, keys, names → ./sheets/index
 *   colours, formats → ./sheets/style · formula helpers → ./sheets/formulas
 */

export { isoToDay } from './dates';
export {
  type Actuals,
  funnelInput,
  measuredOf,
  PLAN_CELL,
  PLAN_INPUT,
  type PlanValue,
  planDefaults,
  plansFromActual,
  readerForColumns,
  windowActuals,
} from './plan';
export type { CostSettings, DealsSettings, KpiSettings } from './settings';
export { activitySheet } from './sheets/activity';
export { capacitySheet } from './sheets/capacity';
export { cohortSheet, cohortSource } from './sheets/cohort';
export {
  DEFINITIONS_HEADER,
  definitionsRow,
  describeDefinitions,
  fingerprint,
} from './sheets/definitions';
export {
  colRange,
  dealColumns,
  leadColumns,
  periodStartOf,
  REFERENCED_ROWS,
  spillRows,
} from './sheets/formulas';
export { funnelSheet } from './sheets/funnel';
export { ADOPT_NAMES, buildModels, SHEET_NAMES, type SheetKey } from './sheets/index';
export {
  assumedInputs,
  kpiTreeSheet,
  measurableNodes,
  treeVocabulary,
  trustNotes,
} from './sheets/kpiTree';
export { prospectSheet } from './sheets/prospect';
export { COLORS, daysWithUnit, FMT, moneyFormat } from './sheets/style';
export { calculatingText, noDataText } from './sheets/treeText';
