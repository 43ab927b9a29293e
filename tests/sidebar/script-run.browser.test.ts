/**
 * The preview's google.script.run bridge in Chromium applies Apps Script's rules in the page
 * (local/scriptRun.ts), as the real client does: a Date argument throws
 * "TypeError: Failed due to illegal value in property: 0" at the call, before any request
 * (documented that it fails: https://developers.google.com/apps-script/guides/html/reference/run;
 * the text and the throw at the call reported), and undefined in an array, in an object field or
 * as an argument reaches the server as null (assumed; arrays are documented and tested in
 * tests/local/script-run.test.ts).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import { launch, openPreview } from '../helpers/chromium';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

describe('google.script.run in the preview page', () => {
  it('throws at the call for a Date and sends nothing; undefined arrives as null', async () => {
    const rt = new LocalRuntime({ locale: 'en_US' });
    rt.loadSheets(sampleWorkbook({ leads: 200 }));
    const opened = await openPreview(browser, rt);
    try {
      // What the server function receives, after the bridge and the server's copy.
      const received: string[] = [];
      const call = rt.call.bind(rt);
      rt.call = <T>(name: string, ...args: unknown[]): T => {
        received.push(`${name} ${JSON.stringify(args)}`);
        return call<T>(name, ...args);
      };
      let runs = 0;
      opened.preview.server.on('request', (req) => {
        if (req.url === '/api/run') runs++;
      });
      const thrown = await opened.sidebar.evaluate(() => {
        try {
          (google.script.run as unknown as Record<string, (...a: unknown[]) => void>).kpiLocale(
            new Date(),
          );
          return 'no error';
        } catch (e) {
          return `${(e as Error).name}: ${(e as Error).message}`;
        }
      });
      expect(thrown).toBe('TypeError: Failed due to illegal value in property: 0');

      const answer = await opened.sidebar.evaluate(
        () =>
          new Promise<string>((resolve) => {
            const run = google.script.run
              .withSuccessHandler((v: unknown) =>
                resolve(`ok ${(v as { name?: string } | null)?.name}`),
              )
              .withFailureHandler((e: Error) =>
                resolve(`failed ${e.message}`),
              ) as unknown as Record<string, (...a: unknown[]) => void>;
            run.kpiInspectTab('Leads', { created: 0, company: undefined }, undefined);
          }),
      );
      expect(answer).toBe('ok Leads');
      expect(received).toEqual(['kpiInspectTab ["Leads",{"created":0,"company":null},null]']);
      expect(runs).toBe(1); // the Date call sent nothing
    } finally {
      await opened.page.close();
      await opened.preview.close();
    }
  }, 60_000);
});

declare const google: {
  script: {
    run: {
      withSuccessHandler(f: (v: unknown) => void): typeof google.script.run;
      withFailureHandler(f: (e: Error) => void): typeof google.script.run;
    };
  };
};
