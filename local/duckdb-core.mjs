// The DuckDB side of the local BigQuery engine, shared by the synchronous handle's worker
// (duckdb-worker.mjs) and the async helper (duckQuery in duckdb.ts): opening an instance, running
// SQL with named parameters, mapping DuckDB's types and values to BigQuery's, naming errors, and
// loading a table over a file. Plain JavaScript so the worker runs without a TypeScript loader;
// its types are in duckdb-core.d.mts.

import { tmpdir } from 'node:os';
import { join } from 'node:path';
import process from 'node:process';
import { DuckDBInstance, DuckDBTypeId, listValue, timestampTZValue } from '@duckdb/node-api';

/** A DuckDB failure with a code the Connected Sheets model maps to BigQuery's errors. */
export class DuckDbError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'DuckDbError';
    this.code = code;
  }
}

// ---- errors --------------------------------------------------------------------------------

/** DuckDB's message (its "<Kind> Error: …" prefix) to a code. */
export function errorCode(message) {
  const m = String(message);
  if (m.startsWith('Parser Error')) return 'SYNTAX_ERROR';
  if (/^Catalog Error: (Table|Schema|Catalog|View) with name /.test(m)) return 'TABLE_NOT_FOUND';
  if (/^Catalog Error: \w+ Function with name /.test(m)) return 'FUNCTION_NOT_FOUND';
  if (/^Binder Error: (Referenced column|Values list .* does not have a column)/.test(m)) {
    return 'COLUMN_NOT_FOUND';
  }
  if (/^Binder Error: (No function matches|Cannot compare|Cannot mix)/.test(m)) return 'TYPE_ERROR';
  if (m.startsWith('Conversion Error')) return 'TYPE_ERROR';
  if (m.startsWith('Binder Error')) return 'INVALID_QUERY';
  if (/prepared statement parameters|bind parameter/.test(m)) return 'PARAMETER_ERROR';
  if (/^IO Error: (No files found|Cannot open file|Could not open)/.test(m)) {
    return 'FILE_NOT_FOUND';
  }
  if (m.startsWith('Out of Memory Error')) return 'OUT_OF_MEMORY';
  if (m.startsWith('INTERRUPT Error')) return 'INTERRUPTED';
  return 'ENGINE_ERROR';
}

/** Any thrown thing as a DuckDbError (kept as is when it already is one). */
export function toDuckDbError(e) {
  if (e instanceof DuckDbError) return e;
  const message = e instanceof Error ? e.message : String(e);
  return new DuckDbError(errorCode(message), message);
}

// ---- types and values ----------------------------------------------------------------------

const T = DuckDBTypeId;
const INT_TYPES = new Set([
  T.TINYINT,
  T.SMALLINT,
  T.INTEGER,
  T.BIGINT,
  T.UTINYINT,
  T.USMALLINT,
  T.UINTEGER,
  T.UBIGINT,
  T.HUGEINT,
  T.UHUGEINT,
  T.SQLNULL,
]);
const TIMESTAMP_TYPES = new Set([T.TIMESTAMP, T.TIMESTAMP_S, T.TIMESTAMP_MS, T.TIMESTAMP_NS]);

/** A DuckDB type id to the BigQuery type name the engine reports. */
export function bigQueryType(typeId) {
  if (INT_TYPES.has(typeId)) return 'INT64';
  if (typeId === T.FLOAT || typeId === T.DOUBLE) return 'FLOAT64';
  if (typeId === T.DECIMAL) return 'NUMERIC';
  if (typeId === T.BOOLEAN) return 'BOOL';
  if (typeId === T.DATE) return 'DATE';
  if (TIMESTAMP_TYPES.has(typeId)) return 'DATETIME';
  if (typeId === T.TIMESTAMP_TZ) return 'TIMESTAMP';
  // VARCHAR, ENUM, UUID, and what BigQuery's list here lacks (TIME, INTERVAL, BLOB, LIST,
  // STRUCT, MAP …): their DuckDB text.
  return 'STRING';
}

const pad2 = (n) => (n < 10 ? `0${n}` : String(n));
// BigQuery's DATE range, 0001-01-01 to 9999-12-31, in days since 1970-01-01; outside it (DuckDB's
// ±infinity among them) a value is null.
const MIN_DAYS = -719_162;
const MAX_DAYS = 2_932_896;

/** Days since 1970-01-01 to 'YYYY-MM-DD' (proleptic Gregorian), null outside BigQuery's range. */
function dayText(days) {
  if (!(days >= MIN_DAYS && days <= MAX_DAYS)) return null;
  // civil_from_days (H. Hinnant): integer arithmetic, no Date object per value.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${pad2(m)}-${pad2(d)}`;
}

/** Microseconds since the epoch (wall time) to 'YYYY-MM-DDTHH:MM:SS', '.ffffff' when not 0. */
function wallText(microsBig) {
  const micros = Number(microsBig); // exact within ±285 years of 1970; beyond, dayText's null
  const days = Math.floor(micros / 86_400_000_000);
  const date = dayText(days);
  if (date === null) return null;
  const rest = micros - days * 86_400_000_000;
  const secs = Math.floor(rest / 1e6);
  const frac = rest - secs * 1e6;
  const time = `${pad2(Math.floor(secs / 3600))}:${pad2(Math.floor(secs / 60) % 60)}:${pad2(secs % 60)}`;
  return `${date}T${time}${frac ? `.${String(frac).padStart(6, '0').replace(/0+$/, '')}` : ''}`;
}

const INFINITE_MICROS = 9_223_372_036_854_775_807n; // DuckDB's ±infinity timestamps
const SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** A DECIMAL to the nearest double (in JS while the unscaled value is exact as a double). */
function decimalNumber(v) {
  if (v.value <= SAFE && v.value >= -SAFE && v.scale <= 22) return Number(v.value) / 10 ** v.scale;
  return v.toDouble();
}

/** One value converter per DuckDB type id (null is handled by the caller). */
function converter(typeId) {
  if (INT_TYPES.has(typeId)) return (v) => Number(v);
  if (typeId === T.FLOAT || typeId === T.DOUBLE || typeId === T.BOOLEAN) return (v) => v;
  if (typeId === T.DECIMAL) return decimalNumber;
  if (typeId === T.DATE) return (v) => dayText(v.days);
  if (typeId === T.TIMESTAMP) return (v) => wallText(v.micros);
  if (typeId === T.TIMESTAMP_S) return (v) => wallText(v.seconds * 1_000_000n);
  if (typeId === T.TIMESTAMP_MS) return (v) => wallText(v.millis * 1000n);
  if (typeId === T.TIMESTAMP_NS) return (v) => wallText(v.nanos / 1000n);
  if (typeId === T.TIMESTAMP_TZ) {
    return (v) => {
      const micros = v.micros;
      if (micros >= INFINITE_MICROS || micros <= -INFINITE_MICROS) return null;
      return Math.floor(Number(micros) / 1000);
    };
  }
  if (typeId === T.VARCHAR || typeId === T.ENUM) return (v) => v;
  return (v) => String(v);
}

/** A node-api result reader to { columns, rows } with BigQuery's types and values. */
export function convertResult(reader) {
  const names = reader.columnNames();
  const typeIds = reader.columnTypes().map((t) => t.typeId);
  const columns = names.map((name, i) => ({ name, type: bigQueryType(typeIds[i]) }));
  const convert = typeIds.map(converter);
  const width = names.length;
  const rows = reader.getRows();
  for (const row of rows) {
    for (let c = 0; c < width; c++) {
      const v = row[c];
      row[c] = v === null || v === undefined ? null : convert[c](v);
    }
  }
  return { columns, rows };
}

/** A JS parameter value to a DuckDB value: a Date binds as TIMESTAMPTZ, an array as a LIST. */
function paramValue(name, v) {
  if (v === null || v === undefined) return null;
  switch (typeof v) {
    case 'string':
    case 'boolean':
    case 'bigint':
      return v;
    case 'number':
      if (!Number.isFinite(v)) break;
      return v;
    case 'object':
      if (v instanceof Date) {
        if (Number.isNaN(v.getTime())) break;
        return timestampTZValue(BigInt(v.getTime()) * 1000n);
      }
      if (Array.isArray(v)) return listValue(v.map((x) => paramValue(name, x)));
      break;
  }
  throw new DuckDbError('PARAMETER_ERROR', `Parameter $${name}: cannot bind ${String(v)}`);
}

// ---- files ---------------------------------------------------------------------------------

/** A SQL string literal. */
export function sqlString(s) {
  return `'${String(s).replace(/'/g, "''")}'`;
}

/** A quoted identifier. */
export function sqlIdent(s) {
  return `"${String(s).replace(/"/g, '""')}"`;
}

// A date-time with a UTC offset, as CRMs export it: date, 'T' or a space, time, optional
// fraction, then 'Z' or ±HH[:MM] — with or without a space before the offset (DuckDB's sniffer
// takes the form without the space as TIMESTAMPTZ itself, but leaves "… +09:00" as text).
const OFFSET_DATETIME =
  '^\\d{4}[-/]\\d{1,2}[-/]\\d{1,2}[T ]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)? ?(Z|[+-]\\d{2}(:?\\d{2})?)$';
const OFFSET_SAMPLE_ROWS = 10_000;

function fileKind(file) {
  const f = file.toLowerCase();
  if (f.endsWith('.parquet')) return 'parquet';
  if (f.endsWith('.csv') || f.endsWith('.csv.gz')) return 'csv';
  return null;
}

/** A one-, two- or three-part name ("t", "dataset.t", "project.dataset.t"), quoted. */
function qualifiedName(name) {
  const parts = String(name).split('.');
  if (parts.length > 3 || parts.some((p) => p === '')) {
    throw new DuckDbError('INVALID_QUERY', `Bad table name: ${name}`);
  }
  return parts;
}

// ---- the engine ----------------------------------------------------------------------------

/**
 * Opens a DuckDB instance with one connection. options: path (':memory:' unless given),
 * threads, memoryLimit ('4GB' …), tempDirectory (where DuckDB spills; the OS temp dir unless
 * given), timeZone (the session's zone for TIMESTAMPTZ arithmetic and
 * casts; 'UTC' unless given, as BigQuery's functions default to UTC).
 */
export async function openEngine(options = {}) {
  const config = {
    // An in-memory DuckDB spills to '.tmp' in the working directory (the repository) unless told.
    temp_directory: options.tempDirectory ?? join(tmpdir(), `duckdb-spill-${process.pid}`),
  };
  // KPI_DUCKDB_THREADS (the test suite sets 1: its files run one per core already, and DuckDB's
  // own threads on top of them made the whole suite slower).
  const threads = options.threads ?? process.env.KPI_DUCKDB_THREADS;
  if (threads) config.threads = String(threads);
  if (options.memoryLimit) config.memory_limit = String(options.memoryLimit);
  let instance;
  let connection;
  try {
    instance = await DuckDBInstance.create(options.path ?? ':memory:', config);
    connection = await instance.connect();
    await connection.run(`SET TimeZone = ${sqlString(options.timeZone ?? 'UTC')}`);
  } catch (e) {
    throw toDuckDbError(e);
  }
  let closed = false;

  async function read(sql, params) {
    if (closed) throw new DuckDbError('CLOSED', 'The DuckDB engine is closed');
    try {
      const names = params ? Object.keys(params) : [];
      if (names.length === 0) return await connection.runAndReadAll(sql);
      // Bind only the parameters the statement names (BigQuery ignores unused ones); a
      // parameter the statement names but the call lacks is DuckDB's error.
      const prepared = await connection.prepare(sql);
      const values = {};
      for (let i = 1; i <= prepared.parameterCount; i++) {
        const name = prepared.parameterName(i);
        if (Object.hasOwn(params, name)) values[name] = paramValue(name, params[name]);
      }
      prepared.bind(values);
      return await prepared.runAndReadAll();
    } catch (e) {
      throw toDuckDbError(e);
    }
  }

  async function query(sql, params) {
    return convertResult(await read(sql, params));
  }

  /**
   * A table named `name` over a file. Parquet: a view (DuckDB scans the file at each query; no
   * copy). CSV / CSV.gz (header row): a table DuckDB reads once, with the types its sniffer
   * detects — date-times written with an offset ('…+09:00', '…Z', '…+0900') become TIMESTAMPTZ
   * (the sniffer does that itself; a column whose first 10,000 values all carry an offset after a
   * space, '… +09:00', which the sniffer leaves as text, is cast here). Returns the columns and
   * the row count.
   */
  async function loadTable(name, file) {
    const kind = fileKind(file);
    if (!kind) {
      throw new DuckDbError('UNSUPPORTED_FILE', `Not a .parquet, .csv or .csv.gz file: ${file}`);
    }
    const parts = qualifiedName(name);
    if (parts.length === 3) {
      await read(`ATTACH IF NOT EXISTS ':memory:' AS ${sqlIdent(parts[0])}`);
    }
    if (parts.length >= 2) {
      const schema = parts.slice(0, -1).map(sqlIdent).join('.');
      await read(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
    }
    const target = parts.map(sqlIdent).join('.');
    if (kind === 'parquet') {
      await read(
        `CREATE OR REPLACE VIEW ${target} AS SELECT * FROM read_parquet(${sqlString(file)})`,
      );
    } else {
      const source = `read_csv(${sqlString(file)}, header = true)`;
      const described = (await read(`DESCRIBE SELECT * FROM ${source}`)).getRowsJS();
      const text = described.filter((r) => r[1] === 'VARCHAR').map((r) => String(r[0]));
      const offsetColumns = new Set();
      if (text.length > 0) {
        const checks = text.map(
          (c) =>
            `count(${sqlIdent(c)}) > 0 AND count(${sqlIdent(c)}) = count(*) FILTER (WHERE regexp_full_match(trim(${sqlIdent(c)}), ${sqlString(OFFSET_DATETIME)}))`,
        );
        const sample = `(SELECT * FROM ${source} LIMIT ${OFFSET_SAMPLE_ROWS})`;
        const [flags] = (await read(`SELECT ${checks.join(', ')} FROM ${sample}`)).getRowsJS();
        text.forEach((c, i) => {
          if (flags[i] === true) offsetColumns.add(c);
        });
      }
      const select = described
        .map((r) => {
          const c = sqlIdent(r[0]);
          if (!offsetColumns.has(String(r[0]))) return c;
          return `CAST(regexp_replace(trim(${c}), ' ([+-]\\d|Z)', '\\1') AS TIMESTAMPTZ) AS ${c}`;
        })
        .join(', ');
      await read(`CREATE OR REPLACE TABLE ${target} AS SELECT ${select} FROM ${source}`);
    }
    const { columns } = await query(`SELECT * FROM ${target} LIMIT 0`);
    const count = (await query(`SELECT count(*) FROM ${target}`)).rows[0][0];
    return { columns, rows: count };
  }

  return {
    query,
    loadTable,
    /** Stops the running query (it fails with INTERRUPTED). */
    interrupt() {
      if (!closed) connection.interrupt();
    },
    close() {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
