/**
 * The mapping step: which column is which field — the lead tab's, the deals tab's, the optional
 * tabs' — with the lead tab's first rows as mapped and the problems found in the cells.
 */
import type { TabInspection } from '../src/addon/api';
import { EXTRA_COLUMNS, type ExtraKind } from '../src/core/extraTabs';
import type { LeadField } from '../src/core/headers';
import type { ColumnIssue, LeadMapping } from '../src/core/leads';
import { el, lines, select } from './dom';
import { DEAL_FIELDS, FIELDS, PREVIEW_FIELDS } from './fields';
import { syncOptionalGoals } from './goals';
import type { Strings } from './i18n';
import type { Ui } from './layout';
import type { State } from './state';
import { optionalGoals } from './statuses';

/** One select per field, each with the reason its column was taken (or "chosen by you"). */
function mappingRows(
  t: Strings,
  prefix: string,
  fields: LeadField[],
  ins: TabInspection,
  map: LeadMapping,
  label: (f: LeadField) => string,
  onChange: () => void,
): HTMLElement[] {
  const options: [string, string][] = [
    ['', t.none],
    ...ins.header.map((h, i): [string, string] => [String(i), h || `#${i + 1}`]),
  ];
  return fields.map((f) => {
    const s = select(`${prefix}${f}`, options, map[f] === undefined ? '' : String(map[f]));
    s.addEventListener('change', () => {
      if (s.value === '') delete map[f];
      else map[f] = Number(s.value);
      onChange();
    });
    const reason = map[f] !== undefined ? ins.reasons[f] : undefined;
    // A role read from the values with little certainty asks to be checked.
    const unsure = map[f] !== undefined && ins.confidence?.[f] === 'low';
    return el(
      'label',
      { class: 'row' },
      el('span', {}, label(f)),
      s,
      reason
        ? el(
            'span',
            { class: unsure ? 'reason unsure' : 'reason', id: `${prefix}reason-${f}` },
            reason,
          )
        : null,
    );
  });
}

/** The lead tab's fields; a change calls `onChange` (the tab is inspected again). */
export function renderColumns(
  ui: Ui,
  state: State,
  ins: TabInspection,
  onChange: () => void,
): void {
  const { t } = state;
  ui.rowsAreSel.value = ins.rowsAre;
  ui.rowsAreSel.title = t.rowKinds[ins.rowsAre];
  ui.notesBox.replaceChildren(
    lines('warnings', 'warnings', ins.warnings),
    lines('notes', 'notes', ins.notes),
  );
  ui.columnsBox.replaceChildren(
    ...mappingRows(t, 'map-', FIELDS, ins, state.mapping, (f) => t.fields[f], onChange),
  );
}

/** The deals tab's fields, if one is chosen; a change calls `onChange`. */
export function renderDeals(ui: Ui, state: State, onChange: () => void): void {
  const { t } = state;
  const d = state.deals;
  ui.dealsBox.hidden = d === undefined;
  if (!d) {
    ui.dealsBox.replaceChildren();
    return;
  }
  ui.dealsBox.replaceChildren(
    el('h3', {}, t.dealColumns(d.name)),
    lines('deal-warnings', 'warnings', d.warnings),
    lines('deal-notes', 'notes', d.notes),
    ...mappingRows(
      t,
      'deal-map-',
      DEAL_FIELDS,
      d,
      state.dealMapping,
      (f) => (f === 'created' ? t.dealCreated : t.fields[f]),
      onChange,
    ),
  );
}

/** One mapped field per row: its name, then its first values (dates as yyyy-mm-dd). */
export function renderPreview(ui: Ui, state: State, ins: TabInspection): void {
  const { t } = state;
  const shown = PREVIEW_FIELDS.filter((f) => state.mapping[f] !== undefined);
  const table = el('table', { class: 'preview' });
  for (const f of shown) {
    const values = ins.preview.map((r) => r[ins.fields.indexOf(f)] ?? '').filter((v) => v !== '');
    const text = values.slice(0, 3).join(' · ');
    table.append(
      el(
        'tr',
        {},
        el('th', { title: t.fields[f] }, t.fields[f]),
        el('td', { title: values.join('\n') }, text),
      ),
    );
  }
  ui.previewBox.replaceChildren(table);
}

/** The unreadable cells and the date columns' judgements, of both tabs. */
export function renderProblems(ui: Ui, state: State): void {
  const { t } = state;
  const issues = [...(state.inspection?.issues ?? []), ...(state.deals?.issues ?? [])];
  ui.problemsBox.replaceChildren(
    issues.length === 0
      ? el('p', { class: 'ok' }, t.noProblems)
      : el(
          'ul',
          { class: 'problems' },
          ...issues.map((p) =>
            el(
              'li',
              // Dates read back correctly are information, not a problem to fix before building.
              p.kind === 'dateSwapped' ? { class: 'info' } : {},
              p.kind === 'date' || p.kind === 'number'
                ? t.problem(p.header, p.count, p.firstRows, p.kind)
                : t.dateCells(p as ColumnIssue),
            ),
          ),
        ),
  );
}

/** The columns of an optional tab: found by the server, changeable here. */
export function renderExtra(
  ui: Ui,
  state: State,
  kind: ExtraKind,
  header: string[],
  rows: number,
): void {
  const { t } = state;
  const x = state.extras[kind];
  const box = ui.extraBoxes[kind];
  // The customers tab's start and end dates decide whether LTV's goals are offered.
  syncOptionalGoals(optionalGoals(state));
  if (!x) {
    box.replaceChildren();
    return;
  }
  const options: [string, string][] = [
    ['', t.none],
    ...header.map((h, i): [string, string] => [String(i), h || `#${i + 1}`]),
  ];
  box.replaceChildren(
    el('p', { class: 'muted' }, t.extraRows(rows)),
    ...EXTRA_COLUMNS[kind].map((role) => {
      const cur = x.columns[role];
      const sel = select(`extra-${kind}-${role}`, options, cur === undefined ? '' : String(cur));
      sel.addEventListener('change', () => {
        if (sel.value === '') delete x.columns[role];
        else x.columns[role] = Number(sel.value);
        syncOptionalGoals(optionalGoals(state));
      });
      return el('label', { class: 'row' }, el('span', {}, t.roles[role]), sel);
    }),
  );
}
