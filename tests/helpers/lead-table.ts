/**
 * Random lead tables for the SQL parity properties: typed as a BigQuery table (TIMESTAMP stage
 * dates written with mixed UTC offsets, DATE and DATETIME columns, FLOAT64 amounts, STRING
 * names), with the values a Sheets extract of that table would hand the custom functions (a
 * TIMESTAMP as the instant, a DATE or DATETIME as that wall time in the spreadsheet's zone).
 */
import fc from 'fast-check';
import type { SqlColumn } from '../../src/core/sql/dialect';
import type { LeadTableColumns } from '../../src/core/sql/funnel';

export const ZONE = 'Asia/Tokyo';
const TOKYO_MS = 9 * 3_600_000;
const DAY = 86_400_000;
const START = Date.UTC(2024, 11, 15);
const SPAN_DAYS = 220;

/** Company spellings a CRM holds: one company several ways, e-mails, free mail, blanks. */
export const COMPANY_SPELLINGS = [
  '株式会社アルファ',
  'アルファ株式会社',
  '(株)アルファ',
  '㈱アルファ',
  'ｱﾙﾌｧ株式会社',
  '　アルファ　',
  '有限会社ベータ',
  'ベータ',
  'ｶﾞﾝﾏ合同会社',
  'ガンマ',
  'Acme Inc.',
  'ACME, Inc',
  'acme',
  'ＡＣＭＥ　ＩＮＣ',
  'The Company',
  'K.K. Delta',
  'delta',
  'taro@alpha.co.jp',
  'hanako@ALPHA.co.jp ',
  'jiro@gmail.com',
  'Jiro@Gmail.com',
  'info@ｅｐｓｉｌｏｎ.jp',
  '株式会社',
  '',
  null,
];

export const STATUS_MAP_TEXT =
  '新規=lead; MQL=mql; SAL=sal; 商談化=sql; ショウダン=sql; 受注=won; Closed Won=won; 失注=lost; ナーチャリング=nurture';
export const STATUS_SPELLINGS = [
  '新規',
  'MQL',
  'ＭＱＬ',
  ' mql ',
  'SAL',
  '商談化',
  'ｼｮｳﾀﾞﾝ',
  '受注',
  'Closed Won',
  'CLOSED　WON',
  'closed  won',
  '失注',
  'ナーチャリング',
  'その他',
  '',
  null,
];
export const TARGET_SPELLINGS = [
  'yes',
  'no',
  '○',
  'はい',
  'ＹＥＳ',
  ' Yes ',
  'パートナー',
  '競合',
  '',
  null,
];

/** Column of each role in the generated table, with its BigQuery type. */
export const LEAD_TABLE: Required<LeadTableColumns> = {
  created: { name: 'created_at', type: 'TIMESTAMP' },
  mql: { name: 'mql_at', type: 'TIMESTAMP' },
  deal: { name: 'deal_date', type: 'DATE' },
  won: { name: 'won_at', type: 'DATETIME' },
  close: { name: 'closed_at', type: 'TIMESTAMP' },
  lost: { name: 'lost_date', type: 'DATE' },
  amounts: { name: 'amount', type: 'FLOAT64' },
  companies: { name: 'company', type: 'STRING' },
  targets: { name: 'target', type: 'STRING' },
  statuses: { name: 'status', type: 'STRING' },
};
export const ROLES = Object.keys(LEAD_TABLE) as (keyof LeadTableColumns)[];

export interface GeneratedLead {
  created: number | null;
  /** Days after created of each later stage (null = none). */
  mql: number | null;
  deal: number | null;
  won: number | null;
  close: number | null;
  lost: number | null;
  amount: number | null;
  company: string | null;
  target: string | null;
  status: string | null;
  /** UTC offset (minutes) the timestamps are written with. */
  offset: number;
}

const later = fc.option(fc.integer({ min: 0, max: 80 * DAY }), { nil: null, freq: 2 });
export const leadArb: fc.Arbitrary<GeneratedLead> = fc.record({
  // Times of day everywhere, so that some fall just after midnight in Tokyo (before it in UTC).
  created: fc.option(fc.integer({ min: START, max: START + SPAN_DAYS * DAY }), {
    nil: null,
    freq: 8,
  }),
  mql: later,
  deal: later,
  won: later,
  close: later,
  lost: later,
  amount: fc.option(fc.oneof(fc.integer({ min: 0, max: 5_000_000 }), fc.constant(-100)), {
    nil: null,
    freq: 2,
  }),
  company: fc.constantFrom(...COMPANY_SPELLINGS),
  target: fc.constantFrom(...TARGET_SPELLINGS),
  status: fc.constantFrom(...STATUS_SPELLINGS),
  offset: fc.constantFrom(0, 540, -300, 330, 60),
});

/** `2025-04-01 00:30:00+09:00`: the instant written at a UTC offset. */
function withOffset(ms: number, offsetMin: number): string {
  const wall = new Date(ms + offsetMin * 60_000).toISOString().slice(0, 19).replace('T', ' ');
  const sign = offsetMin < 0 ? '-' : '+';
  const a = Math.abs(offsetMin);
  return `${wall}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}
const tokyoWall = (ms: number) => new Date(ms + TOKYO_MS).toISOString();

/** The stage's instant: created + its delay (or from START where no created date). */
function stageMs(l: GeneratedLead, delay: number | null): number | null {
  if (delay === null) return null;
  return (l.created ?? START + 40 * DAY) + delay;
}

/** Values of a role as the table holds them (for DuckDB literals): see tests/helpers/duck.ts. */
export function tableValue(role: keyof LeadTableColumns, l: GeneratedLead): unknown {
  const col = LEAD_TABLE[role];
  const ms =
    role === 'created'
      ? l.created
      : role === 'mql' || role === 'deal' || role === 'won' || role === 'close' || role === 'lost'
        ? stageMs(l, l[role])
        : undefined;
  if (ms !== undefined) {
    if (ms === null) return null;
    if (col.type === 'TIMESTAMP') return withOffset(ms, l.offset);
    if (col.type === 'DATE') return tokyoWall(ms).slice(0, 10);
    return tokyoWall(ms).slice(0, 19);
  }
  if (role === 'amounts') return l.amount;
  if (role === 'companies') return l.company;
  if (role === 'targets') return l.target;
  return l.status;
}

/**
 * The value a Sheets extract of the table shows the custom functions: a TIMESTAMP as its instant,
 * a DATE or DATETIME as that wall time in the spreadsheet's zone (a date cell), NULL blank.
 */
export function cellValue(role: keyof LeadTableColumns, l: GeneratedLead): unknown {
  const v = tableValue(role, l);
  if (v === null) return '';
  const col = LEAD_TABLE[role];
  if (col.type === 'TIMESTAMP') return new Date(Date.parse(String(v).replace(' ', 'T')));
  if (col.type === 'DATE' || col.type === 'DATETIME') {
    const wall = String(v).length === 10 ? `${v}T00:00:00` : String(v);
    return new Date(Date.parse(`${wall}Z`) - TOKYO_MS);
  }
  return v;
}

export const SQL_COLUMNS: SqlColumn[] = ROLES.map((r) => LEAD_TABLE[r]);

/**
 * funnelByPeriod's columns for the mapped roles (its input keys are the roles' names), each as a
 * Sheets extract of the table shows its values.
 */
export function funnelColumnsOf(
  leads: readonly GeneratedLead[],
  roles: readonly (keyof LeadTableColumns)[],
): Partial<Record<keyof LeadTableColumns, unknown[]>> {
  return Object.fromEntries(roles.map((r) => [r, leads.map((l) => cellValue(r, l))]));
}
