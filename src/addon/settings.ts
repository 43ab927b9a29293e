/**
 * The sidebar's settings in document properties: validated (clear messages in the user's
 * language), capped, and stored in chunks so that no value passes the Properties service's 9 KB
 * limit however many status values or how long a reason the user has.
 */
import type { Lang } from '../core/errors';
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
    save: (why: string) => `設定を保存できなかったため、作成しませんでした: ${why}`,
    tooBig: '設定が大きすぎて保存できません（ステータスの値や列が多すぎます）。',
  },
};

const cut = (s: unknown, n: number) => String(s ?? '').slice(0, n);
const ISO = /^\d{4}-\d{2}-\d{2}$/;

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
  if (!ISO.test(String(s.from))) throw new Error(m.date('start', s.from));
  if (!ISO.test(String(s.to))) throw new Error(m.date('end', s.to));
  let statusMap: Record<string, string> | undefined;
  if (s.statusMap) {
    statusMap = {};
    for (const [k, v] of Object.entries(s.statusMap).slice(0, CAPS.statuses)) {
      statusMap[cut(k, CAPS.text)] = cut(v, 20);
    }
  }
  return {
    ...s,
    revenueTarget: target,
    why: s.why === undefined ? undefined : cut(s.why, CAPS.why),
    statusMap,
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
