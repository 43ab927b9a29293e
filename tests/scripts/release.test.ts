/**
 * npm run setup / push / release (scripts/clasp-setup.ts, scripts/release.ts) without Google and
 * without running clasp: the command lines are the documented ones and every flag in them is one
 * the installed clasp declares; setup replaces only a missing or placeholder scriptId (in a temp
 * folder, with a fake clasp that behaves like clasp 3's create-script), never a real one.
 */
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type ClaspRunner,
  checkConfigured,
  contentDirOf,
  createScriptArgs,
  formatJson,
  planSetup,
  type RunOptions,
  readClaspConfig,
  runSetup,
  scriptIdState,
} from '../../scripts/clasp-setup';
import {
  BUILD_STEP,
  chooseDeployment,
  createVersionArgs,
  deployArgs,
  formatStep,
  PACKAGE_SCRIPTS,
  parseDeployments,
  parseReleaseArgs,
  parseVersionNumber,
  releaseSteps,
  releaseSummary,
  runRelease,
  type Step,
} from '../../scripts/release';

const ROOT = join(import.meta.dirname, '..', '..');
const REAL_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCdEfGhIjKlMnOpQ';
const OTHER_ID = '1ZyXwVuTsRqPoNmLkJiHgFeDcBa9876543210-_ZyXwVuTsRqPoNmLkJ';

// ---------------------------------------------------------------------------------------------
// Every clasp command line we build uses commands and flags the installed clasp declares.

const CLASP_COMMANDS = join(ROOT, 'node_modules', '@google', 'clasp', 'build', 'src', 'commands');

/** Long flags declared by one clasp command file (`.option('-f, --force', …)`). */
function declaredFlags(file: string): Set<string> {
  const src = readFileSync(join(CLASP_COMMANDS, file), 'utf8');
  const flags = new Set<string>();
  for (const m of src.matchAll(/\.(?:option|addOption)\(\s*(?:new Option\(\s*)?'([^']+)'/g)) {
    for (const f of m[1].matchAll(/--[A-Za-z][A-Za-z-]*/g)) flags.add(f[0]);
  }
  return flags;
}

/** Asserts `clasp <args>` names a real clasp 3 command and only flags it (or clasp) declares. */
function expectValidClasp(args: readonly string[]): void {
  const globals = declaredFlags('program.js');
  const name = args.find((a) => !a.startsWith('-'));
  expect(name, `no command in ${args.join(' ')}`).toBeDefined();
  const file = `${name}.js`;
  expect(existsSync(join(CLASP_COMMANDS, file)), `clasp has no command ${name}`).toBe(true);
  expect(readFileSync(join(CLASP_COMMANDS, file), 'utf8')).toContain(`new Command('${name}')`);
  const own = declaredFlags(file);
  for (const a of args.filter((x) => x.startsWith('--'))) {
    expect(own.has(a) || globals.has(a), `${name} does not declare ${a}`).toBe(true);
  }
}

describe('clasp command lines', () => {
  it('setup creates a standalone project titled "KPI tree" that pushes dist/', () => {
    expect(createScriptArgs()).toEqual([
      'create-script',
      '--type',
      'standalone',
      '--title',
      'KPI tree',
      '--rootDir',
      'dist',
    ]);
    expect(createScriptArgs('KPI tree (dev)')).toContain('KPI tree (dev)');
    expectValidClasp(createScriptArgs());
  });

  it('release = build, push --force, create-version, then update or create the deployment', () => {
    const update = releaseSteps({
      description: 'Fix dates',
      deployment: { action: 'update', deploymentId: 'AKfyDEP' },
      versionNumber: 12,
    });
    expect(update.map((s) => [s.command, ...s.args])).toEqual([
      ['node', 'scripts/build.mjs'],
      ['clasp', 'push', '--force'],
      ['clasp', '--json', 'create-version', 'Fix dates'],
      [
        'clasp',
        '--json',
        'update-deployment',
        'AKfyDEP',
        '--versionNumber',
        '12',
        '--description',
        'Fix dates',
      ],
    ]);
    const create = releaseSteps({ description: 'First', deployment: { action: 'create' } });
    expect(create[3].args).toEqual([
      '--json',
      'create-deployment',
      '--versionNumber',
      '<version>',
      '--description',
      'First',
    ]);
    expect(update[2].args).toEqual(createVersionArgs('Fix dates'));
    expect(create[3].args).toEqual(deployArgs({ action: 'create' }, '<version>', 'First'));
    for (const s of [...update, ...create].filter((x) => x.command === 'clasp')) {
      expectValidClasp(s.args);
    }
    expect(existsSync(join(ROOT, BUILD_STEP.args[0]))).toBe(true);
  });

  it('prints copy-pasteable lines', () => {
    const [, push, version] = releaseSteps({
      description: "KPI tree v1 — Taro's fix",
      deployment: { action: 'create' },
    });
    expect(formatStep(push)).toBe('clasp push --force');
    expect(formatStep(version)).toBe(`clasp --json create-version 'KPI tree v1 — Taro'\\''s fix'`);
  });

  it('npm run push checks the project, builds, then pushes with --force', () => {
    expect(PACKAGE_SCRIPTS.push).toMatch(
      /^node --import tsx scripts\/clasp-setup\.ts --check && npm run build && clasp push --force$/,
    );
    expect(PACKAGE_SCRIPTS.setup).toBe('node --import tsx scripts/clasp-setup.ts');
    expect(PACKAGE_SCRIPTS.release).toBe('node --import tsx scripts/release.ts');
  });

  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  it.runIf('release' in pkg.scripts)(
    "package.json's scripts are the ones release.ts documents",
    () => {
      for (const [name, line] of Object.entries(PACKAGE_SCRIPTS)) {
        expect(pkg.scripts[name], name).toBe(line);
      }
    },
  );
});

// ---------------------------------------------------------------------------------------------
// Reading clasp's --json output and choosing the deployment.

describe('clasp output', () => {
  it('reads the version number from --json or from the text message', () => {
    expect(parseVersionNumber('{\n  "versionNumber": 7\n}\n')).toBe(7);
    expect(parseVersionNumber('Created version 13\n')).toBe(13);
    expect(() => parseVersionNumber('Skipping push.\n')).toThrow(/version number/);
  });

  it('reads deployments; the @HEAD one has no version and is never chosen', () => {
    const list = parseDeployments(
      JSON.stringify([
        { deploymentId: 'AKfyHEAD', description: 'Head deployment' },
        { deploymentId: 'AKfyREL', versionNumber: 4, description: 'KPI tree v0.1.0' },
      ]),
    );
    expect(list).toHaveLength(2);
    expect(chooseDeployment(list)).toEqual({ action: 'update', deploymentId: 'AKfyREL' });
    expect(chooseDeployment(list.slice(0, 1))).toEqual({ action: 'create' });
    expect(chooseDeployment([])).toEqual({ action: 'create' });
    expect(chooseDeployment(list, 'AKfyMINE')).toEqual({
      action: 'update',
      deploymentId: 'AKfyMINE',
    });
    const two = [...list, { deploymentId: 'AKfyOLD', versionNumber: 2 }];
    expect(() => chooseDeployment(two)).toThrow(/--deployment <deploymentId>/);
    expect(() => chooseDeployment(two)).toThrow(/AKfyREL @4/);
  });

  it('parses the release arguments', () => {
    expect(parseReleaseArgs([])).toEqual({ dryRun: false });
    expect(parseReleaseArgs(['Fix dates', '--deployment', 'AKfy1', '--dry-run'])).toEqual({
      dryRun: true,
      deploymentId: 'AKfy1',
      description: 'Fix dates',
    });
    expect(parseReleaseArgs(['--description=x'])).toEqual({ dryRun: false, description: 'x' });
    expect(() => parseReleaseArgs(['--force'])).toThrow(/Unknown option/);
    expect(() => parseReleaseArgs(['a', 'b'])).toThrow(/One description/);
    expect(() => parseReleaseArgs(['--deployment'])).toThrow(/needs a value/);
    expect(() => parseReleaseArgs(['--description=-x'])).toThrow(/may not start with "-"/);
  });

  it('tells what to paste into the Marketplace SDK', () => {
    const text = releaseSummary({
      scriptId: REAL_ID,
      versionNumber: 9,
      deploymentId: 'AKfyREL',
      description: 'd',
    });
    expect(text).toContain(`Script ID:      ${REAL_ID}`);
    expect(text).toContain('Version number: 9');
    expect(text).toContain('AKfyREL @9');
    expect(text).toContain('docs/marketplace/');
  });
});

// ---------------------------------------------------------------------------------------------
// A whole release with a fake clasp: the calls, in order, and nothing pushed when it must stop.

function fakeRelease(deployments: unknown[]) {
  const calls: string[][] = [];
  const run = (step: Step, _capture: boolean): string => {
    calls.push([step.command, ...step.args]);
    const sub = step.args.find((a) => !a.startsWith('-'));
    if (sub === 'list-deployments') return JSON.stringify(deployments, null, 2);
    if (sub === 'create-version') return '{\n  "versionNumber": 8\n}\n';
    if (sub === 'create-deployment') {
      return JSON.stringify({ deploymentId: 'AKfyNEW', versionNumber: 8, description: 'x' });
    }
    if (sub === 'update-deployment') {
      return JSON.stringify({ deploymentId: step.args[2], versionNumber: 8, description: 'x' });
    }
    return '';
  };
  return { calls, run };
}

describe('runRelease', () => {
  it('updates the one versioned deployment to the new version', () => {
    const { calls, run } = fakeRelease([
      { deploymentId: 'AKfyHEAD' },
      { deploymentId: 'AKfyREL', versionNumber: 7 },
    ]);
    const result = runRelease({ scriptId: REAL_ID, description: 'Fix dates' }, run);
    expect(calls).toEqual([
      ['clasp', '--json', 'list-deployments'],
      ['node', 'scripts/build.mjs'],
      ['clasp', 'push', '--force'],
      ['clasp', '--json', 'create-version', 'Fix dates'],
      [
        'clasp',
        '--json',
        'update-deployment',
        'AKfyREL',
        '--versionNumber',
        '8',
        '--description',
        'Fix dates',
      ],
    ]);
    expect(result).toEqual({
      scriptId: REAL_ID,
      versionNumber: 8,
      deploymentId: 'AKfyREL',
      description: 'Fix dates',
    });
  });

  it('creates the first deployment; --deployment skips the listing', () => {
    const first = fakeRelease([{ deploymentId: 'AKfyHEAD' }]);
    expect(runRelease({ scriptId: REAL_ID, description: 'v1' }, first.run).deploymentId).toBe(
      'AKfyNEW',
    );
    expect(first.calls.at(-1)).toEqual([
      'clasp',
      '--json',
      'create-deployment',
      '--versionNumber',
      '8',
      '--description',
      'v1',
    ]);
    const named = fakeRelease([]);
    runRelease({ scriptId: REAL_ID, description: 'v2', deploymentId: 'AKfyMINE' }, named.run);
    expect(named.calls[0]).toEqual(['node', 'scripts/build.mjs']);
    expect(named.calls.at(-1)?.slice(0, 4)).toEqual([
      'clasp',
      '--json',
      'update-deployment',
      'AKfyMINE',
    ]);
  });

  it('stops before building or pushing when the deployment is ambiguous', () => {
    const { calls, run } = fakeRelease([
      { deploymentId: 'AKfyA', versionNumber: 1 },
      { deploymentId: 'AKfyB', versionNumber: 2 },
    ]);
    expect(() => runRelease({ scriptId: REAL_ID, description: 'x' }, run)).toThrow(/AKfyA/);
    expect(calls).toEqual([['clasp', '--json', 'list-deployments']]);
  });

  it('reports the version when only the deployment step fails', () => {
    const { run } = fakeRelease([]);
    const failing = (step: Step, capture: boolean) => {
      if (step.args.includes('create-deployment')) throw new Error('quota');
      return run(step, capture);
    };
    const result = runRelease({ scriptId: REAL_ID, description: 'x' }, failing);
    expect(result.versionNumber).toBe(8);
    expect(result.deployError).toBe('quota');
  });
});

// ---------------------------------------------------------------------------------------------
// Setup in a temporary folder, with a fake clasp.

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'kpi-setup-test-'));
  vi.spyOn(console, 'log').mockImplementation(() => {});
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(dir, { recursive: true, force: true });
});

const write = (json: unknown) =>
  writeFileSync(join(dir, '.clasp.json'), `${JSON.stringify(json, null, 2)}\n`);
const read = () => readFileSync(join(dir, '.clasp.json'), 'utf8');

/** What clasp 3's create-script does in its working folder: pull the new project, write .clasp.json. */
function fakeCreateScript(scriptId = REAL_ID) {
  const calls: { args: string[]; cwd: string }[] = [];
  const runner: ClaspRunner = (args, options: RunOptions) => {
    const cwd = options.cwd ?? process.cwd();
    calls.push({ args: [...args], cwd });
    if (existsSync(join(cwd, '.clasp.json'))) return 'Project file already exists.\n'; // exit 0
    mkdirSync(join(cwd, 'dist'), { recursive: true });
    writeFileSync(join(cwd, 'dist', 'Code.js'), 'function myFunction() {}\n');
    writeFileSync(join(cwd, 'dist', 'appsscript.json'), '{}\n');
    writeFileSync(
      join(cwd, '.clasp.json'),
      JSON.stringify({
        scriptId,
        rootDir: 'dist',
        scriptExtensions: ['.js', '.gs'],
        htmlExtensions: ['.html'],
        jsonExtensions: ['.json'],
        filePushOrder: [],
        skipSubdirectories: false,
      }),
    );
    return `Created new script: https://script.google.com/d/${scriptId}/edit\n`;
  };
  return { calls, runner };
}

describe('setup', () => {
  it.each([
    ['no .clasp.json', undefined],
    ['.clasp.json without scriptId (the committed one)', { rootDir: 'dist' }],
    ['the old placeholder', { scriptId: 'PASTE_YOUR_SCRIPT_ID_HERE', rootDir: 'dist' }],
    ['a blank scriptId', { scriptId: '  ', rootDir: 'dist' }],
  ])('creates the standalone project when there is %s', (_what, config) => {
    if (config) write(config);
    mkdirSync(join(dir, 'dist'));
    writeFileSync(join(dir, 'dist', 'Code.js'), 'our bundle');
    expect(planSetup(dir)).toEqual({ action: 'create', args: createScriptArgs() });

    const { calls, runner } = fakeCreateScript();
    expect(runSetup(dir, {}, runner)).toBe(REAL_ID);
    expect(calls).toHaveLength(1);
    expect(calls[0].args).toEqual(createScriptArgs());
    // clasp ran in an empty folder outside the project, which is gone again ...
    expect(relative(dir, calls[0].cwd).startsWith('..')).toBe(true);
    expect(existsSync(calls[0].cwd)).toBe(false);
    // ... so our dist/ was not overwritten by the new project's files,
    expect(readdirSync(join(dir, 'dist'))).toEqual(['Code.js']);
    expect(readFileSync(join(dir, 'dist', 'Code.js'), 'utf8')).toBe('our bundle');
    // and .clasp.json now names the project and still pushes dist/.
    expect(read()).toBe(`{\n  "scriptId": "${REAL_ID}",\n  "rootDir": "dist"\n}\n`);
    expect(checkConfigured(dir)).toEqual({ ok: true, scriptId: REAL_ID });
  });

  it('writes .clasp.json exactly as Biome formats it (npm test lints it)', () => {
    const biome = join(ROOT, 'node_modules', '@biomejs', 'biome', 'bin', 'biome');
    for (const config of [
      { scriptId: REAL_ID, rootDir: 'dist' },
      {
        scriptId: REAL_ID,
        rootDir: 'dist',
        scriptExtensions: ['.js', '.gs'],
        htmlExtensions: ['.html'],
        filePushOrder: [],
        skipSubdirectories: false,
      },
      {
        scriptId: REAL_ID,
        rootDir: 'dist',
        filePushOrder: Array(6).fill('dist/a-long-file-name.js'),
      },
    ]) {
      const text = formatJson(config);
      const formatted = spawnSync(
        process.execPath,
        [biome, 'format', '--stdin-file-path=.clasp.json'],
        {
          cwd: ROOT,
          input: text,
          encoding: 'utf8',
        },
      );
      expect(formatted.status, formatted.stderr).toBe(0);
      expect(formatted.stdout).toBe(text);
      expect(JSON.parse(text)).toEqual(config);
    }
  });

  it('keeps other settings, forces rootDir dist and drops srcDir', () => {
    write({ scriptId: 'PASTE_YOUR_SCRIPT_ID_HERE', srcDir: 'src', projectId: 'my-gcp' });
    runSetup(dir, { scriptId: OTHER_ID });
    expect(readClaspConfig(dir)).toEqual({
      scriptId: OTHER_ID,
      rootDir: 'dist',
      projectId: 'my-gcp',
    });
  });

  it('refuses to replace a real scriptId, and never calls clasp', () => {
    write({ scriptId: REAL_ID, rootDir: 'dist' });
    const before = read();
    const plan = planSetup(dir);
    expect(plan.action).toBe('refuse');
    expect(plan.action === 'refuse' && plan.message).toMatch(/never replaces a real scriptId/);
    const { calls, runner } = fakeCreateScript(OTHER_ID);
    expect(() => runSetup(dir, {}, runner)).toThrow(new RegExp(REAL_ID));
    expect(() => runSetup(dir, { scriptId: OTHER_ID }, runner)).toThrow(/never replaces/);
    expect(calls).toHaveLength(0);
    expect(read()).toBe(before);
  });

  it('refuses a scriptId that is neither real nor the placeholder, and bad JSON', () => {
    write({ scriptId: 'my script', rootDir: 'dist' });
    expect(planSetup(dir).action).toBe('refuse');
    writeFileSync(join(dir, '.clasp.json'), '{ "scriptId": ');
    expect(planSetup(dir)).toMatchObject({ action: 'refuse', message: /not valid JSON/ });
  });

  it('takes an existing project with --script-id, after checking it looks like one', () => {
    write({ rootDir: 'dist' });
    expect(planSetup(dir, { scriptId: 'abc' }).action).toBe('refuse');
    expect(planSetup(dir, { scriptId: 'PASTE_YOUR_SCRIPT_ID_HERE' }).action).toBe('refuse');
    const { calls, runner } = fakeCreateScript();
    expect(runSetup(dir, { scriptId: ` ${OTHER_ID} ` }, runner)).toBe(OTHER_ID);
    expect(calls).toHaveLength(0);
    expect(readClaspConfig(dir)).toEqual({ scriptId: OTHER_ID, rootDir: 'dist' });
  });

  it('fails loudly when clasp created nothing (clasp 3 exits 0 on "Project file already exists.")', () => {
    write({ rootDir: 'dist' });
    const before = read();
    const nothing: ClaspRunner = () => 'Project file already exists.\n';
    expect(() => runSetup(dir, {}, nothing)).toThrow(/did not create a project/);
    expect(read()).toBe(before);
  });

  it('push and release refuse until a real project pushing dist/ is configured', () => {
    expect(checkConfigured(dir)).toMatchObject({ ok: false, message: /npm run setup/ });
    write({ rootDir: 'dist' });
    expect(checkConfigured(dir)).toMatchObject({ ok: false, message: /npm run setup/ });
    write({ scriptId: REAL_ID, rootDir: 'src' });
    expect(checkConfigured(dir)).toMatchObject({ ok: false, message: /"rootDir": "dist"/ });
    write({ scriptId: REAL_ID, rootDir: 'dist', srcDir: '.' });
    expect(checkConfigured(dir).ok).toBe(false);
    write({ scriptId: REAL_ID, rootDir: './dist/' });
    expect(checkConfigured(dir)).toEqual({ ok: true, scriptId: REAL_ID });
  });
});

describe('the repository', () => {
  it('.clasp.json pushes dist/ and holds no placeholder (clasp create-script would abort)', () => {
    const config = readClaspConfig(ROOT);
    expect(contentDirOf(config)).toBe('dist');
    expect(['unset', 'real']).toContain(scriptIdState(config));
  });

  it('README names only npm scripts that exist', () => {
    const guide = join(ROOT, 'README.md');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    const known = new Set([...Object.keys(pkg.scripts), ...Object.keys(PACKAGE_SCRIPTS), 'ci']);
    const text = readFileSync(guide, 'utf8');
    const used = [...text.matchAll(/`npm (?:run )?([a-z][\w-]*)/g)].map((m) => m[1]);
    expect(used.length).toBeGreaterThan(3);
    for (const name of used) {
      expect(known.has(name) || ['test', 'start', 'ci', 'install'].includes(name), name).toBe(true);
    }
    expect(text).toContain('https://script.google.com/home/usersettings');
  });
});
