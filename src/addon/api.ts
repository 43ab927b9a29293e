/**
 * The sidebar's server API (called through google.script.run) and the menu actions. Plain data
 * in and out: google.script.run cannot carry Dates, so dates travel as ISO strings.
 */

import { hasOwn } from '../core/args';
import { CompanyIndex } from '../core/company';
import { idKey } from '../core/conversion';
import {
  columnDateOrder,
  DAY_MS,
  type DateOrder,
  daysFromCivil,
  isoDay,
  isoMinute,
  localeDateOrder,
  yearMonthOfDay,
  ZoneClock,
} from '../core/dates';
import {
  DATE_FIELDS,
  DEAL_HEADER,
  type Detection,
  detectMapping,
  looksLikeActivityLog,
  type Reason,
  type RowsReason,
} from '../core/detect';
import { type Lang, langOf, localized } from '../core/errors';
import {
  detectExtra,
  EXTRA_COLUMNS,
  type ExtraKind,
  type ExtraTab,
  extraHeaderRow,
} from '../core/extraTabs';
import { detectColumns, type LeadField, normaliseHeader, TEMPLATE_HEADERS } from '../core/headers';
import { findHeaderRow, type LeadMapping, readLeadTable } from '../core/leads';
import { maxOf, minOf } from '../core/numbers';
import {
  ADOPT_NAMES,
  assumedInputs,
  buildModels,
  calculatingText,
  DEFINITIONS_HEADER,
  definitionsRow,
  type KpiSettings,
  moneyFormat,
  readerForColumns,
  SHEET_NAMES,
  treeVocabulary,
  trustNotes,
  windowActuals,
} from '../core/report';
import { guessStage, type RowKind } from '../core/stages';
import { utilitiesOffset } from '../functions/env';
import { loadSettings, saveSettings, validateSettings, withoutNulls } from './settings';
import {
  appendRows,
  guardText,
  heal,
  logModel,
  ownedSheets,
  replaceSheets,
  SwapError,
  type WriteResult,
} from './writer';

const DEFINITION_KEY = 'kpi.definitionFingerprint';

const MSG = {
  en: {
    noTab: (n: string) => `There is no tab named "${n}".`,
    noCreated: 'Choose the column that holds the lead created date.',
    busy: 'Another build is running. Try again in a minute.',
    empty: (n: string) => `The tab "${n}" has no data rows under its header.`,
    noTree: 'Build the KPI sheets first: there is no KPI tree to snapshot.',
    swapFailed: (report: 'previous' | 'new', why: string) =>
      report === 'previous'
        ? `The build failed (${why}). Your previous KPI sheets are unchanged; build again to retry.`
        : `The build stopped part-way (${why}). Some KPI sheets already show the new build — each sheet is whole, and the KPI tree says "rebuild incomplete" until a build completes. Build again to finish.`,
    notReady: (node: string, value: string) =>
      `The KPI tree is not ready to snapshot: "${node}" shows ${value}. Wait until it has computed, then try again.`,
    nodeError: (node: string, value: string) =>
      `The KPI tree shows an error, so nothing was recorded: "${node}" is ${value}. Hover over the cell to see why (a custom function failed or ran past 30 seconds), fix it or build again, then take the snapshot.`,
    badWindow: 'The reporting window is not valid (start must be on or before end).',
    noDates: (h: string, rows: number[], ex: string) =>
      `No date in the column "${h}" can be read${rows.length ? ` (rows ${rows.join(', ')}…, e.g. "${ex}")` : ''}: choose the created-date column or fix its dates.`,
    emptyWindow: (from: string, to: string, first: string, last: string) =>
      `No lead is created in the window ${from} … ${to}: the created dates run from ${first} to ${last}. Choose a window within the data.`,
    reason: {
      header: (h: string) => `"${h}": named so`,
      earliest: (h: string, pct: number) => `"${h}": the earliest date in ${pct} % of rows`,
      statusValues: (h: string, ex: string) => `"${h}": its values say won or lost (${ex})`,
      companyLike: (h: string, ex: string) => `"${h}": values look like companies ("${ex}")`,
      manual: (h: string) => `"${h}": chosen by you`,
      close: (h: string, s: string) =>
        `"${h}" is a closing date: the won date where "${s}" means won, the lost date where it means lost`,
      closeNoStatus: (h: string) =>
        `"${h}" is a closing date: map a status column to tell won from lost (until then it is not used)`,
    },
    rows: {
      lead: 'Each row is a lead.',
      mql: 'Each row is an MQL (leads before MQL are not in this tab).',
      deal: 'Each row is a deal (an opportunity export): leads and MQL are not in this tab.',
    } as Record<RowKind, string>,
    rowsWhy: {
      default: '',
      idHeader: (h: string) => ` (from the column "${h}")`,
      dealHeaders: (h: string) => ` (from the column "${h}")`,
      tabName: (n: string) => ` (from the tab name "${n}")`,
      closedStages: (ex: string) => ` (its stages close as ${ex})`,
    },
    order: (h: string, o: DateOrder, by: 'data' | 'locale', ex?: string) =>
      `"${h}": text dates read ${o === 'dmy' ? 'day first (20/10/2017)' : 'month first (10/20/2016)'}${by === 'data' ? ` — the column shows it ("${ex}")` : ' — as the spreadsheet locale writes dates'}`,
    orderConflict: (h: string, a: string, b: string) =>
      `"${h}": mixes day-first ("${a}") and month-first ("${b}") dates: check the column`,
    activityLog: (n: string, better: string | null) =>
      `"${n}" looks like an activity log (several rows per company, no status or stage dates): its rows would be counted as leads.${better ? ` The lead list is more likely "${better}".` : ''}`,
    join: {
      id: (l: string, d: string, n: number, of: number) =>
        `Deals are joined to leads by "${l}" = "${d}": ${n} of ${of} deals match a lead.`,
      company: (n: number, of: number) =>
        `Deals are joined to leads by company: ${n} of ${of} deals match a lead's company.`,
      none: 'The deals tab shares no lead ID or company column with the lead tab: the funnel counts its deals, the cohort cannot follow leads into them.',
    },
  },
  ja: {
    noTab: (n: string) => `「${n}」という名前のタブはありません。`,
    noCreated: 'リードの作成日の列を選んでください。',
    busy: '別のビルドが実行中です。しばらくしてからもう一度お試しください。',
    empty: (n: string) => `タブ「${n}」にはヘッダーの下にデータ行がありません。`,
    noTree: '先にKPIシートを作成してください（スナップショットするKPIツリーがありません）。',
    swapFailed: (report: 'previous' | 'new', why: string) =>
      report === 'previous'
        ? `作成に失敗しました（${why}）。前回のKPIシートはそのまま残っています。もう一度作成してください。`
        : `作成が途中で止まりました（${why}）。一部のKPIシートは新しい内容になっています（各シートは完全な状態です）。完了するまでKPIツリーに「再作成が完了していません」と表示されます。もう一度「作成」を実行してください。`,
    notReady: (node: string, value: string) =>
      `KPIツリーの計算が終わっていません（「${node}」が ${value}）。計算が終わってからもう一度お試しください。`,
    nodeError: (node: string, value: string) =>
      `KPIツリーにエラーがあるため記録しませんでした（「${node}」が ${value}）。セルにマウスを合わせると原因が表示されます（関数の失敗、または30秒を超えた計算）。直すか作成し直してから、もう一度記録してください。`,
    badWindow: '集計期間が正しくありません（開始日は終了日以前にしてください）。',
    noDates: (h: string, rows: number[], ex: string) =>
      `列「${h}」に読み取れる日付がありません${rows.length ? `（${rows.join(', ')}行目 ほか、例: "${ex}"）` : ''}。作成日の列を選び直すか、日付を修正してください。`,
    emptyWindow: (from: string, to: string, first: string, last: string) =>
      `集計期間 ${from} 〜 ${to} に作成されたリードがありません（作成日は ${first} 〜 ${last}）。データのある期間を選んでください。`,
    reason: {
      header: (h: string) => `「${h}」: 列名から`,
      earliest: (h: string, pct: number) => `「${h}」: ${pct}% の行で最も早い日付`,
      statusValues: (h: string, ex: string) => `「${h}」: 値が受注・失注を表す（${ex}）`,
      companyLike: (h: string, ex: string) => `「${h}」: 会社名らしい値（「${ex}」）`,
      manual: (h: string) => `「${h}」: 手動で選択`,
      close: (h: string, s: string) =>
        `「${h}」は完了日です: 「${s}」が受注の行では受注日、失注の行では失注日として数えます`,
      closeNoStatus: (h: string) =>
        `「${h}」は完了日です: 受注と失注を見分けるステータス列を対応づけてください（それまでは使いません）`,
    },
    rows: {
      lead: '1行が1リードです。',
      mql: '1行が1件のMQLです（MQLより前のリードはこのタブにありません）。',
      deal: '1行が1件の商談です（商談のエクスポート。リードとMQLはこのタブにありません）。',
    } as Record<RowKind, string>,
    rowsWhy: {
      default: '',
      idHeader: (h: string) => `（列「${h}」から判断）`,
      dealHeaders: (h: string) => `（列「${h}」から判断）`,
      tabName: (n: string) => `（タブ名「${n}」から判断）`,
      closedStages: (ex: string) => `（ステージが ${ex} で決着）`,
    },
    order: (h: string, o: DateOrder, by: 'data' | 'locale', ex?: string) =>
      `「${h}」: 文字の日付を${o === 'dmy' ? '日/月/年（20/10/2017）' : '月/日/年（10/20/2016）'}の順に読みます${by === 'data' ? `（列の値「${ex}」から判断）` : '（スプレッドシートの地域設定から）'}`,
    orderConflict: (h: string, a: string, b: string) =>
      `「${h}」: 日/月/年（「${a}」）と月/日/年（「${b}」）の日付が混在しています。列を確認してください`,
    activityLog: (n: string, better: string | null) =>
      `「${n}」は活動ログのようです（1社に複数行、ステータスやステージの日付がない）。このままでは活動がリードとして数えられます。${better ? `リード一覧はおそらく「${better}」です。` : ''}`,
    join: {
      id: (l: string, d: string, n: number, of: number) =>
        `商談はリードと「${l}」=「${d}」で結びつけます: ${of}件中${n}件の商談がリードに一致します。`,
      company: (n: number, of: number) =>
        `商談はリードと会社名で結びつけます: ${of}件中${n}件の商談がリードの会社に一致します。`,
      none: '商談タブにはリードタブと共通のリードIDや会社名の列がありません。ファネルは商談を数えますが、コホートはリードから商談を追えません。',
    },
  },
};

function context(): {
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
  lang: Lang;
  clock: ZoneClock;
  tz: string;
  localeOrder: DateOrder;
} {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const tz = ss.getSpreadsheetTimeZone();
  const locale = ss.getSpreadsheetLocale();
  return {
    ss,
    lang: langOf(locale),
    // The same clock as the custom functions': Intl, checked against Utilities.formatDate.
    clock: new ZoneClock(tz, utilitiesOffset(tz)),
    tz,
    localeOrder: localeDateOrder(locale),
  };
}

/**
 * Releases the document lock; a failure to release is not the user's problem (Apps Script drops
 * an execution's locks when it ends) and must not turn a finished build into an error.
 */
function releaseQuietly(lock: GoogleAppsScript.Lock.Lock): void {
  try {
    lock.releaseLock();
  } catch {
    // released when the execution ends
  }
}

/** Runs an API body; domain errors become messages in the spreadsheet's language. */
function api<T>(body: (c: ReturnType<typeof context>) => T): T {
  const c = context();
  return localized(c.lang, () => body(c));
}

/** How much a header row looks like a lead list: the number of lead fields it names. */
export function headerScore(header: readonly unknown[]): number {
  return Object.keys(detectColumns(header)).length;
}

/** A header row of a deal (opportunity) export: deal IDs or names, or Pipedrive's prefixes. */
function isDealHeader(header: readonly unknown[]): boolean {
  return header.some(
    (h) => /^\s*deal\s+-\s+/i.test(String(h)) || DEAL_HEADER.test(normaliseHeader(h)),
  );
}

export interface TabInfo {
  name: string;
  rows: number;
  score: number;
}

/** The user's tabs (never the generated ones), and the one that looks most like a lead list. */
export function kpiListTabs(): { tabs: TabInfo[]; suggested: string | null } {
  return api(({ ss }) => {
    const generated = ownedSheets(ss, PropertiesService.getDocumentProperties()).ids;
    const tabs: TabInfo[] = [];
    const deals = new Set<string>();
    for (const sheet of ss.getSheets()) {
      if (generated.has(sheet.getSheetId())) continue;
      const cols = sheet.getLastColumn();
      const rows = sheet.getLastRow();
      const header = cols > 0 ? sheet.getRange(1, 1, 1, cols).getValues()[0] : [];
      tabs.push({ name: sheet.getName(), rows: Math.max(0, rows - 1), score: headerScore(header) });
      if (isDealHeader(header)) deals.add(sheet.getName());
    }
    // A deals tab beside a lead tab is the optional second tab, not the lead list.
    const best = [...tabs].sort(
      (a, b) =>
        Number(deals.has(a.name)) - Number(deals.has(b.name)) ||
        b.score - a.score ||
        b.rows - a.rows,
    )[0];
    return { tabs, suggested: best && best.score > 0 ? best.name : null };
  });
}

/** Shows a cell as text for the preview (dates in the sheet's zone as yyyy-mm-dd). */
function previewText(v: unknown, clock: ZoneClock): string {
  if (Object.prototype.toString.call(v) === '[object Date]') {
    const t = (v as Date).getTime();
    return Number.isNaN(t) ? '' : isoDay(Math.floor(clock.toLocal(t) / DAY_MS));
  }
  return v === null || v === undefined ? '' : String(v).slice(0, 80);
}

export interface TabInspection {
  name: string;
  /** 1-based row of the headers (a title row above them is skipped). */
  headerRow: number;
  rows: number;
  header: string[];
  mapping: LeadMapping;
  fields: LeadField[];
  preview: string[][];
  issues: {
    field: string;
    header: string;
    kind: string;
    count: number;
    firstRows: number[];
    example: string;
  }[];
  /** Distinct status values with counts and the stage each most likely means. */
  statuses: { value: string; count: number; guess: string }[];
  ranks: string[];
  defaults: Pick<KpiSettings, 'from' | 'to' | 'period'> & { avgDealSize: number | null };
  /** What a row of the tab is, and why. */
  rowsAre: RowKind;
  /** Why each field's column was chosen, in the user's language. */
  reasons: Partial<Record<LeadField, string>>;
  /** What was detected and how it will be read (rows, closing dates, text-date order). */
  notes: string[];
  /** Things to fix or check before building. */
  warnings: string[];
  /** The created dates' range (ISO), or null when none is readable. */
  dataRange: { first: string; last: string } | null;
}

export interface DealsInspection extends TabInspection {
  joinBy: 'id' | 'company' | 'none';
  leadKey?: number;
  dealKey?: number;
}

function renderReason(lang: Lang, r: Reason): string {
  const m = MSG[lang].reason;
  switch (r.code) {
    case 'header':
      return m.header(r.header);
    case 'earliest':
      return m.earliest(r.header, r.pct);
    case 'statusValues':
      return m.statusValues(r.header, r.examples.join(', '));
    case 'companyLike':
      return m.companyLike(r.header, r.example);
    case 'manual':
      return m.manual(r.header);
  }
}

function renderRows(lang: Lang, rows: RowKind, why: RowsReason): string {
  const m = MSG[lang];
  const w = m.rowsWhy;
  const because =
    why.code === 'default'
      ? ''
      : why.code === 'tabName'
        ? w.tabName(why.name)
        : why.code === 'closedStages'
          ? w.closedStages(why.examples.join(', '))
          : w[why.code](why.header);
  return m.rows[rows] + because;
}

/** The tab's values read once, its header row and its detected mapping. */
function readTab(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  lang: Lang,
  name: string,
): { values: unknown[][]; headerRow: number } {
  const sheet = ss.getSheetByName(name);
  if (!sheet) throw new Error(MSG[lang].noTab(name));
  const values = sheet.getDataRange().getValues();
  return { values, headerRow: findHeaderRow(values) };
}

/** Inspection of one tab with a detection (or the user's mapping, explained against it). */
function inspectValues(
  c: ReturnType<typeof context>,
  name: string,
  values: unknown[][],
  headerRow: number,
  detection: Detection,
  mapping: LeadMapping | undefined,
  rowsAre: RowKind,
): TabInspection {
  const { lang, clock, localeOrder } = c;
  const header = (values[headerRow - 1] ?? []).map((h) => String(h));
  // A column left blank may arrive as null through google.script.run: blank = not mapped.
  const map = mapping ? (withoutNulls(mapping) as LeadMapping) : detection.mapping;
  const readerFor = readerForColumns(clock, localeOrder);
  const table = readLeadTable(values, map, clock, {}, headerRow, readerFor);
  const fields = Object.keys(map) as LeadField[];
  // Dates as yyyy-mm-dd however the tab writes them (text in the column's day/month order).
  const readers = new Map(
    fields
      .filter((f) => DATE_FIELDS.includes(f))
      .map((f) => [f, readerFor(values.slice(headerRow).map((r) => r[map[f] as number]))]),
  );
  const preview = values.slice(headerRow, headerRow + 5).map((r) =>
    fields.map((f) => {
      const v = r[map[f] as number];
      const reader = readers.get(f);
      // Through the column's reader: a Date cell the spreadsheet misread (a half-parsed column)
      // shows its real date, as the KPI sheets count it.
      if (
        reader &&
        (typeof v === 'string' || Object.prototype.toString.call(v) === '[object Date]')
      ) {
        try {
          const ms = reader.read(v, f, 0);
          if (!Number.isNaN(ms)) return isoDay(Math.floor(ms / DAY_MS));
        } catch {
          // unreadable: shown as written (the problems list names it)
        }
      }
      return previewText(v, clock);
    }),
  );
  const reasons: Partial<Record<LeadField, string>> = {};
  for (const f of fields) {
    const col = map[f] as number;
    const detected = detection.mapping[f] === col ? detection.reasons[f] : undefined;
    reasons[f] = renderReason(lang, detected ?? { code: 'manual', header: header[col] ?? '' });
  }
  const m = MSG[lang];
  const notes: string[] = [renderRows(lang, rowsAre, detection.rowsReason)];
  if (map.closeDate !== undefined) {
    notes.push(
      map.status !== undefined
        ? m.reason.close(header[map.closeDate], header[map.status])
        : m.reason.closeNoStatus(header[map.closeDate]),
    );
  }
  const body = values.slice(headerRow);
  for (const f of DATE_FIELDS) {
    const col = map[f];
    if (col === undefined) continue;
    const texts = body.map((r) => r[col]);
    const order = columnDateOrderOf(texts, localeOrder);
    if (!order.hasText) continue;
    if (order.conflict)
      notes.push(m.orderConflict(header[col], order.conflict.dmy, order.conflict.mdy));
    else notes.push(m.order(header[col], order.order, order.decidedBy, order.example));
  }
  const created = table.rows.map((r) => r.created).filter((d) => !Number.isNaN(d));
  const lastDay =
    created.length > 0 ? maxOf(created) : Math.floor(clock.toLocal(Date.now()) / DAY_MS); // today, in the sheet's zone
  const { y, m: mo } = yearMonthOfDay(lastDay);
  const won = table.rows.filter(
    (r) => !Number.isNaN(r.amount) && (!Number.isNaN(r.won) || rowsAre === 'deal'),
  );
  return {
    name,
    headerRow,
    rows: Math.max(0, values.length - headerRow),
    header,
    mapping: map,
    fields,
    preview,
    issues: table.issues,
    statuses: table.statusValues.map((v) => ({ ...v, guess: guessStage(v.value, rowsAre) })),
    ranks: table.rankValues,
    defaults: {
      period: 'month',
      // The last twelve whole months up to the latest lead.
      from: isoDay(daysFromCivil(mo === 12 ? y : y - 1, mo === 12 ? 1 : mo + 1, 1)),
      to: isoDay(daysFromCivil(mo === 12 ? y + 1 : y, mo === 12 ? 1 : mo + 1, 1) - 1),
      avgDealSize:
        won.length > 0 && map.wonDate !== undefined
          ? Math.round(won.reduce((s, r) => s + r.amount, 0) / won.length)
          : null,
    },
    rowsAre,
    reasons,
    notes,
    warnings: [],
    dataRange: created.length > 0 ? { first: isoDay(minOf(created)), last: isoDay(lastDay) } : null,
  };
}

/** columnDateOrder over a column, and whether it holds any text at all. */
function columnDateOrderOf(values: readonly unknown[], localeOrder: DateOrder) {
  // Only text whose year comes last has a day/month question (2017-10-20 has none).
  const hasText = values.some(
    (v) => typeof v === 'string' && /^\s*\d{1,2}\s*[/.-]\s*\d{1,2}\s*[/.-]\s*\d{4}/.test(v),
  );
  return { hasText, ...columnDateOrder(values, localeOrder) };
}

/** Reads a tab once: detected mapping (or the given one), preview, validation summary. */
export function kpiInspectTab(
  name: string,
  mapping?: LeadMapping,
  rowsAre?: RowKind,
): TabInspection {
  return api((c) => {
    const { ss, lang, clock, localeOrder } = c;
    const { values, headerRow } = readTab(ss, lang, name);
    const detection = detectMapping(values, headerRow, name, clock, localeOrder);
    const rows = rowsAre ?? detection.rows;
    const ins = inspectValues(c, name, values, headerRow, detection, mapping, rows);
    if (looksLikeActivityLog(values, headerRow, ins.mapping)) {
      ins.warnings.push(MSG[lang].activityLog(name, betterLeadTab(ss, name)));
    }
    return ins;
  });
}

/** Another user tab that names stage or status columns: the likelier lead list. */
function betterLeadTab(
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet,
  except: string,
): string | null {
  const generated = ownedSheets(ss, PropertiesService.getDocumentProperties()).ids;
  let best: string | null = null;
  let bestScore = 0;
  for (const sheet of ss.getSheets()) {
    if (generated.has(sheet.getSheetId()) || sheet.getName() === except) continue;
    const cols = sheet.getLastColumn();
    if (cols === 0) continue;
    const found = detectColumns(sheet.getRange(1, 1, 1, cols).getValues()[0]);
    const stages = ['status', 'mqlDate', 'dealDate', 'wonDate', 'closeDate'].filter(
      (f) => found[f as LeadField] !== undefined,
    ).length;
    const score = stages > 0 ? Object.keys(found).length : 0;
    if (score > bestScore) {
      best = sheet.getName();
      bestScore = score;
    }
  }
  return best;
}

/** Reads the optional deals tab: its mapping (rows are deals) and how it joins the lead tab. */
export function kpiInspectDeals(
  name: string,
  leadSheet: string,
  leadMapping: LeadMapping,
  mapping?: LeadMapping,
): DealsInspection {
  return api((c) => {
    const { ss, lang, clock, localeOrder } = c;
    const { values, headerRow } = readTab(ss, lang, name);
    const detection = detectMapping(values, headerRow, name, clock, localeOrder, 'deal');
    const ins = inspectValues(c, name, values, headerRow, detection, mapping, 'deal');
    ins.notes.shift(); // "each row is a deal" goes without saying here
    const lead = readTab(ss, lang, leadSheet);
    const leadHeader = (lead.values[lead.headerRow - 1] ?? []).map(normaliseHeader);
    const dealHeader = ins.header.map(normaliseHeader);
    const join: Pick<DealsInspection, 'joinBy' | 'leadKey' | 'dealKey'> = { joinBy: 'none' };
    // By ID: a column of the deals tab named like the lead tab's ID column (mql_id = mql_id),
    // or like a lead ID (Lead ID, リードID, contact ID).
    const leadMap = withoutNulls(leadMapping) as LeadMapping;
    const leadId = leadMap.id;
    if (leadId !== undefined) {
      // The same name in both tabs joins them — unless it is a generic record ID (HubSpot's
      // "Record ID", kintone's レコード番号), which in a deals tab numbers the deals themselves.
      const generic = ['id', 'recordid', 'レコード番号', 'レコードid', 'no', '番号'];
      const named = generic.includes(leadHeader[leadId])
        ? -1
        : dealHeader.indexOf(leadHeader[leadId]);
      const leadLike = dealHeader.findIndex((h) =>
        ['leadid', 'リードid', 'mqlid', 'contactid', 'リード番号'].includes(h),
      );
      const dealKey = named >= 0 ? named : leadLike;
      if (dealKey >= 0) Object.assign(join, { joinBy: 'id', leadKey: leadId, dealKey });
    }
    if (join.joinBy === 'none') {
      const leadCompany = leadMap.company ?? leadMap.email;
      const dealCompany = ins.mapping.company;
      if (leadCompany !== undefined && dealCompany !== undefined) {
        Object.assign(join, { joinBy: 'company', leadKey: leadCompany, dealKey: dealCompany });
      }
    }
    const m = MSG[lang].join;
    if (join.joinBy === 'none') {
      ins.notes.unshift(m.none);
    } else {
      const matched = matchCount(
        lead.values.slice(lead.headerRow).map((r) => r[join.leadKey as number]),
        values.slice(headerRow).map((r) => r[join.dealKey as number]),
        join.joinBy,
      );
      ins.notes.unshift(
        join.joinBy === 'id'
          ? m.id(
              String(lead.values[lead.headerRow - 1][join.leadKey as number]),
              ins.header[join.dealKey as number],
              matched.matched,
              matched.total,
            )
          : m.company(matched.matched, matched.total),
      );
    }
    return { ...ins, ...join };
  });
}

/** How many deal keys find a lead key (IDs as text; companies by company key). */
function matchCount(
  leadKeys: readonly unknown[],
  dealKeys: readonly unknown[],
  by: 'id' | 'company',
): { matched: number; total: number } {
  const companies = new CompanyIndex();
  const key = (v: unknown) => (by === 'company' ? String(companies.id(v)) : idKey(v));
  const leads = new Set(leadKeys.map(key).filter((k) => k !== '' && k !== '-1'));
  let matched = 0;
  let total = 0;
  for (const v of dealKeys) {
    const k = key(v);
    if (k === '' || k === '-1') continue;
    total++;
    if (leads.has(k)) matched++;
  }
  return { matched, total };
}

/** An optional tab (customers, target list, activity log, costs) as the sidebar shows it. */
export interface ExtraInspection {
  name: string;
  kind: ExtraKind;
  headerRow: number;
  header: string[];
  columns: ExtraTab['columns'];
  /** Data rows below the header row. */
  rows: number;
}

/** Finds the columns of an optional tab from its first rows (two reads, whatever its size). */
export function kpiInspectExtra(name: string, kind: ExtraKind): ExtraInspection {
  return api(({ ss, lang }) => {
    if (!hasOwn(EXTRA_COLUMNS, kind)) throw new Error(`unknown tab kind: ${String(kind)}`);
    const sheet = ss.getSheetByName(name);
    if (!sheet) throw new Error(MSG[lang].noTab(name));
    const lastRow = sheet.getLastRow();
    const lastCol = sheet.getLastColumn();
    const top =
      lastRow > 0 && lastCol > 0
        ? sheet.getRange(1, 1, Math.min(6, lastRow), Math.min(lastCol, 200)).getValues()
        : [];
    const headerRow = extraHeaderRow(kind, top);
    const header = (top[headerRow - 1] ?? []).map((h) => String(h ?? ''));
    return {
      name,
      kind,
      headerRow,
      header,
      columns: detectExtra(kind, header),
      rows: Math.max(0, lastRow - headerRow),
    };
  });
}

/** The spreadsheet's language, for the sidebar's labels. */
export function kpiLocale(): Lang {
  return langOf(SpreadsheetApp.getActiveSpreadsheet().getSpreadsheetLocale());
}

/** Shows a generated sheet (the sidebar's links). */
export function kpiActivate(name: string): void {
  const sheet = SpreadsheetApp.getActiveSpreadsheet().getSheetByName(name);
  if (sheet) sheet.activate();
}

export function kpiLoadSettings(): KpiSettings | null {
  return loadSettings(PropertiesService.getDocumentProperties());
}

export interface BuildResult {
  sheets: WriteResult['sheets'];
  issues: number;
  /** Stages the data cannot measure, and contradictions among the measured ones. */
  checks: string[];
  /** Plan inputs that hold a built-in assumption (labels in the build's language). */
  assumptions: string[];
}

/** Builds (or rebuilds) the KPI sheets. */
export function kpiBuild(settings: KpiSettings): BuildResult {
  return api(({ ss, lang, clock, localeOrder }) => {
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(5000)) throw new Error(MSG[lang].busy);
    try {
      const s = validateSettings(
        settings && typeof settings === 'object'
          ? {
              ...settings,
              lang: settings.lang === 'en' || settings.lang === 'ja' ? settings.lang : lang,
              locale: ss.getSpreadsheetLocale(),
            }
          : settings,
        lang,
      );
      if (s.mapping.created === undefined) throw new Error(MSG[lang].noCreated);
      if (!(s.from <= s.to)) throw new Error(MSG[lang].badWindow);
      const sheet = ss.getSheetByName(s.leadSheet);
      if (!sheet) throw new Error(MSG[lang].noTab(s.leadSheet));
      const values = sheet.getDataRange().getValues(); // the one read of the lead tab
      const headerRow = s.headerRow ?? 1;
      if (values.length <= headerRow) throw new Error(MSG[lang].empty(s.leadSheet));
      let dealValues: unknown[][] | undefined;
      if (s.deals) {
        const dealSheet = ss.getSheetByName(s.deals.sheet);
        if (!dealSheet) throw new Error(MSG[lang].noTab(s.deals.sheet));
        dealValues = dealSheet.getDataRange().getValues(); // and the one read of the deals tab
      }
      const readerFor = readerForColumns(clock, localeOrder);
      const table = readLeadTable(
        values,
        s.mapping,
        clock,
        { exclude: s.targetExclude },
        headerRow,
        readerFor,
      );
      if (table.rows.length === 0) throw new Error(MSG[lang].empty(s.leadSheet));
      const created = table.rows.map((r) => r.created).filter((d) => !Number.isNaN(d));
      if (created.length === 0) {
        const issue = table.issues.find((i) => i.field === 'created');
        throw new Error(
          MSG[lang].noDates(
            table.header[s.mapping.created] ?? '',
            issue?.firstRows ?? [],
            issue?.example ?? '',
          ),
        );
      }
      // A window with no lead in it would build a report of zeros: refuse, naming both ranges.
      const first = isoDay(minOf(created));
      const last = isoDay(maxOf(created));
      if (!created.some((d) => isoDay(d) >= s.from && isoDay(d) <= s.to)) {
        throw new Error(MSG[lang].emptyWindow(s.from, s.to, first, last));
      }
      // The window's totals, once: the tree's plan defaults and the result's notes share them.
      const actuals = windowActuals(values, s, clock, localeOrder, dealValues);
      const models = buildModels(s, table, values, clock, localeOrder, dealValues, actuals);
      const props = PropertiesService.getDocumentProperties();
      // Saved before the swap: a run killed after it still rebuilds from the menu.
      const previousSettings = loadSettings(props);
      saveSettings(props, s, lang);
      const log = logModel(
        'definitions',
        SHEET_NAMES[s.lang].definitions,
        DEFINITIONS_HEADER[s.lang],
      );
      let result: WriteResult;
      try {
        result = replaceSheets(ss, props, models, ADOPT_NAMES, [log], true);
      } catch (e) {
        if (e instanceof SwapError) throw new Error(MSG[lang].swapFailed(e.report, e.message));
        throw e;
      }
      try {
        const { row, fingerprint } = definitionsRow(
          s,
          isoMinute(clock.toLocal(Date.now())),
          props.getProperty(DEFINITION_KEY) ?? undefined,
          previousSettings,
          table.header,
        );
        const logSheet = result.generated.get('definitions');
        if (logSheet) appendRows(logSheet, [row]);
        props.setProperty(DEFINITION_KEY, fingerprint);
      } catch (e) {
        throw new Error(MSG[lang].swapFailed('new', String((e as Error)?.message ?? e)));
      }
      // The manager lands on the tree (a failure to switch sheets is no build failure).
      try {
        result.generated.get('kpi-tree')?.activate();
      } catch {
        // the sidebar's links still open it
      }
      return {
        sheets: result.sheets,
        issues: table.issues.reduce((n, i) => n + i.count, 0),
        checks: trustNotes(s, actuals),
        assumptions: assumedInputs(s, actuals),
      };
    } finally {
      releaseQuietly(lock);
    }
  });
}

const RATE_NODES = new Set(['winRate', 'dealRate', 'mqlRate', 'targetShare', 'closedWinRate']);
const MONEY_NODES = new Set(['revenue', 'avgDeal', 'cac']);
const DAY_NODES = new Set(['leadToDeal', 'dealToWon']);

/** Number formats of a history row: plan and actual as the node shows them, achievement in %. */
function snapshotFormats(node: string, money: string): (string | null)[] {
  const value = RATE_NODES.has(node)
    ? '0.0%'
    : MONEY_NODES.has(node)
      ? money
      : DAY_NODES.has(node)
        ? '#,##0.0'
        : '#,##0';
  return [null, null, null, value, value, '0.0%', null, null, `+${money};-${money};${money}`];
}

/**
 * Appends one row per KPI-tree node to the history: node id, name, owner, plan, actual,
 * achievement, the window, and when (local time in the spreadsheet's zone). Refuses while any
 * value is an error or still computing, so the history never keeps a half-evaluated tree.
 */
export function kpiSnapshot(): { rows: number } {
  return api(({ ss, lang, tz }) => {
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(5000)) throw new Error(MSG[lang].busy);
    try {
      const props = PropertiesService.getDocumentProperties();
      const tree = heal(ss, props).owned.get('kpi-tree');
      if (!tree) throw new Error(MSG[lang].noTree);
      const values = tree.getDataRange().getValues();
      const settings = loadSettings(props);
      const treeLang = settings?.lang ?? lang;
      const v = treeVocabulary(treeLang);
      const calculating = [calculatingText('ja'), calculatingText('en')];
      const bad = (x: unknown) =>
        typeof x === 'string' &&
        (/^#[A-Z/0-9!?]+/.test(x) || /^(Loading|読み込み中)/.test(x) || calculating.includes(x));
      const window = settings ? `${settings.from} … ${settings.to}` : '';
      const money = moneyFormat(settings?.locale ?? ss.getSpreadsheetLocale());
      const when = Utilities.formatDate(new Date(), tz, 'yyyy-MM-dd HH:mm:ss');
      const rows: (string | number)[][] = [];
      // A node box: label (division beside it), then Plan / Actual / Achievement rows.
      for (let r = 0; r + 3 < values.length; r++) {
        for (let c = 0; c + 1 < values[r].length; c++) {
          const label = values[r][c];
          if (typeof label !== 'string' || v.ids[label] === undefined) continue;
          if (values[r + 1][c] !== v.plan || values[r + 2][c] !== v.actual) continue;
          const [plan, actual, achievement] = [1, 2, 3].map((k) => values[r + k][c + 1]);
          // The box's effect on revenue (a number, or "no data"; off the revenue path: blank).
          const hasEffect = v.effects.includes(values[r + 4]?.[c] as string);
          const raw = hasEffect ? values[r + 4][c + 1] : '';
          const effect = typeof raw === 'number' || raw === v.noData ? raw : '';
          const shown = [actual, plan, achievement, raw].find(bad);
          if (shown !== undefined) {
            const text = String(shown);
            throw new Error(
              text.startsWith('#')
                ? MSG[lang].nodeError(label, text)
                : MSG[lang].notReady(label, text),
            );
          }
          rows.push([
            v.ids[label],
            label,
            String(values[r][c + 1] ?? ''),
            plan as string | number,
            actual as string | number,
            achievement as string | number,
            window,
            when,
            effect as string | number,
          ]);
        }
      }
      if (rows.length === 0) throw new Error(MSG[lang].noTree);
      const header =
        lang === 'ja'
          ? [
              'ノードID',
              'KPI',
              '担当',
              '計画',
              '実績',
              '達成率',
              '期間',
              '取得日時',
              '売上への影響',
            ]
          : [
              'node id',
              'KPI',
              'owner',
              'plan',
              'actual',
              'achievement',
              'window',
              'taken at',
              'effect on revenue',
            ];
      const history =
        heal(ss, props).owned.get('history') ??
        replaceSheets(ss, props, [], undefined, [
          logModel('history', SHEET_NAMES[lang].history, header),
        ]).generated.get('history');
      // A history begun before the effect column: give that column its header once.
      if (history && history.getRange(1, header.length).getValue() === '')
        history.getRange(1, header.length).setValue(header[header.length - 1]);
      if (history)
        appendRows(
          history,
          rows,
          rows.map((r) => snapshotFormats(String(r[0]), money)),
        );
      return { rows: rows.length };
    } finally {
      releaseQuietly(lock);
    }
  });
}

/** A new lead tab with the standard headers, status/rank lists and date formats. */
export function kpiInsertTemplate(): { name: string } {
  return api(({ ss, lang }) => {
    const base = lang === 'ja' ? 'リード' : 'Leads';
    let name = base;
    for (let n = 2; ss.getSheetByName(name); n++) name = `${base} (${n})`;
    const sheet = ss.insertSheet(name);
    const headers = TEMPLATE_HEADERS[lang];
    sheet
      .getRange(1, 1, 1, headers.length)
      .setValues([headers.map(guardText)])
      .setFontWeight('bold');
    sheet.setFrozenRows(1);
    const statuses =
      lang === 'ja'
        ? ['新規', 'MQL', '商談化', '受注', '失注', 'ナーチャリング']
        : ['New', 'MQL', 'Deal', 'Won', 'Lost', 'Nurture'];
    const rows = 999;
    sheet
      .getRange(2, 8, rows, 1)
      .setDataValidation(
        SpreadsheetApp.newDataValidation().requireValueInList(statuses, true).build(),
      );
    sheet
      .getRange(2, 9, rows, 1)
      .setDataValidation(
        SpreadsheetApp.newDataValidation().requireValueInList(['A', 'B', 'C', 'D'], true).build(),
      );
    sheet.getRangeList(['B2:B1000', 'J2:M1000']).setNumberFormat('yyyy-mm-dd');
    return { name };
  });
}
