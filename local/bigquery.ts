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
  /** A table changed under the engine (created by SQL on its DuckDB): the cache forgets. */
  tableChanged(): void;
  /** Queries run so far (the BigQuery text each was given), for tests and the preview's log. */
  readonly log: string[];
  /** How many of them were answered from the result cache (free on BigQuery). */
  readonly cacheHits: () => number;
  close(): void;
}

export function localBigQuery(duck: DuckDb = openDuckDb()): LocalBigQuery {
  let n = 0;
  const log: string[] = [];
  /**
   * BigQuery's result cache: "If you run the exact same query again, BigQuery returns the
   * results from the cached table, if it exists" — "the duplicate query text must be the same as
   * the original query", and results are not cached when "any of the referenced tables or logical
   * views have changed since the results were previously cached"; a cache hit is not billed
   * (https://cloud.google.com/bigquery/docs/cached-results). Here: by text and parameters, emptied
   * whenever a table is (re)registered.
   */
  const cache = new Map<string, ReturnType<BigQueryEngine['run']>>();
  let hits = 0;
  return {
    log,
    cacheHits: () => hits,
    tableChanged: () => cache.clear(),
    addTable(id, file) {
      cache.clear();
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
      const key = `${JSON.stringify(params)}\n${sql}`;
      const cached = cache.get(key);
      if (cached) {
        hits++;
        return cached;
      }
      try {
        const result = duck.query(querySql(q, duckDb), params) as ReturnType<BigQueryEngine['run']>;
        cache.set(key, result);
        return result;
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
