/**
 * The sidebar ↔ server contract: the settings of a build, as the sidebar sends them and the
 * document properties keep them. Types only; every sheet and the sidebar read them from here.
 */

import type { CurrencyCode } from './currency';
import type { Lang } from './errors';
import type { ExtraTab } from './extraTabs';
import type { KpiGoal } from './goals';
import type { LeadMapping } from './leads';
import type { RowKind } from './stages';

export interface KpiSettings {
  /** The lead tab (or, on BigQuery, the table's id `project.dataset.table`). */
  leadSheet: string;
  /**
   * The lead table is a BigQuery table (the BigQuery edition, through Connected Sheets): the
   * mapping's column numbers index its schema; the KPI sheets read extracts of the KPI queries.
   */
  bigquery?: BigQuerySource;
  /** The lead tab's header row (1-based; default 1): data starts below it. */
  headerRow?: number;
  mapping: LeadMapping;
  period: 'month' | 'quarter';
  /** Reporting window, ISO dates (google.script.run carries no Dates). */
  from: string;
  to: string;
  /** Revenue target per period; undefined = the window's actual revenue per period (no gap). */
  revenueTarget?: number;
  /** Average deal size for the plan; undefined = the actual one. */
  avgDealSize?: number;
  /** Values of the target column that are not targets (partners, competitors …); empty = yes/no. */
  targetExclude: string[];
  /** Heads and monthly capacity per head per stage (blank = not bound). */
  capacity: { stage: string; heads: number | ''; perHead: number | '' }[];
  /** Days within which a prospect of each rank should become a deal. */
  rankHorizons: Record<string, number>;
  lang: Lang;
  /** Why the definitions changed, as typed in the sidebar. */
  why?: string;
  /** Status value → funnel stage (lead, mql, sal, sql, won, lost, nurture, ignore). */
  statusMap?: Record<string, string>;
  /** The team's names for Lead, MQL, SAL, SQL, Won. */
  stageNames?: string[];
  /** What one row of the lead tab is: a lead (default), an MQL (an MQL list), a deal (an opportunity export). */
  rowsAre?: RowKind;
  /** An optional second tab with one row per deal. */
  deals?: DealsSettings;
  /** The spreadsheet's locale (set by the build): money is formatted in its currency … */
  locale?: string;
  /** … unless the data's amounts are in a known currency (detected by the inspection). */
  currency?: CurrencyCode;
  /** Optional customers tab (start, end, company): the retention sheet. */
  customers?: ExtraTab;
  /** Optional BDR target-account list (company): the list-coverage sheet. */
  targetList?: ExtraTab;
  /** Optional activity log (company, owner, count) the list coverage counts; else the lead tab. */
  activityLog?: ExtraTab;
  /** Optional costs tab (period, marketing, is, fs): the CAC sheet. */
  costTab?: ExtraTab;
  /** Costs per period typed in the sidebar (used where the costs tab has no column for them). */
  costs?: CostSettings;
  /** Per KPI (node id): its critical success factor, owner, target and deadline (the SMART check). */
  kpis?: Partial<Record<string, KpiGoal>>;
  /** Achievable: a target above the best of the last 12 periods by more than this fails (0.1 = 10 %). */
  stretchMargin?: number;
}

/** A BigQuery lead table: the project that pays for the queries, the table and its schema. */
export interface BigQuerySource {
  /** The billing project (runs the query jobs). */
  project: string;
  /** `project.dataset.table`. */
  table: string;
  /** Its columns in order (names and BigQuery types), as read when it was inspected. */
  schema: { name: string; type: string }[];
}

/** Costs per period: marketing spend, and IS / FS as heads × cost per head. */
export interface CostSettings {
  marketing: number | '';
  isHeads: number | '';
  isPerHead: number | '';
  fsHeads: number | '';
  fsPerHead: number | '';
}

export interface DealsSettings {
  sheet: string;
  /** 1-based header row of the deals tab. */
  headerRow: number;
  /** Columns of the deals tab: created (the deal's date), status, closeDate, wonDate, lostDate, amount, owner, company, id. */
  mapping: LeadMapping;
  /** How a deal finds its lead, for the cohort: by a lead ID column in both tabs, or by company. */
  joinBy: 'id' | 'company' | 'none';
  /** Lead-tab and deals-tab columns holding the join key. */
  leadKey?: number;
  dealKey?: number;
}
