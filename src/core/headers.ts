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
  ],
};

export type LeadField =
  | 'id'
  | 'created'
  | 'company'
  | 'name'
  | 'email'
  | 'source'
  | 'owner'
  | 'status'
  | 'rank'
  | 'rankDate'
  | 'mqlDate'
  | 'dealDate'
  | 'wonDate'
  | 'amount'
  | 'activities'
  | 'target';

export const FIELD_SYNONYMS: Record<LeadField, readonly string[]> = {
  id: ['リードid', 'id', 'leadid', 'リード番号'],
  created: [
    '作成日',
    'リード獲得日',
    '日付',
    '活動日',
    '獲得日',
    '登録日',
    '流入日',
    'created',
    'createddate',
    'createdat',
    'leaddate',
    'date',
  ],
  company: [
    '会社名',
    '企業名',
    '社名',
    '相手先',
    'company',
    'companyname',
    'account',
    'accountname',
    'organization',
  ],
  name: ['氏名', '名前', '担当者名', 'name', 'fullname', 'contactname'],
  email: ['メールアドレス', 'メール', 'email', 'emailaddress', 'mail'],
  source: ['流入経路', 'リードソース', '流入元', 'source', 'leadsource', 'channel'],
  owner: ['担当者', '担当', 'オーナー', '営業担当', 'owner', 'rep', 'salesrep', 'assignee'],
  status: ['ステータス', '状態', 'status', 'stage', 'leadstatus'],
  rank: ['見込みランク', 'ランク', '見込み度', 'rank', 'prospectrank', 'rating'],
  rankDate: ['ランク判定日', '判定日', 'rankdate', 'rankeddate'],
  mqlDate: ['mql日', 'mql化日', 'mqldate'],
  dealDate: [
    '商談化日',
    '商談日',
    '商談作成日',
    'dealdate',
    'opportunitydate',
    'sqldate',
    'dealcreated',
  ],
  wonDate: ['受注日', '成約日', 'wondate', 'closedate', 'closedwondate'],
  amount: ['受注金額', '金額', '売上', 'amount', 'dealamount', 'revenue'],
  activities: ['活動回数', '活動数', 'activities', 'activitycount', 'touches', '回数'],
  target: ['ターゲット', 'ターゲット企業', 'target', 'istarget', 'targetaccount'],
};

export const normaliseHeader = (h: unknown): string =>
  String(h ?? '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');

/** Column index (0-based) of each field found in a header row. */
export function detectColumns(header: readonly unknown[]): Partial<Record<LeadField, number>> {
  const found: Partial<Record<LeadField, number>> = {};
  const norm = header.map(normaliseHeader);
  for (const field of Object.keys(FIELD_SYNONYMS) as LeadField[]) {
    const syn = FIELD_SYNONYMS[field];
    const i = norm.findIndex(
      (h, idx) => h !== '' && syn.includes(h) && !Object.values(found).includes(idx),
    );
    if (i >= 0) found[field] = i;
  }
  return found;
}
