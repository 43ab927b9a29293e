/**
 * npm run setup — connects this clone to an Apps Script project, once.
 *
 * The committed .clasp.json holds `"rootDir": "dist"` and no scriptId: that is clasp's own "no
 * project yet" state. When no real scriptId is configured (none, blank, or the old placeholder
 * `PASTE_YOUR_SCRIPT_ID_HERE`), this script creates a **standalone** project with
 *   clasp create-script --type standalone --title "KPI tree" --rootDir dist
 * run in an empty temporary folder — so clasp never meets our .clasp.json ("Project file already
 * exists.", which clasp 3 prints with exit code 0) and never writes the new project's empty
 * Code.js / appsscript.json over our dist/ — then writes the new scriptId into .clasp.json,
 * keeping `"rootDir": "dist"`. A real scriptId is never replaced: the script refuses and says how
 * to start over.
 *
 *   npm run setup                         create the standalone project "KPI tree"
 *   npm run setup -- --title "KPI tree (dev)"
 *   npm run setup -- --script-id <id>     use an existing project instead (no clasp call)
 *   npm run setup -- --check              exit 1 unless a real scriptId and rootDir dist are set
 *                                         (npm run push and npm run release run this first)
 *
 * The BigQuery edition (issue #25; scripts/editions.mjs) is another Apps Script project, named in
 * its own project file, .clasp-bigquery.json (committed like .clasp.json: `"rootDir":
 * "dist-bigquery"` and no scriptId), which clasp reads with `--project` (clasp 3's README: "Reads
 * project settings from a file other than `.clasp.json`. Intended to support multiple deployment
 * targets."; its rootDir is resolved from the folder holding that file). Every command above takes
 * `--edition bigquery` for it:
 *   npm run setup -- --edition bigquery   create "KPI tree (BigQuery)" (or --script-id <id>)
 *   npm run setup -- --check --edition bigquery   (npm run push:bigquery runs this first)
 * The two files may never name the same project: the BigQuery manifest (bigquery.readonly) pushed
 * over the Sheets-only project would ask every Sheets-only user for BigQuery access.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { EDITIONS, type Edition, isEdition } from './editions.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
/** The Sheets-only edition's project file, folder and title (scripts/editions.mjs). */
export const PROJECT_FILE = EDITIONS.sheets.projectFile;
/** clasp pushes this folder: scripts/build.mjs writes Code.js, sidebar.html, appsscript.json. */
export const ROOT_DIR = EDITIONS.sheets.outDir;
export const DEFAULT_TITLE = EDITIONS.sheets.title;
/** Values that mean "not configured": the committed placeholder of earlier versions. */
export const PLACEHOLDERS: readonly string[] = ['PASTE_YOUR_SCRIPT_ID_HERE'];
/** Apps Script IDs are long URL-safe strings (57 characters for projects made today). */
export const SCRIPT_ID_PATTERN = /^[A-Za-z0-9_-]{20,}$/;
export const API_SETTINGS_URL = 'https://script.google.com/home/usersettings';

export type ClaspConfig = Record<string, unknown>;
export type ScriptIdState = 'unset' | 'placeholder' | 'real' | 'invalid';

/** One edition as setup and push see it: its project file, the folder it pushes, its commands. */
export interface ClaspTarget {
  edition: Edition;
  projectFile: string;
  rootDir: string;
  title: string;
  /** How to run setup for it, and with an existing project (for messages). */
  setup: string;
  setupWithId: string;
  /** How to push it (for messages). */
  push: string;
}

export function targetOf(edition: Edition = 'sheets'): ClaspTarget {
  const { projectFile, outDir, title } = EDITIONS[edition];
  const sheets = edition === 'sheets';
  return {
    edition,
    projectFile,
    rootDir: outDir,
    title,
    setup: sheets ? 'npm run setup' : `npm run setup -- --edition ${edition}`,
    setupWithId: `npm run setup -- ${sheets ? '' : `--edition ${edition} `}--script-id <id>`,
    push: sheets ? 'npm run push' : `npm run push:${edition}`,
  };
}

/** `clasp --project <file>` for an edition whose project file is not clasp's default. */
export function projectArgs(edition: Edition = 'sheets'): string[] {
  const { projectFile } = EDITIONS[edition];
  return projectFile === PROJECT_FILE ? [] : ['--project', projectFile];
}

/** The command line (after `clasp`) that creates the add-on's standalone project. */
export function createScriptArgs(
  title: string = DEFAULT_TITLE,
  rootDir: string = ROOT_DIR,
): string[] {
  return ['create-script', '--type', 'standalone', '--title', title, '--rootDir', rootDir];
}

/** Reads `dir/.clasp.json` (or `file`); `undefined` when there is none. Throws a readable error on bad JSON. */
export function readClaspConfig(dir: string, file: string = PROJECT_FILE): ClaspConfig | undefined {
  const path = join(dir, file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${path} is not valid JSON (${(e as Error).message}). Fix or delete it.`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new Error(`${path} must hold a JSON object such as {"rootDir": "dist"}.`);
  }
  return value as ClaspConfig;
}

export function scriptIdState(config: ClaspConfig | undefined): ScriptIdState {
  const id = config?.scriptId;
  if (id === undefined || id === null) return 'unset';
  if (typeof id !== 'string') return 'invalid';
  const trimmed = id.trim();
  if (trimmed === '') return 'unset';
  if (PLACEHOLDERS.includes(trimmed)) return 'placeholder';
  return SCRIPT_ID_PATTERN.test(trimmed) ? 'real' : 'invalid';
}

/** The folder clasp pushes, as clasp 3 reads it: `srcDir` wins over `rootDir`; default `.`. */
export function contentDirOf(config: ClaspConfig | undefined): string {
  const dir = config?.srcDir || config?.rootDir || '.';
  return typeof dir === 'string' ? dir : '.';
}

function pointsAt(config: ClaspConfig | undefined, rootDir: string): boolean {
  return relative(resolve('/', rootDir), resolve('/', contentDirOf(config))) === '';
}

/**
 * The other editions whose project file names `scriptId` (unreadable files count as naming
 * nothing): one project may hold one edition only.
 */
export function editionsUsing(dir: string, scriptId: string, except: Edition): ClaspTarget[] {
  const found: ClaspTarget[] = [];
  for (const edition of Object.keys(EDITIONS) as Edition[]) {
    if (edition === except) continue;
    const target = targetOf(edition);
    let config: ClaspConfig | undefined;
    try {
      config = readClaspConfig(dir, target.projectFile);
    } catch {
      continue;
    }
    if (scriptIdState(config) === 'real' && String(config?.scriptId).trim() === scriptId) {
      found.push(target);
    }
  }
  return found;
}

function sharedProjectMessage(target: ClaspTarget, scriptId: string, other: ClaspTarget): string {
  return (
    `${target.projectFile} and ${other.projectFile} name the same Apps Script project ${scriptId}. ` +
    'Each edition is its own project: the Sheets-only manifest asks for two scopes, the BigQuery ' +
    'one adds bigquery.readonly, and one project can hold only one manifest. Delete the ' +
    `"scriptId" line from ${target.projectFile} and run \`${target.setup}\` (a new project), or ` +
    `\`${target.setupWithId}\` with another project's ID.`
  );
}

export type CheckResult = { ok: true; scriptId: string } | { ok: false; message: string };

/** Is this folder ready for `clasp push` of this edition? (No network, no clasp.) */
export function checkConfigured(dir: string, edition: Edition = 'sheets'): CheckResult {
  const target = targetOf(edition);
  const file = target.projectFile;
  let config: ClaspConfig | undefined;
  try {
    config = readClaspConfig(dir, file);
  } catch (e) {
    return { ok: false, message: (e as Error).message };
  }
  const state = scriptIdState(config);
  if (state === 'unset' || state === 'placeholder') {
    return {
      ok: false,
      message:
        `No Apps Script project is configured in ${file} yet. Run \`${target.setup}\` first ` +
        `(it creates the standalone project), or \`${target.setupWithId}\` for an existing one.`,
    };
  }
  if (state === 'invalid') {
    return {
      ok: false,
      message: `${file}'s scriptId ${JSON.stringify(config?.scriptId)} does not look like an Apps Script ID (Project settings → IDs → Script ID). Fix it, or delete the scriptId line and run \`${target.setup}\`.`,
    };
  }
  if (!pointsAt(config, target.rootDir)) {
    return {
      ok: false,
      message: `${file} must push "${target.rootDir}" (the build output), but it points at "${contentDirOf(config)}". Set "rootDir": "${target.rootDir}" (and remove any "srcDir").`,
    };
  }
  const scriptId = String(config?.scriptId).trim();
  const [other] = editionsUsing(dir, scriptId, edition);
  if (other) return { ok: false, message: sharedProjectMessage(target, scriptId, other) };
  return { ok: true, scriptId };
}

/** The new .clasp.json: the old one's other settings, the scriptId, `rootDir: dist`, no srcDir. */
export function configWithScriptId(
  previous: ClaspConfig | undefined,
  scriptId: string,
  rootDir: string = ROOT_DIR,
): ClaspConfig {
  const { scriptId: _old, rootDir: _root, srcDir: _src, ...rest } = previous ?? {};
  return { scriptId, rootDir, ...rest };
}

/**
 * JSON as Biome formats it (the file is linted by `npm test`): 2-space indent, and an array of
 * plain values on one line when that line fits in 100 columns (clasp writes such arrays).
 */
export function formatJson(value: unknown): string {
  const text = JSON.stringify(value, null, 2).replace(
    /\[\n( *)([^[\]{}]*?)\n *\]/g,
    (whole, _indent: string, inner: string, offset: number, all: string) => {
      const lineStart = all.lastIndexOf('\n', offset) + 1;
      const prefix = all.slice(lineStart, offset);
      const rest = all.slice(offset + whole.length).split('\n')[0];
      const inline = `[${inner.split(/,\n */).join(', ')}]`;
      return prefix.length + inline.length + rest.length <= 100 ? inline : whole;
    },
  );
  return `${text}\n`;
}

export function writeClaspConfig(
  dir: string,
  config: ClaspConfig,
  file: string = PROJECT_FILE,
): void {
  writeFileSync(join(dir, file), formatJson(config));
}

export type SetupPlan =
  | { action: 'create'; args: string[] }
  | { action: 'write'; scriptId: string }
  | { action: 'refuse'; message: string };

export interface SetupOptions {
  /** Use this existing project instead of creating one. */
  scriptId?: string;
  title?: string;
  /** Which edition's project (default sheets: .clasp.json, dist/). */
  edition?: Edition;
}

/** What `npm run setup` will do in `dir`, decided without running anything. */
export function planSetup(dir: string, options: SetupOptions = {}): SetupPlan {
  const target = targetOf(options.edition);
  const file = target.projectFile;
  let config: ClaspConfig | undefined;
  try {
    config = readClaspConfig(dir, file);
  } catch (e) {
    return { action: 'refuse', message: (e as Error).message };
  }
  const state = scriptIdState(config);
  if (state === 'real') {
    const open = ['npx', 'clasp', ...projectArgs(target.edition), 'open-script'].join(' ');
    return {
      action: 'refuse',
      message:
        `${file} already names the Apps Script project ${String(config?.scriptId).trim()}; ` +
        `setup never replaces a real scriptId. Open it with \`${open}\`, push with ` +
        `\`${target.push}\`. To connect this clone to another project, delete the "scriptId" line ` +
        `from ${file} and run \`${target.setup}\` again.`,
    };
  }
  if (state === 'invalid') {
    return {
      action: 'refuse',
      message: `${file}'s scriptId ${JSON.stringify(config?.scriptId)} is neither an Apps Script ID nor the placeholder. Fix it, or delete the scriptId line and run \`${target.setup}\` again.`,
    };
  }
  if (options.scriptId !== undefined) {
    const id = options.scriptId.trim();
    if (!SCRIPT_ID_PATTERN.test(id) || PLACEHOLDERS.includes(id)) {
      return {
        action: 'refuse',
        message: `"${options.scriptId}" does not look like an Apps Script ID (Apps Script editor → Project settings → IDs → Script ID).`,
      };
    }
    const [other] = editionsUsing(dir, id, target.edition);
    if (other) return { action: 'refuse', message: sharedProjectMessage(target, id, other) };
    return { action: 'write', scriptId: id };
  }
  return {
    action: 'create',
    args: createScriptArgs(options.title ?? target.title, target.rootDir),
  };
}

/** node + clasp's own entry point: the project's pinned clasp, on every OS, no shell. */
export function claspEntry(): string {
  return createRequire(import.meta.url).resolve('@google/clasp');
}

/** `clasp …` as one copy-pasteable line (for messages and --dry-run). */
export function formatClasp(args: readonly string[]): string {
  const quote = (a: string) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  return ['clasp', ...args].map(quote).join(' ');
}

export interface RunOptions {
  cwd?: string;
  /** Keep stdout (it is also echoed) — for --json output. */
  capture?: boolean;
}

/** Runs clasp; throws when it exits non-zero. */
export function runClasp(args: readonly string[], options: RunOptions = {}): string {
  console.log(`> ${formatClasp(args)}`);
  const result = spawnSync(process.execPath, [claspEntry(), ...args], {
    cwd: options.cwd ?? ROOT,
    stdio: options.capture ? ['inherit', 'pipe', 'inherit'] : 'inherit',
    encoding: 'utf8',
  });
  const out = result.stdout ?? '';
  if (options.capture && out) process.stdout.write(out);
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(
      `${formatClasp(args)} failed (exit ${result.status}). ${troubleshooting()}`.trimEnd(),
    );
  }
  return out;
}

export function troubleshooting(): string {
  return [
    'If clasp said "No credentials found", run `npx clasp login`.',
    `If it said the Apps Script API is not enabled, turn it on at ${API_SETTINGS_URL} and retry (it can take a few minutes).`,
  ].join(' ');
}

/** Runs clasp with these arguments in a folder; returns its stdout. Tests pass a fake. */
export type ClaspRunner = (args: readonly string[], options: RunOptions) => string;

/** Runs `clasp create-script …` in an empty temporary folder and returns the new scriptId. */
export function createStandaloneProject(
  args: readonly string[],
  runner: ClaspRunner = runClasp,
): string {
  // realpath: on macOS the temp folder is behind a symlink, and clasp refuses to write files into
  // a content directory whose real path differs ("Content directory is a symlink").
  const tmp = mkdtempSync(join(realpathSync(tmpdir()), 'kpi-tree-clasp-'));
  try {
    runner(args, { cwd: tmp });
    // clasp 3 exits 0 even when it refuses ("Project file already exists."), so success is a
    // project file with a scriptId, not the exit code.
    const created = readClaspConfig(tmp);
    if (scriptIdState(created) !== 'real') {
      throw new Error(
        `clasp did not create a project (no scriptId in the .clasp.json it should have written in ${tmp}). Is there a .clasp.json in ${dirname(tmp)} or above it? ${troubleshooting()}`,
      );
    }
    return String(created?.scriptId).trim();
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * `npm run setup` in `dir`: creates the project (or takes --script-id) and writes .clasp.json.
 * Throws the plan's message when it refuses. Returns the scriptId now configured.
 */
export function runSetup(
  dir: string,
  options: SetupOptions = {},
  runner: ClaspRunner = runClasp,
): string {
  const plan = planSetup(dir, options);
  if (plan.action === 'refuse') throw new Error(plan.message);
  const target = targetOf(options.edition);
  let scriptId: string;
  if (plan.action === 'create') {
    console.log(
      `Creating the standalone Apps Script project (needs \`npx clasp login\` and the Apps Script API turned on at ${API_SETTINGS_URL}).`,
    );
    scriptId = createStandaloneProject(plan.args, runner);
  } else {
    scriptId = plan.scriptId;
  }
  const previous = readClaspConfig(dir, target.projectFile);
  writeClaspConfig(dir, configWithScriptId(previous, scriptId, target.rootDir), target.projectFile);
  return scriptId;
}

function editionArg(value: string): Edition {
  if (!isEdition(value)) {
    throw new Error(`Unknown edition "${value}". Use ${Object.keys(EDITIONS).join(' or ')}.`);
  }
  return value;
}

export function parseArgs(argv: readonly string[]): { options: SetupOptions; check: boolean } {
  const options: SetupOptions = {};
  let check = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--check') check = true;
    else if (a === '--script-id' || a === '--title' || a === '--edition') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a value.`);
      if (a === '--script-id') options.scriptId = value;
      else if (a === '--title') options.title = value;
      else options.edition = editionArg(value);
    } else if (a.startsWith('--script-id=')) options.scriptId = a.slice('--script-id='.length);
    else if (a.startsWith('--title=')) options.title = a.slice('--title='.length);
    else if (a.startsWith('--edition=')) options.edition = editionArg(a.slice('--edition='.length));
    else
      throw new Error(
        `Unknown argument ${a}. Use --script-id <id>, --title <title>, --edition <edition> or --check.`,
      );
  }
  return { options, check };
}

function main(argv: string[]): number {
  const { options, check } = parseArgs(argv);
  if (check) {
    const result = checkConfigured(ROOT, options.edition);
    if (!result.ok) {
      console.error(result.message);
      return 1;
    }
    return 0;
  }
  const scriptId = runSetup(ROOT, options);
  const target = targetOf(options.edition);
  const open = ['npx', 'clasp', ...projectArgs(target.edition), 'open-script'].join(' ');
  console.log(
    [
      '',
      `${target.projectFile} → scriptId ${scriptId}, rootDir ${target.rootDir}`,
      `Script: https://script.google.com/d/${scriptId}/edit`,
      `Next: \`${target.push}\` (build + clasp push --force), then \`${open}\` and`,
      'Deploy → Test deployments → Editor add-on (see "Deploying with clasp" in README.md).',
    ].join('\n'),
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
