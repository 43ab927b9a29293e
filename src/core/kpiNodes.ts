/**
 * The KPI tree as one table: every node once — its id, owning division, unit, labels (JA/EN),
 * what its actual reads, its plan, what it is a factor of, its place on the tree, its history
 * measure in the SMART check, and when the data measures it.
 *
 * Everything else derives from this table: the tree sheet's boxes (sheets/kpiTree.ts), the
 * revenue-gap split's factors, starts and row order (sheets/revenueGap.ts), the SMART table's
 * history (sheets/smart.ts), the snapshot's node cells and number formats (addon/api.ts), the
 * sidebar's goal list (sidebar/goals.ts). tests/core/kpi-nodes.test.ts checks it is complete.
 *
 * The revenue path: revenue = won × average deal size; won = deals × win rate; deals = MQL × deal
 * rate; MQL = target leads × MQL rate; target leads = leads × target share.
 */
import type { Lang } from './errors';
import type { FUNNEL_COL, Measured } from './funnel';

/** A column of the KPI_FUNNEL table (its Total row is the window's actual). */
export type Measure = keyof typeof FUNNEL_COL;
/** The plan inputs of the tree (B8:B13), by the factor they plan (B13, SAL: only with SAL). */
export type PlanKey = 'share' | 'mql' | 'deal' | 'win' | 'avg' | 'sal';
export type Division = 'Marketing' | 'IS' | 'FS' | 'KGI';
/**
 * What a target of the KPI is: money or a count per period, a rate (a fraction), days, or a
 * multiple (LTV ÷ CAC: 3 = three times).
 */
export type KpiUnit = 'money' | 'count' | 'rate' | 'days' | 'multiple';

/** What the data supports, for deciding which nodes it measures. */
export interface Measurability {
  m: Measured;
  /** A target column is mapped (without one, every lead is a target: the share is 100 %). */
  targets: boolean;
  /** Costs are given (a costs tab or typed costs). */
  costs: boolean;
  /** The cycle-time sheet has the dates for each span. */
  cycles: { leadToDeal: boolean; dealToWon: boolean };
  /**
   * A customers tab with start and end (churn) dates (the retention sheet), and whether it has an
   * amount column (revenue per customer per month).
   */
  customers: { churn: boolean; amount: boolean };
}

interface NodeDef<Id extends string> {
  id: Id;
  division: Division;
  unit: KpiUnit;
  labels: Record<Lang, string>;
  /** The name without its definition in brackets, for table headers. */
  short?: Record<Lang, string>;
  /** On the revenue path (a factor or a product of factors of revenue). */
  onPath: boolean;
  /** Lower is better (costs and days): the "best" period is the lowest. */
  lowerIsBetter?: boolean;
  /**
   * Its box on the tree: level 0 (revenue) to 5 (leads); in the chain (D), as the factor beside
   * the chain node (G), beside both (J), or in the SAL column (L), right of every other box.
   */
  place: { level: 0 | 1 | 2 | 3 | 4 | 5; column: 'chain' | 'factor' | 'beside' | 'sal' };
  /**
   * Shown only where the data measures it (on the tree, in the gap split, in SMART and the plan
   * step); absent otherwise, so that every other cell keeps its address.
   */
  optional?: boolean;
  /**
   * What its actual reads: a column of the window's KPI_FUNNEL Total row, the ratio of two, the
   * CAC sheet, the cycle-time sheet's mean days, or the retention sheet's LTV block.
   */
  actual:
    | { total: Measure }
    | { ratio: [Measure, Measure] }
    | { cac: true }
    | { cycle: 'leadToDeal' | 'dealToWon' }
    | { retention: 'ltv' | 'ltvToCac' };
  /**
   * Its plan: the revenue target × periods; a plan input (a factor); the chain node above
   * divided by the factor beside this one; a node's plan × an input; one input ÷ another; none.
   */
  plan:
    | 'target'
    | 'chain'
    | 'none'
    | { input: PlanKey }
    | { times: [string, PlanKey] }
    | { quotient: [PlanKey, PlanKey] };
  /**
   * A factor of revenue: numerator ÷ denominator, the count it produces with the count below
   * (target leads = leads × target share), and the funnel table's own column for it, if any.
   */
  factor?: { num: Measure; den: Measure; produces: string; col?: Measure; splitInto?: string[] };
  /** A count the revenue-gap split can start from (the bottom of what the data measures). */
  start?: boolean;
  /**
   * What the SMART check compares with its last 12 periods ('share': target leads ÷ leads; a
   * ratio: one measure ÷ another).
   */
  history?: Measure | 'share' | { ratio: [Measure, Measure] };
  /** Whether the build's data measures it. */
  measured: (x: Measurability) => boolean;
}

const total = (measure: Measure) => ({ total: measure });

/** Every node, revenue first, in the order the plan step and the SMART table list them. */
export const KPI_NODES = [
  {
    id: 'revenue',
    division: 'KGI',
    unit: 'money',
    labels: { ja: '売上（KGI）', en: 'Revenue (KGI)' },
    onPath: true,
    place: { level: 0, column: 'chain' },
    actual: total('revenue'),
    plan: 'target',
    history: 'revenue',
    measured: ({ m }) => m.revenue,
  },
  {
    id: 'won',
    division: 'FS',
    unit: 'count',
    labels: { ja: '受注数', en: 'Won deals' },
    onPath: true,
    place: { level: 1, column: 'chain' },
    actual: total('won'),
    plan: 'chain',
    start: true,
    history: 'won',
    measured: ({ m }) => m.won,
  },
  {
    id: 'avgDeal',
    division: 'FS',
    unit: 'money',
    labels: { ja: '平均受注単価', en: 'Average deal size' },
    onPath: true,
    place: { level: 1, column: 'factor' },
    actual: total('avgDeal'),
    plan: { input: 'avg' },
    factor: { num: 'revenue', den: 'won', produces: 'revenue', col: 'avgDeal' },
    history: 'avgDeal',
    measured: ({ m }) => m.revenue && m.won,
  },
  {
    id: 'winRate',
    division: 'FS',
    unit: 'rate',
    labels: { ja: '受注率', en: 'Win rate' },
    onPath: true,
    place: { level: 2, column: 'factor' },
    actual: total('winRate'),
    plan: { input: 'win' },
    factor: { num: 'won', den: 'deals', produces: 'won', col: 'winRate' },
    history: 'winRate',
    measured: ({ m }) => m.won && m.deals,
  },
  {
    id: 'deals',
    division: 'IS',
    unit: 'count',
    labels: { ja: '商談数', en: 'Deals' },
    onPath: true,
    place: { level: 2, column: 'chain' },
    actual: total('deals'),
    plan: 'chain',
    start: true,
    history: 'deals',
    measured: ({ m }) => m.deals,
  },
  {
    id: 'dealRate',
    division: 'IS',
    unit: 'rate',
    labels: { ja: '商談化率（MQL→商談）', en: 'Deal rate (MQL → deal)' },
    short: { ja: '商談化率', en: 'Deal rate' },
    onPath: true,
    place: { level: 3, column: 'factor' },
    actual: total('dealRate'),
    plan: { input: 'deal' },
    // Where a status means SAL, the gap split takes MQL → SAL → deal instead (the same product).
    factor: {
      num: 'deals',
      den: 'mql',
      produces: 'deals',
      col: 'dealRate',
      splitInto: ['salRate', 'salDealRate'],
    },
    history: 'dealRate',
    measured: ({ m }) => m.mql && m.deals,
  },
  // The SAL stage (MQL → SAL accepted by IS → deal), where a status means SAL: its count, the two
  // rates it splits the deal rate into, in the SAL column (L) right of the tree.
  {
    id: 'salDealRate',
    division: 'IS',
    unit: 'rate',
    labels: { ja: 'SAL→商談化率', en: 'SAL → deal rate' },
    onPath: true,
    optional: true,
    place: { level: 2, column: 'sal' },
    actual: { ratio: ['deals', 'sal'] },
    plan: { quotient: ['deal', 'sal'] },
    factor: { num: 'deals', den: 'sal', produces: 'deals' },
    history: { ratio: ['deals', 'sal'] },
    measured: ({ m }) => m.sal && m.deals,
  },
  {
    id: 'sal',
    division: 'IS',
    unit: 'count',
    labels: { ja: 'SAL（ISが受け入れたMQL）', en: 'SAL (MQL accepted by IS)' },
    short: { ja: 'SAL', en: 'SAL' },
    onPath: true,
    optional: true,
    place: { level: 3, column: 'sal' },
    actual: total('sal'),
    plan: { times: ['mql', 'sal'] },
    history: 'sal',
    measured: ({ m }) => m.sal,
  },
  {
    id: 'salRate',
    division: 'IS',
    unit: 'rate',
    labels: { ja: 'SAL率（MQL→SAL）', en: 'SAL rate (MQL → SAL)' },
    short: { ja: 'SAL率', en: 'SAL rate' },
    onPath: true,
    optional: true,
    place: { level: 4, column: 'sal' },
    actual: { ratio: ['sal', 'mql'] },
    plan: { input: 'sal' },
    factor: { num: 'sal', den: 'mql', produces: 'sal' },
    history: { ratio: ['sal', 'mql'] },
    measured: ({ m }) => m.sal && m.mql,
  },
  {
    id: 'mql',
    division: 'Marketing',
    unit: 'count',
    labels: { ja: 'MQL', en: 'MQL' },
    onPath: true,
    place: { level: 3, column: 'chain' },
    actual: total('mql'),
    plan: 'chain',
    start: true,
    history: 'mql',
    measured: ({ m }) => m.mql,
  },
  {
    id: 'mqlRate',
    division: 'Marketing',
    unit: 'rate',
    labels: { ja: 'MQL率（ターゲット→MQL）', en: 'MQL rate (target → MQL)' },
    short: { ja: 'MQL率', en: 'MQL rate' },
    onPath: true,
    place: { level: 4, column: 'factor' },
    actual: total('mqlRate'),
    plan: { input: 'mql' },
    factor: { num: 'mql', den: 'targetLeads', produces: 'mql', col: 'mqlRate' },
    history: 'mqlRate',
    measured: ({ m }) => m.leads && m.mql,
  },
  {
    id: 'targetLeads',
    division: 'Marketing',
    unit: 'count',
    labels: { ja: 'ターゲットリード', en: 'Target leads' },
    onPath: true,
    place: { level: 4, column: 'chain' },
    actual: total('targetLeads'),
    plan: 'chain',
    history: 'targetLeads',
    measured: ({ targets }) => targets,
  },
  {
    id: 'targetShare',
    division: 'Marketing',
    unit: 'rate',
    labels: { ja: 'ターゲット率（リード→ターゲット）', en: 'Target share (lead → target)' },
    short: { ja: 'ターゲット率', en: 'Target share' },
    onPath: true,
    place: { level: 5, column: 'factor' },
    actual: { ratio: ['targetLeads', 'leads'] },
    plan: { input: 'share' },
    factor: { num: 'targetLeads', den: 'leads', produces: 'targetLeads' },
    history: 'share',
    measured: ({ targets }) => targets,
  },
  {
    id: 'leads',
    division: 'Marketing',
    unit: 'count',
    labels: { ja: 'リード', en: 'Leads' },
    onPath: true,
    place: { level: 5, column: 'chain' },
    actual: total('leads'),
    plan: 'chain',
    start: true,
    history: 'leads',
    measured: ({ m }) => m.leads,
  },
  {
    id: 'companies',
    division: 'Marketing',
    unit: 'count',
    labels: { ja: 'ユニーク社数', en: 'Unique companies' },
    onPath: false,
    place: { level: 5, column: 'beside' },
    actual: total('companies'),
    plan: 'none',
    history: 'companies',
    measured: ({ m }) => m.companies,
  },
  {
    id: 'closedWinRate',
    division: 'FS',
    unit: 'rate',
    labels: {
      ja: '受注率（決着分: 受注÷(受注+失注)）',
      en: 'Win rate of closed deals: won ÷ (won + lost)',
    },
    onPath: false,
    place: { level: 2, column: 'beside' },
    actual: total('closedWinRate'),
    plan: 'none',
    history: 'closedWinRate',
    measured: ({ m }) => m.won && m.lost,
  },
  {
    id: 'cac',
    division: 'KGI',
    unit: 'money',
    labels: { ja: '顧客獲得コスト（CAC）', en: 'Customer acquisition cost (CAC)' },
    onPath: false,
    lowerIsBetter: true,
    place: { level: 0, column: 'beside' },
    actual: { cac: true },
    plan: 'none',
    measured: ({ m, costs }) => costs && m.won,
  },
  {
    id: 'leadToDeal',
    division: 'IS',
    unit: 'days',
    labels: { ja: 'リード→商談の日数（平均）', en: 'Lead → deal, mean days' },
    onPath: false,
    lowerIsBetter: true,
    place: { level: 3, column: 'beside' },
    actual: { cycle: 'leadToDeal' },
    plan: 'none',
    measured: ({ cycles }) => cycles.leadToDeal,
  },
  {
    id: 'dealToWon',
    division: 'FS',
    unit: 'days',
    labels: { ja: '商談→受注の日数（平均）', en: 'Deal → won, mean days' },
    onPath: false,
    lowerIsBetter: true,
    place: { level: 1, column: 'beside' },
    actual: { cycle: 'dealToWon' },
    plan: 'none',
    measured: ({ cycles }) => cycles.dealToWon,
  },
  // LTV beside CAC (column L, right of every other box), where a customers tab has start and end
  // dates: revenue per customer per period × the expected lifetime from the retention curve (the
  // retention sheet's LTV block). Its revenue per customer is the customers tab's amount column,
  // else the window's average deal size.
  {
    id: 'ltv',
    division: 'KGI',
    unit: 'money',
    labels: { ja: 'LTV（顧客生涯価値）', en: 'LTV (customer lifetime value)' },
    short: { ja: 'LTV', en: 'LTV' },
    onPath: false,
    optional: true,
    place: { level: 0, column: 'sal' },
    actual: { retention: 'ltv' },
    plan: 'none',
    measured: ({ m, customers }) => customers.churn && (customers.amount || (m.revenue && m.won)),
  },
  {
    id: 'ltvToCac',
    division: 'KGI',
    unit: 'multiple',
    labels: { ja: 'LTV ÷ CAC', en: 'LTV ÷ CAC' },
    onPath: false,
    optional: true,
    place: { level: 1, column: 'sal' },
    actual: { retention: 'ltvToCac' },
    plan: 'none',
    measured: ({ m, customers, costs }) =>
      customers.churn && (customers.amount || (m.revenue && m.won)) && costs && m.won,
  },
] as const satisfies readonly NodeDef<string>[];

export type KpiId = (typeof KPI_NODES)[number]['id'];
export type KpiNode = NodeDef<KpiId>;

const BY_ID = new Map<string, KpiNode>(KPI_NODES.map((n) => [n.id, n as KpiNode]));

/** Is `id` a node of the tree? */
export const isKpiId = (id: string): id is KpiId => BY_ID.has(id);

/** The node of an id. */
export function kpiNode(id: KpiId): KpiNode {
  return BY_ID.get(id) as KpiNode;
}

/** A node's label in a language: the same text the KPI tree shows on its box. */
export const kpiLabel = (lang: Lang, id: KpiId): string => kpiNode(id).labels[lang];

/** A node's name without its definition in brackets, for table headers: "Target share", "MQL率". */
export const kpiShortLabel = (lang: Lang, id: KpiId): string =>
  (kpiNode(id).short ?? kpiNode(id).labels)[lang];

/** The divisions' names as the tree shows them. */
export const DIVISION_LABELS = {
  ja: { Marketing: 'マーケ', IS: 'IS', FS: 'FS', KGI: '全社' },
  en: { Marketing: 'Marketing', IS: 'IS', FS: 'FS', KGI: 'Company' },
} as const;

/** The chain's count nodes, revenue (level 0) down to leads. */
export const CHAIN: readonly KpiNode[] = (KPI_NODES as readonly KpiNode[])
  .filter((n) => n.place.column === 'chain')
  .sort((a, b) => a.place.level - b.place.level);

/** The factor beside the chain node at a level (none beside revenue). */
export const factorAt = (level: number): KpiNode | undefined =>
  (KPI_NODES as readonly KpiNode[]).find(
    (n) => n.place.column === 'factor' && n.place.level === level,
  );

/** The funnel's counts bottom first: a factor's place in the product is its denominator's. */
const STAGE_ORDER: readonly Measure[] = ['leads', 'targetLeads', 'mql', 'sal', 'deals', 'won'];

/**
 * The factors of revenue, bottom of the funnel first (target share … average deal size): the
 * revenue-gap split's. The optional ones (MQL → SAL, SAL → deal) are the deal rate's parts,
 * split in a block of their own (sheets/revenueGapSal.ts writeSalSplit).
 */
export const FACTORS: readonly KpiNode[] = (KPI_NODES as readonly KpiNode[])
  .filter((n) => n.factor !== undefined && !n.optional)
  .sort(
    (a, b) =>
      STAGE_ORDER.indexOf(a.factor?.den as Measure) - STAGE_ORDER.indexOf(b.factor?.den as Measure),
  );

/** The plan input a node is planned by, if it has one of its own (a factor's B8…B13). */
export const planInputOf = (n: KpiNode): PlanKey | undefined =>
  typeof n.plan === 'object' && 'input' in n.plan ? n.plan.input : undefined;

/**
 * The plan inputs a node's plan is computed from, directly or through the chain: 'target' (the
 * revenue target, B7) and the factors' inputs (B8…B13). Empty for a node without a plan.
 */
export function planSources(n: KpiNode): ('target' | PlanKey)[] {
  const p = n.plan;
  if (p === 'target') return ['target'];
  if (p === 'none') return [];
  if (p === 'chain') {
    const k = factorAt(n.place.level);
    const own = k && planInputOf(k);
    return [...planSources(CHAIN[n.place.level - 1]), ...(own ? [own] : [])];
  }
  if ('input' in p) return [p.input];
  if ('times' in p) return [...planSources(kpiNode(p.times[0] as KpiId)), p.times[1]];
  return [...p.quotient];
}

/** The tree's box of a node: its label cell (1-based); plan, actual, achievement below it. */
export function nodeBox(node: KpiNode): { row: number; col: number } {
  const col = { chain: 4, factor: 7, beside: 10, sal: 12 }[node.place.column];
  return { row: 3 + node.place.level * 6, col };
}

/**
 * The nodes a build shows: every node but an optional one the data does not measure (the SAL
 * nodes, present only where a status means SAL; LTV and LTV ÷ CAC, only with a customers tab's
 * start and end dates), the optional ones last so that every other row and column keeps its place.
 */
export function presentNodes(measured: Record<KpiId, boolean>): KpiNode[] {
  const all = KPI_NODES as readonly KpiNode[];
  return [...all.filter((n) => !n.optional), ...all.filter((n) => n.optional && measured[n.id])];
}

/** Which nodes the data measures, by id. */
export function measuredNodes(x: Measurability): Record<KpiId, boolean> {
  return Object.fromEntries(KPI_NODES.map((n) => [n.id, n.measured(x)])) as Record<KpiId, boolean>;
}
