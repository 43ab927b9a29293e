/**
 * The DuckDB engine's figures (#25): the synchronous handle's overhead, the generator's speed,
 * and a month grouping in Tokyo time over the generated leads.
 *
 *   TZ=UTC node --import tsx bench/duckdb.ts [--rows 2000000,10000000] [--dir /tmp]
 *
 * Wall times, and the process's CPU time (DuckDB's threads and the worker included): the machine
 * is shared, so wall time also counts other processes' turns.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { closeDuckQuery, duckQuery, openDuckDb } from '../local/duckdb';
import { generateLeads } from '../local/leads';

function arg(name: string): string | undefined {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
}
const sizes = (arg('--rows') ?? '2000000,10000000').split(',').map(Number);
const dir = arg('--dir') ?? '/tmp';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const ms = (x: number) => `${x.toFixed(3)} ms`;

/** Wall and CPU seconds of one awaited call. */
async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; wall: number; cpu: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const wall = (performance.now() - t0) / 1000;
  const used = process.cpuUsage(cpu0);
  return { value, wall, cpu: (used.user + used.system) / 1e6 };
}

const db = openDuckDb();
const THOUSAND =
  "SELECT i, 'L' || i AS id, DATE '2025-01-01' + (i % 365)::INTEGER AS d, to_timestamp(i * 3600) AS at, (i * 1.5)::DECIMAL(18, 2) AS m FROM range(1000) t(i)";
for (const [label, sql] of [
  ['tiny query (SELECT 1)', 'SELECT 1 AS x'],
  ['1,000 rows × 5 columns', THOUSAND],
] as const) {
  const sync: number[] = [];
  const async: number[] = [];
  for (let k = 0; k < 60; k++) {
    let t = performance.now();
    db.query(sql);
    if (k >= 10) sync.push(performance.now() - t);
    t = performance.now();
    await duckQuery(sql);
    if (k >= 10) async.push(performance.now() - t);
  }
  console.log(
    `${label}: sync median ${ms(median(sync))}, async (same process) median ${ms(median(async))} (50 runs)`,
  );
}
await closeDuckQuery();

for (const rows of sizes) {
  const out = join(dir, `leads-${rows}.parquet`);
  const gen = await generateLeads({ rows, out });
  console.log(
    `generate ${rows.toLocaleString('en-US')} rows: ${gen.seconds.toFixed(2)} s wall, ${gen.cpuSeconds.toFixed(2)} s CPU, ${(gen.bytes / 2 ** 20).toFixed(1)} MiB`,
  );
  const load = await timed(() => db.loadTable(`leads_${rows}`, out));
  const month = await timed(() =>
    db.query(
      `SELECT date_trunc('month', created_at AT TIME ZONE 'Asia/Tokyo') m, count(*) FROM leads_${rows} GROUP BY 1 ORDER BY 1`,
    ),
  );
  console.log(
    `  loadTable ${(load.wall * 1000).toFixed(0)} ms; month group-by in Tokyo time: ${month.wall.toFixed(2)} s wall, ${month.cpu.toFixed(2)} s CPU, ${month.value.rows.length} months`,
  );
  rmSync(out);
}
db.close();
