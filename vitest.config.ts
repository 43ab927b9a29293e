import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    setupFiles: ['tests/setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Vitest's default is one worker less than the cores (1 on this 2-core machine: the whole
    // suite ran file after file on one core while the other idled). The main thread only
    // orchestrates: one worker per core.
    maxWorkers: Math.max(2, availableParallelism()),
    // DuckDB (the local BigQuery) one thread per instance: the workers fill the cores already.
    env: { KPI_DUCKDB_THREADS: '1' },
    reporters: ['default', './tests/reporters/summary.ts'],
  },
});
