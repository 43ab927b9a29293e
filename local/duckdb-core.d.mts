// Types of duckdb-core.mjs (plain JavaScript so that the worker runs without a TS loader).

/** The BigQuery type names the engine reports. */
export type BigQueryType =
  | 'STRING'
  | 'INT64'
  | 'FLOAT64'
  | 'NUMERIC'
  | 'BOOL'
  | 'DATE'
  | 'DATETIME'
  | 'TIMESTAMP';

export interface QueryColumn {
  name: string;
  type: BigQueryType;
}

/**
 * Rows as BigQuery's: STRING → string, INT64 / FLOAT64 / NUMERIC → number, BOOL → boolean,
 * DATE → 'YYYY-MM-DD', DATETIME → 'YYYY-MM-DDTHH:MM:SS' (wall time; '.ffffff' only when the
 * fraction is not 0), TIMESTAMP → epoch milliseconds, NULL → null.
 */
export interface QueryResult {
  columns: QueryColumn[];
  rows: unknown[][];
}

export interface LoadedTable {
  columns: QueryColumn[];
  rows: number;
}

export interface EngineOptions {
  /** A database file; ':memory:' unless given. */
  path?: string;
  threads?: number;
  /** DuckDB's memory_limit, e.g. '4GB'. */
  memoryLimit?: string;
  /** Where DuckDB spills what does not fit in memory; `<os temp dir>/duckdb-spill-<pid>` unless given. */
  tempDirectory?: string;
  /** The session's time zone (TIMESTAMPTZ casts and arithmetic); 'UTC' unless given. */
  timeZone?: string;
}

export type DuckDbErrorCode =
  | 'SYNTAX_ERROR'
  | 'TABLE_NOT_FOUND'
  | 'COLUMN_NOT_FOUND'
  | 'FUNCTION_NOT_FOUND'
  | 'TYPE_ERROR'
  | 'INVALID_QUERY'
  | 'PARAMETER_ERROR'
  | 'FILE_NOT_FOUND'
  | 'UNSUPPORTED_FILE'
  | 'OUT_OF_MEMORY'
  | 'INTERRUPTED'
  | 'TIMEOUT'
  | 'CLOSED'
  | 'WORKER_EXITED'
  | 'ENGINE_ERROR';

export declare class DuckDbError extends Error {
  readonly code: DuckDbErrorCode;
  constructor(code: DuckDbErrorCode, message: string);
}

export declare function errorCode(message: string): DuckDbErrorCode;
export declare function toDuckDbError(e: unknown): DuckDbError;
export declare function bigQueryType(typeId: number): BigQueryType;
export declare function convertResult(reader: unknown): QueryResult;
export declare function sqlString(s: string): string;
export declare function sqlIdent(s: string): string;

export interface Engine {
  query(sql: string, params?: Record<string, unknown>): Promise<QueryResult>;
  loadTable(name: string, file: string): Promise<LoadedTable>;
  interrupt(): void;
  close(): void;
}

export declare function openEngine(options?: EngineOptions): Promise<Engine>;
