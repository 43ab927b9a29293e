/**
 * npm run release — one numbered, immutable Apps Script version of what is in this tree, and the
 * numbers the Google Workspace Marketplace SDK asks for.
 *
 *   1. node scripts/build.mjs                        dist/ = Code.js, sidebar.html, appsscript.json
 *   2. clasp push --force                            --force: clasp 3 otherwise asks before
 *                                                    overwriting the remote manifest, and without
 *                                                    a terminal answers No ("Skipping push.", exit 0)
 *   3. clasp --json create-version "<description>"   → {"versionNumber": N}
 *   4. clasp --json update-deployment <id> --versionNumber N --description "<description>"
 *      or, when the project has no versioned deployment yet,
 *      clasp --json create-deployment --versionNumber N --description "<description>"
 *
 * Which deployment: `--deployment <id>` if given; else the project's only versioned deployment
 * (found with `clasp --json list-deployments` before anything is pushed); none → a new one; more
 * than one → stop and ask for --deployment. Google's advice for published add-ons is to give the
 * existing deployment a new version rather than create deployments.
 *
 *   npm run release -- "Fix day-first dates"        description (default: KPI tree <version> @ <commit>)
 *   npm run release -- --deployment AKfy…           update this deployment
 *   npm run release -- --dry-run                    print the command lines, run nothing
 *
 * An editor add-on is published by script ID + version number (Marketplace SDK → App
 * Configuration); the deployment only records the release in the Apps Script project.
 *
 * This releases the Sheets-only edition (.clasp.json, dist/). The BigQuery edition
 * (scripts/editions.mjs) has `npm run push:bigquery` and no release command yet.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkConfigured, formatClasp, ROOT, runClasp } from './clasp-setup';

/** The lines to put in package.json's "scripts" (the test compares them once they are there). */
export const PACKAGE_SCRIPTS = {
  setup: 'node --import tsx scripts/clasp-setup.ts',
  push: 'node --import tsx scripts/clasp-setup.ts --check && npm run build && clasp push --force',
  'build:bigquery': 'node scripts/build.mjs --edition bigquery',
  'push:bigquery':
    'node --import tsx scripts/clasp-setup.ts --check --edition bigquery && npm run build:bigquery && clasp push --force --project .clasp-bigquery.json',
  release: 'node --import tsx scripts/release.ts',
} as const;

export type DeploymentChoice = { action: 'create' } | { action: 'update'; deploymentId: string };

export interface Step {
  what: string;
  command: 'node' | 'clasp';
  args: string[];
}

export interface Deployment {
  deploymentId: string;
  versionNumber?: number;
  description?: string;
}

export const BUILD_STEP: Step = {
  what: 'build dist/',
  command: 'node',
  args: ['scripts/build.mjs'],
};

export function pushArgs(): string[] {
  return ['push', '--force'];
}

export function createVersionArgs(description: string): string[] {
  return ['--json', 'create-version', description];
}

export function listDeploymentsArgs(): string[] {
  return ['--json', 'list-deployments'];
}

export function deployArgs(
  choice: DeploymentChoice,
  versionNumber: number | string,
  description: string,
): string[] {
  const tail = ['--versionNumber', String(versionNumber), '--description', description];
  return choice.action === 'update'
    ? ['--json', 'update-deployment', choice.deploymentId, ...tail]
    : ['--json', 'create-deployment', ...tail];
}

/**
 * The release's command lines in order. `versionNumber` is only known after create-version; the
 * dry run and the tests pass a placeholder.
 */
export function releaseSteps(options: {
  description: string;
  deployment: DeploymentChoice;
  versionNumber?: number | string;
}): Step[] {
  const version = options.versionNumber ?? '<version>';
  return [
    BUILD_STEP,
    { what: 'push dist/ (manifest included)', command: 'clasp', args: pushArgs() },
    {
      what: 'create an immutable version',
      command: 'clasp',
      args: createVersionArgs(options.description),
    },
    {
      what:
        options.deployment.action === 'update'
          ? 'point the deployment at the new version'
          : 'create a deployment of the new version',
      command: 'clasp',
      args: deployArgs(options.deployment, version, options.description),
    },
  ];
}

export function formatStep(step: Step): string {
  return step.command === 'clasp' ? formatClasp(step.args) : ['node', ...step.args].join(' ');
}

/** The first JSON value in clasp's stdout (clasp --json prints it with 2-space indentation). */
function jsonIn(stdout: string): unknown {
  const start = stdout.search(/[[{]/);
  if (start < 0) return undefined;
  try {
    return JSON.parse(stdout.slice(start));
  } catch {
    return undefined;
  }
}

/** The number from `clasp --json create-version` ({"versionNumber": 7}) or "Created version 7". */
export function parseVersionNumber(stdout: string): number {
  const json = jsonIn(stdout) as { versionNumber?: unknown } | undefined;
  const fromJson = json && typeof json === 'object' ? Number(json.versionNumber) : Number.NaN;
  if (Number.isInteger(fromJson) && fromJson > 0) return fromJson;
  const m = /Created version (\d+)/.exec(stdout);
  if (m) return Number(m[1]);
  throw new Error(`Could not read the version number from clasp's output:\n${stdout}`);
}

/** `clasp --json list-deployments` → [{deploymentId, versionNumber?, description?}]. */
export function parseDeployments(stdout: string): Deployment[] {
  const json = jsonIn(stdout);
  if (!Array.isArray(json)) {
    throw new Error(`Could not read the deployments from clasp's output:\n${stdout}`);
  }
  return json
    .filter((d): d is Deployment => !!d && typeof d.deploymentId === 'string')
    .map((d) => ({
      deploymentId: d.deploymentId,
      versionNumber: typeof d.versionNumber === 'number' ? d.versionNumber : undefined,
      description: typeof d.description === 'string' ? d.description : undefined,
    }));
}

/**
 * --deployment wins; else the only versioned deployment (the @HEAD one, which every project has
 * for testing, has no versionNumber and is never touched); none → create; several → ask.
 */
export function chooseDeployment(
  deployments: readonly Deployment[],
  explicitId?: string,
): DeploymentChoice {
  if (explicitId) return { action: 'update', deploymentId: explicitId };
  const versioned = deployments.filter((d) => d.versionNumber !== undefined);
  if (versioned.length === 0) return { action: 'create' };
  if (versioned.length === 1) return { action: 'update', deploymentId: versioned[0].deploymentId };
  const list = versioned
    .map(
      (d) => `  ${d.deploymentId} @${d.versionNumber}${d.description ? ` ${d.description}` : ''}`,
    )
    .join('\n');
  throw new Error(
    `This project has ${versioned.length} versioned deployments; say which one to update:\n${list}\n` +
      'npm run release -- --deployment <deploymentId>',
  );
}

export function defaultDescription(version: string, commit?: string, dirty = false): string {
  return `KPI tree ${version}${commit ? ` @ ${commit}${dirty ? '+dirty' : ''}` : ''}`;
}

/** What to paste into the Marketplace SDK, and what happened. */
export function releaseSummary(r: {
  scriptId: string;
  versionNumber: number;
  deploymentId?: string;
  description: string;
}): string {
  return [
    '',
    `Released version ${r.versionNumber} of https://script.google.com/d/${r.scriptId}/edit`,
    `  description: ${r.description}`,
    ...(r.deploymentId ? [`  deployment:  ${r.deploymentId} @${r.versionNumber}`] : []),
    '',
    'Google Workspace Marketplace SDK → App Configuration → Editor add-on (Sheets):',
    `  Script ID:      ${r.scriptId}`,
    `  Version number: ${r.versionNumber}`,
    'Publishing checklist: docs/marketplace/.',
  ].join('\n');
}

interface Args {
  dryRun: boolean;
  deploymentId?: string;
  description?: string;
}

export function parseReleaseArgs(argv: readonly string[]): Args {
  const args: Args = { dryRun: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--dry-run') args.dryRun = true;
    else if (a === '--deployment' || a === '--description') {
      const value = argv[++i];
      if (value === undefined) throw new Error(`${a} needs a value.`);
      if (a === '--deployment') args.deploymentId = value;
      else args.description = value;
    } else if (a.startsWith('--deployment=')) args.deploymentId = a.slice('--deployment='.length);
    else if (a.startsWith('--description=')) args.description = a.slice('--description='.length);
    else if (a.startsWith('-')) {
      throw new Error(
        `Unknown option ${a}. Use [description] [--deployment <id>] [--description <text>] [--dry-run].`,
      );
    } else if (args.description === undefined) args.description = a;
    else throw new Error(`One description only (got "${args.description}" and "${a}").`);
  }
  if (args.description !== undefined && args.description.trim() === '') {
    throw new Error('The description is empty.');
  }
  // clasp would read "-x" after create-version as an option of its own.
  if (args.description?.startsWith('-')) {
    throw new Error(`The description may not start with "-" (got "${args.description}").`);
  }
  return args;
}

function git(args: string[]): string | undefined {
  const r = spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version?: string };
  return pkg.version ? `v${pkg.version}` : '';
}

/** Runs one step; returns its stdout when `capture` (clasp --json output). Tests pass a fake. */
export type StepRunner = (step: Step, capture: boolean) => string;

function runStep(step: Step, capture: boolean): string {
  if (step.command === 'clasp') return runClasp(step.args, { capture });
  console.log(`> ${formatStep(step)}`);
  const r = spawnSync(process.execPath, step.args, { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${formatStep(step)} failed (exit ${r.status}).`);
  return '';
}

export interface ReleaseResult {
  scriptId: string;
  versionNumber: number;
  deploymentId?: string;
  description: string;
  /** Set when the version was made but the deployment step failed. */
  deployError?: string;
}

/**
 * The release itself: list deployments (unless one is named), build, push --force, version,
 * deploy. Stops before pushing when the deployment is ambiguous.
 */
export function runRelease(
  options: { scriptId: string; description: string; deploymentId?: string },
  run: StepRunner = runStep,
): ReleaseResult {
  const { scriptId, description } = options;
  const deployment = options.deploymentId
    ? chooseDeployment([], options.deploymentId)
    : chooseDeployment(
        parseDeployments(
          run({ what: 'list deployments', command: 'clasp', args: listDeploymentsArgs() }, true),
        ),
      );
  const [build, push, version] = releaseSteps({ description, deployment });
  run(build, false);
  run(push, false);
  const versionNumber = parseVersionNumber(run(version, true));
  const deployStep = releaseSteps({ description, deployment, versionNumber })[3];
  try {
    const json = jsonIn(run(deployStep, true)) as { deploymentId?: unknown } | undefined;
    const deploymentId =
      typeof json?.deploymentId === 'string'
        ? json.deploymentId
        : deployment.action === 'update'
          ? deployment.deploymentId
          : undefined;
    return { scriptId, versionNumber, deploymentId, description };
  } catch (e) {
    // The version exists and is what the Marketplace needs: report it rather than hide it.
    return { scriptId, versionNumber, description, deployError: (e as Error).message };
  }
}

function main(argv: string[]): number {
  const args = parseReleaseArgs(argv);
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = (git(['status', '--porcelain']) ?? '') !== '';
  const description = args.description ?? defaultDescription(packageVersion(), commit, dirty);
  const check = checkConfigured(ROOT);

  if (args.dryRun) {
    if (!check.ok) console.log(`Note: ${check.message}\n`);
    const steps = releaseSteps({
      description,
      deployment: args.deploymentId
        ? { action: 'update', deploymentId: args.deploymentId }
        : { action: 'create' },
    });
    console.log('Release plan (dry run, nothing is run):');
    if (!args.deploymentId) {
      console.log(
        `  0. ${formatClasp(listDeploymentsArgs())}   # if the project has one versioned deployment, step 4 updates it instead`,
      );
    }
    steps.forEach((s, i) => {
      console.log(`  ${i + 1}. ${formatStep(s)}   # ${s.what}`);
    });
    return 0;
  }

  if (!check.ok) throw new Error(check.message);
  if (dirty) {
    console.warn('Warning: the working tree has uncommitted changes; they go into this version.');
  }
  const result = runRelease({
    scriptId: check.scriptId,
    description,
    deploymentId: args.deploymentId,
  });
  if (result.deployError) {
    console.error(
      `${result.deployError}\nVersion ${result.versionNumber} was created; the Marketplace SDK needs only the script ID and this number.`,
    );
  }
  console.log(releaseSummary(result));
  return result.deployError ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 1;
  }
}
