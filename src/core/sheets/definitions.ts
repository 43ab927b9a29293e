/**
 * The definitions log: one row per build — when, the definitions in force, what changed and why.
 * A log: the add-on appends to it and never replaces it (no `build`).
 */

import { FIELD_LABELS } from '../fieldLabels';
import type { LeadField } from '../headers';
import type { KpiSettings } from '../settings';
import type { CellInput } from '../sheetModel';
import { defineSheet } from './sheet';

export const definitions = defineSheet({
  key: 'definitions',
  bigquery: true,
  names: { ja: '定義ログ', en: 'Definitions log' },
});

/** A short fingerprint of a text (two 32-bit FNV-1a hashes): what the next build compares. */
export function fingerprint(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193) >>> 0;
    b = Math.imul(b ^ c, 0x811c9dc5 | 1) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

/** The log's words: what changed, and each definition's name, in both languages. */
const LOG_TEXT = {
  ja: {
    first: '初回作成',
    unchanged: '変更なし',
    changed: '変更あり',
    actual: '実績',
    none: '—',
    month: '月',
    quarter: '四半期',
    fields: {
      leadSheet: 'リードタブ',
      rowsAre: '1行の単位',
      period: '期間単位',
      window: '集計期間',
      revenueTarget: '売上目標/期間',
      avgDealSize: '平均受注単価',
      targetExclude: 'ターゲット外の値',
      mapping: '列の対応',
      statusMap: 'ステータスの意味',
      deals: '商談タブ',
      capacity: '人数×キャパシティ',
      rankHorizons: '見込みランクの期限（日）',
      stageNames: 'ステージ名',
    } as Record<string, string>,
    rows: { lead: 'リード', mql: 'MQL', deal: '商談' } as Record<string, string>,
  },
  en: {
    first: 'first build',
    unchanged: 'unchanged',
    changed: 'changed',
    actual: 'actual',
    none: '—',
    month: 'month',
    quarter: 'quarter',
    fields: {
      leadSheet: 'Lead tab',
      rowsAre: 'Rows are',
      period: 'Period',
      window: 'Window',
      revenueTarget: 'Revenue target per period',
      avgDealSize: 'Average deal size',
      targetExclude: 'Not-target values',
      mapping: 'Columns',
      statusMap: 'Status meanings',
      deals: 'Deals tab',
      capacity: 'Heads × capacity',
      rankHorizons: 'Prospect-rank horizons (days)',
      stageNames: 'Stage names',
    } as Record<string, string>,
    rows: { lead: 'leads', mql: 'MQLs', deal: 'deals' } as Record<string, string>,
  },
};

/** The definitions as a person reads them, field by field, in the build's language. */
export function describeDefinitions(
  s: KpiSettings,
  headers: readonly string[],
): Record<string, string> {
  const t = LOG_TEXT[s.lang];
  const list = (xs: readonly string[]) => (xs.length > 0 ? xs.join(', ') : t.none);
  const num = (x: number) => x.toLocaleString(s.lang === 'ja' ? 'ja-JP' : 'en-US');
  const columns = Object.entries(s.mapping)
    .filter(([, c]) => c !== undefined)
    .map(
      ([f, c]) =>
        `${FIELD_LABELS[s.lang][f as LeadField]}=${headers[c as number] ?? `#${(c as number) + 1}`}`,
    );
  return {
    leadSheet: s.leadSheet,
    rowsAre: t.rows[s.rowsAre ?? 'lead'],
    period: s.period === 'quarter' ? t.quarter : t.month,
    window: `${s.from} … ${s.to}`,
    revenueTarget: s.revenueTarget === undefined ? t.actual : num(s.revenueTarget),
    avgDealSize: s.avgDealSize === undefined ? t.actual : num(s.avgDealSize),
    targetExclude: list(s.targetExclude),
    mapping: list(columns),
    statusMap: list(Object.entries(s.statusMap ?? {}).map(([k, v]) => `${k}→${v}`)),
    deals: s.deals ? `${s.deals.sheet} (${s.deals.joinBy})` : t.none,
    capacity: list(
      s.capacity
        .filter((c) => c.heads !== '' || c.perHead !== '')
        .map((c) => `${c.stage} ${c.heads}×${c.perHead}`),
    ),
    rankHorizons: list(Object.entries(s.rankHorizons).map(([k, v]) => `${k}=${v}`)),
    stageNames: list(s.stageNames ?? []),
  };
}

const clip = (x: string) => (x.length > 1000 ? `${x.slice(0, 999)}…` : x);

/**
 * One definitions-log row — when (local time, as given), the definitions in words, what changed
 * as "field: before → after", and why — and the definitions' fingerprint (kept in a property; the
 * next build compares it; the JSON itself can pass the Properties service's 9 KB per value).
 */
export function definitionsRow(
  settings: KpiSettings,
  when: string,
  previousPrint: string | undefined,
  previous: KpiSettings | null,
  headers: readonly string[],
): { row: CellInput[]; fingerprint: string } {
  const t = LOG_TEXT[settings.lang];
  const now = describeDefinitions(settings, headers);
  const print = fingerprint(JSON.stringify(now));
  const changed = previousPrint !== undefined && previousPrint !== print;
  let change = previousPrint === undefined ? t.first : t.unchanged;
  if (changed) {
    const before = previous
      ? describeDefinitions({ ...previous, lang: settings.lang }, headers)
      : {};
    const diffs = Object.keys(now)
      .filter((k) => before[k] !== now[k])
      .map((k) => `${t.fields[k]}: ${clip(before[k] ?? t.none)} → ${clip(now[k])}`);
    change = diffs.length > 0 ? diffs.join('\n') : t.changed;
  }
  const summary = Object.entries(now)
    .map(([k, v]) => `${t.fields[k]}: ${clip(v)}`)
    .join('\n');
  return {
    row: [when, summary, change, changed ? (settings.why ?? '') : ''],
    fingerprint: print,
  };
}

export const DEFINITIONS_HEADER = {
  ja: ['日時', '定義', '変更', '理由'],
  en: ['When', 'Definitions', 'What changed', 'Why'],
};
