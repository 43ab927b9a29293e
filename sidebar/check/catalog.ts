/**
 * The self-check's words, for the dialog only (the server bundle, which every custom-function
 * cell loads, carries the probes and the literal expected values: src/addon/selfCheck.ts
 * EXPECTED, with each source's URL and sentence). Per check: its name in Japanese and English,
 * how the behaviour is known (documented / reported / assumed, as the runtime tags it) and
 * where, and the local runtime's file and constant to change when Sheets disagrees.
 */
import type { CheckId } from '../../src/addon/selfCheck';
import type { Lang } from '../../src/core/errors';

export interface CheckInfo {
  ja: string;
  en: string;
  tag: 'documented' | 'reported' | 'assumed';
  source: string;
  runtime: string;
}

export const CATALOG: Record<CheckId, CheckInfo> = {
  'insertSheet.activates': {
    ja: 'insertSheet の直後にアクティブなシート',
    en: 'The active sheet right after insertSheet',
    tag: 'documented',
    source: 'Spreadsheet.insertSheet',
    runtime: 'local/services.ts LocalSpreadsheet.insertSheet',
  },
  'grid.size': {
    ja: '新しいシートの大きさ（行 × 列）',
    en: 'A new sheet’s grid (rows × columns)',
    tag: 'reported',
    source: 'issue 21; Sheet.getMaxRows / getMaxColumns',
    runtime:
      'local/engine.ts DEFAULT_GRID_ROWS, DEFAULT_GRID_COLS; src/addon/writer.ts NEW_SHEET_ROWS, NEW_SHEET_COLS',
  },
  'grid.outside': {
    ja: '最終行の次・最終列の次の範囲（getRange）',
    en: 'A range past the last row / past the last column (getRange)',
    tag: 'reported',
    source: 'issue 21; Apps Script’s exception text',
    runtime: 'local/engine.ts OUTSIDE_GRID',
  },
  'grid.resize': {
    ja: '末尾への行・列の追加と削除',
    en: 'Rows and columns inserted and deleted at the end',
    tag: 'documented',
    source: 'Sheet.insertRowsAfter, deleteRows, insertColumnsAfter, deleteColumns',
    runtime: 'local/engine.ts Workbook.growGrid, shrinkGrid',
  },
  'spill.edge': {
    ja: '最終行の2行上から5行を返すカスタム関数',
    en: 'A custom function returning 5 rows, 2 rows above the last row',
    tag: 'reported',
    source: 'issue 21; Sheets’ tooltip “Result was not automatically expanded …”',
    runtime: 'local/engine.ts edgeMessage, Workbook.pastEdge',
  },
  'spill.blocked': {
    ja: '値のあるセルにかかるカスタム関数の結果',
    en: 'A custom function’s result that would cover a non-empty cell',
    tag: 'reported',
    source: 'Sheets’ tooltip “Array result was not expanded because it would overwrite data”',
    runtime: 'local/engine.ts Workbook.toAppsScript (SPILL → #REF!)',
  },
  'customFunction.error': {
    ja: '例外を投げるカスタム関数のセル',
    en: 'The cell of a custom function that throws',
    tag: 'reported',
    source: 'issue 21; Custom functions guide',
    runtime: 'local/engine.ts Workbook.evaluateCustom (ErrorType.ERROR)',
  },
  'customFunction.date': {
    ja: 'カスタム関数が受け取る日付（型と、シートのタイムゾーンでの時刻）',
    en: 'A date a custom function receives (type, wall clock in the sheet’s zone)',
    tag: 'documented',
    source: 'Custom functions guide, “Data types”',
    runtime: 'local/engine.ts Workbook.serialToDate, scalarArgument',
  },
  'customFunction.loading': {
    ja: '書いた直後のカスタム関数をスクリプトが読んだ値（getValue · getDisplayValue）',
    en: 'A custom function read by the script right after it is written (getValue · getDisplayValue)',
    tag: 'assumed',
    source: 'issue 21; local/engine.ts LOADING_TEXT',
    runtime:
      'local/engine.ts LOADING_TEXT, CustomFunctionState; local/services.ts getDisplayValues',
  },
  'formula.decimals': {
    ja: 'setValues で書いた小数入りの数式 =SUM(0.5,2)（ロケールによらず）',
    en: 'A formula with decimals written by setValues: =SUM(0.5,2), whatever the locale',
    tag: 'assumed',
    source: 'Q&A threads on formula syntax by locale',
    runtime: 'local/engine.ts the HyperFormula configuration (decimal point, comma separator)',
  },
  'text.locale': {
    ja: 'setValues で書いた文字列の解釈（01/02/2018 · 20/10/2017 · 1,234 · 0012）',
    en: 'Text written by setValues, as parsed (01/02/2018 · 20/10/2017 · 1,234 · 0012)',
    tag: 'assumed',
    source: 'Sheets API ValueInputOption USER_ENTERED; local/userEntered.ts',
    runtime: 'local/userEntered.ts (the locale’s rules); local/engine.ts Workbook.setValues',
  },
  metadata: {
    ja: 'シートのデベロッパーメタデータ（書いて読み戻す）',
    en: 'Developer metadata on a sheet, written and read back',
    tag: 'documented',
    source: 'Sheet.addDeveloperMetadata, getDeveloperMetadata',
    runtime: 'local/services.ts LocalSheet.addDeveloperMetadata, getDeveloperMetadata',
  },
  deletedSheet: {
    ja: '削除したシートへの参照（前 → 同名のシートを作り直した後 · 数式）',
    en: 'A reference to a deleted sheet (before → after a sheet of the same name is re-created · formula)',
    tag: 'reported',
    source: 'issue 21 (the formula text =#REF! is assumed)',
    runtime: 'local/a1.ts dropSheetRefs; local/engine.ts Workbook.removeSheet',
  },
  copyTo: {
    ja: 'Range.copyTo（値・数式・表示形式が1回でコピーされる）',
    en: 'Range.copyTo: values, formulas and number formats in one call',
    tag: 'documented',
    source: 'Range.copyTo',
    runtime: 'local/engine.ts Workbook.copyBlock; local/services.ts LocalRange.copyTo',
  },
  'sheetName.unquoted': {
    ja: 'セル番地に見えるシート名（ZQK1）: 引用符なし · あり',
    en: 'A sheet named like a cell (ZQK1): unquoted · quoted',
    tag: 'reported',
    source: 'issue 21, item 8 (the parse error is assumed)',
    runtime: 'local/a1.ts unquotedSheetRefs; local/engine.ts PARSE_ERROR',
  },
  'scriptRun.undefined': {
    ja: 'google.script.run で送った {a: undefined, b: [1, undefined]} がサーバーに届いた形',
    en: '{a: undefined, b: [1, undefined]} sent through google.script.run, as the server got it',
    tag: 'assumed',
    source: 'google.script.run reference (arrays documented); local/scriptRun.ts',
    runtime: 'local/scriptRun.ts WIRE_SOURCE',
  },
  timing: {
    ja: 'レポートのカスタム関数の実行時間（リードタブの値で、スクリプト内で計測）',
    en: 'Run time of a report’s custom function (the lead tab’s values, timed in the script)',
    tag: 'documented',
    source: 'Apps Script quotas: custom function runtime 30 s',
    runtime: 'none (the runtime does not model time): the function in src/functions, src/core',
  },
};

/** A result's entry: `timing.KPI_FUNNEL` is `timing`'s. */
export function infoOf(id: string): CheckInfo | undefined {
  const base = (id in CATALOG ? id : id.split('.')[0]) as CheckId;
  return CATALOG[base];
}

/** The check's name in the language; a timing row names its function. */
export function nameOf(id: string, lang: Lang): string {
  const info = infoOf(id);
  if (!info) return id;
  const fn = id.startsWith('timing.') ? `: ${id.slice('timing.'.length)}` : '';
  return `${info[lang]}${fn}`;
}

export type LabelKey =
  | 'title'
  | 'intro'
  | 'check'
  | 'expected'
  | 'observed'
  | 'source'
  | 'runtime'
  | 'summary'
  | 'copy';

export const LABELS: Record<Lang, Record<LabelKey, string>> = {
  en: {
    title: 'Check this spreadsheet',
    intro:
      'What the add-on’s local test runtime assumes about Google Sheets, checked in this spreadsheet on temporary sheets (removed again). A failed row is where the runtime differs from Sheets: change the file named under “Runtime”.',
    check: 'Check',
    expected: 'Expected',
    observed: 'Observed',
    source: 'Source',
    runtime: 'Runtime',
    summary: 'passed {pass}, failed {fail}, skipped {skip}',
    copy: 'The report as text (copy it into an issue):',
  },
  ja: {
    title: '動作チェック',
    intro:
      'アドオンのローカル検証環境が Google スプレッドシートについて前提にしていることを、このスプレッドシートの一時シート（終了後に削除）で確かめます。不合格の行は検証環境と実際のスプレッドシートが違う箇所です。「runtime」のファイルを直してください。',
    check: '項目',
    expected: '期待値',
    observed: '実測値',
    source: '出典',
    runtime: 'runtime',
    summary: '合格 {pass} 件、不合格 {fail} 件、対象外 {skip} 件',
    copy: 'テキスト版（issue に貼り付けられます）:',
  },
};
