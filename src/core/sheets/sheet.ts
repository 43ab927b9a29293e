/**
 * The contract every generated sheet keeps: a key (its role, which the writer tags it with and
 * `⟦key⟧` references bind to), its names in both languages, and how a build makes it. A sheet
 * without `build` is a log the add-on appends to and never replaces (the definitions log, the
 * KPI history).
 */

import type { Lang } from '../errors';
import type { LeadTable } from '../leads';
import type { Actuals } from '../plan';
import type { KpiSettings } from '../settings';
import type { SheetModel } from '../sheetModel';

/** What a build knows when it makes its sheets (computed once by buildModels). */
export interface BuildContext {
  settings: KpiSettings;
  /** The window's actual totals: the plan inputs start from them. */
  actuals: Actuals;
  /** Rows a spilled table over the window may take (spillRows). */
  spill: number;
  /** The spreadsheet's time zone (IANA): the queries bucket dates in it. */
  zone: string;
  /** The earliest created date of the lead tab (a local day); undefined when there is none. */
  firstDay: number | undefined;
  /** The lead tab, read once. */
  table: LeadTable;
  /** The lead tab's and the deals tab's cells as read. */
  values: readonly (readonly unknown[])[];
  dealValues: readonly (readonly unknown[])[] | undefined;
}

export interface SheetDef<K extends string = string> {
  readonly key: K;
  readonly names: Readonly<Record<Lang, string>>;
  /** The sheet of a build, or undefined when the data cannot support it. Absent: a log. */
  readonly build?: (context: BuildContext) => SheetModel | undefined;
  /** Built from a BigQuery table too (its live data read from extracts): see settings.bigquery. */
  readonly bigquery?: boolean;
}

/** A sheet's definition, its key kept as a literal type (SheetKey derives from the keys). */
export const defineSheet = <K extends string>(def: SheetDef<K>): SheetDef<K> => def;
