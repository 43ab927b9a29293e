/**
 * The Marketplace listing's icons and card banner, all rendered from ONE source file,
 * docs/marketplace/icon.svg, by the Chromium the browser tests drive (scripts/chromium.ts):
 * playwright-core `page.setContent` at the exact pixel size + `screenshot`, with
 * `omitBackground` for the transparent icons. No network: the banner's text uses the project's
 * own Noto Sans JP (npm @fontsource-variable/noto-sans-jp), embedded as data: URLs — only the
 * subsets the text needs.
 *
 *   node --import tsx scripts/icons.ts [--out DIR]    (default: test-artifacts/marketplace/icons)
 *
 * The PNGs are build artifacts (CI keeps them), not committed files: edit icon.svg and re-run.
 * Sizes: docs/marketplace/README.md says where each one comes from.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';
import { CHROMIUM_FLAGS, findChromium } from './chromium';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const ICON_SVG = join(ROOT, 'docs', 'marketplace', 'icon.svg');
export const DEFAULT_OUT = join(ROOT, 'test-artifacts', 'marketplace', 'icons');

export interface Asset {
  file: string;
  width: number;
  height: number;
  /** Transparent ground (alpha channel, corners clear); false = an opaque picture. */
  transparent: boolean;
  /** Where it goes. */
  use: string;
}

/** Every asset rendered, in the order the Store Listing and the consent screen ask for them. */
export const ASSETS: readonly Asset[] = [
  {
    file: 'icon-128.png',
    width: 128,
    height: 128,
    transparent: true,
    use: 'Store Listing → Application icons, 128 × 128 (required)',
  },
  {
    file: 'icon-32.png',
    width: 32,
    height: 32,
    transparent: true,
    use: 'Store Listing → Application icons, 32 × 32 (required)',
  },
  {
    file: 'icon-96.png',
    width: 96,
    height: 96,
    transparent: true,
    use: 'Store Listing → Application icons, 96 × 96 (asked for when the listing includes a web app; harmless otherwise)',
  },
  {
    file: 'icon-48.png',
    width: 48,
    height: 48,
    transparent: true,
    use: 'Store Listing → Application icons, 48 × 48 (as 96 × 96)',
  },
  {
    file: 'icon-120.png',
    width: 120,
    height: 120,
    transparent: true,
    use: 'OAuth consent screen → App logo (120 × 120: unverified, see docs/marketplace/README.md)',
  },
  {
    file: 'card-banner-220x140.png',
    width: 220,
    height: 140,
    transparent: false,
    use: 'Store Listing → Application card banner, 220 × 140 (required)',
  },
];

/** Where the banner draws the mark (CSS px): the test looks for the revenue bar there. */
export const BANNER_MARK = { left: 14, top: 30, size: 72 } as const;

/** The banner's words (Latin and Japanese: the fonts embedded are the subsets these need). */
const BANNER_TITLE = 'KPI Tree';
const BANNER_SUBTITLE = 'KPIツリー';
const BANNER_TAGLINE = 'Funnel KPIs → revenue';

/** The SVG, sized by CSS to fill its box (its viewBox keeps the proportions). */
function svgMarkup(): string {
  const svg = readFileSync(ICON_SVG, 'utf8');
  if (!/<svg[\s>]/.test(svg) || !/viewBox=/.test(svg))
    throw new Error(`${ICON_SVG}: not an SVG with a viewBox`);
  return svg.replace(/<\?xml[^>]*\?>/, '').trim();
}

/**
 * @font-face rules for the Noto Sans JP subsets that cover `text`, each file inlined as a data:
 * URL (a page opened with setContent can load nothing from disk or the network).
 */
export function fontFaceFor(text: string): string {
  const dir = dirname(createRequire(import.meta.url).resolve('@fontsource-variable/noto-sans-jp'));
  const css = readFileSync(join(dir, 'index.css'), 'utf8');
  const wanted = Array.from(new Set(Array.from(text))).map((c) => c.codePointAt(0) as number);
  const rules: string[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const file = /url\(\.\/(files\/[^)]+\.woff2)\)/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!file || !range) continue;
    const spans = range.split(',').map((r) => {
      const [a, b] = r.trim().replace(/^U\+/i, '').split('-');
      return [Number.parseInt(a, 16), Number.parseInt(b ?? a, 16)];
    });
    if (!wanted.some((c) => spans.some(([a, b]) => c >= a && c <= b))) continue;
    const data = readFileSync(join(dir, file)).toString('base64');
    rules.push(
      `@font-face{font-family:'Banner Noto Sans JP';font-weight:100 900;` +
        `src:url(data:font/woff2;base64,${data}) format('woff2');unicode-range:${range};}`,
    );
  }
  if (rules.length === 0) throw new Error('no Noto Sans JP subset covers the banner text');
  return rules.join('\n');
}

function iconPage(size: number): string {
  return `<!doctype html><html><head><style>
html,body{margin:0;padding:0;background:transparent;}
svg{display:block;width:${size}px;height:${size}px;}
</style></head><body>${svgMarkup()}</body></html>`;
}

function bannerPage(a: Asset): string {
  const text = BANNER_TITLE + BANNER_SUBTITLE + BANNER_TAGLINE;
  return `<!doctype html><html><head><style>
${fontFaceFor(text)}
html,body{margin:0;padding:0;}
body{width:${a.width}px;height:${a.height}px;background:#ffffff;position:relative;overflow:hidden;
  font-family:'Banner Noto Sans JP',sans-serif;color:#202124;}
.mark{position:absolute;left:${BANNER_MARK.left}px;top:${BANNER_MARK.top}px;}
.mark svg{display:block;width:${BANNER_MARK.size}px;height:${BANNER_MARK.size}px;}
.words{position:absolute;left:${BANNER_MARK.left + BANNER_MARK.size + 10}px;top:32px;right:8px;}
.title{font-size:23px;font-weight:700;line-height:28px;letter-spacing:-0.2px;}
.sub{font-size:14px;font-weight:500;line-height:20px;color:#5f6368;}
.tag{font-size:10.5px;font-weight:500;line-height:16px;color:#5f6368;margin-top:4px;white-space:nowrap;}
.band{position:absolute;left:0;right:0;bottom:0;height:8px;display:flex;}
.band i{flex:1;}
</style></head><body>
<div class="mark">${svgMarkup()}</div>
<div class="words"><div class="title">${BANNER_TITLE}</div><div class="sub">${BANNER_SUBTITLE}</div><div class="tag">${BANNER_TAGLINE}</div></div>
<div class="band"><i style="background:#1a73e8"></i><i style="background:#188038"></i><i style="background:#f9ab00"></i></div>
</body></html>`;
}

export interface Rendered extends Asset {
  path: string;
}

/**
 * Renders every asset into `outDir` (created). Uses `browser` when given (the tests pass theirs),
 * else launches the Chromium scripts/chromium.ts finds and closes it afterwards.
 */
export async function renderIcons(
  outDir: string = DEFAULT_OUT,
  browser?: Browser,
): Promise<Rendered[]> {
  mkdirSync(outDir, { recursive: true });
  const own = browser
    ? undefined
    : await chromium.launch({ executablePath: findChromium().path, args: CHROMIUM_FLAGS });
  const b = browser ?? (own as Browser);
  const out: Rendered[] = [];
  try {
    for (const a of ASSETS) {
      const page = await b.newPage({
        viewport: { width: a.width, height: a.height },
        deviceScaleFactor: 1,
      });
      try {
        const banner = a.file.startsWith('card-banner');
        await page.setContent(banner ? bannerPage(a) : iconPage(a.width));
        if (banner) await page.evaluate(() => document.fonts.ready.then(() => undefined));
        const png = await page.screenshot({
          omitBackground: a.transparent,
          clip: { x: 0, y: 0, width: a.width, height: a.height },
        });
        const path = join(outDir, a.file);
        writeFileSync(path, png);
        out.push({ ...a, path });
      } finally {
        await page.close();
      }
    }
  } finally {
    await own?.close();
  }
  return out;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const at = args.indexOf('--out');
  const outDir = at >= 0 && args[at + 1] ? resolve(args[at + 1]) : DEFAULT_OUT;
  const done = await renderIcons(outDir);
  for (const r of done) console.log(`${r.path}  ${r.width}×${r.height}  ${r.use}`);
}
