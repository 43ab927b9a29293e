/**
 * The custom functions' output in the spreadsheet's language: header cells, the Total label and
 * the health words, translated after the table is computed. Column order — the contract — is
 * untouched, and so is every value that came from the user's cells.
 */
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
};

const TOTAL = { en: 'Total', ja: '合計' } as const;
const HEALTH: Readonly<Record<string, string>> = {
  OK: 'OK',
  LOW: '不足',
  optimistic: '楽観的',
  cautious: '慎重',
};

/** The label of a table's Total row in a language. */
export const totalLabel = (lang: Lang): string => TOTAL[lang];

/**
 * Translates a function's table in place for a Japanese sheet: every header cell, the last
 * row's "Total" label (tables whose last row is a Total), and the health column's OK/LOW.
 */
export function localizeTable(
  table: Cell[][],
  lang: Lang,
  opts: { total?: boolean; healthCol?: number } = {},
): Cell[][] {
  if (lang === 'en' || table.length === 0) return table;
  table[0] = table[0].map((h) => (typeof h === 'string' && JA[h] !== undefined ? JA[h] : h));
  const last = table[table.length - 1];
  if (opts.total && table.length > 1 && last[0] === TOTAL.en) last[0] = TOTAL.ja;
  if (opts.healthCol !== undefined) {
    for (let r = 1; r < table.length; r++) {
      const v = table[r][opts.healthCol];
      if (typeof v === 'string' && HEALTH[v] !== undefined) table[r][opts.healthCol] = HEALTH[v];
    }
  }
  return table;
}
