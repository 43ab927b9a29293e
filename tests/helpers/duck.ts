/**
 * DuckDB for tests that can be async: one in-memory database per file, a table from JS rows
 * (typed as a BigQuery schema would type them), and a query's rows as plain values.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import type { SqlColumn } from '../../src/core/sql/dialect';

export type DuckConnection = Awaited<ReturnType<DuckDBInstance['connect']>>;

export async function duckConnection(): Promise<DuckConnection> {
  const db = await DuckDBInstance.create(':memory:', {
    threads: process.env.KPI_DUCKDB_THREADS ?? '2',
  });
  return db.connect();
}

export const DUCK_TYPE: Record<SqlColumn['type'], string> = {
  STRING: 'VARCHAR',
  INT64: 'BIGINT',
  FLOAT64: 'DOUBLE',
  NUMERIC: 'DECIMAL(38, 9)',
  BOOL: 'BOOLEAN',
  DATE: 'DATE',
  DATETIME: 'TIMESTAMP',
  TIMESTAMP: 'TIMESTAMPTZ',
};

/**
 * A literal of a column type from the JS value a generator made: TIMESTAMP an instant (epoch ms
 * or text with an offset),
 * DATE 'YYYY-MM-DD', DATETIME 'YYYY-MM-DDTHH:MM:SS' (wall time), null NULL.
 */
export function literal(type: SqlColumn['type'], v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  switch (type) {
    case 'TIMESTAMP':
      // An instant: epoch milliseconds, or text with its UTC offset ('2025-04-01 00:30:00+09:00').
      return typeof v === 'number'
        ? `make_timestamptz(${Math.round(v * 1000)}::BIGINT)`
        : `TIMESTAMPTZ '${v}'`;
    case 'DATE':
      return `DATE '${v}'`;
    case 'DATETIME':
      return `TIMESTAMP '${String(v).replace('T', ' ')}'`;
    case 'STRING':
      return `'${String(v).replace(/'/g, "''")}'`;
    case 'BOOL':
      return v ? 'TRUE' : 'FALSE';
    default:
      return String(v);
  }
}

export async function createTable(
  con: DuckConnection,
  name: string,
  columns: readonly SqlColumn[],
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  await con.run(`DROP TABLE IF EXISTS "${name}"`);
  await con.run(
    `CREATE TABLE "${name}" (${columns.map((c) => `"${c.name}" ${DUCK_TYPE[c.type]}`).join(', ')})`,
  );
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await con.run(
      `INSERT INTO "${name}" VALUES ${chunk
        .map((r) => `(${columns.map((c, j) => literal(c.type, r[j])).join(', ')})`)
        .join(', ')}`,
    );
  }
}

/** Rows of a query; NULL as '' (a blank cell), numbers as numbers. */
export async function rowsOf(con: DuckConnection, sql: string): Promise<unknown[][]> {
  const reader = await con.runAndReadAll(sql);
  return reader
    .getRowsJS()
    .map((r) => r.map((v) => (v === null ? '' : typeof v === 'bigint' ? Number(v) : v)));
}
