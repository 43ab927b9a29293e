/**
 * Asking the server about the tabs. Each change asks again; an answer overtaken by a newer
 * question is dropped. While any is on its way, <body data-busy> is set, and a build waits for
 * all of them (`idle`). Each answer goes into the state and the steps that show it are redrawn.
 */
import type { ExtraKind } from '../src/core/extraTabs';
import type { RowKind } from '../src/core/stages';
import { renderColumns, renderDeals, renderExtra, renderPreview, renderProblems } from './columns';
import { el } from './dom';
import type { Ui } from './layout';
import { renderHorizons, renderPlan, renderWindow } from './plan';
import { call } from './server';
import { type State, sameTab } from './state';
import { renderStatuses } from './statuses';

export class Inspector {
  private leadSeq = 0;
  private dealSeq = 0;
  private readonly extraSeq: Partial<Record<ExtraKind, number>> = {};
  private pending = 0;
  private settled: Promise<void> = Promise.resolve();

  constructor(
    private readonly ui: Ui,
    private readonly state: State,
  ) {}

  /** Resolves when every inspection asked for so far has answered (or failed). */
  idle(): Promise<void> {
    return this.settled;
  }

  private track<T>(p: Promise<T>): Promise<T> {
    this.pending++;
    document.body.dataset.busy = '1';
    const done = p.then(
      () => undefined,
      () => undefined,
    );
    this.settled = this.settled.then(() => done);
    return p.finally(() => {
      this.pending--;
      if (this.pending === 0) delete document.body.dataset.busy;
    });
  }

  /** Why a read failed: beside the Read button for a BigQuery table, else in the build step. */
  private showError = (e: unknown): void => {
    const { ui, state } = this;
    const why = String((e as Error)?.message ?? e);
    if (ui.bq && state.source === 'bigquery') {
      ui.bq.status.className = 'error';
      ui.bq.status.textContent = state.t.bqFailed + why;
      return;
    }
    const { status } = ui;
    status.className = 'error';
    status.dataset.from = 'inspect';
    status.textContent = state.t.inspectFailed + why;
  };

  /** A read that succeeds clears the message of one that failed. */
  private clearError(): void {
    const { status, bq } = this.ui;
    if (bq) {
      bq.status.className = '';
      bq.status.textContent = '';
    }
    if (status.dataset.from !== 'inspect') return;
    delete status.dataset.from;
    status.className = '';
    status.textContent = '';
  }

  /**
   * Forgets the lead source's inspection (the source was switched, or a table could not be read):
   * answers still on their way are dropped, the steps that showed it are emptied, and Build asks
   * for a source first.
   */
  forget(): void {
    const { ui, state } = this;
    this.leadSeq++;
    this.dealSeq++;
    state.inspection = undefined;
    state.mapping = {};
    state.deals = undefined;
    state.dealMapping = {};
    ui.rowCount.textContent = '';
    ui.notesBox.replaceChildren();
    ui.columnsBox.replaceChildren();
    ui.previewBox.replaceChildren();
    ui.problemsBox.replaceChildren();
    renderDeals(ui, state, () => undefined);
    // No source, no status values (not "no status column"), no plan from its data.
    ui.statusesBox.replaceChildren();
    ui.planBox.replaceChildren();
    this.clearError();
    if (state.source === 'bigquery')
      ui.columnsBox.replaceChildren(el('p', { class: 'hint' }, state.t.bqReadFirst));
  }

  /**
   * The lead source: the lead tab, or (the BigQuery edition) the BigQuery table. `fresh`: a newly
   * chosen tab or table, restored from the saved settings if they are for it; else the same
   * source again with the mapping and row kind as they stand.
   */
  inspect(fresh: boolean): Promise<void> {
    if (this.ui.bq && this.state.source === 'bigquery') return this.inspectTable(fresh);
    const { ui, state } = this;
    return this.track(
      (async () => {
        const seq = ++this.leadSeq;
        const name = ui.sourceSel.value;
        if (!name) return;
        const s = sameTab(state, name);
        const ins = fresh
          ? s
            ? await call('kpiInspectTab', name, { ...s.mapping }, s.rowsAre)
            : await call('kpiInspectTab', name)
          : await call('kpiInspectTab', name, state.mapping, ui.rowsAreSel.value as RowKind);
        if (seq !== this.leadSeq) return;
        this.clearError();
        this.show(ins, fresh);
        // The join to the deals tab depends on the lead tab and its mapping.
        if (ui.dealsSel.value) await this.inspectDeals(fresh);
        else if (state.deals) await this.inspectDeals(false);
      })().catch(this.showError),
    );
  }

  /**
   * The BigQuery table: fresh, the one the inputs name (its schema and a sample, through
   * Connected Sheets); else the one read last, with the mapping as it stands. One table is the
   * whole source: no deals tab joins it.
   */
  private inspectTable(fresh: boolean): Promise<void> {
    const { ui, state } = this;
    const bq = ui.bq as NonNullable<Ui['bq']>;
    const read = state.inspection?.bigquery;
    if (!fresh && !read) return Promise.resolve();
    const project = fresh ? bq.project.value.trim() : (read?.project ?? '');
    const table = fresh ? bq.table.value.trim() : (read?.table ?? '');
    const seq = ++this.leadSeq;
    this.dealSeq++;
    bq.readBtn.disabled = true;
    bq.status.className = 'progress';
    bq.status.textContent = state.t.bqReading;
    return this.track(
      (async () => {
        const s = fresh ? sameTab(state, table) : undefined;
        const ins = fresh
          ? s
            ? await call('kpiInspectBigQuery', project, table, { ...s.mapping }, s.rowsAre)
            : await call('kpiInspectBigQuery', project, table)
          : await call(
              'kpiInspectBigQuery',
              project,
              table,
              state.mapping,
              ui.rowsAreSel.value as RowKind,
            );
        if (seq !== this.leadSeq) return;
        this.clearError();
        state.deals = undefined;
        state.dealMapping = {};
        renderDeals(ui, state, () => undefined);
        this.show(ins, fresh);
        ui.rowCount.textContent = state.t.bqSample(ins.rows);
      })()
        .catch((e: unknown) => {
          if (seq !== this.leadSeq) return;
          // A table that cannot be read is no source: the steps do not keep the previous one's.
          if (fresh) this.forget();
          this.showError(e);
        })
        .finally(() => {
          bq.readBtn.disabled = false;
        }),
    );
  }

  /** An inspection of the lead source into the state, and the steps that show it redrawn. */
  private show(ins: NonNullable<State['inspection']>, fresh: boolean): void {
    const { ui, state } = this;
    state.inspection = ins;
    state.mapping = { ...ins.mapping };
    ui.rowCount.textContent = state.t.rows(ins.rows);
    renderColumns(ui, state, ins, () => void this.inspect(false));
    renderPreview(ui, state, ins);
    renderProblems(ui, state);
    renderStatuses(ui.statusesBox, state);
    if (fresh) renderPlan(ui, state, ins);
    renderHorizons(ui.horizonsBox, state, ins, fresh);
    renderWindow(ui.dataRange, state, ins);
  }

  /** The deals tab, joined to the lead tab as mapped. */
  inspectDeals(fresh: boolean): Promise<void> {
    const { ui, state } = this;
    return this.track(
      (async () => {
        const seq = ++this.dealSeq;
        const name = ui.dealsSel.value;
        const lead = state.inspection;
        if (!name || !lead) {
          state.deals = undefined;
          state.dealMapping = {};
        } else {
          const s = sameTab(state, lead.name);
          const restore =
            fresh && s?.deals && s.deals.sheet === name ? { ...s.deals.mapping } : undefined;
          const ins = await call(
            'kpiInspectDeals',
            name,
            lead.name,
            state.mapping,
            fresh ? restore : state.dealMapping,
          );
          if (seq !== this.dealSeq) return;
          this.clearError();
          state.deals = ins;
          state.dealMapping = { ...ins.mapping };
        }
        renderDeals(ui, state, () => void this.inspectDeals(false));
        renderProblems(ui, state);
        renderStatuses(ui.statusesBox, state);
      })().catch(this.showError),
    );
  }

  /** An optional tab's columns (fresh: restored from the saved settings if the same tab). */
  inspectExtra(kind: ExtraKind, fresh: boolean): Promise<void> {
    const { ui, state } = this;
    return this.track(
      (async () => {
        const seq = (this.extraSeq[kind] ?? 0) + 1;
        this.extraSeq[kind] = seq;
        const name = ui.extraSelects[kind].value;
        if (!name) {
          delete state.extras[kind];
          renderExtra(ui, state, kind, [], 0);
          return;
        }
        const ins = await call('kpiInspectExtra', name, kind);
        if (seq !== this.extraSeq[kind]) return;
        this.clearError();
        const kept = state.saved?.[kind];
        const restore = fresh && kept && kept.sheet === name && kept.headerRow === ins.headerRow;
        state.extras[kind] = {
          sheet: name,
          headerRow: ins.headerRow,
          columns: { ...(restore ? kept.columns : ins.columns) },
        };
        renderExtra(ui, state, kind, ins.header, ins.rows);
      })().catch(this.showError),
    );
  }
}
