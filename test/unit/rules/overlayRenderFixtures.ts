// Shared by the overlay-render rule tests: the fleet-infra seed as files, Flux Kustomizations, a shared cluster.
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

/** A Flux Kustomization of the repository's flux-system source. */
export const fluxKs = (name: string, specPath: string, extra = '') =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: ${name}\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ${specPath}\n${extra}`;

/** One cluster entry (clusters/shared) deploying both apps/staging and apps/production. */
export const sharedClusterFleet = (stagingKustomization: string | undefined, productionKustomization: string): Record<string, string> => ({
  'apps/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n',
  ...(stagingKustomization !== undefined
    ? { 'apps/staging/kustomization.yaml': stagingKustomization }
    : { 'apps/staging/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n' }),
  'apps/production/kustomization.yaml': productionKustomization,
  'clusters/shared/apps-staging.yaml': fluxKs('apps-staging', './apps/staging'),
  'clusters/shared/apps-production.yaml': fluxKs('apps-production', './apps/production'),
});
