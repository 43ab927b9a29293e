/**
 * THE list of generated sheets, in the order a build writes them. Sheet keys (SheetKey), names
 * (SHEET_NAMES, ADOPT_NAMES), the logs the writer only appends to, and the build's loop all derive
 * from it: adding a sheet is its file (`defineSheet({ key, names, build })`) and one line here.
 */

import type { DateOrder, ZoneClock } from '../dates';
import type { Lang } from '../errors';
import type { LeadTable } from '../leads';
import { windowDays } from '../leads';
import { minOf } from '../numbers';
import { type Actuals, windowActuals } from '../plan';
import type { KpiSettings } from '../settings';
import type { SheetModel } from '../sheetModel';
import { activity } from './activity';
import { bqData } from './bqData';
import { cac } from './cac';
import { capacity } from './capacity';
import { cohort } from './cohort';
import { cycleTime } from './cycleTime';
import { definitions } from './definitions';
import { forecast } from './forecast';
import { spillRows } from './formulas';
import { funnel } from './funnel';
import { history } from './history';
import { kpiTree } from './kpiTree';
import { listCoverage } from './listCoverage';
import { prospect } from './prospect';
import { quadrants } from './quadrants';
import { retention } from './retention';
import type { BuildContext } from './sheet';

export const SHEETS = [
  kpiTree,
  funnel,
  cohort,
  forecast,
  activity,
  capacity,
  prospect,
  cycleTime,
  cac,
  retention,
  quadrants,
  listCoverage,
  definitions,
  history,
  bqData,
] as const;

export type SheetKey = (typeof SHEETS)[number]['key'];

export const SHEET_NAMES = {
  ja: Object.fromEntries(SHEETS.map((s) => [s.key, s.names.ja])),
  en: Object.fromEntries(SHEETS.map((s) => [s.key, s.names.en])),
} as Record<Lang, Record<SheetKey, string>>;

/** Our sheets' usual names per role (both languages): heal adopts what a pre-registry build left. */
export const ADOPT_NAMES: Record<string, string[]> = Object.fromEntries(
  SHEETS.map((s) => [s.key, [s.names.en, s.names.ja]]),
);

/** Roles that builds append to and never replace (the sheets without `build`). */
export const APPEND_ONLY_KEYS: readonly string[] = SHEETS.filter((s) => !s.build).map((s) => s.key);

/** All replaceable sheets of a build. */
export function buildModels(
  settings: KpiSettings,
  table: LeadTable,
  values: readonly (readonly unknown[])[],
  clock: ZoneClock,
  localeOrder: DateOrder = 'mdy',
  dealValues?: readonly (readonly unknown[])[],
  /** The window's actuals when the caller has them already (one funnel pass per build). */
  actuals: Actuals = windowActuals(values, settings, clock, localeOrder, dealValues),
): SheetModel[] {
  const created = windowDays(table, settings.mapping);
  const firstDay = created.length > 0 ? minOf(created) : undefined;
  const context: BuildContext = {
    settings,
    actuals,
    zone: clock.timeZone,
    spill: spillRows(settings, firstDay),
    firstDay,
    table,
    values,
    dealValues,
  };
  const models: (SheetModel | undefined)[] = [];
  for (const sheet of SHEETS)
    if (!settings.bigquery || sheet.bigquery) models.push(sheet.build?.(context));
  return models.filter((m): m is SheetModel => m !== undefined);
}
