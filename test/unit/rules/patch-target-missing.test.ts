import * as assert from 'assert';
import { patchTargetMissing } from '../../../server/src/rules/patch-target-missing';
import { fleetInfraFiles, fluxKs } from './overlayRenderFixtures';
import { makeFleet, type Fleet } from './harness';

const base = {
  'app/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n',
  'app/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n',
};

describe('rule patch-target-missing', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('is clean on the fleet-infra seed', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('does not trigger when the patch names an object the resources render', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n- target:\n    kind: Deployment\n    name: my-.*\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
      'app/staging/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n',
    });
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('flags an inline patch with a misspelled kind at the kind inside the inline text', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml': 'resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deploymnt\n    metadata:\n      name: my-app\n    spec:\n      replicas: 2\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 10 }, end: { line: 5, character: 19 } });
    assert.match(d.message, /Did you mean Deployment\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('app/staging/kustomization.yaml'), /\n {4}kind: Deployment\n/);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('flags a selector kind that nothing has, at the kind', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml': 'resources:\n- ../base\npatchesJson6902:\n- target:\n    group: apps\n    version: v1\n    kind: Deploymen\n    name: my-app\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(d.range, { start: { line: 6, character: 10 }, end: { line: 6, character: 19 } });
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('offers no fix when nothing is near, and never throws on a broken kustomization', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /data/x\n      value: y\n',
      'app/broken/kustomization.yaml': 'resources: [\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.strictEqual(d.fixes, undefined);
    assert.strictEqual(d.range.start.line, 4);
  });
});

describe('rule patch-target-missing on Flux spec.patches', function () {
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags a selector and an inline strategic merge patch that match nothing, with fixes', () => {
    fleet = makeFleet({
      ...base,
      'clusters/prod/apps.yaml': fluxKs(
        'apps',
        './app/base',
        '  patches:\n  - target:\n      kind: Deployment\n      name: myapp\n    patch: |-\n      - op: replace\n        path: /spec/replicas\n        value: 3\n  - patch: |-\n      apiVersion: apps/v1\n      kind: Deployment\n      metadata:\n        name: my-ap\n      spec:\n        replicas: 2\n',
      ),
    });
    const found = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(
      found.map((d) => [d.range.start.line, d.range.start.character, d.range.end.character]),
      [
        [15, 12, 17],
        [24, 14, 19],
      ],
    );
    assert.match(found[1].message, /Kustomization apps builds from \.\/app\/base.*Did you mean my-app\?/);
    fleet.apply({ title: 'both', edits: found.flatMap((d) => d.fixes![0].edits) });
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });
});
