/** The stages step: a stage for each status value, and the five stages' names. */
import { byId, el, input, select } from './dom';
import { MAX_STATUSES } from './fields';
import { type OptionalGoals, syncOptionalGoals } from './goals';
import { type State, stageOf, statusValues } from './state';

/** One select per status value of both tabs, most frequent first; a choice is kept in `state`. */
export function renderStatuses(box: HTMLElement, state: State): void {
  const { t, lang } = state;
  const opts = Object.entries(t.stageOptions) as [string, string][];
  const values = statusValues(state);
  const shown = values.slice(0, MAX_STATUSES);
  box.replaceChildren(
    el('h3', {}, t.statusValues),
    ...(values.length === 0 ? [el('p', { class: 'hint' }, t.noStatus)] : []),
    ...shown.map((s, i) => {
      const sel = select(`status-${i}`, opts, stageOf(state, s));
      sel.dataset.value = s.value;
      sel.addEventListener('change', () => {
        state.chosen[s.value] = sel.value;
        syncOptionalGoals(optionalGoals(state));
      });
      const text = `${s.value} (${s.count.toLocaleString(lang)})`;
      // A stage proposed from the data (no word says it) stays marked until the user picks one.
      const proposed = s.proposed === true && state.chosen[s.value] === undefined;
      const name = el(
        'span',
        proposed
          ? { title: `${text} — ${t.proposedHint}`, class: 'proposed', 'data-proposed': t.proposed }
          : { title: text },
        text,
      );
      return el('label', { class: 'row' }, name, sel);
    }),
    ...(values.length > shown.length
      ? [el('p', { class: 'hint' }, t.moreStatuses(values.length - shown.length))]
      : []),
  );
  syncOptionalGoals(optionalGoals(state));
}

/** A status of the tabs is mapped to SAL (the tree then has its SAL nodes). */
export const mapsSal = (state: State): boolean =>
  statusValues(state).some((s) => stageOf(state, s) === 'sal');

/**
 * The optional goals the data measures: SAL's; LTV's (a customers tab with start and end — none
 * for a BigQuery source, whose build reads its one table).
 */
export function optionalGoals(state: State): OptionalGoals {
  const c = state.source === 'bigquery' ? undefined : state.extras.customers?.columns;
  return { sal: mapsSal(state), customers: c?.start !== undefined && c.end !== undefined };
}

/** The stage names (saved, else the language's), and the IS box that names stages 3–4. */
export function renderStageNames(box: HTMLElement, state: State): void {
  const { t, lang, saved } = state;
  const isBox = el('input', { id: 'is-stages', type: 'checkbox' }) as HTMLInputElement;
  const isStages = el('label', { class: 'check' }, isBox, t.isStages);
  isBox.addEventListener('change', () => {
    byId<HTMLInputElement>('stage-name-2').value = isBox.checked ? 'ISAL' : 'SAL';
    byId<HTMLInputElement>('stage-name-3').value = isBox.checked ? 'ISQL' : 'SQL';
  });
  const names =
    saved?.stageNames?.length === 5
      ? saved.stageNames
      : lang === 'ja'
        ? ['リード', 'MQL', 'SAL', 'SQL', '受注']
        : ['Lead', 'MQL', 'SAL', 'SQL', 'Won'];
  // Restored exactly: IS teams' names tick the box again.
  isBox.checked = names[2] === 'ISAL' && names[3] === 'ISQL';
  box.replaceChildren(
    el('h3', {}, t.stageNames),
    isStages,
    ...names.map((n, i) =>
      el('label', { class: 'row' }, el('span', {}, `${i + 1}`), input(`stage-name-${i}`, n)),
    ),
  );
}
