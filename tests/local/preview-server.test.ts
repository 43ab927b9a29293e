/**
 * The preview server (local/preview.ts) at the HTTP level, with node's own client: only requests
 * naming the preview in Host, from no other origin, carrying the run's token, with a JSON body of
 * at most 2 MB and one of the sidebar's API functions get through; concurrent builds are
 * serialised and the saved .xlsx is replaced atomically.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readXlsx } from '../../local/io';
import { MAX_BODY_BYTES, type Preview, startPreview, TOKEN_HEADER } from '../../local/preview';
import { LocalRuntime } from '../../local/runtime';
import { sampleWorkbook } from '../../local/sample';
import type { TabInspection } from '../../src/addon/api';
import { settingsFor } from '../helpers/settings';

interface Answer {
  status: number;
  type: string;
  text: string;
}

interface Ask {
  method?: string;
  path: string;
  headers?: Record<string, string | undefined>;
  /** Sent in one piece (with content-length), or as chunks (chunked encoding). */
  body?: string | Buffer | Buffer[];
  /** false: no Host header at all. */
  setHost?: boolean;
}

/** One request to the preview; resolves with the response even if the server stops reading. */
function ask(preview: Preview, { method = 'GET', path, headers = {}, body, setHost }: Ask) {
  const { port } = new URL(preview.url);
  const clean = Object.fromEntries(
    Object.entries(headers).filter((e): e is [string, string] => e[1] !== undefined),
  );
  return new Promise<Answer>((resolve, reject) => {
    let answered = false;
    const req = request(
      { host: '127.0.0.1', port, method, path, headers: clean, setHost, agent: false },
      (res) => {
        answered = true;
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            text,
          }),
        );
      },
    );
    // Writing the rest of a refused body may fail once the server has answered: not an error.
    req.on('error', (e) => {
      if (!answered) reject(e);
    });
    if (Array.isArray(body)) {
      for (const chunk of body) req.write(chunk);
      req.end();
    } else req.end(body);
  });
}

/** A request written by hand on a socket; resolves with the whole response text. */
function raw(preview: Preview, text: string): Promise<string> {
  const { port } = new URL(preview.url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
    let out = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk) => {
      out += chunk;
    });
    socket.on('end', () => resolve(out));
    socket.on('error', reject);
  });
}

let open: Preview[] = [];
afterEach(async () => {
  await Promise.all(open.map((p) => p.close()));
  open = [];
});

function setup(leads = 300) {
  const dir = mkdtempSync(join(tmpdir(), 'kpi-preview-'));
  const rt = new LocalRuntime({ locale: 'en_US' });
  rt.loadSheets(sampleWorkbook({ leads }));
  const own = rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
  const inspection = rt.call<TabInspection>('kpiInspectTab', 'Leads');
  const settings = settingsFor(inspection, {
    from: inspection.defaults.from,
    to: inspection.defaults.to,
  });
  const sheets = () => rt.spreadsheet.order.map((id) => rt.wb.sheetName(id));
  return { dir, rt, own, settings, sheets, saveTo: join(dir, 'preview.xlsx') };
}

async function started(leads = 300) {
  const s = setup(leads);
  const preview = await startPreview(s.rt, { saveTo: s.saveTo });
  open.push(preview);
  const { host } = new URL(preview.url);
  const json = (body: unknown, headers: Record<string, string | undefined> = {}) =>
    ask(preview, {
      method: 'POST',
      path: '/api/run',
      headers: {
        'content-type': 'application/json',
        [TOKEN_HEADER]: preview.token,
        ...headers,
      },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  return { ...s, preview, host, json };
}

const message = (a: Answer) => (JSON.parse(a.text) as { ok: boolean; message: string }).message;

describe('the preview server: who may drive it', () => {
  it('answers only requests whose Host is the preview itself (DNS rebinding)', async () => {
    const { preview, host, json, own, sheets, saveTo, settings } = await started();
    const port = new URL(preview.url).port;
    for (const foreign of [
      'evil.example',
      `evil.example:${port}`,
      `127.0.0.1:${Number(port) + 1}`,
      `127.0.0.1.nip.io:${port}`,
      `[::1]:${port}`,
    ]) {
      for (const path of ['/', '/sidebar', '/api/sheets', '/api/sheet?name=Leads']) {
        const a = await ask(preview, {
          path,
          headers: { host: foreign, [TOKEN_HEADER]: preview.token },
        });
        expect(a.status, `${foreign} ${path}`).toBe(403);
        expect(a.type).toMatch(/^text\/plain/);
        expect(a.text).toMatch(/^forbidden: Host/);
        expect(a.text).not.toContain('Leads');
      }
      const built = await json({ fn: 'kpiBuild', args: [settings] }, { host: foreign });
      expect(built.status).toBe(403);
    }
    // No Host header at all: node refuses it in HTTP/1.1 (400), the preview in HTTP/1.0.
    expect((await ask(preview, { path: '/', setHost: false })).status).toBe(400);
    expect(await raw(preview, 'GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 403 /);
    expect(sheets()).toEqual(own);
    expect(existsSync(saveTo)).toBe(false);
    // Both names of the loopback address are the preview's own.
    for (const name of [host, `localhost:${port}`]) {
      const a = await ask(preview, { path: '/', headers: { host: name } });
      expect(a.status, name).toBe(200);
    }
    expect((await json({ fn: 'kpiLocale' }, { host: `LOCALHOST:${port}` })).status).toBe(200);
  });

  it('serves pages carrying the per-run token, and refuses /api/* without it', async () => {
    const { preview, json, own, sheets } = await started();
    expect(preview.token).toMatch(/^[0-9a-f]{64}$/);
    const page = await ask(preview, { path: '/' });
    expect(page.text).toContain(`<meta name="kpi-token" content="${preview.token}">`);
    const sidebar = await ask(preview, { path: '/sidebar' });
    expect(sidebar.text).toContain(`var TOKEN = ${JSON.stringify(preview.token)};`);
    expect(page.status).toBe(200);

    const wrong = preview.token.replace(/^./, (c) => (c === '0' ? '1' : '0'));
    for (const token of [undefined, '', wrong, 'x', `${preview.token}0`]) {
      for (const path of ['/api/sheets', '/api/sheet?name=Leads']) {
        const a = await ask(preview, { path, headers: { [TOKEN_HEADER]: token } });
        expect(a.status, `${path} ${token}`).toBe(403);
        expect(a.type).toMatch(/^text\/plain/);
        expect(a.text).not.toContain('Leads');
      }
      const run = await json({ fn: 'kpiListTabs' }, { [TOKEN_HEADER]: token });
      expect(run.status).toBe(403);
      expect(run.text).toContain(TOKEN_HEADER);
    }
    expect(sheets()).toEqual(own);
    // With it: the sheet list, a sheet, a call.
    const list = await ask(preview, {
      path: '/api/sheets',
      headers: { [TOKEN_HEADER]: preview.token },
    });
    expect(JSON.parse(list.text).sheets).toEqual(own);
    const leads = await ask(preview, {
      path: '/api/sheet?name=Leads',
      headers: { [TOKEN_HEADER]: preview.token },
    });
    expect(leads.status).toBe(200);
    expect(JSON.parse((await json({ fn: 'kpiLocale' })).text)).toEqual({
      ok: true,
      value: 'en',
    });
  });

  it('takes only JSON bodies (415), and refuses other origins (403)', async () => {
    const { preview, host, json, own, sheets, settings } = await started();
    const body = { fn: 'kpiBuild', args: [settings] };
    for (const type of [
      'text/plain',
      'text/plain;charset=UTF-8',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      undefined,
    ]) {
      const a = await json(body, { 'content-type': type });
      expect(a.status, String(type)).toBe(415);
      expect(message(a)).toContain('application/json');
    }
    for (const origin of [
      'http://evil.example',
      `http://127.0.0.1:${Number(new URL(preview.url).port) + 1}`,
      `https://${host}`,
      'null',
    ]) {
      const a = await json(body, { origin });
      expect(a.status, origin).toBe(403);
      expect(a.text).toMatch(/^forbidden: requests from/);
      const read = await ask(preview, {
        path: '/api/sheet?name=Leads',
        headers: { origin, [TOKEN_HEADER]: preview.token },
      });
      expect(read.status).toBe(403);
    }
    expect(sheets()).toEqual(own);
    // The preview's own origin (either name), and a charset parameter, are fine.
    const port = new URL(preview.url).port;
    for (const origin of [`http://${host}`, `http://localhost:${port}`]) {
      const a = await json(
        { fn: 'kpiLocale' },
        { origin, 'content-type': 'application/json; charset=utf-8' },
      );
      expect(a.status, origin).toBe(200);
    }
  });
});

describe('the preview server: what it calls', () => {
  it('refuses every other name with a 400 naming it: menu handlers, builtins, prototype keys', async () => {
    const { json, own, sheets } = await started();
    for (const fn of [
      'kpiMenuRebuild',
      'kpiMenuSnapshot',
      'kpiMenuTemplate',
      'kpiMenuHelp',
      'kpiOpenSidebar',
      'kpiSnapshot',
      'kpiInsertTemplate',
      'kpiSelfCheck',
      'kpiSelfCheckArrived',
      'onOpen',
      'COHORT_CONVERSION',
      'eval',
      'Function',
      'constructor',
      '__proto__',
      'toString',
      'hasOwnProperty',
      'kpiBuild ',
      'x'.repeat(500),
    ]) {
      const a = await json({ fn, args: [] });
      expect(a.status, fn).toBe(400);
      const text = message(a);
      expect(text).toContain(JSON.stringify(fn.slice(0, 80)).slice(0, -1));
      expect(text).toContain('not a sidebar API function');
    }
    expect(sheets()).toEqual(own);
  });

  it('answers malformed bodies with a clear 400, never an internal TypeError text', async () => {
    const { json } = await started();
    const cases: [string, RegExp][] = [
      ['null', /JSON object/],
      ['[]', /JSON object/],
      ['[{"fn":"kpiLocale"}]', /JSON object/],
      ['"kpiLocale"', /JSON object/],
      ['42', /JSON object/],
      ['', /not valid JSON/],
      ['{fn: kpiLocale}', /not valid JSON/],
      ['{"fn":"kpiLocale"', /not valid JSON/],
      ['{"fn":1}', /fn must be a string/],
      ['{"fn":null}', /fn must be a string/],
      ['{"fn":["kpiLocale"]}', /fn must be a string/],
      ['{}', /fn must be a string/],
      ['{"fn":"kpiLocale","args":{}}', /args must be an array/],
      ['{"fn":"kpiLocale","args":"x"}', /args must be an array/],
      ['{"fn":"kpiLocale","args":null}', /args must be an array/],
    ];
    for (const [body, expected] of cases) {
      const a = await json(body);
      expect(a.status, body).toBe(400);
      expect(a.type).toMatch(/^application\/json/);
      const text = message(a);
      expect(text, body).toMatch(expected);
      expect(text).not.toMatch(/TypeError|Cannot (read|destructure)|undefined|null \(/);
    }
    // An internal error of the bundle itself is not passed through either…
    const internal = await json({ fn: 'kpiInspectDeals', args: ['Leads', 'Leads', null] });
    expect(internal.status).toBe(200);
    expect(JSON.parse(internal.text)).toEqual({
      ok: false,
      message: "kpiInspectDeals failed with an internal error (details on the preview's console)",
    });
    // (settings that are not an object are the add-on's own, clear refusal)
    const nullSettings = await json({ fn: 'kpiBuild', args: [null] });
    expect(JSON.parse(nullSettings.text)).toEqual({ ok: false, message: 'Choose the lead tab.' });
    // …while the add-on's own messages reach the sidebar as they are.
    const own = await json({ fn: 'kpiInspectTab', args: ['nope'] });
    expect(JSON.parse(own.text)).toEqual({ ok: false, message: 'There is no tab named "nope".' });
  });

  it('refuses a body over the limit with 413, declared or streamed, and keeps serving', async () => {
    const { preview, json } = await started();
    const big = `{"fn":"kpiLocale","args":["${'x'.repeat(3 * 1024 * 1024)}"]}`;
    const declared = await json(big);
    expect(declared.status).toBe(413);
    expect(message(declared)).toContain(String(MAX_BODY_BYTES));
    const chunk = Buffer.alloc(64 * 1024, 'x');
    const streamed = await ask(preview, {
      method: 'POST',
      path: '/api/run',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: preview.token },
      body: Array.from({ length: 48 }, () => chunk),
    });
    expect(streamed.status).toBe(413);
    // Just under the limit is read (and is then a well-formed call).
    const under = JSON.stringify({ fn: 'kpiLocale', args: ['x'.repeat(MAX_BODY_BYTES - 100)] });
    expect((await json(under)).status).toBe(200);
    expect((await json({ fn: 'kpiLocale' })).status).toBe(200);
  });

  it('serialises 20 concurrent builds; readers of the .xlsx never see a partial file', async () => {
    const { json, dir, saveTo, settings, sheets, own } = await started(300);
    let done = false;
    let reads = 0;
    const broken: string[] = [];
    const reader = (async () => {
      while (!done) {
        await new Promise((r) => setTimeout(r, 5));
        if (!existsSync(saveTo)) continue;
        reads++;
        await readXlsx(saveTo).catch((e: Error) => broken.push(e.message));
      }
    })();
    // Different settings per build, so the files differ in size and content.
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        json({
          fn: 'kpiBuild',
          args: [
            {
              ...settings,
              period: i % 2 ? 'quarter' : 'month',
              revenueTarget: 1_000_000 + i,
            },
          ],
        }),
      ),
    );
    done = true;
    await reader;
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(JSON.parse(a.text).ok).toBe(true);
    }
    expect(broken).toEqual([]);
    expect(reads).toBeGreaterThan(0);
    const book = await readXlsx(saveTo);
    const names = book.map((s) => s.name);
    expect(names).toEqual(sheets());
    expect(names).toEqual(expect.arrayContaining([...own, 'KPI tree']));
    expect(names.length).toBeGreaterThan(own.length + 3);
    // No temporary file left beside it.
    expect(readdirSync(dir)).toEqual(['preview.xlsx']);
  }, 120_000);

  it('other methods on /api/run get 405; unknown paths 404', async () => {
    const { preview } = await started();
    const get = await ask(preview, {
      path: '/api/run',
      headers: { [TOKEN_HEADER]: preview.token },
    });
    expect(get.status).toBe(405);
    expect((await ask(preview, { path: '/nothing' })).status).toBe(404);
  });
});
