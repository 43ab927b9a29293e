/**
 * The local preview: the real sidebar page (dist/sidebar.html) served on localhost beside a view of
 * the workbook's sheets, with `google.script.run` bridged to the local runtime.
 *
 * Only its user can drive it: it listens on the loopback interface; every request must name the
 * preview itself in its Host header (a DNS-rebinding page names its own host) and must not come
 * from another origin; every /api/* request carries the per-run token that only the served pages
 * hold (another origin cannot read them); /api/run takes a JSON body of at most 2 MB and calls only
 * the sidebar's own API functions, one call at a time; a build's .xlsx is written to a temporary
 * file and renamed over the target, so a reader never sees half a file.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile, rename, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { basename, dirname, join } from 'node:path';
import { SIDEBAR_API } from '../src/addon/sidebarApi';
import { writeXlsx } from './io';
import { GRID_CSS, GRID_SCRIPT, renderSheet } from './render';
import type { LocalRuntime } from './runtime';
import { BRIDGE_ENCODE } from './scriptRun';

/**
 * The functions the sidebar calls through google.script.run (SIDEBAR_API, src/addon/sidebarApi.ts)
 * — the only ones the preview's bridge will call. Menu handlers, custom functions, the self-check
 * dialog's functions and any other global of the bundle are not reachable.
 */
export const PREVIEW_API: readonly string[] = Object.keys(SIDEBAR_API);

/** The header carrying the per-run token on every /api/* request. */
export const TOKEN_HEADER = 'x-kpi-token';

/** The largest /api/run body accepted (bytes); larger ones get 413. */
export const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface PreviewOptions {
  port?: number;
  /** Where a successful build saves the workbook (.xlsx); undefined = do not save. */
  saveTo?: string;
}

export interface Preview {
  url: string;
  server: Server;
  /** The per-run secret the served pages carry; /api/* requests without it are refused. */
  token: string;
  close(): Promise<void>;
}

/**
 * google.script.run for the page, over fetch; the page refreshes the sheet view after each call.
 * TOKEN is replaced by the run's token (a JSON string literal). The arguments go through Apps
 * Script's rules in the page (local/scriptRun.ts: a Date or a function throws Apps Script's
 * TypeError at the call, before any request; undefined → null; copies), and the server answers
 * what the success handler would receive (LocalRuntime.callFromSidebar).
 */
const BRIDGE = `<script>
(function () {
  var TOKEN = __TOKEN__;
  ${BRIDGE_ENCODE.replace(/\n/g, '\n  ')}
  function answer(r) {
    var type = r.headers.get('content-type') || '';
    if (type.indexOf('application/json') === 0) return r.json();
    return r.text().then(function (t) { return { ok: false, message: 'preview server ' + r.status + ': ' + t }; });
  }
  function runner(ok, fail) {
    var target = {
      withSuccessHandler: function (f) { return runner(f, fail); },
      withFailureHandler: function (f) { return runner(ok, f); }
    };
    return new Proxy(target, {
      get: function (t, name) {
        if (name in t) return t[name];
        return function () {
          var args = encodeArgs(arguments);
          fetch('/api/run', { method: 'POST', headers: { 'content-type': 'application/json', '${TOKEN_HEADER}': TOKEN }, body: JSON.stringify({ fn: name, args: args }) })
            .then(answer)
            .then(function (res) {
              try { window.parent.postMessage('kpi-refresh', location.origin); } catch (e) {}
              if (res.ok) { if (ok) ok(res.value); } else if (fail) { var err = new Error(res.message); fail(err); }
            })
            .catch(function (e) { if (fail) fail(e); });
        };
      }
    });
  }
  window.google = { script: { run: runner(null, null), host: { close: function () {} } } };
})();
</script>`;

/**
 * The local pages' Japanese font, from the npm package @fontsource-variable/noto-sans-jp (OFL), so
 * that screenshots show Japanese on any machine: GET /fonts/noto-sans-jp/index.css and the .woff2
 * files it names, read from node_modules, never the network. CSS loads them, so they need no token
 * (the Host and Origin checks apply). dist/sidebar.html does not refer to them: the preview adds
 * FONT_LINK when it serves the sidebar, and the pages list the family after the system fonts.
 */
const FONT_LINK = '<link rel="stylesheet" href="/fonts/noto-sans-jp/index.css">';
const FONT_FILE =
  /^\/fonts\/noto-sans-jp\/(index\.css|files\/noto-sans-jp-\d+-wght-normal\.woff2)$/;
function fontDir(): string | undefined {
  try {
    return dirname(createRequire(import.meta.url).resolve('@fontsource-variable/noto-sans-jp'));
  } catch {
    return undefined;
  }
}

const PAGE = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><meta name="kpi-token" content="__TOKEN__"><title>KPI tree — local preview</title>
${FONT_LINK}
<style>
body { margin: 0; font: 13px system-ui, "Noto Sans JP", "Noto Sans JP Variable", sans-serif; display: flex; height: 100vh; }
#sheet { flex: 1; min-width: 0; display: flex; flex-direction: column; border-right: 1px solid #dadce0; }
#tabs { background: #f1f3f4; padding: 4px; display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid #dadce0; }
#tabs button { border: 1px solid #dadce0; background: #fff; border-radius: 4px; padding: 2px 8px; font: inherit; cursor: pointer; }
#tabs button.active { background: #1a73e8; color: #fff; }
${GRID_CSS}iframe { width: 300px; border: 0; height: 100vh; }
</style></head>
<body><div id="sheet"><div id="tabs"></div><div id="grid"></div></div>
<iframe id="sidebar" src="/sidebar" title="KPI sidebar"></iframe>
${GRID_SCRIPT}
<script>
var current = null;
var TOKEN = document.querySelector('meta[name="kpi-token"]').content;
function api(path) {
  return fetch(path, { headers: { '${TOKEN_HEADER}': TOKEN } }).then(function (r) {
    if (!r.ok) throw new Error('preview server ' + r.status);
    return r.json();
  });
}
function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
function load() {
  api('/api/sheets').then(function (s) {
    var tabs = document.getElementById('tabs'); tabs.replaceChildren();
    if (!current || s.sheets.indexOf(current) < 0 || s.active !== s.lastActive) current = s.active;
    s.sheets.forEach(function (name) {
      var b = el('button', name); if (name === current) b.className = 'active';
      b.onclick = function () { current = name; load(); }; tabs.appendChild(b);
    });
    return api('/api/sheet?name=' + encodeURIComponent(current));
  }).then(function (sheet) {
    drawSheet(document.getElementById('grid'), sheet);
  });
}
window.addEventListener('message', function (e) { if (e.origin === location.origin && e.data === 'kpi-refresh') load(); });
load();
</script></body></html>`;

/** The body as text, or `undefined` once it is over `limit` bytes (the rest is not kept). */
function readBody(req: IncomingMessage, limit: number): Promise<string | undefined> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      // Stop keeping it; the stream flows on and what is left is discarded.
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', reject);
  });
}

/** Built-in error kinds: a bug or an unexpected input inside the code, not a message for the user. */
const INTERNAL_ERRORS = new Set([
  'TypeError',
  'ReferenceError',
  'RangeError',
  'SyntaxError',
  'EvalError',
  'URIError',
]);

/**
 * What the page is told about a failed call: the add-on's own messages as they are (the sidebar
 * shows them, as in Sheets); an internal error only as such — its text goes to the console.
 */
function publicMessage(e: unknown, fn: string): string {
  const name = (e as { name?: unknown })?.name;
  if (typeof name === 'string' && INTERNAL_ERRORS.has(name)) {
    console.error(`preview: ${fn} failed:`, e);
    return `${fn} failed with an internal error (details on the preview's console)`;
  }
  return String((e as Error)?.message ?? e);
}

/** Same secret? (Constant time over equal lengths.) */
function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** A name for messages: quoted, control characters escaped, at most 80 characters. */
const quoted = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);

/** Writes the workbook beside `target` and renames it over it: readers see the old or the new file. */
async function saveAtomically(rt: LocalRuntime, target: string): Promise<void> {
  const temp = join(
    dirname(target),
    `.${basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`,
  );
  try {
    await writeXlsx(rt, temp);
    await rename(temp, target);
  } catch (e) {
    await rm(temp, { force: true });
    throw e;
  }
}

type RunAnswer = { ok: true; value: unknown } | { ok: false; message: string };

export async function startPreview(rt: LocalRuntime, opts: PreviewOptions = {}): Promise<Preview> {
  const token = randomBytes(32).toString('hex');
  const page = PAGE.replace('__TOKEN__', token);
  const bridge = BRIDGE.replace('__TOKEN__', JSON.stringify(token));
  const sidebarHtml = () => {
    const html = readFileSync(join(rt.env.htmlDir, 'sidebar.html'), 'utf8');
    return html.replace('</head>', `${FONT_LINK}</head>`).replace('<body>', `<body>${bridge}`);
  };
  // Set once the server listens: the Host names and origins this preview answers to.
  let hosts = new Set<string>();
  let origins = new Set<string>();
  let lastActive: string | undefined;

  // One /api/run call at a time, its .xlsx save included.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(task: () => Promise<T>): Promise<T> => {
    const next = queue.then(task);
    queue = next.catch(() => undefined);
    return next;
  };

  const send = (
    res: ServerResponse,
    status: number,
    type: string,
    body: string,
    headers: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      // The pages may be framed only by the preview itself (the sidebar iframe).
      'content-security-policy': "frame-ancestors 'self'",
      'x-frame-options': 'SAMEORIGIN',
      ...headers,
    });
    res.end(body);
  };
  const json = (res: ServerResponse, status: number, value: unknown) =>
    send(res, status, 'application/json', JSON.stringify(value));
  const refuse = (res: ServerResponse, status: number, message: string) =>
    json(res, status, { ok: false, message });

  const run = async (req: IncomingMessage, res: ServerResponse) => {
    const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
    if (type !== 'application/json')
      return refuse(
        res,
        415,
        'unsupported media type: /api/run takes content-type application/json',
      );
    const text = await readBody(req, MAX_BODY_BYTES);
    if (text === undefined)
      return refuse(res, 413, `request body too large: the limit is ${MAX_BODY_BYTES} bytes`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      return refuse(res, 400, 'the body is not valid JSON');
    }
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      return refuse(res, 400, 'the body must be a JSON object: {"fn": "kpi…", "args": […]}');
    const { fn, args = [] } = body as { fn?: unknown; args?: unknown };
    if (typeof fn !== 'string')
      return refuse(res, 400, 'fn must be a string naming a sidebar API function');
    // Only the sidebar's server API, never a menu handler or another global of the bundle.
    if (!PREVIEW_API.includes(fn))
      return refuse(
        res,
        400,
        `${quoted(fn)} is not a sidebar API function; the preview calls only ${PREVIEW_API.join(', ')}`,
      );
    if (!Array.isArray(args)) return refuse(res, 400, 'args must be an array');
    const answer = await serial(async (): Promise<RunAnswer> => {
      let value: unknown;
      try {
        // As google.script.run delivers it: the arguments copied by Apps Script's rules, the
        // value as the success handler receives it.
        value = rt.callFromSidebar(fn, ...args);
      } catch (e) {
        return { ok: false, message: publicMessage(e, fn) };
      }
      if (fn === 'kpiBuild' && opts.saveTo) {
        try {
          await saveAtomically(rt, opts.saveTo);
        } catch (e) {
          console.error(`preview: saving ${opts.saveTo} failed:`, e);
          return { ok: false, message: `built, but saving ${opts.saveTo} failed` };
        }
      }
      return { ok: true, value };
    });
    return json(res, 200, answer);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    // DNS rebinding: the attacker's name resolves here, but the browser still sends it as Host.
    const host = (req.headers.host ?? '').toLowerCase();
    if (!hosts.has(host))
      return send(
        res,
        403,
        'text/plain',
        `forbidden: Host ${quoted(host)} is not this preview; open http://${[...hosts][0]}/ instead`,
      );
    const origin = req.headers.origin;
    if (origin !== undefined && !origins.has(origin))
      return send(res, 403, 'text/plain', `forbidden: requests from ${quoted(origin)} are refused`);
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname.startsWith('/api/')) {
      const given = req.headers[TOKEN_HEADER];
      if (typeof given !== 'string' || !sameSecret(given, token))
        return send(
          res,
          403,
          'text/plain',
          `forbidden: /api/ requests need the ${TOKEN_HEADER} header of the page this preview served`,
        );
    }
    if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html', page);
    if (req.method === 'GET' && url.pathname === '/sidebar')
      return send(res, 200, 'text/html', sidebarHtml());
    if (req.method === 'GET' && url.pathname === '/api/sheets') {
      const ss = rt.spreadsheet;
      // Hidden sheets (a build's staging sheets, hidden by the add-on) have no tab in Sheets.
      const sheets = ss.order.filter((id) => !ss.hidden.has(id)).map((id) => rt.wb.sheetName(id));
      const active = rt.wb.sheetName(ss.activeId ?? ss.order[0]);
      const changed = active !== lastActive;
      lastActive = active;
      return json(res, 200, { sheets, active, lastActive: changed ? undefined : active });
    }
    if (req.method === 'GET' && url.pathname === '/api/sheet') {
      const id = rt.wb.sheetId(url.searchParams.get('name') ?? '');
      if (id === undefined) return send(res, 404, 'application/json', '{"error":"no such sheet"}');
      // The cells as Sheets shows them: formats, conditional colours, charts (local/render.ts).
      return json(res, 200, renderSheet(rt, id));
    }
    const font = req.method === 'GET' ? FONT_FILE.exec(url.pathname) : null;
    if (font) {
      const dir = fontDir();
      if (!dir) return send(res, 404, 'text/plain', 'not found: npm ci installs the preview font');
      const body = await readFile(join(dir, font[1])).catch(() => undefined);
      if (!body) return send(res, 404, 'text/plain', 'not found');
      res.writeHead(200, {
        'content-type': font[1].endsWith('.css') ? 'text/css; charset=utf-8' : 'font/woff2',
        'cache-control': 'max-age=3600',
        'x-content-type-options': 'nosniff',
      });
      return res.end(body);
    }
    if (url.pathname === '/api/run') {
      if (req.method !== 'POST')
        return send(res, 405, 'text/plain', 'method not allowed: /api/run takes POST', {
          allow: 'POST',
        });
      return run(req, res);
    }
    return send(res, 404, 'text/plain', 'not found');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      console.error('preview: request failed:', e);
      if (!res.headersSent)
        send(res, 500, 'text/plain', "internal error (details on the preview's console)");
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  origins = new Set([...hosts].map((h) => `http://${h}`));
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    token,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
