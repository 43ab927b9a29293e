/**
 * KPI_FUNNEL as one SQL query over a lead table (a BigQuery table in Connected Sheets, a DuckDB
 * table locally): the same rows, cell for cell, as funnelByPeriod (src/core/funnel.ts) given the
 * table's columns — each stage counted by its own date in the spreadsheet's time zone, the status
 * fallback for a stage without a date column, "no data" (NULL, a blank cell) for what the columns
 * cannot measure, every period from the first to the last, a Total row.
 *
 * What it measures follows measuredBy's rules for a lead tab (rows of leads, no deals tab, no
 * record-type or active column); the statuses present are read from the data, as the custom
 * function reads them.
 */
import type { Period } from '../dates';
import { FUNNEL_HEADER, type FunnelStage, SAL_HEADER, STAGE_RANK } from '../funnel';
import { totalLabel } from '../i18n';
import type { Dialect, SqlColumn } from './dialect';
import { companyKeyCtes, statusKeySql, targetSql } from './keys';

/** The lead table's columns by role (what the sidebar's mapping names), with their types. */
export interface LeadTableColumns {
  created?: SqlColumn;
  mql?: SqlColumn;
  deal?: SqlColumn;
  won?: SqlColumn;
  close?: SqlColumn;
  lost?: SqlColumn;
  amounts?: SqlColumn;
  companies?: SqlColumn;
  targets?: SqlColumn;
  statuses?: SqlColumn;
}

export interface FunnelQuery {
  /** `project.dataset.table` (BigQuery) or a table name (DuckDB). */
  table: string;
  columns: LeadTableColumns;
  period: Period;
  /** The spreadsheet's time zone (IANA). */
  zone: string;
  lang: 'ja' | 'en';
  /** Window bounds, ISO days; absent = open. */
  from?: string;
  to?: string;
  statusMap?: Record<string, FunnelStage>;
  exclude?: readonly string[];
  withSal?: boolean;
}

/** Output column names (the extract's header row): FUNNEL_HEADER as identifiers. */
export const FUNNEL_SQL_COLUMNS: readonly string[] = FUNNEL_HEADER.map((h) =>
  h.toLowerCase().replace(/ /g, '_'),
);

const DATE_TYPES = new Set(['DATE', 'DATETIME', 'TIMESTAMP']);
const NUMBER_TYPES = new Set(['INT64', 'FLOAT64', 'NUMERIC']);

/** Why a column cannot serve its role in SQL (dates must be dates, amounts numbers), or ''. */
export function columnProblem(role: keyof LeadTableColumns, col: SqlColumn): string {
  if (['created', 'mql', 'deal', 'won', 'close', 'lost'].includes(role))
    return DATE_TYPES.has(col.type) ? '' : `${col.name}: ${col.type} is not a date type`;
  if (role === 'amounts')
    return NUMBER_TYPES.has(col.type) ? '' : `${col.name}: ${col.type} is not a number type`;
  return '';
}

/** The funnel query in a dialect. */
export function funnelSql(q: FunnelQuery, d: Dialect): string {
  const c = q.columns;
  for (const [role, col] of Object.entries(c)) {
    const why = col ? columnProblem(role as keyof LeadTableColumns, col) : '';
    if (why) throw new Error(why);
  }
  const day = (col: SqlColumn | undefined) => (col ? d.dayOf(col, q.zone) : d.nullOf('DATE'));
  const id = (col: SqlColumn) => d.ident(col.name);
  const asText = (col: SqlColumn | undefined) =>
    !col ? d.nullOf('STRING') : col.type === 'STRING' ? id(col) : d.text(id(col));
  const map = q.statusMap ?? {};
  const mapped = Object.entries(map);
  const hasStages = c.statuses !== undefined && mapped.length > 0;
  const rankOf = (stage: string) =>
    `CASE ${stage} ${Object.entries(STAGE_RANK)
      .map(([s, r]) => `WHEN '${s}' THEN ${r}`)
      .join(' ')} ELSE -1 END`;
  const amount = c.amounts
    ? `CASE WHEN ${d.toFloat(id(c.amounts))} >= 0 THEN ${d.toFloat(id(c.amounts))} END`
    : d.nullOf('FLOAT64');
  const target = c.targets ? targetSql(d, id(c.targets), c.targets.type, q.exclude) : 'TRUE';
  const ctes: { name: string; body: string }[] = [
    {
      name: 'src',
      body: `SELECT ${day(c.created)} AS created_day, ${day(c.mql)} AS mql_day, ${day(c.deal)} AS deal_day, ${day(c.won)} AS won_day, ${day(c.close)} AS close_day, ${day(c.lost)} AS lost_day, ${amount} AS amount, ${target} AS tgt, ${asText(c.statuses)} AS status_text, ${asText(c.companies)} AS company_text FROM ${d.table(q.table)}`,
    },
  ];
  // Status → stage per distinct status (statusKey), company key per distinct spelling.
  if (hasStages) {
    ctes.push({
      name: 'statuses',
      body: `SELECT spelling, CASE ${statusKeySql(d, 'spelling')} ${mapped.map(([k, s]) => `WHEN ${d.str(k)} THEN ${d.str(s)}`).join(' ')} END AS stage FROM (SELECT DISTINCT status_text AS spelling FROM src) AS s`,
    });
  }
  if (c.companies) {
    ctes.push({ name: 'spellings', body: 'SELECT DISTINCT company_text AS spelling FROM src' });
    ctes.push(...companyKeyCtes(d, 'spellings', 'co'));
  }
  ctes.push({
    name: 'base',
    body: `SELECT src.*, ${hasStages ? 'st.stage' : d.nullOf('STRING')} AS stage, ${c.companies ? 'co.key' : d.nullOf('STRING')} AS co FROM src${hasStages ? ' LEFT JOIN statuses AS st ON st.spelling = src.status_text' : ''}${c.companies ? ' LEFT JOIN co3 AS co ON co.spelling = src.company_text' : ''}`,
  });
  // What the columns measure (measuredBy for a lead tab): the statuses present in the data.
  const present = (s: FunnelStage) => (hasStages ? `p_${s}` : 'FALSE');
  if (hasStages) {
    ctes.push({
      name: 'present',
      // An empty status column stands for "data not at hand" (funnel.ts stagesPresent): the whole map.
      body: `SELECT ${(['mql', 'sal', 'sql', 'won', 'lost'] as const).map((s) => `(${d.anyOf(`stage = '${s}'`)} OR (COUNT(*) = 0 AND ${mapped.some(([, x]) => x === s) ? 'TRUE' : 'FALSE'})) AS p_${s}`).join(', ')} FROM base`,
    });
  }
  const created = c.created !== undefined;
  const closeDated = c.won !== undefined || c.close !== undefined || c.lost !== undefined;
  const bool = (b: boolean) => (b ? 'TRUE' : 'FALSE');
  const or = (...xs: string[]) => {
    const kept = xs.filter((x) => x !== 'FALSE');
    return kept.includes('TRUE') ? 'TRUE' : kept.length === 0 ? 'FALSE' : `(${kept.join(' OR ')})`;
  };
  const and = (a: boolean, x: string) => (a ? x : 'FALSE');
  const m = {
    leads: bool(created),
    companies: bool(created && c.companies !== undefined),
    mql: or(bool(c.mql !== undefined), and(created, present('mql'))),
    deals: or(
      bool(c.deal !== undefined),
      and(created || closeDated, or(present('sql'), present('lost'))),
    ),
    won: or(bool(c.won !== undefined), and(c.close !== undefined, present('won'))),
    lost: or(bool(c.lost !== undefined), and(c.close !== undefined, present('lost'))),
    sal: and(created, present('sal')),
  };
  const revenue = c.amounts ? m.won : 'FALSE';
  ctes.push({
    name: 'measured',
    body: `SELECT ${Object.entries({ ...m, revenue })
      .map(([k, v]) => `${v} AS m_${k}`)
      .join(', ')}${hasStages ? ' FROM present' : ''}`,
  });
  // One event per counted stage of a row, at its day (funnel.ts countRows).
  const rank = rankOf('stage');
  const closedOn = `COALESCE(won_day, lost_day, CASE WHEN stage IN ('won', 'lost') THEN close_day END)`;
  const mqlDay = c.mql ? 'mql_day' : `CASE WHEN ${rank} >= 1 THEN created_day END`;
  const dealDay = c.deal
    ? 'deal_day'
    : `CASE WHEN ${rank} >= 3 THEN ${created ? 'created_day' : closedOn} END`;
  const wonDay = c.won ? 'won_day' : `CASE WHEN stage = 'won' THEN close_day END`;
  const lostDay = c.lost ? 'lost_day' : `CASE WHEN stage = 'lost' THEN close_day END`;
  const events: [string, string, string][] = [
    ['lead', 'created_day', 'm_leads'],
    ['mql', mqlDay, 'm_mql'],
    ['deal', dealDay, 'm_deals'],
    ['won', wonDay, 'm_won'],
    ['lost', lostDay, 'm_lost'],
  ];
  if (q.withSal) events.push(['sal', `CASE WHEN ${rank} >= 2 THEN created_day END`, 'm_sal']);
  const from = q.from ? d.date(q.from) : '';
  const to = q.to ? d.date(q.to) : '';
  const inWindow = (x: string) =>
    [`${x} IS NOT NULL`, from ? `${x} >= ${from}` : '', to ? `${x} <= ${to}` : '']
      .filter(Boolean)
      .join(' AND ');
  ctes.push({
    name: 'events',
    body: events
      .map(
        ([k, dayExpr, flag]) =>
          `SELECT '${k}' AS k, ${d.periodStart('e.day', q.period)} AS p, e.tgt, e.co, e.amount FROM (SELECT ${dayExpr} AS day, tgt, co, amount FROM base) AS e, measured WHERE ${flag} AND ${inWindow('e.day')}`,
      )
      .join('\n  UNION ALL '),
  });
  const sums = (where: string) =>
    [
      `${d.countIf(`k = 'lead'`)} AS leads`,
      `${d.countIf(`k = 'lead' AND tgt`)} AS target_leads`,
      `COUNT(DISTINCT CASE WHEN k = 'lead' THEN co END) AS companies`,
      `${d.countIf(`k = 'mql'`)} AS mql`,
      `${d.countIf(`k = 'deal'`)} AS deals`,
      `${d.countIf(`k = 'won'`)} AS won`,
      `COALESCE(SUM(CASE WHEN k = 'won' THEN amount END), 0) AS revenue`,
      `${d.countIf(`k = 'lost'`)} AS lost`,
      `${d.countIf(`k = 'sal'`)} AS sal`,
    ].join(', ') + where;
  ctes.push({ name: 'by_period', body: `SELECT p, ${sums(' FROM events GROUP BY p')}` });
  ctes.push({ name: 'total', body: `SELECT ${sums(' FROM events')}` });
  const lo = from ? d.periodStart(from, q.period) : '(SELECT MIN(p) FROM by_period)';
  const hi = to ? d.periodStart(to, q.period) : '(SELECT MAX(p) FROM by_period)';
  ctes.push({
    name: 'periods',
    body: `SELECT p FROM ${d.periodSeries(lo, hi, q.period, 'p')} WHERE ${lo} IS NOT NULL AND ${hi} IS NOT NULL`,
  });
  const zero = [
    'leads',
    'target_leads',
    'companies',
    'mql',
    'deals',
    'won',
    'revenue',
    'lost',
    'sal',
  ];
  ctes.push({
    name: 'rows_',
    body: `SELECT 0 AS ord, periods.p AS p, ${d.periodLabel('periods.p', q.period)} AS label, ${zero.map((z) => `COALESCE(b.${z}, 0) AS ${z}`).join(', ')} FROM periods LEFT JOIN by_period AS b ON b.p = periods.p
  UNION ALL SELECT 1 AS ord, NULL AS p, ${d.str(totalLabel(q.lang))} AS label, ${zero.join(', ')} FROM total`,
  });
  const names = FUNNEL_SQL_COLUMNS;
  const v = (flag: string, x: string) => `CASE WHEN ${flag} THEN ${x} END`;
  const rate = (flag: string, a: string, b: string) => `CASE WHEN ${flag} THEN ${d.div(a, b)} END`;
  const cols = [
    `label AS ${names[0]}`,
    `${v('m_leads', 'leads')} AS ${names[1]}`,
    `${v('m_leads', 'target_leads')} AS ${names[2]}`,
    `${v('m_companies', 'companies')} AS ${names[3]}`,
    `${v('m_mql', 'mql')} AS ${names[4]}`,
    `${v('m_deals', 'deals')} AS ${names[5]}`,
    `${v('m_won', 'won')} AS ${names[6]}`,
    `${v('m_revenue', 'revenue')} AS ${names[7]}`,
    `${rate('m_leads AND m_mql', 'mql', 'target_leads')} AS ${names[8]}`,
    `${rate('m_mql AND m_deals', 'deals', 'mql')} AS ${names[9]}`,
    `${rate('m_deals AND m_won', 'won', 'deals')} AS ${names[10]}`,
    `${rate('m_revenue', 'revenue', 'won')} AS ${names[11]}`,
    `${v('m_lost', 'lost')} AS ${names[12]}`,
    `${rate('m_won AND m_lost', 'won', 'won + lost')} AS ${names[13]}`,
    ...(q.withSal ? [`${v('m_sal', 'sal')} AS ${SAL_HEADER.toLowerCase()}`] : []),
  ];
  return `WITH ${ctes.map((x) => `${x.name} AS (\n  ${x.body}\n)`).join(',\n')}
SELECT ${cols.join(',\n  ')}
FROM rows_, measured
ORDER BY ord, p`;
}
