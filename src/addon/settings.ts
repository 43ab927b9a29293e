/**
 * The sidebar's settings in document properties: validated (clear messages in the user's
 * language), capped, and stored in chunks so that no value passes the Properties service's 9 KB
 * limit however many status values or how long a reason the user has.
 */
import type { Lang } from '../core/errors';
import { EXTRA_COLUMNS } from '../core/extraTabs';
import { FUNNEL_STAGES } from '../core/funnel';
import type { KpiSettings } from '../core/report';

export const SETTINGS_KEY = 'kpi.settings';
/** Characters per stored chunk: ≤ 9 KB even when every character takes 3 bytes in UTF-8. */
const CHUNK = 2_500;
const MAX_CHUNKS = 40;

/** Caps on what the sidebar may send (beyond them the value is cut, never refused). */
export const CAPS = { why: 1_000, text: 200, statuses: 500, excludes: 200, stageNames: 5 } as const;
/** Largest plausible money amount (revenue target, deal size): 1,000 trillion. */
const MAX_AMOUNT = 1e15;

const MSG = {
  en: {
    target: (v: unknown) =>
      `The revenue target must be a number from 0 to 1,000 trillion (got ${String(v)}).`,
    avgDeal: (v: unknown) =>
      `The average deal size must be a number above 0 and at most 1,000 trillion, or blank (got ${String(v)}).`,
    date: (which: string, v: unknown) => `The window ${which} must be a date (got "${String(v)}").`,
    tab: 'Choose the lead tab.',
    field: (name: string, v: unknown) =>
      `The settings are not valid: ${name} = ${JSON.stringify(v)?.slice(0, 60)}. Reopen the sidebar and build again.`,
    save: (why: string) => `The settings could not be saved, so nothing was built: ${why}`,
    tooBig: 'The settings are too large to save (too many status values or columns).',
  },
  ja: {
    target: (v: unknown) =>
      `売上目標は0から1,000兆までの数値にしてください（入力: ${String(v)}）。`,
    avgDeal: (v: unknown) =>
      `平均受注単価は0より大きく1,000兆以下の数値にするか、空欄にしてください（入力: ${String(v)}）。`,
    date: (which: string, v: unknown) =>
      `集計期間の${which === 'start' ? '開始' : '終了'}は日付にしてください（入力: 「${String(v)}」）。`,
    tab: 'リードタブを選んでください。',
    field: (name: string, v: unknown) =>
      `設定が正しくありません: ${name} = ${JSON.stringify(v)?.slice(0, 60)}。サイドバーを開き直して作成してください。`,
    save: (why: string) => `設定を保存できなかったため、作成しませんでした: ${why}`,
    tooBig: '設定が大きすぎて保存できません（ステータスの値や列が多すぎます）。',
  },
};

const cut = (s: unknown, n: number) => String(s ?? '').slice(0, n);
const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A real calendar date written yyyy-mm-dd (2024-02-31 is not one). */
function isDate(v: unknown): boolean {
  const m = ISO.exec(String(v));
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}

/** Checks and caps settings as they come from the sidebar (or an old saved copy). */
export function validateSettings(s: KpiSettings, lang: Lang): KpiSettings {
  const m = MSG[lang];
  if (typeof s !== 'object' || s === null || typeof s.leadSheet !== 'string' || s.leadSheet === '')
    throw new Error(m.tab);
  const target = Number(s.revenueTarget);
  if (!Number.isFinite(target) || target < 0 || target > MAX_AMOUNT) {
    throw new Error(m.target(s.revenueTarget));
  }
  if (s.avgDealSize !== undefined) {
    const a = Number(s.avgDealSize);
    if (!Number.isFinite(a) || a <= 0 || a > MAX_AMOUNT) throw new Error(m.avgDeal(s.avgDealSize));
  }
  if (!isDate(s.from)) throw new Error(m.date('start', s.from));
  if (!isDate(s.to)) throw new Error(m.date('end', s.to));
  const bad = (name: string, v: unknown): never => {
    throw new Error(m.field(name, v));
  };
  const isIndex = (v: unknown) =>
    Number.isInteger(v) && (v as number) >= 0 && (v as number) < 18_278;
  const checkMapping = (name: string, map: unknown) => {
    if (typeof map !== 'object' || map === null || Array.isArray(map)) bad(name, map);
    for (const [f, c] of Object.entries(map as object)) {
      if (c !== undefined && !isIndex(c)) bad(`${name}.${f}`, c);
    }
  };
  checkMapping('mapping', s.mapping);
  const headerRow = s.headerRow ?? 1;
  if (!Number.isInteger(headerRow) || headerRow < 1 || headerRow > 1000)
    bad('headerRow', s.headerRow);
  if (s.period !== 'month' && s.period !== 'quarter') bad('period', s.period);
  if (s.rowsAre !== undefined && !['lead', 'mql', 'deal'].includes(s.rowsAre)) {
    bad('rowsAre', s.rowsAre);
  }
  if (!Array.isArray(s.capacity)) bad('capacity', s.capacity);
  for (const c of s.capacity) {
    for (const v of [c?.heads, c?.perHead]) {
      if (v !== '' && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) bad('capacity', c);
    }
  }
  if (typeof s.rankHorizons !== 'object' || s.rankHorizons === null)
    bad('rankHorizons', s.rankHorizons);
  for (const [k, v] of Object.entries(s.rankHorizons)) {
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0)) bad(`rankHorizons.${k}`, v);
  }
  if (s.targetExclude !== undefined && !Array.isArray(s.targetExclude)) {
    bad('targetExclude', s.targetExclude);
  }
  for (const [k, v] of Object.entries(s.statusMap ?? {})) {
    if (!(FUNNEL_STAGES as string[]).includes(String(v).trim().toLowerCase()))
      bad(`statusMap.${k}`, v);
  }
  if (s.deals !== undefined) {
    const d = s.deals;
    if (typeof d !== 'object' || d === null || typeof d.sheet !== 'string') bad('deals', d);
    checkMapping('deals.mapping', d.mapping);
    if (!Number.isInteger(d.headerRow) || d.headerRow < 1) bad('deals.headerRow', d.headerRow);
    if (!['id', 'company', 'none'].includes(d.joinBy)) bad('deals.joinBy', d.joinBy);
    for (const k of [d.leadKey, d.dealKey])
      if (k !== undefined && !isIndex(k)) bad('deals keys', k);
  }
  for (const key of ['customers', 'targetList', 'activityLog', 'costTab'] as const) {
    const x = s[key];
    if (x === undefined) continue;
    if (typeof x !== 'object' || x === null || typeof x.sheet !== 'string' || x.sheet === '')
      bad(key, x);
    if (!Number.isInteger(x.headerRow) || x.headerRow < 1 || x.headerRow > 1000)
      bad(`${key}.headerRow`, x.headerRow);
    checkMapping(`${key}.columns`, x.columns);
    const allowed: readonly string[] = EXTRA_COLUMNS[key];
    for (const role of Object.keys(x.columns))
      if (!allowed.includes(role)) bad(`${key}.${role}`, role);
  }
  if (s.costs !== undefined) {
    if (typeof s.costs !== 'object' || s.costs === null) bad('costs', s.costs);
    for (const k of ['marketing', 'isHeads', 'isPerHead', 'fsHeads', 'fsPerHead'] as const) {
      const v = s.costs[k];
      if (v !== '' && !(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_AMOUNT))
        bad(`costs.${k}`, v);
    }
  }
  let statusMap: Record<string, string> | undefined;
  if (s.statusMap) {
    statusMap = {};
    for (const [k, v] of Object.entries(s.statusMap).slice(0, CAPS.statuses)) {
      statusMap[cut(k, CAPS.text)] = String(v).trim().toLowerCase();
    }
  }
  return {
    ...s,
    revenueTarget: target,
    why: s.why === undefined ? undefined : cut(s.why, CAPS.why),
    statusMap,
    headerRow,
    targetExclude: (s.targetExclude ?? []).slice(0, CAPS.excludes).map((x) => cut(x, CAPS.text)),
    stageNames: s.stageNames?.slice(0, CAPS.stageNames).map((x) => cut(x, 50)),
  };
}

/**
 * Saves settings in one setProperties call: the JSON in chunks under kpi.settings.0 …, and
 * kpi.settings naming how many. A failure is reported (in the user's language), never swallowed.
 */
export function saveSettings(
  props: GoogleAppsScript.Properties.Properties,
  s: KpiSettings,
  lang: Lang,
): void {
  const json = JSON.stringify(s);
  const chunks = Math.ceil(json.length / CHUNK);
  if (chunks > MAX_CHUNKS) throw new Error(MSG[lang].save(MSG[lang].tooBig));
  const values: Record<string, string> = { [SETTINGS_KEY]: JSON.stringify({ chunks }) };
  for (let i = 0; i < chunks; i++) {
    values[`${SETTINGS_KEY}.${i}`] = json.slice(i * CHUNK, (i + 1) * CHUNK);
  }
  try {
    props.setProperties(values);
  } catch (e) {
    throw new Error(MSG[lang].save(String((e as Error)?.message ?? e)));
  }
}

/** The saved settings (chunked, or a single value saved by an earlier version), or null. */
export function loadSettings(props: GoogleAppsScript.Properties.Properties): KpiSettings | null {
  const all = props.getProperties(); // one call for the head and every chunk
  const head = all[SETTINGS_KEY];
  if (!head) return null;
  try {
    const parsed = JSON.parse(head) as KpiSettings | { chunks: number };
    if (!('chunks' in parsed)) return parsed;
    let json = '';
    for (let i = 0; i < parsed.chunks; i++) json += all[`${SETTINGS_KEY}.${i}`] ?? '';
    return JSON.parse(json) as KpiSettings;
  } catch {
    return null;
  }
}
