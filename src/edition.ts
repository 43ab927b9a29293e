/**
 * Which Apps Script deployment this bundle is (issue #25). The add-on ships as two projects built
 * from the same source: the Sheets-only edition (manifest: exactly spreadsheets.currentonly and
 * script.container.ui) and the BigQuery edition (the same + bigquery.readonly, for Connected
 * Sheets). A Sheets-only user never grants a BigQuery scope. scripts/editions.mjs builds both and
 * sets `KPI_EDITION` with an esbuild `define` in the server bundle and in the pages alike; without
 * a define (tests running the sources, other builds) the edition is "sheets".
 *
 * Compare EDITION only from other modules (`if (EDITION === 'bigquery')`), never here: esbuild
 * inlines a constant within its own module but not across modules, so the two builds stay
 * identical except for this one literal (tests/scripts/manifests.test.ts swaps it and compares).
 */
declare const KPI_EDITION: string | undefined;

export type Edition = 'sheets' | 'bigquery';

export const EDITION: Edition =
  typeof KPI_EDITION !== 'undefined' && KPI_EDITION === 'bigquery' ? 'bigquery' : 'sheets';
