/**
 * Company keys: one key per real company, whatever way a lead tab spells it.
 *
 * 株式会社アルファ = アルファ株式会社 = (株)アルファ = ㈱アルファ = ｱﾙﾌｧ株式会社 → "アルファ"
 * Acme Inc. = ACME, Inc = acme → "acme"
 * taro@alpha.co.jp → "alpha.co.jp"; taro@gmail.com (free mail: a person) → "taro@gmail.com"
 */

/** Free-mail and carrier domains: an address there identifies a person, not a company. */
export const FREE_MAIL_DOMAINS: ReadonlySet<string> = new Set([
  'gmail.com',
  'googlemail.com',
  'yahoo.co.jp',
  'yahoo.com',
  'ymail.com',
  'outlook.com',
  'outlook.jp',
  'hotmail.com',
  'hotmail.co.jp',
  'live.jp',
  'live.com',
  'msn.com',
  'icloud.com',
  'me.com',
  'mac.com',
  'aol.com',
  'protonmail.com',
  'proton.me',
  'gmx.com',
  'mail.com',
  'zoho.com',
  'docomo.ne.jp',
  'ezweb.ne.jp',
  'au.com',
  'softbank.ne.jp',
  'i.softbank.jp',
  'ymobile.ne.jp',
  'rakuten.jp',
  'nifty.com',
  'biglobe.ne.jp',
  'ocn.ne.jp',
  'so-net.ne.jp',
  'excite.co.jp',
  'qq.com',
  '163.com',
  'naver.com',
]);

/** Japanese legal forms, removed wherever they stand (prefix or suffix). NFKC turns ㈱ into (株). */
export const JA_FORMS =
  /株式会社|有限会社|合同会社|合資会社|合名会社|一般社団法人|一般財団法人|公益社団法人|公益財団法人|特定非営利活動法人|npo法人|\((?:株|有|同|資|名|社|財)\)/g;

/** English legal-form words (after dots are dropped: k.k. → kk, l.l.c. → llc). */
export const EN_FORMS: ReadonlySet<string> = new Set([
  'inc',
  'incorporated',
  'co',
  'corp',
  'corporation',
  'company',
  'ltd',
  'limited',
  'llc',
  'llp',
  'lp',
  'kk',
  'gk',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'bv',
  'nv',
  'pte',
  'pty',
  'the',
]);

const SPACE_PUNCT = /[\s\p{P}\p{S}]+/gu;
const ASCII_SEPARATORS = /[^a-z0-9]+/;

/** The company key of a name or e-mail address; '' for a blank cell. */
export function companyKey(raw: unknown): string {
  if (raw === '' || raw === null || raw === undefined) return '';
  let s = String(raw);
  // ASCII is already NFKC, and its punctuation is plain: skip the costly Unicode steps.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: an ASCII range test
  const ascii = !/[^\u0000-\u007f]/.test(s);
  s = (ascii ? s : s.normalize('NFKC')).trim().toLowerCase();
  if (s === '') return '';
  const at = s.lastIndexOf('@');
  if (at >= 0) {
    const domain = s
      .slice(at + 1)
      .replace(/^[\s<]+|[\s>.]+$/g, '')
      .trim();
    if (domain === '' || FREE_MAIL_DOMAINS.has(domain)) return s.replace(/\s+/g, '');
    return domain;
  }
  if (!ascii) s = s.replace(JA_FORMS, ' ');
  // English forms: drop dots inside abbreviations, then drop whole words that are legal forms.
  const words = s
    .replace(/\./g, '')
    .split(ascii ? ASCII_SEPARATORS : SPACE_PUNCT)
    .filter((w) => w !== '');
  const kept = words.filter((w) => !EN_FORMS.has(w));
  const key = (kept.length > 0 ? kept : words).join('');
  return key !== '' ? key : s.replace(SPACE_PUNCT, '') || s;
}

/**
 * Numbers companies: `id(raw)` is the same small integer for every spelling of one company, -1
 * for a blank cell. Lead tabs repeat spellings many times and a key costs a Unicode
 * normalisation and several regular expressions, so each distinct spelling is keyed once; the hot
 * path is one Map lookup per row.
 */
export class CompanyIndex {
  private readonly bySpelling = new Map<string, number>();
  private readonly byKey = new Map<string, number>();
  readonly keys: string[] = [];

  id(raw: unknown): number {
    if (typeof raw === 'string') {
      const known = this.bySpelling.get(raw);
      if (known !== undefined) return known;
      const id = this.idOfKey(companyKey(raw));
      this.bySpelling.set(raw, id);
      return id;
    }
    return this.idOfKey(companyKey(raw));
  }

  get size(): number {
    return this.keys.length;
  }

  private idOfKey(key: string): number {
    if (key === '') return -1;
    let id = this.byKey.get(key);
    if (id === undefined) {
      id = this.keys.length;
      this.byKey.set(key, id);
      this.keys.push(key);
    }
    return id;
  }
}
