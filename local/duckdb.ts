/**
 * DuckDB as the local stand-in for BigQuery, callable synchronously (Apps Script code is
 * synchronous, so the runtime's Connected Sheets model is too). A worker thread
 * (duckdb-worker.mjs) owns the DuckDB instance and runs node-api's async calls; the caller posts
 * a request on a MessagePort and blocks on a SharedArrayBuffer flag (Atomics.wait) until the
 * worker raises it, then takes the answer with receiveMessageOnPort — its event loop never turns.
 * Only SQL text, parameters and result rows cross the thread boundary: a file given to loadTable
 * is read by DuckDB itself.
 *
 * Types and values are BigQuery's (see QueryResult); errors are DuckDbError with a code.
 */
import {
  MessageChannel,
  type MessagePort,
  receiveMessageOnPort,
  Worker,
} from 'node:worker_threads';
import {
  DuckDbError,
  type DuckDbErrorCode,
  type Engine,
  type EngineOptions,
  type LoadedTable,
  openEngine,
  type QueryResult,
} from './duckdb-core.mjs';

export type {
  BigQueryType,
  DuckDbErrorCode,
  EngineOptions,
  LoadedTable,
  QueryColumn,
  QueryResult,
} from './duckdb-core.mjs';
export { DuckDbError };

export interface DuckDbOptions extends EngineOptions {
  /**
   * A query still running after this long is interrupted and throws TIMEOUT. None unless given
   * (a 50M-row COPY takes tens of seconds).
   */
  timeoutMs?: number;
  /**
   * How long openDuckDb waits for the worker to load DuckDB and open it (60 s unless given): a
   * worker that cannot start never answers, and the caller blocks — it cannot hear the worker's
   * error event while it waits.
   */
  startTimeoutMs?: number;
}

export interface DuckDb {
  /** Runs DuckDB SQL with named parameters ($name), blocking until it is done. */
  query(sql: string, params?: Record<string, unknown>): QueryResult;
  /**
   * A table (or view) `name` — 't', 'dataset.t' or 'project.dataset.t' — over a .parquet, .csv or
   * .csv.gz file: parquet as a view DuckDB scans at each query, CSV (header row, types by DuckDB's
   * sniffer, date-times with an offset as TIMESTAMPTZ) as a table DuckDB reads once.
   */
  loadTable(name: string, file: string): LoadedTable;
  /** Closes DuckDB and ends the worker; later calls throw CLOSED. */
  close(): void;
}

type Reply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; code: DuckDbErrorCode; message: string };

const START_TIMEOUT_MS = 60_000;
/** How long a query goes on after an interrupt before the worker is given up. */
const INTERRUPT_GRACE_MS = 5_000;

class SyncDuckDb implements DuckDb {
  private readonly worker: Worker;
  private readonly port: MessagePort;
  private readonly flag: Int32Array;
  private seq = 0;
  private closed = false;

  constructor(private readonly timeoutMs: number | undefined) {
    const { port1, port2 } = new MessageChannel();
    const sab = new SharedArrayBuffer(4);
    this.flag = new Int32Array(sab);
    this.port = port1;
    this.worker = new Worker(new URL('./duckdb-worker.mjs', import.meta.url), {
      workerData: { port: port2, flag: sab },
      transferList: [port2],
      // Plain JavaScript: none of the parent's loaders (tsx) or flags (an -e script would be
      // run again, or the worker refused).
      execArgv: [],
    });
    // Neither keeps the process alive: a caller that forgets close() still exits.
    this.worker.unref();
    this.port.unref();
  }

  /**
   * Posts one request and blocks until its answer. Past `timeoutMs` the query is interrupted
   * (TIMEOUT), or with `abandon` the worker is given up at once (it did not start).
   */
  call(msg: Record<string, unknown>, timeoutMs = this.timeoutMs, abandon = false): unknown {
    if (this.closed) throw new DuckDbError('CLOSED', 'The DuckDB engine is closed');
    const id = ++this.seq;
    Atomics.store(this.flag, 0, 0);
    this.port.postMessage({ ...msg, id });
    let deadline = timeoutMs === undefined ? Number.POSITIVE_INFINITY : Date.now() + timeoutMs;
    let interrupted = false;
    for (;;) {
      const wait = deadline - Date.now();
      if (wait > 0) Atomics.wait(this.flag, 0, 0, Number.isFinite(wait) ? wait : undefined);
      const state = Atomics.load(this.flag, 0);
      if (state === 1) {
        const reply = this.take(id);
        if (reply) return this.settle(reply, interrupted);
        this.abandon();
        throw new DuckDbError(
          'WORKER_EXITED',
          'The DuckDB worker raised its flag but sent nothing',
        );
      }
      if (state === 2) {
        const reply = this.take(id, 1); // it may have answered before exiting (close does)
        if (reply) return this.settle(reply, interrupted);
        this.abandon();
        throw new DuckDbError('WORKER_EXITED', 'The DuckDB worker exited');
      }
      if (Date.now() < deadline) continue;
      if (abandon) {
        this.abandon();
        throw new DuckDbError(
          'WORKER_EXITED',
          `The DuckDB worker did not answer in ${timeoutMs} ms`,
        );
      }
      if (!interrupted) {
        interrupted = true;
        this.port.postMessage({ op: 'interrupt' });
        deadline = Date.now() + INTERRUPT_GRACE_MS;
        continue;
      }
      this.abandon();
      throw new DuckDbError('TIMEOUT', `The query ran over ${timeoutMs} ms and did not stop`);
    }
  }

  /**
   * The answer with this id. The flag is raised after the message is posted, so it is there;
   * the spin only guards against the port lagging the flag. Earlier answers cannot be waiting
   * (each call takes its own or abandons the worker), but one would be skipped.
   */
  private take(id: number, tries = 1_000_000): Reply | undefined {
    for (let misses = 0; misses < tries; ) {
      const got = receiveMessageOnPort(this.port);
      if (!got) {
        misses++;
        continue;
      }
      const reply = got.message as Reply;
      if (reply.id === id) return reply;
    }
    return undefined;
  }

  private settle(reply: Reply, interrupted: boolean): unknown {
    if (reply.ok) return reply.result;
    if (interrupted && reply.code === 'INTERRUPTED') {
      throw new DuckDbError('TIMEOUT', `The query ran over ${this.timeoutMs} ms: ${reply.message}`);
    }
    throw new DuckDbError(reply.code, reply.message);
  }

  private abandon(): void {
    this.closed = true;
    this.port.close();
    void this.worker.terminate();
  }

  query(sql: string, params?: Record<string, unknown>): QueryResult {
    return this.call({ op: 'query', sql, params }) as QueryResult;
  }

  loadTable(name: string, file: string): LoadedTable {
    return this.call({ op: 'load', name, file }) as LoadedTable;
  }

  close(): void {
    if (this.closed) return;
    try {
      this.call({ op: 'close' }, INTERRUPT_GRACE_MS);
    } finally {
      this.abandon();
    }
  }
}

/** Opens an in-memory DuckDB (or options.path) behind a synchronous handle. */
export function openDuckDb(options: DuckDbOptions = {}): DuckDb {
  const { timeoutMs, startTimeoutMs, ...engineOptions } = options;
  const db = new SyncDuckDb(timeoutMs);
  try {
    db.call({ op: 'open', options: engineOptions }, startTimeoutMs ?? START_TIMEOUT_MS, true);
  } catch (e) {
    try {
      db.close();
    } catch {
      // the open's error is the one to report
    }
    throw e;
  }
  return db;
}

// ---- async, for tests and scripts that can await -------------------------------------------

let shared: Promise<Engine> | undefined;

/**
 * Runs DuckDB SQL on one in-memory DuckDB shared by the process (opened at the first call), with
 * the same parameters, types and errors as the synchronous handle.
 */
export async function duckQuery(
  sql: string,
  params?: Record<string, unknown>,
): Promise<QueryResult> {
  shared ??= openEngine();
  return (await shared).query(sql, params);
}

/** Closes duckQuery's DuckDB (the next call opens a fresh one). */
export async function closeDuckQuery(): Promise<void> {
  const engine = shared;
  shared = undefined;
  if (engine) (await engine).close();
}
