/**
 * The append-only generated sheets (the definitions log, the KPI history): their first state and
 * the rows appended to them. Existing rows are never rewritten.
 */
import { maxOf } from '../core/numbers';
import type { CellInput, SheetModel } from '../core/sheetModel';
import { cellValues, sizeSheet } from './writer';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

/**
 * Appends rows to an append-only generated sheet (definitions log, KPI history) that a committed
 * build created (see `ensure` in replaceSheets). Existing rows are never rewritten.
 */
export function appendRows(sheet: Sheet, rows: CellInput[][], formats?: (string | null)[][]): void {
  if (rows.length === 0) return;
  const width = maxOf(rows.map((r) => r.length));
  const padded = rows.map((r) => [...r, ...new Array(width - r.length).fill(null)]);
  const first = sheet.getLastRow() + 1;
  // Sheets never grows a grid for a script: room first (a year of weekly snapshots at a time).
  const have = { rows: sheet.getMaxRows(), cols: sheet.getMaxColumns() };
  const want = {
    rows: Math.max(
      have.rows,
      first + padded.length - 1 + (first + padded.length - 1 > have.rows ? 52 * 20 : 0),
    ),
    cols: Math.max(have.cols, width),
  };
  if (want.rows !== have.rows || want.cols !== have.cols) sizeSheet(sheet, have, want);
  const range = sheet.getRange(first, 1, padded.length, width);
  range.setValues(cellValues(padded));
  if (formats) {
    range.setNumberFormats(
      formats.map((r) =>
        [...r, ...new Array(width - r.length).fill(null)].map((f) => f ?? 'General'),
      ),
    );
  }
}

/** An append-only sheet's first state: its header, bold and frozen. */
export function logModel(key: string, name: string, header: string[]): SheetModel {
  return {
    key,
    name,
    values: [header],
    fontWeights: [header.map(() => 'bold')],
    frozenRows: 1,
  };
}
