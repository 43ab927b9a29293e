/**
 * PROSPECT_ACCURACY typed in a cell of the local runtime (HyperFormula + the bundle) equals the
 * direct call with the values Sheets would pass, over open-ended ranges of the sample lead tab.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { LEAD_HEADERS, sampleWorkbook } from '../../local/sample';

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));

/** The column letter of a lead-tab header (the sample's columns all lie within A–Z). */
const letter = (header: string) => {
  const i = LEAD_HEADERS.indexOf(header);
  if (i < 0 || i > 25) throw new Error(`no column ${header}`);
  return String.fromCharCode(65 + i);
};

describe('PROSPECT_ACCURACY typed in a cell', () => {
  let rt: LocalRuntime;
  let column: (sheet: string, col: number) => unknown[][];
  beforeAll(() => {
    rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook());
    // What Sheets passes for Leads!G2:G: every row of the grid below row 1, blanks as ''.
    column = (sheet, col) => {
      const id = rt.wb.sheetId(sheet) as number;
      const rows = rt.wb.sheetMeta(id).gridRows;
      return rt.wb.getValues(id, 2, col, rows - 1, 1);
    };
  });

  it('equals the direct call, with per-rank horizons from a range', () => {
    const ss = rt.spreadsheet.self;
    const sheet = ss.insertSheet('Prospect');
    sheet.getRange('L1:M3').setValues([
      ['A', 60],
      ['B', 90],
      ['*', 120],
    ]);
    const [owner, rank, rankDate, deal, won, amount] = [
      '担当者',
      '見込みランク',
      'ランク判定日',
      '商談化日',
      '受注日',
      '受注金額',
    ].map(letter);
    const r = (c: string) => `Leads!${c}2:${c}`;
    sheet
      .getRange('A1')
      .setFormula(
        `=PROSPECT_ACCURACY(${r(owner)}, ${r(rank)}, ${r(rankDate)}, ${r(deal)}, ${r(amount)}, ${r(won)}, L1:M3)`,
      );
    const col = (c: string) => column('Leads', c.charCodeAt(0) - 64);
    const direct = rt.call<unknown[][]>(
      'PROSPECT_ACCURACY',
      col(owner),
      col(rank),
      col(rankDate),
      col(deal),
      col(amount),
      col(won),
      [
        ['A', 60],
        ['B', 90],
        ['*', 120],
      ],
    );
    // Four reps × ranks A, B, C (the sample's ranks), in Japanese.
    expect(direct[0][0]).toBe('担当者');
    expect(direct.length).toBeGreaterThan(8);
    const id = sheet.getSheetId();
    expect(plain(rt.wb.getValues(id, 1, 1, direct.length, 9))).toEqual(plain(direct));
    // Nothing spilled beyond the result (the horizons sit in L:M).
    expect(rt.wb.getValues(id, direct.length + 1, 1, 1, 9)[0].every((v) => v === '')).toBe(true);
    // Won amounts were summed: the sample's won deals carry amounts.
    const amounts = direct.slice(1).map((row) => row[7] as number);
    expect(amounts.some((a) => a > 0)).toBe(true);
  });
});
