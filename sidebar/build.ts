/** The build step: the settings to the server, then its checks and a link to each sheet. */
import { el, lines } from './dom';
import type { Ui } from './layout';
import { call } from './server';
import { readSettings } from './settings';
import type { State } from './state';

/** One press of Build; `idle` is awaited first (the inspections still on their way). */
export async function build(ui: Ui, state: State, idle: () => Promise<void>): Promise<void> {
  const { t } = state;
  const { buildBtn, status, checksBox, openTitle, links } = ui;
  buildBtn.disabled = true;
  delete status.dataset.from;
  status.className = 'progress';
  status.textContent = t.building;
  checksBox.replaceChildren();
  openTitle.hidden = true;
  links.replaceChildren();
  try {
    await idle(); // the settings of the last inspection, not of one still on its way
    const onTable = state.source === 'bigquery';
    // A BigQuery table not read yet, or one that could not be read.
    if (onTable && !state.inspection?.bigquery) throw new Error(t.bqReadFirst);
    const result = await call('kpiBuild', readSettings(ui, state));
    // A report reading a BigQuery table can be refreshed from here; one reading a tab cannot.
    if (ui.bq) {
      ui.bq.refreshBox.hidden = !onTable;
      ui.bq.refreshStatus.textContent = '';
    }
    status.className = 'ok';
    status.textContent = t.built;
    const checks = [...(result.checks ?? [])];
    if (result.assumptions?.length) checks.push(t.assumed(result.assumptions.join(', ')));
    checksBox.replaceChildren(
      ...(checks.length > 0
        ? [el('h3', {}, t.checks), lines('check-list', 'warnings', checks)]
        : []),
    );
    openTitle.hidden = false;
    links.replaceChildren(
      ...result.sheets.map((s) => {
        const a = el('a', { href: '#', 'data-sheet': s.name }, s.name);
        a.addEventListener('click', (ev) => {
          ev.preventDefault();
          void call('kpiActivate', s.name);
        });
        return el('li', {}, a);
      }),
    );
  } catch (e) {
    status.className = 'error';
    status.textContent = t.failed + (e as Error).message;
  } finally {
    buildBtn.disabled = false;
  }
}
