/**
 * KPI_COHORT_FORECAST and KPI_PIPELINE_FORECAST typed in cells of the local runtime (the bundle over HyperFormula, a
 * Japanese spreadsheet in Asia/Tokyo, this process in UTC): each formula's spill equals the direct
 * call with the values Sheets would pass for the same open-ended ranges — the won dates as a
 * column, or derived by ARRAYFORMULA from a status, as the Forecast sheet writes them.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook, tokyoDate } from '../../local/sample';

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

describe('KPI_COHORT_FORECAST typed in cells, on the sample workbook', () => {
  let rt: LocalRuntime;
  let column: (sheet: string, col: number) => unknown[][];
  const spilled = (sheet: string, rows: number, cols: number) =>
    rt.wb.getValues(rt.wb.sheetId(sheet) as number, 1, 1, rows, cols);
  beforeAll(() => {
    rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook());
    column = (sheet, col) => {
      const id = rt.wb.sheetId(sheet) as number;
      const rows = rt.wb.sheetMeta(id).gridRows;
      return rt.wb.getValues(id, 2, col, rows - 1, 1);
    };
  });

  it('the forecast (3 months from 30 Sep 2025, with amounts) equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Forecast');
    sheet
      .getRange('A1')
      .setFormula(
        '=KPI_COHORT_FORECAST(Leads!B2:B, Leads!M2:M, DATE(2025,9,30), "month", 3, Leads!N2:N)',
      );
    const direct = rt.call<unknown[][]>(
      'KPI_COHORT_FORECAST',
      column('Leads', 2),
      column('Leads', 13),
      tokyoDate(2025, 9, 30),
      'month',
      3,
      column('Leads', 14),
    );
    expect(direct[0]).toEqual([
      '期間',
      '転換数（予測）',
      '売上（予測）',
      '転換数（実績）',
      '売上（実績）',
    ]);
    expect(direct.map((r) => r[0])).toEqual(['期間', '2025-09', '2025-10', '2025-11']);
    // A forecast is a number, never negative; revenue follows the amounts.
    for (const r of direct.slice(1)) {
      expect(r[1] as number).toBeGreaterThanOrEqual(0);
      expect(r[2] as number).toBeGreaterThanOrEqual(0);
    }
    expect(plain(spilled('Forecast', 4, 5))).toEqual(plain(direct));
  });

  it('the backtest, with the won dates derived from the status by ARRAYFORMULA, equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Backtest');
    sheet
      .getRange('A1')
      .setFormula(
        '=KPI_COHORT_FORECAST(Leads!B2:B, ARRAYFORMULA(IF(Leads!H2:H="受注", Leads!M2:M, "")), DATE(2025,9,30), "month", 6, Leads!N2:N, , "backtest")',
      );
    // What the ARRAYFORMULA passes: the won date where the status is 受注, else blank.
    const status = column('Leads', 8);
    const wonDates = column('Leads', 13).map((r, i) => [status[i][0] === '受注' ? r[0] : '']);
    const direct = rt.call<unknown[][]>(
      'KPI_COHORT_FORECAST',
      column('Leads', 2),
      wonDates,
      tokyoDate(2025, 9, 30),
      'month',
      6,
      column('Leads', 14),
      '',
      'backtest',
    );
    expect(direct.map((r) => r[0])).toEqual([
      '期間',
      '2025-03',
      '2025-04',
      '2025-05',
      '2025-06',
      '2025-07',
      '2025-08',
    ]);
    expect(plain(spilled('Backtest', 7, 7))).toEqual(plain(direct));
  });

  it('the pipeline forecast (status map as a range, won dates as closing dates) equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Pipeline');
    sheet.getRange('H1:I2').setValues([
      ['受注', 'won'],
      ['失注', 'lost'],
    ]);
    sheet
      .getRange('A1')
      .setFormula(
        '=KPI_PIPELINE_FORECAST(Leads!H2:H, Leads!N2:N, Leads!M2:M, "", DATE(2025,9,30), "month", 3, $H$1:$I$2, Leads!L2:L, , "skip")',
      );
    const direct = rt.call<unknown[][]>(
      'KPI_PIPELINE_FORECAST',
      column('Leads', 8),
      column('Leads', 14),
      column('Leads', 13),
      '',
      tokyoDate(2025, 9, 30),
      'month',
      3,
      [
        ['受注', 'won'],
        ['失注', 'lost'],
      ],
      column('Leads', 12),
      '',
      'skip',
    );
    expect(direct[0]).toEqual([
      '期間',
      '未決着の商談数',
      'パイプライン金額',
      '受注数（予測）',
      '売上（予測）',
    ]);
    expect(direct.map((r) => r[0])).toEqual(['期間', '2025-09', '2025-10', '2025-11']);
    // Only 商談化 rows are open deals (新規, MQL, ナーチャリング are not deals yet).
    const status = column('Leads', 8).map((r) => r[0]);
    const open = status.filter((v) => v === '商談化').length;
    const landed = direct.slice(1).reduce((n, r) => n + (r[1] as number), 0);
    expect(landed).toBeLessThanOrEqual(open);
    expect(landed).toBeGreaterThan(0);
    expect(plain(spilled('Pipeline', 4, 5))).toEqual(plain(direct));
  });
});
