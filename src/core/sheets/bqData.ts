/**
 * The BigQuery build's data sheet: one Connected Sheets extract per KPI query (extractSlots), its
 * header on row 1, which the report's sheets read with plain formulas (formulas.ts writeFunnel).
 * Hidden; replaced whole by every build, so the report never reads a half-refreshed query.
 */

import { Grid } from '../sheetModel';
import { bigQuery } from '../sql/dialect';
import { extractSlots, querySql } from '../sql/queries';
import { defineSheet } from './sheet';

const NAMES = { ja: 'KPIデータ（BigQuery）', en: 'KPI data (BigQuery)' };

export const bqData = defineSheet({
  key: 'bq-data',
  names: NAMES,
  bigquery: true,
  build: ({ settings, zone }) => {
    const bq = settings.bigquery;
    if (!bq) return undefined;
    const slots = extractSlots(settings, zone);
    const g = new Grid(1);
    g.set(1, 1, '');
    return g.model('bq-data', NAMES[settings.lang], {
      grid: {
        rows: Math.max(...slots.map((s) => s.rows)) + 10,
        cols: Math.max(...slots.map((s) => s.col + s.cols)),
      },
      hidden: true,
      extracts: slots.map((s) => ({
        row: 1,
        col: s.col,
        project: bq.project,
        sql: querySql(s.query, bigQuery),
      })),
    });
  },
});
