/**
 * The self-check dialog's logic, free of the DOM (tests run it through the local runtime's
 * google.script.run path): run the server's checks, then the one probe only a page can make —
 * a value holding `undefined` sent through google.script.run — and put the report together.
 */
import type { CheckResult, SelfCheckReport } from '../../src/addon/selfCheck';
import { infoOf, LABELS, nameOf } from './catalog';

/** What the page sends: an undefined object field and an undefined array slot. */
export const ARRIVED_PAYLOAD = (): { a: undefined; b: (number | undefined)[] } => ({
  a: undefined,
  b: [1, undefined],
});

export interface CheckServer {
  run(): Promise<SelfCheckReport>;
  arrived(payload: unknown): Promise<CheckResult>;
}

/** The whole report: the server's checks with the page's probe filled in. */
export async function runSelfCheck(server: CheckServer): Promise<SelfCheckReport> {
  const report = await server.run();
  const at = report.checks.findIndex((c) => c.id === 'scriptRun.undefined');
  let arrived: CheckResult;
  try {
    arrived = await server.arrived(ARRIVED_PAYLOAD());
  } catch (e) {
    arrived = {
      id: 'scriptRun.undefined',
      status: 'fail',
      expected: report.checks[at]?.expected ?? '',
      observed: `the call failed: ${String((e as Error)?.message ?? e)}`,
    };
  }
  const checks = [...report.checks];
  if (at >= 0) checks[at] = arrived;
  else checks.push(arrived);
  return { ...report, checks };
}

/** Passed / failed / skipped counts in the report's language. */
export function summary(report: SelfCheckReport): string {
  const n = (s: string) => String(report.checks.filter((c) => c.status === s).length);
  return LABELS[report.lang].summary
    .replace('{pass}', n('pass'))
    .replace('{fail}', n('fail'))
    .replace('{skip}', n('skip'));
}

/** One row as the dialog shows it: the result with its name, source and runtime pointer. */
export function rowOf(
  c: CheckResult,
  lang: SelfCheckReport['lang'],
): CheckResult & { name: string; source: string; runtime: string } {
  const info = infoOf(c.id);
  return {
    ...c,
    name: nameOf(c.id, lang),
    source: info ? `${info.tag}: ${info.source}` : '',
    runtime: info?.runtime ?? '',
  };
}

/** The report as plain text, for a maintainer to paste into an issue. */
export function asText(report: SelfCheckReport): string {
  const l = LABELS[report.lang];
  const lines = [
    `${l.title} — ${report.edition}, ${report.locale}, ${report.timeZone}, ${report.ms} ms`,
    summary(report),
    '',
  ];
  for (const c of report.checks.map((x) => rowOf(x, report.lang))) {
    lines.push(`[${c.status.toUpperCase()}] ${c.id} — ${c.name}`);
    lines.push(`  ${l.expected}: ${c.expected}`);
    lines.push(`  ${l.observed}: ${c.observed}`);
    if (c.status === 'fail') lines.push(`  ${l.runtime}: ${c.runtime}`);
    lines.push(`  ${l.source}: ${c.source}`);
  }
  return lines.join('\n');
}
