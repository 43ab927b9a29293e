/**
 * Lead-tab column detection from Japanese and English header synonyms (DOMAIN.md). A header
 * matches a field when, normalised (NFKC, lower case, no spaces or punctuation), it equals one of
 * the field's synonyms; the first column that matches wins.
 */

/** The standard lead-tab headers (the template tab, the sample workbook). */
export const TEMPLATE_HEADERS: Record<'ja' | 'en', string[]> = {
  ja: [
    'リードID',
    '作成日',
    '会社名',
    '氏名',
    'メールアドレス',
    '流入経路',
    '担当者',
    'ステータス',
    '見込みランク',
    'ランク判定日',
    'MQL日',
    '商談化日',
    '受注日',
    '受注金額',
    '活動回数',
    'ターゲット',
    '温度感',
  ],
  en: [
    'Lead ID',
    'Created',
    'Company',
    'Name',
    'Email',
    'Source',
    'Owner',
    'Status',
    'Rank',
    'Rank date',
    'MQL date',
    'Deal date',
    'Won date',
    'Amount',
    'Activities',
    'Target',
    'Temperature',
  ],
};

/** The template tab's status and rank choices (its data validation lists). */
export const TEMPLATE_STATUSES: Record<'ja' | 'en', string[]> = {
  ja: ['新規', 'MQL', '商談化', '受注', '失注', 'ナーチャリング'],
  en: ['New', 'MQL', 'Deal', 'Won', 'Lost', 'Nurture'],
};
export const TEMPLATE_RANKS: readonly string[] = ['A', 'B', 'C', 'D'];

import { FIELD_SYNONYMS, type LeadField } from './vocabulary';

export {
  FIELD_SYNONYMS,
  GENERIC_ID_HEADERS,
  LEAD_ID_HEADERS,
  type LeadField,
} from './vocabulary';

/** Pipedrive and similar tools prefix every column with its object: "Deal - Value". */
const OBJECT_PREFIX =
  /^\s*(?:deal|lead|person|organi[sz]ation|contact|opportunity|account|company|activity)\s+-\s+/i;

export const normaliseHeader = (h: unknown): string =>
  String(h ?? '')
    .replace(OBJECT_PREFIX, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');

/**
 * An amount's header without its currency (normalised: "Amount (EUR)" → amounteur → amount,
 * "金額（円）" → 金額, "Value USD", "USD Amount", "Revenue in EUR"): the currency is the
 * column's unit (core/currency.ts reads it), not its name.
 */
const withoutCurrency = (h: string): string =>
  h.replace(
    /^(?:usd|eur|jpy|gbp|円|米ドル|ドル|ユーロ|ポンド)(?=.)|(?<=.)(?:in)?(?:usd|eur|jpy|gbp|円|米ドル|ドル|ユーロ|ポンド)$/g,
    '',
  );

/**
 * Column index (0-based) of each field found in a header row: per field, the column named by its
 * most preferred synonym; a column serves one field at most (fields claim in FIELD_SYNONYMS order).
 */
export function detectColumns(header: readonly unknown[]): Partial<Record<LeadField, number>> {
  const found: Partial<Record<LeadField, number>> = {};
  const taken = new Set<number>();
  const norm = header.map(normaliseHeader);
  const amounts = norm.map(withoutCurrency);
  for (const field of Object.keys(FIELD_SYNONYMS) as LeadField[]) {
    const names = field === 'amount' ? amounts : norm;
    for (const syn of FIELD_SYNONYMS[field]) {
      const i = names.findIndex((h, idx) => h === syn && !taken.has(idx));
      if (i >= 0) {
        found[field] = i;
        taken.add(i);
        break;
      }
    }
  }
  return found;
}
