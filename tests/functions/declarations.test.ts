/**
 * The built bundle, loaded the way Apps Script loads it: dist/*.js in one node:vm global scope,
 * argument values (Dates included) created inside that scope, the spreadsheet in Asia/Tokyo while
 * this process runs in UTC.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { beforeAll, describe, expect, it } from 'vitest';
import { labels } from '../../src/addon/menu';
import { CUSTOM_FUNCTIONS } from '../../src/functions';
import { col, DIST, type Gas, loadBundle, serverBundles, tokyo } from '../helpers/gas';

// The contract (names and argument order users' formulas depend on) is the declaration list,
// src/functions/index.ts: the entry file's JSDoc, the README and the menu's help are checked
// against it below.

describe('dist/ layout', () => {
  it('holds appsscript.json and exactly one server bundle', () => {
    expect(serverBundles()).toEqual(['Code.js']);
    const manifest = JSON.parse(readFileSync(join(DIST, 'appsscript.json'), 'utf8'));
    expect(manifest).toEqual(
      JSON.parse(readFileSync(join(import.meta.dirname, '../../appsscript.json'), 'utf8')),
    );
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest.timeZone).toBe('Asia/Tokyo');
    expect(manifest.exceptionLogging).toBe('STACKDRIVER');
    expect([...manifest.oauthScopes].sort()).toEqual([
      'https://www.googleapis.com/auth/script.container.ui',
      'https://www.googleapis.com/auth/spreadsheets.currentonly',
    ]);
  });

  it('keeps the server bundle small and free of UI code (every custom-function cell loads it)', () => {
    // 200 KB with the ten custom functions and the builder: loading it into a fresh context (what
    // each custom-function execution pays) takes ~1 ms (V8 compiles function bodies lazily);
    // the cap keeps it from doubling unnoticed. 256 → 272 KB for the self-check's probes
    // (~16 KB: Apps Script loads every server file for every execution, so they cannot be
    // left out of custom-function runs; their words live in the dialog, dist/check.html).
    // 272 → 288 KB for the custom functions' declarations (~11 KB: each parameter's type and
    // line beside the implementation, src/functions; the sheets' formulas and the menu read them).
    // 288 → 320 KB for reading unseen exports (#23, ~25 KB: column roles from values, stage words
    // in six languages, currencies from the data). 320 → 368 KB for the forecast (#24, ~40 KB:
    // KPI_COHORT_FORECAST and KPI_PIPELINE_FORECAST with their readers and errors, the forecast
    // sheet and its split of the expected gap, the LTV block and nodes, in two languages).
    // 368 → 408 KB for the BigQuery path (#25, ~35 KB in both editions — they differ in one
    // literal: the KPI queries' model and BigQuery printer (funnel, cohort and the SQL of the
    // other KPIs it imports), the company and status keys as SQL, the Connected Sheets adapter,
    // the probe and the data sheet).
    expect(statSync(join(DIST, 'Code.js')).size).toBeLessThanOrEqual(408 * 1024);
    const server = readFileSync(join(DIST, 'Code.js'), 'utf8');
    expect(server).not.toMatch(/document\.|createElement|google\.script\.run/);
  });

  it('documents every custom function in the README with its arguments, in order', () => {
    const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
    for (const f of CUSTOM_FUNCTIONS) {
      if ('internal' in f && f.internal) {
        // The self-check's probe is named (it shows in Sheets' function list), not documented.
        expect(readme, f.name).toContain(`\`${f.name}\``);
        continue;
      }
      const heading = readme.split('\n').find((l) => l.startsWith(`### ${f.name}(`)) ?? '';
      expect(heading, `README section for ${f.name}`).not.toBe('');
      const args = heading
        .slice(heading.indexOf('(') + 1, heading.lastIndexOf(')'))
        .split(',')
        .map((a) => a.trim());
      // An optional parameter is [bracketed].
      expect(args, f.name).toEqual(
        f.parameters.map((p) => ('optional' in p && p.optional ? `[${p.name}]` : p.name)),
      );
    }
  });

  it('names every report function in the menu’s help (JA and EN), from the declarations', () => {
    for (const lang of ['en', 'ja'] as const) {
      const help = labels(lang).helpText;
      for (const f of CUSTOM_FUNCTIONS) {
        if ('internal' in f && f.internal) expect(help, lang).not.toContain(f.name);
        else expect(help, `${lang} ${f.name}`).toContain(f.name);
      }
    }
  });

  it('declares each implementation with one argument per declared parameter', () => {
    // A cell that takes `...args` typed from its declaration (KPI_FUNNEL) has length 0.
    for (const f of CUSTOM_FUNCTIONS) {
      if (f.cell.length > 0) expect(f.cell.length, f.name).toBe(f.parameters.length);
    }
    expect(new Set(CUSTOM_FUNCTIONS.map((f) => f.name)).size).toBe(CUSTOM_FUNCTIONS.length);
  });

  it('makes no network requests: no UrlFetchApp, no external URL, no eval (README: data never leaves)', () => {
    const server = readFileSync(join(DIST, 'Code.js'), 'utf8');
    const sidebar = readFileSync(join(DIST, 'sidebar.html'), 'utf8');
    for (const text of [server, sidebar]) {
      expect(text).not.toMatch(
        /UrlFetchApp|https?:\/\/|\beval\(|new Function\(|XMLHttpRequest|\bfetch\(/,
      );
    }
  });

  it('builds the sidebar into one self-contained HTML file with no server code', () => {
    const page = readFileSync(join(DIST, 'sidebar.html'), 'utf8');
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).not.toMatch(/<script[^>]+src=|<link[^>]+stylesheet/i); // nothing loaded from elsewhere
    expect(page).not.toMatch(/SpreadsheetApp|PropertiesService|innerHTML/);
    expect(page).toContain('google.script.run');
  });

  it('declares every custom function at top level with its JSDoc, as Sheets needs for autocomplete', () => {
    /** The top-level functions of a file, by name. */
    const topLevel = (path: string, kind: ts.ScriptKind) => {
      const file = ts.createSourceFile(
        path,
        readFileSync(path, 'utf8'),
        ts.ScriptTarget.Latest,
        true,
        kind,
      );
      const declared = new Map<string, ts.FunctionDeclaration>();
      for (const st of file.statements) {
        if (ts.isFunctionDeclaration(st) && st.name) declared.set(st.name.text, st);
      }
      return declared;
    };
    const text = (c: ts.JSDocTag['comment']) => ts.getTextOfJSDocComment(c)?.trim() ?? '';
    const built = topLevel(join(DIST, 'Code.js'), ts.ScriptKind.JS);
    const entry = topLevel(join(import.meta.dirname, '../../src/index.ts'), ts.ScriptKind.TS);
    const jsdocOf = (fn: ts.FunctionDeclaration) => {
      const docs = ts.getJSDocCommentsAndTags(fn).filter(ts.isJSDoc);
      return docs[docs.length - 1];
    };
    // No @customfunction in the bundle that the declarations do not know.
    const customInBundle = [...built]
      .filter(([, fn]) => jsdocOf(fn)?.tags?.some((t) => t.tagName.text === 'customfunction'))
      .map(([name]) => name)
      .sort();
    expect(customInBundle).toEqual(CUSTOM_FUNCTIONS.map((f) => f.name).sort());
    for (const f of CUSTOM_FUNCTIONS) {
      const name = f.name;
      const params = f.parameters.map((p) => p.name);
      const fn = built.get(name);
      expect(fn, `top-level function ${name}`).toBeDefined();
      if (!fn) continue;
      expect(fn.parameters.map((p) => p.name.getText())).toEqual(params);
      const doc = jsdocOf(fn);
      expect(doc, `${name} JSDoc`).toBeDefined();
      const tags: readonly ts.JSDocTag[] = doc.tags ?? [];
      expect(
        tags.some((t) => t.tagName.text === 'customfunction'),
        `${name} @customfunction`,
      ).toBe(true);
      const returns = tags.find((t) => t.tagName.text === 'return' || t.tagName.text === 'returns');
      expect(returns && text(returns.comment), `${name} @return`).toBe(f.returns);
      // Each @param line is the declaration's: {type} name description, in order.
      const paramLines = tags
        .filter((t): t is ts.JSDocParameterTag => ts.isJSDocParameterTag(t))
        .map((t) => `{${t.typeExpression?.type.getText()}} ${t.name.getText()} ${text(t.comment)}`);
      expect(paramLines, `${name} @param lines`).toEqual(
        f.parameters.map((p) => `{${p.type}} ${p.name} ${p.description}`),
      );
      expect(
        typeof doc.comment === 'string' && doc.comment.length > 20,
        `${name} description`,
      ).toBe(true);
      // The optional ones are `?` in the entry file (the bundle drops the mark).
      const source = entry.get(name);
      expect(
        source?.parameters.map((p) => `${p.name.getText()}${p.questionToken ? '?' : ''}`),
        `${name} in src/index.ts`,
      ).toEqual(f.parameters.map((p) => `${p.name}${'optional' in p && p.optional ? '?' : ''}`));
    }
  });
});

describe('custom functions in the bundle (Tokyo sheet, UTC process)', () => {
  let gas: Gas;
  beforeAll(() => {
    gas = loadBundle({ timeZone: 'Asia/Tokyo', locale: 'en_US' });
  });

  it('replaces the empty stubs with the real functions', () => {
    expect(gas.run('typeof COHORT_CONVERSION')).toBe('function');
    expect(gas.call('CAPACITY', col("'Won'"), col("''"), col("''"), col("''"), '5')).toEqual([
      ['stage', 'required', 'capacity', 'utilisation', 'heads needed'],
      ['Won', 5, '', '', ''],
    ]);
  });

  it('puts a Date cell for 1 April 00:00 Tokyo (31 March 15:00 UTC) in April', () => {
    const leads = col(
      tokyo(2025, 3, 31, 23, 59),
      tokyo(2025, 4, 1, 0, 0),
      tokyo(2025, 4, 30, 23, 59),
      tokyo(2025, 5, 1, 0, 0),
    );
    const convs = col("''", tokyo(2025, 4, 1, 0, 0), "''", "''");
    const out = gas.call<unknown[][]>('COHORT_CONVERSION', leads, convs, "'slice'");
    expect(JSON.parse(JSON.stringify(out))).toEqual([
      ['period', 'leads', 'converted', 'rate'],
      ['2025-03', 1, 0, 0],
      ['2025-04', 2, 1, 0.5],
      ['2025-05', 1, 0, 0],
    ]);
  });

  it('handles an open-ended range with thousands of trailing blank rows', () => {
    const n = 5000;
    const out = gas.run<unknown[][]>(`(() => {
      const leads = [], convs = [];
      for (let i = 0; i < ${n}; i++) { leads.push(['']); convs.push(['']); }
      leads[0] = [${tokyo(2025, 1, 15)}]; convs[0] = [${tokyo(2025, 2, 3)}];
      leads[1] = [${tokyo(2025, 2, 1)}];
      return COHORT_CONVERSION(leads, convs);
    })()`);
    expect(JSON.parse(JSON.stringify(out))).toEqual([
      ['period', 'leads', 'converted', 'rate', '+0', '+1'],
      ['2025-01', 1, 1, 1, 0, 1],
      ['2025-02', 1, 0, 0, 0, ''],
    ]);
  });

  it('accepts a single cell where a range is expected', () => {
    const out = gas.call<unknown[][]>('COHORT_CONVERSION', tokyo(2025, 4, 10), "''");
    expect(out.length).toBe(2);
    expect(out[1].slice(0, 4)).toEqual(['2025-04', 1, 0, 0]);
    const area = gas.call<unknown[][]>('ACTIVITY_AREA', "'taro@alpha.co.jp'");
    expect(area[1]).toEqual(['Total', 1, 1, 1, 1, 'OK']);
  });

  it('counts distinct companies across owners', () => {
    const out = gas.call<unknown[][]>(
      'ACTIVITY_AREA',
      col("'株式会社アルファ'", "'ｱﾙﾌｧ株式会社'", "'Acme Inc.'", "'ACME, Inc'"),
      col('2', '3', '1', '1'),
      col("'Sato'", "'Sato'", "'Suzuki'", "'Sato'"),
      '0.5',
    );
    expect(JSON.parse(JSON.stringify(out))).toEqual([
      ['owner', 'activities', 'companies', 'area', 'coverage', 'health'],
      ['Sato', 6, 2, 12, 2 / 6, 'LOW'],
      ['Suzuki', 1, 1, 1, 1, 'OK'],
      ['Total', 7, 2, 14, 2 / 7, 'LOW'],
    ]);
  });

  it('runs CAPACITY from a revenue target', () => {
    const out = gas.call<unknown[][]>(
      'CAPACITY',
      col("'リード'", "'MQL'", "'商談'", "'受注'"),
      col('0.1', '0.3', '0.25', "''"),
      col("''", '2', '3', "''"),
      col("''", '100', '20', "''"),
      '12000000',
      '1500000',
    );
    // 12M ÷ 1.5M = 8 won → 32 deals → 107 MQL (106.67 up) → 1070 leads.
    expect(JSON.parse(JSON.stringify(out))).toEqual([
      ['stage', 'required', 'capacity', 'utilisation', 'heads needed'],
      ['リード', 1070, '', '', ''],
      ['MQL', 107, 200, 107 / 200, 2],
      ['商談', 32, 60, 32 / 60, 2],
      ['受注', 8, '', '', ''],
    ]);
  });

  it('throws an Error naming the argument, row and value', () => {
    expect(() =>
      gas.call(
        'COHORT_CONVERSION',
        col(tokyo(2025, 1, 1), tokyo(2025, 1, 2)),
        col("''", "'2025/13/01'"),
      ),
    ).toThrow('converted_dates row 2: "2025/13/01" is not a date');
    expect(() =>
      gas.call('COHORT_CONVERSION', col(tokyo(2025, 1, 1)), col("''"), "'daily'"),
    ).toThrow(/view: "daily" is not valid; use one of chase/);
    expect(() =>
      gas.call('COHORT_CONVERSION', col(tokyo(2025, 1, 1)), col("''"), "'chase'", "'daily'"),
    ).toThrow(/period: "daily" is not valid; use one of month/);
    expect(() =>
      gas.call(
        'COHORT_CONVERSION',
        col(tokyo(2025, 1, 1), tokyo(2025, 1, 2)),
        col("''", "''", tokyo(2025, 1, 3)),
      ),
    ).toThrow(
      'lead_dates has 2 rows but converted_dates has 3: the ranges must be the same height',
    );
    expect(() =>
      gas.call(
        'CAPACITY',
        col("'A'", "'B'"),
        col('1.2', "''"),
        col("''", "''"),
        col("''", "''"),
        '1',
      ),
    ).toThrow(/rates row 1: "1.2" is not a conversion rate/);
    expect(() =>
      gas.call(
        'CAPACITY',
        col("'A'", "'B'"),
        col('0.5', "''"),
        col('-2', "''"),
        col('5', "''"),
        '1',
      ),
    ).toThrow('heads row 1: "-2" must not be negative');
  });

  it('reads the spreadsheet settings once per call, not per row', () => {
    const before = gas.calls['Spreadsheet.getSpreadsheetTimeZone'] ?? 0;
    gas.run(
      `(() => { const r = []; for (let i = 0; i < 2000; i++) r.push([new Date(${Date.UTC(2025, 0, 1)} + i * 3600000)]); return COHORT_CONVERSION(r, r.map(() => [''])); })()`,
    );
    expect(gas.calls['Spreadsheet.getSpreadsheetTimeZone'] - before).toBe(1);
  });
});

describe('the spreadsheet’s language and time zone', () => {
  it('speaks Japanese to a Japanese spreadsheet', () => {
    const gas = loadBundle({ locale: 'ja_JP' });
    expect(() =>
      gas.call('COHORT_CONVERSION', col(tokyo(2025, 1, 1), "'昨日'"), col("''", "''")),
    ).toThrow('lead_dates 2行目: "昨日" は日付ではありません');
  });

  it('follows the spreadsheet zone, not the script or process zone', () => {
    // 2025-03-31 20:00 UTC is April in Tokyo but March in New York and in UTC.
    const instant = `new Date(${Date.UTC(2025, 2, 31, 20, 0)})`;
    const label = (tz: string) =>
      loadBundle({ timeZone: tz }).call<unknown[][]>(
        'COHORT_CONVERSION',
        col(instant),
        col("''"),
      )[1][0];
    expect(label('Asia/Tokyo')).toBe('2025-04');
    expect(label('America/New_York')).toBe('2025-03');
  });

  it('uses Utilities.formatDate where the runtime’s Intl has no zone data', () => {
    const gas = loadBundle({ timeZone: 'America/New_York' });
    gas.run(
      "Intl = { DateTimeFormat: function () { throw new RangeError('no time-zone data'); } };",
    );
    // 2025-03-31 20:00 UTC is 16:00 in New York (EDT): March, not April as in UTC+9 or later.
    const leads = col(
      `new Date(${Date.UTC(2025, 2, 31, 20)})`,
      `new Date(${Date.UTC(2025, 3, 1, 3, 59)})`,
    );
    const out = gas.call<unknown[][]>('COHORT_CONVERSION', leads, col("''", "''"), "'slice'");
    expect(out.slice(1).map((r) => [r[0], r[1]])).toEqual([['2025-03', 2]]);
    expect(gas.calls['Utilities.formatDate']).toBeGreaterThan(0);
  });

  it('falls back to the script zone outside a spreadsheet', () => {
    const gas = loadBundle({ noSpreadsheet: true });
    const out = gas.call<unknown[][]>('COHORT_CONVERSION', col(tokyo(2025, 4, 1)), col("''"));
    expect(out[1][0]).toBe('2025-04');
    expect(gas.calls['Session.getScriptTimeZone']).toBe(1);
  });
});
