/**
 * Prints, after vitest's own report: the run's wall time and its slowest files (a suite that is a
 * habit stays under 10 minutes on the 2-core machine: these say where the time goes), then one
 * plain closing line, `tests: N passed, N failed, N skipped`, so that CI logs state the count in a
 * form any reader (or log scraper) understands.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  private started = performance.now();

  onTestRunStart(): void {
    this.started = performance.now();
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else skipped++;
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++;
    }
    const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
    const slowest = [...modules]
      .map((m) => {
        const d = m.diagnostic();
        return { file: m.relativeModuleId, ms: d.duration + d.collectDuration + d.setupDuration };
      })
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 10);
    console.log(`\nwall time: ${seconds(performance.now() - this.started)}; slowest files:`);
    for (const s of slowest) console.log(`  ${seconds(s.ms).padStart(8)}  ${s.file}`);
    console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  }
}
