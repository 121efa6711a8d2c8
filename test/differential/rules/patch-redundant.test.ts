import * as assert from 'assert';
import * as path from 'path';
import { patchRedundant } from '../../../server/src/rules/patch-redundant';
import { makeFleet, type Fleet } from '../../unit/rules/harness';
import { kubectlBuild } from '../rules/kubectl';

const base = {
  'app/base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
  'app/base/deployment.yaml':
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n      - name: app\n        image: app:1\n',
};
const samePatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n';
const realPatch = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 5\n';

describe('rule patch-redundant', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags a patch repeating the base values at its path and removes the entry', function () {
    fleet = makeFleet({
      ...base,
      'app/prod/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: same.yaml\n- path: replicas.yaml\n',
      'app/prod/replicas.yaml': realPatch,
      'app/prod/same.yaml': samePatch,
    });
    const before = kubectlBuild(this, path.join(fleet.root, 'app/prod')).stdout;
    const [d, ...rest] = fleet.check(patchRedundant);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'hint');
    assert.deepStrictEqual(d.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 17 } });
    assert.match(d.message, /same\.yaml .*changes nothing.*Remove the patch/);
    fleet.apply(d.fixes![0]);
    assert.strictEqual(fleet.read('app/prod/kustomization.yaml'), 'resources:\n- ../base\npatches:\n- path: replicas.yaml\n');
    assert.deepStrictEqual(fleet.check(patchRedundant), []);
    assert.strictEqual(kubectlBuild(this, path.join(fleet.root, 'app/prod')).stdout, before, 'kubectl renders the same without it');
  });
});
