// The worker thread behind openDuckDb (duckdb.ts): runs the async DuckDB engine and answers each
// request on the transferred port, then raises the shared flag so the blocked caller wakes
// (Atomics.wait) and takes the answer with receiveMessageOnPort. Flag values: 0 waiting,
// 1 answered, 2 the worker is gone.
import process from 'node:process';
import { workerData } from 'node:worker_threads';

const { port, flag: sab } = workerData;
const flag = new Int32Array(sab);
let engine;

function answer(reply) {
  port.postMessage(reply);
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

// Loaded here rather than imported above: a failure to load DuckDB's native binding becomes the
// open request's error instead of a worker that dies before it can raise the flag.
const core = import('./duckdb-core.mjs');

process.on('exit', () => {
  Atomics.store(flag, 0, 2);
  Atomics.notify(flag, 0);
});

port.on('message', async (msg) => {
  if (msg.op === 'interrupt') {
    engine?.interrupt();
    return; // the interrupted request answers
  }
  try {
    let result;
    if (msg.op === 'open') {
      engine = await (await core).openEngine(msg.options);
    } else if (msg.op === 'query') {
      result = await engine.query(msg.sql, msg.params);
    } else if (msg.op === 'load') {
      result = await engine.loadTable(msg.name, msg.file);
    } else if (msg.op === 'close') {
      engine?.close();
      engine = undefined;
    } else {
      throw new Error(`Unknown request ${msg.op}`);
    }
    answer({ id: msg.id, ok: true, result });
  } catch (e) {
    const err = await core.then(
      (c) => c.toDuckDbError(e),
      () => ({ code: 'ENGINE_ERROR', message: e instanceof Error ? e.message : String(e) }),
    );
    answer({ id: msg.id, ok: false, code: err.code, message: err.message });
  }
  if (msg.op === 'close') port.close();
});
