/**
 * The KPI queries bench/duckdb-kpis.ts times over the generated lead table (local/leads.ts), in
 * one place so that tests/local/bench-queries.test.ts can check them against what a BigQuery
 * build really runs.
 *
 * - The funnel is the build's own query: extractSlots (src/core/sql/queries.ts) of the settings
 *   the sidebar sends for the generated table when the user touches nothing (the columns the
 *   detection maps, the statuses with the meanings it guesses, the default window 2025-01-01 …
 *   2025-12-31). "whole table" is that query with the window dropped.
 * - The other KPIs have no BigQuery build yet (the registry prints only the funnel): their queries
 *   take the generated table's columns as a user would give them to the custom functions.
 */

import type { KpiSettings } from '../src/core/settings';
import { activitySql } from '../src/core/sql/activity';
import { cohortSql } from '../src/core/sql/cohort';
import { cycleTimeSql } from '../src/core/sql/cycleTime';
import { type Dialect, duckDb, type SqlColumn } from '../src/core/sql/dialect';
import { type FunnelQuery, funnelSql } from '../src/core/sql/funnel';
import { extractSlots } from '../src/core/sql/queries';
import { retentionSql } from '../src/core/sql/retention';

/** The spreadsheet's time zone of the bench (and of the build test). */
export const ZONE = 'Asia/Tokyo';
export const PROJECT = 'kpi-demo';
/** The table id; DuckDB names a view by the whole id (as local/bigquery.ts does). */
export const TABLE = 'kpi-demo.crm.leads';

/** The generated table's columns as BigQuery types them (local/leads.ts). */
export const LEAD_SCHEMA: readonly SqlColumn[] = [
  { name: 'lead_id', type: 'STRING' },
  { name: 'created_at', type: 'TIMESTAMP' },
  { name: 'mql_at', type: 'TIMESTAMP' },
  { name: 'deal_at', type: 'TIMESTAMP' },
  { name: 'won_at', type: 'TIMESTAMP' },
  { name: 'lost_at', type: 'TIMESTAMP' },
  { name: 'amount', type: 'INT64' },
  { name: 'company', type: 'STRING' },
  { name: 'email', type: 'STRING' },
  { name: 'status', type: 'STRING' },
  { name: 'owner', type: 'STRING' },
  { name: 'source', type: 'STRING' },
  { name: 'target', type: 'STRING' },
];

const col = (name: string): SqlColumn => LEAD_SCHEMA.find((c) => c.name === name) as SqlColumn;
const at = (name: string) => LEAD_SCHEMA.findIndex((c) => c.name === name);

/**
 * The settings the sidebar sends for the generated table when the user touches nothing (as
 * tests/helpers/settings.ts untouchedSettings makes them from the inspection).
 */
export function benchSettings(lang: 'ja' | 'en' = 'en'): KpiSettings {
  return {
    leadSheet: TABLE,
    headerRow: 1,
    bigquery: {
      project: PROJECT,
      table: TABLE,
      schema: LEAD_SCHEMA.map((c) => ({ name: c.name, type: c.type })),
    },
    mapping: {
      id: at('lead_id'),
      created: at('created_at'),
      mqlDate: at('mql_at'),
      dealDate: at('deal_at'),
      wonDate: at('won_at'),
      lostDate: at('lost_at'),
      amount: at('amount'),
      company: at('company'),
      email: at('email'),
      status: at('status'),
      owner: at('owner'),
      source: at('source'),
      target: at('target'),
    },
    period: 'month',
    from: '2025-01-01',
    to: '2025-12-31',
    revenueTarget: 1_000_000,
    targetExclude: [],
    capacity: [],
    rankHorizons: {},
    lang,
    rowsAre: 'lead',
    // In the order the inspection lists them (by count in its 2,000-row sample): the query's order.
    statusMap: { New: 'lead', MQL: 'mql', 商談化: 'sql', 受注: 'won', 失注: 'lost' },
  };
}

/** The distinct funnel queries a build runs (window and history; at the defaults one query). */
export function buildFunnelQueries(settings = benchSettings()): FunnelQuery[] {
  const seen = new Set<string>();
  const out: FunnelQuery[] = [];
  for (const slot of extractSlots(settings, ZONE)) {
    if (slot.query.kind !== 'funnel') continue;
    const key = JSON.stringify(slot.query.query);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(slot.query.query);
  }
  return out;
}

/** Cohorts 2024-01 … 2025-12: the chase's and retention's +0 … +23. */
export const AGES = 24;

/**
 * A fixed-offset twin of the DuckDB printing (not the product's: the printers are unchanged):
 * the local day of a TIMESTAMP as epoch microseconds shifted by the zone's one offset, instead of
 * timezone(zone, ts). Right only for a zone without DST or offset changes over the data (Tokyo
 * since 1952).
 */
export function fixedOffsetDuckDb(offsetMinutes: number): Dialect {
  return {
    ...duckDb,
    dayOf: (c, zone) =>
      c.type === 'TIMESTAMP'
        ? `CAST(make_timestamp(epoch_us(${duckDb.ident(c.name)}) + ${offsetMinutes * 60_000_000}) AS DATE)`
        : duckDb.dayOf(c, zone),
  };
}

export type KpiId =
  | 'funnel'
  | 'funnel-offset'
  | 'funnel-build'
  | 'cohort'
  | 'cycle'
  | 'retention'
  | 'activity';

export interface KpiCase {
  id: KpiId;
  /** What the row of the figure table says. */
  label: string;
  /** The DuckDB text timed. */
  sql: string;
}

/** Every query the bench times, printed for DuckDB. */
export function kpiCases(settings = benchSettings()): KpiCase[] {
  const [window] = buildFunnelQueries(settings);
  const whole: FunnelQuery = { ...window, from: undefined, to: undefined };
  const lang = settings.lang;
  return [
    { id: 'funnel', label: 'funnel/month, whole table', sql: funnelSql(whole, duckDb) },
    {
      id: 'funnel-offset',
      label: '  same, day by fixed +09:00 shift',
      sql: funnelSql(whole, fixedOffsetDuckDb(9 * 60)),
    },
    {
      id: 'funnel-build',
      label: "funnel/month, build's extract",
      sql: funnelSql(window, duckDb),
    },
    {
      id: 'cohort',
      label: 'cohort chase/month lead→deal',
      sql: cohortSql(
        {
          table: TABLE,
          leadDates: col('created_at'),
          convertedDates: col('deal_at'),
          view: 'chase',
          period: 'month',
          zone: ZONE,
          ages: AGES,
        },
        duckDb,
      ),
    },
    {
      id: 'cycle',
      label: 'cycle time/month lead→deal',
      sql: cycleTimeSql(
        {
          table: TABLE,
          startDates: col('created_at'),
          endDates: col('deal_at'),
          period: 'month',
          zone: ZONE,
          lang,
        },
        duckDb,
      ),
    },
    {
      id: 'retention',
      label: 'retention/month created→lost',
      sql: retentionSql(
        {
          table: TABLE,
          startDates: col('created_at'),
          endDates: col('lost_at'),
          period: 'month',
          zone: ZONE,
          ages: AGES,
        },
        duckDb,
      ),
    },
    {
      id: 'activity',
      label: 'activity area by owner',
      sql: activitySql(
        {
          table: TABLE,
          companies: col('company'),
          owners: col('owner'),
          rowOrder: col('lead_id'),
          lang,
        },
        duckDb,
      ),
    },
  ];
}
