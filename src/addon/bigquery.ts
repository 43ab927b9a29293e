/**
 * The sidebar's BigQuery source (the BigQuery edition): read a table's schema and a sample of its
 * rows through Connected Sheets, map its columns with the same detection as a tab, and give a
 * build the window's totals. Every query goes through a data source sheet that lives only for the
 * call (hidden, tagged so that a run killed mid-call leaves it to the next heal).
 */
import { detectMapping } from '../core/detect';
import type { Lang } from '../core/errors';
import { SAL_HEADER } from '../core/funnel';
import { type InspectContext, inspectValues, type TabInspection } from '../core/inspect';
import type { LeadMapping } from '../core/leads';
import { MESSAGES } from '../core/messages';
import { type Actuals, actualsOfTotal } from '../core/plan';
import type { BigQuerySource, KpiSettings } from '../core/settings';
import { bigQuery } from '../core/sql/dialect';
import { FUNNEL_SQL_COLUMNS } from '../core/sql/funnel';
import { extractSlots, type KpiQuery, querySql } from '../core/sql/queries';
import type { RowKind } from '../core/stages';
import { EDITION } from '../edition';
import { ExtractError } from './connected';
import { META_KEY, PROBE_TAG } from './writer';

/**
 * Rows of the sample the detection reads: what a data source sheet previews ("an associated
 * DATA_SOURCE sheet is created to provide a preview of up to 500 rows",
 * https://developers.google.com/workspace/sheets/api/guides/connected-sheets).
 */
export const SAMPLE_ROWS = 500;
const WAIT_SECONDS = 240;

interface Book extends GoogleAppsScript.Spreadsheet.Spreadsheet {
  insertDataSourceSheet(
    spec: GoogleAppsScript.Spreadsheet.DataSourceSpec,
  ): GoogleAppsScript.Spreadsheet.DataSourceSheet;
}

/** `project.dataset.table` (letters, digits, - _ and the dots between): nothing else reaches SQL. */
const TABLE_ID = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_$-]+){2}$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$|^[A-Za-z0-9.:_-]+$/;

export function checkSource(project: string, table: string, lang: Lang): void {
  if (EDITION !== 'bigquery') throw new Error(MESSAGES[lang].noBigQuery);
  if (!PROJECT_ID.test(project)) throw new Error(MESSAGES[lang].badProject(project));
  if (!TABLE_ID.test(table)) throw new Error(MESSAGES[lang].badTable(table));
}

/**
 * Runs one query through a temporary data source sheet: its columns (names) and rows.
 * Read with getSheetValues per column ("Returns all the values for the data source sheet for the
 * provided column name", https://developers.google.com/apps-script/reference/spreadsheet/data-source-sheet).
 */
export function runQuery(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  project: string,
  query: KpiQuery,
  columns: readonly string[],
  lang: Lang,
): unknown[][] {
  SpreadsheetApp.enableBigQueryExecution();
  const sql = querySql(query, bigQuery);
  const spec = SpreadsheetApp.newDataSourceSpec()
    .asBigQuery()
    .setProjectId(project)
    .setRawQuery(sql)
    .build();
  const active = ss.getActiveSheet();
  const dsSheet = (ss as Book).insertDataSourceSheet(spec);
  let sheet: GoogleAppsScript.Spreadsheet.Sheet | undefined;
  try {
    sheet = dsSheet.asSheet();
    sheet.addDeveloperMetadata(
      META_KEY,
      PROBE_TAG,
      SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT,
    );
    // insertDataSourceSheet "makes the new sheet the active sheet": the user's view goes back.
    if (active) ss.setActiveSheet(active);
    const status = dsSheet.waitForCompletion(WAIT_SECONDS);
    if (status.getExecutionState() !== SpreadsheetApp.DataExecutionState.SUCCESS)
      throw new ExtractError(
        MESSAGES[lang].extractFailed(
          String(status.getErrorCode()),
          status.getErrorMessage(),
          sql.slice(0, sql.indexOf('\n')).slice(0, 120),
        ),
      );
    const cols = columns.map((c) => dsSheet.getSheetValues(c));
    const n = Math.max(0, ...cols.map((c) => c.length));
    return Array.from({ length: n }, (_, r) => cols.map((c) => c[r] ?? ''));
  } finally {
    try {
      ss.deleteSheet(sheet ?? dsSheet.asSheet());
    } catch {
      // The next run's heal removes a data source sheet of ours that serves no extract.
    }
  }
}

/** The table's columns and types (INFORMATION_SCHEMA), in order. */
function schemaOf(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  project: string,
  table: string,
  lang: Lang,
): BigQuerySource['schema'] {
  const rows = runQuery(ss, project, { kind: 'schema', table }, ['column_name', 'data_type'], lang);
  return rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
}

/**
 * Reads a BigQuery table as the sidebar reads a tab: its schema, a sample of rows (the header is
 * the column names), the detected mapping — with the source to keep in the settings.
 */
export function inspectBigQuery(
  c: InspectContext & { ss: GoogleAppsScript.Spreadsheet.Spreadsheet },
  project: string,
  table: string,
  mapping?: LeadMapping,
  rowsAre?: RowKind,
): TabInspection & { bigquery: BigQuerySource } {
  checkSource(project, table, c.lang);
  const schema = schemaOf(c.ss, project, table, c.lang);
  if (schema.length === 0) throw new Error(MESSAGES[c.lang].badTable(table));
  const names = schema.map((s) => s.name);
  const rows = runQuery(
    c.ss,
    project,
    { kind: 'sample', table, limit: SAMPLE_ROWS },
    names,
    c.lang,
  );
  const values = [names, ...rows];
  const detection = detectMapping(values, 1, table, c.clock, c.localeOrder);
  const ins = inspectValues(c, table, values, 1, detection, mapping, rowsAre ?? detection.rows);
  return { ...ins, bigquery: { project, table, schema } };
}

/**
 * The window's totals for the tree's plan defaults: the Total row of the window's funnel query
 * (the same query the data sheet's first extract runs; BigQuery answers the second from its
 * cache).
 */
export function bigQueryActuals(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  settings: KpiSettings,
  zone: string,
  lang: Lang,
): Actuals {
  const bq = settings.bigquery as BigQuerySource;
  const slot = extractSlots(settings, zone)[0];
  const names = [...FUNNEL_SQL_COLUMNS, SAL_HEADER.toLowerCase()].slice(0, slot.cols);
  const rows = runQuery(ss, bq.project, slot.query, names, lang);
  const total = rows[rows.length - 1] ?? [];
  return actualsOfTotal(total.map((v) => (typeof v === 'number' ? v : '')));
}
