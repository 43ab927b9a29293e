/**
 * The KPI tree's nodes as the plan step and the SMART check see them: their id, owning division,
 * unit, whether they are on the revenue path (revenue = leads × target share × MQL rate × deal
 * rate × win rate × average deal size), and the goal a manager writes for each (KGI → CSF → KPI).
 * Pure data, shared by the sidebar and the sheets (no Apps Script, no report code).
 */

export type KpiId =
  | 'revenue'
  | 'won'
  | 'avgDeal'
  | 'deals'
  | 'winRate'
  | 'mql'
  | 'dealRate'
  | 'targetLeads'
  | 'mqlRate'
  | 'leads'
  | 'targetShare'
  | 'companies'
  | 'closedWinRate'
  | 'cac'
  | 'leadToDeal'
  | 'dealToWon';

/** What a target of the KPI is: money or a count per period, a rate (a fraction), or days. */
export type KpiUnit = 'money' | 'count' | 'rate' | 'days';

export interface KpiNode {
  id: KpiId;
  division: 'Marketing' | 'IS' | 'FS' | 'KGI';
  unit: KpiUnit;
  /** On the revenue path of the tree (a factor or a product of factors of revenue). */
  onPath: boolean;
  /** Lower is better (costs and days): the "best" period is the lowest. */
  lowerIsBetter?: boolean;
}

/** Every node of the tree, revenue first, in the order the plan step and the SMART table list them. */
export const KPI_NODES: readonly KpiNode[] = [
  { id: 'revenue', division: 'KGI', unit: 'money', onPath: true },
  { id: 'won', division: 'FS', unit: 'count', onPath: true },
  { id: 'avgDeal', division: 'FS', unit: 'money', onPath: true },
  { id: 'winRate', division: 'FS', unit: 'rate', onPath: true },
  { id: 'deals', division: 'IS', unit: 'count', onPath: true },
  { id: 'dealRate', division: 'IS', unit: 'rate', onPath: true },
  { id: 'mql', division: 'Marketing', unit: 'count', onPath: true },
  { id: 'mqlRate', division: 'Marketing', unit: 'rate', onPath: true },
  { id: 'targetLeads', division: 'Marketing', unit: 'count', onPath: true },
  { id: 'targetShare', division: 'Marketing', unit: 'rate', onPath: true },
  { id: 'leads', division: 'Marketing', unit: 'count', onPath: true },
  { id: 'companies', division: 'Marketing', unit: 'count', onPath: false },
  { id: 'closedWinRate', division: 'FS', unit: 'rate', onPath: false },
  { id: 'cac', division: 'KGI', unit: 'money', onPath: false, lowerIsBetter: true },
  { id: 'leadToDeal', division: 'IS', unit: 'days', onPath: false, lowerIsBetter: true },
  { id: 'dealToWon', division: 'FS', unit: 'days', onPath: false, lowerIsBetter: true },
];

/** The goal behind one KPI, as written in the plan step. */
export interface KpiGoal {
  /** The critical success factor: what has to go right for the KPI (one line of free text). */
  csf?: string;
  /** Who owns it: a person or a division. Absent = the node's division; '' = nobody named. */
  owner?: string;
  /**
   * The target: per period for money and counts, a fraction for rates (0.25 = 25 %), days for
   * days. Absent or '' = the tree's plan for the node (where the tree has one).
   */
  target?: number | '';
  /** Deadline, ISO date (yyyy-mm-dd); absent or '' = none. */
  deadline?: string;
}

/** Default margin over the best period before a target counts as not achievable (10 %). */
export const DEFAULT_STRETCH = 0.1;

/** Limits the settings check applies to a goal's free text. */
export const GOAL_LIMITS = { csf: 200, owner: 100 } as const;

const LABELS: Record<'ja' | 'en', Record<KpiId, string>> = {
  ja: {
    revenue: '売上（KGI）',
    won: '受注数',
    avgDeal: '平均受注単価',
    deals: '商談数',
    winRate: '受注率',
    mql: 'MQL',
    dealRate: '商談化率（MQL→商談）',
    targetLeads: 'ターゲットリード',
    mqlRate: 'MQL率（ターゲット→MQL）',
    leads: 'リード',
    targetShare: 'ターゲット率（リード→ターゲット）',
    companies: 'ユニーク社数',
    closedWinRate: '受注率（決着分: 受注÷(受注+失注)）',
    cac: '顧客獲得コスト（CAC）',
    leadToDeal: 'リード→商談の日数（平均）',
    dealToWon: '商談→受注の日数（平均）',
  },
  en: {
    revenue: 'Revenue (KGI)',
    won: 'Won deals',
    avgDeal: 'Average deal size',
    deals: 'Deals',
    winRate: 'Win rate',
    mql: 'MQL',
    dealRate: 'Deal rate (MQL → deal)',
    targetLeads: 'Target leads',
    mqlRate: 'MQL rate (target → MQL)',
    leads: 'Leads',
    targetShare: 'Target share (lead → target)',
    companies: 'Unique companies',
    closedWinRate: 'Win rate of closed deals: won ÷ (won + lost)',
    cac: 'Customer acquisition cost (CAC)',
    leadToDeal: 'Lead → deal, mean days',
    dealToWon: 'Deal → won, mean days',
  },
};

/** The divisions' names as the tree shows them. */
export const DIVISION_LABELS = {
  ja: { Marketing: 'マーケ', IS: 'IS', FS: 'FS', KGI: '全社' },
  en: { Marketing: 'Marketing', IS: 'IS', FS: 'FS', KGI: 'Company' },
} as const;

/** A node's label in a language: the same text the KPI tree shows on its box. */
export const kpiLabel = (lang: 'ja' | 'en', id: KpiId): string => LABELS[lang][id];

const SHORT_LABELS: Record<'ja' | 'en', Partial<Record<KpiId, string>>> = {
  ja: { dealRate: '商談化率', mqlRate: 'MQL率', targetShare: 'ターゲット率' },
  en: { dealRate: 'Deal rate', mqlRate: 'MQL rate', targetShare: 'Target share' },
};

/** A node's name without its definition in brackets, for table headers: "Target share", "MQL率". */
export const kpiShortLabel = (lang: 'ja' | 'en', id: KpiId): string =>
  SHORT_LABELS[lang][id] ?? LABELS[lang][id];

/** Is `id` a node of the tree? */
export const isKpiId = (id: string): id is KpiId => KPI_NODES.some((n) => n.id === id);
