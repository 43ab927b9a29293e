/**
 * THE stage-column set of the funnel: each column once — its FunnelInput (or DealColumns) key,
 * its KPI_FUNNEL parameter, and the lead-mapping fields it is read from (the first one mapped).
 * KPI_FUNNEL's adapter, the sheets' KPI_FUNNEL formula, the build's funnel input (plan.ts) and
 * what the build can measure (measuredOf) all derive from these two tables, so a new stage column
 * is one entry here (and its parameter in src/functions/kpiFunnel.ts, which checks the names).
 */
import type { DealColumns, FunnelInput } from './funnel';
import type { LeadMapping } from './leads';

export interface StageColumn<K extends string = string> {
  /** Its key in FunnelInput (lead tab) or DealColumns (deals tab). */
  readonly key: K;
  /** KPI_FUNNEL's parameter. */
  readonly param: string;
  /** The mapped fields it is read from: the first one mapped. */
  readonly fields: readonly (keyof LeadMapping)[];
  /** Used only with a status map (a status column means nothing without one). */
  readonly withStatusMap?: boolean;
}

/** The lead tab's (or the one export's) columns, in the order KPI_FUNNEL reads them. */
export const LEAD_STAGE_COLUMNS = [
  { key: 'created', param: 'created', fields: ['created'] },
  { key: 'mql', param: 'mql_dates', fields: ['mqlDate'] },
  { key: 'deal', param: 'deal_dates', fields: ['dealDate'] },
  { key: 'won', param: 'won_dates', fields: ['wonDate'] },
  { key: 'amounts', param: 'amounts', fields: ['amount'] },
  { key: 'companies', param: 'companies', fields: ['company', 'email'] },
  { key: 'targets', param: 'targets', fields: ['target'] },
  { key: 'statuses', param: 'statuses', fields: ['status'], withStatusMap: true },
  { key: 'close', param: 'close_dates', fields: ['closeDate'] },
  { key: 'lost', param: 'lost_dates', fields: ['lostDate'] },
  { key: 'kinds', param: 'row_types', fields: ['kind'], withStatusMap: true },
  { key: 'active', param: 'active', fields: ['active'] },
] as const satisfies readonly StageColumn<keyof FunnelInput>[];

/** A second tab of deals: its columns, in the order KPI_FUNNEL reads them. */
export const DEAL_STAGE_COLUMNS = [
  { key: 'created', param: 'deal_created', fields: ['created'] },
  { key: 'statuses', param: 'deal_statuses', fields: ['status'], withStatusMap: true },
  { key: 'close', param: 'deal_close_dates', fields: ['closeDate'] },
  { key: 'won', param: 'deal_won_dates', fields: ['wonDate'] },
  { key: 'lost', param: 'deal_lost_dates', fields: ['lostDate'] },
  { key: 'amounts', param: 'deal_amounts', fields: ['amount'] },
] as const satisfies readonly StageColumn<keyof DealColumns>[];

type Table = readonly StageColumn[];

/**
 * One value per column of a table, by `by` (its key or its parameter): `read` gives it, undefined
 * where there is none; a status column is left out (undefined) unless `statusMapped`.
 */
export function stageValues<S extends Table, B extends 'key' | 'param', V>(
  table: S,
  by: B,
  read: (column: S[number]) => V | undefined,
  statusMapped = true,
): { [C in S[number] as C[B]]?: V } {
  const out: Record<string, V | undefined> = {};
  for (const column of table) {
    out[column[by]] = column.withStatusMap && !statusMapped ? undefined : read(column);
  }
  return out as { [C in S[number] as C[B]]?: V };
}

/** A reader of mapped fields as a column reader: the first of the column's fields that is mapped. */
export function firstMapped<V>(
  field: (f: keyof LeadMapping) => V | undefined,
): (column: StageColumn) => V | undefined {
  return (column) => {
    for (const f of column.fields) {
      const v = field(f);
      if (v !== undefined) return v;
    }
    return undefined;
  };
}
