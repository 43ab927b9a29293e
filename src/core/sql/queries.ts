/**
 * THE list of the add-on's queries (what a BigQuery build asks Connected Sheets to run), each
 * printed in either dialect with a first line that names it: `-- kpi-tree-addon {json}`. The
 * line documents the definition behind an extract for whoever opens its query in Sheets, and
 * lets the local engine (local/bigquery.ts) run the DuckDB twin of exactly that query — it
 * re-prints the BigQuery text from the line and refuses one that differs.
 */
import { isoDay, isoToDay, periodOfDay, periodStartDay } from '../dates';
import { FUNNEL_HEADER, type FunnelStage, SAL_HEADER } from '../funnel';
import { localizeTable } from '../i18n';
import { measuredOf, statusStages } from '../plan';
import type { KpiSettings } from '../settings';
import { LEAD_STAGE_COLUMNS } from '../stageColumns';
import { type CohortQuery, cohortSql } from './cohort';
import type { Dialect, SqlType } from './dialect';
import { type FunnelQuery, funnelSql, type LeadTableColumns } from './funnel';

export type KpiQuery =
  | { kind: 'funnel'; query: FunnelQuery }
  | { kind: 'cohort'; query: CohortQuery }
  /** The table's columns and BigQuery types, in order. */
  | { kind: 'schema'; table: string }
  /** Rows for the column detection (the same as a tab's first rows). */
  | { kind: 'sample'; table: string; limit: number };

const MARK = '-- kpi-tree-addon ';
/** How every query of the add-on begins (heal knows its own data source sheets by it). */
export const QUERY_MARK = MARK;

export function querySql(k: KpiQuery, d: Dialect): string {
  return `${MARK}${JSON.stringify(k)}\n${body(k, d)}`;
}

function body(k: KpiQuery, d: Dialect): string {
  switch (k.kind) {
    case 'funnel':
      return funnelSql(k.query, d);
    case 'cohort':
      return cohortSql(k.query, d);
    case 'schema':
      return d.schemaQuery(k.table);
    case 'sample':
      return `SELECT * FROM ${d.table(k.table)} LIMIT ${Math.floor(k.limit)}`;
  }
}

/** The query a printed text names on its first line (undefined for any other text). */
export function queryOf(sql: string): KpiQuery | undefined {
  if (!sql.startsWith(MARK)) return undefined;
  const line = sql.slice(MARK.length, sql.indexOf('\n'));
  try {
    return JSON.parse(line) as KpiQuery;
  } catch {
    return undefined;
  }
}

/** The SQL column of each funnel role, from the mapping (column numbers of the schema). */
export function tableColumns(settings: KpiSettings): LeadTableColumns {
  const bq = settings.bigquery;
  const out: LeadTableColumns = {};
  if (!bq) return out;
  for (const c of LEAD_STAGE_COLUMNS) {
    if (c.key === 'kinds' || c.key === 'active') continue;
    for (const f of c.fields) {
      const i = settings.mapping[f];
      const col = i === undefined ? undefined : bq.schema[i];
      if (col) {
        out[c.key] = { name: col.name, type: col.type as SqlType };
        break;
      }
    }
  }
  return out;
}

/** One extract of a BigQuery build: where it sits on the data sheet and what it holds. */
export interface ExtractSlot {
  key: 'window' | 'history' | 'cohort';
  query: KpiQuery;
  /** First column on the data sheet (1-based); the extract's header is on row 1. */
  col: number;
  /** Rows (header included) and columns it holds. */
  rows: number;
  cols: number;
}

/** The cohort extract's room: cohorts (rows) and ages (+0 … +39), as the custom function's spill. */
export const COHORT_ROWS = 120;
export const COHORT_AGES = 40;

/**
 * The cohort (追っかけ) of a BigQuery build: leads created → their deal date (or won date), as
 * cohortSource picks for a tab's plain COHORT_CONVERSION. Undefined when the table has neither.
 */
export function cohortQuery(
  settings: KpiSettings,
  zone: string,
): { query: CohortQuery; to: 'deal' | 'won' } | undefined {
  const bq = settings.bigquery;
  const c = tableColumns(settings);
  if (!bq || !c.created) return undefined;
  const to = (settings.rowsAre ?? 'lead') !== 'deal' && c.deal ? 'deal' : c.won ? 'won' : undefined;
  const conv = to === 'deal' ? c.deal : c.won;
  if (!to || !conv) return undefined;
  return {
    to,
    query: {
      table: bq.table,
      leadDates: c.created,
      convertedDates: conv,
      view: 'chase',
      period: settings.period,
      zone,
      ages: COHORT_AGES,
    },
  };
}

/** The window's funnel (tree, funnel sheet) and the last 12 periods' (the tree's SMART check). */
export function extractSlots(settings: KpiSettings, zone: string): ExtractSlot[] {
  const bq = settings.bigquery;
  if (!bq) return [];
  const sal = measuredOf(settings).sal;
  const funnel = (from: string, to: string): FunnelQuery => ({
    table: bq.table,
    columns: tableColumns(settings),
    period: settings.period,
    zone,
    lang: settings.lang,
    from,
    to,
    statusMap: statusStages(settings) as Record<string, FunnelStage> | undefined,
    exclude: settings.targetExclude,
    withSal: sal,
  });
  const cols = FUNNEL_HEADER.length + (sal ? 1 : 0);
  const periods = (from: string, to: string) =>
    periodOfDay(isoToDay(to), settings.period) - periodOfDay(isoToDay(from), settings.period) + 1;
  const historyFrom = historyStart(settings.to, settings.period);
  const cohort = cohortQuery(settings, zone);
  const slots: Omit<ExtractSlot, 'col'>[] = [
    {
      key: 'window',
      query: { kind: 'funnel', query: funnel(settings.from, settings.to) },
      rows: periods(settings.from, settings.to) + 2,
      cols,
    },
    {
      key: 'history',
      query: { kind: 'funnel', query: funnel(historyFrom, settings.to) },
      rows: periods(historyFrom, settings.to) + 2,
      cols,
    },
  ];
  if (cohort)
    slots.push({
      key: 'cohort',
      query: { kind: 'cohort', query: cohort.query },
      rows: COHORT_ROWS + 1,
      cols: 4 + COHORT_AGES,
    });
  // Side by side on row 1, a blank column between: each extract's header is on row 1.
  let col = 1;
  return slots.map((s) => {
    const slot = { ...s, col };
    col += s.cols + 1;
    return slot;
  });
}

/** The formula that shows a slot's rows (below its header) as a custom function's spill would. */
export function slotRows(slot: ExtractSlot): string {
  // A blank of the extract (NULL: no data) reads "" as the custom functions' no-data cells do; a
  // bare range would spill in Sheets but not in every engine (HyperFormula: "Cell range not
  // allowed").
  const letters = (n: number) => {
    let s = '';
    for (let c = n; c > 0; c = Math.floor((c - 1) / 26))
      s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
    return s;
  };
  const range = `⟦bq-data⟧!$${letters(slot.col)}$2:$${letters(slot.col + slot.cols - 1)}$${slot.rows}`;
  return `=ARRAYFORMULA(IF(ISBLANK(${range}), "", ${range}))`;
}

/** The first day of the SMART check's 12 periods ending with the window's (smart.ts writeHistory's EDATE). */
export function historyStart(to: string, period: 'month' | 'quarter'): string {
  const p = periodOfDay(isoToDay(to), period);
  return isoDay(periodStartDay(p - 11, period));
}

/** The funnel header in the sheet's language: the names the funnel query gives its columns. */
export function funnelColumnNames(lang: 'ja' | 'en', sal: boolean): string[] {
  const header = [...FUNNEL_HEADER, ...(sal ? [SAL_HEADER] : [])];
  return localizeTable([header, ['Total']], lang, { total: true })[0] as string[];
}
