import * as assert from 'assert';
import * as path from 'path';
import { imageUnused } from '../../../server/src/rules/image-unused';
import { makeFleet, type Fleet } from './harness';
import { fleetInfraFiles } from './overlayRenderFixtures';

const base = {
  'app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'app/base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: busybox:1.36\n      containers:\n      - name: app\n        image: ghcr.io/my-org/my-app:1.0.0\n',
};
const fluxKs = (images: string) =>
  `apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata:\n  name: apps\n  namespace: flux-system\nspec:\n  interval: 10m\n  prune: true\n  sourceRef:\n    kind: GitRepository\n    name: flux-system\n  path: ./app/base\n  images:\n${images}`;

describe('rule image-unused', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('is clean on the fleet-infra seed', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(imageUnused), []);
  });

  it('flags a registry-less name (kustomize matches the whole name) with a fix', () => {
    fleet = makeFleet({ ...base, 'app/prod/kustomization.yaml': 'resources:\n- ../base\nimages:\n- name: my-app\n  newTag: 2.0.0\n' });
    const [d] = fleet.check(imageUnused);
    assert.strictEqual(d.range.start.line, 3);
    assert.match(d.message, /Its containers use|Did you mean/);
  });

  it("flags a Flux Kustomization's spec.images entry", () => {
    fleet = makeFleet({
      ...base,
      'clusters/prod/apps.yaml': fluxKs('  - name: busybx\n    newTag: "1.37"\n  - name: ghcr.io/my-org/my-app\n    newTag: 2.0.0\n'),
    });
    const [d, ...rest] = fleet.check(imageUnused);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.file, path.join(fleet.root, 'clusters/prod/apps.yaml'));
    assert.deepStrictEqual(d.range, { start: { line: 13, character: 10 }, end: { line: 13, character: 16 } });
    assert.match(d.message, /Kustomization apps/);
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(imageUnused), []);
  });

  it('gives no finding when the folder does not build', () => {
    fleet = makeFleet({ 'app/prod/kustomization.yaml': 'resources:\n- nothing-here\nimages:\n- name: x\n  newTag: y\n' });
    assert.deepStrictEqual(fleet.check(imageUnused), []);
  });
});
