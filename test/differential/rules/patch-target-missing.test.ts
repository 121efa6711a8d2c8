import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { patchTargetMissing } from '../../../server/src/rules/patch-target-missing';
import { kubectlBuild } from '../rules/kubectl';
import { makeFleet, type Fleet } from '../../unit/rules/harness';

const base = {
  'app/base/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\n',
  'app/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 1\n',
};

describe('rule patch-target-missing', function () {
  // kubectl and first renders are slow on a loaded machine; each test stays well under a second when idle.
  this.timeout(20_000);
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('flags a strategic merge patch file naming no object at its metadata.name and renames it', function () {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml': 'resources:\n- ../base\npatches:\n- path: patch.yaml\n',
      'app/staging/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-ap\nspec:\n  replicas: 2\n',
    });
    // kustomize itself refuses this build: the renderer's error is what the rule explains.
    const built = kubectlBuild(this, path.join(fleet.root, 'app/staging'));
    if (built) assert.match(built.stderr, /no resource matches strategic merge patch/);
    const [d, ...rest] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'error');
    assert.strictEqual(d.file, path.join(fleet.root, 'app/staging/patch.yaml'));
    assert.deepStrictEqual(d.range, { start: { line: 3, character: 8 }, end: { line: 3, character: 13 } });
    assert.match(d.message, /Deployment my-ap matches no object.*build fails.*Did you mean my-app\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('app/staging/patch.yaml'), /name: my-app\n/);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('flags a selector that kustomize silently ignores, at the target name, and fixes it', function () {
    const files = {
      ...base,
      'app/staging/kustomization.yaml': 'resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n    name: myapp\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
    };
    fleet = makeFleet(files);
    const built = kubectlBuild(this, path.join(fleet.root, 'app/staging'));
    if (built) assert.match(built.stdout, /replicas: 1\n/, 'kustomize applies nothing and says nothing');
    const [d] = fleet.check(patchTargetMissing);
    assert.strictEqual(d.severity, 'error');
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 10 }, end: { line: 5, character: 15 } });
    assert.match(d.message, /matches no object.*silently skips.*Did you mean name my-app\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('app/staging/kustomization.yaml'), /name: my-app\n/);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
    assert.match(fs.readFileSync(path.join(fleet.root, 'app/staging/kustomization.yaml'), 'utf8'), /value: 3/);
  });
});
