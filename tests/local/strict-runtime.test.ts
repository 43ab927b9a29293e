/**
 * The local runtime is as strict as Google Sheets where the product could otherwise pass a
 * lenient copy and fail on the first real Build (issue 21). Each test names the behaviour it
 * models, its source, and whether it is *documented* (Google's reference or guides), *reported*
 * (public error reports, issue 21's reading of them) or *assumed* (nothing public says it
 * exactly; the self-check — Extensions → KPI tree → Check this spreadsheet — probes it on the
 * real platform).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LOADING_TEXT, OUTSIDE_GRID, TIMEOUT_TEXT } from '../../local/engine';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

function runtime(): LocalRuntime {
  const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
  rt.loadSheets(sampleWorkbook({ leads: 300 }));
  return rt;
}

const CHASE = '=COHORT_CONVERSION(Leads!B2:B, Leads!L2:L)';

describe('the grid: 1,000 × 26 and never grown by a script', () => {
  let rt: LocalRuntime;
  let sheet: Sheet;
  beforeAll(() => {
    rt = runtime();
    sheet = rt.spreadsheet.self.insertSheet('Grid') as unknown as Sheet;
  });

  // Documented (Sheets UI / Spreadsheet.insertSheet): a new sheet has 1,000 rows and columns A–Z.
  it('a new sheet is 1,000 rows × 26 columns', () => {
    expect(sheet.getMaxRows()).toBe(1000);
    expect(sheet.getMaxColumns()).toBe(26);
  });

  // Reported (issue 21; Apps Script's exception text in public error reports): "The coordinates
  // of the range are outside the dimensions of the sheet."
  it('a range outside the grid throws, for getRange, setValues, RangeList, rules and charts', () => {
    expect(() => sheet.getRange('AA1')).toThrow(OUTSIDE_GRID);
    expect(() => sheet.getRange(1001, 1)).toThrow(OUTSIDE_GRID);
    expect(() => sheet.getRange(999, 1, 3, 1)).toThrow(OUTSIDE_GRID);
    expect(() => sheet.getRange('Z1:AB3')).toThrow(OUTSIDE_GRID);
    expect(() => sheet.getRangeList(['A1:B2', 'Y1:AA2'])).toThrow(OUTSIDE_GRID);
    // A rule or a chart takes Range objects: the range cannot even be made.
    expect(() =>
      SpreadsheetAppOf(rt)
        .newConditionalFormatRule()
        .setRanges([sheet.getRange('E3:AZ700')]),
    ).toThrow(OUTSIDE_GRID);
    // Nothing was written, and the grid did not grow.
    expect(sheet.getMaxColumns()).toBe(26);
    expect(sheet.getLastRow()).toBe(0);
  });

  // Documented (Sheet.insertRowsAfter / insertColumnsAfter / deleteRows / deleteColumns).
  it('grows and shrinks only when told to', () => {
    sheet.insertRowsAfter(1000, 24);
    sheet.insertColumnsAfter(26, 4);
    expect([sheet.getMaxRows(), sheet.getMaxColumns()]).toEqual([1024, 30]);
    sheet.getRange(1024, 30).setValue(7);
    expect(sheet.getRange('AD1024').getValue()).toBe(7);
    sheet.getRange(1024, 30).clearContent();
    sheet.deleteRows(11, 1014);
    sheet.deleteColumns(6, 25);
    expect([sheet.getMaxRows(), sheet.getMaxColumns()]).toEqual([10, 5]);
    expect(() => sheet.getRange('F1')).toThrow(OUTSIDE_GRID);
  });
});

/** The bundle's SpreadsheetApp, as the script sees it. */
function SpreadsheetAppOf(rt: LocalRuntime): GoogleAppsScript.Spreadsheet.SpreadsheetApp {
  return rt.run('SpreadsheetApp');
}

describe('spills at the edge of the grid', () => {
  // Reported (issue 21, Sheets' tooltip): "Result was not automatically expanded, please insert
  // more rows (N)." — the anchor shows #REF! and nothing spills.
  it('a result past the last row is #REF! until rows are inserted', () => {
    const rt = runtime();
    const sheet = rt.spreadsheet.self.insertSheet('Edge') as unknown as Sheet;
    sheet.getRange('A1').setFormula(CHASE);
    const height = sheet.getLastRow();
    const width = sheet.getLastColumn();
    expect(height).toBeGreaterThan(8);
    sheet.getRange('A1').clearContent();
    const at = 1000 - height + 4; // three rows short
    sheet.getRange(at, 1).setFormula(CHASE);
    expect(sheet.getRange(at, 1).getValue()).toBe('#REF!');
    expect(rt.wb.errorMessage(sheet.getSheetId(), at, 1)).toBe(
      'Result was not automatically expanded, please insert more rows (3).',
    );
    expect(sheet.getLastRow()).toBe(at); // nothing spilled below the anchor
    sheet.insertRowsAfter(1000, 3);
    expect(sheet.getRange(at, 1).getValue()).not.toBe('#REF!');
    expect(sheet.getLastRow()).toBe(1003);
    expect(width).toBeGreaterThan(4);
  });

  it('a result past the last column is #REF! naming the columns it needs', () => {
    const rt = runtime();
    const sheet = rt.spreadsheet.self.insertSheet('Wide') as unknown as Sheet;
    sheet.getRange('A1').setFormula(CHASE);
    const width = sheet.getLastColumn();
    sheet.getRange('A1').clearContent();
    sheet.getRange(1, 26 - width + 2).setFormula(CHASE); // one column short
    expect(sheet.getRange(1, 26 - width + 2).getValue()).toBe('#REF!');
    expect(rt.wb.errorMessage(sheet.getSheetId(), 1, 26 - width + 2)).toBe(
      'Result was not automatically expanded, please insert more columns (1).',
    );
  });

  // Reported (Sheets' tooltip): "Array result was not expanded because it would overwrite data".
  it('a result that would cover a non-empty cell is #REF!, and spills once the cell is cleared', () => {
    const rt = runtime();
    const sheet = rt.spreadsheet.self.insertSheet('Blocked') as unknown as Sheet;
    sheet.getRange('C3').setValue('mine');
    sheet.getRange('A1').setFormula(CHASE);
    expect(sheet.getRange('A1').getValue()).toBe('#REF!');
    sheet.getRange('C3').clearContent();
    expect(sheet.getRange('A1').getValue()).not.toBe('#REF!');
  });
});

describe('a deleted sheet is gone for every formula that named it', () => {
  // Reported (issue 21): deleting a sheet turns every reference to it into #REF! for good; a new
  // sheet with the same name does not bring it back. (HyperFormula alone re-binds by name.)
  it('stays #REF! after a sheet of the same name is added', () => {
    const rt = runtime();
    const ss = rt.spreadsheet.self;
    const report = ss.insertSheet('KPIツリー') as unknown as Sheet;
    report.getRange('A1:A3').setValues([[1], [2], [3]]);
    const mine = ss.insertSheet('Mine') as unknown as Sheet;
    mine.getRange('A1:A2').setFormulas([["='KPIツリー'!A2"], ["=SUM('KPIツリー'!A1:A3)+1"]]);
    expect(mine.getRange('A1:A2').getValues()).toEqual([[2], [7]]);
    ss.deleteSheet(report as never);
    expect(mine.getRange('A1:A2').getValues()).toEqual([['#REF!'], ['#REF!']]);
    const again = ss.insertSheet('KPIツリー') as unknown as Sheet;
    again.getRange('A1:A3').setValues([[1], [2], [3]]);
    expect(mine.getRange('A1:A2').getValues()).toEqual([['#REF!'], ['#REF!']]);
    expect(mine.getRange('A1').getFormula()).toBe('=#REF!');
  });
});

describe('custom functions as Sheets shows them: loading, failed, timed out', () => {
  let rt: LocalRuntime;
  let sheet: Sheet;
  beforeAll(() => {
    rt = runtime();
    sheet = rt.spreadsheet.self.insertSheet('States') as unknown as Sheet;
    sheet.getRange('A1').setFormula(CHASE);
    sheet.getRange('Z1:Z2').setFormulas([['=ISNA(A1)'], ['=IFERROR(A1, "waiting")']]);
  });

  // Reported (issue 21) / assumed: a loading cell shows "Loading..." and its readers see #N/A.
  it('loading: the cell reads #N/A, shows Loading..., and what reads it sees an error', () => {
    const before = sheet.getRange('A2').getValue();
    rt.setCustomFunctionState('COHORT_CONVERSION', 'loading');
    expect(sheet.getRange('A1').getValue()).toBe('#N/A');
    expect(sheet.getRange('A1').getDisplayValue()).toBe(LOADING_TEXT);
    expect(sheet.getRange('A2').getValue()).toBe(''); // nothing spilled while loading
    expect(sheet.getRange('Z1:Z2').getValues()).toEqual([[true], ['waiting']]);
    rt.setCustomFunctionState('COHORT_CONVERSION', undefined);
    expect(sheet.getRange('A2').getValue()).toEqual(before);
    expect(sheet.getRange('Z1').getValue()).toBe(false);
  });

  // Documented (Custom functions guide): an exception shows #ERROR! with its message; past 30 s
  // the cell shows an error too ("Exceeded maximum execution time").
  it('thrown and timed out: #ERROR! with the message', () => {
    rt.setCustomFunctionState('COHORT_CONVERSION', { error: 'boom' });
    expect(sheet.getRange('A1').getValue()).toBe('#ERROR!');
    expect(rt.wb.errorMessage(sheet.getSheetId(), 1, 1)).toBe('boom');
    rt.setCustomFunctionState('COHORT_CONVERSION', 'timeout');
    expect(sheet.getRange('A1').getValue()).toBe('#ERROR!');
    expect(rt.wb.errorMessage(sheet.getSheetId(), 1, 1)).toBe(TIMEOUT_TEXT);
    rt.setCustomFunctionState('COHORT_CONVERSION', undefined);
    expect(sheet.getRange('A1').getValue()).not.toBe('#ERROR!');
  });
});

describe('sheets: activation, hiding, copying', () => {
  // Documented (Spreadsheet.insertSheet): "The new sheet becomes the active sheet."
  it('insertSheet makes the new sheet active', () => {
    const rt = runtime();
    const ss = rt.spreadsheet.self;
    const leads = ss.getSheetByName('Leads') as unknown as Sheet;
    ss.setActiveSheet(leads as never);
    const added = ss.insertSheet('New') as unknown as Sheet;
    expect(ss.getActiveSheet().getName()).toBe('New');
    // A hidden sheet is not the one the user sees.
    ss.setActiveSheet(leads as never);
    added.hideSheet();
    expect(added.isSheetHidden()).toBe(true);
    expect(ss.getActiveSheet().getName()).toBe('Leads');
  });

  // Documented (Range.copyTo): "Both the values and formatting are copied."
  it('copyTo replaces values, formulas and formats of the area in one call', () => {
    const rt = runtime();
    const ss = rt.spreadsheet.self;
    const from = ss.insertSheet('From') as unknown as Sheet;
    const to = ss.insertSheet('To') as unknown as Sheet;
    to.getRange('A1:C2').setValues([
      ['old', 1, 2],
      ['old', 3, 4],
    ]);
    to.getRange('B1').setNumberFormat('0.0%');
    const mine = ss.insertSheet('Mine') as unknown as Sheet;
    mine.getRange('A1').setFormula("=SUM('To'!B1:C2)");
    from.getRange('A1:C2').setValues([
      ['new', 10, '=B1*2'],
      ['', '', ''],
    ]);
    from.getRange('C1').setNumberFormat('#,##0');
    rt.counter.reset();
    from.getRange('A1:C2').copyTo(to.getRange('A1'));
    expect(rt.counter.counts['Range.copyTo']).toBe(1);
    expect(to.getRange('A1:C2').getValues()).toEqual([
      ['new', 10, 20],
      ['', '', ''],
    ]);
    expect(to.getRange('C1').getFormula()).toBe('=B1*2');
    expect(to.getRange('B1:C1').getNumberFormats()).toEqual([['0.###############', '#,##0']]);
    // A formula that points at the copied-over sheet follows the new content.
    expect(mine.getRange('A1').getValue()).toBe(30);
  });
});

describe('a renamed sheet is followed by every formula that named it', () => {
  // The writer binds a report's formulas to the new build's sheets under their temporary names
  // and renames them afterwards (src/addon/writer.ts cellValues); a custom-function formula the
  // workbook re-enters (its spill changed size) must still name the renamed sheet.
  it('a custom function re-entered after the rename reads the renamed sheet', () => {
    const rt = runtime();
    const ss = rt.spreadsheet.self;
    const other = ss.insertSheet('Temp-name') as unknown as Sheet;
    other.getRange('A1').setValue(new Date(Date.UTC(2024, 5, 15)));
    const report = ss.insertSheet('Report') as unknown as Sheet;
    report
      .getRange('A1')
      .setFormula(`=COHORT_CONVERSION(Leads!B2:B, Leads!L2:L, "slice", "month", 'Temp-name'!A1)`);
    const before = report.getLastRow();
    other.setName('Final name');
    // A later as_of: more periods, a taller spill — the formula is re-entered from its text.
    other.getRange('A1').setValue(new Date(Date.UTC(2025, 5, 15)));
    expect(report.getRange('A1').getFormula()).toContain("'Final name'!A1");
    expect(report.getRange('A1').getValue()).not.toMatch(/^#/);
    expect(report.getLastRow()).toBeGreaterThan(before);
  });
});
