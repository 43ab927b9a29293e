/**
 * Asking the server about the tabs. Each change asks again; an answer overtaken by a newer
 * question is dropped. While any is on its way, <body data-busy> is set, and a build waits for
 * all of them (`idle`). Each answer goes into the state and the steps that show it are redrawn.
 */
import type { ExtraKind } from '../src/core/extraTabs';
import type { RowKind } from '../src/core/stages';
import { renderColumns, renderDeals, renderExtra, renderPreview, renderProblems } from './columns';
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

  private showError = (e: unknown): void => {
    const { status } = this.ui;
    status.className = 'error';
    status.dataset.from = 'inspect';
    status.textContent = this.state.t.inspectFailed + String((e as Error)?.message ?? e);
  };

  /** A read that succeeds clears the message of one that failed. */
  private clearError(): void {
    const { status } = this.ui;
    if (status.dataset.from !== 'inspect') return;
    delete status.dataset.from;
    status.className = '';
    status.textContent = '';
  }

  /** The lead tab (fresh: a newly chosen tab, restored from the saved settings), then deals. */
  inspect(fresh: boolean): Promise<void> {
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
        // The join to the deals tab depends on the lead tab and its mapping.
        if (ui.dealsSel.value) await this.inspectDeals(fresh);
        else if (state.deals) await this.inspectDeals(false);
      })().catch(this.showError),
    );
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
