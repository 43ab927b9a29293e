/**
 * What the sidebar knows between the server's answers: the lead tab's inspection and mapping, the
 * deals tab's, the optional tabs' columns, the user's stage choices, and the saved settings it
 * started from. The steps read and write it; only sidebar/inspect.ts replaces the inspections.
 */
import type { DealsInspection, TabInspection } from '../src/addon/api';
import type { ExtraKind, ExtraTab } from '../src/core/extraTabs';
import type { LeadMapping } from '../src/core/leads';
import type { BigQuerySource, KpiSettings } from '../src/core/settings';
import type { SourceKind } from './bigquery';
import { L, type Lang, type Strings } from './i18n';

export interface State {
  readonly lang: Lang;
  readonly t: Strings;
  /** The settings saved by the last build, if any. */
  readonly saved: KpiSettings | null;
  /** Where the lead rows come from: a tab, or (the BigQuery edition) a BigQuery table. */
  source: SourceKind;
  /** The lead tab's inspection, or the BigQuery table's (with `bigquery`: what it read). */
  inspection: (TabInspection & { bigquery?: BigQuerySource }) | undefined;
  mapping: LeadMapping;
  deals: DealsInspection | undefined;
  dealMapping: LeadMapping;
  /** Stages chosen by hand in this session, by status value (they survive re-inspection). */
  readonly chosen: Record<string, string>;
  readonly savedMap: Record<string, string>;
  /** Tab and created column the window was last set for. */
  windowKey: string;
  /** The optional tabs chosen, with their columns. */
  readonly extras: Partial<Record<ExtraKind, ExtraTab>>;
}

export function newState(lang: Lang, saved: KpiSettings | null, source: SourceKind = 'tab'): State {
  return {
    lang,
    t: L[lang],
    saved,
    source,
    inspection: undefined,
    mapping: {},
    deals: undefined,
    dealMapping: {},
    chosen: {},
    savedMap: saved?.statusMap ?? {},
    windowKey: '',
    extras: {},
  };
}

/** The saved settings if they are for this lead tab (or, for a BigQuery source, this table). */
export const sameTab = (state: State, name: string): KpiSettings | undefined =>
  state.saved &&
  state.saved.leadSheet === name &&
  (state.saved.bigquery !== undefined) === (state.source === 'bigquery')
    ? state.saved
    : undefined;

export interface StatusValue {
  value: string;
  count: number;
  guess: string;
  /** No word says what it means: the stage was proposed from the data, to be confirmed. */
  proposed?: boolean;
}

/** The status values of both tabs (one map for both): deduplicated, counts added. */
export function statusValues(state: State): StatusValue[] {
  const merged = new Map<string, StatusValue>();
  for (const s of [...(state.inspection?.statuses ?? []), ...(state.deals?.statuses ?? [])]) {
    const m = merged.get(s.value);
    if (m) m.count += s.count;
    else merged.set(s.value, { ...s });
  }
  return [...merged.values()].sort((a, b) => b.count - a.count);
}

/** A status value's stage: chosen here, else saved, else the server's guess. */
export const stageOf = (state: State, s: { value: string; guess: string }): string =>
  state.chosen[s.value] ?? state.savedMap[s.value] ?? s.guess;
