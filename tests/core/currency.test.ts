/**
 * The data's currency (src/core/currency.ts) and the money format it gives
 * (sheets/style.ts moneyFormat): a hand-written table of headers, cells and number formats.
 */
import { describe, expect, it } from 'vitest';
import { codeOfFormat, detectCurrency } from '../../src/core/currency';
import { detectColumns } from '../../src/core/headers';
import { moneyFormat, moneyOf } from '../../src/core/sheets/style';

describe('detectCurrency: the header', () => {
  it.each([
    ['Amount (EUR)', 'EUR'],
    ['Expected Revenue €', 'EUR'],
    ['金額（円）', 'JPY'],
    ['受注金額(円)', 'JPY'],
    ['Value USD', 'USD'],
    ['Amount (US$)', 'USD'],
    ['Deal size ($)', 'USD'],
    ['Revenue £', 'GBP'],
    ['amount_gbp', 'GBP'],
    ['金額（ユーロ）', 'EUR'],
    ['金額（米ドル）', 'USD'],
  ])('%s → %s', (header, code) => {
    expect(detectCurrency(header, [1200, 300])).toEqual({ code, from: 'header', example: header });
  });

  it.each([
    'Amount',
    '金額',
    'Deal - Value',
    'Europe revenue', // "Eur" inside a word names nothing
    'Amount (EUR / USD)', // two currencies: not one
    'Valor (R$)', // the Brazilian real
    'Amount (CA$)', // the Canadian dollar
    '金額（豪ドル）', // the Australian dollar
  ])('%s names no currency', (header) => {
    expect(detectCurrency(header, [1200])).toBeNull();
  });

  it('the header wins over the cells', () => {
    expect(detectCurrency('Amount (EUR)', ['$1,200.00', '$300'])).toEqual({
      code: 'EUR',
      from: 'header',
      example: 'Amount (EUR)',
    });
  });
});

describe('an amount header with its currency is still the amount column', () => {
  it.each([
    'Amount (EUR)',
    'Expected Revenue €',
    '金額（円）',
    'Value USD',
    'USD Amount',
    'Revenue in EUR',
  ])('%s', (header) => {
    expect(detectColumns(['Created Date', 'Status', header]).amount).toBe(2);
  });

  it('the plain "Amount" is still preferred to "Expected Revenue"', () => {
    expect(detectColumns(['Expected Revenue', 'Amount (USD)']).amount).toBe(1);
  });
});

describe('detectCurrency: text cells', () => {
  it.each([
    ['€ 1.234,50', 'EUR'],
    ['1 234,50 €', 'EUR'],
    ['1\u00a0234,50\u00a0€', 'EUR'], // no-break spaces, as a French export writes them
    ['EUR 1200', 'EUR'],
    ['1,200 eur', 'EUR'],
    ['$1,200.00', 'USD'],
    ['-$1,200.00', 'USD'],
    ['US$ 300', 'USD'],
    ['USD 12,500.00', 'USD'],
    ['¥120,000', 'JPY'],
    ['￥120,000', 'JPY'],
    ['120,000円', 'JPY'],
    ['１２０，０００円', 'JPY'], // full-width digits
    ['£99', 'GBP'],
    ['GBP 99.00', 'GBP'],
    ['JP¥1,200', 'JPY'],
  ])('%s → %s', (cell, code) => {
    expect(detectCurrency('Amount', [cell])).toEqual({ code, from: 'cells', example: cell });
  });

  it.each(['', 'n/a', '$', 'EUR', 'Paid in €', '1200', 'see € sheet', 'R$ 1.200,00', 'CA$1,200'])(
    '"%s" is no amount with a currency',
    (cell) => {
      expect(detectCurrency('Amount', [cell])).toBeNull();
    },
  );

  it('the majority wins; the example is its first cell', () => {
    expect(detectCurrency('Amount', ['$5', '€ 10', '€ 20', '', 7, '€ 30', '£1'])).toEqual({
      code: 'EUR',
      from: 'cells',
      example: '€ 10',
    });
  });

  it('a tie is no majority: null', () => {
    expect(detectCurrency('Amount', ['$5', '€ 10', '$6', '€ 20'])).toBeNull();
  });

  it('numbers without formats and blanks say nothing', () => {
    expect(detectCurrency('Amount', [1200, '', null, 300])).toBeNull();
    expect(detectCurrency('Amount', [])).toBeNull();
  });
});

describe('detectCurrency: number formats (as Range.getNumberFormats returns them)', () => {
  it.each([
    ['[$€-407]#,##0.00', 'EUR'],
    ['#,##0.00 [$€-1]', 'EUR'],
    ['#,##0.00 [$€]', 'EUR'],
    ['"€"#,##0.00', 'EUR'],
    ['#,##0 "€"', 'EUR'],
    ['[$$]#,##0', 'USD'],
    ['[$$-409]#,##0.00', 'USD'],
    ['$#,##0.00', 'USD'],
    ['"$"#,##0', 'USD'],
    ['[$¥-411]#,##0', 'JPY'],
    ['¥#,##0', 'JPY'],
    ['#,##0"円"', 'JPY'],
    ['£#,##0.00', 'GBP'],
    ['[$£-809]#,##0.00', 'GBP'],
    ['$#,##0.00;[Red]-$#,##0.00', 'USD'],
  ])('%s → %s', (format, code) => {
    expect(codeOfFormat(format)).toBe(code);
    expect(detectCurrency('Amount', [1200], [format])).toEqual({
      code,
      from: 'format',
      example: format,
    });
  });

  it.each([
    '#,##0',
    '0.00',
    '0.###############',
    'General',
    'yyyy-mm-dd',
    '"USD" yyyy', // a date format with text: no digit placeholder, no money
    '[$¥-804]#,##0.00', // ¥ tagged Chinese (zh-CN): the yuan
    '[$$-1009]#,##0.00', // $ tagged en-CA: the Canadian dollar
    '[$R$-416]#,##0.00', // pt-BR real
    '0.0%',
  ])('%s shows no currency of ours', (format) => {
    expect(codeOfFormat(format)).toBeNull();
    expect(detectCurrency('Amount', [1200], [format])).toBeNull();
  });

  it('a text cell is read by its text, not by its format', () => {
    expect(detectCurrency('Amount', ['€ 10'], ['$#,##0.00'])).toEqual({
      code: 'EUR',
      from: 'cells',
      example: '€ 10',
    });
  });

  it('formats and text cells vote together; it is named after the kind that said it most', () => {
    // 2 EUR formats + 1 EUR text against 2 USD texts: EUR (3 to 2), said mostly by formats.
    const values = [10, '€ 5', '$1', 20, '$2'];
    const formats = ['[$€-407]#,##0.00', '@', '@', '"€"#,##0', '@'];
    expect(detectCurrency('Amount', values, formats)).toEqual({
      code: 'EUR',
      from: 'format',
      example: '[$€-407]#,##0.00',
    });
  });
});

describe('moneyFormat: the data’s currency over the locale’s', () => {
  it.each([
    // [locale, currency, format]
    ['ja_JP', undefined, '"¥"#,##0'],
    ['en_US', undefined, '"$"#,##0'],
    ['de_DE', undefined, '#,##0 "€"'],
    ['ja_JP', 'EUR', '"€"#,##0'],
    ['en_US', 'EUR', '"€"#,##0'],
    ['de_DE', 'EUR', '#,##0 "€"'], // the locale's own euro, written its way
    ['fr_FR', 'USD', '"$"#,##0'],
    ['ja_JP', 'JPY', '"¥"#,##0'],
    ['en_US', 'JPY', '"¥"#,##0'],
    ['en_US', 'USD', '"$"#,##0'],
    ['en_US', 'GBP', '"£"#,##0'],
    ['en_GB', 'USD', '"$"#,##0'],
    ['en_CA', 'USD', '"US$"#,##0'], // $ alone is the Canadian dollar there
    ['zh_CN', 'JPY', '"JP¥"#,##0'], // ¥ alone is the yuan there
    ['xx_XX', 'GBP', '"£"#,##0'],
    ['xx_XX', undefined, '#,##0'],
    [undefined, 'EUR', '"€"#,##0'],
  ] as const)('%s + %s → %s', (locale, currency, format) => {
    expect(moneyFormat(locale, currency)).toBe(format);
  });

  it('moneyOf reads both from the settings', () => {
    expect(moneyOf({ locale: 'ja_JP', currency: 'EUR' })).toBe('"€"#,##0');
    expect(moneyOf({ locale: 'ja_JP' })).toBe('"¥"#,##0');
  });
});
