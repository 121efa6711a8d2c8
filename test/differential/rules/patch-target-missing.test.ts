import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { patchTargetMissing } from '../../../server/src/rules/patch-target-missing';
import { fleetInfraFiles, fluxKs } from '../../unit/rules/overlayRenderFixtures';
import { kubectlBuild } from './kubectl';
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

  it('is clean on the fleet-infra seed', () => {
    fleet = makeFleet(fleetInfraFiles());
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('does not trigger when the patch names an object the resources render', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- path: patch.yaml\n- target:\n    kind: Deployment\n    name: my-.*\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
      'app/staging/patch.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\nspec:\n  replicas: 2\n',
    });
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

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

  it('flags an inline patch with a misspelled kind at the kind inside the inline text', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- patch: |-\n    apiVersion: apps/v1\n    kind: Deploymnt\n    metadata:\n      name: my-app\n    spec:\n      replicas: 2\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 10 }, end: { line: 5, character: 19 } });
    assert.match(d.message, /Did you mean Deployment\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('app/staging/kustomization.yaml'), /\n {4}kind: Deployment\n/);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('warns (never an error: kustomize skips it) at a selector naming no object, at the target name, and fixes it', function () {
    const files = {
      ...base,
      'app/staging/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- target:\n    kind: Deployment\n    name: myapp\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
    };
    fleet = makeFleet(files);
    const built = kubectlBuild(this, path.join(fleet.root, 'app/staging'));
    if (built) assert.match(built.stdout, /replicas: 1\n/, 'kustomize applies nothing and says nothing');
    const [d] = fleet.check(patchTargetMissing);
    assert.strictEqual(d.severity, 'warning');
    assert.deepStrictEqual(d.range, { start: { line: 5, character: 10 }, end: { line: 5, character: 15 } });
    assert.match(d.message, /matches no object.*skips a patch whose target selects nothing, without an error.*Did you mean name my-app\?/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('app/staging/kustomization.yaml'), /name: my-app\n/);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
    assert.match(fs.readFileSync(path.join(fleet.root, 'app/staging/kustomization.yaml'), 'utf8'), /value: 3/);
  });

  it('flags a selector kind that nothing has, at the kind', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml':
        'resources:\n- ../base\npatchesJson6902:\n- target:\n    group: apps\n    version: v1\n    kind: Deploymen\n    name: my-app\n  patch: |-\n    - op: replace\n      path: /spec/replicas\n      value: 3\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(d.range, { start: { line: 6, character: 10 }, end: { line: 6, character: 19 } });
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });

  it('offers no fix when nothing is near, and never throws on a broken kustomization', () => {
    fleet = makeFleet({
      ...base,
      'app/staging/kustomization.yaml':
        'resources:\n- ../base\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /data/x\n      value: y\n',
      'app/broken/kustomization.yaml': 'resources: [\n',
    });
    const [d] = fleet.check(patchTargetMissing);
    assert.strictEqual(d.fixes, undefined);
    assert.strictEqual(d.range.start.line, 4);
  });

  it('only informs when a selector by kind or label selects nothing (objects may opt in by that label)', function () {
    fleet = makeFleet({
      ...base,
      'app/dev/kustomization.yaml':
        'resources:\n- ../base\npatches:\n# No need for autoscaling on dev\n- patch: |-\n    $patch: delete\n    apiVersion: autoscaling/v2\n    kind: HorizontalPodAutoscaler\n    metadata:\n      name: any\n  target:\n    kind: HorizontalPodAutoscaler\n    labelSelector: group=my-app\n',
    });
    const built = kubectlBuild(this, path.join(fleet.root, 'app/dev'));
    if (built) assert.match(built.stdout, /kind: Deployment/, 'kustomize builds it: the patch is skipped');
    const [d, ...rest] = fleet.check(patchTargetMissing);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'info');
    assert.match(d.message, /selects no object the resources render today, so kustomize skips this patch \(no error\)/);
  });

  it('stays silent in a bootstrap folder whose gotk-components.yaml is still the placeholder flux bootstrap fills in', function () {
    // flux2-multi-tenancy / flux2-kustomize-helm-example: clusters/<env>/flux-system as committed before bootstrap.
    const placeholder = '# This file will be generated automatically by flux bootstrap.\n';
    fleet = makeFleet({
      'clusters/staging/flux-system/gotk-components.yaml': placeholder,
      'clusters/staging/flux-system/gotk-sync.yaml': placeholder,
      'clusters/staging/flux-system/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - gotk-components.yaml\n  - gotk-sync.yaml\npatches:\n  - patch: |\n      - op: add\n        path: /spec/template/spec/containers/0/args/-\n        value: --no-remote-bases=true\n    target:\n      kind: Deployment\n      name: "kustomize-controller"\n  - patch: |\n      - op: add\n        path: /spec/serviceAccountName\n        value: kustomize-controller\n    target:\n      kind: Kustomization\n      name: "flux-system"\n',
    });
    const built = kubectlBuild(this, path.join(fleet.root, 'clusters/staging/flux-system'));
    if (built) assert.strictEqual(built.stderr, '', 'kustomize builds the placeholder folder without a word');
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
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
    assert.deepStrictEqual(
      found.map((d) => d.severity),
      ['warning', 'error'],
    );
    assert.match(found[1].message, /Kustomization apps builds from \.\/app\/base.*Did you mean my-app\?/);
    fleet.apply({ title: 'both', edits: found.flatMap((d) => d.fixes![0].edits) });
    assert.deepStrictEqual(fleet.check(patchTargetMissing), []);
  });
});
