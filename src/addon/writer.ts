/**
 * Writes SheetModels into the spreadsheet with a constant number of Sheets calls per sheet, and
 * only ever touches sheets it created (tagged with developer metadata).
 *
 * Rebuild = build every new sheet under a temporary name first, then swap: delete the previous
 * generated sheet of the same key and rename the new one. A failure while building deletes the
 * new sheets and leaves the previous report exactly as it was.
 */
import { maxOf } from '../core/numbers';
import type { CellInput, ConditionalRule, SheetModel } from '../core/sheetModel';

export const META_KEY = 'kpi-tree-addon';
const TEMP_PREFIX = '~kpi-building-';

/**
 * Text that Sheets would read as a formula (or that spreadsheet programs treat as one: = + - @,
 * tab, CR) is written with a leading apostrophe, which keeps it text and is not shown.
 */
export function guardText(s: string): string {
  return /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
}

/** The values grid as setValues takes it: formulas as '=…', user text guarded. */
export function cellValues(values: CellInput[][]): (string | number | boolean)[][] {
  return values.map((line) =>
    line.map((v) => {
      if (v === null || v === undefined) return '';
      if (typeof v === 'object') return v.f.startsWith('=') ? v.f : `=${v.f}`;
      if (typeof v === 'string') return guardText(v);
      if (typeof v === 'number' && !Number.isFinite(v)) return '';
      return v;
    }),
  );
}

/** The generated sheets already in the spreadsheet, by model key. */
export function generatedSheets(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
): Map<string, GoogleAppsScript.Spreadsheet.Sheet> {
  const found = new Map<string, GoogleAppsScript.Spreadsheet.Sheet>();
  for (const sheet of ss.getSheets()) {
    for (const m of sheet.getDeveloperMetadata()) {
      if (m.getKey() === META_KEY) found.set(m.getValue() ?? '', sheet);
    }
  }
  return found;
}

export interface WriteResult {
  sheets: { key: string; name: string }[];
  /** Every generated sheet after the swap, by key (saves a second scan of the spreadsheet). */
  generated: Map<string, GoogleAppsScript.Spreadsheet.Sheet>;
}

/** Builds all models, then swaps them in. Caller holds the document lock. */
export function replaceSheets(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  models: SheetModel[],
): WriteResult {
  const previous = generatedSheets(ss); // before the new sheets exist: they carry the same tags
  const built: { model: SheetModel; sheet: GoogleAppsScript.Spreadsheet.Sheet }[] = [];
  try {
    for (const model of models) {
      const sheet = ss.insertSheet(`${TEMP_PREFIX}${model.key}-${Date.now() % 1e6}`);
      built.push({ model, sheet });
      writeSheet(sheet, model);
    }
  } catch (e) {
    for (const b of built) ss.deleteSheet(b.sheet);
    throw e;
  }
  const result: WriteResult = { sheets: [], generated: previous };
  for (const { model, sheet } of built) {
    const old = previous.get(model.key);
    if (old) ss.deleteSheet(old);
    const name = freeName(ss, model.name, sheet);
    sheet.setName(name);
    previous.set(model.key, sheet);
    result.sheets.push({ key: model.key, name });
  }
  return result;
}

/** The model's name, or "name (2)" … when a user sheet already has it: never take theirs. */
function freeName(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  name: string,
  self: GoogleAppsScript.Spreadsheet.Sheet,
): string {
  let candidate = name;
  for (let n = 2; ; n++) {
    const other = ss.getSheetByName(candidate);
    if (!other || other.getSheetId() === self.getSheetId()) return candidate;
    candidate = `${name} (${n})`;
  }
}

/** One sheet: at most 9 Sheet/Range calls whatever its size (the swap adds setName). */
export function writeSheet(sheet: GoogleAppsScript.Spreadsheet.Sheet, model: SheetModel): void {
  sheet.addDeveloperMetadata(
    META_KEY,
    model.key,
    SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT,
  );
  const rows = model.values.length;
  const cols = rows > 0 ? model.values[0].length : 0;
  if (rows === 0 || cols === 0) return;
  const range = sheet.getRange(1, 1, rows, cols);
  range.setValues(cellValues(model.values));
  if (model.numberFormats)
    range.setNumberFormats(model.numberFormats.map((l) => l.map((f) => f ?? 'General')));
  if (model.backgrounds) range.setBackgrounds(model.backgrounds);
  if (model.fontWeights) range.setFontWeights(model.fontWeights);
  if (model.frozenRows) sheet.setFrozenRows(model.frozenRows);
  if (model.columnWidths && model.columnWidths.length > 0) {
    // One call for the common width; the model gives the first column its own width.
    sheet.setColumnWidths(1, model.columnWidths.length, maxOf(model.columnWidths));
  }
  const rules = model.conditional ?? [];
  const charts = model.charts ?? [];
  if (rules.length > 0 || charts.length > 0) {
    // Every range the rules and charts name, fetched in one call.
    const names = [
      ...new Set([...rules.flatMap((r) => r.ranges), ...charts.flatMap((c) => c.ranges)]),
    ];
    const fetched = sheet.getRangeList(names).getRanges();
    const byName = new Map(names.map((n, i) => [n, fetched[i]]));
    const get = (n: string) => byName.get(n) as GoogleAppsScript.Spreadsheet.Range;
    if (rules.length > 0)
      sheet.setConditionalFormatRules(rules.map((r) => conditionalRule(r.ranges.map(get), r)));
    for (const chart of charts) {
      let builder = sheet
        .newChart()
        .setChartType(chart.kind === 'line' ? Charts.ChartType.LINE : Charts.ChartType.COLUMN)
        .setPosition(chart.row, chart.col, 0, 0)
        .setOption('title', chart.title)
        .setTransposeRowsAndColumns(chart.transpose === true);
      for (const r of chart.ranges) builder = builder.addRange(get(r));
      sheet.insertChart(builder.build());
    }
  }
}

function conditionalRule(
  ranges: GoogleAppsScript.Spreadsheet.Range[],
  rule: ConditionalRule,
): GoogleAppsScript.Spreadsheet.ConditionalFormatRule {
  const b = SpreadsheetApp.newConditionalFormatRule().setRanges(ranges);
  if (rule.kind === 'scale') {
    return b
      .setGradientMinpointWithValue(
        '#f4c7c3',
        SpreadsheetApp.InterpolationType.NUMBER,
        String(rule.values[0]),
      )
      .setGradientMidpointWithValue(
        '#fce8b2',
        SpreadsheetApp.InterpolationType.NUMBER,
        String(rule.values[1]),
      )
      .setGradientMaxpointWithValue(
        '#b7e1cd',
        SpreadsheetApp.InterpolationType.NUMBER,
        String(rule.values[2]),
      )
      .build();
  }
  const c =
    rule.kind === 'formula'
      ? b.whenFormulaSatisfied(rule.formula ?? '=FALSE')
      : rule.kind === 'atLeast'
        ? b.whenNumberGreaterThanOrEqualTo(rule.values[0])
        : rule.kind === 'below'
          ? b.whenNumberLessThan(rule.values[0])
          : b.whenNumberBetween(rule.values[0], rule.values[1]);
  if (rule.background) c.setBackground(rule.background);
  if (rule.fontColor) c.setFontColor(rule.fontColor);
  return c.build();
}

/**
 * Appends rows to an append-only generated sheet (definitions log, KPI history), creating it with
 * its header on first use. Existing rows are never rewritten.
 */
export function appendRows(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  key: string,
  name: string,
  header: string[],
  rows: CellInput[][],
  known?: Map<string, GoogleAppsScript.Spreadsheet.Sheet>,
): GoogleAppsScript.Spreadsheet.Sheet {
  let sheet = (known ?? generatedSheets(ss)).get(key);
  if (!sheet) {
    sheet = ss.insertSheet(freeNameFor(ss, name));
    sheet.addDeveloperMetadata(META_KEY, key, SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT);
    sheet
      .getRange(1, 1, 1, header.length)
      .setValues([header.map(guardText)])
      .setFontWeight('bold');
    sheet.setFrozenRows(1);
  }
  if (rows.length > 0) {
    const width = maxOf(rows.map((r) => r.length));
    const padded = rows.map((r) => [...r, ...new Array(width - r.length).fill(null)]);
    sheet.getRange(sheet.getLastRow() + 1, 1, padded.length, width).setValues(cellValues(padded));
  }
  return sheet;
}

function freeNameFor(ss: GoogleAppsScript.Spreadsheet.Spreadsheet, name: string): string {
  let candidate = name;
  for (let n = 2; ss.getSheetByName(candidate); n++) candidate = `${name} (${n})`;
  return candidate;
}
