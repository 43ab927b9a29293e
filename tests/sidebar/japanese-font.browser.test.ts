/**
 * Japanese shows as glyphs in screenshots on any machine, not only where Debian's fonts-noto-cjk is
 * installed: the preview page and the sidebar load the project's own Noto Sans JP (npm
 * @fontsource-variable/noto-sans-jp, served by the preview from node_modules). The browser here
 * runs with a fontconfig that offers no CJK font at all (FONTCONFIG_FILE → DejaVu only, when
 * present), so a glyph can only come from the project's font; a reference drawn in DejaVu shows what
 * missing glyphs look like (the same box for every character).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPreview } from '../../local/preview';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import { ARTIFACTS, CHROMIUM_SOURCE, launch, openPreview } from '../helpers/chromium';

const LABEL = '売上（KGI）';
const DEJAVU = '/usr/share/fonts/truetype/dejavu';
let browser: Browser;

beforeAll(async () => {
  // A fontconfig with no CJK font: DejaVu's folder if the machine has it, nothing else.
  const dir = mkdtempSync(join(tmpdir(), 'kpi-fontconfig-'));
  const conf = join(dir, 'fonts.conf');
  writeFileSync(
    conf,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>${DEJAVU}</dir><cachedir>${join(dir, 'cache')}</cachedir></fontconfig>
`,
  );
  browser = await launch({ env: { ...process.env, FONTCONFIG_FILE: conf } });
  console.log(`Japanese font test: Chromium ${browser.version()} (${CHROMIUM_SOURCE})`);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

/**
 * Adds the label to a frame twice, in the page's own font and in DejaVu only (the "tofu"
 * reference), plus its first two characters one per line at the same position (so that equal
 * glyphs give equal pixels); waits for the fonts. Returns the two labels' widths.
 */
async function probe(frame: Frame, id: string) {
  return frame.evaluate(
    async ({ id, label }) => {
      const box = document.createElement('div');
      box.id = id;
      box.style.cssText =
        'position:fixed;left:0;top:0;z-index:9999;background:#fff;padding:8px;font-size:24px;line-height:32px';
      const line = (text: string, cls: string, tofu: boolean) => {
        const d = document.createElement('div');
        const s = document.createElement('span');
        s.className = cls;
        s.textContent = text;
        if (tofu) s.style.fontFamily = '"DejaVu Sans"';
        d.appendChild(s);
        box.appendChild(d);
      };
      line(label, 'label', false);
      line(label, 'tofu-label', true);
      for (const [i, ch] of Array.from(label.slice(0, 2)).entries()) {
        line(ch, `glyph glyph-${i}`, false);
        line(ch, `tofu tofu-${i}`, true);
      }
      document.body.appendChild(box);
      await document.fonts.ready;
      const width = (sel: string) =>
        (box.querySelector(sel) as HTMLElement).getBoundingClientRect().width;
      return { label: width('.label'), tofu: width('.tofu-label') };
    },
    { id, label: LABEL },
  );
}

/** The fonts Chromium drew an element's text with (DevTools' "Rendered Fonts"). */
async function renderedFonts(page: Page, id: string) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('DOM.enable');
    await cdp.send('CSS.enable');
    const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
    type Node = (typeof root)['children'] extends (infer N)[] | undefined ? N : never;
    const find = (n: Node): Node | undefined => {
      const attrs = n.attributes ?? [];
      for (let i = 0; i < attrs.length; i += 2)
        if (attrs[i] === 'id' && attrs[i + 1] === id) return n;
      for (const c of [...(n.children ?? []), ...(n.contentDocument ? [n.contentDocument] : [])]) {
        const hit = find(c);
        if (hit) return hit;
      }
      return undefined;
    };
    const box = find(root as Node);
    if (!box) throw new Error(`#${id} not found`);
    const { nodeId } = await cdp.send('DOM.querySelector', {
      nodeId: box.nodeId,
      selector: '.label',
    });
    const { fonts } = await cdp.send('CSS.getPlatformFontsForNode', { nodeId });
    return fonts;
  } finally {
    await cdp.detach();
  }
}

/** Per-character screenshots: glyphs differ from each other and from the box; boxes are alike. */
async function glyphPixels(frame: Frame) {
  const shot = (sel: string) => frame.locator(sel).screenshot();
  return {
    glyph: [await shot('.glyph-0'), await shot('.glyph-1')],
    tofu: [await shot('.tofu-0'), await shot('.tofu-1')],
  };
}

describe('Japanese in the preview with no CJK font on the system', () => {
  it(`the preview page and the sidebar draw ${LABEL} with the project's Noto Sans JP, not boxes`, async () => {
    const rt = new LocalRuntime({ locale: 'ja_JP' });
    rt.loadSheets(sampleWorkbook({ leads: 300 }));
    const { preview, page, sidebar } = await openPreview(browser, rt);
    try {
      const frames: [string, Frame][] = [
        ['preview', page.mainFrame()],
        ['sidebar', sidebar],
      ];
      for (const [name, frame] of frames) {
        const id = `font-probe-${name}`;
        const width = await probe(frame, id);
        const px = await glyphPixels(frame);
        // The reference proves the browser has no CJK font of its own: 売 and 上 are one box.
        expect(px.tofu[0].equals(px.tofu[1]), `${name}: reference boxes alike`).toBe(true);
        // In the page's font they are two different glyphs, neither of them that box.
        expect(px.glyph[0].equals(px.glyph[1]), `${name}: 売 ≠ 上`).toBe(false);
        expect(px.glyph[0].equals(px.tofu[0]), `${name}: 売 is not a box`).toBe(false);
        // CJK glyphs are 1 em wide: 4 of them (売上（）) + "KGI" are wider than 4 boxes + "KGI".
        expect(width.label, `${name}: widths ${JSON.stringify(width)}`).toBeGreaterThan(
          width.tofu + 24,
        );
        const fonts = await renderedFonts(page, id);
        const ours = fonts.filter((f) => f.isCustomFont && /Noto Sans JP/.test(f.familyName));
        expect(ours.length, `${name}: ${JSON.stringify(fonts)}`).toBe(1);
        // 売 上 （ ） come from the web font; whatever else drew "KGI" is not a CJK font.
        expect(ours[0].glyphCount).toBe(4);
        expect(
          fonts.filter((f) => !f.isCustomFont).every((f) => !/CJK|JP/.test(f.familyName)),
        ).toBe(true);
      }
      await page.screenshot({ path: join(ARTIFACTS, 'japanese-font.png') });
    } finally {
      await page.close();
      await preview.close();
    }
  }, 60_000);
});

interface Answer {
  status: number;
  type: string;
  body: Buffer;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type'] ?? ''),
          body: Buffer.concat(chunks),
        }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe("the preview's font route", () => {
  it('serves the CSS and its woff2 files from node_modules without the token, behind the Host check', async () => {
    const preview = await startPreview(new LocalRuntime({ locale: 'ja_JP' }));
    const port = Number(new URL(preview.url).port);
    try {
      const css = await get(port, '/fonts/noto-sans-jp/index.css');
      expect(css.status).toBe(200);
      expect(css.type).toMatch(/^text\/css/);
      const text = css.body.toString('utf8');
      expect(text).toContain("font-family: 'Noto Sans JP Variable'");
      expect(text).not.toMatch(/url\((https?:)?\/\//); // every file is the preview's own
      const file = /url\(\.\/(files\/[^)]+\.woff2)\)/.exec(text)?.[1];
      const woff2 = await get(port, `/fonts/noto-sans-jp/${file}`);
      expect(woff2.status).toBe(200);
      expect(woff2.type).toBe('font/woff2');
      expect(woff2.body.subarray(0, 4).toString('latin1')).toBe('wOF2');
      // A DNS-rebinding name or another origin gets nothing, fonts included.
      const host = await get(port, '/fonts/noto-sans-jp/index.css', { host: `evil.test:${port}` });
      expect(host.status).toBe(403);
      const origin = await get(port, '/fonts/noto-sans-jp/index.css', {
        origin: 'http://evil.test',
      });
      expect(origin.status).toBe(403);
      // Only the CSS and its font files: not the package's other files, no way out of it.
      for (const path of [
        '/fonts/noto-sans-jp/package.json',
        '/fonts/noto-sans-jp/files/../../../package.json',
        '/fonts/noto-sans-jp/files/%2e%2e%2f%2e%2e%2fpackage.json',
        '/fonts/noto-sans-jp/files/noto-sans-jp-99999-wght-normal.woff2',
        '/fonts/../package.json',
      ])
        expect((await get(port, path)).status, path).toBe(404);
    } finally {
      await preview.close();
    }
  });

  it('dist/sidebar.html (what Sheets serves) names the font only as an addition and loads nothing', () => {
    const html = readFileSync(join(import.meta.dirname, '../../dist/sidebar.html'), 'utf8');
    expect(html).not.toContain('/fonts/');
    expect(html).not.toContain('@font-face');
    expect(html).toMatch(/system-ui,\s*"Hiragino Sans",\s*"Noto Sans JP",/);
    expect(html).toMatch(/"Noto Sans JP Variable",\s*sans-serif/);
  });
});
