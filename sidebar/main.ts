/**
 * The KPI sidebar: Source → Columns → Stages → Plan → Build. Every string that comes from the
 * user's sheet (tab names, headers, values) or from the server (reasons, notes, checks) is put
 * in the page with textContent, never as HTML (sidebar/dom.ts).
 *
 * The steps: sidebar/layout.ts (the sections), columns.ts (mapping), statuses.ts (stages),
 * plan.ts and goals.ts (plan), build.ts (build and result); sidebar/inspect.ts asks the server
 * about the tabs and redraws the steps; sidebar/state.ts is what they share.
 */
import { EDITION } from '../src/edition';
import { initialSource, refreshBigQuery, showSource } from './bigquery';
import { build } from './build';
import { el } from './dom';
import { EXTRA_KINDS } from './fields';
import { L, type Lang } from './i18n';
import { Inspector } from './inspect';
import { layout } from './layout';
import { call } from './server';
import { newState } from './state';
import { renderStageNames } from './statuses';

async function main(): Promise<void> {
  const root = document.getElementById('app') as HTMLElement;
  const lang: Lang = (await call('kpiLocale').catch(() => 'en')) === 'ja' ? 'ja' : 'en';
  const t = L[lang];
  document.documentElement.lang = lang;
  // Which deployment serves this page (src/edition.ts): the BigQuery source (issue #25) is offered
  // only in the BigQuery edition, whose manifest alone asks for bigquery.readonly.
  document.documentElement.dataset.edition = EDITION;
  root.replaceChildren(el('p', { class: 'muted' }, t.loading));
  const [{ tabs, suggested, suggestedDeals }, saved] = await Promise.all([
    call('kpiListTabs'),
    call('kpiLoadSettings'),
  ]);

  // The BigQuery edition opens on the saved build's source, else a lead tab if there is one.
  const source = EDITION === 'bigquery' ? initialSource(saved, suggested) : 'tab';
  const state = newState(lang, saved, source);
  const ui = layout(root, t, tabs, suggested, saved, suggestedDeals, source);
  renderStageNames(ui.stageNamesBox, state);
  const inspector = new Inspector(ui, state);
  const { bq } = ui;
  if (bq) {
    bq.kindSel.addEventListener('change', () => {
      state.source = bq.kindSel.value === 'bigquery' ? 'bigquery' : 'tab';
      showSource(bq, state.source);
      inspector.forget();
      if (state.source === 'tab') {
        ui.fillDealsOptions(ui.dealsSel.value);
        void inspector.inspect(true);
      } else if (bq.table.value.trim()) void inspector.inspect(true);
    });
    bq.readBtn.addEventListener('click', () => void inspector.inspect(true));
    for (const i of [bq.project, bq.table])
      i.addEventListener('keydown', (ev) => {
        if (ev.key === 'Enter' && !ev.isComposing) void inspector.inspect(true);
      });
    bq.refreshBtn.addEventListener('click', () => void refreshBigQuery(bq, t));
  }

  ui.sourceSel.addEventListener('change', () => {
    ui.fillDealsOptions(ui.dealsSel.value);
    void inspector.inspect(true);
  });
  ui.rowsAreSel.addEventListener('change', () => void inspector.inspect(false));
  ui.dealsSel.addEventListener('change', () => {
    ui.dealsSel.title = ui.dealsSel.value;
    void inspector.inspectDeals(true);
  });
  for (const kind of EXTRA_KINDS) {
    ui.extraSelects[kind].addEventListener('change', () => {
      ui.extraSelects[kind].title = ui.extraSelects[kind].value;
      void inspector.inspectExtra(kind, false);
    });
  }
  ui.buildBtn.addEventListener('click', () => build(ui, state, () => inspector.idle()));
  // A BigQuery table is read on opening only when one is filled in (restored from the saved build).
  if (state.source === 'tab' || bq?.table.value.trim()) await inspector.inspect(true);
  else inspector.forget();
  await Promise.all(EXTRA_KINDS.map((k) => inspector.inspectExtra(k, true)));
}

main().catch((e) => {
  const root = document.getElementById('app');
  if (root) root.replaceChildren(el('p', { class: 'error' }, String((e as Error)?.message ?? e)));
});
