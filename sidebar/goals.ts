/**
 * The plan step's goals: KGI → CSF → KPI, one collapsible block per node of the tree (CSF, owner,
 * target, deadline), and the stretch margin the SMART check's "Achievable" uses.
 */
import {
  DEFAULT_STRETCH,
  DIVISION_LABELS,
  GOAL_LIMITS,
  KPI_NODES,
  type KpiGoal,
  kpiLabel,
} from '../src/core/goals';
import type { KpiSettings } from '../src/core/settings';
import { byId, el, input, percent } from './dom';
import type { Lang, Strings } from './i18n';

export function goalsSection(
  t: Strings,
  lang: Lang,
  kpis: KpiSettings['kpis'],
  stretch: number | undefined,
): HTMLElement {
  return el(
    'div',
    { id: 'goals' },
    el('h3', {}, t.goals),
    el('p', { class: 'hint' }, t.goalsHint),
    el(
      'label',
      { class: 'row', title: t.stretchTitle },
      el('span', {}, t.stretch),
      input('stretch-margin', percent(stretch ?? DEFAULT_STRETCH), 'number'),
    ),
    ...KPI_NODES.map((node) => {
      const goal: KpiGoal | undefined = kpis?.[node.id];
      const label = kpiLabel(lang, node.id);
      const division = DIVISION_LABELS[lang][node.division];
      const id = `goal-${node.id}`;
      const target = goal?.target;
      const csf = input(`${id}-csf`, goal?.csf ?? '');
      csf.maxLength = GOAL_LIMITS.csf;
      const owner = input(`${id}-owner`, goal ? (goal.owner ?? division) : division);
      owner.maxLength = GOAL_LIMITS.owner;
      const targetBox = input(
        `${id}-target`,
        typeof target === 'number' ? (node.unit === 'rate' ? percent(target) : String(target)) : '',
        'number',
      );
      targetBox.min = '0';
      targetBox.step = 'any';
      if (node.unit === 'rate') targetBox.max = '100';
      targetBox.dataset.unit = node.unit;
      // A KPI with a saved goal opens by itself: what was written is in sight.
      const written = !!goal?.csf || (target !== undefined && target !== '') || !!goal?.deadline;
      // An optional node is offered only while the data can measure it: SAL's while a status is
      // mapped to its stage, LTV's while the customers tab has start and end dates.
      const offeredWith: keyof OptionalGoals = 'retention' in node.actual ? 'customers' : 'sal';
      return el(
        'details',
        {
          id,
          class: 'goal',
          ...(written ? { open: '' } : {}),
          ...('optional' in node && node.optional
            ? { 'data-optional': offeredWith, hidden: '' }
            : {}),
        },
        el(
          'summary',
          {},
          el('span', { class: 'kpi' }, label),
          el('span', { class: 'division' }, division),
        ),
        el('label', { class: 'stack' }, el('span', {}, t.csf), csf),
        el('label', { class: 'row' }, el('span', {}, t.owner), owner),
        // Revenue and the average deal size have their plan inputs above: one place for each.
        node.id === 'revenue' || node.id === 'avgDeal'
          ? el(
              'div',
              { class: 'row' },
              el('span', {}, t.goalTarget),
              el('span', { class: 'hint' }, t.targetAbove),
            )
          : el(
              'label',
              { class: 'row' },
              el('span', {}, t.goalTarget),
              el(
                'span',
                { class: 'with-unit' },
                targetBox,
                el('span', { class: 'unit' }, t.units[node.unit]),
              ),
            ),
        el(
          'label',
          { class: 'row' },
          el('span', {}, t.deadline),
          input(`${id}-deadline`, goal?.deadline ?? '', 'date'),
        ),
      );
    }),
  );
}

/** Every node's goal as typed; a rate is typed in % and stored as a fraction. */
export function readGoals(num: (id: string) => number | ''): Record<string, KpiGoal> {
  const kpis: Record<string, KpiGoal> = {};
  for (const node of KPI_NODES) {
    const id = `goal-${node.id}`;
    const target = num(`${id}-target`);
    // A goal not offered now (an optional node while no status is mapped to its stage) is sent
    // only when something was written in it: mapping SAL off and on again loses nothing.
    const written =
      target !== '' ||
      byId<HTMLInputElement>(`${id}-csf`).value !== '' ||
      byId<HTMLInputElement>(`${id}-deadline`).value !== '';
    if (byId<HTMLElement>(id).hidden && !written) continue;
    kpis[node.id] = {
      csf: byId<HTMLInputElement>(`${id}-csf`).value,
      owner: byId<HTMLInputElement>(`${id}-owner`).value,
      target: target !== '' && node.unit === 'rate' ? target / 100 : target,
      deadline: byId<HTMLInputElement>(`${id}-deadline`).value,
    };
  }
  return kpis;
}

/** What the optional goals need: a status mapped to SAL; a customers tab with start and end dates. */
export type OptionalGoals = Record<'sal' | 'customers', boolean>;

/** Shows each optional goal (SAL's, LTV's) while the data can measure it, hides it otherwise. */
export function syncOptionalGoals(offered: OptionalGoals): void {
  for (const d of Array.from(document.querySelectorAll<HTMLElement>('details.goal[data-optional]')))
    d.hidden = !offered[d.dataset.optional as keyof OptionalGoals];
}
