// Shared by the overlay-render rule tests: the fleet-infra seed as files, and kubectl as the oracle.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { requireKubectl } from '../kustomize/kubectl-oracle';
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

/**
 * `kubectl kustomize <dir>`. Without kubectl: fails under CI, else skips the test loudly (this.skip()
 * ends the test, so a caller that gets here always has a result).
 */
export function kubectlBuild(test: Mocha.Context, dir: string): { stdout: string; stderr: string; status: number | null } {
  requireKubectl(test, 'the differential check of overlay renders');
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  return { stdout: run.stdout, stderr: run.stderr, status: run.status };
}

/** A Flux Kustomization of the repository's flux-system source. */
export const fluxKs = (name: string, specPath: string, extra = '') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ${specPath}\n${extra}`;

/** One cluster entry (clusters/shared) deploying both apps/staging and apps/production. */
export const sharedClusterFleet = (stagingKustomization: string | undefined, productionKustomization: string): Record<string, string> => ({
  'apps/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n',
  ...(stagingKustomization !== undefined ? { 'apps/staging/kustomization.yaml': stagingKustomization } : { 'apps/staging/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n' }),
  'apps/production/kustomization.yaml': productionKustomization,
  'clusters/shared/apps-staging.yaml': fluxKs('apps-staging', './apps/staging'),
  'clusters/shared/apps-production.yaml': fluxKs('apps-production', './apps/production'),
});
