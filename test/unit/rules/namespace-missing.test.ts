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
    fleet = makeFleet(
      sharedClusterFleet(
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\n',
        'resources:\n- ../base\n',
      ),
    );
    const found = fleet.check(namespaceMissing);
    assert.deepStrictEqual(found.map((d) => path.relative(fleet!.root, d.file)).sort(), [
      'apps/production/kustomization.yaml',
      'apps/staging/kustomization.yaml',
    ]);
    const staging = found.find((d) => d.file.endsWith('apps/staging/kustomization.yaml'))!;
    assert.strictEqual(staging.severity, 'warning');
    assert.deepStrictEqual(staging.range, { start: { line: 2, character: 0 }, end: { line: 2, character: 9 } });
    assert.match(
      staging.message,
      /sets no namespace.*cluster clusters\/shared hosts environments staging and production.*Set namespace: staging/,
    );
    for (const d of found) fleet.apply(d.fixes![0]);
    assert.strictEqual(
      fleet.read('apps/staging/kustomization.yaml'),
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- ../base\nnamespace: staging\n',
    );
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

  describe('on dedicated clusters: an overlay without namespace while every sibling overlay of its base sets one', () => {
    it("flags the seed fleet with production's namespace removed, in apps/production, and inserts it", () => {
      const files = fleetInfraFiles();
      files['apps/production/kustomization.yaml'] = files['apps/production/kustomization.yaml'].replace('namespace: production\n', '');
      fleet = makeFleet(files);
      const [d, ...rest] = fleet.check(namespaceMissing);
      assert.deepStrictEqual(rest, []);
      assert.strictEqual(d.severity, 'warning');
      assert.strictEqual(path.relative(fleet.root, d.file), 'apps/production/kustomization.yaml');
      assert.match(
        d.message,
        /Overlay apps\/production \(production\) sets no namespace, while every other environment's overlay of apps\/base\/my-app does \(apps\/staging: staging\)/,
      );
      assert.match(d.message, /land in the default namespace/);
      assert.strictEqual(path.relative(fleet.root, d.related![0].file), 'apps/staging/kustomization.yaml');
      fleet.apply(d.fixes![0]);
      assert.match(fleet.read('apps/production/kustomization.yaml'), /\nnamespace: production\n/);
      assert.deepStrictEqual(fleet.check(namespaceMissing), []);
    });

    it("names the namespace after the siblings' pattern (shop-dev, shop-stg -> shop-prod)", () => {
      const overlay = (ns: string) => `${ns ? `namespace: ${ns}\n` : ''}resources:\n- ../base\n`;
      fleet = makeFleet({
        'apps/shop/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
        'apps/shop/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: shop\n',
        'apps/shop/dev/kustomization.yaml': overlay('shop-dev'),
        'apps/shop/stg/kustomization.yaml': overlay('shop-stg'),
        'apps/shop/prod/kustomization.yaml': overlay(''),
      });
      const [d, ...rest] = fleet.check(namespaceMissing);
      assert.deepStrictEqual(rest, []);
      assert.ok(d.file.endsWith('apps/shop/prod/kustomization.yaml'));
      assert.strictEqual(d.fixes![0].title, 'Set namespace: shop-prod');
    });

    it('stays silent when no sibling sets a namespace, the base sets one, or Flux sets targetNamespace', () => {
      const files = fleetInfraFiles();
      for (const env of ['staging', 'production'])
        files[`apps/${env}/kustomization.yaml`] = files[`apps/${env}/kustomization.yaml`].replace(`namespace: ${env}\n`, '');
      fleet = makeFleet(files);
      assert.deepStrictEqual(fleet.check(namespaceMissing), [], 'no sibling sets one: the fleet does not isolate by namespace');
      fleet.dispose();

      const withBase = fleetInfraFiles();
      withBase['apps/production/kustomization.yaml'] = withBase['apps/production/kustomization.yaml'].replace(
        'namespace: production\n',
        '',
      );
      withBase['apps/base/my-app/kustomization.yaml'] += 'namespace: my-app\n';
      withBase['apps/base/redis/kustomization.yaml'] += 'namespace: my-app\n';
      fleet = makeFleet(withBase);
      assert.deepStrictEqual(fleet.check(namespaceMissing), [], 'the base sets one');
      fleet.dispose();

      const withTarget = fleetInfraFiles();
      withTarget['apps/production/kustomization.yaml'] = withTarget['apps/production/kustomization.yaml'].replace(
        'namespace: production\n',
        '',
      );
      withTarget['clusters/production/apps.yaml'] = withTarget['clusters/production/apps.yaml'].replace(
        '  prune: true\n',
        '  prune: true\n  targetNamespace: production\n',
      );
      fleet = makeFleet(withTarget);
      assert.deepStrictEqual(fleet.check(namespaceMissing), [], 'the Flux Kustomization sets targetNamespace');
    });
  });
});
