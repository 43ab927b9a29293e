/**
 * The local BigQuery: the engine the runtime's Connected Sheets model (local/connected.ts) runs
 * a data source's query with. It runs only the add-on's own queries — the DuckDB printing of the
 * query a BigQuery text names on its first line (src/core/sql/queries.ts), after checking that
 * the text is exactly that query's BigQuery printing — over files registered as tables
 * (`project.dataset.table` → a parquet or CSV file). Never pushed to Apps Script.
 */
import { bigQuery, duckDb } from '../src/core/sql/dialect';
import { queryOf, querySql } from '../src/core/sql/queries';
import { type BigQueryEngine, BigQueryEngineError } from './connected';
import { type DuckDb, DuckDbError, openDuckDb } from './duckdb';

export interface LocalBigQuery extends BigQueryEngine {
  /** The table `project.dataset.table` is this file (parquet, CSV or CSV.gz). */
  addTable(id: string, file: string): void;
  /** Queries run so far (the BigQuery text each was given), for tests and the preview's log. */
  readonly log: string[];
  close(): void;
}

export function localBigQuery(duck: DuckDb = openDuckDb()): LocalBigQuery {
  let n = 0;
  const log: string[] = [];
  return {
    log,
    addTable(id, file) {
      // DuckDB names the view by the whole id (the DuckDB printer quotes it as one name).
      const flat = `t_${++n}`;
      duck.loadTable(flat, file);
      duck.query(`CREATE OR REPLACE VIEW "${id.replace(/"/g, '""')}" AS SELECT * FROM ${flat}`);
    },
    run(_projectId, sql, params) {
      log.push(sql);
      const q = queryOf(sql);
      if (!q)
        throw new BigQueryEngineError(
          'OTHER',
          'The local engine runs only the KPI add-on’s own queries (a first line "-- kpi-tree-addon {…}").',
        );
      if (querySql(q, bigQuery) !== sql)
        throw new BigQueryEngineError(
          'OTHER',
          'The query text is not the BigQuery printing of the query its first line names.',
        );
      try {
        return duck.query(querySql(q, duckDb), params) as ReturnType<BigQueryEngine['run']>;
      } catch (e) {
        if (e instanceof DuckDbError) throw new BigQueryEngineError('ENGINE', e.message);
        throw e;
      }
    },
    close() {
      duck.close();
    },
  };
}
