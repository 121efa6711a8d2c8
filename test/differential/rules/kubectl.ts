// Differential-suite helpers for the rule tests: `kubectl kustomize` on a folder of a test fleet, the oracle that
// renders before and after a fix are compared with.
import { execFileSync, spawnSync } from 'child_process';
import * as path from 'path';
import type { Fleet } from '../../unit/rules/harness';
import { requireKubectl } from '../kubectl-oracle';

export { requireKubectl };

/** What `kubectl kustomize` prints for a folder of the fleet (stdout), or its error text. */
export function kubectlKustomize(fleet: Fleet, dir: string): { yaml?: string; error?: string } {
  try {
    return {
      yaml: execFileSync('kubectl', ['kustomize', path.join(fleet.root, dir)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }),
    };
  } catch (e) {
    return { error: String((e as { stderr?: string }).stderr ?? e) };
  }
}

/**
 * `kubectl kustomize <dir>`. Without kubectl: fails under CI, else skips the test loudly (this.skip()
 * ends the test, so a caller that gets here always has a result).
 */
export function kubectlBuild(test: Mocha.Context, dir: string): { stdout: string; stderr: string; status: number | null } {
  requireKubectl(test, 'the differential check of overlay renders');
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}
