/**
 * The local runtime: the built bundle in a node:vm scope over HyperFormula. Formulas typed in
 * cells are evaluated by the engine and must equal direct calls of the same functions with the
 * values Sheets would pass; Apps Script semantics (Dates, blanks, formulas from setValues, shapes)
 * hold; files round-trip.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DetailedCellError } from 'hyperformula';
import { beforeAll, describe, expect, it } from 'vitest';
import { readWorkbookFile, readXlsx, WorkbookFileError, writeXlsx } from '../../local/io';
import { DIST, LocalRuntime } from '../../local/runtime';
import { sampleWorkbook, tokyoDate } from '../../local/sample';

const tmp = mkdtempSync(join(tmpdir(), 'kpi-local-'));
const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

/** The block a formula spilled into, as getValues returns it (trailing empty cells trimmed). */
function spilled(rt: LocalRuntime, sheet: string, rows: number, cols: number): unknown[][] {
  const id = rt.wb.sheetId(sheet) as number;
  return rt.wb.getValues(id, 1, 1, rows, cols);
}

describe('custom functions typed in cells, on the sample workbook', () => {
  let rt: LocalRuntime;
  let column: (sheet: string, col: number) => unknown[][];
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

  it('COHORT_CONVERSION over open-ended ranges equals the direct call (chase and slice)', () => {
    const ss = rt.spreadsheet.self;
    const sheet = ss.insertSheet('Chase');
    sheet.getRange('A1').setFormula('=COHORT_CONVERSION(Leads!B2:B, Leads!L2:L)');
    const direct = rt.call<unknown[][]>(
      'COHORT_CONVERSION',
      column('Leads', 2),
      column('Leads', 12),
    );
    expect(direct.length).toBeGreaterThan(15);
    expect(plain(spilled(rt, 'Chase', direct.length, direct[0].length))).toEqual(plain(direct));
    // Nothing spilled beyond the result.
    expect(sheet.getLastRow()).toBe(direct.length);
    expect(sheet.getLastColumn()).toBe(direct[0].length);

    const slice = ss.insertSheet('Slice');
    slice.getRange('B2').setFormula('=COHORT_CONVERSION(Leads!B2:B, Leads!L2:L, "輪切り", "week")');
    const directSlice = rt.call<unknown[][]>(
      'COHORT_CONVERSION',
      column('Leads', 2),
      column('Leads', 12),
      '輪切り',
      'week',
    );
    const id = slice.getSheetId();
    expect(plain(rt.wb.getValues(id, 2, 2, directSlice.length, 4))).toEqual(plain(directSlice));
  });

  it('ACTIVITY_AREA and CAPACITY from cells equal the direct calls', () => {
    const ss = rt.spreadsheet.self;
    const sheet = ss.insertSheet('Area');
    sheet
      .getRange('A1')
      .setFormula('=ACTIVITY_AREA(Activities!C2:C, Activities!E2:E, Activities!B2:B, 0.2)');
    const direct = rt.call<unknown[][]>(
      'ACTIVITY_AREA',
      column('Activities', 3),
      column('Activities', 5),
      column('Activities', 2),
      0.2,
    );
    expect(direct.length).toBe(6); // header, four reps, Total
    expect(plain(spilled(rt, 'Area', direct.length, 6))).toEqual(plain(direct));

    const cap = ss.insertSheet('Cap');
    cap.getRange('A1:D4').setValues([
      ['Lead', 0.2, '', ''],
      ['MQL', 0.4, 3, 120],
      ['SQL', 0.25, 4, 20],
      ['Won', '', '', ''],
    ]);
    cap.getRange('F1').setFormula('=CAPACITY(A1:A4, B1:B4, C1:C4, D1:D4, 30000000, 1000000)');
    const id = cap.getSheetId();
    expect(plain(rt.wb.getValues(id, 1, 6, 5, 5))).toEqual([
      // A Japanese spreadsheet (the runtime's default locale): Japanese headers, same columns.
      ['ステージ', '必要数', 'キャパシティ', '稼働率', '必要人数'],
      ['Lead', 1500, '', '', ''],
      ['MQL', 300, 360, 300 / 360, 3],
      ['SQL', 120, 80, 1.5, 6],
      ['Won', 30, '', '', ''],
    ]);
  });

  it('recomputes when leads are added, growing the spill', () => {
    const ss = rt.spreadsheet.self;
    const sheet = ss.insertSheet('Grow');
    sheet.getRange('A1').setFormula('=COHORT_CONVERSION(Leads!B2:B, Leads!L2:L, "slice")');
    const before = sheet.getLastRow();
    const leads = ss.getSheetByName('Leads');
    if (!leads) throw new Error('no Leads');
    const row = leads.getLastRow() + 1;
    // Sheets never grows a grid by itself: the user adds a row first.
    if (row > leads.getMaxRows()) leads.insertRowsAfter(leads.getMaxRows(), 1);
    leads.getRange(row, 2, 1, 1).setValues([[tokyoDate(2026, 6, 15)]]);
    // June 2026 is months after the sample's last date: the slice grows to reach it.
    expect(sheet.getLastRow()).toBeGreaterThan(before);
    const last = rt.values('Grow').at(-1) as unknown[];
    expect(last.slice(0, 2)).toEqual(['2026-06', 1]);
  });
});

describe('time zones: spreadsheet in Tokyo, process in UTC', () => {
  it('puts a date cell of 1 April 00:00 Tokyo in April, from a cell and from a direct call', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo' });
    rt.loadSheets([
      {
        name: 'L',
        rows: [['created'], [tokyoDate(2025, 3, 31, 23, 59)], [tokyoDate(2025, 4, 1, 0, 0)]],
      },
    ]);
    const sheet = rt.spreadsheet.self.insertSheet('Out');
    sheet.getRange('A1').setFormula('=COHORT_CONVERSION(L!A2:A, L!B2:B, "slice")');
    expect(plain(rt.values('Out'))).toEqual([
      ['期間', 'リード数', '転換数', '転換率'],
      ['2025-03', 1, 0, 0],
      ['2025-04', 1, 0, 0],
    ]);
  });

  it('gives back Date cells as Dates of the bundle’s realm at the same instant', () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo' });
    const instant = tokyoDate(2025, 4, 1, 9, 30);
    rt.loadSheets([{ name: 'L', rows: [[instant]] }]);
    rt.run(
      'var __v = SpreadsheetApp.getActiveSpreadsheet().getSheetByName("L").getRange("A1").getValues()[0][0];',
    );
    expect(rt.run('__v instanceof Date')).toBe(true);
    expect(rt.run('__v.getTime()')).toBe(instant.getTime());
    expect(
      rt.run(
        'SpreadsheetApp.getActiveSpreadsheet().getSheetByName("L").getRange("A1:B2").getValues()[1]',
      ),
    ).toEqual(['', '']);
  });
});

describe('Apps Script semantics', () => {
  let rt: LocalRuntime;
  beforeAll(() => {
    rt = new LocalRuntime();
    rt.loadSheets([{ name: 'S', rows: [['x']] }]);
  });

  it('turns a string starting with "=" into a formula, while a leading apostrophe keeps text', () => {
    const range = rt.spreadsheet.self.getSheetByName('S')?.getRange('A1:C1');
    range?.setValues([['=1+2', "'=1+2", '=IMPORTXML("http://x","//a")']]);
    const values = range?.getValues();
    expect(values?.[0][0]).toBe(3);
    expect(values?.[0][1]).toBe('=1+2');
    expect(range?.getFormulas()[0]).toEqual(['=1+2', '', '=IMPORTXML("http://x","//a")']);
  });

  it('throws like Sheets when setValues has the wrong dimensions', () => {
    const range = rt.spreadsheet.self.getSheetByName('S')?.getRange('A1:B2');
    expect(() => range?.setValues([[1, 2]])).toThrow(
      'The number of rows in the data does not match the number of rows in the range. The data has 1 but the range has 2.',
    );
    expect(() => range?.setValues([[1], [2]])).toThrow(
      /number of columns in the data does not match/,
    );
  });

  it('keeps sheet names unique', () => {
    expect(() => rt.spreadsheet.self.insertSheet('S')).toThrow(/already exists/);
  });

  it('counts every service call by method', () => {
    rt.counter.reset();
    rt.run(`(function () {
      var sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName('S');
      var values = sheet.getRange('A1:C1').getValues();
      sheet.getRange('A3:C3').setValues(values);
      sheet.getRange('A3:C3').getValues();
    })()`);
    expect(rt.counter.counts).toMatchObject({
      'SpreadsheetApp.getActiveSpreadsheet': 1,
      'Spreadsheet.getSheetByName': 1,
      'Sheet.getRange': 3,
      'Range.getValues': 2,
      'Range.setValues': 1,
    });
    expect(rt.counter.total('Range.')).toBe(3);
  });

  it('shows a thrown error as an #ERROR! cell carrying the message, in the sheet’s language', () => {
    const ja = new LocalRuntime({ locale: 'ja_JP' });
    ja.loadSheets([
      {
        name: 'L',
        rows: [
          ['2025/4/1', ''],
          ['2025/13/01', ''],
        ],
      },
    ]);
    const sheet = ja.spreadsheet.self.insertSheet('Out');
    sheet.getRange('A1').setFormula('=COHORT_CONVERSION(L!A1:A2, L!B1:B2)');
    expect(sheet.getRange('A1').getValue()).toBe('#ERROR!');
    const cell = ja.wb.hf.getCellValue({ sheet: sheet.getSheetId(), row: 0, col: 0 });
    expect(cell).toBeInstanceOf(DetailedCellError);
    expect((cell as DetailedCellError).message).toBe(
      'lead_dates 2行目: "2025/13/01" は日付ではありません',
    );
  });

  // Sheets shows a blocked spill as #REF! ("Array result was not expanded because it would
  // overwrite data", reported; local/engine.ts edgeMessage), not HyperFormula's #SPILL!.
  it('reports a blocked spill as #REF!, not a crash, and spills again once unblocked', () => {
    const r = new LocalRuntime();
    r.loadSheets([{ name: 'L', rows: [[tokyoDate(2025, 1, 5)], [tokyoDate(2025, 2, 5)]] }]);
    const sheet = r.spreadsheet.self.insertSheet('Out');
    sheet.getRange('A3').setValue('in the way');
    sheet.getRange('A1').setFormula('=COHORT_CONVERSION(L!A1:A2, L!B1:B2, "slice")');
    expect(sheet.getRange('A1').getValue()).toBe('#REF!');
    sheet.getRange('A3').clearContent();
    expect(sheet.getRange('A1:B3').getValues()).toEqual([
      ['期間', 'リード数'],
      ['2025-01', 1],
      ['2025-02', 1],
    ]);
  });
});

describe('files', () => {
  it('round-trips dates, numbers, text and formulas through .xlsx', async () => {
    const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo' });
    const when = tokyoDate(2025, 4, 1);
    rt.loadSheets([
      {
        name: 'Leads',
        rows: [
          ['作成日', '金額', 'メモ'],
          [when, 1200000, '=looks like a formula'],
          [tokyoDate(2025, 5, 2), 0.25, '株式会社アルファ'],
        ],
      },
      {
        name: 'Calc',
        rows: [
          [
            { formula: '=SUM(Leads!B2:B3)' },
            { formula: '=COHORT_CONVERSION(Leads!A2:A, Leads!A2:A, "slice")' },
          ],
        ],
      },
    ]);
    const path = join(tmp, 'round.xlsx');
    await writeXlsx(rt, path);

    const back = new LocalRuntime({ timeZone: 'Asia/Tokyo' });
    expect(back.loadSheets(await readXlsx(path))).toEqual([]);
    expect(plain(back.values('Leads'))).toEqual(plain(rt.values('Leads')));
    const d = back.values('Leads')[1][0] as Date;
    expect(d.getTime()).toBe(when.getTime());
    expect(back.values('Leads')[1][2]).toBe('=looks like a formula');
    const calc = back.spreadsheet.self.getSheetByName('Calc');
    expect(calc?.getRange('A1:B1').getFormulas()).toEqual([
      ['=SUM(Leads!B2:B3)', '=COHORT_CONVERSION(Leads!A2:A, Leads!A2:A, "slice")'],
    ]);
    expect(plain(back.values('Calc'))).toEqual(plain(rt.values('Calc')));
    expect(back.values('Calc')[0][0]).toBe(1200000.25);
  });

  it('reads a CSV lead list', async () => {
    const path = join(tmp, 'leads.csv');
    writeFileSync(
      path,
      '\uFEFF作成日,会社名,件数\n2025/4/1,"株式会社アルファ, 本社",3\n2025/4/2,=cmd|calc,4\n',
    );
    const [sheet] = await readWorkbookFile(path);
    // The text as written, flagged to be parsed as Sheets imports a CSV (USER_ENTERED).
    expect(sheet.parse).toBe('user-entered');
    expect(sheet.rows).toEqual([
      ['作成日', '会社名', '件数'],
      ['2025/4/1', '株式会社アルファ, 本社', '3'],
      ['2025/4/2', '=cmd|calc', '4'],
    ]);
    const rt = new LocalRuntime({ locale: 'ja_JP', timeZone: 'Asia/Tokyo' });
    rt.loadSheets([sheet]);
    const v = rt.values('leads');
    // In a ja_JP sheet the dates are Date cells (local midnight in Tokyo), the counts numbers.
    expect((v[1][0] as Date).getTime()).toBe(Date.UTC(2025, 2, 31, 15));
    expect([v[1][2], v[2][2]]).toEqual([3, 4]);
    expect(v[1][1]).toBe('株式会社アルファ, 本社');
    // *assumed*: CSV import converts formulas too ("Convert text to numbers, dates, and formulas"
    // is on by default); one Sheets cannot parse shows #ERROR!. The product reads the value.
    const sheetB3 = rt.spreadsheet.self.getSheetByName('leads')?.getRange('B3');
    expect(sheetB3?.getFormula()).toBe('=cmd|calc');
    expect(v[2][1]).toBe('#ERROR!');
  });

  it('pastes tab-separated and CSV text, parsed by the spreadsheet’s locale', () => {
    // A paste goes through the same parser as a CSV import (local/userEntered.ts; its rules and
    // their tags are tested in tests/local/user-entered.test.ts).
    const rt = new LocalRuntime({ locale: 'en_US', timeZone: 'Asia/Tokyo' });
    expect(
      rt.paste('Pasted', 'Created\tAmount\tShare\n01/02/2018\t"1,234"\t12%\n20/10/2017\t0012\t'),
    ).toEqual([]);
    const v = rt.values('Pasted');
    expect(v[0]).toEqual(['Created', 'Amount', 'Share']);
    // en_US reads 01/02/2018 month first (2 January); 20/10/2017 cannot be a US date: text.
    expect((v[1][0] as Date).getTime()).toBe(Date.UTC(2018, 0, 1, 15));
    expect(v[2][0]).toBe('20/10/2017');
    expect([v[1][1], v[1][2], v[2][1], v[2][2]]).toEqual([1234, 0.12, 12, '']);
    // CSV text pasted below it, into the existing sheet, past its last row.
    rt.paste('Pasted', '"a, b",TRUE\n', { row: 4, col: 1 });
    expect(rt.values('Pasted')[3].slice(0, 2)).toEqual(['a, b', true]);
    // An unflagged load keeps the same text as text, behind an apostrophe.
    rt.loadSheets([{ name: 'Typed', rows: [['01/02/2018', '0012']] }]);
    expect(rt.values('Typed')[0]).toEqual(['01/02/2018', '0012']);
  });

  it('says clearly when a file is not a valid .xlsx', async () => {
    const path = join(tmp, 'broken.xlsx');
    writeFileSync(path, 'this is not a zip file at all');
    await expect(readXlsx(path)).rejects.toThrow(WorkbookFileError);
    await expect(readXlsx(path)).rejects.toThrow(
      /Cannot read "broken.xlsx": it is not a valid .xlsx file/,
    );
    await expect(readWorkbookFile(join(tmp, 'leads.txt'))).rejects.toThrow(/only .xlsx and .csv/);
  });

  it('names formulas that refer to a sheet the workbook does not have', () => {
    const rt = new LocalRuntime();
    const problems = rt.loadSheets([
      { name: 'Summary', rows: [['total', { formula: "=SUM('Old Leads'!A1:A10)" }]] },
    ]);
    expect(problems).toEqual([
      `Summary!B1: =SUM('Old Leads'!A1:A10) refers to "Old Leads", which is not a sheet of this workbook`,
    ]);
    expect(rt.values('Summary')[0][1]).toBe('#REF!');
  });
});

describe('the bundle stays free of the local runtime', () => {
  it('contains none of HyperFormula (GPL-3.0, local use only)', () => {
    const bundle = readFileSync(join(DIST, 'Code.js'), 'utf8');
    expect(bundle).not.toMatch(/hyperformula|HyperFormula|gpl-v3|exceljs|papaparse/i);
  });
});
