/**
 * Which Chromium the browser tests (and any screenshot script) drive, first found wins:
 *
 * 1. `CHROMIUM_PATH`, when set and not empty — it must exist;
 * 2. the Chromium shipped inside the npm devDependency `@sparticuz/chromium` (a brotli-packed
 *    headless-shell binary, `bin/chromium.br`): `npm ci` is all it takes, no root, no apt. It is
 *    unpacked once per package version into `node_modules/.cache/` (≈ 190 MB, ~1.5 s);
 * 3. Debian's `/usr/bin/chromium` (`apt-get install chromium`).
 *
 * `node --import tsx scripts/chromium.ts` prints the choice.
 *
 * The package's own `executablePath()` is not used: it unpacks to a fixed `/tmp/chromium` that it
 * trusts whatever version left it there, writes it in place (two test workers unpacking at once
 * could run a half-written file), and also unpacks fonts and SwiftShader we do not need. Here the
 * binary goes to a per-version folder, written beside its name and renamed over it.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

export const DEBIAN_CHROMIUM = '/usr/bin/chromium';
export const NPM_CHROMIUM_PACKAGE = '@sparticuz/chromium';

/**
 * Launch flags for every Chromium above. Of the flags `@sparticuz/chromium`'s `chromium.args`
 * proposes (for AWS Lambda) none is needed here, and several must not be used: `--single-process`
 * and `--no-zygote` (Lambda's seccomp limits; fragile elsewhere), `--disable-web-security`,
 * `--allow-running-insecure-content`, `--disable-site-isolation-trials` and
 * `--disable-features=IsolateOrigins,site-per-process` (would void the preview's origin tests),
 * SwiftShader/ANGLE flags (no GPU: `--disable-gpu`), `--headless='shell'` (the binary is the
 * headless shell; `--headless` is kept).
 */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface FoundChromium {
  path: string;
  /** Where it came from: the env variable, the npm package (with its version), or Debian. */
  source: string;
}

export const NO_CHROMIUM = `No Chromium for the browser tests. Any one of these will do:
  npm ci                                 # installs ${NPM_CHROMIUM_PACKAGE}, a Chromium inside an npm package (no root needed)
  CHROMIUM_PATH=/path/to/chromium npm test
  apt-get install chromium               # Debian's, at ${DEBIAN_CHROMIUM}`;

/** The installed package's folder, or undefined when it is not installed. */
function npmPackageDir(): string | undefined {
  try {
    // Its "exports" hide package.json: up from the entry point (build/…/index.*) to the folder.
    let dir = dirname(createRequire(import.meta.url).resolve(NPM_CHROMIUM_PACKAGE));
    while (dirname(dir) !== dir) {
      const manifest = join(dir, 'package.json');
      if (
        existsSync(manifest) &&
        JSON.parse(readFileSync(manifest, 'utf8')).name === NPM_CHROMIUM_PACKAGE
      )
        return dir;
      dir = dirname(dir);
    }
  } catch {
    // not installed
  }
  return undefined;
}

/** Unpacks the package's binary once per version (atomically); returns its path. */
function npmChromium(dir: string): FoundChromium | undefined {
  const packed = join(dir, 'bin', 'chromium.br');
  if (!existsSync(packed)) return undefined;
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
    version: string;
  };
  const source = `npm ${NPM_CHROMIUM_PACKAGE}@${version}`;
  // node_modules/.cache/ goes away with node_modules; the system temp folder if it is read-only.
  const homes = [
    join(dir, '..', '..', '.cache', 'sparticuz-chromium', version),
    join(tmpdir(), `sparticuz-chromium-${version}`),
  ];
  for (const home of homes) {
    const path = join(home, 'chromium');
    if (existsSync(path)) return { path, source };
  }
  let failure: unknown;
  for (const home of homes) {
    const path = join(home, 'chromium');
    const temp = `${path}.${process.pid}.${Date.now()}.tmp`;
    try {
      mkdirSync(home, { recursive: true });
      writeFileSync(temp, brotliDecompressSync(readFileSync(packed)), { mode: 0o755 });
      renameSync(temp, path);
      return { path, source };
    } catch (e) {
      failure = e;
      rmSync(temp, { force: true });
    }
  }
  throw new Error(`could not unpack ${packed}: ${String(failure)}`);
}

/** The Chromium to drive (see the file's comment); throws {@link NO_CHROMIUM} if there is none. */
export function findChromium(env: NodeJS.ProcessEnv = process.env): FoundChromium {
  const given = env.CHROMIUM_PATH;
  if (given) {
    if (!existsSync(given))
      throw new Error(`CHROMIUM_PATH=${given} does not exist.\n${NO_CHROMIUM}`);
    return { path: given, source: 'CHROMIUM_PATH' };
  }
  const dir = npmPackageDir();
  const npm = dir === undefined ? undefined : npmChromium(dir);
  if (npm) return npm;
  if (existsSync(DEBIAN_CHROMIUM)) return { path: DEBIAN_CHROMIUM, source: 'Debian' };
  throw new Error(NO_CHROMIUM);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = findChromium();
  console.log(`${found.path}  (${found.source})`);
}
