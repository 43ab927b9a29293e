/**
 * npm start — the product's main job, locally: the built bundle in the local runtime
 * (HyperFormula + a SpreadsheetApp subset), the sample workbook (or --leads file.xlsx|csv),
 * sheets that use the three custom functions as formulas, evaluated by the engine, previewed in
 * the terminal and saved to out/demo.xlsx.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { colToLetters } from '../local/a1';
import { readWorkbookFile, writeXlsx } from '../local/io';
import { LocalRuntime } from '../local/runtime';
import { sampleWorkbook } from '../local/sample';
import { detectColumns } from '../src/core/headers';

const args = process.argv.slice(2);
const leadsArg = args.includes('--leads') ? args[args.indexOf('--leads') + 1] : undefined;
const outPath = join(import.meta.dirname, '..', 'out', 'demo.xlsx');

const rt = new LocalRuntime({ timeZone: 'Asia/Tokyo', locale: 'ja_JP' });
const sheets = leadsArg ? await readWorkbookFile(leadsArg) : sampleWorkbook();
for (const problem of rt.loadSheets(sheets)) console.warn(`warning: ${problem}`);
const leadSheet = sheets[0].name;
const header = sheets[0].rows[0] ?? [];
const cols = detectColumns(header as unknown[]);
const ref = (i: number | undefined) => {
  const q = /^[A-Za-z_][A-Za-z0-9_]*$/.test(leadSheet)
    ? leadSheet
    : `'${leadSheet.replace(/'/g, "''")}'`;
  return i === undefined ? undefined : `${q}!${colToLetters(i + 1)}2:${colToLetters(i + 1)}`;
};
const created = ref(cols.created);
const deal = ref(cols.dealDate ?? cols.wonDate ?? cols.mqlDate);
if (!created || !deal) {
  console.error(
    `Could not find a created-date and a deal-date column in "${leadSheet}" (headers: ${header.join(', ')}).`,
  );
  process.exit(1);
}

const ss = rt.spreadsheet.self;
const titles = new Map<string, string>();
const put = (name: string, cells: [string, unknown[][]][]) => {
  // Never touch the loaded sheets: a name already taken gets a suffix.
  let title = name;
  for (let n = 2; ss.getSheetByName(title); n++) title = `${name} (${n})`;
  titles.set(name, title);
  const sheet = ss.insertSheet(title);
  for (const [a1, block] of cells) {
    const range = sheet.getRange(a1).offset(0, 0, block.length, block[0].length);
    range.setValues(block);
  }
  return sheet;
};

put('追っかけ', [['A1', [[`=COHORT_CONVERSION(${created}, ${deal})`]]]]);
put('輪切り', [['A1', [[`=COHORT_CONVERSION(${created}, ${deal}, "輪切り")`]]]]);
if (cols.company !== undefined) {
  put('社数ベース', [
    [
      'A1',
      [[`=COHORT_CONVERSION(${created}, ${deal}, "slice", "quarter", , ${ref(cols.company)})`]],
    ],
  ]);
}
const activitySheet = sheets.find((s) => s.name === 'Activities');
if (activitySheet) {
  put('活動量', [['A1', [['=ACTIVITY_AREA(Activities!C2:C, Activities!E2:E, Activities!B2:B)']]]]);
} else if (cols.company !== undefined) {
  const counts = ref(cols.activities) ?? '';
  const owners = ref(cols.owner) ?? '';
  put('活動量', [['A1', [[`=ACTIVITY_AREA(${ref(cols.company)}, ${counts}, ${owners})`]]]]);
}
put('キャパシティ', [
  [
    'A1',
    [
      ['ステージ', '転換率', '人数', '1人あたり'],
      ['リード', 0.2, '', ''],
      ['MQL', 0.4, 3, 120],
      ['商談', 0.25, 4, 20],
      ['受注', '', '', ''],
      ['売上目標', 30_000_000, '平均単価', 1_000_000],
    ],
  ],
  ['F1', [['=CAPACITY(A2:A5, B2:B5, C2:C5, D2:D5, B6, D6)']]],
]);

const preview = (key: string, maxCols = 10, maxRows = 14) => {
  const name = titles.get(key);
  const sheet = name ? ss.getSheetByName(name) : null;
  if (!name) return;
  if (!sheet) return;
  const rows = Math.min(sheet.getLastRow(), maxRows);
  const width = Math.min(sheet.getLastColumn(), maxCols);
  if (rows === 0) return;
  const shown = rt.wb
    .getValues(sheet.getSheetId(), 1, 1, rows, width)
    .map((r) =>
      r.map((v) => (typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(3) : String(v))),
    );
  const formula =
    rt.wb.getFormulas(sheet.getSheetId(), 1, 1, 1, 1)[0][0] || sheet.getRange('F1').getFormula();
  const widths = shown[0].map((_, j) => Math.max(...shown.map((r) => r[j].length)));
  console.log(`\n■ ${name}   ${formula}`);
  for (const r of shown) console.log(`  ${r.map((c, j) => c.padStart(widths[j])).join('  ')}`);
  if (sheet.getLastRow() > maxRows || sheet.getLastColumn() > maxCols) {
    console.log(`  … ${sheet.getLastRow()} rows × ${sheet.getLastColumn()} columns in all`);
  }
};

console.log(
  `Loaded ${leadsArg ?? 'the sample workbook'}: ${sheets.map((s) => `${s.name} (${s.rows.length - 1} rows)`).join(', ')}`,
);
for (const name of ['追っかけ', '輪切り', '社数ベース', '活動量', 'キャパシティ']) preview(name);
mkdirSync(join(import.meta.dirname, '..', 'out'), { recursive: true });
await writeXlsx(rt, outPath);
const customCalls = rt.counter.total('CustomFunction.');
console.log(
  `\nEvaluated by HyperFormula with ${customCalls} custom-function calls; saved ${outPath}`,
);
