/**
 * The BigQuery edition's source (issue #25): a BigQuery table read through Connected Sheets
 * instead of the lead tab — a billing project, the table's id and a Read button in the Source
 * step, and after a build from a table, a Refresh button that re-runs the report's queries. Made
 * only when the page is the BigQuery edition's (sidebar/layout.ts); the Sheets-only edition's
 * sidebar has none of it.
 */
import type { KpiSettings } from '../src/core/settings';
import { el, input, select } from './dom';
import type { Strings } from './i18n';
import { call } from './server';

/** Where the lead rows come from: a tab of the spreadsheet, or a BigQuery table. */
export type SourceKind = 'tab' | 'bigquery';

/** The BigQuery source's elements (sidebar/layout.ts places them). */
export interface BigQueryUi {
  /** Tab or BigQuery table. */
  kindSel: HTMLSelectElement;
  project: HTMLInputElement;
  table: HTMLInputElement;
  readBtn: HTMLButtonElement;
  /** Reading…, or why the table could not be read, under the Read button. */
  status: HTMLElement;
  /** The project and table fields with the Read button (shown for a BigQuery source). */
  box: HTMLElement;
  /** Why the deals tab and the optional tabs are gone (shown for a BigQuery source). */
  note: HTMLElement;
  /** The tab source's elements (hidden for a BigQuery source). */
  tabOnly: HTMLElement[];
  /** In the build step: Refresh and its message (shown once a report reads a table). */
  refreshBox: HTMLElement;
  refreshBtn: HTMLButtonElement;
  refreshStatus: HTMLElement;
}

/**
 * The source a sidebar opens on: the saved build's (a table, or a tab); with none saved, a tab if
 * one looks like a lead list, else the BigQuery table (a spreadsheet made to report on BigQuery
 * has nothing but an empty sheet).
 */
export function initialSource(saved: KpiSettings | null, suggested: string | null): SourceKind {
  if (saved) return saved.bigquery ? 'bigquery' : 'tab';
  return suggested ? 'tab' : 'bigquery';
}

/** The BigQuery source's elements, filled from the saved settings when they read a table. */
export function bigQueryUi(
  t: Strings,
  saved: KpiSettings | null,
  source: SourceKind,
  tabOnly: HTMLElement[],
): BigQueryUi {
  const project = input('bq-project', saved?.bigquery?.project ?? '');
  project.placeholder = t.bqProjectPlaceholder;
  const table = input('bq-table', saved?.bigquery?.table ?? '');
  table.placeholder = t.bqTablePlaceholder;
  for (const i of [project, table]) {
    i.spellcheck = false;
    i.autocomplete = 'off';
    i.setAttribute('autocapitalize', 'off');
    // An id longer than the field is read in full on hover.
    i.title = i.value;
    i.addEventListener('input', () => {
      i.title = i.value;
    });
  }
  const readBtn = el('button', { id: 'bq-read', class: 'action' }, t.bqRead) as HTMLButtonElement;
  const status = el('p', { id: 'bq-status', role: 'status' });
  const refreshBtn = el(
    'button',
    { id: 'bq-refresh', class: 'secondary' },
    t.bqRefresh,
  ) as HTMLButtonElement;
  const refreshStatus = el('p', { id: 'bq-refresh-status', role: 'status' });
  const ui: BigQueryUi = {
    kindSel: select(
      'source-kind',
      [
        ['tab', t.sourceKinds.tab],
        ['bigquery', t.sourceKinds.bigquery],
      ],
      source,
    ),
    project,
    table,
    readBtn,
    status,
    box: el(
      'div',
      { id: 'bq-source' },
      // Full width, label above: a table id is long (project.dataset.table).
      el('label', { class: 'stack' }, el('span', {}, t.bqProject), project),
      el('label', { class: 'stack' }, el('span', {}, t.bqTable), table),
      el('p', { class: 'hint' }, t.bqHint),
      readBtn,
      status,
    ),
    note: el('p', { id: 'bq-note', class: 'hint' }, t.bqOneTable),
    tabOnly,
    refreshBox: el(
      'div',
      { id: 'bq-refresh-box' },
      el('p', { class: 'hint' }, t.bqRefreshHint),
      refreshBtn,
      refreshStatus,
    ),
    refreshBtn,
    refreshStatus,
  };
  showSource(ui, source);
  ui.refreshBox.hidden = !saved?.bigquery;
  return ui;
}

/** Shows the chosen source's elements and hides the other's. */
export function showSource(bq: BigQueryUi, source: SourceKind): void {
  const onTable = source === 'bigquery';
  bq.kindSel.value = source;
  bq.kindSel.title = bq.kindSel.selectedOptions[0]?.textContent ?? '';
  bq.box.hidden = !onTable;
  bq.note.hidden = !onTable;
  for (const e of bq.tabOnly) e.hidden = onTable;
}

/** Refresh: the report's extracts re-run their queries; the server's message is shown. */
export async function refreshBigQuery(bq: BigQueryUi, t: Strings): Promise<void> {
  const { refreshBtn, refreshStatus } = bq;
  refreshBtn.disabled = true;
  refreshStatus.className = 'progress';
  refreshStatus.textContent = t.bqRefreshing;
  try {
    const r = await call('kpiRefreshBigQuery');
    refreshStatus.className = r.failed.length > 0 ? 'warning' : 'ok';
    refreshStatus.textContent = r.message;
  } catch (e) {
    refreshStatus.className = 'error';
    refreshStatus.textContent = t.bqRefreshFailed + String((e as Error)?.message ?? e);
  } finally {
    refreshBtn.disabled = false;
  }
}
