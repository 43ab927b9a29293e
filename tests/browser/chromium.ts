/**
 * Shared by the browser tests: Debian's Chromium driven by playwright-core, and the local
 * preview (the real dist/sidebar.html, google.script.run bridged to a LocalRuntime).
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Frame, type Page } from 'playwright-core';
import { type Preview, startPreview } from '../../local/preview';
import type { LocalRuntime } from '../../local/runtime';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(import.meta.dirname, '../../test-artifacts');
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install chromium (.ci/run does)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS });
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
