import * as assert from 'assert';
import * as path from 'path';
import { imageUnused } from '../../../server/src/rules/image-unused';
import { makeFleet, type Fleet } from '../../unit/rules/harness';
import { kubectlBuild } from '../rules/kubectl';

const base = {
  'app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'app/base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: init\n        image: busybox:1.36\n      containers:\n      - name: app\n        image: ghcr.io/my-org/my-app:1.0.0\n',
};

describe('rule image-unused', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not flag entries that match a container or init container, renamed or retagged', function () {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml':
        'resources:\n- ../base\nimages:\n- name: ghcr.io/my-org/my-app\n  newName: registry.example.com/my-app\n  newTag: 2.0.0\n- name: busybox\n  newTag: "1.37"\n',
    });
    const built = kubectlBuild(this, path.join(fleet.root, 'app/prod'));
    assert.match(built.stdout, /image: registry\.example\.com\/my-app:2\.0\.0/);
    assert.match(built.stdout, /image: busybox:1\.37/);
    assert.deepStrictEqual(fleet.check(imageUnused), []);
  });

  it('flags a misspelled image name at the name and fixes it to the nearest container image', function () {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\nimages:\n- name: ghcr.io/my-org/my-ap\n  newTag: 2.0.0\n',
    });
    const built = kubectlBuild(this, path.join(fleet.root, 'app/prod'));
    assert.match(built.stdout, /image: ghcr\.io\/my-org\/my-app:1\.0\.0/, 'kustomize leaves the image alone, silently');
    const [d, ...rest] = fleet.check(imageUnused);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'warning');
    assert.deepStrictEqual(d.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 28 } });
    assert.match(d.message, /matches no container image.*never applied.*Did you mean ghcr\.io\/my-org\/my-app\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('app/prod/kustomization.yaml'), /- name: ghcr\.io\/my-org\/my-app\n {2}newTag: 2\.0\.0\n/);
    assert.deepStrictEqual(fleet.check(imageUnused), []);
  });
});
