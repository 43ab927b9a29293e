/**
 * 動作チェック / Check this spreadsheet (Extensions → KPI tree): probes, in the user's real
 * spreadsheet, each assumption the local runtime (local/) makes about Sheets and Apps Script,
 * and shows pass/fail with the observed value beside the expected one. Every expected value is
 * written literally below (EXPECTED) with its source — the URL and the sentence, in a comment:
 * the bundle carries no URL — tagged as the runtime tags it: documented (Google's reference or
 * guides), reported (public reports, issue 21) or assumed (nothing public says it; this probe is
 * how we find out). The dialog (sidebar/check/catalog.ts) names each check in Japanese and
 * English and the runtime file and constant to change when it fails on Sheets: that text stays
 * out of this bundle, which every custom-function cell loads.
 *
 * The probes run on temporary hidden sheets, crash-safe as Build is (src/addon/writer.ts): the
 * check's ID is recorded in the registry as the pending build before its first sheet exists,
 * each sheet is named with the builders' temporary prefix and tagged with it, so a run Apps
 * Script kills (6 minutes) leaves sheets that the next check, Build or Snapshot heals away.
 * The document lock keeps a Build from running at the same time.
 *
 * The dialog page (sidebar/check/) calls kpiSelfCheck, then kpiSelfCheckArrived with a value
 * holding `undefined` — that probe must cross google.script.run from a page.
 */
import type { Lang } from '../core/errors';
import { ADOPT_NAMES } from '../core/sheets/index';
import { EDITION, type Edition } from '../edition';
import { userLang } from './menu';
import { timeFormulas } from './selfCheckTiming';
import { loadSettings } from './settings';
import { heal, META_KEY, ownedSheets, REGISTRY_KEY, TEMP_PREFIX } from './writer';

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Range = GoogleAppsScript.Spreadsheet.Range;

/**
 * writer.ts's TEMP_PREFIX (not exported there): heal() deletes an untagged sheet named
 * `${TEMP_PREFIX}${pending}-…` of a dead run — here, one killed between insertSheet and its tag.
 * tests/addon/self-check.test.ts proves that the heal removes a killed check's sheets.
 */

export type CheckStatus = 'pass' | 'fail' | 'skip' | 'pending';

/** One check's outcome; its name, source and runtime pointer: sidebar/check/catalog.ts. */
export interface CheckResult {
  /** Stable id (`grid.size`, `timing.KPI_FUNNEL` …): what the README, the page and the tests name. */
  id: string;
  status: CheckStatus;
  expected: string;
  observed: string;
}

export interface SelfCheckReport {
  /** The user's language (the dialog's). */
  lang: Lang;
  /** Which deployment runs (src/edition.ts): Sheets-only or BigQuery. */
  edition: Edition;
  locale: string;
  timeZone: string;
  /** How long the server part took. */
  ms: number;
  checks: CheckResult[];
}

/**
 * Every check's expected value, literally, with its source: documented (Google's reference or
 * guides), reported (public reports, issue 21) or assumed (nothing public says it: this probe is
 * how we find out) — as the runtime tags the behaviour it models.
 */
export const EXPECTED = {
  // Reported (issue 21), via https://developers.google.com/apps-script/reference/spreadsheet/sheet#getMaxRows()
  // "Returns the current number of rows in the sheet, regardless of content.": a new sheet has
  // 1,000 rows and 26 columns (A–Z).
  'grid.size': '1000 × 26',
  // Reported (issue 21; the exception text in public Apps Script error reports and mocks).
  'grid.outside': 'The coordinates of the range are outside the dimensions of the sheet.',
  // Documented: https://developers.google.com/apps-script/reference/spreadsheet/sheet#insertRowsAfter(Integer,Integer)
  // "Inserts a number of rows after the given row position."; #deleteRows(Integer,Integer)
  // "Deletes a number of rows starting at the given row position." (columns alike).
  'grid.resize': 'rows +5/-5, columns +2/-2',
  // Reported (issue 21, Sheets' tooltip): "Result was not automatically expanded, please insert
  // more rows (N)." — a custom function returning 5 rows, placed 2 rows above the last row.
  'spill.edge': '#REF!',
  // Reported (Sheets' tooltip): "Array result was not expanded because it would overwrite data".
  'spill.blocked': '#REF!',
  // Reported (issue 21): "a thrown error shows #ERROR! with the message"; the custom functions
  // guide, https://developers.google.com/apps-script/guides/sheets/functions , has its INCREMENT
  // sample throw for bad input.
  'customFunction.error': '#ERROR!',
  // Documented: https://developers.google.com/apps-script/guides/sheets/functions#data_types
  // "Times and dates in Sheets become Date objects in Apps Script. If the spreadsheet and the
  // script use different time zones (a rare problem), the custom function will need to
  // compensate." — =DATE(2025,4,1)+TIME(23,30,0) read in the spreadsheet's zone is the wall clock
  // typed (src/core/dates.ts ZoneClock relies on it).
  'customFunction.date': '[object Date] 2025-04-01 23:30:00',
  // Assumed (local/engine.ts LOADING_TEXT): "a loading cell is an #N/A error … to a script's
  // getValue(); getDisplayValue() shows 'Loading...'"; reported (issue 21): "On first load and
  // after every edit of a range it reads, a custom function's cell shows Loading…". Read at once
  // after the formula is written: getValue · getDisplayValue.
  'customFunction.loading': '#N/A · Loading...',
  // Assumed (Q&A threads on formula syntax by locale): a script writes formulas in en_US syntax
  // (decimal point, comma between arguments) whatever the spreadsheet's locale; the product
  // writes every formula so. setValues of '=SUM(0.5,2)'.
  'formula.decimals': 'number 2.5',
  // Per locale: PASTED below.
  'text.locale': '',
  // Documented: https://developers.google.com/apps-script/reference/spreadsheet/sheet#addDeveloperMetadata(String,String,DeveloperMetadataVisibility)
  // "Adds developer metadata with the specified key, value, and visibility to the sheet."
  metadata: 'kpi-tree-addon.self-check=round trip ✓ 往復 (DOCUMENT)',
  // Reported (issue 21): "Deleting a sheet turns every formula that refers to it into #REF! for
  // good; a new sheet with the same name does not bring them back." The text the formula is left
  // with (=#REF!) is assumed (local/a1.ts dropSheetRefs). Before → after · formula.
  deletedSheet: '7 → #REF! · =#REF!',
  // Documented: https://developers.google.com/apps-script/reference/spreadsheet/spreadsheet#insertSheet(String)
  // "Inserts a new sheet into the spreadsheet with the given name. … The new sheet becomes the
  // active sheet."
  'insertSheet.activates': 'the new sheet',
  // Documented: https://developers.google.com/apps-script/reference/spreadsheet/range#copyTo(Range)
  // "Copies the data from a range of cells to another range of cells. Both the values and
  // formatting are copied."
  copyTo: '0.25 0.00% · =A20*2 0.0',
  // Reported (issue 21, item 8): "A lead tab named Q1, FY24, CRM1, TRUE or R1C1 is written
  // unquoted … HyperFormula accepts it. Always quote." Assumed: Sheets reads a bare cell-like
  // name before ! as a reference, a parse error (#ERROR!); quoted, it is the sheet. Bare · quoted.
  'sheetName.unquoted': '#ERROR! · 7',
  // Documented: https://developers.google.com/apps-script/guides/html/reference/run
  // "… undefined fields within arrays become null." Assumed (local/scriptRun.ts): an undefined
  // object field arrives as null too (JSON would drop it). Probed from the dialog page.
  'scriptRun.undefined': '{a: null, b: [1, null]}',
  // Documented: https://developers.google.com/apps-script/guides/services/quotas
  // "Custom function runtime — 30 sec / execution" (and "Script runtime — 6 min / execution").
  timing: '< 30000 ms',
};

export type CheckId = keyof typeof EXPECTED;

/**
 * setValues of these strings is parsed as typed (documented for the Sheets API,
 * https://developers.google.com/sheets/api/reference/rest/v4/ValueInputOption : "USER_ENTERED:
 * The values will be parsed as if the user typed them into the UI."; assumed for Apps Script's
 * setValues, which src/addon/writer.ts guardText relies on). Per locale, literally, in this
 * order; other locales have no expectation (skipped, the observed values shown).
 */
export const PASTED_TEXT = ['01/02/2018', '20/10/2017', '1,234', '0012'];
const PASTED: Record<string, string> = {
  // Issue 21, item 5: "in an en_US sheet 01/02/2018 becomes a Date for 2 January, 20/10/2017
  // stays text, 1,234 becomes 1234, 0012 becomes 12".
  en_US: 'Date 2018-01-02 · text 20/10/2017 · number 1234 · number 12',
  // Assumed (local/userEntered.ts): day first; a comma groups thousands.
  en_GB: 'Date 2018-02-01 · Date 2017-10-20 · number 1234 · number 12',
  // Assumed (local/userEntered.ts): a year-last date is read month first, as in en_US.
  ja_JP: 'Date 2018-01-02 · text 20/10/2017 · number 1234 · number 12',
  // Assumed (local/userEntered.ts): day first; the comma is the decimal separator.
  de_DE: 'Date 2018-02-01 · Date 2017-10-20 · number 1.234 · number 12',
  pt_BR: 'Date 2018-02-01 · Date 2017-10-20 · number 1.234 · number 12',
};

/** The 30 s of one custom-function call, in ms (EXPECTED.timing). */
const CUSTOM_FUNCTION_LIMIT_MS = 30_000;
/** Timings start no later than this after the run began: Apps Script kills a run at 6 minutes. */
const TIMING_BUDGET_MS = 4 * 60_000;
/** How long a probe cell may stay loading before its value is taken as it is. */
const SETTLE_MS = 20_000;

const BUSY: Record<Lang, string> = {
  en: 'Another KPI tree operation is running. Try again in a moment.',
  ja: '別の KPI ツリーの処理が実行中です。少し待ってからもう一度お試しください。',
};

function result(
  id: CheckId,
  observed: string,
  opts: { expected?: string; status?: CheckStatus; suffix?: string } = {},
): CheckResult {
  const expected = opts.expected ?? EXPECTED[id];
  return {
    id: opts.suffix ? `${id}.${opts.suffix}` : id,
    status: opts.status ?? (observed === expected ? 'pass' : 'fail'),
    expected,
    observed,
  };
}

const isDate = (v: unknown): v is Date => Object.prototype.toString.call(v) === '[object Date]';

/** A cell's value as the checks write it: `Date 2018-01-02`, `number 1234`, `text 20/10/2017`. */
function describe(v: unknown, tz: string): string {
  if (isDate(v)) {
    const time = Utilities.formatDate(v, tz, 'HH:mm:ss');
    return `Date ${Utilities.formatDate(v, tz, 'yyyy-MM-dd')}${time === '00:00:00' ? '' : ` ${time}`}`;
  }
  if (typeof v === 'number') return `number ${v}`;
  if (typeof v === 'boolean') return `boolean ${v}`;
  return `text ${String(v)}`;
}

const message = (e: unknown): string => String((e as Error)?.message ?? e);

/** The error a call throws, or 'no error'. */
function thrown(f: () => unknown): string {
  try {
    f();
    return 'no error';
  } catch (e) {
    return message(e);
  }
}

/** A custom function's cell once Sheets has computed it (it may be loading at first). */
function settled(range: Range): unknown {
  const loading = (v: unknown) => v === '#N/A' || (typeof v === 'string' && /^Loading/i.test(v));
  const until = Date.now() + SETTLE_MS;
  let v = range.getValue();
  while (loading(v) && Date.now() < until) {
    Utilities.sleep(500);
    SpreadsheetApp.flush();
    v = range.getValue();
  }
  return v;
}

/** The temporary sheets of one run, made and removed the way writer.ts makes and heals them. */
class Scratch {
  readonly id = `check${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
  private readonly sheets: Sheet[] = [];
  constructor(private readonly ss: Spreadsheet) {}

  name(role: string): string {
    return `${TEMP_PREFIX}${this.id}-${role}`;
  }

  /** A new hidden, tagged sheet; whether insertSheet made it the active sheet. */
  add(role: string): { sheet: Sheet; activated: boolean } {
    const before = this.ss.getActiveSheet();
    const sheet = this.ss.insertSheet(this.name(role));
    this.sheets.push(sheet);
    sheet.addDeveloperMetadata(
      META_KEY,
      `self-check:${role}#${this.id}`,
      SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT,
    );
    const activated = this.ss.getActiveSheet().getSheetId() === sheet.getSheetId();
    if (before) this.ss.setActiveSheet(before);
    sheet.hideSheet();
    return { sheet, activated };
  }

  remove(sheet: Sheet): void {
    this.ss.deleteSheet(sheet);
    this.sheets.splice(this.sheets.indexOf(sheet), 1);
  }

  /** Deletes what is left; true when nothing is. */
  clear(): boolean {
    let all = true;
    for (const sheet of [...this.sheets]) {
      try {
        this.remove(sheet);
      } catch {
        all = false; // the next heal removes it
      }
    }
    return all;
  }
}

/** The checks that run in the script (all but the page's google.script.run probe). */
function serverChecks(ss: Spreadsheet, scratch: Scratch, started: number): CheckResult[] {
  const out: CheckResult[] = [];
  const tz = ss.getSpreadsheetTimeZone();
  const attempt = (id: CheckId, body: () => CheckResult | CheckResult[]) => {
    try {
      const r = body();
      out.push(...(Array.isArray(r) ? r : [r]));
    } catch (e) {
      out.push(result(id, `error: ${message(e)}`, { status: 'fail' }));
    }
  };

  const { sheet: probe, activated } = scratch.add('probe');
  attempt('insertSheet.activates', () =>
    result('insertSheet.activates', activated ? 'the new sheet' : 'the sheet active before'),
  );
  const rows = probe.getMaxRows();
  const cols = probe.getMaxColumns();
  attempt('grid.size', () => result('grid.size', `${rows} × ${cols}`));
  attempt('grid.outside', () => {
    const seen = [
      thrown(() => probe.getRange(rows + 1, 1)),
      thrown(() => probe.getRange(1, cols + 1)),
    ];
    return result('grid.outside', [...new Set(seen)].join(' | '));
  });

  // Before anything is written: the runtime deletes only rows and columns that hold nothing.
  attempt('grid.resize', () => {
    const r0 = probe.getMaxRows();
    probe.insertRowsAfter(r0, 5);
    const r1 = probe.getMaxRows();
    probe.deleteRows(r0 + 1, 5);
    const r2 = probe.getMaxRows();
    const c0 = probe.getMaxColumns();
    probe.insertColumnsAfter(c0, 2);
    const c1 = probe.getMaxColumns();
    probe.deleteColumns(c0 + 1, 2);
    const c2 = probe.getMaxColumns();
    const d = (n: number) => (n >= 0 ? `+${n}` : `${n}`);
    return result(
      'grid.resize',
      `rows ${d(r1 - r0)}/${d(r2 - r1)}, columns ${d(c1 - c0)}/${d(c2 - c1)}`,
    );
  });

  // Values and formulas of the probe sheet, written before anything is read back.
  probe.getRange('A10').setValues([['=SUM(0.5,2)']]);
  probe.getRange(12, 1, 1, PASTED_TEXT.length).setValues([PASTED_TEXT]);
  probe.getRange('C3').setValue('x');
  probe.getRange('C1').setFormula('=KPI_SELF_CHECK("rows", 3)');
  probe.getRange('D1').setFormula('=KPI_SELF_CHECK("throw")');
  probe.getRange(rows - 1, 1).setFormula('=KPI_SELF_CHECK("rows", 5)');
  probe.getRange('H1').setFormula('=DATE(2025,4,1)+TIME(23,30,0)');
  probe.getRange('H2').setFormula('=KPI_SELF_CHECK("date", H1)');
  // Written last and read at once: Sheets has not run it yet.
  const fresh = probe.getRange('K1');
  fresh.setFormula('=CYCLE_TIME(H1, H1)');
  attempt('customFunction.loading', () =>
    result('customFunction.loading', `${fresh.getValue()} · ${fresh.getDisplayValue()}`),
  );

  attempt('formula.decimals', () =>
    result('formula.decimals', describe(probe.getRange('A10').getValue(), tz)),
  );
  attempt('text.locale', () => {
    const seen = probe
      .getRange(12, 1, 1, PASTED_TEXT.length)
      .getValues()[0]
      .map((v) => describe(v, tz))
      .join(' · ');
    const locale = ss.getSpreadsheetLocale();
    const expected = PASTED[locale];
    return expected === undefined
      ? result('text.locale', seen, { expected: `(none for ${locale})`, status: 'skip' })
      : result('text.locale', seen, { expected });
  });
  attempt('spill.blocked', () => result('spill.blocked', String(settled(probe.getRange('C1')))));
  attempt('customFunction.error', () =>
    result('customFunction.error', String(settled(probe.getRange('D1')))),
  );
  attempt('spill.edge', () => result('spill.edge', String(settled(probe.getRange(rows - 1, 1)))));
  attempt('customFunction.date', () => {
    settled(probe.getRange('H2'));
    return result('customFunction.date', probe.getRange('H2:I2').getValues()[0].join(' '));
  });

  attempt('metadata', () => {
    const key = 'kpi-tree-addon.self-check';
    probe.addDeveloperMetadata(
      key,
      'round trip ✓ 往復',
      SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT,
    );
    const seen = probe
      .getDeveloperMetadata()
      .filter((m) => m.getKey() === key)
      .map((m) => `${m.getKey()}=${m.getValue()} (${String(m.getVisibility())})`);
    return result('metadata', seen.length > 0 ? seen.join(' | ') : 'not found');
  });

  // A sheet named like a cell: made under the temporary name and tagged, then renamed, so a run
  // killed at any point leaves a sheet the heal knows.
  const { sheet: cellLike } = scratch.add('cell-like');
  attempt('sheetName.unquoted', () => {
    let name = '';
    for (let n = 1; n < 10 && name === ''; n++) if (!ss.getSheetByName(`ZQK${n}`)) name = `ZQK${n}`;
    if (name === '') throw new Error('sheets ZQK1 … ZQK9 all exist');
    cellLike.setName(name);
    cellLike.getRange('A1').setValue(7);
    probe.getRange('F1:G1').setValues([[`=${name}!A1`, `='${name}'!A1`]]);
    const [bare, quoted] = probe.getRange('F1:G1').getValues()[0];
    return result('sheetName.unquoted', `${bare} · ${quoted}`);
  });

  attempt('copyTo', () => {
    probe.getRange('A20:B20').setValues([[0.25, '=A20*2']]);
    probe.getRange('A20:B20').setNumberFormats([['0.00%', '0.0']]);
    probe.getRange('A20:B20').copyTo(cellLike.getRange('A20'));
    const to = cellLike.getRange('A20:B20');
    const [f1, f2] = to.getNumberFormats()[0];
    return result('copyTo', `${to.getValues()[0][0]} ${f1} · ${to.getFormulas()[0][1]} ${f2}`);
  });

  attempt('deletedSheet', () => {
    const { sheet: target } = scratch.add('target');
    target.getRange('A1').setValue(7);
    probe.getRange('E1').setValues([[`='${target.getName()}'!A1`]]);
    const before = probe.getRange('E1').getValue();
    scratch.remove(target);
    scratch.add('target').sheet.getRange('A1').setValue(7);
    const cell = probe.getRange('E1');
    return result('deletedSheet', `${before} → ${cell.getValue()} · ${cell.getFormula()}`);
  });

  attempt('timing', () => timings(ss, started));
  return out;
}

/**
 * EXPECTED.timing: one row per custom function of the report (timing.KPI_FUNNEL …), the slowest
 * of its formulas, each run on the values of the tabs it reads (see selfCheckTiming.ts).
 */
function timings(ss: Spreadsheet, started: number): CheckResult[] {
  const props = PropertiesService.getDocumentProperties();
  const settings = loadSettings(props);
  if (!settings) return [result('timing', 'no saved settings: build once', { status: 'skip' })];
  const report = [...ownedSheets(ss, props).byRole.values()];
  if (report.length === 0) return [result('timing', 'no report: build first', { status: 'skip' })];
  const global = globalThis as unknown as Record<string, unknown>;
  const timed = timeFormulas(
    ss,
    report,
    (name) => name !== 'KPI_SELF_CHECK' && typeof global[name] === 'function',
    (name, args) => (global[name] as (...a: unknown[]) => unknown)(...args),
    started + TIMING_BUDGET_MS,
  );
  const byName = new Map<string, typeof timed>();
  for (const t of timed) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
  return [...byName].map(([name, list]) => {
    const measured = list.filter((t) => t.ms !== undefined);
    if (measured.length === 0)
      return result('timing', `not timed: ${list[0].problem}`, { status: 'skip', suffix: name });
    const slowest = measured.reduce((a, b) => ((b.ms ?? 0) > (a.ms ?? 0) ? b : a));
    const ms = slowest.ms ?? 0;
    const threw = slowest.problem ? `, threw: ${slowest.problem}` : '';
    return result(
      'timing',
      `${ms} ms at ${slowest.where} on ${settings.leadSheet} (slowest of ${measured.length}${threw})`,
      { status: ms < CUSTOM_FUNCTION_LIMIT_MS ? 'pass' : 'fail', suffix: name },
    );
  });
}

/**
 * Runs every check but the page's, on temporary sheets that are gone again when it returns (or,
 * if the run is killed, at the next check, Build or Snapshot). Takes the document lock.
 */
export function kpiSelfCheck(): SelfCheckReport {
  const lang = userLang();
  const ss = SpreadsheetApp.getActiveSpreadsheet();
  const started = Date.now();
  const lock = LockService.getDocumentLock();
  if (!lock.tryLock(5000)) throw new Error(BUSY[lang]);
  const props = PropertiesService.getDocumentProperties();
  const scratch = new Scratch(ss);
  let checks: CheckResult[] = [];
  try {
    // What a killed check or build left goes first; then the registry names this run as the
    // pending build, before its first sheet exists.
    const { registry } = heal(ss, props, ADOPT_NAMES);
    const before = props.getProperty(REGISTRY_KEY);
    props.setProperty(REGISTRY_KEY, JSON.stringify({ ...registry, pending: scratch.id }));
    try {
      checks = serverChecks(ss, scratch, started);
    } finally {
      // The registry is given back only when every sheet is gone: else the heal removes them.
      if (scratch.clear()) {
        if (before === null) props.deleteProperty(REGISTRY_KEY);
        else props.setProperty(REGISTRY_KEY, before);
      }
    }
  } finally {
    try {
      lock.releaseLock();
    } catch {
      // released when the execution ends
    }
  }
  checks.push(result('scriptRun.undefined', '', { status: 'pending' })); // the page's probe
  return {
    lang,
    edition: EDITION,
    locale: ss.getSpreadsheetLocale(),
    timeZone: ss.getSpreadsheetTimeZone(),
    ms: Date.now() - started,
    checks,
  };
}

/** A value as it arrived, with undefined, null and absent told apart: `{a: null, b: [1, null]}`. */
function shape(v: unknown): string {
  if (v === undefined) return 'undefined';
  if (v === null) return 'null';
  if (Array.isArray(v)) {
    const items: string[] = [];
    for (let i = 0; i < v.length; i++) items.push(i in v ? shape(v[i]) : 'hole');
    return `[${items.join(', ')}]`;
  }
  if (typeof v === 'object')
    return `{${Object.keys(v as object)
      .map((k) => `${k}: ${shape((v as Record<string, unknown>)[k])}`)
      .join(', ')}}`;
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** The page sends `{a: undefined, b: [1, undefined]}` through google.script.run: what arrived. */
export function kpiSelfCheckArrived(payload: unknown): CheckResult {
  return result('scriptRun.undefined', shape(payload));
}

/** Opens the check's dialog (dist/check.html); the page runs the checks and shows them. */
export function openSelfCheck(title: string): void {
  const html = HtmlService.createHtmlOutputFromFile('check').setWidth(1000).setHeight(640);
  SpreadsheetApp.getUi().showModalDialog(html, title);
}
