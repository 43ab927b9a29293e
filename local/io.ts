/**
 * .xlsx (exceljs) and .csv (papaparse) for the local runtime. An .xlsx keeps its own cell types:
 * dates stay dates, formulas stay formulas, number formats, fills, bold, merges and frozen rows
 * survive a round trip. A .csv is text, parsed when loaded as Sheets imports it: by the
 * spreadsheet's locale (USER_ENTERED, local/userEntered.ts).
 */
import { readFile } from 'node:fs/promises';
import { basename, extname } from 'node:path';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { DAY_MS } from '../src/core/dates';
import { colToLetters, parseA1, quoteSheet } from './a1';
import { cellKey, isDateFormat } from './engine';
import type { LoadedSheet, LocalRuntime, RawCell } from './runtime';

const SERIAL_EPOCH_DAYS = 25_569;
/** Defined name listing the cells that hold spilled results (see writeXlsx). */
const SPILL_NAME = 'KPI_SPILLED';

/** exceljs gives dates as UTC instants of the wall-clock time: that is the serial's meaning. */
const wallClockSerial = (d: Date): number => d.getTime() / DAY_MS + SERIAL_EPOCH_DAYS;

export class WorkbookFileError extends Error {}

export async function readWorkbookFile(path: string): Promise<LoadedSheet[]> {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return [await readCsv(path)];
  if (ext === '.xlsx') return readXlsx(path);
  throw new WorkbookFileError(`Cannot read "${basename(path)}": only .xlsx and .csv are supported`);
}

export async function readCsv(path: string, sheetName?: string): Promise<LoadedSheet> {
  const text = (await readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  const parsed = Papa.parse<string[]>(text, { skipEmptyLines: false });
  const fatal = parsed.errors.find((e) => e.type === 'Quotes');
  if (fatal) {
    throw new WorkbookFileError(
      `Cannot read "${basename(path)}": row ${(fatal.row ?? 0) + 1}: ${fatal.message}`,
    );
  }
  // The text as written: Sheets parses it by the spreadsheet's locale when it is imported
  // (LoadedSheet.parse, local/userEntered.ts), not by this reader.
  const rows = parsed.data.filter((r, i, all) => i < all.length - 1 || r.some((c) => c !== ''));
  return { name: sheetName ?? basename(path, extname(path)), rows, parse: 'user-entered' };
}

export async function readXlsx(path: string): Promise<LoadedSheet[]> {
  const book = new ExcelJS.Workbook();
  try {
    await book.xlsx.readFile(path);
  } catch (e) {
    throw new WorkbookFileError(
      `Cannot read "${basename(path)}": it is not a valid .xlsx file (${(e as Error).message})`,
    );
  }
  // Cells that held a spilled formula result when saved: their formula fills them again.
  const spilled = new Set<string>();
  for (const dn of book.definedNames.model) {
    if (dn.name !== SPILL_NAME) continue;
    for (const ref of dn.ranges) {
      const r = parseA1(ref.replace(/\$/g, ''));
      for (let row = r.row; row <= (r.endRow ?? r.row); row++) {
        for (let col = r.col; col <= (r.endCol ?? r.col); col++)
          spilled.add(`${r.sheet}!${row},${col}`);
      }
    }
  }
  const sheets: LoadedSheet[] = [];
  book.eachSheet((ws) => {
    const rows: RawCell[][] = [];
    const formats = new Map<
      string,
      { numberFormat?: string; background?: string; fontWeight?: string }
    >();
    ws.eachRow({ includeEmpty: true }, (row, r) => {
      const line: RawCell[] = [];
      row.eachCell({ includeEmpty: true }, (cell, c) => {
        line[c - 1] = spilled.has(`${ws.name}!${r},${c}`) ? '' : cellContent(cell);
        const f: { numberFormat?: string; background?: string; fontWeight?: string } = {};
        if (cell.numFmt && cell.numFmt !== 'General') f.numberFormat = cell.numFmt;
        if (cell.value instanceof Date && !isDateFormat(f.numberFormat))
          f.numberFormat = 'yyyy-mm-dd';
        const fill = cell.fill as { fgColor?: { argb?: string } } | undefined;
        if (fill?.fgColor?.argb) f.background = `#${fill.fgColor.argb.slice(-6).toLowerCase()}`;
        if (cell.font?.bold) f.fontWeight = 'bold';
        if (Object.keys(f).length > 0) formats.set(cellKey(r, c), f);
      });
      rows[r - 1] = Array.from(line, (v) => (v === undefined ? '' : v));
    });
    sheets.push({ name: ws.name, rows: Array.from(rows, (r) => r ?? []), formats });
  });
  if (sheets.length === 0)
    throw new WorkbookFileError(`Cannot read "${basename(path)}": it has no sheets`);
  return sheets;
}

function cellContent(cell: ExcelJS.Cell): RawCell {
  const v = cell.value;
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return { serial: wallClockSerial(v) };
  if (typeof v !== 'object') return v;
  if ('formula' in v && v.formula) return { formula: `=${v.formula}` };
  if ('sharedFormula' in v && v.sharedFormula) {
    const own = (cell as unknown as { formula?: string }).formula;
    if (own) return { formula: `=${own}` };
  }
  if ('richText' in v) return v.richText.map((t) => t.text).join('');
  if ('text' in v) return String(v.text);
  if ('error' in v) return String(v.error);
  if ('result' in v) return (v as { result?: unknown }).result ?? '';
  return String(v);
}

/** Writes every sheet of the runtime: values, formulas (with their last values), formats. */
export async function writeXlsx(rt: LocalRuntime, path: string): Promise<void> {
  const book = new ExcelJS.Workbook();
  for (const sheet of rt.spreadsheet.order.map((id) => ({ id, name: rt.wb.sheetName(id) }))) {
    const meta = rt.wb.sheetMeta(sheet.id);
    const ws = book.addWorksheet(sheet.name, {
      views:
        meta.frozenRows || meta.frozenCols
          ? [{ state: 'frozen', ySplit: meta.frozenRows, xSplit: meta.frozenCols }]
          : undefined,
      properties: meta.tabColor
        ? { tabColor: { argb: `FF${meta.tabColor.replace('#', '')}` } }
        : undefined,
    });
    const { rows, cols } = rt.wb.extent(sheet.id);
    if (rows === 0 || cols === 0) continue;
    const values = rt.wb.getValues(sheet.id, 1, 1, rows, cols);
    const formulas = rt.wb.getFormulas(sheet.id, 1, 1, rows, cols);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = values[r][c];
        const f = formulas[r][c];
        const address = { sheet: sheet.id, row: r, col: c };
        if (!f && v !== '' && rt.wb.hf.isCellPartOfArray(address)) {
          // Part of a spilled result: saved as a value for other viewers, named so that loading
          // the file leaves the cell to its formula.
          book.definedNames.add(
            `${quoteSheet(sheet.name)}!$${colToLetters(c + 1)}$${r + 1}`,
            SPILL_NAME,
          );
        }
        const fmt = meta.formats.get(cellKey(r + 1, c + 1));
        if (v === '' && !f && !fmt) continue;
        const cell = ws.getCell(r + 1, c + 1);
        if (f) {
          cell.value = {
            formula: f.replace(/^=/, ''),
            // A date result (a date-formatted formula) is stored as the wall-clock serial too.
            result:
              Object.prototype.toString.call(v) === '[object Date]'
                ? new Date((rt.wb.dateToSerial(v as Date) - SERIAL_EPOCH_DAYS) * DAY_MS)
                : resultOf(v),
          } as ExcelJS.CellFormulaValue;
        } else if (Object.prototype.toString.call(v) === '[object Date]') {
          // Store the wall-clock time in the spreadsheet's zone, as the serial Sheets keeps.
          cell.value = new Date((rt.wb.dateToSerial(v as Date) - SERIAL_EPOCH_DAYS) * DAY_MS);
        } else if (v !== '') {
          cell.value = v as ExcelJS.CellValue;
        }
        if (fmt?.numberFormat) cell.numFmt = fmt.numberFormat;
        if (fmt?.background) {
          cell.fill = {
            type: 'pattern',
            pattern: 'solid',
            fgColor: { argb: `FF${fmt.background.replace('#', '')}` },
          };
        }
        if (fmt?.fontWeight === 'bold' || fmt?.fontColor) {
          cell.font = {
            bold: fmt.fontWeight === 'bold',
            color: fmt.fontColor ? { argb: `FF${fmt.fontColor.replace('#', '')}` } : undefined,
          };
        }
      }
    }
    for (const m of meta.merges) ws.mergeCells(m);
    for (const [col, width] of meta.columnWidths) ws.getColumn(col).width = Math.round(width / 7);
  }
  await book.xlsx.writeFile(path);
}

function resultOf(v: unknown): ExcelJS.CellValue {
  if (typeof v === 'string' && /^#[A-Z/0!?]+[!?A]?$/.test(v))
    return { error: v } as ExcelJS.CellErrorValue;
  return v as ExcelJS.CellValue;
}
