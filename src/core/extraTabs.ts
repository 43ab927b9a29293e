/**
 * The optional tabs beyond the lead and deals tabs — customers, a BDR target-account list, an
 * activity log, the costs per period — and how their columns are found from their headers
 * (Japanese or English, normalised as the lead tab's: NFKC, lower case, no spaces/punctuation).
 */
import { FIELD_SYNONYMS, normaliseHeader } from './headers';

export type ExtraKind = 'customers' | 'targetList' | 'activityLog' | 'costTab';

/** The columns each kind of tab has; the first of each list is required. */
export const EXTRA_COLUMNS = {
  customers: ['start', 'end', 'company', 'amount'],
  targetList: ['company'],
  activityLog: ['company', 'owner', 'count'],
  costTab: ['period', 'marketing', 'is', 'fs'],
} as const satisfies Record<ExtraKind, readonly string[]>;

export type ExtraColumn = (typeof EXTRA_COLUMNS)[ExtraKind][number];

/** An optional tab: where it is, its header row, and its columns (0-based) by role. */
export interface ExtraTab {
  sheet: string;
  headerRow: number;
  columns: Partial<Record<ExtraColumn, number>>;
}

const COMPANY = [
  ...FIELD_SYNONYMS.company,
  'customername',
  'domain',
  'ドメイン',
  ...FIELD_SYNONYMS.email,
  'customeremail',
];

/** Header synonyms per column role (normalised), in order of preference. */
export const EXTRA_SYNONYMS: Record<ExtraColumn, readonly string[]> = {
  company: COMPANY,
  start: [
    '契約開始日',
    '開始日',
    '利用開始日',
    '顧客化日',
    '受注日',
    '契約日',
    'startdate',
    'start',
    'contractstart',
    'contractstartdate',
    'customersince',
    'subscriptionstart',
    // Stripe's subscriptions export: "Start (UTC)", "Ended At (UTC)"
    'startutc',
    'startdateutc',
    'becameacustomerdate',
    'wondate',
    'closedate',
  ],
  end: [
    '解約日',
    '契約終了日',
    '終了日',
    '利用終了日',
    'enddate',
    'end',
    'churndate',
    'churnedat',
    'cancellationdate',
    'canceledat',
    'cancelledat',
    'contractend',
    'contractenddate',
    'subscriptionend',
    'endedatutc',
    'canceledatutc',
    'cancelledatutc',
    'endedat',
  ],
  // Revenue per customer per month (the retention sheet's LTV): a monthly fee or MRR first, then
  // a contract amount, read as per month (the sheet says so).
  amount: [
    '月額',
    '月額料金',
    '月額費用',
    '月額利用料',
    '月額売上',
    'mrr',
    'monthlyfee',
    'monthlyamount',
    'monthlyrevenue',
    'monthlyprice',
    '契約金額',
    '金額',
    'amount',
  ],
  owner: FIELD_SYNONYMS.owner,
  count: ['回数', '活動回数', '件数', 'タッチ数', 'count', 'activities', 'touches', 'calls'],
  period: ['月', '年月', '期間', '対象月', 'month', 'period', 'date', '日付'],
  marketing: [
    'マーケティング費用',
    'マーケ費用',
    'マーケティング',
    '広告宣伝費',
    '広告費',
    '販促費',
    'marketing',
    'marketingspend',
    'marketingcost',
    'adspend',
  ],
  is: ['is人件費', 'is費用', 'isコスト', 'is', 'insidesales', 'insidesalescost', 'iscost', 'sdr'],
  fs: [
    'fs人件費',
    'fs費用',
    'fsコスト',
    'fs',
    'fieldsales',
    'fieldsalescost',
    'fscost',
    '営業人件費',
  ],
};

/** The columns of a tab of a kind, from its header row: the first header naming each role. */
export function detectExtra(
  kind: ExtraKind,
  header: readonly unknown[],
): Partial<Record<ExtraColumn, number>> {
  const norm = header.map(normaliseHeader);
  const taken = new Set<number>();
  const out: Partial<Record<ExtraColumn, number>> = {};
  for (const role of EXTRA_COLUMNS[kind]) {
    for (const syn of EXTRA_SYNONYMS[role]) {
      const i = norm.findIndex((h, j) => h === syn && !taken.has(j));
      if (i >= 0) {
        out[role] = i;
        taken.add(i);
        break;
      }
    }
  }
  // A one-column list with any header (or none) is the list itself.
  if (kind === 'targetList' && out.company === undefined && header.length >= 1) out.company = 0;
  return out;
}

/** The header row (1-based) among the first rows: the one naming the most columns of the kind. */
export function extraHeaderRow(kind: ExtraKind, values: readonly (readonly unknown[])[]): number {
  let best = 1;
  let bestScore = 0;
  for (let r = 0; r < Math.min(5, values.length); r++) {
    const found = detectExtra(kind, values[r]);
    const score = Object.keys(found).length;
    if (score > bestScore) {
      best = r + 1;
      bestScore = score;
    }
  }
  return best;
}
