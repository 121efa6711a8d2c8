import * as assert from 'assert';
import { sourceRefUnknown } from '../../../server/src/rules/sourceref-unknown';
import { makeFleet, type Fleet } from './harness';

const sync = `apiVersion: source.toolkit.fluxcd.io/v1
kind: GitRepository
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 1m0s
  ref:
    branch: main
  url: ssh://git@github.com/my-org/fleet-infra
`;

const ks = (source: string) => `apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: apps
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  sourceRef:
${source}  path: ./apps
`;

const repo = (ns: string) => `apiVersion: source.toolkit.fluxcd.io/v1
kind: HelmRepository
metadata:
  name: jetstack
${ns}spec:
  interval: 24h
  url: https://charts.jetstack.io
`;

const release = (sourceRef: string) => `apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata:
  name: cert-manager
  namespace: cert-manager
spec:
  interval: 30m
  chart:
    spec:
      chart: cert-manager
      sourceRef:
${sourceRef}`;

describe('rule sourceref-unknown', () => {
  let fleet: Fleet | undefined;
  afterEach(() => fleet?.dispose());

  it('does not trigger when the bootstrap GitRepository or a HelmRepository (namespace from an overlay) is referenced', () => {
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': sync,
      'clusters/prod/apps.yaml': ks('    kind: GitRepository\n    name: flux-system\n'),
      'infra/cert-manager/repository.yaml': repo(''),
      'infra/cert-manager/release.yaml': release('        kind: HelmRepository\n        name: jetstack\n'),
    });
    assert.deepStrictEqual(fleet.check(sourceRefUnknown), []);
  });

  it('says nothing about objects no cluster applies (an app left out of every overlay), until a cluster applies them', () => {
    const bootstrap = `${sync}---
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata:
  name: flux-system
  namespace: flux-system
spec:
  interval: 10m
  prune: true
  path: ./clusters/prod
  sourceRef:
    kind: GitRepository
    name: flux-system
`;
    const disabledApp = ks('    kind: ExternalArtifact\n    name: retired-app\n').replace('name: apps', 'name: retired-app');
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': bootstrap,
      'apps/retired/ks.yaml': disabledApp,
    });
    assert.deepStrictEqual(fleet.check(sourceRefUnknown), []);
    // Applied by the cluster, the missing artifact is a real wait.
    fleet.index.setBuffer(
      `${fleet.root}/clusters/prod/retired.yaml`,
      ks('    kind: GitRepository\n    name: flux-system\n')
        .replace('name: apps', 'name: retired')
        .replace('path: ./apps', 'path: ./apps/retired'),
    );
    const [d, ...rest] = fleet.check(sourceRefUnknown);
    assert.deepStrictEqual(rest, []);
    assert.ok(d.file.endsWith('apps/retired/ks.yaml'));
    assert.match(d.message, /ExternalArtifact retired-app/);
  });

  it('takes the flux-system GitRepository of a clusters/<name>/ folder not bootstrapped yet as the one flux bootstrap creates', () => {
    // stefanprodan/gitops-istio: clusters/my-cluster holds the Kustomizations; `flux bootstrap --path=clusters/my-cluster` adds flux-system/.
    fleet = makeFleet({
      'clusters/my-cluster/apps.yaml': ks('    kind: GitRepository\n    name: flux-system\n'),
      'apps/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: apps\n',
    });
    assert.deepStrictEqual(fleet.check(sourceRefUnknown), []);
    fleet.index.setBuffer(`${fleet.root}/clusters/my-cluster/apps.yaml`, ks('    kind: GitRepository\n    name: flux-sytem\n'));
    const [d] = fleet.check(sourceRefUnknown);
    assert.match(d.message, /GitRepository flux-sytem in namespace flux-system, which is not defined in cluster my-cluster/);
  });

  it('flags a misspelt source name at the name and corrects it', () => {
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': sync,
      'clusters/prod/apps.yaml': ks('    kind: GitRepository\n    name: flux-sytem\n'),
    });
    const [d] = fleet.check(sourceRefUnknown);
    assert.strictEqual(d.severity, 'warning');
    assert.deepStrictEqual(d.range, { start: { line: 10, character: 10 }, end: { line: 10, character: 20 } });
    assert.match(d.message, /names GitRepository flux-sytem in namespace flux-system, which is not defined in cluster prod/);
    assert.match(d.message, /applies nothing\. Did you mean "flux-system"\?/);
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(sourceRefUnknown), []);
  });

  it('flags a kind a Kustomization cannot use and switches to the kind that is defined', () => {
    fleet = makeFleet({
      'clusters/prod/flux-system/gotk-sync.yaml': sync,
      'clusters/prod/apps.yaml': ks('    kind: HelmRepository\n    name: flux-system\n'),
    });
    const [d] = fleet.check(sourceRefUnknown);
    assert.deepStrictEqual(d.range.start, { line: 9, character: 10 });
    assert.match(
      d.message,
      /spec\.sourceRef\.kind HelmRepository is not a kind it can use; it takes OCIRepository, GitRepository, Bucket, ExternalArtifact\. Use GitRepository/,
    );
    fleet.apply(d.fixes![0]);
    assert.deepStrictEqual(fleet.check(sourceRefUnknown), []);
  });

  it('flags a HelmRelease whose HelmRepository lives in another namespace and adds the namespace', () => {
    fleet = makeFleet({
      'infra/cert-manager/repository.yaml': repo('  namespace: flux-system\n'),
      'infra/cert-manager/release.yaml': release('        kind: HelmRepository\n        name: jetstack\n'),
    });
    const [d] = fleet.check(sourceRefUnknown);
    assert.deepStrictEqual(d.range, { start: { line: 12, character: 14 }, end: { line: 12, character: 22 } });
    assert.match(d.message, /looks for HelmRepository jetstack in namespace cert-manager, but it is defined in namespace flux-system/);
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('infra/cert-manager/release.yaml'), /\n {8}name: jetstack\n {8}namespace: flux-system\n$/);
    assert.deepStrictEqual(fleet.check(sourceRefUnknown), []);
  });

  it('flags a chartRef to nothing, without a fix when no name is near', () => {
    fleet = makeFleet({
      'apps/podinfo.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n  chartRef:\n    kind: OCIRepository\n    name: podinfo-chart\n',
    });
    const [d] = fleet.check(sourceRefUnknown);
    assert.deepStrictEqual(d.range.start, { line: 9, character: 10 });
    assert.match(
      d.message,
      /HelmRelease podinfo: spec\.chartRef names OCIRepository podinfo-chart .* nothing is released\. Define the OCIRepository, or fix the name\./,
    );
    assert.strictEqual(d.fixes, undefined);
  });

  // Which kinds a reference may name is Flux's CRD enum; whether the named ExternalArtifact exists is
  // another question (an ArtifactGenerator makes it), so these cases only say the kind is not refused.
  const refusedKind = (fleet: Fleet) => fleet.check(sourceRefUnknown).filter((d) => /is not a kind it can use/.test(d.message));

  it('accepts ExternalArtifact as the kind of a Kustomization sourceRef and of a HelmRelease chartRef', () => {
    fleet = makeFleet({
      'clusters/prod/apps.yaml': ks('    kind: ExternalArtifact\n    name: apps-artifact\n'),
      'apps/podinfo.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n  chartRef:\n    kind: ExternalArtifact\n    name: podinfo-chart\n',
    });
    assert.deepStrictEqual(refusedKind(fleet), []);
  });

  it('still refuses a misspelt kind, suggesting the nearest kind the CRD allows', () => {
    fleet = makeFleet({ 'clusters/prod/apps.yaml': ks('    kind: ExternalArtefact\n    name: apps-artifact\n') });
    const [d] = refusedKind(fleet);
    assert.match(
      d.message,
      /spec\.sourceRef\.kind ExternalArtefact is not a kind it can use; it takes OCIRepository, GitRepository, Bucket, ExternalArtifact\. Use ExternalArtifact\./,
    );
    fleet.apply(d.fixes![0]);
    assert.match(fleet.read('clusters/prod/apps.yaml'), /kind: ExternalArtifact\n/);
    assert.deepStrictEqual(refusedKind(fleet), []);
  });

  it('refuses ExternalArtifact where the CRD does not list it: a chart template sourceRef', () => {
    fleet = makeFleet({
      'apps/podinfo.yaml':
        'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: podinfo\n  namespace: apps\nspec:\n  interval: 10m\n  chart:\n    spec:\n      chart: podinfo\n      sourceRef:\n        kind: ExternalArtifact\n        name: podinfo\n',
    });
    const [d] = refusedKind(fleet);
    assert.match(
      d.message,
      /spec\.chart\.spec\.sourceRef\.kind ExternalArtifact is not a kind it can use; it takes HelmRepository, GitRepository, Bucket\./,
    );
  });
});
