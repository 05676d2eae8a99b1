import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '..');
const DIST_DIR = path.join(HERE, 'dist');
const STAMP = path.join(DIST_DIR, '.inputs.sha256');

/** The pages of the build (vite.config.ts), each served by server/routes/static-apps.ts. */
const PAGES = ['index.html', 'worklist.html', 'dashboard.html'];

/** Everything the build reads besides node_modules, whose versions the lock file stands for. */
const INPUTS = [
  'modeler/index.html',
  'modeler/worklist.html',
  'modeler/dashboard.html',
  'modeler/vite.config.ts',
  'modeler/lint-config.ts',
  'modeler/one-preact.ts',
  'modeler/precompress.ts',
  'modeler/src',
  'server/deployments/rules',
  'server/deployments/bpmn-linter.ts',
  'package-lock.json',
];

function filesUnder(relative: string): string[] {
  const absolute = path.join(ROOT, relative);
  if (!fs.existsSync(absolute)) return [];
  if (fs.statSync(absolute).isFile()) return [relative];
  return fs
    .readdirSync(absolute, { withFileTypes: true })
    .flatMap((entry) => filesUnder(path.join(relative, entry.name)))
    .sort();
}

/** A digest of the build's inputs: the build is current when the one it was made from equals it. */
export function inputsDigest(): string {
  const hash = crypto.createHash('sha256');
  for (const file of INPUTS.flatMap(filesUnder)) {
    hash.update(file.split(path.sep).join('/') + '\0');
    hash.update(fs.readFileSync(path.join(ROOT, file)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

export function isCurrent(digest = inputsDigest()): boolean {
  return (
    PAGES.every((page) => fs.existsSync(path.join(DIST_DIR, page))) &&
    fs.existsSync(STAMP) &&
    fs.readFileSync(STAMP, 'utf8').trim() === digest
  );
}

/** Builds modeler/dist with Vite unless it was already built from these very inputs. Returns whether it built. */
export async function ensureModelerBuilt(options: { force?: boolean; log?: (line: string) => void } = {}): Promise<boolean> {
  const log = options.log ?? ((line: string) => console.log(line));
  const digest = inputsDigest();
  if (!options.force && isCurrent(digest)) return false;
  let vite: typeof import('vite');
  try {
    vite = await import('vite');
  } catch {
    // A production install without dev dependencies: keep whatever build there is; the server says 503 if none.
    log(
      'modeler: vite is not installed (npm ci --omit=dev?); not building. Run "npm ci && npm run build:modeler" to build the browser apps.',
    );
    return false;
  }
  const started = Date.now();
  log('modeler: building the browser apps with Vite (modeler/dist) …');
  // The config imports our lint rules (TypeScript under server/): load it here, under tsx, rather than through Vite's loader.
  const { default: config } = await import('./vite.config');
  // Vite sets NODE_ENV=production for its build: keep the caller's (a test server built after it must stay in development).
  const nodeEnv = process.env.NODE_ENV;
  try {
    await vite.build({ ...config, configFile: false });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  fs.writeFileSync(STAMP, digest + '\n');
  log(`modeler: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const force = process.argv.includes('--force');
  ensureModelerBuilt({ force })
    .then((built) => {
      if (!built && isCurrent()) console.log('modeler: modeler/dist is up to date');
    })
    .catch((error) => {
      console.error('modeler: the build failed:', error instanceof Error ? error.message : error);
      process.exit(1);
    });
}
