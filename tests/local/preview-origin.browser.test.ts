/**
 * The preview against hostile pages in Chromium: a page on another origin (a second server on
 * another loopback port) tries the requests a browser lets any page send — a no-cors text/plain
 * POST that would start a build, reads of the sheet view and of the token-carrying page, a form
 * POST, framing — and a DNS-rebinding page (a foreign host name resolving to 127.0.0.1, so that it
 * is same-origin with the preview in the browser's eyes) tries to read the workbook. None of them
 * may build or read anything; the preview's own page still works.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Frame } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Preview, startPreview } from '../../local/preview';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { CHROMIUM, launch } from '../helpers/chromium';
import { settingsFor } from '../helpers/settings';

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

interface Seen {
  method: string;
  path: string;
  host: string;
  origin?: string;
  status: number;
}

/** A preview on the sample workbook, with a log of every request it answered. */
async function target() {
  const rt = new LocalRuntime({ locale: 'en_US' });
  rt.loadSheets(sampleWorkbook({ leads: 300 }));
  const own = rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
  const inspection = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const settings = settingsFor(inspection, {
    from: inspection.defaults.from,
    to: inspection.defaults.to,
  });
  const saveTo = join(mkdtempSync(join(tmpdir(), 'kpi-origin-')), 'preview.xlsx');
  const preview = await startPreview(rt, { saveTo });
  const seen: Seen[] = [];
  preview.server.on('request', (req, res) => {
    res.on('finish', () =>
      seen.push({
        method: req.method ?? '',
        path: req.url ?? '',
        host: req.headers.host ?? '',
        origin: req.headers.origin,
        status: res.statusCode,
      }),
    );
  });
  const sheets = () => rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
  return { rt, own, settings, saveTo, preview, seen, sheets };
}

/** The attacker's page: tries each request and reports what it could see. */
function attackerPage(preview: Preview, body: string): string {
  return `<!doctype html><html><body><iframe id="sink" name="sink"></iframe><script>
const P = ${JSON.stringify(preview.url)};
const BODY = ${JSON.stringify(body)};
async function seen(r) { return { type: r.type, status: r.status, text: await r.text() }; }
async function attempt(f) { try { return await f(); } catch (e) { return 'threw ' + e.name; } }
function loaded(el) { return new Promise(function (ok) { el.addEventListener('load', ok, { once: true }); }); }
window.attack = async function () {
  const out = {};
  out.noCorsBuild = await attempt(() => fetch(P + 'api/run', { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: BODY }).then(seen));
  out.corsBuild = await attempt(() => fetch(P + 'api/run', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: BODY }).then(seen));
  out.jsonBuild = await attempt(() => fetch(P + 'api/run', { method: 'POST', headers: { 'content-type': 'application/json', 'x-kpi-token': '0' }, body: BODY }).then(seen));
  out.sheet = await attempt(() => fetch(P + 'api/sheet?name=Leads').then(seen));
  out.noCorsSheet = await attempt(() => fetch(P + 'api/sheet?name=Leads', { mode: 'no-cors' }).then(seen));
  out.page = await attempt(() => fetch(P).then(seen));
  // A classic CSRF form: text/plain body that parses as JSON, posted into a frame.
  const sink = document.getElementById('sink');
  const form = document.createElement('form');
  form.action = P + 'api/run'; form.method = 'POST'; form.enctype = 'text/plain'; form.target = 'sink';
  const input = document.createElement('input');
  input.name = BODY.slice(0, -1) + ',"x":"'; input.value = '"}';
  form.appendChild(input); document.body.appendChild(form);
  const posted = loaded(sink); form.submit(); await posted;
  out.form = await attempt(() => sink.contentDocument ? sink.contentDocument.body.textContent : 'unreadable');
  // Framing the preview itself (clickjacking its Build button).
  const frame = document.createElement('iframe');
  const framed = loaded(frame); frame.src = P; document.body.appendChild(frame); await framed;
  out.framed = await attempt(() => frame.contentDocument ? 'readable' : 'unreadable');
  return out;
};
</script></body></html>`;
}

async function serve(html: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(html);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` };
}

describe('the preview against other origins', () => {
  it('a page on another origin can neither build nor read', async () => {
    const { own, settings, saveTo, preview, seen, sheets, rt } = await target();
    const body = JSON.stringify({ fn: 'kpiBuild', args: [settings] });
    const attacker = await serve(attackerPage(preview, body));
    const page = await browser.newPage();
    try {
      await page.goto(attacker.url);
      const out = (await page.evaluate('window.attack()')) as Record<string, unknown>;
      // What the page could see: opaque answers or network errors, never the workbook or token.
      expect(out.noCorsBuild).toEqual({ type: 'opaque', status: 0, text: '' });
      expect(out.corsBuild).toBe('threw TypeError');
      expect(out.jsonBuild).toBe('threw TypeError');
      expect(out.sheet).toBe('threw TypeError');
      expect(out.noCorsSheet).toEqual({ type: 'opaque', status: 0, text: '' });
      expect(out.page).toBe('threw TypeError');
      expect(out.form).toBe('unreadable');
      expect(out.framed).toBe('unreadable');

      // Nothing was built, saved or remembered…
      expect(sheets()).toEqual(own);
      expect(existsSync(saveTo)).toBe(false);
      expect(rt.call('kpiLoadSettings')).toBeNull();
      // …because the preview refused every API request that reached it…
      const api = seen.filter((s) => s.path.startsWith('/api/'));
      expect(api.length).toBeGreaterThanOrEqual(5);
      for (const s of api) expect(s.status, `${s.method} ${s.path}`).toBe(403);
      const origin = attacker.url.replace(/\/$/, '');
      expect(api.filter((s) => s.method === 'POST' && s.origin === origin).length).toBe(3);
      // …the framed page never ran (frame-ancestors): it did not even load the sidebar.
      expect(seen.some((s) => s.path === '/sidebar')).toBe(false);

      // The preview's own page still reads the workbook and calls the sidebar API.
      await page.goto(preview.url);
      await page.waitForSelector('#grid td');
      expect(await page.textContent('#tabs')).toContain('Leads');
      const sidebar = (await (
        await page.waitForSelector('iframe#sidebar')
      ).contentFrame()) as Frame;
      await sidebar.waitForSelector('#build');
      const locale = await sidebar.evaluate(
        'new Promise((ok, no) => google.script.run.withSuccessHandler(ok).withFailureHandler(no).kpiLocale())',
      );
      expect(locale).toBe('en');
      // The bridge refuses a menu handler with the server's message.
      const menu = await sidebar.evaluate(
        'new Promise((ok) => google.script.run.withFailureHandler((e) => ok(e.message)).kpiMenuRebuild())',
      );
      expect(menu).toContain('"kpiMenuRebuild" is not a sidebar API function');
      expect(sheets()).toEqual(own);
    } finally {
      await page.close();
      await preview.close();
      await new Promise((resolve) => attacker.server.close(resolve));
    }
  }, 60_000);

  it('a DNS-rebinding page (a foreign name resolving to 127.0.0.1) is refused by the Host check', async () => {
    const { own, settings, saveTo, preview, seen, sheets } = await target();
    const { port } = new URL(preview.url);
    // The rebinding done: the attacker's name now resolves to the loopback address.
    const rebinding = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', '--host-resolver-rules=MAP rebind.test 127.0.0.1'],
    });
    try {
      const page = await rebinding.newPage();
      const first = await page.goto(`http://rebind.test:${port}/`);
      expect(first?.status()).toBe(403);
      expect(await page.textContent('body')).toContain('forbidden: Host "rebind.test');
      // Same origin as the "preview" now, so responses are readable — and they hold nothing.
      const body = JSON.stringify({ fn: 'kpiBuild', args: [settings] });
      const out = await page.evaluate(async (b) => {
        const read = async (r: Response) => ({ status: r.status, text: await r.text() });
        return {
          sheet: await fetch('/api/sheet?name=Leads').then(read),
          sheets: await fetch('/api/sheets').then(read),
          sidebar: await fetch('/sidebar').then(read),
          build: await fetch('/api/run', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: b,
          }).then(read),
        };
      }, body);
      for (const [name, r] of Object.entries(out)) {
        expect(r.status, name).toBe(403);
        expect(r.text, name).toMatch(/^forbidden: Host "rebind\.test:\d+"/);
        expect(r.text).not.toContain('kpi-token');
      }
      expect(seen.length).toBeGreaterThanOrEqual(5);
      for (const s of seen) {
        expect(s.host).toBe(`rebind.test:${port}`);
        expect(s.status).toBe(403);
      }
      expect(sheets()).toEqual(own);
      expect(existsSync(saveTo)).toBe(false);
    } finally {
      await rebinding.close();
      await preview.close();
    }
  }, 60_000);
});
