/**
 * The sidebar's five sections and the elements the steps fill in: made once, at start, in the
 * order the user reads them.
 */
import type { TabInfo } from '../src/addon/api';
import type { ExtraKind } from '../src/core/extraTabs';
import type { KpiSettings } from '../src/core/settings';
import { EDITION } from '../src/edition';
import { type BigQueryUi, bigQueryUi, type SourceKind } from './bigquery';
import { el, select } from './dom';
import { EXTRA_KINDS, ROW_KINDS } from './fields';
import type { Strings } from './i18n';

/** The page's elements the steps read and fill in. */
export interface Ui {
  sourceSel: HTMLSelectElement;
  dealsSel: HTMLSelectElement;
  /** Refills the deals tab's options (every tab but the lead tab), keeping `keep` if offered. */
  fillDealsOptions(keep: string): void;
  extraSelects: Record<ExtraKind, HTMLSelectElement>;
  extraBoxes: Record<ExtraKind, HTMLElement>;
  rowCount: HTMLElement;
  rowsAreSel: HTMLSelectElement;
  notesBox: HTMLElement;
  columnsBox: HTMLElement;
  dealsBox: HTMLElement;
  previewBox: HTMLElement;
  problemsBox: HTMLElement;
  statusesBox: HTMLElement;
  stageNamesBox: HTMLElement;
  planBox: HTMLElement;
  /** In the plan step (sidebar/plan.ts puts them there). */
  dataRange: HTMLElement;
  horizonsBox: HTMLElement;
  status: HTMLElement;
  checksBox: HTMLElement;
  openTitle: HTMLElement;
  links: HTMLElement;
  buildBtn: HTMLButtonElement;
  /** The BigQuery source (the BigQuery edition only; sidebar/bigquery.ts). */
  bq?: BigQueryUi;
}

/** Makes the sections in `root` (replacing what is there) and returns their elements. */
export function layout(
  root: HTMLElement,
  t: Strings,
  tabs: TabInfo[],
  suggested: string | null,
  saved: KpiSettings | null,
  suggestedDeals: string | null = null,
  source: SourceKind = 'tab',
): Ui {
  const sourceSel = select(
    'source',
    tabs.map((x) => [x.name, x.name]),
    saved?.leadSheet ?? suggested ?? tabs[0]?.name ?? '',
  );
  const dealsSel = el('select', { id: 'deals-source' }) as HTMLSelectElement;
  const fillDealsOptions = (keep: string) => {
    const others = tabs.filter((x) => x.name !== sourceSel.value);
    dealsSel.replaceChildren(
      el('option', { value: '' }, t.none),
      ...others.map((x) => el('option', { value: x.name }, x.name)),
    );
    dealsSel.value = others.some((x) => x.name === keep) ? keep : '';
    dealsSel.title = dealsSel.value;
  };
  // The saved deals tab for the saved lead tab; else the tab whose rows read as deals.
  fillDealsOptions(
    saved && saved.leadSheet === sourceSel.value
      ? (saved.deals?.sheet ?? '')
      : !saved && suggested === sourceSel.value
        ? (suggestedDeals ?? '')
        : '',
  );

  // The optional tabs: one select each, and below it the columns found in that tab.
  const extraSelects = {} as Record<ExtraKind, HTMLSelectElement>;
  const extraBoxes = {} as Record<ExtraKind, HTMLElement>;
  for (const kind of EXTRA_KINDS) {
    const sel = el('select', { id: `extra-${kind}` }) as HTMLSelectElement;
    sel.replaceChildren(
      el('option', { value: '' }, t.none),
      ...tabs.map((x) => el('option', { value: x.name }, x.name)),
    );
    const keep = saved?.[kind]?.sheet ?? '';
    sel.value = tabs.some((x) => x.name === keep) ? keep : '';
    sel.title = sel.value;
    extraSelects[kind] = sel;
    extraBoxes[kind] = el('div', { id: `extra-${kind}-columns`, class: 'extra' });
  }

  const ui: Ui = {
    sourceSel,
    dealsSel,
    fillDealsOptions,
    extraSelects,
    extraBoxes,
    rowCount: el('p', { id: 'row-count', class: 'muted' }),
    rowsAreSel: select(
      'rows-are',
      ROW_KINDS.map((k) => [k, t.rowKinds[k]]),
      'lead',
    ),
    notesBox: el('div', { id: 'notes-box' }),
    columnsBox: el('div', { id: 'columns' }),
    dealsBox: el('div', { id: 'deals' }),
    previewBox: el('div', { id: 'preview' }),
    problemsBox: el('div', { id: 'problems' }),
    statusesBox: el('div', { id: 'statuses' }),
    stageNamesBox: el('div', { id: 'stage-names' }),
    planBox: el('div', { id: 'plan' }),
    dataRange: el('p', { id: 'data-range', class: 'hint' }),
    horizonsBox: el('div', { id: 'horizons' }),
    status: el('div', { id: 'status', role: 'status' }),
    checksBox: el('div', { id: 'checks' }),
    openTitle: el('p', { id: 'open-title', class: 'open' }, t.open),
    links: el('ul', { id: 'links' }),
    buildBtn: el('button', { id: 'build', class: 'action' }, t.buildButton) as HTMLButtonElement,
  };
  ui.dealsBox.hidden = true;
  ui.openTitle.hidden = true;

  const leadRow = el('label', { class: 'row' }, el('span', {}, t.leadTab), sourceSel);
  const dealsRow = el('label', { class: 'row' }, el('span', {}, t.dealsTab), dealsSel);
  const more = [
    el('h3', {}, t.more),
    el('p', { class: 'hint' }, t.moreHint),
    ...EXTRA_KINDS.flatMap((kind) => [
      el('label', { class: 'row' }, el('span', {}, t.extraTabs[kind]), extraSelects[kind]),
      extraBoxes[kind],
    ]),
  ];
  // The BigQuery edition offers a BigQuery table instead of the lead tab; the Sheets-only
  // edition's Source step is the tabs alone.
  const bq =
    EDITION === 'bigquery' ? bigQueryUi(t, saved, source, [leadRow, dealsRow, ...more]) : undefined;
  if (bq) ui.bq = bq;
  const sourceStep = bq
    ? [
        el('h2', {}, t.sourceBigQuery),
        el('label', { class: 'row' }, el('span', {}, t.sourceKind), bq.kindSel),
        leadRow,
        bq.box,
        ui.rowCount,
        dealsRow,
        ...more,
        bq.note,
      ]
    : [el('h2', {}, t.source), leadRow, ui.rowCount, dealsRow, ...more];

  root.replaceChildren(
    el('section', {}, ...sourceStep),
    el(
      'section',
      {},
      el('h2', {}, t.columns),
      el('label', { class: 'row' }, el('span', {}, t.rowsAre), ui.rowsAreSel),
      ui.notesBox,
      ui.columnsBox,
      ui.dealsBox,
      el('h3', {}, t.preview),
      ui.previewBox,
      el('h3', {}, t.problems),
      ui.problemsBox,
    ),
    el('section', {}, el('h2', {}, t.stages), ui.statusesBox, ui.stageNamesBox),
    el('section', {}, el('h2', {}, t.plan), ui.planBox),
    el(
      'section',
      {},
      el('h2', {}, t.build),
      ui.buildBtn,
      ui.status,
      ui.checksBox,
      ui.openTitle,
      ui.links,
      bq?.refreshBox,
    ),
  );
  return ui;
}
