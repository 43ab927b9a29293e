/**
 * Shared by the browser tests: a Chromium (scripts/chromium.ts: CHROMIUM_PATH, else the one the
 * npm devDependency @sparticuz/chromium ships, else Debian's) driven by playwright-core, and the
 * local preview (the real dist/sidebar.html, google.script.run bridged to a LocalRuntime).
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { type Preview, startPreview } from '../../local/preview';
import type { LocalRuntime } from '../../local/runtime';
import { CHROMIUM_FLAGS, type FoundChromium, findChromium } from '../../scripts/chromium';

/** The Chromium found, or why there is none (reported by `launch`, so that importing never throws). */
const found: FoundChromium | Error = (() => {
  try {
    return findChromium();
  } catch (e) {
    return e as Error;
  }
})();
export const CHROMIUM = found instanceof Error ? '' : found.path;
/** Where CHROMIUM came from: "CHROMIUM_PATH", "npm @sparticuz/chromium@…" or "Debian". */
export const CHROMIUM_SOURCE = found instanceof Error ? 'none' : found.source;
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');

export async function launch(opts: { env?: NodeJS.ProcessEnv } = {}): Promise<Browser> {
  if (found instanceof Error) throw found;
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS, env: opts.env });
}

/** Waits until the web fonts a frame asked for are loaded (they swap in; screenshots wait). */
export async function fontsLoaded(frame: Frame): Promise<void> {
  await frame.evaluate(() => document.fonts.ready.then(() => undefined));
}

export interface Opened {
  preview: Preview;
  page: Page;
  sidebar: Frame;
  dialogs: string[];
}

/** Opens the preview and waits until the sidebar has read its first tab. */
export async function openPreview(
  browser: Browser,
  rt: LocalRuntime,
  opts: { saveTo?: string; height?: number } = {},
): Promise<Opened> {
  const preview = await startPreview(rt, { saveTo: opts.saveTo });
  const page = await browser.newPage({ viewport: { width: 1280, height: opts.height ?? 900 } });
  const dialogs: string[] = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(preview.url);
  const handle = await page.waitForSelector('iframe#sidebar');
  const sidebar = (await handle.contentFrame()) as Frame;
  await sidebar.waitForSelector('#build');
  await settled(sidebar);
  return { preview, page, sidebar, dialogs };
}

/** Waits until no inspection is on its way (the sidebar sets <body data-busy> while one is). */
export async function settled(sidebar: Frame): Promise<void> {
  await sidebar.waitForSelector('#columns select');
  await sidebar.waitForFunction(() => document.body.dataset.busy === undefined);
  await fontsLoaded(sidebar);
  await fontsLoaded(sidebar.page().mainFrame());
}

/** Elements of the sidebar that stick out of its 300 px (none should). */
export function overflowing(sidebar: Frame): Promise<string[]> {
  return sidebar.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const out: string[] = [];
    for (const e of Array.from(document.querySelectorAll('body *'))) {
      const r = e.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.right > width + 0.5 || r.left < -0.5)
        out.push(
          `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''} ${Math.round(r.left)}…${Math.round(r.right)}`,
        );
    }
    return out;
  });
}

/** Text elements of the sidebar whose content is cut (scrollWidth > clientWidth): none should be. */
export function clipped(sidebar: Frame): Promise<string[]> {
  return sidebar.evaluate(() => {
    const out: string[] = [];
    for (const e of Array.from(
      document.querySelectorAll('label, span, td, th, li, p, h2, h3, button, a'),
    )) {
      const h = e as HTMLElement;
      if (h.offsetParent === null) continue; // not shown
      if (h.scrollWidth > h.clientWidth + 1)
        out.push(`${h.tagName.toLowerCase()}: ${h.textContent?.slice(0, 40)}`);
    }
    return out;
  });
}
