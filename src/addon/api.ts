/**
 * The sidebar's server API (called through google.script.run) and the menu actions. Plain data
 * in and out: google.script.run cannot carry Dates, so dates travel as ISO strings.
 */

import { DAY_MS, daysFromCivil, yearMonthOfDay, ZoneClock } from '../core/dates';
import { type Lang, langOf, localized } from '../core/errors';
import { detectColumns, type LeadField, TEMPLATE_HEADERS } from '../core/headers';
import { findHeaderRow, type LeadMapping, readLeadTable } from '../core/leads';
import { maxOf } from '../core/numbers';
import {
  buildModels,
  DEFINITIONS_HEADER,
  definitionsRow,
  type KpiSettings,
  SHEET_NAMES,
} from '../core/report';
import { appendRows, generatedSheets, guardText, replaceSheets, type WriteResult } from './writer';

const SETTINGS_KEY = 'kpi.settings';
const DEFINITION_KEY = 'kpi.lastDefinition';

const MSG = {
  en: {
    noTab: (n: string) => `There is no tab named "${n}".`,
    noCreated: 'Choose the column that holds the lead created date.',
    busy: 'Another build is running. Try again in a minute.',
    empty: (n: string) => `The tab "${n}" has no data rows under its header.`,
    noTree: 'Build the KPI sheets first: there is no KPI tree to snapshot.',
    badWindow: 'The reporting window is not valid (start must be on or before end).',
    noDates: (h: string, rows: number[], ex: string) =>
      `No date in the column "${h}" can be read${rows.length ? ` (rows ${rows.join(', ')}…, e.g. "${ex}")` : ''}: choose the created-date column or fix its dates.`,
  },
  ja: {
    noTab: (n: string) => `「${n}」という名前のタブはありません。`,
    noCreated: 'リードの作成日の列を選んでください。',
    busy: '別のビルドが実行中です。しばらくしてからもう一度お試しください。',
    empty: (n: string) => `タブ「${n}」にはヘッダーの下にデータ行がありません。`,
    noTree: '先にKPIシートを作成してください（スナップショットするKPIツリーがありません）。',
    badWindow: '集計期間が正しくありません（開始日は終了日以前にしてください）。',
    noDates: (h: string, rows: number[], ex: string) =>
      `列「${h}」に読み取れる日付がありません${rows.length ? `（${rows.join(', ')}行目 ほか、例: "${ex}"）` : ''}。作成日の列を選び直すか、日付を修正してください。`,
  },
};

function context(): {
  ss: GoogleAppsScript.Spreadsheet.Spreadsheet;
  lang: Lang;
  clock: ZoneClock;
  tz: string;
} {
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const tz = ss.getSpreadsheetTimeZone();
  return { ss, lang: langOf(ss.getSpreadsheetLocale()), clock: new ZoneClock(tz), tz };
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

export interface TabInfo {
  name: string;
  rows: number;
  score: number;
}

/** The user's tabs (never the generated ones), and the one that looks most like a lead list. */
export function kpiListTabs(): { tabs: TabInfo[]; suggested: string | null } {
  return api(({ ss }) => {
    const generated = new Set([...generatedSheets(ss).values()].map((s) => s.getSheetId()));
    const tabs: TabInfo[] = [];
    for (const sheet of ss.getSheets()) {
      if (generated.has(sheet.getSheetId())) continue;
      const cols = sheet.getLastColumn();
      const rows = sheet.getLastRow();
      const header = cols > 0 ? sheet.getRange(1, 1, 1, cols).getValues()[0] : [];
      tabs.push({ name: sheet.getName(), rows: Math.max(0, rows - 1), score: headerScore(header) });
    }
    const best = [...tabs].sort((a, b) => b.score - a.score || b.rows - a.rows)[0];
    return { tabs, suggested: best && best.score > 0 ? best.name : null };
  });
}

const isoOfDay = (day: number): string => {
  const { y, m } = yearMonthOfDay(day);
  const d = day - daysFromCivil(y, m, 1) + 1;
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
};

/** Shows a cell as text for the preview (dates in the sheet's zone as yyyy-mm-dd). */
function previewText(v: unknown, clock: ZoneClock): string {
  if (Object.prototype.toString.call(v) === '[object Date]') {
    const t = (v as Date).getTime();
    return Number.isNaN(t) ? '' : isoOfDay(Math.floor(clock.toLocal(t) / DAY_MS));
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
  statuses: { value: string; count: number }[];
  ranks: string[];
  defaults: Pick<KpiSettings, 'from' | 'to' | 'period'> & { avgDealSize: number | null };
}

/** Reads a tab once: detected mapping (or the given one), preview, validation summary. */
export function kpiInspectTab(name: string, mapping?: LeadMapping): TabInspection {
  return api(({ ss, lang, clock }) => {
    const sheet = ss.getSheetByName(name);
    if (!sheet) throw new Error(MSG[lang].noTab(name));
    const values = sheet.getDataRange().getValues();
    const headerRow = findHeaderRow(values);
    const header = (values[headerRow - 1] ?? []).map((h) => String(h));
    const map = mapping ?? detectColumns(header);
    const table = readLeadTable(values, map, clock, {}, headerRow);
    const fields = Object.keys(map) as LeadField[];
    const preview = values
      .slice(headerRow, headerRow + 5)
      .map((r) => fields.map((f) => previewText(r[map[f] as number], clock)));
    const created = table.rows.map((r) => r.created).filter((d) => !Number.isNaN(d));
    const last = created.length > 0 ? maxOf(created) : Math.floor(Date.now() / DAY_MS);
    const { y, m } = yearMonthOfDay(last);
    const won = table.rows.filter((r) => !Number.isNaN(r.won) && !Number.isNaN(r.amount));
    return {
      name,
      headerRow,
      rows: Math.max(0, values.length - headerRow),
      header,
      mapping: map,
      fields,
      preview,
      issues: table.issues,
      statuses: table.statusValues,
      ranks: table.rankValues,
      defaults: {
        period: 'month',
        // The last twelve whole months up to the latest lead.
        from: isoOfDay(daysFromCivil(m === 12 ? y : y - 1, m === 12 ? 1 : m + 1, 1)),
        to: isoOfDay(daysFromCivil(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1),
        avgDealSize:
          won.length > 0 ? Math.round(won.reduce((s, r) => s + r.amount, 0) / won.length) : null,
      },
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
  const raw = PropertiesService.getDocumentProperties().getProperty(SETTINGS_KEY);
  return raw ? (JSON.parse(raw) as KpiSettings) : null;
}

export interface BuildResult {
  sheets: WriteResult['sheets'];
  issues: number;
}

/** Builds (or rebuilds) the KPI sheets. */
export function kpiBuild(settings: KpiSettings): BuildResult {
  return api(({ ss, lang, clock }) => {
    const lock = LockService.getDocumentLock();
    if (!lock.tryLock(5000)) throw new Error(MSG[lang].busy);
    try {
      const s = { ...settings, lang: settings.lang ?? lang };
      if (s.mapping.created === undefined) throw new Error(MSG[lang].noCreated);
      if (!(s.from <= s.to)) throw new Error(MSG[lang].badWindow);
      const sheet = ss.getSheetByName(s.leadSheet);
      if (!sheet) throw new Error(MSG[lang].noTab(s.leadSheet));
      const values = sheet.getDataRange().getValues(); // the one read of the lead tab
      const headerRow = s.headerRow ?? 1;
      if (values.length <= headerRow) throw new Error(MSG[lang].empty(s.leadSheet));
      const table = readLeadTable(
        values,
        s.mapping,
        clock,
        { exclude: s.targetExclude },
        headerRow,
      );
      if (table.rows.length === 0) throw new Error(MSG[lang].empty(s.leadSheet));
      if (table.rows.every((r) => Number.isNaN(r.created))) {
        const issue = table.issues.find((i) => i.field === 'created');
        throw new Error(
          MSG[lang].noDates(
            table.header[s.mapping.created] ?? '',
            issue?.firstRows ?? [],
            issue?.example ?? '',
          ),
        );
      }
      const models = buildModels(s, table, values, clock);
      const result = replaceSheets(ss, models);
      const props = PropertiesService.getDocumentProperties();
      const row = definitionsRow(
        s,
        new Date().toISOString(),
        props.getProperty(DEFINITION_KEY) ?? undefined,
      );
      appendRows(
        ss,
        'definitions',
        SHEET_NAMES[s.lang].definitions,
        DEFINITIONS_HEADER[s.lang],
        [row],
        result.generated,
      );
      props.setProperties({ [SETTINGS_KEY]: JSON.stringify(s), [DEFINITION_KEY]: String(row[1]) });
      return { sheets: result.sheets, issues: table.issues.reduce((n, i) => n + i.count, 0) };
    } finally {
      lock.releaseLock();
    }
  });
}

/** Appends the KPI tree's current plan and actual values, as plain numbers, to the history. */
export function kpiSnapshot(): { rows: number } {
  return api(({ ss, lang }) => {
    const tree = generatedSheets(ss).get('kpi-tree');
    if (!tree) throw new Error(MSG[lang].noTree);
    const values = tree.getDataRange().getValues();
    const now = new Date().toISOString();
    const rows: (string | number)[][] = [];
    // Each node box: label in column D or G or J, then plan / actual on the next two rows.
    for (let r = 0; r + 2 < values.length; r++) {
      for (const c of [3, 6, 9]) {
        const label = values[r][c];
        const plan = values[r + 1]?.[c + 1];
        const actual = values[r + 2]?.[c + 1];
        if (
          typeof label === 'string' &&
          label &&
          (typeof actual === 'number' || typeof plan === 'number')
        ) {
          rows.push([
            now,
            label,
            typeof plan === 'number' ? plan : '',
            typeof actual === 'number' ? actual : '',
          ]);
        }
      }
    }
    const header =
      lang === 'ja' ? ['日時', 'KPI', '計画', '実績'] : ['when', 'KPI', 'plan', 'actual'];
    appendRows(ss, 'history', SHEET_NAMES[lang].history, header, rows);
    return { rows: rows.length };
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
