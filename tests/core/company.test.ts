import { describe, expect, it } from 'vitest';
import { companyKey } from '../../src/core/company';

describe('companyKey', () => {
  it('makes Japanese legal-form variants one company', () => {
    const variants = [
      '株式会社アルファ',
      'アルファ株式会社',
      '(株)アルファ',
      '㈱アルファ',
      'ｱﾙﾌｧ株式会社',
      '（株）アルファ',
      ' 株式会社 アルファ ',
    ];
    for (const v of variants) expect(companyKey(v), v).toBe('アルファ');
  });

  it('makes English legal-form variants one company', () => {
    for (const v of [
      'Acme Inc.',
      'ACME, Inc',
      'acme',
      'Acme Corporation',
      'ACME Co., Ltd.',
      'Acme K.K.',
      'Acme LLC',
    ]) {
      expect(companyKey(v), v).toBe('acme');
    }
  });

  it('keeps different companies apart', () => {
    expect(companyKey('株式会社アルファ')).not.toBe(companyKey('株式会社ベータ'));
    expect(companyKey('Acme Inc.')).not.toBe(companyKey('Acme Labs Inc.'));
    expect(companyKey('有限会社アルファ')).toBe('アルファ');
  });

  it('uses the domain of a business address', () => {
    expect(companyKey('taro@alpha.co.jp')).toBe('alpha.co.jp');
    expect(companyKey('Hanako.Sato@ALPHA.CO.JP')).toBe('alpha.co.jp');
    expect(companyKey('a"b@c@beta.com')).toBe('beta.com');
  });

  it('keeps the whole address for free mail: it is a person, not a company', () => {
    expect(companyKey('taro@gmail.com')).toBe('taro@gmail.com');
    expect(companyKey('hanako@yahoo.co.jp')).toBe('hanako@yahoo.co.jp');
    expect(companyKey('x@docomo.ne.jp')).not.toBe(companyKey('y@docomo.ne.jp'));
  });

  it('never returns a blank key for a non-blank name', () => {
    for (const v of ['株式会社', 'Inc.', '!!!', '(株)', 'The Company'])
      expect(companyKey(v), v).not.toBe('');
    expect(companyKey('')).toBe('');
    expect(companyKey(null)).toBe('');
  });
});
