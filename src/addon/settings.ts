/**
 * The sidebar's settings in document properties: validated (clear messages in the user's
 * language), capped, and stored in chunks so that no value passes the Properties service's 9 KB
 * limit however many status values or how long a reason the user has.
 */
import { CURRENCY_CODES, isCurrencyCode } from '../core/currency';
import { isIsoDate } from '../core/dates';
import type { Lang } from '../core/errors';
import { EXTRA_COLUMNS } from '../core/extraTabs';
import { FUNNEL_STAGES } from '../core/funnel';
import { GOAL_LIMITS, isKpiId, KPI_NODES, type KpiGoal, kpiLabel } from '../core/goals';
import type { CostSettings, KpiSettings } from '../core/settings';

export const SETTINGS_KEY = 'kpi.settings';
/** Characters per stored chunk: ≤ 9 KB even when every character takes 3 bytes in UTF-8. */
const CHUNK = 2_500;
const MAX_CHUNKS = 40;

/** Caps on what the sidebar may send (beyond them the value is cut, never refused). */
export const CAPS = { why: 1_000, text: 200, statuses: 500, excludes: 200, stageNames: 5 } as const;
/** Largest plausible money amount (revenue target, deal size): 1,000 trillion. */
const MAX_AMOUNT = 1e15;

/** A bad value as a message shows it: text in quotes (cut), anything else as JSON would. */
const plain = (v: unknown) =>
  (typeof v === 'object' && v !== null ? String(JSON.stringify(v)) : String(v)).slice(0, 60);
const shown = (v: unknown) => (typeof v === 'string' ? `"${v.slice(0, 60)}"` : plain(v));
const shownJa = (v: unknown) => (typeof v === 'string' ? `「${v.slice(0, 60)}」` : plain(v));
/** Inside Japanese text: 「text」 needs no spaces around it, a number does. */
const inJa = (v: unknown) => (typeof v === 'string' ? shownJa(v) : ` ${plain(v)} `);
/** A fraction as a percentage, without float noise (0.3 → 30, not 30.000000000000004). */
const pct = (v: number) => Number((v * 100).toPrecision(12));

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
    kpiUnknown: (id: string) =>
      `The KPI goals name "${id}", which is not a KPI of the tree. Reopen the sidebar and build again.`,
    kpiGoal: (kpi: string, v: unknown) =>
      `KPI "${kpi}": the goal is not valid (got ${shown(v)}). Reopen the sidebar and build again.`,
    kpiText: (kpi: string, what: 'csf' | 'owner', v: unknown) =>
      `KPI "${kpi}": the ${what === 'csf' ? 'critical success factor' : 'owner'} must be text (got ${shown(v)}).`,
    kpiTarget: (kpi: string, v: unknown) =>
      `KPI "${kpi}": the target ${shown(v)} is not a number ≥ 0.`,
    kpiRate: (kpi: string, v: number) =>
      `KPI "${kpi}": the target ${v} (${pct(v)} %) is above 100 %.`,
    kpiAmount: (kpi: string, v: number) =>
      `KPI "${kpi}": the target ${v} is more than 1,000 trillion.`,
    kpiDeadline: (kpi: string, v: unknown) =>
      `KPI "${kpi}": the deadline ${shown(v)} is not a date (yyyy-mm-dd).`,
    stretch: (v: unknown) =>
      `The stretch margin must be a number from 0 to 1,000 % (got ${shown(v)}).`,
    currency: (v: unknown) =>
      `The currency must be one of ${CURRENCY_CODES.join(', ')} or blank (got ${shown(v)}). Reopen the sidebar and build again.`,
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
    kpiUnknown: (id: string) =>
      `KPIの目標に、KPIツリーにない「${id}」があります。サイドバーを開き直して作成してください。`,
    kpiGoal: (kpi: string, v: unknown) =>
      `KPI「${kpi}」: 目標の設定が正しくありません（入力: ${shownJa(v)}）。サイドバーを開き直して作成してください。`,
    kpiText: (kpi: string, what: 'csf' | 'owner', v: unknown) =>
      `KPI「${kpi}」: ${what === 'csf' ? 'CSF（重要成功要因）' : '担当'}は文字で入力してください（入力: ${shownJa(v)}）。`,
    kpiTarget: (kpi: string, v: unknown) =>
      `KPI「${kpi}」: 目標${inJa(v)}は0以上の数値ではありません。`,
    kpiRate: (kpi: string, v: number) =>
      `KPI「${kpi}」: 目標 ${v}（${pct(v)}%）は100%を超えています。`,
    kpiAmount: (kpi: string, v: number) => `KPI「${kpi}」: 目標 ${v} は1,000兆を超えています。`,
    kpiDeadline: (kpi: string, v: unknown) =>
      `KPI「${kpi}」: 期限${inJa(v)}は日付（yyyy-mm-dd）ではありません。`,
    stretch: (v: unknown) =>
      `ストレッチの許容幅は0から1,000%までの数値にしてください（入力: ${shownJa(v)}）。`,
    currency: (v: unknown) =>
      `通貨は${CURRENCY_CODES.join('、')}のいずれかか空欄にしてください（入力: ${shownJa(v)}）。サイドバーを開き直して作成してください。`,
  },
};

const cut = (s: unknown, n: number) => String(s ?? '').slice(0, n);

/**
 * The settings with every null field removed, at any depth (an array keeps its places): null is
 * blank. The sidebar leaves a blank field undefined, and google.script.run may deliver an
 * undefined field as null (local/scriptRun.ts), so a blank optional setting can arrive as null,
 * as absent or as undefined — all three mean the same, and nothing past validation sees a null.
 * Own keys stay own keys (`__proto__` included): Object.fromEntries defines them.
 */
export function withoutNulls(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (typeof v !== 'object' || v === null) return v;
  return Object.fromEntries(
    Object.entries(v)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => [k, withoutNulls(x)]),
  );
}

/** Checks and caps settings as they come from the sidebar (or an old saved copy). */
export function validateSettings(given: KpiSettings, lang: Lang): KpiSettings {
  const m = MSG[lang];
  if (typeof given !== 'object' || given === null) throw new Error(m.tab);
  const s = withoutNulls(given) as KpiSettings;
  if (typeof s.leadSheet !== 'string' || s.leadSheet === '') throw new Error(m.tab);
  // Blank (or absent) = the window's actual revenue per period.
  const blank = (v: unknown) => v === undefined || v === '';
  const target = blank(s.revenueTarget) ? undefined : Number(s.revenueTarget);
  if (target !== undefined && (!Number.isFinite(target) || target < 0 || target > MAX_AMOUNT)) {
    throw new Error(m.target(s.revenueTarget));
  }
  // Blank = the actual average deal size.
  const avgDealSize = blank(s.avgDealSize) ? undefined : s.avgDealSize;
  if (avgDealSize !== undefined) {
    const a = Number(avgDealSize);
    if (!Number.isFinite(a) || a <= 0 || a > MAX_AMOUNT) throw new Error(m.avgDeal(s.avgDealSize));
  }
  if (!isIsoDate(s.from)) throw new Error(m.date('start', s.from));
  if (!isIsoDate(s.to)) throw new Error(m.date('end', s.to));
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
  // A blank (null or absent) head count or capacity per head is '': not bound.
  const capacity = s.capacity.map((c) => {
    if (typeof c !== 'object' || c === null || Array.isArray(c)) return bad('capacity', c);
    const out = { ...c, heads: c.heads ?? '', perHead: c.perHead ?? '' };
    for (const v of [out.heads, out.perHead]) {
      if (v !== '' && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) bad('capacity', c);
    }
    return out;
  });
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
  let costs: CostSettings | undefined;
  if (s.costs !== undefined) {
    if (typeof s.costs !== 'object' || s.costs === null || Array.isArray(s.costs))
      bad('costs', s.costs);
    // A blank (null or absent) cost is '': the costs tab's column, or none.
    costs = { ...s.costs };
    for (const k of ['marketing', 'isHeads', 'isPerHead', 'fsHeads', 'fsPerHead'] as const) {
      const v = s.costs[k] ?? '';
      if (v !== '' && !(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= MAX_AMOUNT))
        bad(`costs.${k}`, v);
      costs[k] = v;
    }
  }
  const kpis = s.kpis === undefined ? undefined : validateGoals(s.kpis, lang);
  let stretchMargin: number | undefined;
  if (!blank(s.stretchMargin)) {
    const v = s.stretchMargin;
    if (!(typeof v === 'number' && Number.isFinite(v) && v >= 0 && v <= 10))
      throw new Error(m.stretch(v));
    stretchMargin = v;
  }
  // Blank = the locale's currency.
  const currency = blank(s.currency) ? undefined : s.currency;
  if (currency !== undefined && !isCurrencyCode(currency)) throw new Error(m.currency(currency));
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
    avgDealSize,
    capacity,
    costs,
    why: s.why === undefined ? undefined : cut(s.why, CAPS.why),
    statusMap,
    headerRow,
    targetExclude: (s.targetExclude ?? [])
      .filter((x) => x !== null && x !== undefined)
      .slice(0, CAPS.excludes)
      .map((x) => cut(x, CAPS.text)),
    stageNames: s.stageNames?.slice(0, CAPS.stageNames).map((x) => cut(x, 50)),
    kpis,
    stretchMargin,
    currency,
  };
}

/** One line of text: line breaks and tabs become spaces, the ends trimmed, cut at `n`. */
const oneLine = (v: string, n: number) =>
  v
    .replace(/\r\n|[\r\n\t\v\f\u0085\u2028\u2029]/g, ' ')
    .trim()
    .slice(0, n);

/**
 * The KPI goals (KGI → CSF → KPI): keys are the tree's node ids; CSF and owner one line of text,
 * cut; a target '' or a number ≥ 0 (a rate at most 1, money at most 1,000 trillion); a deadline
 * '' or a real yyyy-mm-dd date. Absent fields stay absent (an absent owner = the node's division).
 */
function validateGoals(kpis: unknown, lang: Lang): Partial<Record<string, KpiGoal>> {
  const m = MSG[lang];
  if (typeof kpis !== 'object' || kpis === null || Array.isArray(kpis))
    throw new Error(m.field('kpis', kpis));
  const out: Partial<Record<string, KpiGoal>> = {};
  for (const [id, goal] of Object.entries(kpis)) {
    if (!isKpiId(id)) throw new Error(m.kpiUnknown(id.slice(0, 60)));
    if (goal === undefined) continue;
    const node = KPI_NODES.find((n) => n.id === id) as (typeof KPI_NODES)[number];
    const name = kpiLabel(lang, id);
    if (typeof goal !== 'object' || goal === null || Array.isArray(goal))
      throw new Error(m.kpiGoal(name, goal));
    const g = goal as Record<string, unknown>;
    const clean: KpiGoal = {};
    for (const what of ['csf', 'owner'] as const) {
      const v = g[what];
      if (v === undefined) continue;
      if (typeof v !== 'string') throw new Error(m.kpiText(name, what, v));
      clean[what] = oneLine(v, GOAL_LIMITS[what]);
    }
    const t = g.target;
    if (t !== undefined) {
      if (t !== '') {
        if (!(typeof t === 'number' && Number.isFinite(t) && t >= 0))
          throw new Error(m.kpiTarget(name, t));
        if (node.unit === 'rate' && t > 1) throw new Error(m.kpiRate(name, t));
        if (t > MAX_AMOUNT) throw new Error(m.kpiAmount(name, t));
      }
      clean.target = t;
    }
    const d = g.deadline;
    if (d !== undefined) {
      if (d !== '' && !(typeof d === 'string' && isIsoDate(d)))
        throw new Error(m.kpiDeadline(name, d));
      clean.deadline = d as string;
    }
    out[id] = clean;
  }
  return out;
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
