import { describe, expect, it } from 'vitest';
import { detectColumns } from '../../src/core/headers';

describe('detectColumns', () => {
  it('finds Japanese lead-tab headers', () => {
    expect(
      detectColumns([
        'リードID',
        'リード獲得日',
        '会社名',
        'メールアドレス',
        '担当者',
        '商談化日',
        '受注日',
        '受注金額',
      ]),
    ).toEqual({
      id: 0,
      created: 1,
      company: 2,
      email: 3,
      owner: 4,
      dealDate: 5,
      wonDate: 6,
      amount: 7,
    });
  });

  it('finds English headers whatever their case, spacing and punctuation', () => {
    expect(
      detectColumns([
        'Created Date',
        'Company Name',
        'E-mail',
        'Owner',
        'Deal date',
        'Won Date',
        'Amount',
      ]),
    ).toMatchObject({
      created: 0,
      company: 1,
      email: 2,
      owner: 3,
      dealDate: 4,
      wonDate: 5,
      amount: 6,
    });
    expect(detectColumns(['ＭＱＬ日', '見込み ランク'])).toEqual({ mqlDate: 0, rank: 1 });
  });

  it('leaves out what is not there and never maps one column twice', () => {
    const found = detectColumns(['メモ', '', '担当者']);
    expect(found).toEqual({ owner: 2 });
  });
});
