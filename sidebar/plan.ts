/**
 * The plan step: period and window, revenue target and deal size, capacity, costs, the goals
 * (sidebar/goals.ts), the prospect ranks' horizons and why the definitions changed. Restored from
 * the saved settings when they are for the same lead tab.
 */
import type { TabInspection } from '../src/addon/api';
import { byId, el, input, labelled, select } from './dom';
import { CAPACITY_STAGES } from './fields';
import { goalsSection, syncOptionalGoals } from './goals';
import type { Ui } from './layout';
import { type State, sameTab } from './state';
import { optionalGoals } from './statuses';

export function renderPlan(ui: Ui, state: State, ins: TabInspection): void {
  const { t } = state;
  const s = sameTab(state, ins.name);
  const d = ins.defaults;
  // Saved by an earlier version as MQL / 商談 / 受注: the same stages.
  const legacy: Record<string, string> = { MQL: 'mql', 商談: 'deal', 受注: 'won' };
  const cap = (stage: string) =>
    s?.capacity.find((c) => c.stage === stage || legacy[c.stage] === stage);
  ui.planBox.replaceChildren(
    el(
      'label',
      { class: 'row' },
      el('span', {}, t.period),
      select(
        'period',
        [
          ['month', t.month],
          ['quarter', t.quarter],
        ],
        s?.period ?? d.period,
      ),
    ),
    el('label', { class: 'row' }, el('span', {}, t.from), input('from', d.from, 'date')),
    el('label', { class: 'row' }, el('span', {}, t.to), input('to', d.to, 'date')),
    ui.dataRange,
    el(
      'label',
      { class: 'row' },
      el('span', {}, t.target),
      input(
        'revenue-target',
        s?.revenueTarget !== undefined ? String(s.revenueTarget) : '',
        'number',
      ),
    ),
    el(
      'label',
      { class: 'row' },
      el('span', {}, t.avgDeal),
      input('avg-deal', s?.avgDealSize ? String(s.avgDealSize) : '', 'number'),
    ),
    // Money is shown in the amounts' currency as the data says it; a wrong guess is changed here.
    el(
      'label',
      { class: 'row' },
      el('span', {}, t.currency),
      select(
        'currency',
        [
          ['', t.currencyAuto],
          ['EUR', 'EUR €'],
          ['USD', 'USD $'],
          ['JPY', 'JPY ¥'],
          ['GBP', 'GBP £'],
        ],
        '',
      ),
    ),
    el(
      'label',
      { class: 'stack' },
      el('span', {}, t.exclude),
      input('exclude', (s?.targetExclude ?? []).join(', ')),
    ),
    el('h3', {}, t.heads),
    el(
      'div',
      { class: 'row triple legend', 'aria-hidden': 'true' },
      el('span', {}, ''),
      el('span', {}, t.headsCol),
      el('span', {}, t.perHeadCol),
    ),
    ...CAPACITY_STAGES.map((stage, i) =>
      el(
        'div',
        { class: 'row triple' },
        el('span', {}, t.capacityStages[i]),
        labelled(
          input(`heads-${i}`, String(cap(stage)?.heads ?? ''), 'number'),
          `${t.capacityStages[i]}: ${t.headsCol}`,
        ),
        labelled(
          input(`per-head-${i}`, String(cap(stage)?.perHead ?? ''), 'number'),
          `${t.capacityStages[i]}: ${t.perHeadCol}`,
        ),
      ),
    ),
    el('h3', {}, t.costs),
    el('p', { class: 'hint' }, t.costsHint),
    el(
      'label',
      { class: 'row' },
      el('span', {}, t.marketingSpend),
      input('cost-marketing', String(s?.costs?.marketing ?? ''), 'number'),
    ),
    el(
      'div',
      { class: 'row triple legend', 'aria-hidden': 'true' },
      el('span', {}, ''),
      el('span', {}, t.costHeads),
      el('span', {}, t.costPerHead),
    ),
    ...(['is', 'fs'] as const).map((div) =>
      el(
        'div',
        { class: 'row triple' },
        el('span', {}, div === 'is' ? t.isCost : t.fsCost),
        labelled(
          input(`cost-${div}-heads`, String(s?.costs?.[`${div}Heads`] ?? ''), 'number'),
          `${div.toUpperCase()}: ${t.costHeads}`,
        ),
        labelled(
          input(`cost-${div}-per-head`, String(s?.costs?.[`${div}PerHead`] ?? ''), 'number'),
          `${div.toUpperCase()}: ${t.costPerHead}`,
        ),
      ),
    ),
    goalsSection(t, state.lang, s?.kpis, s?.stretchMargin),
    el('h3', {}, t.horizons),
    ui.horizonsBox,
    el(
      'label',
      { class: 'stack' },
      el('span', {}, t.why),
      el('textarea', { id: 'why', rows: '2' }),
    ),
  );
  // The goals were drawn anew: offer the SAL nodes' while a status is mapped to SAL, LTV's while
  // the customers tab has start and end dates.
  syncOptionalGoals(optionalGoals(state));
}

const ranksOf = (ins: TabInspection): string[] =>
  ins.ranks.length > 0 ? ins.ranks : ['A', 'B', 'C'];

/** Horizons per rank: the rank column may change, typed values stay with their rank. */
export function renderHorizons(
  horizonsBox: HTMLElement,
  state: State,
  ins: TabInspection,
  fresh: boolean,
): void {
  const typed: Record<string, string> = {};
  if (!fresh)
    for (const i of Array.from(horizonsBox.querySelectorAll('input'))) {
      if (i.dataset.rank !== undefined) typed[i.dataset.rank] = i.value;
    }
  const s = sameTab(state, ins.name);
  horizonsBox.replaceChildren(
    ...ranksOf(ins)
      .slice(0, 6)
      .map((r, i) => {
        const box = input(
          `horizon-${i}`,
          typed[r] ?? String(s?.rankHorizons[r] ?? [90, 180, 365][i] ?? 365),
          'number',
        );
        box.dataset.rank = r;
        return el('label', { class: 'row' }, el('span', { title: r }, r), box);
      }),
  );
}

/** The window follows the data: a new tab or created column takes the data's last 12 months. */
export function renderWindow(dataRange: HTMLElement, state: State, ins: TabInspection): void {
  const { t, mapping } = state;
  dataRange.textContent = ins.dataRange
    ? t.dataRange(ins.dataRange.first, ins.dataRange.last)
    : t.noDataRange;
  const key = `${ins.name}\u0000${mapping.created ?? ''}`;
  if (key === state.windowKey) return;
  state.windowKey = key;
  const s = sameTab(state, ins.name);
  const restore = s !== undefined && s.mapping.created === mapping.created;
  byId<HTMLInputElement>('from').value = restore ? s.from : ins.defaults.from;
  byId<HTMLInputElement>('to').value = restore ? s.to : ins.defaults.to;
}
