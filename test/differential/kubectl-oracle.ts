// Differential-suite helper: runs the real `kubectl kustomize` on a temporary folder so that tests can compare our
// renderer with kustomize v5.5 itself.
import { execFile, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { JsonObject } from '../../server/src/kustomize/types';
import { parseObjects } from '../unit/kustomize/objects';

export { parseObjects, sortObjects } from '../unit/kustomize/objects';

let available: boolean | undefined;
const tempDirs: string[] = [];
process.on('exit', () => {
  for (const dir of tempDirs) fs.rmSync(dir, { recursive: true, force: true });
});

export function kubectlAvailable(): boolean {
  if (available === undefined) available = spawnSync('kubectl', ['version', '--client'], { stdio: 'ignore' }).status === 0;
  return available;
}

/**
 * Call in a `before` or at the start of a test: fails in CI without kubectl, otherwise skips loudly,
 * naming what was skipped. The one place every suite that compares with kubectl asks.
 */
export function requireKubectl(ctx: Mocha.Context, what = 'differential tests'): void {
  if (kubectlAvailable()) return;
  if (process.env.CI) throw new Error(`kubectl is required in CI for ${what}`);
  console.warn(`\n*** SKIPPED: kubectl not found (${what}) ***\n`);
  ctx.skip();
}

export interface OracleResult {
  objects?: JsonObject[];
  error?: string;
  dir: string;
}

function writeFolder(files: Record<string, string | Uint8Array>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-oracle-'));
  tempDirs.push(dir);
  for (const [rel, content] of Object.entries(files)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/**
 * Writes `files` (relative paths) to a fresh temp folder and runs `kubectl kustomize` on it. Calls
 * run concurrently (start them all in a `before`) to keep test files fast.
 */
export function kustomize(files: Record<string, string | Uint8Array>): Promise<OracleResult> {
  const dir = writeFolder(files);
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) resolve({ error: stderr || String(err), dir });
      else resolve({ objects: parseObjects(stdout), dir });
    });
  });
}
