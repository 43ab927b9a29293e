/**
 * Writes a generated lead table (local/leads.ts) for the BigQuery path's local engine:
 *
 *   node --import tsx scripts/gen-leads.ts --rows 2000000 --out /tmp/leads.parquet [--seed 1] [--csv]
 *
 * Parquet (zstd) unless --csv or an .csv / .csv.gz name (gzip for .gz). Prints the rows, the file
 * size and the seconds.
 */
import { generateLeads } from '../local/leads';

function arg(name: string): string | undefined {
  const k = process.argv.indexOf(name);
  return k >= 0 ? process.argv[k + 1] : undefined;
}

const rows = Number(arg('--rows') ?? '10000');
const out = arg('--out');
const seed = Number(arg('--seed') ?? '1');
const threads = arg('--threads');
if (!out || !Number.isSafeInteger(rows) || rows < 0 || !Number.isSafeInteger(seed)) {
  console.error(
    'usage: node --import tsx scripts/gen-leads.ts --rows N --out FILE.parquet|.csv|.csv.gz [--seed S] [--csv] [--threads T]',
  );
  process.exit(2);
}
const result = await generateLeads({
  rows,
  out,
  seed,
  csv: process.argv.includes('--csv') || undefined,
  threads: threads ? Number(threads) : undefined,
});
const mb = (result.bytes / 1024 / 1024).toFixed(1);
console.log(
  `${result.rows.toLocaleString('en-US')} rows → ${out}: ${mb} MiB in ${result.seconds.toFixed(2)} s` +
    ` (CPU ${result.cpuSeconds.toFixed(2)} s)`,
);
