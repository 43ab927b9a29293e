/**
 * The sidebar's server API (called through google.script.run) and the menu actions. Plain data
 * in and out: google.script.run cannot carry Dates, so dates travel as ISO strings.
 */

import { hasOwn } from '../core/args';
import { type DateOrder, isoMinute, localeDateOrder, ZoneClock } from '../core/dates';
import { detectMapping, looksLikeActivityLog } from '../core/detect';
import { type Lang, langOf, localized } from '../core/errors';
import {
  detectExtra,
  EXTRA_COLUMNS,
  type ExtraKind,
  type ExtraTab,
  extraHeaderRow,
} from '../core/extraTabs';
import { TEMPLATE_HEADERS, TEMPLATE_RANKS, TEMPLATE_STATUSES } from '../core/headers';
import {
  checkWindowData,
  classifyTab,
  type DealsInspection,
  headerScore,
  inspectValues,
  isDealHeader,
  stagedListScore,
  suggestTabs,
  type TabInfo,
  type TabInspection,
} from '../core/inspect';
import { detectJoin, joinNote } from '../core/join';
import { findHeaderRow, type LeadMapping, type LeadTable, readLeadTable } from '../core/leads';
import { MESSAGES } from '../core/messages';
import { type Actuals, readerForColumns, windowActuals } from '../core/plan';
import type { BigQuerySource, KpiSettings } from '../core/settings';
import { DEFINITIONS_HEADER, definitionsRow } from '../core/sheets/definitions';
import { HISTORY_HEADER, snapshotFormats, snapshotRows } from '../core/sheets/history';
import { ADOPT_NAMES, buildModels, SHEET_NAMES } from '../core/sheets/index';
import { assumedInputs, trustNotes } from '../core/sheets/kpiTree';
import { moneyOf } from '../core/sheets/style';
import type { RowKind } from '../core/stages';
import { utilitiesOffset } from '../functions/env';
import { bigQueryActuals, checkSource, inspectBigQuery } from './bigquery';
import { refreshExtracts } from './connected';
import { appendRows, logModel } from './logs';
import { loadSettings, saveSettings, validateSettings, withoutNulls } from './settings';
import { guardText, heal, ownedSheets, replaceSheets, SwapError, type WriteResult } from './writer';

export type { DealsInspection, TabInfo, TabInspection } from '../core/inspect';

const DEFINITION_KEY = 'kpi.definitionFingerprint';

function context(): {
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
  lang: Lang;
  clock: ZoneClock;
  tz: string;
  localeOrder: DateOrder;
} {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const tz = ss.getSpreadsheetTimeZone();
  const locale = ss.getSpreadsheetLocale();
  return {
    ss,
    lang: langOf(locale),
    // The same clock as the custom functions': Intl, checked against Utilities.formatDate.
    clock: new ZoneClock(tz, utilitiesOffset(tz)),
    tz,
    localeOrder: localeDateOrder(locale),
  };
}

/**
 * Releases the document lock; a failure to release is not the user's problem (Apps Script drops
 * an execution's locks when it ends) and must not turn a finished build into an error.
 */
function releaseQuietly(lock: GoogleAppsScript.Lock.Lock): void {
  try {
    lock.releaseLock();
  } catch {
    // released when the execution ends
  }
}

/** Runs an API body; domain errors become messages in the spreadsheet's language. */
function api<T>(body: (c: ReturnType<typeof context>) => T): T {
  const c = context();
  return localized(c.lang, () => body(c));
}

/**
 * The user's tabs (never the generated ones), what each one's rows are (read from its first 200
 * rows), and the tabs to propose: the lead list, and beside it a tab of deals.
 */
export function kpiListTabs(): {
  tabs: TabInfo[];
  suggested: string | null;
  suggestedDeals: string | null;
} {
  return api(({ ss, clock, localeOrder }) => {
    const generated = ownedSheets(ss, PropertiesService.getDocumentProperties()).ids;
    const tabs: TabInfo[] = [];
    for (const sheet of ss.getSheets()) {
      if (generated.has(sheet.getSheetId())) continue;
      const cols = sheet.getLastColumn();
      const rows = sheet.getLastRow();
      const top =
        cols > 0 && rows > 0
          ? sheet.getRange(1, 1, Math.min(rows, 201), Math.min(cols, 200)).getValues()
          : [];
      const header = top[0] ?? [];
      const { kind, score } = classifyTab(top, sheet.getName(), clock, localeOrder);
      tabs.push({
        name: sheet.getName(),
        rows: Math.max(0, rows - 1),
        score: Math.max(score, headerScore(header)),
        kind: kind === 'none' && isDealHeader(header) ? 'deal' : kind,
      });
    }
    return { tabs, ...suggestTabs(tabs) };
  });
}

/** A column left blank may arrive as null through google.script.run: blank = not mapped. */
const clean = (mapping: LeadMapping | undefined): LeadMapping | undefined =>
  mapping ? (withoutNulls(mapping) as LeadMapping) : undefined;

/** The tab's values read once, its header row and its detected mapping. */
function readTab(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  lang: Lang,
  name: string,
): { sheet: GoogleAppsScript.Spreadsheet.Sheet; values: unknown[][]; headerRow: number } {
  const sheet = ss.getSheetByName(name);
  if (!sheet) throw new Error(MESSAGES[lang].noTab(name));
  const values = sheet.getDataRange().getValues();
  return { sheet, values, headerRow: findHeaderRow(values) };
}

/**
 * The number formats of the amount column's data rows, in one read (the currency's third
 * witness, beside the header and the text cells). getDataRange starts at A1, so values[i] is row
 * i + 1.
 */
function amountFormats(tab: ReturnType<typeof readTab>, amount: number | undefined): string[] {
  const rows = tab.values.length - tab.headerRow;
  if (amount === undefined || rows <= 0) return [];
  return tab.sheet
    .getRange(tab.headerRow + 1, amount + 1, rows, 1)
    .getNumberFormats()
    .map((r) => r[0]);
}

/** Reads a tab once: detected mapping (or the given one), preview, validation summary. */
export function kpiInspectTab(
  name: string,
  mapping?: LeadMapping,
  rowsAre?: RowKind,
): TabInspection {
  return api((c) => {
    const { ss, lang, clock, localeOrder } = c;
    const tab = readTab(ss, lang, name);
    const { values, headerRow } = tab;
    const detection = detectMapping(values, headerRow, name, clock, localeOrder);
    const rows = rowsAre ?? detection.rows;
    const given = clean(mapping);
    const formats = amountFormats(tab, (given ?? detection.mapping).amount);
    const ins = inspectValues(
      c,
      name,
      values,
      headerRow,
      detection,
      given,
      rows,
      undefined,
      formats,
    );
    if (looksLikeActivityLog(values, headerRow, ins.mapping)) {
      ins.warnings.push(MESSAGES[lang].activityLog(name, betterLeadTab(ss, name)));
    }
    return ins;
  });
}

/** Another user tab that names stage or status columns: the likelier lead list. */
function betterLeadTab(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  except: string,
): string | null {
  const generated = ownedSheets(ss, PropertiesService.getDocumentProperties()).ids;
  let best: string | null = null;
  let bestScore = 0;
  for (const sheet of ss.getSheets()) {
    if (generated.has(sheet.getSheetId()) || sheet.getName() === except) continue;
    const cols = sheet.getLastColumn();
    if (cols === 0) continue;
    const score = stagedListScore(sheet.getRange(1, 1, 1, cols).getValues()[0]);
    if (score > bestScore) {
      best = sheet.getName();
      bestScore = score;
    }
  }
  return best;
}

/** Reads the optional deals tab: its mapping (rows are deals) and how it joins the lead tab. */
export function kpiInspectDeals(
  name: string,
  leadSheet: string,
  leadMapping: LeadMapping,
  mapping?: LeadMapping,
): DealsInspection {
  return api((c) => {
    const { ss, lang, clock, localeOrder } = c;
    const tab = readTab(ss, lang, name);
    const { values, headerRow } = tab;
    const detection = detectMapping(values, headerRow, name, clock, localeOrder, 'deal');
    const given = clean(mapping);
    const formats = amountFormats(tab, (given ?? detection.mapping).amount);
    const ins = inspectValues(
      c,
      name,
      values,
      headerRow,
      detection,
      given,
      'deal',
      undefined,
      formats,
    );
    ins.notes.shift(); // "each row is a deal" goes without saying here
    const lead = readTab(ss, lang, leadSheet);
    const leadMap = withoutNulls(leadMapping) as LeadMapping;
    const join = detectJoin(
      lead.values[lead.headerRow - 1] ?? [],
      leadMap,
      ins.header,
      ins.mapping,
      { lead: lead.values.slice(lead.headerRow), deal: values.slice(headerRow) },
    );
    ins.notes.unshift(joinNote(lang, join, lead, { values, headerRow, header: ins.header }));
    return { ...ins, ...join };
  });
}

/** An optional tab (customers, target list, activity log, costs) as the sidebar shows it. */
export interface ExtraInspection {
  name: string;
  kind: ExtraKind;
  headerRow: number;
  header: string[];
  columns: ExtraTab['columns'];
  /** Data rows below the header row. */
  rows: number;
}

/** Finds the columns of an optional tab from its first rows (two reads, whatever its size). */
export function kpiInspectExtra(name: string, kind: ExtraKind): ExtraInspection {
  return api(({ ss, lang }) => {
    if (!hasOwn(EXTRA_COLUMNS, kind)) throw new Error(`unknown tab kind: ${String(kind)}`);
    const sheet = ss.getSheetByName(name);
    if (!sheet) throw new Error(MESSAGES[lang].noTab(name));
    const lastRow = sheet.getLastRow();
    const lastCol = sheet.getLastColumn();
    const top =
      lastRow > 0 && lastCol > 0
        ? sheet.getRange(1, 1, Math.min(6, lastRow), Math.min(lastCol, 200)).getValues()
        : [];
    const headerRow = extraHeaderRow(kind, top);
    const header = (top[headerRow - 1] ?? []).map((h) => String(h ?? ''));
    return {
      name,
      kind,
      headerRow,
      header,
      columns: detectExtra(kind, header),
      rows: Math.max(0, lastRow - headerRow),
    };
  });
}

/** The spreadsheet's language, for the sidebar's labels. */
export function kpiLocale(): Lang {
  return langOf(SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetLocale());
}

/** Shows a generated sheet (the sidebar's links). */
export function kpiActivate(name: string): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(name);
  if (sheet) sheet.activate();
}

export function kpiLoadSettings(): KpiSettings | null {
  return loadSettings(PropertiesService.getDocumentProperties());
}

export interface BuildResult {
  sheets: WriteResult['sheets'];
  issues: number;
  /** Stages the data cannot measure, and contradictions among the measured ones. */
  checks: string[];
  /** Plan inputs that hold a built-in assumption (labels in the build's language). */
  assumptions: string[];
}

/** Builds (or rebuilds) the KPI sheets. */
export function kpiBuild(settings: KpiSettings): BuildResult {
  return api(({ ss, lang, clock, localeOrder }) => {
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(5000)) throw new Error(MESSAGES[lang].busy);
    try {
      const s = validateSettings(
        settings && typeof settings === 'object'
          ? {
              ...settings,
              lang: settings.lang === 'en' || settings.lang === 'ja' ? settings.lang : lang,
              locale: ss.getSpreadsheetLocale(),
            }
          : settings,
        lang,
      );
      if (!(s.from <= s.to)) throw new Error(MESSAGES[lang].badWindow);
      if (s.bigquery) return buildFromBigQuery(ss, s, lang, clock, localeOrder);
      const sheet = ss.getSheetByName(s.leadSheet);
      if (!sheet) throw new Error(MESSAGES[lang].noTab(s.leadSheet));
      const values = sheet.getDataRange().getValues(); // the one read of the lead tab
      const headerRow = s.headerRow ?? 1;
      if (values.length <= headerRow) throw new Error(MESSAGES[lang].empty(s.leadSheet));
      let dealValues: unknown[][] | undefined;
      if (s.deals) {
        const dealSheet = ss.getSheetByName(s.deals.sheet);
        if (!dealSheet) throw new Error(MESSAGES[lang].noTab(s.deals.sheet));
        dealValues = dealSheet.getDataRange().getValues(); // and the one read of the deals tab
      }
      const readerFor = readerForColumns(clock, localeOrder);
      const table = readLeadTable(
        values,
        s.mapping,
        clock,
        { exclude: s.targetExclude },
        headerRow,
        readerFor,
      );
      if (table.rows.length === 0) throw new Error(MESSAGES[lang].empty(s.leadSheet));
      checkWindowData(table, s.mapping, s.from, s.to, lang);
      // The window's totals, once: the tree's plan defaults and the result's notes share them.
      const actuals = windowActuals(values, s, clock, localeOrder, dealValues);
      const models = buildModels(s, table, values, clock, localeOrder, dealValues, actuals);
      return commitBuild(ss, s, lang, clock, models, table, actuals);
    } finally {
      releaseQuietly(lock);
    }
  });
}

/**
 * A build from a BigQuery table (the BigQuery edition): the window's totals from its funnel query,
 * the report's sheets with the data sheet of extracts they read, committed like any build — a
 * query that fails leaves the previous report and its extracts as they were.
 */
function buildFromBigQuery(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  s: KpiSettings,
  lang: Lang,
  clock: ZoneClock,
  localeOrder: DateOrder,
): BuildResult {
  const bq = s.bigquery as NonNullable<KpiSettings['bigquery']>;
  checkSource(bq.project, bq.table, lang);
  const actuals = bigQueryActuals(ss, s, clock.timeZone, lang);
  const table: LeadTable = {
    header: bq.schema.map((c) => c.name),
    rows: [],
    issues: [],
    statusValues: [],
    rankValues: [],
  };
  const models = buildModels(s, table, [], clock, localeOrder, undefined, actuals);
  return commitBuild(ss, s, lang, clock, models, table, actuals);
}

/** Saves the settings, swaps the report in, logs the definitions and shows the tree. */
function commitBuild(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  s: KpiSettings,
  lang: Lang,
  clock: ZoneClock,
  models: ReturnType<typeof buildModels>,
  table: LeadTable,
  actuals: Actuals,
): BuildResult {
  const props = PropertiesService.getDocumentProperties();
  // Saved before the swap: a run killed after it still rebuilds from the menu.
  const previousSettings = loadSettings(props);
  saveSettings(props, s, lang);
  const log = logModel('definitions', SHEET_NAMES[s.lang].definitions, DEFINITIONS_HEADER[s.lang]);
  let result: WriteResult;
  try {
    result = replaceSheets(ss, props, models, ADOPT_NAMES, [log], true, lang);
  } catch (e) {
    if (e instanceof SwapError) throw new Error(MESSAGES[lang].swapFailed(e.report, e.message));
    throw e;
  }
  try {
    const { row, fingerprint } = definitionsRow(
      s,
      isoMinute(clock.toLocal(Date.now())),
      props.getProperty(DEFINITION_KEY) ?? undefined,
      previousSettings,
      table.header,
    );
    const logSheet = result.generated.get('definitions');
    if (logSheet) appendRows(logSheet, [row]);
    props.setProperty(DEFINITION_KEY, fingerprint);
  } catch (e) {
    throw new Error(MESSAGES[lang].swapFailed('new', String((e as Error)?.message ?? e)));
  }
  // The manager lands on the tree (a failure to switch sheets is no build failure).
  try {
    result.generated.get('kpi-tree')?.activate();
  } catch {
    // the sidebar's links still open it
  }
  return {
    sheets: result.sheets,
    issues: table.issues.reduce((n, i) => n + i.count, 0),
    checks: trustNotes(s, actuals),
    assumptions: assumedInputs(s, actuals),
  };
}

/** Reads a BigQuery table for the sidebar as a tab is read (the BigQuery edition). */
export function kpiInspectBigQuery(
  project: string,
  table: string,
  mapping?: LeadMapping,
  rowsAre?: RowKind,
): TabInspection & { bigquery: BigQuerySource } {
  return api((c) =>
    inspectBigQuery(
      c,
      String(project ?? '').trim(),
      String(table ?? '').trim(),
      clean(mapping),
      rowsAre,
    ),
  );
}

/**
 * Refresh: the report's extracts re-run their queries on the table's current rows. One that
 * fails keeps its previous rows; the message says which.
 */
export function kpiRefreshBigQuery(): { refreshed: number; failed: string[]; message: string } {
  return api(({ ss, lang }) => {
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(5000)) throw new Error(MESSAGES[lang].busy);
    try {
      const props = PropertiesService.getDocumentProperties();
      const data = heal(ss, props, ADOPT_NAMES).owned.get('bq-data');
      if (!data) throw new Error(MESSAGES[lang].noBigQueryReport);
      const r = refreshExtracts(data, lang);
      return { ...r, message: MESSAGES[lang].refreshed(r.refreshed, r.failed) };
    } finally {
      releaseQuietly(lock);
    }
  });
}

/**
 * Appends one row per KPI-tree node to the history: node id, name, owner, plan, actual,
 * achievement, the window, and when (local time in the spreadsheet's zone). Refuses while any
 * value is an error or still computing, so the history never keeps a half-evaluated tree.
 */
export function kpiSnapshot(): { rows: number } {
  return api(({ ss, lang, tz }) => {
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(5000)) throw new Error(MESSAGES[lang].busy);
    try {
      const props = PropertiesService.getDocumentProperties();
      const tree = heal(ss, props).owned.get('kpi-tree');
      if (!tree) throw new Error(MESSAGES[lang].noTree);
      const values = tree.getDataRange().getValues();
      const settings = loadSettings(props);
      const window = settings ? `${settings.from} … ${settings.to}` : '';
      const money = moneyOf({
        locale: settings?.locale ?? ss.getSpreadsheetLocale(),
        currency: settings?.currency,
      });
      const when = Utilities.formatDate(new Date(), tz, 'yyyy-MM-dd HH:mm:ss');
      const rows = snapshotRows(values, settings?.lang ?? lang, lang, window, when);
      const header = HISTORY_HEADER[lang];
      const history =
        heal(ss, props).owned.get('history') ??
        replaceSheets(ss, props, [], undefined, [
          logModel('history', SHEET_NAMES[lang].history, header),
        ]).generated.get('history');
      // A history begun before the effect column: give that column its header once.
      if (history && history.getRange(1, header.length).getValue() === '')
        history.getRange(1, header.length).setValue(header[header.length - 1]);
      if (history)
        appendRows(
          history,
          rows,
          rows.map((r) => snapshotFormats(String(r[0]), money)),
        );
      return { rows: rows.length };
    } finally {
      releaseQuietly(lock);
    }
  });
}

/** A new lead tab with the standard headers, status/rank lists and date formats. */
export function kpiInsertTemplate(): { name: string } {
  return api(({ ss, lang }) => {
    const base = lang === 'ja' ? 'リード' : 'Leads';
    let name = base;
    for (let n = 2; ss.getSheetByName(name); n++) name = `${base} (${n})`;
    const sheet = ss.insertSheet(name);
    const headers = TEMPLATE_HEADERS[lang];
    sheet
      .getRange(1, 1, 1, headers.length)
      .setValues([headers.map(guardText)])
      .setFontWeight('bold');
    sheet.setFrozenRows(1);
    const statuses = [...TEMPLATE_STATUSES[lang]];
    const rows = 999;
    sheet
      .getRange(2, 8, rows, 1)
      .setDataValidation(
        SpreadsheetApp.newDataValidation().requireValueInList(statuses, true).build(),
      );
    sheet.getRange(2, 9, rows, 1).setDataValidation(
      SpreadsheetApp.newDataValidation()
        .requireValueInList([...TEMPLATE_RANKS], true)
        .build(),
    );
    sheet.getRangeList(['B2:B1000', 'J2:M1000']).setNumberFormat('yyyy-mm-dd');
    return { name };
  });
}
