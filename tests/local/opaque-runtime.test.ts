/**
 * The runtime that stores formulas without evaluating them (LocalRuntime `evaluate: false`), which
 * the fault sweep runs on: it is exactly as strict about sheets, ranges and names as the
 * evaluating one, and keeps every formula as written — so a check of which sheets, cells and
 * formulas exist means the same on both. (Sheet names with a space keep their quotes in both
 * spellings: HyperFormula, like Sheets, drops quotes a name does not need.)
 */
import { describe, expect, it } from 'vitest';
import { OUTSIDE_GRID } from '../../local/engine';
import { LocalRuntime } from '../../local/runtime';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;

function both(): [string, LocalRuntime][] {
  return [true, false].map((evaluate) => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'en_US', evaluate });
    rt.loadSheets([
      {
        name: 'In data',
        rows: [
          ['n', 'x'],
          [1, 2],
          [3, 4],
        ],
      },
    ]);
    return [evaluate ? 'evaluated' : 'opaque', rt];
  });
}

const formulaAt = (rt: LocalRuntime, sheet: string, a1: string) =>
  (rt.spreadsheet.self.getSheetByName(sheet) as unknown as Sheet).getRange(a1).getFormula();

describe('a runtime that does not evaluate is as strict as the one that does', () => {
  it('keeps formulas as written; their values are not computed', () => {
    for (const [mode, rt] of both()) {
      const ss = rt.spreadsheet.self;
      const s = ss.insertSheet('Report') as unknown as Sheet;
      s.getRange('A1:B1').setFormulas([["=SUM('In data'!A2:A3)", '=COHORT_CONVERSION(A:A, B:B)']]);
      expect(formulaAt(rt, 'Report', 'A1'), mode).toBe("=SUM('In data'!A2:A3)");
      expect(formulaAt(rt, 'Report', 'B1'), mode).toBe('=COHORT_CONVERSION(A:A, B:B)');
      const value = s.getRange('A1').getValue();
      if (mode === 'evaluated') expect(value).toBe(4);
      else expect(value).toBe("=SUM('In data'!A2:A3)");
      // No custom function runs when nothing is evaluated.
      expect((rt.counter.counts['CustomFunction.COHORT_CONVERSION'] ?? 0) > 0, mode).toBe(
        mode === 'evaluated',
      );
    }
  });

  it('deleting a sheet turns the formulas that name it into #REF! for good; renaming follows', () => {
    for (const [mode, rt] of both()) {
      const ss = rt.spreadsheet.self;
      const r = ss.insertSheet('Report') as unknown as Sheet;
      const t = ss.insertSheet('Temp sheet') as unknown as Sheet;
      r.getRange('A1:A2').setFormulas([["='Temp sheet'!A1"], ["='In data'!B2*2"]]);
      ss.deleteSheet(t as never);
      ss.insertSheet('Temp sheet');
      expect(formulaAt(rt, 'Report', 'A1'), mode).toBe('=#REF!');
      (ss.getSheetByName('In data') as unknown as Sheet).setName('New input');
      expect(formulaAt(rt, 'Report', 'A2'), mode).toBe("='New input'!B2*2");
    }
  });

  it('a bare cell-like sheet name is a parse error; ranges outside the grid throw', () => {
    for (const [mode, rt] of both()) {
      const ss = rt.spreadsheet.self;
      ss.insertSheet('Q1');
      const s = ss.insertSheet('Report') as unknown as Sheet;
      s.getRange('A1').setFormula('=Q1!A1');
      expect(formulaAt(rt, 'Report', 'A1'), mode).toBe('=Q1!A1');
      if (mode === 'evaluated') expect(s.getRange('A1').getValue()).toBe('#ERROR!');
      expect(() => s.getRange(1001, 1), mode).toThrow(OUTSIDE_GRID);
      expect(() => s.getRange('A1:AA1').setValues([new Array(27).fill(1)]), mode).toThrow(
        OUTSIDE_GRID,
      );
    }
  });

  it('copyTo carries formulas, values and formats alike', () => {
    for (const [mode, rt] of both()) {
      const ss = rt.spreadsheet.self;
      const a = ss.insertSheet('A') as unknown as Sheet;
      const b = ss.insertSheet('B') as unknown as Sheet;
      a.getRange('A1:B1').setValues([['label', "='In data'!A2+1"]]);
      a.getRange('B1').setNumberFormat('0.0');
      b.getRange('A1:B1').setValues([['old', 'old']]);
      a.getRange('A1:B1').copyTo(b.getRange('A1:B1'));
      expect(b.getRange('A1:B1').getFormulas(), mode).toEqual([['', "='In data'!A2+1"]]);
      expect(b.getRange('A1').getValue(), mode).toBe('label');
      expect(b.getRange('B1').getNumberFormats(), mode).toEqual([['0.0']]);
    }
  });
});
