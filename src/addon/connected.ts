/**
 * Connected Sheets (BigQuery), the add-on's only calls to it: create the extracts of a build's
 * data sheet, refresh them, read one into cells. Apps Script's reference
 * (https://developers.google.com/apps-script/reference/spreadsheet/data-source-table) shapes it:
 * a data source comes from `Spreadsheet.insertDataSourceSheet(spec)` ("Inserts a new
 * DataSourceSheet in the spreadsheet and starts data execution"), an extract is
 * `Range.createDataSourceTable(dataSource)` ("Creates an empty data source table from the data
 * source, anchored at the first cell in this range"), filled by `refreshData()` and awaited with
 * `waitForCompletion(timeoutInSeconds)`.
 */

import type { Lang } from '../core/errors';
import { MESSAGES } from '../core/messages';
import { QUERY_MARK } from '../core/sql/queries';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;

/** Methods the reference documents that @types/google-apps-script does not list yet. */
interface Table extends GoogleAppsScript.Spreadsheet.DataSourceTable {
  /** "Sync all current and future columns in the associated data source to the data source table." */
  syncAllColumns(): Table;
}
interface Book extends Spreadsheet {
  insertDataSourceSheet(
    spec: GoogleAppsScript.Spreadsheet.DataSourceSpec,
  ): GoogleAppsScript.Spreadsheet.DataSourceSheet;
}
interface Source extends GoogleAppsScript.Spreadsheet.DataSource {
  getDataSourceSheets?(): GoogleAppsScript.Spreadsheet.DataSourceSheet[];
}

/** How long one query may take before the build gives up (Apps Script stops a run at 6 minutes). */
const WAIT_SECONDS = 240;

/** Failed or unfinished: the error names the query (its first line) and BigQuery's message. */
export class ExtractError extends Error {}

function checked(
  status: GoogleAppsScript.Spreadsheet.DataExecutionStatus,
  sql: string,
  lang: Lang,
): void {
  const state = status.getExecutionState();
  if (state === SpreadsheetApp.DataExecutionState.SUCCESS) return;
  const what = sql.slice(0, sql.indexOf('\n')).slice(0, 120);
  throw new ExtractError(
    MESSAGES[lang].extractFailed(
      String(status.getErrorCode()),
      state === SpreadsheetApp.DataExecutionState.ERROR ? status.getErrorMessage() : String(state),
      what,
    ),
  );
}

/**
 * The extracts of a model on its (new, staged) sheet, each refreshed and checked; returns the
 * data source sheets made on the way (hidden; deleted with the data sheet they serve).
 */
export function writeExtracts(
  ss: Spreadsheet,
  sheet: Sheet,
  extracts: readonly { row: number; col: number; project: string; sql: string }[],
  lang: Lang,
  /** Each data source sheet as soon as it exists (the caller tags and hides it). */
  made: (source: Sheet) => void,
): void {
  if (extracts.length === 0) return;
  // "Turns data execution on for BigQuery data sources" — without it every refresh fails.
  SpreadsheetApp.enableBigQueryExecution();
  for (const e of extracts) {
    const spec = SpreadsheetApp.newDataSourceSpec()
      .asBigQuery()
      .setProjectId(e.project)
      .setRawQuery(e.sql)
      .build();
    const dsSheet = (ss as Book).insertDataSourceSheet(spec);
    let source: Sheet;
    try {
      source = dsSheet.asSheet();
    } catch (e) {
      try {
        ss.deleteSheet(dsSheet.asSheet());
      } catch {
        // heal removes a data source sheet of ours that serves no extract
      }
      throw e;
    }
    made(source);
    checked(dsSheet.waitForCompletion(WAIT_SECONDS), e.sql, lang);
    const table = sheet
      .getRange(e.row, e.col)
      .createDataSourceTable(dsSheet.getDataSource()) as Table;
    table.syncAllColumns();
    table.refreshData();
    checked(table.waitForCompletion(WAIT_SECONDS), e.sql, lang);
  }
}

/**
 * Data source sheets of the add-on's own queries (their first line names them) that serve none
 * of the data sheet's extracts: what a run killed mid-query left (heal removes them).
 */
export function strayQuerySheets(ss: Spreadsheet, dataSheet: Sheet | undefined): Sheet[] {
  const book = ss as Spreadsheet & {
    getDataSourceSheets?(): GoogleAppsScript.Spreadsheet.DataSourceSheet[];
  };
  const serving = new Set(dataSheet ? sourceSheetsOf(dataSheet).map((s) => s.getSheetId()) : []);
  const out: Sheet[] = [];
  for (const d of book.getDataSourceSheets?.() ?? []) {
    const sql = d.getDataSource().getSpec().asBigQuery().getRawQuery();
    const sheet = d.asSheet();
    if (sql.startsWith(QUERY_MARK) && !serving.has(sheet.getSheetId())) out.push(sheet);
  }
  return out;
}

/** The data source sheets behind a data sheet's extracts. */
export function sourceSheetsOf(sheet: Sheet): Sheet[] {
  const out: Sheet[] = [];
  for (const t of sheet.getDataSourceTables()) {
    const ds = t.getDataSource() as Source;
    for (const s of ds.getDataSourceSheets?.() ?? []) out.push(s.asSheet());
  }
  return out;
}

/**
 * Refresh: every extract of the data sheet re-runs its query. One that fails keeps its previous
 * rows (Connected Sheets writes an extract only when its query succeeds); the others go on, and
 * the failures are reported together.
 */
export function refreshExtracts(sheet: Sheet, lang: Lang): { refreshed: number; failed: string[] } {
  SpreadsheetApp.enableBigQueryExecution();
  let refreshed = 0;
  const failed: string[] = [];
  for (const t of sheet.getDataSourceTables()) {
    const sql = t.getDataSource().getSpec().asBigQuery().getRawQuery();
    try {
      // "Refreshes the data of this object regardless of the current state" (refreshData throws
      // in the error state a failed refresh left).
      t.forceRefreshData();
      checked(t.waitForCompletion(WAIT_SECONDS), sql, lang);
      refreshed++;
    } catch (e) {
      failed.push(String((e as Error)?.message ?? e));
    }
  }
  return { refreshed, failed };
}
