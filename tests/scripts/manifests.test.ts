/**
 * The two editions (issue #25; scripts/editions.mjs), least privilege first: the Sheets-only
 * manifest asks for exactly its two scopes, the BigQuery edition's for those plus
 * bigquery.readonly and nothing else; the two builds differ only in the edition constant
 * (src/edition.ts); `npm run push:bigquery` pushes dist-bigquery/ to the project named in
 * .clasp-bigquery.json, never to the Sheets-only one.
 *
 * Both editions are built here into a temporary folder with the build's own function (≈1 s, the
 * two in parallel), so the comparison does not depend on a stale dist/. clasp itself runs only
 * offline: `clasp show-file-status` lists what a push would send, with HOME in a temporary folder
 * (no credentials, no network).
 */
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClaspRunner,
  checkConfigured,
  claspEntry,
  contentDirOf,
  createScriptArgs,
  parseArgs,
  planSetup,
  projectArgs,
  readClaspConfig,
  runSetup,
  scriptIdState,
} from '../../scripts/clasp-setup';
import {
  BIGQUERY_READONLY,
  buildEdition,
  EDITIONS,
  editionFromArgs,
  type Manifest,
  manifestFor,
} from '../../scripts/editions.mjs';
import { EDITION } from '../../src/edition';

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);
const SHEETS_SCOPES = [
  'https://www.googleapis.com/auth/spreadsheets.currentonly',
  'https://www.googleapis.com/auth/script.container.ui',
];
const REAL_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQ';
const OTHER_ID = '1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210-_ZyXwVuTsRqPoNmLkJ';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
};
const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Manifest;
const sorted = (xs: readonly string[] | undefined) => [...(xs ?? [])].sort();

// Both editions, built once for this file: <tmp>/dist and <tmp>/dist-bigquery, the layout of the
// repository (clasp resolves a project file's rootDir from the folder that holds it).
let built: string;
beforeAll(async () => {
  built = mkdtempSync(join(realpathSync(tmpdir()), 'kpi-editions-'));
  await Promise.all([
    buildEdition(ROOT, 'sheets', join(built, EDITIONS.sheets.outDir)),
    buildEdition(ROOT, 'bigquery', join(built, EDITIONS.bigquery.outDir)),
  ]);
});
afterAll(() => {
  if (built) rmSync(built, { recursive: true, force: true });
});
const out = (edition: keyof typeof EDITIONS, file = '') =>
  join(built, EDITIONS[edition].outDir, file);

describe('the Sheets-only manifest', () => {
  it('appsscript.json asks for exactly spreadsheets.currentonly and script.container.ui', () => {
    const manifest = readJson(join(ROOT, 'appsscript.json'));
    expect(sorted(manifest.oauthScopes)).toEqual(sorted(SHEETS_SCOPES));
    expect(manifest.oauthScopes).toHaveLength(2);
    expect(EDITIONS.sheets.extraScopes).toEqual([]);
    expect(manifestFor(manifest, 'sheets')).toEqual(manifest);
  });

  it('the build copies it byte for byte (dist/ of `npm run build`, and this file’s build)', () => {
    const source = readFileSync(join(ROOT, 'appsscript.json'), 'utf8');
    expect(readFileSync(out('sheets', 'appsscript.json'), 'utf8')).toBe(source);
    // dist/ is what `npm test` built before vitest (and what `npm run push` sends).
    const dist = join(ROOT, 'dist', 'appsscript.json');
    if (existsSync(dist)) {
      expect(readFileSync(dist, 'utf8')).toBe(source);
      expect(sorted(readJson(dist).oauthScopes)).toEqual(sorted(SHEETS_SCOPES));
    }
  });
});

describe('the BigQuery edition’s manifest', () => {
  it('is the Sheets-only one plus bigquery.readonly, nothing else', () => {
    const base = readJson(join(ROOT, 'appsscript.json'));
    const manifest = readJson(out('bigquery', 'appsscript.json'));
    expect(BIGQUERY_READONLY).toBe('https://www.googleapis.com/auth/bigquery.readonly');
    expect(sorted(manifest.oauthScopes)).toEqual(sorted([...SHEETS_SCOPES, BIGQUERY_READONLY]));
    expect(manifest.oauthScopes).toHaveLength(3);
    // Every other field is the Sheets-only manifest's: one definition, derived, never a copy.
    const { oauthScopes: _a, ...rest } = manifest;
    const { oauthScopes: _b, ...baseRest } = base;
    expect(rest).toEqual(baseRest);
    expect(manifest.timeZone).toBe(base.timeZone);
    expect(manifest.runtimeVersion).toBe('V8');
    expect(manifest).toEqual(manifestFor(base, 'bigquery'));
    // Deriving twice adds nothing twice.
    expect(manifestFor(manifest, 'bigquery')).toEqual(manifest);
  });

  it('no committed file is a hand-kept copy of it', () => {
    const manifests = readdirSync(ROOT).filter((f) => /appsscript.*\.json$/.test(f));
    expect(manifests).toEqual(['appsscript.json']);
  });
});

describe('the two builds', () => {
  /**
   * The one stretch where `a` and `b` differ (common prefix and suffix cut off), or null when
   * they are equal.
   */
  function difference(a: string, b: string): [string, string] | null {
    if (a === b) return null;
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    let j = 0;
    while (j < a.length - i && j < b.length - i && a[a.length - 1 - j] === b[b.length - 1 - j]) {
      j++;
    }
    return [a.slice(i, a.length - j), b.slice(i, b.length - j)];
  }

  it('hold the same files', () => {
    const files = readdirSync(out('sheets')).sort();
    expect(files).toEqual(['Code.js', 'appsscript.json', 'check.html', 'sidebar.html']);
    expect(readdirSync(out('bigquery')).sort()).toEqual(files);
  });

  it('differ only in the edition constant: the server bundle and the sidebar carry it', () => {
    for (const file of ['Code.js', 'sidebar.html', 'check.html']) {
      const sheets = readFileSync(out('sheets', file), 'utf8');
      const bigquery = readFileSync(out('bigquery', file), 'utf8');
      const diff = difference(sheets, bigquery);
      if (file === 'check.html') {
        expect(diff, file).toBeNull(); // the dialog does not read the edition
        continue;
      }
      // One stretch, "sheets" in one and "bigquery" in the other: the literal the define put in
      // src/edition.ts, in its own `var` (esbuild does not fold it into other modules' code).
      expect(diff, file).toEqual(['sheets', 'bigquery']);
    }
    expect(readFileSync(out('sheets', 'Code.js'), 'utf8')).toContain('var EDITION="sheets";');
    expect(readFileSync(out('bigquery', 'Code.js'), 'utf8')).toContain('var EDITION="bigquery";');
  });

  it('without a define (the sources under test) the edition is sheets', () => {
    expect(EDITION).toBe('sheets');
  });
});

describe('npm scripts', () => {
  it('build writes dist/ (unchanged), build:bigquery writes dist-bigquery/', () => {
    expect(pkg.scripts.build).toBe('node scripts/build.mjs');
    expect(editionFromArgs([])).toBe('sheets');
    expect(EDITIONS.sheets.outDir).toBe('dist');
    const args = pkg.scripts['build:bigquery'].replace(/^node scripts\/build\.mjs /, '');
    expect(`node scripts/build.mjs ${args}`).toBe(pkg.scripts['build:bigquery']);
    expect(editionFromArgs(args.split(' '))).toBe('bigquery');
    expect(EDITIONS.bigquery.outDir).toBe('dist-bigquery');
    expect(editionFromArgs(['--edition=bigquery'])).toBe('bigquery');
    expect(() => editionFromArgs(['--edition', 'looker'])).toThrow(/Unknown edition "looker"/);
    expect(() => editionFromArgs(['--edition'])).toThrow(/needs a value/);
    expect(() => editionFromArgs(['bigquery'])).toThrow(/Unknown argument/);
  });

  it('push:bigquery checks the BigQuery project, builds dist-bigquery/, pushes to its project', () => {
    const steps = pkg.scripts['push:bigquery'].split(' && ');
    expect(steps).toHaveLength(3);
    const check = steps[0].replace(/^node --import tsx scripts\/clasp-setup\.ts /, '');
    expect(parseArgs(check.split(' '))).toEqual({ options: { edition: 'bigquery' }, check: true });
    expect(steps[1]).toBe('npm run build:bigquery');
    expect(steps[2]).toBe(['clasp', 'push', '--force', ...projectArgs('bigquery')].join(' '));
    expect(projectArgs('bigquery')).toEqual(['--project', '.clasp-bigquery.json']);
    // npm run push is untouched: clasp's default project file, .clasp.json.
    expect(pkg.scripts.push).toMatch(/ && clasp push --force$/);
    expect(projectArgs('sheets')).toEqual([]);
  });

  it('clasp itself (offline) sends dist-bigquery/ for push:bigquery and dist/ for push', async () => {
    // The repository's project files, with a scriptId each (clasp lists nothing without one).
    for (const edition of ['sheets', 'bigquery'] as const) {
      const file = EDITIONS[edition].projectFile;
      const config = readClaspConfig(ROOT, file) ?? {};
      writeFileSync(
        join(built, file),
        JSON.stringify({ ...config, scriptId: edition === 'sheets' ? REAL_ID : OTHER_ID }),
      );
    }
    const home = join(built, 'home');
    mkdirSync(home, { recursive: true });
    // No credentials (HOME is empty) and no project or auth file from the environment.
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, USERPROFILE: home };
    for (const key of Object.keys(env)) if (/^clasp_config_/i.test(key)) delete env[key];
    const status = async (projectArgv: string[]) => {
      const { stdout } = await run(
        process.execPath,
        [claspEntry(), '--json', 'show-file-status', ...projectArgv],
        { cwd: built, encoding: 'utf8', env, timeout: 30_000 },
      );
      return sorted((JSON.parse(stdout) as { filesToPush: string[] }).filesToPush);
    };
    const pushArgv = pkg.scripts['push:bigquery'].split(' && clasp push --force')[1].trim();
    const [bigquery, sheets] = await Promise.all([status(pushArgv.split(' ')), status([])]);
    expect(bigquery).toEqual([
      'dist-bigquery/Code.js',
      'dist-bigquery/appsscript.json',
      'dist-bigquery/check.html',
      'dist-bigquery/sidebar.html',
    ]);
    expect(sheets).toEqual([
      'dist/Code.js',
      'dist/appsscript.json',
      'dist/check.html',
      'dist/sidebar.html',
    ]);
  });
});

describe('the repository', () => {
  it('.clasp-bigquery.json pushes dist-bigquery/, like .clasp.json dist/, and they share no project', () => {
    const sheets = readClaspConfig(ROOT, EDITIONS.sheets.projectFile);
    const bigquery = readClaspConfig(ROOT, EDITIONS.bigquery.projectFile);
    expect(contentDirOf(sheets)).toBe('dist');
    expect(contentDirOf(bigquery)).toBe('dist-bigquery');
    expect(['unset', 'real']).toContain(scriptIdState(bigquery));
    if (scriptIdState(sheets) === 'real' && scriptIdState(bigquery) === 'real') {
      expect(bigquery?.scriptId).not.toBe(sheets?.scriptId);
    }
  });

  it('dist-bigquery/ is build output: git and Biome ignore it', () => {
    const ignored = readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n');
    expect(ignored).toContain('dist-bigquery/');
    const biome = JSON.parse(readFileSync(join(ROOT, 'biome.json'), 'utf8')) as {
      files: { includes: string[] };
    };
    expect(biome.files.includes).toContain('!dist-bigquery');
  });
});

// ---------------------------------------------------------------------------------------------
// npm run setup -- --edition bigquery, in a temporary folder with a fake clasp.

describe('setup of the BigQuery edition', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kpi-setup-bq-'));
    vi.spyOn(console, 'log').mockImplementation(() => {});
  });
  afterEach(() => {
    vi.restoreAllMocks();
    rmSync(dir, { recursive: true, force: true });
  });
  const write = (file: string, json: unknown) =>
    writeFileSync(join(dir, file), `${JSON.stringify(json, null, 2)}\n`);

  /** clasp 3's create-script in its (empty) working folder: writes its own .clasp.json there. */
  function fakeCreateScript(scriptId: string) {
    const calls: string[][] = [];
    const runner: ClaspRunner = (args, options) => {
      calls.push([...args]);
      const cwd = options.cwd ?? process.cwd();
      const rootDir = args[args.indexOf('--rootDir') + 1];
      writeFileSync(join(cwd, '.clasp.json'), JSON.stringify({ scriptId, rootDir }));
      return '';
    };
    return { calls, runner };
  }

  it('creates "KPI tree (BigQuery)" pushing dist-bigquery/ and records it in .clasp-bigquery.json only', () => {
    write('.clasp.json', { scriptId: REAL_ID, rootDir: 'dist' });
    write('.clasp-bigquery.json', { rootDir: 'dist-bigquery' });
    expect(parseArgs(['--edition', 'bigquery']).options).toEqual({ edition: 'bigquery' });
    expect(planSetup(dir, { edition: 'bigquery' })).toEqual({
      action: 'create',
      args: createScriptArgs('KPI tree (BigQuery)', 'dist-bigquery'),
    });
    const { calls, runner } = fakeCreateScript(OTHER_ID);
    expect(runSetup(dir, { edition: 'bigquery' }, runner)).toBe(OTHER_ID);
    expect(calls).toEqual([
      [
        'create-script',
        '--type',
        'standalone',
        '--title',
        'KPI tree (BigQuery)',
        '--rootDir',
        'dist-bigquery',
      ],
    ]);
    expect(readFileSync(join(dir, '.clasp-bigquery.json'), 'utf8')).toBe(
      `{\n  "scriptId": "${OTHER_ID}",\n  "rootDir": "dist-bigquery"\n}\n`,
    );
    expect(readClaspConfig(dir)).toEqual({ scriptId: REAL_ID, rootDir: 'dist' });
    expect(checkConfigured(dir, 'bigquery')).toEqual({ ok: true, scriptId: OTHER_ID });
    expect(checkConfigured(dir)).toEqual({ ok: true, scriptId: REAL_ID });
  });

  it('works without a .clasp-bigquery.json, and says which file and command when unset', () => {
    const unset = checkConfigured(dir, 'bigquery');
    expect(unset.ok).toBe(false);
    expect(!unset.ok && unset.message).toContain(
      'No Apps Script project is configured in .clasp-bigquery.json yet. Run `npm run setup -- --edition bigquery` first',
    );
    expect(!unset.ok && unset.message).toContain(
      '`npm run setup -- --edition bigquery --script-id <id>`',
    );
    // The Sheets-only messages are what they were.
    const sheets = checkConfigured(dir);
    expect(!sheets.ok && sheets.message).toContain('`npm run setup -- --script-id <id>`');
    runSetup(dir, { edition: 'bigquery', scriptId: OTHER_ID });
    expect(readClaspConfig(dir, '.clasp-bigquery.json')).toEqual({
      scriptId: OTHER_ID,
      rootDir: 'dist-bigquery',
    });
    expect(existsSync(join(dir, '.clasp.json'))).toBe(false);
    write('.clasp-bigquery.json', { scriptId: OTHER_ID, rootDir: 'dist' });
    expect(checkConfigured(dir, 'bigquery')).toMatchObject({
      ok: false,
      message: /"rootDir": "dist-bigquery"/,
    });
  });

  it('never lets both editions name one project (the BigQuery manifest would reach Sheets-only users)', () => {
    write('.clasp.json', { scriptId: REAL_ID, rootDir: 'dist' });
    write('.clasp-bigquery.json', { rootDir: 'dist-bigquery' });
    expect(planSetup(dir, { edition: 'bigquery', scriptId: REAL_ID })).toMatchObject({
      action: 'refuse',
      message: /same Apps Script project/,
    });
    write('.clasp-bigquery.json', { scriptId: REAL_ID, rootDir: 'dist-bigquery' });
    expect(checkConfigured(dir, 'bigquery')).toMatchObject({
      ok: false,
      message: /same Apps Script project/,
    });
    expect(checkConfigured(dir)).toMatchObject({ ok: false, message: /same Apps Script project/ });
    expect(() => parseArgs(['--edition', 'looker'])).toThrow(/Unknown edition/);
  });
});
