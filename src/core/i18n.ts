/**
 * The custom functions' output in the spreadsheet's language: header cells, the Total label and
 * the health words, translated after the table is computed. Column order — the contract — is
 * untouched, and so is every value that came from the user's cells.
 */
import { hasOwn } from './args';
import type { Cell } from './cohort';
import type { Lang } from './errors';

const JA: Readonly<Record<string, string>> = {
  period: '期間',
  leads: 'リード数',
  companies: '社数',
  converted: '転換数',
  conversions: '転換数',
  rate: '転換率',
  owner: '担当者',
  activities: '活動数',
  area: '面積（活動×社数）',
  coverage: 'カバー率',
  health: '判定',
  stage: 'ステージ',
  required: '必要数',
  capacity: 'キャパシティ',
  utilisation: '稼働率',
  'heads needed': '必要人数',
  'target leads': 'ターゲットリード',
  MQL: 'MQL',
  deals: '商談数',
  won: '受注数',
  revenue: '売上',
  'MQL rate': 'MQL率',
  'deal rate': '商談化率',
  'win rate': '受注率',
  'avg deal size': '平均受注単価',
  lost: '失注数',
  'closed win rate': '受注率（決着分）',
  rank: 'ランク',
  judged: '判定数',
  'became deals': '期限内に商談化',
  'team rate': 'チームの率',
  'median days': '商談化までの日数（中央値）',
  amount: '受注金額',
  flag: '傾向',
  // CYCLE_TIME ('median days' is PROSPECT_ACCURACY's word: CYCLE_TIME overrides it per call)
  group: 'グループ',
  count: '件数',
  'p75 days': '日数（75パーセンタイル）',
  'mean days': '日数（平均）',
  open: '未完了',
  // RETENTION
  customers: '顧客数',
  // LIST_COVERAGE
  'list size': 'リスト社数',
  reached: '接触社数',
  'list activities': 'リスト内活動数',
  'activities per company': '1社あたり活動数',
  'below min touches': '接触回数不足の社数',
  'off-list activities': 'リスト外活動数',
  // DEAL_QUADRANTS ('amount' is 受注金額 elsewhere: DEAL_QUADRANTS overrides it per call)
  target: 'ターゲット',
  temperature: '温度感',
  // KPI_COHORT_FORECAST and KPI_PIPELINE_FORECAST (the backtest header is shared)
  'forecast conversions': '転換数（予測）',
  'forecast revenue': '売上（予測）',
  'actual conversions': '転換数（実績）',
  'actual revenue': '売上（実績）',
  error: '誤差',
  'actual ÷ forecast': '実績÷予測',
  'open deals': '未決着の商談数',
  pipeline: 'パイプライン金額',
  'forecast won': '受注数（予測）',
};

const TOTAL = { en: 'Total', ja: '合計' } as const;
const HEALTH: Readonly<Record<string, string>> = {
  OK: 'OK',
  LOW: '不足',
  optimistic: '楽観的',
  cautious: '慎重',
};

/** Row label words of ours in a table's body (columns named by localizeTable's labelCols). */
const LABELS: Readonly<Record<string, string>> = {
  // DEAL_QUADRANTS
  target: 'ターゲット',
  'non-target': 'ターゲット外',
  hot: '高',
  cold: '低',
  '(no temperature)': '温度感なし',
};

/** The label of a table's Total row in a language. */
export const totalLabel = (lang: Lang): string => TOTAL[lang];

/** The group cell of a grand total row (CYCLE_TIME: ["Total", "all", …]) in a language. */
const ALL = { en: 'all', ja: '全体' } as const;
export const allLabel = (lang: Lang): string => ALL[lang];

/**
 * Translates a function's table in place for a Japanese sheet: every header cell, the last
 * row's "Total" label (tables whose last row is a Total), and the health column's OK/LOW.
 */
export function localizeTable(
  table: Cell[][],
  lang: Lang,
  opts: {
    total?: boolean;
    healthCol?: number;
    headers?: Readonly<Record<string, string>>;
    /** Columns whose cells are label words of ours (DEAL_QUADRANTS' target, hot …): see LABELS. */
    labelCols?: readonly number[];
  } = {},
): Cell[][] {
  if (lang === 'en' || table.length === 0) return table;
  // `headers`: this call's own Japanese for a header key whose shared word would be wrong here.
  const own = opts.headers;
  table[0] = table[0].map((h) =>
    typeof h !== 'string'
      ? h
      : own !== undefined && hasOwn(own, h)
        ? own[h]
        : JA[h] !== undefined
          ? JA[h]
          : h,
  );
  const last = table[table.length - 1];
  if (opts.total && table.length > 1 && last[0] === TOTAL.en) last[0] = TOTAL.ja;
  if (opts.healthCol !== undefined) {
    for (let r = 1; r < table.length; r++) {
      const v = table[r][opts.healthCol];
      if (typeof v === 'string' && HEALTH[v] !== undefined) table[r][opts.healthCol] = HEALTH[v];
    }
  }
  for (const c of opts.labelCols ?? []) {
    for (let r = 1; r < table.length; r++) {
      const v = table[r][c];
      if (typeof v === 'string' && hasOwn(LABELS, v)) table[r][c] = LABELS[v];
    }
  }
  return table;
}
