/**
 * The parity check a maintainer runs on a real Google Cloud project (nothing here reaches
 * BigQuery by itself): the same KPI queries, printed for BigQuery and for DuckDB from one query
 * model, must give the same rows on the same data.
 *
 *   1. node --import tsx scripts/bigquery-parity.ts --file leads.parquet --table my-proj.kpi.leads
 *      writes out/parity/: each query's BigQuery SQL (*.bq.sql), DuckDB's rows for it on the file
 *      (*.duckdb.json), and run.sh — `bq load` of the file into the table, then `bq query` of
 *      each *.bq.sql into *.bq.json (uses your gcloud login; costs a few MB of query bytes).
 *   2. bash out/parity/run.sh
 *   3. node --import tsx scripts/bigquery-parity.ts --compare out/parity
 *      compares every *.bq.json with its *.duckdb.json cell for cell (numbers to 1e-9 relative)
 *      and exits 1 on any difference, naming the query, row and column.
 *
 * The file is generated if it does not exist (`--rows N`, default 20,000: scripts/gen-leads.ts).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { localBigQuery } from '../local/bigquery';
import { generateLeads } from '../local/leads';
import type { KpiSettings } from '../src/core/settings';
import { bigQuery } from '../src/core/sql/dialect';
import { extractSlots, querySql } from '../src/core/sql/queries';

const args = process.argv.slice(2);
const arg = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

function compare(dir: string): number {
  let bad = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.duckdb.json'))) {
    const name = f.replace('.duckdb.json', '');
    const bqFile = join(dir, `${name}.bq.json`);
    if (!existsSync(bqFile)) {
      console.log(`${name}: no ${basename(bqFile)} (run run.sh first)`);
      bad++;
      continue;
    }
    const duck = JSON.parse(readFileSync(join(dir, f), 'utf8')) as {
      columns: string[];
      rows: unknown[][];
    };
    // `bq query --format=json` gives one object per row, every value as a string (or null).
    const bq = (JSON.parse(readFileSync(bqFile, 'utf8')) as Record<string, unknown>[]).map((o) =>
      duck.columns.map((c) => o[c] ?? null),
    );
    const same = (a: unknown, b: unknown) => {
      if (a === null || b === null) return a === b;
      const x = Number(a);
      const y = Number(b);
      if (typeof a === 'number' || (!Number.isNaN(x) && !Number.isNaN(y) && String(a) !== ''))
        return Math.abs(x - y) <= 1e-9 * Math.max(1, Math.abs(x), Math.abs(y));
      return String(a) === String(b);
    };
    const diffs: string[] = [];
    if (bq.length !== duck.rows.length)
      diffs.push(`rows: BigQuery ${bq.length}, DuckDB ${duck.rows.length}`);
    duck.rows.forEach((row, r) => {
      row.forEach((v, c) => {
        if (!same(v, bq[r]?.[c]))
          diffs.push(`row ${r + 1} ${duck.columns[c]}: DuckDB ${v} ≠ BigQuery ${bq[r]?.[c]}`);
      });
    });
    console.log(`${name}: ${diffs.length === 0 ? 'same' : `${diffs.length} differences`}`);
    for (const d of diffs.slice(0, 10)) console.log(`  ${d}`);
    if (diffs.length > 0) bad++;
  }
  return bad;
}

async function main(): Promise<void> {
  const cmp = arg('--compare');
  if (cmp) process.exit(compare(cmp) === 0 ? 0 : 1);
  const table = arg('--table');
  if (!table || !/^[\w-]+\.\w+\.\w+$/.test(table)) {
    console.error(
      'Usage: --file leads.parquet --table project.dataset.table [--rows N] [--out dir]',
    );
    process.exit(2);
  }
  const out = arg('--out') ?? join(import.meta.dirname, '..', 'out', 'parity');
  mkdirSync(out, { recursive: true });
  const file = arg('--file') ?? join(out, 'leads.parquet');
  if (!existsSync(file)) {
    const rows = Number(arg('--rows') ?? 20_000);
    await generateLeads({ rows, out: file, seed: 1 });
    console.log(`generated ${rows} leads → ${file}`);
  }
  // The columns as a build maps the generated table (schema order of local/leads.ts).
  const engine = localBigQuery();
  engine.addTable(table, file);
  const schema = engine
    .run('local', querySql({ kind: 'schema', table }, bigQuery), {})
    .rows.map(([name, type]) => ({ name: String(name), type: String(type) }));
  const at = (n: string) => schema.findIndex((c) => c.name === n);
  const settings: KpiSettings = {
    leadSheet: table,
    mapping: {
      created: at('created_at'),
      mqlDate: at('mql_at'),
      dealDate: at('deal_at'),
      wonDate: at('won_at'),
      lostDate: at('lost_at'),
      amount: at('amount'),
      company: at('company'),
      status: at('status'),
      target: at('target'),
    },
    period: 'month',
    from: '2025-01-01',
    to: '2025-06-30',
    targetExclude: [],
    capacity: [],
    rankHorizons: {},
    lang: 'en',
    statusMap: { New: 'lead', MQL: 'mql', 商談化: 'sql', 受注: 'won', 失注: 'lost' },
    bigquery: { project: table.split('.')[0], table, schema },
  };
  const lines = [
    '#!/usr/bin/env bash',
    '# Loads the file into BigQuery and runs each KPI query there (your gcloud login).',
    'set -euo pipefail',
    'cd "$(dirname "$0")"',
    `bq load --replace --source_format=PARQUET ${table.replace('.', ':')} ${JSON.stringify(file)}`,
  ];
  for (const slot of extractSlots(settings, 'Asia/Tokyo')) {
    const sql = querySql(slot.query, bigQuery);
    writeFileSync(join(out, `${slot.key}.bq.sql`), sql);
    const r = engine.run('local', sql, {});
    writeFileSync(
      join(out, `${slot.key}.duckdb.json`),
      JSON.stringify({ columns: r.columns.map((c) => c.name), rows: r.rows }),
    );
    lines.push(
      `bq query --nouse_legacy_sql --format=json --max_rows=100000 --project_id=${settings.bigquery?.project} < ${slot.key}.bq.sql > ${slot.key}.bq.json`,
    );
  }
  writeFileSync(join(out, 'run.sh'), `${lines.join('\n')}\n`);
  engine.close();
  console.log(`wrote ${out}: *.bq.sql, *.duckdb.json, run.sh — run it, then --compare ${out}`);
}

await main();
