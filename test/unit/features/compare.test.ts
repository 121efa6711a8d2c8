import { strict as assert } from 'assert';
import { compareEnvironments, ENV_NAMESPACE } from '../../../server/src/features/compare';
import { copyFleetInfra, type FleetCopy } from './fleetInfraCopy';
import { makeFeatureFleet } from './harness';
import { FLUX_FLEET } from './fixtures';
import * as path from 'path';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';

const SAMPLE_FLEET = path.resolve(__dirname, '../../../examples/fleet-infra');

/** Lines that differ between the two sides, position by position (both sides are aligned line for line here). */
function changedLines(left: string, right: string): Array<[string, string]> {
  const l = left.split('\n');
  const r = right.split('\n');
  const out: Array<[string, string]> = [];
  for (let i = 0; i < Math.max(l.length, r.length); i++) if (l[i] !== r[i]) out.push([l[i], r[i]]);
  return out;
}

const headings = (text: string) => text.split('\n').filter((l) => l.startsWith('# '));

describe('features/compare', () => {
  let fleet: FleetCopy;
  before(() => (fleet = copyFleetInfra()));
  after(() => fleet.dispose());

  it('aligns objects and hides namespace-only differences, showing replicas and resources', () => {
    const result = compareEnvironments(fleet.index, { left: 'staging', right: 'production' });
    assert.deepEqual(
      headings(result.leftYaml).map((h) => h.replace(/:.*/, '')),
      headings(result.rightYaml).map((h) => h.replace(/:.*/, '')),
    );
    assert.ok(headings(result.leftYaml).includes(`# Deployment ${ENV_NAMESPACE}/my-app`));
    assert.ok(!/namespace: (staging|production)\b/.test(result.leftYaml + result.rightYaml));
    assert.ok(result.leftYaml.includes(`  namespace: ${ENV_NAMESPACE}\n`));
    // Namespaces both environments share stay as they are.
    assert.ok(result.leftYaml.includes('  namespace: cert-manager\n'));
    const deploymentLeft = result.leftYaml.slice(result.leftYaml.indexOf(`# Deployment ${ENV_NAMESPACE}/my-app`));
    const deploymentRight = result.rightYaml.slice(result.rightYaml.indexOf(`# Deployment ${ENV_NAMESPACE}/my-app`));
    const firstChange = changedLines(deploymentLeft, deploymentRight)[0];
    assert.deepEqual(firstChange, ['  replicas: 2', '  replicas: 5']);
    const myApp = result.workloads.find((w) => w.key === 'Deployment/my-app');
    assert.deepEqual(myApp?.drift, ['replicas', 'requests', 'limits']);
    assert.equal(myApp?.left?.replicas, 2);
    assert.equal(myApp?.right?.limits, 'cpu=1 memory=1Gi');
    assert.equal(myApp?.left?.requests, 'cpu=100m memory=128Mi');
    assert.deepEqual(myApp?.left?.images, ['ghcr.io/my-org/my-app:1.0.0']);
    assert.deepEqual(result.workloads.find((w) => w.key === 'Deployment/redis')?.drift, []);
  });

  it('shows image differences, and objects of one side as placeholders on the other', () => {
    const fleet2 = makeFeatureFleet({
      ...FLUX_FLEET,
      'apps/staging/secret.yaml': 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\nstringData:\n  password: hunter2\n',
      'apps/staging/kustomization.yaml': FLUX_FLEET['apps/staging/kustomization.yaml'].replace(
        '  - ../base\n',
        '  - ../base\n  - secret.yaml\n',
      ),
    });
    try {
      const result = compareEnvironments(fleet2.index, { left: 'staging', right: 'production' });
      const changes = changedLines(result.leftYaml, result.rightYaml);
      assert.ok(
        changes.some(([l, r]) => l === '      - image: nginx:1.26' && r === '      - image: nginx:1.27'),
        JSON.stringify(changes),
      );
      assert.ok(result.rightYaml.includes('# Namespace apps: not in production (only in staging)\n'));
      assert.ok(result.rightYaml.includes('# Secret creds: not in production (only in staging)\n'));
      assert.equal(result.leftYaml.split('\n---\n').length, result.rightYaml.split('\n---\n').length);
      assert.ok(!result.leftYaml.includes('hunter2'));
      assert.ok(result.leftYaml.includes("password: '***'"));
      const web = result.workloads.find((w) => w.key === 'Deployment/apps/web');
      assert.deepEqual(web?.drift, ['images', 'replicas']);
      assert.deepEqual(web?.right?.images, ['nginx:1.27']);
    } finally {
      fleet2.dispose();
    }
  });

  it('says when an environment does not exist instead of failing', () => {
    const result = compareEnvironments(fleet.index, { left: 'staging', right: 'qa' });
    assert.match(result.rightYaml, /^# environment "qa" not found\n/);
    assert.ok(result.workloads.every((w) => w.drift.includes('presence')));
  });
  it("shows origin annotations where one environment's Flux Kustomization sets spec.buildMetadata, as they are applied", () => {
    const fleet2 = makeFeatureFleet({
      ...FLUX_FLEET,
      'clusters/staging/apps.yaml': FLUX_FLEET['clusters/staging/apps.yaml'].replace(
        '  prune: true\n',
        '  prune: true\n  buildMetadata:\n    - originAnnotations\n',
      ),
    });
    try {
      const result = compareEnvironments(fleet2.index, { left: 'staging', right: 'production' });
      const web = result.leftYaml.slice(result.leftYaml.indexOf('# Deployment apps/web'));
      assert.match(web, /^ {4}config\.kubernetes\.io\/origin: \|\n {6}path: \.\.\/base\/deployment\.yaml\n/m);
      assert.ok(!result.rightYaml.includes('config.kubernetes.io/origin'), 'production applies no build metadata');
    } finally {
      fleet2.dispose();
    }
  });
});

describe('features/compare: HelmRelease values', () => {
  it('follows each HelmRelease with its merged values on both sides, so values from each environment ConfigMap diff', () => {
    const index = new FleetIndex(SAMPLE_FLEET);
    index.scan();
    const result = compareEnvironments(index, { left: 'staging', right: 'production' });
    const heading = `# HelmRelease ${ENV_NAMESPACE}/podinfo: merged values (valuesFrom, then spec.values)`;
    const valuesOf = (text: string) => text.slice(text.indexOf(heading)).split('---\n')[0];
    assert.equal(
      valuesOf(result.leftYaml),
      `${heading}\nreplicaCount: 1\nresources:\n  requests:\n    cpu: 50m\nui:\n  color: '#34577c'\n  message: Hello from podinfo\n`,
    );
    assert.match(valuesOf(result.rightYaml), /\nreplicaCount: 3\n/);
    assert.deepEqual(
      headings(result.leftYaml).map((h) => h.replace(/:.*/, '')),
      headings(result.rightYaml).map((h) => h.replace(/:.*/, '')),
      'both sides keep the same documents, values included',
    );
  });
});
