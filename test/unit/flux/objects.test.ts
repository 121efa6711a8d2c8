import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import {
  classifyFluxObject,
  readFluxObject,
  shortenReleaseName,
  type FluxKustomization,
  type GitRepository,
  type HelmRelease,
  type OCIRepository,
} from '../../../server/src/flux/objects';
import type { JsonObject } from '../../../server/src/kustomize/types';

const place = { file: '/repo/clusters/prod/apps.yaml', documentIndex: 0 };
const read = (text: string, defaultNamespace?: string) =>
  readFluxObject(parse(text) as JsonObject, place, defaultNamespace ? { defaultNamespace } : {});

describe('flux/objects', () => {
  it('classifies Flux objects by group, kind and served version', () => {
    assert.deepEqual(classifyFluxObject({ apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization' }), {
      kind: 'Kustomization',
      group: 'kustomize.toolkit.fluxcd.io',
      version: 'v1',
      knownVersion: true,
      served: true,
      deprecated: false,
    });
    assert.equal(
      classifyFluxObject({ apiVersion: 'kustomize.config.k8s.io/v1beta1', kind: 'Kustomization' }),
      undefined,
      'a kustomization.yaml is not a Flux object',
    );
    assert.equal(classifyFluxObject({ apiVersion: 'helm.toolkit.fluxcd.io/v2beta1', kind: 'HelmRelease' })!.knownVersion, true);
    assert.equal(classifyFluxObject({ apiVersion: 'helm.toolkit.fluxcd.io/v3', kind: 'HelmRelease' })!.knownVersion, false);
    assert.equal(classifyFluxObject({ apiVersion: 'v1', kind: 'ConfigMap' }), undefined);
  });

  it('classifies every kind Flux defines, including the ones it reads no typed view of', () => {
    assert.equal(classifyFluxObject({ apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'ExternalArtifact' })?.served, true);
    assert.equal(classifyFluxObject({ apiVersion: 'source.extensions.fluxcd.io/v1beta1', kind: 'ArtifactGenerator' })?.served, true);
    for (const kind of ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider']) {
      assert.equal(classifyFluxObject({ apiVersion: 'fluxcd.controlplane.io/v1', kind })?.group, 'fluxcd.controlplane.io', kind);
    }
    const instance = read(
      'apiVersion: fluxcd.controlplane.io/v1\nkind: FluxInstance\nmetadata: { name: flux, namespace: flux-system }\nspec:\n  distribution: { version: "2.x", registry: ghcr.io/fluxcd }\n',
    );
    assert.deepEqual(instance, { value: undefined, problems: [] }, 'no typed view, and nothing wrong with it');
    const misnamed = read('apiVersion: fluxcd.controlplane.io/v2\nkind: ResourceSet\nmetadata: { name: apps }\n');
    assert.deepEqual(
      misnamed.problems.map((p) => [p.code, p.message]),
      [
        [
          'flux-unknown-api-version',
          'ResourceSet "apps": apiVersion fluxcd.controlplane.io/v2 is not served for ResourceSet; use fluxcd.controlplane.io/v1.',
        ],
      ],
    );
  });

  it('warns, naming the last Flux that served it, about an apiVersion Flux no longer serves', () => {
    const { value, problems } = read(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1beta2\nkind: Kustomization\nmetadata: { name: apps, namespace: flux-system }\nspec:\n  interval: 10m\n  prune: true\n  sourceRef: { kind: GitRepository, name: flux-system }\n',
    );
    assert.equal(value?.kind, 'Kustomization', 'still read: a cluster on Flux 2.7 applies it');
    assert.deepEqual(
      problems.map((p) => [p.code, p.severity, p.message]),
      [
        [
          'flux-removed-api-version',
          'warning',
          'Kustomization "apps": apiVersion kustomize.toolkit.fluxcd.io/v1beta2 is not served by Flux after 2.7 (Flux 2.9 refuses it); use kustomize.toolkit.fluxcd.io/v1.',
        ],
      ],
    );
  });

  it('reads the docs example Kustomization with the controller defaults', () => {
    const { value, problems } = read(`
apiVersion: kustomize.toolkit.fluxcd.io/v1
kind: Kustomization
metadata: { name: apps, namespace: flux-system }
spec:
  interval: 10m
  path: ./apps/production
  prune: true
  sourceRef: { kind: GitRepository, name: flux-system }
  dependsOn: [{ name: infrastructure }, { name: crds, namespace: kube-system }]
  healthChecks: [{ apiVersion: apps/v1, kind: Deployment, name: backend, namespace: dev }]
  postBuild:
    substitute: { cluster_env: prod }
    substituteFrom: [{ kind: ConfigMap, name: cluster-vars, optional: true }, { kind: Secret, name: cluster-secret-vars }]
`);
    assert.deepEqual(problems, []);
    const k = value as FluxKustomization;
    assert.equal(k.kind, 'Kustomization');
    assert.equal(k.path, './apps/production');
    assert.equal(k.prune, true);
    assert.equal(k.wait, false);
    assert.deepEqual(
      [k.sourceRef!.kind, k.sourceRef!.name, k.sourceRef!.namespace, k.sourceRef!.namespaceWritten],
      ['GitRepository', 'flux-system', 'flux-system', false],
    );
    assert.deepEqual(
      k.dependsOn.map((d) => [d.name, d.namespace, d.namespaceWritten]),
      [
        ['infrastructure', 'flux-system', false],
        ['crds', 'kube-system', true],
      ],
    );
    assert.deepEqual(k.dependsOn[1].path, ['spec', 'dependsOn', 1]);
    assert.equal(k.healthChecks[0].namespace, 'dev');
    assert.deepEqual(k.postBuild!.substitute, { cluster_env: 'prod' });
    assert.deepEqual(
      k.postBuild!.substituteFrom.map((s) => [s.kind, s.name, s.optional]),
      [
        ['ConfigMap', 'cluster-vars', true],
        ['Secret', 'cluster-secret-vars', false],
      ],
    );
    assert.equal(k.deletionPolicy, 'MirrorPrune');
  });

  it('defaults the namespace of an object that names none, and its references with it', () => {
    const k = read(
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: a }\nspec: { sourceRef: { kind: GitRepository, name: s }, dependsOn: [{ name: b }] }',
      'flux-system',
    ).value as FluxKustomization;
    assert.equal(k.namespace, 'flux-system');
    assert.equal(k.namespaceWritten, false);
    assert.equal(k.dependsOn[0].namespace, 'flux-system');
    assert.equal(k.sourceRef!.namespace, 'flux-system');
  });

  it('reports wrongly typed fields at their place instead of throwing', () => {
    const rangeOf = (path: ReadonlyArray<string | number>) =>
      path.join('.') === 'spec.prune' ? { start: { line: 5, character: 9 }, end: { line: 5, character: 15 } } : undefined;
    const { value, problems } = readFluxObject(
      parse(
        'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nmetadata: { name: a }\nspec:\n  interval: 5m\n  prune: "true"\n  dependsOn: nope\n  postBuild: { substitute: { n: 3 } }',
      ) as JsonObject,
      { ...place, rangeOf },
    );
    assert.ok(value);
    assert.deepEqual(
      problems.map((p) => p.code),
      ['flux-field-type', 'flux-field-type', 'flux-field-type'],
    );
    const prune = problems.find((p) => p.message.includes('spec.prune'))!;
    assert.match(prune.message, /spec\.prune must be true or false; got a string "true" \(remove the quotes\)/);
    assert.deepEqual(prune.range, { start: { line: 5, character: 9 }, end: { line: 5, character: 15 } });
    assert.ok(problems.some((p) => /spec\.dependsOn must be a list; got a string\./.test(p.message)));
    assert.ok(problems.some((p) => /spec\.postBuild\.substitute\.n must be a string; got a number\. Quote the value\./.test(p.message)));
  });

  it('applies GitRepository ref precedence and says when it tracks a moving branch', () => {
    const git = (ref: string) =>
      read(
        `apiVersion: source.toolkit.fluxcd.io/v1\nkind: GitRepository\nmetadata: { name: s, namespace: flux-system }\nspec: { url: https://x, ref: ${ref} }`,
      ).value as GitRepository;
    assert.deepEqual(git('{ branch: main }').effectiveRef, { kind: 'branch', value: 'main', defaulted: false });
    assert.ok(git('{ branch: main }').tracksMovingRef);
    assert.equal(git('{ branch: main, tag: v1.0.0 }').effectiveRef.kind, 'tag');
    assert.equal(git('{ tag: v1.0.0, semver: ">=1.0.0" }').effectiveRef.kind, 'semver');
    assert.equal(git('{ semver: "1.x", name: refs/tags/v1 }').effectiveRef.kind, 'name');
    assert.equal(git('{ name: refs/tags/v1, commit: abc }').effectiveRef.kind, 'commit');
    assert.ok(git('{ name: refs/heads/main }').tracksMovingRef);
    assert.ok(!git('{ semver: "1.x" }').tracksMovingRef);
    assert.deepEqual(git('null').effectiveRef, { kind: 'branch', value: 'master', defaulted: true });
  });

  it('applies OCIRepository ref precedence (digest > semver > tag, default latest)', () => {
    const oci = (ref: string) =>
      read(`apiVersion: source.toolkit.fluxcd.io/v1\nkind: OCIRepository\nmetadata: { name: o }\nspec: { url: oci://x, ref: ${ref} }`)
        .value as OCIRepository;
    assert.equal(oci('{ tag: v1, digest: "sha256:ab" }').effectiveRef.kind, 'digest');
    assert.equal(oci('{ tag: v1, semver: "1.x" }').effectiveRef.kind, 'semver');
    assert.deepEqual(oci('null').effectiveRef, { kind: 'tag', value: 'latest', defaulted: true });
    assert.ok(oci('null').tracksMovingRef);
  });

  it('reads a HelmRelease with chart template defaults and the default release name', () => {
    const hr = read(`
apiVersion: helm.toolkit.fluxcd.io/v2
kind: HelmRelease
metadata: { name: podinfo, namespace: apps }
spec:
  interval: 10m
  targetNamespace: web
  chart: { spec: { chart: podinfo, sourceRef: { kind: HelmRepository, name: podinfo, namespace: flux-system } } }
  dependsOn: [{ name: redis }]
  valuesFrom: [{ kind: ConfigMap, name: podinfo-values }]
  values: { replicaCount: 2 }
`).value as HelmRelease;
    assert.equal(hr.chart!.version, '*');
    assert.equal(hr.chart!.sourceRef!.namespace, 'flux-system');
    assert.equal(hr.releaseName, 'web-podinfo');
    assert.equal(hr.releaseNameWritten, false);
    assert.equal(hr.storageNamespace, 'apps');
    assert.deepEqual(
      hr.dependsOn.map((d) => `${d.namespace}/${d.name}`),
      ['apps/redis'],
    );
    assert.equal(hr.valuesFrom[0].valuesKey, 'values.yaml');
    assert.deepEqual(hr.values, { replicaCount: 2 });
  });

  it('shortens long release names like helm-controller', () => {
    assert.equal(shortenReleaseName('short'), 'short');
    const long = 'some-front-appended-namespace-release-with-a-very-long-name';
    const short = shortenReleaseName(long);
    assert.equal(short.length, 53);
    assert.match(short, /^some-front-appended-namespace-release-wi-[0-9a-f]{12}$/);
  });

  it('needs a name and says so', () => {
    const { value, problems } = read('apiVersion: source.toolkit.fluxcd.io/v1\nkind: Bucket\nmetadata: {}\nspec: {}');
    assert.equal(value, undefined);
    assert.equal(problems[0].code, 'flux-missing-name');
  });
});
