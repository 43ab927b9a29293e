/**
 * A typed promise wrapper around google.script.run — the only way the sidebar talks to the
 * server, so the same page runs in Sheets and against the local runtime's bridge.
 */
import type {
  BuildResult,
  DealsInspection,
  ExtraInspection,
  TabInfo,
  TabInspection,
} from '../src/addon/api';
import type { ExtraKind } from '../src/core/extraTabs';
import type { LeadMapping } from '../src/core/leads';
import type { KpiSettings } from '../src/core/settings';
import type { RowKind } from '../src/core/stages';

interface Runner {
  withSuccessHandler(fn: (v: unknown) => void): Runner;
  withFailureHandler(fn: (e: Error) => void): Runner;
  [fn: string]: unknown;
}

declare const google: { script: { run: Runner } };

/** A server function as a promise (also the self-check dialog's, sidebar/check/main.ts). */
export function call<T>(fn: string, ...args: unknown[]): Promise<T> {
  // Trailing omitted arguments are not sent (google.script.run would carry them as null).
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return new Promise<T>((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((v) => resolve(v as T))
      .withFailureHandler((e) =>
        reject(
          e instanceof Error ? e : new Error(String((e as { message?: string })?.message ?? e)),
        ),
      );
    (runner[fn] as (...a: unknown[]) => void)(...args.slice(0, n));
  });
}

export const server = {
  listTabs: () => call<{ tabs: TabInfo[]; suggested: string | null }>('kpiListTabs'),
  inspectTab: (name: string, mapping?: LeadMapping, rowsAre?: RowKind) =>
    call<TabInspection>('kpiInspectTab', name, mapping, rowsAre),
  inspectDeals: (
    name: string,
    leadSheet: string,
    leadMapping: LeadMapping,
    mapping?: LeadMapping,
  ) => call<DealsInspection>('kpiInspectDeals', name, leadSheet, leadMapping, mapping),
  inspectExtra: (name: string, kind: ExtraKind) =>
    call<ExtraInspection>('kpiInspectExtra', name, kind),
  loadSettings: () => call<KpiSettings | null>('kpiLoadSettings'),
  build: (settings: KpiSettings) => call<BuildResult>('kpiBuild', settings),
  activate: (name: string) => call<void>('kpiActivate', name),
  locale: () => call<string>('kpiLocale'),
};
