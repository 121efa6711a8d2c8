// Shared by the overlay-render rule tests: the fleet-infra seed as files, and kubectl as the oracle.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const SEED = path.join(__dirname, '../../fixtures/fleet-infra');

/** The seed fleet as relative path -> text, for makeFleet. */
export function fleetInfraFiles(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const abs = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(abs);
      else out[path.relative(SEED, abs).split(path.sep).join('/')] = fs.readFileSync(abs, 'utf8');
    }
  };
  walk(SEED);
  return out;
}

let kubectlFound: boolean | undefined;

/**
 * `kubectl kustomize <dir>`. Without kubectl: fails under CI, else skips the test loudly (this.skip()
 * ends the test, so a caller that gets here always has a result).
 */
export function kubectlBuild(test: Mocha.Context, dir: string): { stdout: string; stderr: string; status: number | null } {
  if (kubectlFound === undefined) kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (!kubectlFound) {
    if (process.env.CI) throw new Error('kubectl not found, and CI is set: the differential check cannot run');
    console.warn('SKIPPED: kubectl not found');
    test.skip();
  }
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}
