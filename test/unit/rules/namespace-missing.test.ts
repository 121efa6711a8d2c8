import * as assert from 'assert';
import * as path from 'path';
import { namespaceMissing } from '../../../server/src/rules/namespace-missing';
import { makeFleet, type Fleet } from './harness';
import { fleetInfraFiles, fluxKs, sharedClusterFleet } from './overlayRenderFixtures';

describe('rule namespace-missing', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('is clean on the fleet-infra seed (one environment per cluster)', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(namespaceMissing), []);
  });

  it('does not trigger when each environment has its own cluster', () => {
    const files = sharedClusterFleet('resources:\n- ../base\n', 'resources:\n- ../base\n');
    delete files['clusters/shared/apps-staging.yaml'];
    delete files['clusters/shared/apps-production.yaml'];
    files['clusters/staging/apps.yaml'] = fluxKs('apps', './apps/staging');
    files['clusters/production/apps.yaml'] = fluxKs('apps', './apps/production');
    fleet = makeFleet(files);
    assert.deepStrictEqual(fleet.check(namespaceMissing), []);
  });

  it('does not trigger when the overlays set namespaces or the Kustomization sets targetNamespace', () => {
    const files = sharedClusterFleet('namespace: staging\nresources:\n- ../base\n', 'resources:\n- ../base\n');
    files['clusters/shared/apps-production.yaml'] = fluxKs('apps-production', './apps/production', '  targetNamespace: production\n');
    fleet = makeFleet(files);
    assert.deepStrictEqual(fleet.check(namespaceMissing), []);
  });

  it('flags each overlay without namespace on a shared cluster at its resources key and inserts the namespace', () => {
    fleet = makeFleet(sharedClusterFleet('apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\n', 'resources:\n- ../base\n'));
    const found = fleet.check(namespaceMissing);
    assert.deepStrictEqual(found.map((d) => path.relative(fleet!.root, d.file)).sort(), ['apps/production/kustomization.yaml', 'apps/staging/kustomization.yaml']);
    const staging = found.find((d) => d.file.endsWith('apps/staging/kustomization.yaml'))!;
    assert.strictEqual(staging.severity, 'warning');
    assert.deepStrictEqual(staging.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } });
    assert.match(staging.message, /sets no namespace.*cluster clusters\/shared hosts environments staging and production.*Set namespace: staging/);
    for (const d of found) fleet.apply(d.fixes![0]);
    assert.strictEqual(fleet.read('apps/staging/kustomization.yaml'), 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\nnamespace: staging\n');
    assert.strictEqual(fleet.read('apps/production/kustomization.yaml'), 'resources:\n- ../base\nnamespace: production\n');
    assert.deepStrictEqual(fleet.check(namespaceMissing), []);
  });

  it('flags a folder without kustomization.yaml at the Flux spec.path and sets targetNamespace', () => {
    fleet = makeFleet(sharedClusterFleet(undefined, 'namespace: production\nresources:\n- ../base\n'));
    const [d, ...rest] = fleet.check(namespaceMissing);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.file, path.join(fleet.root, 'clusters/shared/apps-staging.yaml'));
    assert.deepStrictEqual(d.range, { start: { line: 11, character: 8 }, end: { line: 11, character: 22 } });
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/shared/apps-staging.yaml'), /\n {2}targetNamespace: staging\n$/);
    assert.deepStrictEqual(fleet.check(namespaceMissing), []);
  });

  it('leaves overlays whose objects all name their namespace alone', () => {
    const files = sharedClusterFleet('resources:\n- ../base\n', 'namespace: production\nresources:\n- ../base\n');
    files['apps/base/deployment.yaml'] = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n  namespace: team-a\n';
    fleet = makeFleet(files);
    assert.deepStrictEqual(fleet.check(namespaceMissing), []);
  });
});
