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
  | 'closeDate'
  | 'lostDate'
  | 'amount'
  | 'activities'
  | 'target'
  | 'temperature';

/**
 * Headers (normalised) of a column that identifies a lead in any tab: in a deals tab such a
 * column joins each deal to its lead (Lead ID, リードID, MQL ID, contact ID).
 */
export const LEAD_ID_HEADERS: readonly string[] = [
  'リードid',
  'leadid',
  'mqlid',
  'contactid',
  'リード番号',
];

/**
 * Generic record-ID headers (normalised): HubSpot's "Record ID", kintone's レコード番号. Each tab
 * numbers its own records with them, so the same name in a lead tab and a deals tab is no join.
 */
export const GENERIC_ID_HEADERS: readonly string[] = [
  'id',
  'recordid',
  'レコード番号',
  'レコードid',
  'no',
  '番号',
];

/**
 * Header synonyms per field, normalised (NFKC, lower case, no spaces or punctuation), in order
 * of preference: where two columns could be the field, the one named by the earlier synonym wins
 * (HubSpot's "Became an Opportunity Date" before its "Became a Sales Qualified Lead Date").
 * They cover our template and the documented export columns of Salesforce (EN/JA labels),
 * HubSpot, Pipedrive (after its "Deal - " prefix), Zoho, kintone and Japanese SFA tools.
 */
export const FIELD_SYNONYMS: Record<LeadField, readonly string[]> = {
  id: [
    ...LEAD_ID_HEADERS,
    'id',
    'recordid',
    'レコードid',
    'レコード番号',
    'opportunityid',
    'dealid',
    '商談id',
    '案件id',
  ],
  created: [
    '作成日',
    'リード獲得日',
    '獲得日',
    '登録日',
    '流入日',
    '問い合わせ日',
    'お問い合わせ日',
    '反響日',
    '初回接触日',
    '作成日時',
    '登録日時',
    'created',
    'createddate',
    'createdat',
    'createdon',
    'createdtime',
    'createdate',
    'leaddate',
    'leadcreateddate',
    'firstcontactdate',
    'firstcontact',
    'dealcreated',
    'opportunitycreateddate',
    '日付',
    '活動日',
    'date',
  ],
  company: [
    '会社名',
    '企業名',
    '社名',
    '取引先名',
    '取引先',
    '顧客名',
    '法人名',
    '相手先',
    'company',
    'companyname',
    'account',
    'accountname',
    'organization',
    'organisation',
    'organizationname',
    'associatedcompany',
  ],
  name: ['氏名', '名前', 'name', 'fullname', 'contactname', 'contactperson'],
  email: ['メールアドレス', 'メール', 'email', 'emailaddress', 'mail', 'eメール'],
  source: [
    '流入経路',
    'リードソース',
    '流入元',
    '獲得経路',
    'source',
    'leadsource',
    'originalsource',
    'origin',
    'channel',
  ],
  owner: [
    '担当者',
    '担当',
    '営業担当',
    '営業担当者',
    'オーナー',
    '所有者',
    'リード所有者',
    '商談所有者',
    '商談所有者名',
    'owner',
    'leadowner',
    'opportunityowner',
    'dealowner',
    'contactowner',
    'salesagent',
    'salesrep',
    'rep',
    'assignee',
    'assignedto',
  ],
  status: [
    'ステータス',
    'ステージ',
    'フェーズ',
    '商談ステージ',
    '商談フェーズ',
    'リード状況',
    '状態',
    '進捗',
    'lifecyclestage',
    'dealstage',
    'stage',
    'stagename',
    'opportunitystage',
    'status',
    'leadstatus',
    'phase',
  ],
  rank: ['見込みランク', 'ランク', '見込み度', 'rank', 'prospectrank', 'rating'],
  rankDate: ['ランク判定日', '判定日', 'rankdate', 'rankeddate'],
  mqlDate: [
    'mql日',
    'mql化日',
    'mqldate',
    'becameamarketingqualifiedleaddate',
    'mqlconverteddate',
    'marketingqualifieddate',
  ],
  dealDate: [
    '商談化日',
    '商談日',
    '商談作成日',
    '取引開始日',
    'dealdate',
    'opportunitydate',
    'becameanopportunitydate',
    'sqldate',
    'becameasalesqualifiedleaddate',
    'converteddate',
  ],
  wonDate: [
    '受注日',
    '成約日',
    '契約日',
    'wondate',
    'wontime',
    'closedwondate',
    'dateclosedwon',
    'becameacustomerdate',
  ],
  closeDate: [
    '完了日',
    '完了予定日',
    'クローズ日',
    '受注予定日',
    'closedate',
    'closingdate',
    'closedat',
    'dateclosed',
    'expectedclosedate',
  ],
  lostDate: ['失注日', 'lostdate', 'losttime', 'closedlostdate', 'dateclosedlost'],
  amount: [
    '受注金額',
    '金額',
    '受注額',
    '契約金額',
    '売上',
    'amount',
    'dealamount',
    'opportunityamount',
    'value',
    'dealvalue',
    'closevalue',
    'revenue',
    'expectedrevenue',
  ],
  activities: ['活動回数', '活動数', 'activities', 'activitycount', 'touches', '回数'],
  target: ['ターゲット', 'ターゲット企業', 'target', 'istarget', 'targetaccount'],
  temperature: [
    '温度感',
    '温度',
    '熱量',
    'temperature',
    'leadtemperature',
    'buyingtemperature',
    'dealtemperature',
    'heat',
  ],
};

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
