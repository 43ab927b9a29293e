/**
 * THE header vocabulary: every header word the detection knows, as normalised headers (NFKC,
 * lower case, no spaces or punctuation — `normaliseHeader`). Data only, nothing else lives here:
 * a header the vocabulary names raises the confidence of a column's role, but the roles are read
 * from the columns' values too (roles.ts), and the tests build the bundle with the entries that
 * match a CRM's headers removed from this file (tests/addon/unseen-exports.test.ts) to prove it.
 */
/** The fields a lead or deals tab's columns can be. */
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
  | 'temperature'
  /** What a row is (a record-type column: lead / opportunity), where rows are of two kinds. */
  | 'kind'
  /** An active / archived flag (an archived opportunity that is not won is a lost one). */
  | 'active';

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
    '実際の完了日',
    'actualclosedate',
    'closeddate',
    'closedon',
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
  kind: ['type', 'recordtype', 'leadtype', '種別', 'レコードタイプ', '区分'],
  active: ['active', 'isactive', '有効'],
};

/** Normalised headers that only a deal (opportunity) export has. */
export const DEAL_HEADERS: readonly string[] = [
  'opportunityid',
  'dealid',
  '商談id',
  '案件id',
  'opportunityname',
  'dealname',
  'dealtitle',
  '商談名',
  '案件名',
];

/**
 * Word fragments a header may contain (normalised), per role: not names to match whole but hints
 * the value detection weighs (roles.ts) — "Date de clôture prévue" holds "cloture", "Erstellt am"
 * holds "erstellt". A hint never maps a column on its own; the values must agree.
 */
export const HEADER_HINTS = {
  created: [
    'created',
    'creation',
    'createdate',
    'erstellt',
    'anlage',
    'creado',
    'creacion',
    'criado',
    'criacao',
    'cree',
    'added',
    'entered',
    '作成',
    '登録',
    '獲得',
    '追加',
  ],
  /** Dates that are not a creation: closing, expected, updated. */
  notCreated: [
    'close',
    'closing',
    'cloture',
    'abschluss',
    'cierre',
    'fechamento',
    'fecho',
    'expected',
    'prevue',
    'prevu',
    'erwartet',
    'previst',
    'updated',
    'modified',
    'geandert',
    'modifie',
    'modificad',
    'atualizad',
    'lastactivity',
    'won',
    'gagne',
    'gewonnen',
    'ganado',
    'ganho',
    'lost',
    'perdu',
    'verloren',
    'perdido',
    '完了',
    '予定',
    '更新',
    '受注',
    '失注',
  ],
  close: [
    'close',
    'closing',
    'closed',
    'cloture',
    'abschluss',
    'cierre',
    'fechamento',
    '完了',
    'クローズ',
  ],
  won: ['won', 'gagne', 'gewonnen', 'ganado', 'ganho', '受注', '成約'],
  lost: ['lost', 'perdu', 'verloren', 'perdido', '失注'],
  mql: ['mql', 'marketingqualified'],
  deal: [
    'opportunity',
    'converted',
    'conversion',
    'sql',
    'salesqualified',
    '商談化',
    'convertido',
    'konvertiert',
    'converti',
  ],
  amount: [
    'amount',
    'value',
    'valeur',
    'chiffre',
    'revenue',
    'montant',
    'betrag',
    'wert',
    'umsatz',
    'importe',
    'valor',
    'receita',
    'ingreso',
    '金額',
    '売上',
  ],
} as const satisfies Record<string, readonly string[]>;
