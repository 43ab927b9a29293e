/**
 * A typed promise wrapper around google.script.run — the only way the pages talk to the server,
 * so the same page runs in Sheets and against the local runtime's bridge. The names, arguments
 * and results are those of the declared API (src/addon/sidebarApi.ts), imported as types only:
 * no server code enters a page.
 */
import type { SelfCheckApi, SidebarApi } from '../src/addon/sidebarApi';

interface Runner {
  withSuccessHandler(fn: (v: unknown) => void): Runner;
  withFailureHandler(fn: (e: Error) => void): Runner;
  [fn: string]: unknown;
}

declare const google: { script: { run: Runner } };

/** An API's functions as promises: `call(name, ...its arguments)` resolves with its result. */
export type Client<Api> = <K extends keyof Api & string>(
  fn: K,
  ...args: Api[K] extends (...a: infer P) => unknown ? P : never
) => Promise<Api[K] extends (...a: never[]) => infer R ? R : never>;

function run(fn: string, ...args: unknown[]): Promise<unknown> {
  // Trailing omitted arguments are not sent (google.script.run would carry them as null).
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  return new Promise<unknown>((resolve, reject) => {
    const runner = google.script.run
      .withSuccessHandler((v) => resolve(v))
      .withFailureHandler((e) =>
        reject(
          e instanceof Error ? e : new Error(String((e as { message?: string })?.message ?? e)),
        ),
      );
    (runner[fn] as (...a: unknown[]) => void)(...args.slice(0, n));
  });
}

/** The sidebar's server functions (sidebar/main.ts). */
export const call = run as Client<SidebarApi>;

/** The self-check dialog's server functions (sidebar/check/main.ts). */
export const callSelfCheck = run as Client<SelfCheckApi>;
