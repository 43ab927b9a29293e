/**
 * The currency of the data: what an amount column says about its money — its header
 * ("Amount (EUR)", "金額（円）"), its text cells ("€ 1.234,50", "120,000円") or the number
 * formats of its number cells (`[$€-407]#,##0.00`, `$#,##0.00`). The generated sheets show money
 * in it (sheets/style.ts moneyFormat); the spreadsheet's locale decides only when the data says
 * nothing. Pure: the adapter reads the cells and their formats (Range.getNumberFormats).
 */

export type CurrencyCode = 'EUR' | 'USD' | 'JPY' | 'GBP';
export const CURRENCY_CODES: readonly CurrencyCode[] = ['EUR', 'USD', 'JPY', 'GBP'];

export const isCurrencyCode = (v: unknown): v is CurrencyCode =>
  typeof v === 'string' && (CURRENCY_CODES as readonly string[]).includes(v);

export interface CurrencyEvidence {
  code: CurrencyCode;
  /** Where it was read: the column's header, its text cells, or its cells' number formats. */
  from: 'header' | 'cells' | 'format';
  /** The header, the first cell text or the first number format that said so. */
  example: string;
}

/**
 * Symbols and words that name a currency. A bare "$" means USD here: the add-on's users are
 * Japanese and English-speaking B2B teams, whose CRM exports write US dollars as "$" (a Canadian
 * or Australian export writes CA$ / A$ or its ISO code, which name no currency of ours: a $ or ¥
 * right after a letter — R$, CA$, CN¥ — and 豪ドル / 香港ドル are other currencies).
 */
const TOKEN =
  /(?<![A-Za-z])(?:EUR|USD|JPY|GBP|euros?|dollars?|yen)(?![A-Za-z])|US\$|JP¥|(?<![A-Za-z])[$¥]|[€£円]|米ドル|(?<![\u3400-\u9fff])ドル|ユーロ|ポンド/gi;

function codeOfToken(token: string): CurrencyCode | null {
  const t = token.toUpperCase();
  if (t === 'EUR' || t === '€' || t.startsWith('EURO') || t === 'ユーロ') return 'EUR';
  if (t === 'USD' || t === 'US$' || t === '$' || t.startsWith('DOLLAR') || t.endsWith('ドル'))
    return 'USD';
  if (t === 'JPY' || t === '¥' || t === 'JP¥' || t === '円' || t === 'YEN') return 'JPY';
  if (t === 'GBP' || t === '£' || t === 'ポンド') return 'GBP';
  return null;
}

/** The one currency a text names (NFKC: ￥ is ¥, （円） is (円)); null for none or several. */
export function codeInText(text: string): CurrencyCode | null {
  const codes = new Set<CurrencyCode>();
  for (const m of text.normalize('NFKC').match(TOKEN) ?? []) {
    const c = codeOfToken(m);
    if (c) codes.add(c);
  }
  return codes.size === 1 ? [...codes][0] : null;
}

/** An amount written with its currency: "€ 1.234,50", "1 234,50 €", "EUR 1200", "120,000円", "-$1,200.00". */
const SYMBOL = String.raw`(US\$|JP¥|[$€£¥円]|EUR|USD|JPY|GBP)`;
const NUMBER = String.raw`[+-]?\(?\d[\d.,'\s]*\)?`;
const AMOUNT_TEXT = new RegExp(
  String.raw`^(?:[+-]?\s*${SYMBOL}\s*${NUMBER}|${NUMBER}\s*${SYMBOL})$`,
  'i',
);

export function codeOfCell(text: string): CurrencyCode | null {
  const m = AMOUNT_TEXT.exec(text.normalize('NFKC').trim());
  const token = m?.[1] ?? m?.[2];
  return token ? codeOfToken(token) : null;
}

/**
 * The currency a number format shows, as Range.getNumberFormats() returns it. The pattern
 * language (https://developers.google.com/sheets/api/guides/formats, "Number format tokens"):
 * `"text"` is literal text, `\` makes the next character literal, and a character that is not a
 * token (`$`, `€`, `£`, `¥`) is shown as it is; Sheets' Format → Number → Custom currency menu
 * writes a locale-tagged currency `[$€-407]#,##0.00` / `[$¥-411]#,##0` (its `[$symbol-LCID]`
 * form, local/format.ts renders it). Only the first section (positive numbers) is read, and only a
 * section with a digit placeholder (a date format names no money). In `[$sym-LCID]`, ¥ with a
 * Chinese LCID (804 …) is the yuan and $ with an LCID other than en-US's 409 another dollar: no
 * currency of ours.
 */
export function codeOfFormat(format: string): CurrencyCode | null {
  let literal = '';
  let digits = false;
  const depth = 0; // not in quotes
  const section = String(format ?? '');
  for (let i = 0; i < section.length; i++) {
    const ch = section[i];
    if (ch === ';' && depth === 0) break;
    if (ch === '"') {
      const close = section.indexOf('"', i + 1);
      const end = close < 0 ? section.length : close;
      literal += ` ${section.slice(i + 1, end)} `;
      i = end;
    } else if (ch === '\\') {
      literal += section[i + 1] ?? '';
      i++;
    } else if (ch === '[') {
      const close = section.indexOf(']', i + 1);
      const end = close < 0 ? section.length : close;
      const inner = section.slice(i + 1, end);
      if (inner.startsWith('$')) {
        const [symbol, lcid] = inner.slice(1).split('-');
        const tag = (lcid ?? '').toLowerCase();
        const normal = symbol.normalize('NFKC');
        if (normal === '¥' && tag !== '' && tag !== '411') literal += ' CNY ';
        else if (normal === '$' && tag !== '' && tag !== '409') literal += ' XXD ';
        else literal += ` ${symbol} `;
      }
      i = end;
    } else if (ch === '0' || ch === '#') digits = true;
    else if (ch === '_' || ch === '*')
      i++; // a space as wide as, or a fill of, the next character
    else if (!/[A-Za-z?.,%+\-()\s/:@]/.test(ch)) literal += ch;
  }
  if (!digits) return null;
  // A tag that named another currency ([$¥-804], [$$-1009]) stands alone: nothing of ours.
  if (/\b(?:CNY|XXD)\b/.test(literal)) return null;
  return codeInText(literal);
}

/**
 * The currency of an amount column: its header when it names one (the export's own word for the
 * whole column), else the majority of its cells — text cells by their symbol or code, number
 * cells by their number format; a tie or no evidence at all is null (the locale decides).
 * `formats[i]` is the number format of `values[i]`.
 */
export function detectCurrency(
  header: string,
  values: readonly unknown[],
  formats?: readonly string[],
): CurrencyEvidence | null {
  const fromHeader = codeInText(String(header ?? ''));
  if (fromHeader) return { code: fromHeader, from: 'header', example: String(header) };
  const votes = new Map<CurrencyCode, { cells: string[]; format: string[] }>();
  const vote = (code: CurrencyCode | null, from: 'cells' | 'format', example: string) => {
    if (!code) return;
    const v = votes.get(code) ?? { cells: [], format: [] };
    v[from].push(example);
    votes.set(code, v);
  };
  values.forEach((v, i) => {
    if (typeof v === 'string') vote(v.length <= 40 ? codeOfCell(v) : null, 'cells', v.trim());
    else if (typeof v === 'number' && formats?.[i]) {
      vote(codeOfFormat(formats[i]), 'format', formats[i]);
    }
  });
  const ranked = [...votes.entries()]
    .map(([code, v]) => ({ code, n: v.cells.length + v.format.length, ...v }))
    .sort((a, b) => b.n - a.n);
  const best = ranked[0];
  if (!best || (ranked[1] && ranked[1].n === best.n)) return null;
  // Named after the kind of cell that said it most (text cells on a tie), with its first example.
  const from = best.cells.length >= best.format.length ? 'cells' : 'format';
  const example = best[from][0];
  return { code: best.code, from, example };
}
