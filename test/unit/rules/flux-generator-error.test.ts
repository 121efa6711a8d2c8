import * as assert from 'assert';
import { fluxGeneratorError } from '../../../server/src/rules/flux-generator-error';
import { makeFleet, type Fleet } from './harness';

const root = `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: tenants
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./tenants
  sourceRef:
    kind: GitRepository
    name: flux-system
`;

const resourceSet = (template: string) => `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSet
metadata:
  name: tenants
  namespace: flux-system
spec:
  inputs:
    - tenant: team-a
    - tenant: team-b
  resources:
    - apiVersion: v1
      kind: Namespace
      metadata:
        name: ${template}
`;

const generator = (from: string) => `apiVersion: source.extensions.fluxcd.io/v1beta1
kind: ArtifactGenerator
metadata:
  name: split
  namespace: flux-system
spec:
  sources:
    - alias: repo
      kind: GitRepository
      name: flux-system
  artifacts:
    - name: apps
      copy:
        - from: "${from}"
          to: "@artifact/"
`;

describe('rule flux-generator-error', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger when a ResourceSet renders and an ArtifactGenerator copies something', () => {
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': '# flux bootstrap writes this file\n',
      'clusters/prod/tenants.yaml': root,
      'tenants/set.yaml': resourceSet('<< inputs.tenant >>'),
      'tenants/artifacts.yaml': generator('@repo/apps/**'),
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    assert.deepStrictEqual(fleet.check(fluxGeneratorError), []);
  });

  it('flags a ResourceSet template calling a function the operator does not have, in the ResourceSet', () => {
    fleet = makeFleet({ 'clusters/prod/tenants.yaml': root, 'tenants/set.yaml': resourceSet('<< inputs.tenant | kebabcase >>') });
    const found = fleet.check(fluxGeneratorError);
    assert.ok(found.length >= 1, 'one finding');
    assert.ok(found[0].file.endsWith('tenants/set.yaml'));
    assert.strictEqual(found[0].severity, 'error');
    assert.match(found[0].message, /kebabcase/);
  });

  it('flags an ArtifactGenerator copy rule that matches nothing, used by a Kustomization or not', () => {
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': '# flux bootstrap writes this file\n',
      'clusters/prod/tenants.yaml': root,
      'tenants/artifacts.yaml': generator('@repo/aps/**'),
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n',
    });
    const found = fleet.check(fluxGeneratorError);
    assert.strictEqual(found.length, 1);
    assert.ok(found[0].file.endsWith('tenants/artifacts.yaml'));
    assert.match(found[0].message, /aps/);
  });

  it("says, as information, that a ResourceSet's inputs from a dynamic provider exist only on the cluster", () => {
    const provider = `apiVersion: fluxcd.controlplane.io/v1
kind: ResourceSetInputProvider
metadata:
  name: pull-requests
  namespace: flux-system
spec:
  type: GitHubPullRequest
  url: https://github.com/example/app
`;
    const previews = resourceSet('preview-<< inputs.id >>').replace(
      / {2}inputs:\n( {4}- tenant: .*\n)+/,
      '  inputsFrom:\n    - kind: ResourceSetInputProvider\n      name: pull-requests\n',
    );
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': '# flux bootstrap writes this file\n',
      'clusters/prod/tenants.yaml': root,
      'tenants/set.yaml': previews,
      'tenants/provider.yaml': provider,
    });
    const found = fleet.check(fluxGeneratorError);
    assert.strictEqual(found.length, 1, JSON.stringify(found));
    assert.strictEqual(found[0].severity, 'info');
    assert.ok(found[0].file.endsWith('tenants/set.yaml'));
    assert.match(found[0].message, /ResourceSet flux-system\/tenants: .*(cluster|offline)/i);
  });
});
