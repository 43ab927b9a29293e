/**
 * LIST_COVERAGE and DEAL_QUADRANTS typed in cells of the local runtime (the built bundle over
 * HyperFormula): the spilled result equals the direct call with the values Sheets would pass —
 * open-ended ranges with their trailing blank rows, Date cells, TRUE/FALSE cells.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';

const plain = (v: unknown) => JSON.parse(JSON.stringify(v));
const tokyoDate = (y: number, m: number, d: number, h = 0, mi = 0) =>
  new Date(Date.UTC(y, m - 1, d, h - 9, mi));

describe('LIST_COVERAGE and DEAL_QUADRANTS typed in cells', () => {
  let rt: LocalRuntime;
  /** What Sheets passes for Sheet!X2:X: every row of the grid below row 1, blanks as ''. */
  let column: (sheet: string, col: number) => unknown[][];
  beforeAll(() => {
    rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
    rt.loadSheets([
      {
        name: 'Targets',
        rows: [['ターゲット企業'], ['株式会社アルファ'], ['ベータ'], ['gamma.co.jp'], ['デルタ']],
      },
      {
        name: 'Acts',
        rows: [
          ['担当者', '相手先', '回数'],
          ['佐藤', '(株)アルファ', 3],
          ['佐藤', 'ベータ株式会社', 1],
          ['鈴木', 'taro@gamma.co.jp', 2],
          ['鈴木', '株式会社オメガ', 4],
          ['鈴木', '㈱アルファ', 1],
          ['', 'hanako@gmail.com', 1],
        ],
      },
      {
        name: 'Deals',
        rows: [
          ['ターゲット', '温度感', '金額', '受注日'],
          [true, '高', 100, tokyoDate(2025, 4, 1, 0, 30)],
          ['yes', 'B', 2000, ''],
          [false, 'hot', 300, tokyoDate(2025, 4, 2)],
          ['対象外', 'C', 400, false],
          ['○', '', 50, true],
          [true, '高い', '', ''],
        ],
      },
    ]);
    column = (sheet, col) => {
      const id = rt.wb.sheetId(sheet) as number;
      const rows = rt.wb.sheetMeta(id).gridRows;
      return rt.wb.getValues(id, 2, col, rows - 1, 1);
    };
  });

  it('LIST_COVERAGE over open-ended ranges equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Coverage');
    sheet
      .getRange('A1')
      .setFormula('=LIST_COVERAGE(Targets!A2:A, Acts!B2:B, Acts!C2:C, Acts!A2:A, 2)');
    const direct = rt.call<unknown[][]>(
      'LIST_COVERAGE',
      column('Targets', 1),
      column('Acts', 2),
      column('Acts', 3),
      column('Acts', 1),
      2,
    );
    expect(plain(rt.values('Coverage'))).toEqual(plain(direct));
    expect(plain(direct)).toEqual([
      [
        '担当者',
        'リスト社数',
        '接触社数',
        'カバー率',
        'リスト内活動数',
        '1社あたり活動数',
        '接触回数不足の社数',
        'リスト外活動数',
      ],
      // 4 list companies. 佐藤: アルファ 3, ベータ 1 (only アルファ has 2 touches).
      ['佐藤', 4, 2, 0.5, 4, 2, 3, 0],
      // 鈴木: gamma (e-mail at the listed domain) 2, アルファ 1; オメガ 4 off the list.
      ['鈴木', 4, 2, 0.5, 3, 1.5, 3, 4],
      // A free-mail person, by nobody: off the list.
      ['(blank)', 4, 0, 0, 0, '', 4, 1],
      // アルファ 4, ベータ 1, gamma 2; デルタ unreached; below 2: ベータ, デルタ.
      ['合計', 4, 3, 0.75, 7, 7 / 3, 2, 5],
    ]);
  });

  it('DEAL_QUADRANTS over open-ended ranges equals the direct call', () => {
    const sheet = rt.spreadsheet.self.insertSheet('Quadrants');
    sheet
      .getRange('A1')
      .setFormula('=DEAL_QUADRANTS(Deals!A2:A, Deals!B2:B, Deals!C2:C, Deals!D2:D)');
    const direct = rt.call<unknown[][]>(
      'DEAL_QUADRANTS',
      column('Deals', 1),
      column('Deals', 2),
      column('Deals', 3),
      column('Deals', 4),
    );
    expect(plain(rt.values('Quadrants'))).toEqual(plain(direct));
    expect(plain(direct)).toEqual([
      ['ターゲット', '温度感', '商談数', '商談金額', '受注数', '受注率'],
      // 高 (100, won) and 高い (no amount).
      ['ターゲット', '高', 2, 100, 1, 0.5],
      ['ターゲット', '低', 1, 2000, 0, 0],
      ['ターゲット外', '高', 1, 300, 1, 1],
      ['ターゲット外', '低', 1, 400, 0, 0],
      ['温度感なし', '', 1, 50, 1, 1],
      ['合計', '', 6, 2850, 3, 0.5],
    ]);

    const text = rt.spreadsheet.self.insertSheet('QuadrantsHot');
    text.getRange('A1').setFormula('=DEAL_QUADRANTS(Deals!A2:A, Deals!B2:B, , , "b, c")');
    const direct2 = rt.call<unknown[][]>(
      'DEAL_QUADRANTS',
      column('Deals', 1),
      column('Deals', 2),
      '',
      '',
      'b, c',
    );
    expect(plain(rt.values('QuadrantsHot'))).toEqual(plain(direct2));
    expect(plain(direct2).map((r: unknown[]) => r[2])).toEqual(['商談数', 1, 2, 1, 1, 1, 6]);
  });
});
