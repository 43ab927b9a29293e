/**
 * Writes SheetModels into the spreadsheet with a constant number of Sheets calls per sheet, and
 * only ever touches sheets it created.
 *
 * Ownership: the add-on keeps a registry in document properties (the sheet IDs it created, per
 * role). A sheet is ours only when the registry names its ID *and* its developer-metadata tag
 * agrees — a tag alone, which any script or copy can carry, proves nothing.
 *
 * A rebuild is all-or-nothing: the new sheets are written under temporary names (the pending
 * build's ID recorded first), then one registry write commits them; only after the commit are the
 * old sheets deleted and the new ones renamed. A failure — or Apps Script killing the run between
 * two calls — before the commit leaves the previous report whole; after it, the new report is
 * whole. Either way the next run heals what was left (temporary sheets, retired sheets, names).
 */

import type { Lang } from '../core/errors';
import { maxOf } from '../core/numbers';
import {
  type CellInput,
  type ConditionalRule,
  type SheetModel,
  sheetRef,
} from '../core/sheetModel';
import { APPEND_ONLY_KEYS } from '../core/sheets/index';
import { MAX_CELL_CHARS, truncateCell } from '../core/text';
import { EDITION } from '../edition';
import { sourceSheetsOf, strayQuerySheets, writeExtracts } from './connected';

export const META_KEY = 'kpi-tree-addon';
export const REGISTRY_KEY = 'kpi.registry';
export const TEMP_PREFIX = '~kpi-building-';
/** Tag role of the hidden data source sheets behind a data sheet's extracts (Connected Sheets). */
const SOURCE_ROLE = 'bq-source';
/** Tag of a data source sheet that lives for one call (a query read into the sidebar). */
export const PROBE_TAG = 'bq-probe';
/** A model replaced whole: its new sheet becomes the role's, the old one is retired. */
const whole = (m: SheetModel) => (m.extracts?.length ?? 0) > 0;
/** A new sheet's column width in Sheets (px). */
const DEFAULT_COLUMN_WIDTH = 100;
/** Sheets' limit for a whole spreadsheet. */
export const MAX_CELLS = 10_000_000;

type Sheet = GoogleAppsScript.Spreadsheet.Sheet;
type Spreadsheet = GoogleAppsScript.Spreadsheet.Spreadsheet;
type Properties = GoogleAppsScript.Properties.Properties;

/** What the add-on created: sheet ID and name per role, and the build in progress, if any. */
export interface Registry {
  sheets: Record<string, { id: number; name: string }>;
  /** IDs replaced by the last committed build, deleted after the commit (or by the next heal). */
  retired: number[];
  /** The build writing temporary sheets right now (or killed while doing so). */
  pending?: string;
  /** The IDs of the charts the add-on put on each role's sheet (a user's own are left alone). */
  charts?: Record<string, number[]>;
}

export function loadRegistry(props: Properties): Registry | undefined {
  const raw = props.getProperty(REGISTRY_KEY);
  if (!raw) return undefined;
  try {
    const r = JSON.parse(raw) as Registry;
    return {
      sheets: r.sheets ?? {},
      retired: r.retired ?? [],
      pending: r.pending,
      charts: r.charts,
    };
  } catch {
    return undefined;
  }
}

export function saveRegistry(props: Properties, reg: Registry): void {
  props.setProperty(REGISTRY_KEY, JSON.stringify(reg));
}

/**
 * Text as setValues must receive it to stay the same text: Sheets parses what it is given as if
 * typed (00123 → 123, TRUE → a boolean, 2025-01-01 → a date, =1 → a formula), so every string is
 * written behind an apostrophe, which keeps it text and is not shown or returned. Longer than a
 * cell holds: cut, with a marker saying so.
 */
export function guardText(s: string): string {
  if (s === '') return s;
  return `'${truncateCell(s)}`;
}

/** `⟦role⟧` in a model's formula: the sheet of that role built in the same run. */
const SHEET_REF = /⟦([a-z-]+)⟧/g;

/**
 * The values grid as setValues takes it: formulas as '=…', user text guarded. A formula that
 * names another sheet of the same build (`⟦kpi-tree⟧!B7`) is bound to that build's new sheet
 * under its temporary name; Sheets follows the sheet through its rename, and deleting the old
 * sheet of that role cannot turn it into #REF!.
 */
export function cellValues(
  values: CellInput[][],
  sheets: ReadonlyMap<string, string> = new Map(),
): (string | number | boolean)[][] {
  return values.map((line) =>
    line.map((v) => {
      if (v === null || v === undefined) return '';
      if (typeof v === 'object') {
        let f = v.f.startsWith('=') ? v.f : `=${v.f}`;
        f = f.replace(SHEET_REF, (_, role: string) => {
          const name = sheets.get(role);
          if (name === undefined) throw new Error(`no sheet of role ${role} in this build`);
          return sheetRef(name);
        });
        if (f.length > MAX_CELL_CHARS) throw new Error(`formula too long (${f.length} characters)`);
        return f;
      }
      if (typeof v === 'string') return guardText(v);
      if (typeof v === 'number' && !Number.isFinite(v)) return '';
      return v;
    }),
  );
}

const tagOf = (sheet: Sheet): string | undefined => {
  for (const m of sheet.getDeveloperMetadata())
    if (m.getKey() === META_KEY) return m.getValue() ?? '';
  return undefined;
};
/** The role in a tag value: "kpi-tree" or "kpi-tree#<build>". */
const roleOf = (tag: string) => tag.split('#')[0];

/**
 * Read-only view of what the add-on owns: the generated sheets by role (registered *and* tagged
 * with that role), and the IDs of every sheet of ours, leftovers of a killed run included (so the
 * sidebar never offers one as a lead tab). Writes nothing: healing needs the document lock.
 */
export function ownedSheets(
  ss: Spreadsheet,
  props: Properties,
): { byRole: Map<string, Sheet>; ids: Set<number> } {
  const reg = loadRegistry(props) ?? { sheets: {}, retired: [] };
  const byRole = new Map<string, Sheet>();
  const ids = new Set<number>();
  for (const sheet of ss.getSheets()) {
    const tag = tagOf(sheet);
    if (tag === undefined) continue;
    const id = sheet.getSheetId();
    const entry = reg.sheets[roleOf(tag)];
    if (entry && entry.id === id) {
      byRole.set(roleOf(tag), sheet);
      ids.add(id);
    } else if (
      reg.retired.includes(id) ||
      (reg.pending !== undefined && tag.endsWith(`#${reg.pending}`))
    ) {
      ids.add(id);
    }
  }
  return { byRole, ids };
}

/**
 * Brings the spreadsheet back to one sheet per role under its name: deletes the temporary sheets
 * of a build that never committed and the sheets a committed build retired, renames registered
 * sheets a killed swap left under a temporary name. Touches no sheet the registry does not name.
 * A registry from before this version (none at all) adopts tagged sheets that carry the role's
 * usual name.
 */
export function heal(
  ss: Spreadsheet,
  props: Properties,
  adoptNames?: Record<string, readonly string[]>,
): { owned: Map<string, Sheet>; registry: Registry } {
  const stored = loadRegistry(props);
  const reg: Registry = stored ?? { sheets: {}, retired: [] };
  const byId = new Map<number, { sheet: Sheet; tag?: string }>();
  for (const sheet of ss.getSheets()) byId.set(sheet.getSheetId(), { sheet, tag: tagOf(sheet) });
  // A run killed between inserting a temporary sheet and tagging it left it untagged: its name
  // carries the pending build's random ID, which only our registry knows.
  const tempName = reg.pending === undefined ? undefined : `${TEMP_PREFIX}${reg.pending}-`;
  let changed = false;
  if (!stored && adoptNames) {
    for (const [id, { sheet, tag }] of byId) {
      if (tag === undefined) continue;
      const role = roleOf(tag);
      if ((adoptNames[role] ?? []).includes(sheet.getName()) && !reg.sheets[role]) {
        reg.sheets[role] = { id, name: sheet.getName() };
        changed = true;
      }
    }
  }
  const registered = new Set(Object.values(reg.sheets).map((e) => e.id));
  // Leftovers: retired sheets, and a dead build's temporary ones (its ID is in the registry).
  for (const [id, { sheet, tag }] of byId) {
    if (registered.has(id)) continue;
    // A query's data source sheet (bigquery.ts runQuery) whose run was killed before it went.
    const retired = tag !== undefined && (reg.retired.includes(id) || tag === PROBE_TAG);
    const temp =
      tempName !== undefined &&
      (tag?.endsWith(`#${reg.pending}`) ||
        (tag === undefined && sheet.getName().startsWith(tempName)));
    if (retired || temp) {
      ss.deleteSheet(sheet);
      byId.delete(id);
      changed = true;
    }
  }
  if (reg.retired.length > 0 || reg.pending !== undefined) {
    reg.retired = [];
    reg.pending = undefined;
    changed = true;
  }
  const owned = new Map<string, Sheet>();
  for (const [role, entry] of Object.entries(reg.sheets)) {
    const found = byId.get(entry.id);
    if (!found || found.tag === undefined || roleOf(found.tag) !== role) {
      delete reg.sheets[role]; // deleted by the user, or not ours after all
      changed = true;
      continue;
    }
    owned.set(role, found.sheet);
  }
  // A swap killed between its renames: give registered sheets their names back.
  for (const [role, sheet] of owned) {
    const entry = reg.sheets[role];
    if (sheet.getName() !== entry.name) {
      // A new role's sheet, committed but killed before it was shown under its name.
      if (sheet.isSheetHidden()) sheet.showSheet();
      const name = freeName(ss, entry.name, sheet);
      sheet.setName(name);
      entry.name = name;
      changed = true;
    }
  }
  // The BigQuery edition: our queries' data source sheets that serve no extract (a run killed
  // before it could tag or delete one). Only there: the call needs Connected Sheets.
  if (EDITION === 'bigquery') {
    for (const stray of strayQuerySheets(ss, owned.get('bq-data'))) {
      ss.deleteSheet(stray);
      changed = true;
    }
  }
  if (changed) saveRegistry(props, reg);
  return { owned, registry: reg };
}

/** A failed rebuild, saying which report the spreadsheet holds now. */
export class SwapError extends Error {
  constructor(
    /**
     * 'previous': the previous report is whole and untouched. 'new': some report sheets hold the
     * new build (each sheet whole), the KPI tree says the rebuild is incomplete until a run
     * completes it.
     */
    readonly report: 'previous' | 'new',
    readonly cause: unknown,
  ) {
    super(String((cause as Error)?.message ?? cause));
    this.name = 'SwapError';
  }
}

/** Roles that builds append to and never replace (the sheet list's logs: definitions, history). */
const APPEND_ONLY = new Set(APPEND_ONLY_KEYS);

export interface WriteResult {
  sheets: { key: string; name: string }[];
  /** Every generated sheet after the swap, by key (saves a second scan of the spreadsheet). */
  generated: Map<string, Sheet>;
}

const CHART_ROWS = 18;
const CHART_COLS = 6;

/** A new sheet's grid in Sheets: 1,000 rows × 26 columns (local/engine.ts DEFAULT_GRID_*). */
export const NEW_SHEET_ROWS = 1000;
export const NEW_SHEET_COLS = 26;

/** The last row and column of an A1 range within a sheet ("E3:AZ40", "B5", "A2:A"). */
function rangeEnd(a1: string, rows: number): { row: number; col: number } {
  const ref = a1.slice(a1.lastIndexOf('!') + 1).split(':');
  const last = ref[ref.length - 1].replace(/\$/g, '');
  const m = /^([A-Za-z]*)(\d*)$/.exec(last);
  let col = 0;
  for (const ch of (m?.[1] ?? '').toUpperCase()) col = col * 26 + (ch.charCodeAt(0) - 64);
  const row = m?.[2] ? Number(m[2]) : rows;
  return { row, col };
}

/**
 * The grid a model needs: every cell it writes or formats, every rule and chart range, and the
 * room it declares for spills (SheetModel.grid). Sheets never grows a grid for a script (a range
 * outside it throws, a spill past it is #REF!), so the writer sizes each sheet to this first.
 */
export function gridOf(model: SheetModel): { rows: number; cols: number } {
  let rows = Math.max(1, model.values.length, model.grid?.rows ?? 0);
  let cols = Math.max(1, model.values[0]?.length ?? 0, model.grid?.cols ?? 0);
  for (const layer of [model.numberFormats, model.backgrounds, model.fontWeights]) {
    if (!layer) continue;
    rows = Math.max(rows, layer.length);
    cols = Math.max(cols, layer[0]?.length ?? 0);
  }
  const ranges = [
    ...(model.conditional ?? []).flatMap((r) => r.ranges),
    ...(model.charts ?? []).flatMap((c) => c.ranges),
  ];
  for (const r of ranges) {
    const end = rangeEnd(r, rows);
    rows = Math.max(rows, end.row);
    cols = Math.max(cols, end.col);
  }
  // A chart's footprint too: Sheets' default embedded chart is about 600 × 371 px, six default
  // columns (100 px) by eighteen default rows (21 px) from its anchor.
  for (const c of model.charts ?? []) {
    rows = Math.max(rows, c.row + CHART_ROWS);
    cols = Math.max(cols, c.col + CHART_COLS);
  }
  return { rows, cols };
}

/** Brings a sheet's grid to exactly rows × cols (from `have`), in at most two calls. */
export function sizeSheet(
  sheet: Sheet,
  have: { rows: number; cols: number },
  want: { rows: number; cols: number },
): void {
  if (want.rows > have.rows) sheet.insertRowsAfter(have.rows, want.rows - have.rows);
  else if (want.rows < have.rows) sheet.deleteRows(want.rows + 1, have.rows - want.rows);
  if (want.cols > have.cols) sheet.insertColumnsAfter(have.cols, want.cols - have.cols);
  else if (want.cols < have.cols) sheet.deleteColumns(want.cols + 1, have.cols - want.cols);
}

/**
 * Builds all models and puts them in place. Caller holds the document lock.
 *
 * A role the spreadsheet already has keeps its sheet — the same sheet object, ID, name and place —
 * so a user's formulas and charts that point at a report survive every rebuild (deleting a sheet
 * turns every reference to it into #REF! for good). Its new content is staged on a hidden sheet
 * and copied over the old one in one call (Range.copyTo: values, formulas and formats at once),
 * so each sheet is whole at every moment. A role that is new is written on a hidden sheet of its
 * own and shown under its name at the end.
 *
 * Phase 1 (staging) touches nothing the user sees: a failure there — caught or a killed run —
 * leaves the previous report whole, and the staged sheets are removed (now, or by the next run's
 * heal). The registry write that starts phase 2 commits the build; from then on each report sheet
 * is either its old or its new self, the KPI tree (copied first) says "rebuild incomplete" until
 * the last call of the run clears it, and the next run heals whatever a failure left.
 */
export function replaceSheets(
  ss: Spreadsheet,
  props: Properties,
  replaced: SheetModel[],
  adoptNames?: Record<string, readonly string[]>,
  /** Sheets to create only where their role has none yet (the append-only logs). */
  ensure: SheetModel[] = [],
  /** The models are the whole report: a role they no longer produce is retired too. */
  full = false,
  /** The language of the errors a query of an extract may end with. */
  lang: Lang = 'en',
): WriteResult {
  let setup: {
    owned: Map<string, Sheet>;
    registry: Registry;
    build: string;
    userSheet: Sheet;
  };
  const models = [...replaced];
  const sizes = new Map<string, { rows: number; cols: number }>();
  try {
    const healed = heal(ss, props, adoptNames);
    models.push(...ensure.filter((m) => !healed.owned.has(m.key)));
    for (const m of models) sizes.set(m.key, gridOf(m));
    checkCellLimit(ss, models, sizes);
    const build = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
    // Recorded before the first staged sheet exists: a killed run's sheets are known as ours.
    saveRegistry(props, { ...healed.registry, pending: build });
    // insertSheet makes the new sheet active: the user's view goes back at once (and stays
    // there until the caller shows the tree at the end).
    setup = { ...healed, build, userSheet: ss.getActiveSheet() };
  } catch (e) {
    throw new SwapError('previous', e); // nothing of the report was touched
  }
  const { owned, registry, build, userSheet } = setup;
  /** A staged model: its sheet, the sheet it replaces (if its role has one) and both grids. */
  type Staged = {
    model: SheetModel;
    sheet: Sheet;
    target?: Sheet;
    size: { rows: number; cols: number };
    have: { rows: number; cols: number };
  };
  const staged: Staged[] = [];
  // Formulas name the sheets of this build by their final home: the existing sheet of the role,
  // or the new hidden one (Sheets follows a sheet through its rename).
  const names = new Map<string, string>();
  // heal gave every registered sheet its registered name.
  for (const [role, sheet] of owned)
    names.set(role, registry.sheets[role]?.name ?? sheet.getName());
  const temp = (m: SheetModel) => `${TEMP_PREFIX}${build}-${m.key}`;
  for (const m of models) if (!owned.has(m.key) || whole(m)) names.set(m.key, temp(m));
  /** Data source sheets the new extracts made (removed with the staged sheets on failure). */
  const sources: Sheet[] = [];
  try {
    for (const model of models) {
      const target = whole(model) ? undefined : owned.get(model.key);
      const need = sizes.get(model.key) as { rows: number; cols: number };
      // Staged over the whole of the old grid too: the copy clears what the old report had there.
      const have = target
        ? { rows: target.getMaxRows(), cols: target.getMaxColumns() }
        : { rows: 0, cols: 0 };
      const size = target
        ? { rows: Math.max(need.rows, have.rows), cols: Math.max(need.cols, have.cols) }
        : need;
      const sheet = ss.insertSheet(target ? `${temp(model)}-staged` : temp(model));
      staged.push({ model, sheet, target, size, have });
      if (userSheet) ss.setActiveSheet(userSheet);
      sheet.addDeveloperMetadata(
        META_KEY,
        `${target ? 'staged:' : ''}${model.key}#${build}`,
        SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT,
      );
      sheet.hideSheet();
      sizeSheet(sheet, { rows: NEW_SHEET_ROWS, cols: NEW_SHEET_COLS }, size);
      writeCells(sheet, model, names);
      // A new role's sheet is final already: its formats, rules and charts go on it now.
      if (!target) writeLayout(sheet, model, registry, true);
      // Extracts last: refreshed (queries run) before anything of the report changes.
      writeExtracts(ss, sheet, model.extracts ?? [], lang, (source) => {
        sources.push(source);
        // Tagged with this build: a run killed from here on leaves it to the next heal.
        source.addDeveloperMetadata(
          META_KEY,
          `${SOURCE_ROLE}:${model.key}#${build}`,
          SpreadsheetApp.DeveloperMetadataVisibility.DOCUMENT,
        );
        source.hideSheet();
      });
    }
  } catch (e) {
    // Best effort: whatever this cannot remove, the next run's heal removes.
    try {
      for (const s of sources) ss.deleteSheet(s);
      for (const b of staged) ss.deleteSheet(b.sheet);
      saveRegistry(props, registry);
    } catch {
      // the heal of the next run cleans up
    }
    throw new SwapError('previous', e);
  }
  // The commit: one property write makes the new sheets the report's.
  const next: Registry = {
    sheets: { ...registry.sheets },
    retired: [],
    pending: build,
    charts: { ...(registry.charts ?? {}) },
  };
  for (const { model, sheet, target } of staged) {
    if (!target) next.sheets[model.key] = { id: sheet.getSheetId(), name: model.name };
  }
  // A report role this build does not produce (no owner column now: no activity sheet) would
  // stay behind, computing over columns that no longer mean what it thinks.
  const dropped = full
    ? [...owned.keys()].filter(
        (role) => !APPEND_ONLY.has(role) && !models.some((m) => m.key === role),
      )
    : [];
  for (const role of dropped) {
    next.retired.push((owned.get(role) as Sheet).getSheetId());
    delete next.sheets[role];
    delete next.charts?.[role];
  }
  // A data sheet replaced whole: the old one and its data source sheets go with the commit.
  const replacedWhole: Sheet[] = [];
  for (const { model } of staged) {
    const old = whole(model) ? owned.get(model.key) : undefined;
    if (!old) continue;
    replacedWhole.push(...sourceSheetsOf(old), old);
  }
  for (const s of replacedWhole) next.retired.push(s.getSheetId());
  try {
    saveRegistry(props, next);
  } catch (e) {
    try {
      for (const b of staged) ss.deleteSheet(b.sheet);
      saveRegistry(props, registry);
    } catch {
      // healed by the next run
    }
    throw new SwapError('previous', e); // the registry still names the previous report
  }
  const result: WriteResult = { sheets: [], generated: new Map(owned) };
  // The tree first: from here until the run's last call it says the rebuild is incomplete.
  const order = [...staged].sort(
    (a, b) => Number(b.model.incomplete !== undefined) - Number(a.model.incomplete !== undefined),
  );
  // Whether a report sheet holds the new build yet (the error says which report the user has).
  let copied = false;
  try {
    for (const { model, sheet, target, size, have } of order) {
      if (!target) continue;
      if (have.rows < size.rows || have.cols < size.cols)
        sizeSheet(target, have, {
          rows: Math.max(have.rows, size.rows),
          cols: Math.max(have.cols, size.cols),
        });
      sheet.getRange(1, 1, size.rows, size.cols).copyTo(target.getRange(1, 1));
      copied = true;
      result.generated.set(model.key, target);
      if (replaced.includes(model))
        result.sheets.push({ key: model.key, name: names.get(model.key) as string });
    }
    for (const s of replacedWhole) ss.deleteSheet(s);
    for (const { model, sheet, target } of order) {
      if (target) continue;
      copied = true;
      if (!model.hidden) sheet.showSheet();
      const name = freeName(ss, model.name, sheet);
      sheet.setName(name);
      next.sheets[model.key].name = name;
      result.generated.set(model.key, sheet);
      if (replaced.includes(model) && !model.hidden) result.sheets.push({ key: model.key, name });
    }
    for (const { model, target } of order) if (target) writeLayout(target, model, next);
    for (const role of dropped) {
      ss.deleteSheet(owned.get(role) as Sheet);
      result.generated.delete(role);
    }
    for (const { sheet, target } of order) if (target) ss.deleteSheet(sheet);
    next.retired = [];
    next.pending = undefined;
    saveRegistry(props, next);
    // The run's last call: the tree no longer says the rebuild is incomplete.
    for (const { model } of order) {
      const cell = model.incomplete;
      const home = result.generated.get(model.key);
      if (cell && home) home.getRange(cell.row, cell.col).clear();
    }
  } catch (e) {
    // Nothing temporary stays in sight: staged copies go now (or with the next run's heal).
    try {
      for (const { sheet, target } of order) if (target) ss.deleteSheet(sheet);
    } catch {
      // healed by the next run
    }
    throw new SwapError(copied ? 'new' : 'previous', e);
  }
  return result;
}

/** Refuses a build that would take the spreadsheet past Sheets' 10,000,000 cells. */
function checkCellLimit(
  ss: Spreadsheet,
  models: SheetModel[],
  sizes: Map<string, { rows: number; cols: number }>,
): void {
  let cells = 0;
  for (const sheet of ss.getSheets()) cells += sheet.getMaxRows() * sheet.getMaxColumns();
  // A staged sheet starts at Sheets' default grid (1,000 × 26) before it is sized; during the
  // build it exists beside the sheet it replaces.
  for (const m of models) {
    const size = sizes.get(m.key) ?? gridOf(m);
    cells += Math.max(NEW_SHEET_ROWS * NEW_SHEET_COLS, size.rows * size.cols);
  }
  if (cells > MAX_CELLS) {
    throw new Error(
      `This build needs about ${cells.toLocaleString('en')} cells; a spreadsheet holds at most ${MAX_CELLS.toLocaleString('en')}. Delete unused rows or columns (or tabs) first.`,
    );
  }
}

/** The model's name, or "name (2)" … when a user sheet already has it: never take theirs. */
function freeName(ss: Spreadsheet, name: string, self: Sheet): string {
  let candidate = name;
  for (let n = 2; ; n++) {
    const other = ss.getSheetByName(candidate);
    if (!other || other.getSheetId() === self.getSheetId()) return candidate;
    candidate = `${name} (${n})`;
  }
}

/**
 * A model's cells — values and formulas, number formats, colours, weights — in at most four
 * calls; the sheet is sized already (gridOf).
 */
export function writeCells(
  sheet: Sheet,
  model: SheetModel,
  sheets: ReadonlyMap<string, string> = new Map(),
): void {
  const rows = model.values.length;
  const cols = rows > 0 ? model.values[0].length : 0;
  if (rows === 0 || cols === 0) return;
  const range = sheet.getRange(1, 1, rows, cols);
  range.setValues(cellValues(model.values, sheets));
  const pad = <T>(layer: T[][], fill: T): T[][] =>
    Array.from({ length: rows }, (_, r) =>
      Array.from({ length: cols }, (_, c) => layer[r]?.[c] ?? fill),
    );
  if (model.numberFormats)
    range.setNumberFormats(pad(model.numberFormats, null).map((l) => l.map((f) => f ?? 'General')));
  if (model.backgrounds) range.setBackgrounds(pad(model.backgrounds, null));
  if (model.fontWeights) range.setFontWeights(pad(model.fontWeights, null));
}

/**
 * What a copy does not carry: frozen rows, column widths, conditional rules and the add-on's
 * charts (a user's own charts on the sheet are left alone; ours are known by the IDs the registry
 * keeps, or by their title when a killed run could not record them).
 */
function writeLayout(sheet: Sheet, model: SheetModel, reg: Registry, fresh = false): void {
  if (model.frozenRows) sheet.setFrozenRows(model.frozenRows);
  // One call per run of equal widths; a new sheet's columns are 100 px already.
  const widths = model.columnWidths ?? [];
  for (let start = 0; start < widths.length; ) {
    let end = start + 1;
    while (end < widths.length && widths[end] === widths[start]) end++;
    if (widths[start] !== DEFAULT_COLUMN_WIDTH)
      sheet.setColumnWidths(start + 1, end - start, widths[start]);
    start = end;
  }
  const rules = model.conditional ?? [];
  const charts = model.charts ?? [];
  const ours = new Set(reg.charts?.[model.key] ?? []);
  const titles = new Set(charts.map((c) => c.title));
  if (!fresh && (ours.size > 0 || titles.size > 0)) {
    for (const chart of sheet.getCharts()) {
      const title = chart.getOptions().get('title');
      if (ours.has(chart.getChartId() ?? -1) || titles.has(String(title))) sheet.removeChart(chart);
    }
  }
  const ids: number[] = [];
  if (rules.length > 0 || charts.length > 0) {
    // Every range the rules and charts name, fetched in one call.
    const names = [
      ...new Set([...rules.flatMap((r) => r.ranges), ...charts.flatMap((c) => c.ranges)]),
    ];
    const fetched = sheet.getRangeList(names).getRanges();
    const byName = new Map(names.map((n, i) => [n, fetched[i]]));
    const get = (n: string) => byName.get(n) as GoogleAppsScript.Spreadsheet.Range;
    // Replaces the sheet's rules: the old build's too.
    if (rules.length > 0 || !fresh)
      sheet.setConditionalFormatRules(rules.map((r) => conditionalRule(r.ranges.map(get), r)));
    for (const chart of charts) {
      let builder = sheet
        .newChart()
        .setChartType(chart.kind === 'line' ? Charts.ChartType.LINE : Charts.ChartType.COLUMN)
        .setPosition(chart.row, chart.col, 0, 0)
        .setOption('title', chart.title)
        .setTransposeRowsAndColumns(chart.transpose === true);
      for (const r of chart.ranges) builder = builder.addRange(get(r));
      sheet.insertChart(builder.build());
    }
    if (charts.length > 0)
      for (const c of sheet.getCharts())
        if (titles.has(String(c.getOptions().get('title')))) ids.push(c.getChartId() ?? -1);
  } else if (!fresh) {
    sheet.setConditionalFormatRules([]);
  }
  reg.charts = { ...(reg.charts ?? {}), [model.key]: ids };
}

function conditionalRule(
  ranges: GoogleAppsScript.Spreadsheet.Range[],
  rule: ConditionalRule,
): GoogleAppsScript.Spreadsheet.ConditionalFormatRule {
  const b = SpreadsheetApp.newConditionalFormatRule().setRanges(ranges);
  if (rule.kind === 'scale') {
    return b
      .setGradientMinpointWithValue(
        '#f4c7c3',
        SpreadsheetApp.InterpolationType.NUMBER,
        String(rule.values[0]),
      )
      .setGradientMidpointWithValue(
        '#fce8b2',
        SpreadsheetApp.InterpolationType.NUMBER,
        String(rule.values[1]),
      )
      .setGradientMaxpointWithValue(
        '#b7e1cd',
        SpreadsheetApp.InterpolationType.NUMBER,
        String(rule.values[2]),
      )
      .build();
  }
  const c =
    rule.kind === 'formula'
      ? b.whenFormulaSatisfied(rule.formula ?? '=FALSE')
      : rule.kind === 'atLeast'
        ? b.whenNumberGreaterThanOrEqualTo(rule.values[0])
        : rule.kind === 'below'
          ? b.whenNumberLessThan(rule.values[0])
          : b.whenNumberBetween(rule.values[0], rule.values[1]);
  if (rule.background) c.setBackground(rule.background);
  if (rule.fontColor) c.setFontColor(rule.fontColor);
  return c.build();
}

export { MAX_CELL_CHARS, truncateCell };
