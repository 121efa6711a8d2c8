import * as assert from 'assert';
import { pruneDisabled } from '../../../server/src/rules/prune-disabled';
import { makeFleet, type Fleet } from './harness';

const ks = (spec: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
${spec}  sourceRef:
    kind: GitRepository
    name: flux-system
  path: ./apps
`;

/** A root Kustomization applying ./apps, to which a test adds its `patches:`. */
const parentApplyingApps = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: cluster-apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./apps
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

describe('rule prune-disabled', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger when prune is true', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('  prune: true\n') });
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
  });

  it('does not trigger when a parent Kustomization patches prune: true into its children (as Flux applies them)', () => {
    const parent = `${parentApplyingApps}  patches:
    - target:
        group: kustomize.toolkit.fluxcd.io
        kind: Kustomization
      patch: |-
        apiVersion: kustomize.toolkit.fluxcd.io/v1
        kind: Kustomization
        metadata:
          name: not-used
        spec:
          prune: true
`;
    const child = ks('').replace('name: apps', 'name: podinfo').replace('path: ./apps', 'path: ./podinfo');
    fleet = makeFleet({
      'clusters/prod/cluster-apps.yaml': parent,
      'apps/podinfo.yaml': child,
      'podinfo/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n',
    });
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
    // Without the parent's patch, the child's own file decides.
    fleet.index.setBuffer(`${fleet.root}/clusters/prod/cluster-apps.yaml`, parent.replace(/ {2}patches:[\s\S]*$/, ''));
    const [d] = fleet.check(pruneDisabled);
    assert.ok(d.file.endsWith('apps/podinfo.yaml'));
    assert.match(d.message, /podinfo does not set prune/);
  });

  it('says nothing about a Kustomization no cluster applies (left out of the overlay): the parent that will apply it may set prune', () => {
    // xunholy/k8s-gitops: apps disabled by commenting them out of the cluster overlay, whose root patches prune: true into every child.
    const parent = `${parentApplyingApps}  patches:
    - target:
        kind: Kustomization
      patch: |-
        - op: add
          path: /spec/prune
          value: true
`;
    const app = (name: string) => ks('').replace('name: apps', `name: ${name}`).replace('path: ./apps', `path: ./${name}`);
    fleet = makeFleet({
      'clusters/prod/cluster-apps.yaml': parent,
      'apps/kustomization.yaml': 'resources:\n  - podinfo.yaml\n  # - disabled.yaml\n',
      'apps/podinfo.yaml': app('podinfo'),
      'apps/disabled.yaml': app('disabled'),
      'podinfo/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: podinfo\n',
      'disabled/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: disabled\n',
    });
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
    // Once the root applies it without the patch, its own file decides.
    fleet.index.setBuffer(`${fleet.root}/clusters/prod/cluster-apps.yaml`, parent.replace(/ {2}patches:[\s\S]*$/, ''));
    fleet.index.setBuffer(`${fleet.root}/apps/kustomization.yaml`, 'resources:\n  - podinfo.yaml\n  - disabled.yaml\n');
    assert.deepStrictEqual(
      fleet
        .check(pruneDisabled)
        .map((d) => d.file.replace(`${fleet!.root}/`, ''))
        .sort(),
      ['apps/disabled.yaml', 'apps/podinfo.yaml'],
    );
  });

  it('does not look at other kinds named Kustomization', () => {
    fleet = makeFleet({ 'apps/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: []\n' });
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
  });

  it('flags a missing prune at spec and inserts prune: true among its siblings', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('') });
    const [d] = fleet.check(pruneDisabled);
    assert.strictEqual(d.severity, 'warning');
    assert.strictEqual(d.range.start.line, 5);
    assert.match(d.message, /does not set prune/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /\n {2}path: \.\/apps\n {2}prune: true\n$/);
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
  });

  it('gives only a hint for a bare prune: false (a choice, not a forgotten field), at the value, and flips it', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('  prune: false\n') });
    const [d, ...rest] = fleet.check(pruneDisabled);
    assert.deepStrictEqual(rest, []);
    assert.strictEqual(d.severity, 'hint');
    assert.strictEqual(d.range.start.line, 7);
    assert.match(d.message, /sets prune: false.*say why in a comment/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), / {2}prune: true\n/);
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
  });

  it('says nothing about prune: false when a comment beside it or above it, or an annotation, says why', () => {
    // bjw-s home-ops: flux-instance, flux-operator, coredns all carry `prune: false # Never delete this`.
    fleet = makeFleet({
      'kubernetes/apps/flux-system/flux-instance/ks.yaml': ks('  prune: false # Never delete this\n'),
      'cluster/crds/kyverno/crds.yaml': ks('  # never prune: removing the CRDs would delete every policy\n  prune: false\n'),
      'cluster/flux/core.yaml': ks('  prune: false\n').replace(
        '  namespace: flux-system\n',
        '  namespace: flux-system\n  annotations:\n    fluxenv.io/why: CRDs must never be pruned\n',
      ),
    });
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
  });

  it('does not take a suppression directive or a comment two lines up for a reason', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': ks('  # about the interval\n  timeout: 5m\n  prune: false # fluxenv-disable-line other-rule\n'),
    });
    const [d] = fleet.check(pruneDisabled);
    assert.strictEqual(d.severity, 'hint');
  });

  it('can be suppressed for one occurrence', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('').replace('spec:\n', '# fluxenv-disable-next-line prune-disabled\nspec:\n') });
    assert.deepStrictEqual(fleet.check(pruneDisabled), []);
  });
});
