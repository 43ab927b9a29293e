/**
 * CYCLE_TIME and RETENTION typed in cells of the local runtime (the bundle over HyperFormula, a
 * Japanese spreadsheet in Asia/Tokyo, this process in UTC): each formula's spill equals the
 * direct call with the values Sheets would pass for the same open-ended ranges.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook, tokyoDate } from '../../local/sample';

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('CYCLE_TIME and RETENTION typed in cells, on the sample workbook', () => {
  let rt: LocalRuntime;
  let column: (sheet: string, col: number) => unknown[][];
  const spilled = (sheet: string, rows: number, cols: number) =>
    rt.wb.getValues(rt.wb.sheetId(sheet) as number, 1, 1, rows, cols);
  beforeAll(() => {
    rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook());
    // What Sheets passes for Leads!B2:B: every row of the grid below row 1, blanks as ''.
    column = (sheet, col) => {
      const id = rt.wb.sheetId(sheet) as number;
      const rows = rt.wb.sheetMeta(id).gridRows;
      return rt.wb.getValues(id, 2, col, rows - 1, 1);
    };
  });

  it('CYCLE_TIME (lead → deal, by owner) from a cell equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Cycle');
    sheet.getRange('A1').setFormula('=CYCLE_TIME(Leads!B2:B, Leads!L2:L, "月", Leads!G2:G)');
    const direct = rt.call<unknown[][]>(
      'CYCLE_TIME',
      column('Leads', 2),
      column('Leads', 12),
      '月',
      column('Leads', 7),
    );
    // 18 months × 4 owners, a Total per owner and the grand total.
    expect(direct.length).toBe(1 + 18 * 4 + 4 + 1);
    expect(direct[0]).toEqual([
      '期間',
      'グループ',
      '件数',
      '日数（中央値）',
      '日数（75パーセンタイル）',
      '日数（平均）',
      '未完了',
    ]);
    expect((direct.at(-1) as unknown[]).slice(0, 2)).toEqual(['合計', '全体']);
    expect(plain(spilled('Cycle', direct.length, 7))).toEqual(plain(direct));
    expect(sheet.getLastRow()).toBe(direct.length);
    expect(sheet.getLastColumn()).toBe(7);

    // Without a group, by quarter.
    const q = rt.spreadsheet.self.insertSheet('CycleQ');
    q.getRange('A1').setFormula('=CYCLE_TIME(Leads!L2:L, Leads!M2:M, "quarter")');
    const directQ = rt.call<unknown[][]>(
      'CYCLE_TIME',
      column('Leads', 12),
      column('Leads', 13),
      'quarter',
    );
    expect(plain(spilled('CycleQ', directQ.length, 6))).toEqual(plain(directQ));
  });

  it('RETENTION (customers tab, by company) from a cell equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Retention');
    // A retention table of 18 months is wider than a new sheet's 26 columns: in Sheets it shows
    // #REF! ("please insert more columns") until the user adds them, as here.
    sheet.insertColumnsAfter(26, 14);
    sheet
      .getRange('A1')
      .setFormula("=RETENTION('顧客'!B2:B, '顧客'!C2:C, \"month\", DATE(2025,9,30), '顧客'!A2:A)");
    const direct = rt.call<unknown[][]>(
      'RETENTION',
      column('顧客', 2),
      column('顧客', 3),
      'month',
      tokyoDate(2025, 9, 30),
      column('顧客', 1),
    );
    expect(direct.length).toBeGreaterThan(5);
    expect(direct[0].slice(0, 3)).toEqual(['期間', '顧客数', '+0']);
    expect(plain(spilled('Retention', direct.length, direct[0].length))).toEqual(plain(direct));
    expect(sheet.getLastColumn()).toBe(direct[0].length);

    // Per contract with the default as_of (the latest date), from B1 of another sheet.
    const rows = rt.spreadsheet.self.insertSheet('RetentionRows');
    rows.insertColumnsAfter(26, 14);
    rows.getRange('B1').setFormula("=RETENTION('顧客'!B2:B, '顧客'!C2:C)");
    const directRows = rt.call<unknown[][]>('RETENTION', column('顧客', 2), column('顧客', 3));
    const id = rows.getSheetId();
    expect(plain(rt.wb.getValues(id, 1, 2, directRows.length, directRows[0].length))).toEqual(
      plain(directRows),
    );
  });
});
