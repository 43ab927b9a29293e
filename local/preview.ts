/**
 * The local preview: the real sidebar page (dist/sidebar.html) served on localhost beside a view of
 * the workbook's sheets, with `google.script.run` bridged to the local runtime. Listens on the
 * loopback interface only.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { colLetters } from '../src/core/sheetModel';
import { parseA1 } from './a1';
import { writeXlsx } from './io';
import type { LocalRuntime } from './runtime';
import { display } from './services';

export interface PreviewOptions {
  port?: number;
  /** Where a successful build saves the workbook (.xlsx); undefined = do not save. */
  saveTo?: string;
}

export interface Preview {
  url: string;
  server: Server;
  close(): Promise<void>;
}

/** google.script.run for the page, over fetch; the page refreshes the sheet view after each call. */
const BRIDGE = `<script>
(function () {
  function runner(ok, fail) {
    var target = {
      withSuccessHandler: function (f) { return runner(f, fail); },
      withFailureHandler: function (f) { return runner(ok, f); }
    };
    return new Proxy(target, {
      get: function (t, name) {
        if (name in t) return t[name];
        return function () {
          var args = Array.prototype.slice.call(arguments);
          fetch('/api/run', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ fn: name, args: args }) })
            .then(function (r) { return r.json(); })
            .then(function (res) {
              try { window.parent.postMessage('kpi-refresh', '*'); } catch (e) {}
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

const PAGE = `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>KPI tree — local preview</title>
<style>
body { margin: 0; font: 13px system-ui, "Noto Sans JP", sans-serif; display: flex; height: 100vh; }
#sheet { flex: 1; overflow: auto; border-right: 1px solid #dadce0; }
#tabs { position: sticky; top: 0; background: #f1f3f4; padding: 4px; display: flex; flex-wrap: wrap; gap: 4px; border-bottom: 1px solid #dadce0; }
#tabs button { border: 1px solid #dadce0; background: #fff; border-radius: 4px; padding: 2px 8px; font: inherit; cursor: pointer; }
#tabs button.active { background: #1a73e8; color: #fff; }
table { border-collapse: collapse; font-size: 12px; }
td, th { border: 1px solid #e0e0e0; padding: 1px 4px; white-space: nowrap; max-width: 260px; overflow: hidden; text-overflow: ellipsis; }
th { background: #f8f9fa; color: #5f6368; font-weight: normal; }
iframe { width: 300px; border: 0; height: 100vh; }
</style></head>
<body><div id="sheet"><div id="tabs"></div><div id="grid"></div></div>
<iframe id="sidebar" src="/sidebar" title="KPI sidebar"></iframe>
<script>
var current = null;
function el(tag, text) { var e = document.createElement(tag); if (text !== undefined) e.textContent = text; return e; }
function load() {
  fetch('/api/sheets').then(function (r) { return r.json(); }).then(function (s) {
    var tabs = document.getElementById('tabs'); tabs.replaceChildren();
    if (!current || s.sheets.indexOf(current) < 0 || s.active !== s.lastActive) current = s.active;
    s.sheets.forEach(function (name) {
      var b = el('button', name); if (name === current) b.className = 'active';
      b.onclick = function () { current = name; load(); }; tabs.appendChild(b);
    });
    return fetch('/api/sheet?name=' + encodeURIComponent(current)).then(function (r) { return r.json(); });
  }).then(function (sheet) {
    var t = el('table'); var head = el('tr'); head.appendChild(el('th', ''));
    for (var c = 0; c < sheet.cols; c++) head.appendChild(el('th', sheet.letters[c]));
    t.appendChild(head);
    sheet.values.forEach(function (row, r) {
      var tr = el('tr'); tr.appendChild(el('th', String(r + 1)));
      row.forEach(function (v, c) {
        var td = el('td', v);
        if (sheet.backgrounds[r][c]) td.style.background = sheet.backgrounds[r][c];
        if (sheet.bold[r][c]) td.style.fontWeight = 'bold';
        tr.appendChild(td);
      });
      t.appendChild(tr);
    });
    document.getElementById('grid').replaceChildren(t);
  });
}
window.addEventListener('message', function (e) { if (e.data === 'kpi-refresh') load(); });
load();
</script></body></html>`;

interface Recorded {
  calls?: { method: string; args: unknown[] }[];
}

/** The simple numeric conditional-format rules, to colour the preview as Sheets would. */
function numericRules(rules: unknown[]) {
  const out: {
    cells: { r0: number; c0: number; r1: number; c1: number }[];
    test: (x: number) => boolean;
    bg: string;
  }[] = [];
  for (const rule of rules as Recorded[]) {
    const calls = rule.calls ?? [];
    const arg = (m: string) => calls.find((c) => c.method === m)?.args;
    const bg = arg('setBackground')?.[0];
    const ranges = (arg('setRanges')?.[0] ?? []) as { getA1Notation(): string }[];
    let test: ((x: number) => boolean) | undefined;
    const ge = arg('whenNumberGreaterThanOrEqualTo');
    const lt = arg('whenNumberLessThan');
    const between = arg('whenNumberBetween');
    if (ge) test = (x) => x >= Number(ge[0]);
    else if (lt) test = (x) => x < Number(lt[0]);
    else if (between) test = (x) => x >= Number(between[0]) && x <= Number(between[1]);
    if (!test || typeof bg !== 'string') continue;
    const cells = ranges.map((r) => {
      const a = parseA1(r.getA1Notation());
      return { r0: a.row, c0: a.col, r1: a.endRow ?? a.row, c1: a.endCol ?? a.col };
    });
    out.push({ cells, test, bg });
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 5_000_000) reject(new Error('request too large'));
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export async function startPreview(rt: LocalRuntime, opts: PreviewOptions = {}): Promise<Preview> {
  const sidebarHtml = () => {
    const page = readFileSync(join(rt.env.htmlDir, 'sidebar.html'), 'utf8');
    return page.replace('<body>', `<body>${BRIDGE}`);
  };
  let lastActive: string | undefined;
  const send = (res: ServerResponse, status: number, type: string, body: string) => {
    res.writeHead(status, {
      'content-type': `${type}; charset=utf-8`,
      'cache-control': 'no-store',
    });
    res.end(body);
  };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (req.method === 'GET' && url.pathname === '/') return send(res, 200, 'text/html', PAGE);
    if (req.method === 'GET' && url.pathname === '/sidebar')
      return send(res, 200, 'text/html', sidebarHtml());
    if (req.method === 'GET' && url.pathname === '/api/sheets') {
      const ss = rt.spreadsheet;
      const sheets = ss.order.map((id) => rt.wb.sheetName(id));
      const active = rt.wb.sheetName(ss.activeId ?? ss.order[0]);
      const changed = active !== lastActive;
      lastActive = active;
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({ sheets, active, lastActive: changed ? undefined : active }),
      );
    }
    if (req.method === 'GET' && url.pathname === '/api/sheet') {
      const id = rt.wb.sheetId(url.searchParams.get('name') ?? '');
      if (id === undefined) return send(res, 404, 'application/json', '{"error":"no such sheet"}');
      const { rows, cols } = rt.wb.extent(id);
      const r = Math.min(Math.max(rows, 1), 300);
      const c = Math.min(Math.max(cols, 1), 40);
      const values = rt.wb.getValues(id, 1, 1, r, c);
      const meta = rt.wb.sheetMeta(id);
      const fmt = (row: number, col: number) => meta.formats.get(`${row},${col}`);
      const rules = numericRules(meta.conditionalFormats);
      const conditional = (row: number, col: number, v: unknown): string | undefined => {
        if (typeof v !== 'number') return undefined;
        for (const rule of rules) {
          const inside = rule.cells.some(
            (b) => row >= b.r0 && row <= b.r1 && col >= b.c0 && col <= b.c1,
          );
          if (inside && rule.test(v)) return rule.bg;
        }
        return undefined;
      };
      return send(
        res,
        200,
        'application/json',
        JSON.stringify({
          cols: c,
          letters: Array.from({ length: c }, (_, i) => colLetters(i + 1)),
          values: values.map((line, i) =>
            line.map((v, j) => display(v, fmt(i + 1, j + 1)?.numberFormat, rt.env.timeZone)),
          ),
          backgrounds: values.map((line, i) =>
            line.map(
              (v, j) => conditional(i + 1, j + 1, v) ?? fmt(i + 1, j + 1)?.background ?? null,
            ),
          ),
          bold: values.map((line, i) =>
            line.map((_, j) => fmt(i + 1, j + 1)?.fontWeight === 'bold'),
          ),
        }),
      );
    }
    if (req.method === 'POST' && url.pathname === '/api/run') {
      const { fn, args } = JSON.parse(await readBody(req)) as { fn: string; args: unknown[] };
      // Only the sidebar's server API, never an arbitrary global of the bundle.
      if (!/^kpi[A-Z]\w*$/.test(fn))
        return send(
          res,
          400,
          'application/json',
          JSON.stringify({ ok: false, message: `not an API function: ${fn}` }),
        );
      try {
        const value = rt.call(fn, ...(Array.isArray(args) ? args : []));
        if (fn === 'kpiBuild' && opts.saveTo) await writeXlsx(rt, opts.saveTo);
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({ ok: true, value: value === undefined ? null : value }),
        );
      } catch (e) {
        return send(
          res,
          200,
          'application/json',
          JSON.stringify({ ok: false, message: String((e as Error)?.message ?? e) }),
        );
      }
    }
    return send(res, 404, 'text/plain', 'not found');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch((e) => send(res, 500, 'text/plain', String((e as Error)?.message ?? e)));
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
