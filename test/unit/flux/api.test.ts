import { strict as assert } from 'node:assert';
import { parse } from 'yaml';
import { enumAt, fieldSchemaAt, fluxApiKind, fluxKind, fluxKindsOfGroup, knownFields, unknownFields } from '../../../server/src/flux/api';
import type { Json } from '../../../server/src/kustomize/types';

// These facts come from Flux's CRDs (Flux 2.6-2.9, see docs/flux-api.md); each is one a user sees in an
// editor: a reference kind accepted or refused, an apiVersion served or not, a field known or pruned.
describe('flux/api (derived from Flux CRDs)', () => {
  it('a Kustomization v1 may take its source from an ExternalArtifact, as well as Git, OCI and Bucket sources', () => {
    assert.deepEqual([...enumAt('Kustomization', 'v1', ['spec', 'sourceRef', 'kind'])!].sort(), [
      'Bucket',
      'ExternalArtifact',
      'GitRepository',
      'OCIRepository',
    ]);
  });

  it('a HelmRelease v2 chartRef may name an OCIRepository, a HelmChart or an ExternalArtifact; a chart template still only Helm, Git and Bucket sources', () => {
    assert.deepEqual([...enumAt('HelmRelease', 'v2', ['spec', 'chartRef', 'kind'])!].sort(), [
      'ExternalArtifact',
      'HelmChart',
      'OCIRepository',
    ]);
    assert.deepEqual([...enumAt('HelmRelease', 'v2', ['spec', 'chart', 'spec', 'sourceRef', 'kind'])!].sort(), [
      'Bucket',
      'GitRepository',
      'HelmRepository',
    ]);
  });

  it('Kustomization v1beta2 is no longer served: the last Flux that served it (deprecated) was 2.7, and v1 is what to write', () => {
    const k = fluxKind('kustomize.toolkit.fluxcd.io/v1beta2', 'Kustomization')!;
    assert.equal(k.served, false);
    assert.equal(k.removed?.lastServedIn, '2.7');
    assert.equal(k.deprecationWarning, 'v1beta2 Kustomization is deprecated, upgrade to v1');
    assert.equal(k.preferredVersion, 'v1');
    assert.equal(fluxKind('kustomize.toolkit.fluxcd.io/v1', 'Kustomization')!.served, true);
  });

  it('HelmRelease v2beta1 is no longer served (last by Flux 2.6), v2beta2 last by 2.7; v2 is served and not deprecated', () => {
    const v2beta1 = fluxKind('helm.toolkit.fluxcd.io/v2beta1', 'HelmRelease')!;
    assert.deepEqual([v2beta1.served, v2beta1.deprecated, v2beta1.removed?.lastServedIn], [false, true, '2.6']);
    assert.equal(fluxKind('helm.toolkit.fluxcd.io/v2beta2', 'HelmRelease')!.removed?.lastServedIn, '2.7');
    const v2 = fluxKind('helm.toolkit.fluxcd.io/v2', 'HelmRelease')!;
    assert.deepEqual([v2.served, v2.deprecated, v2.storageVersion], [true, false, 'v2']);
  });

  it('a version Flux never served is a Flux kind that is not served and was never removed', () => {
    const k = fluxKind('helm.toolkit.fluxcd.io/v3', 'HelmRelease')!;
    assert.deepEqual([k.served, k.removed], [false, undefined]);
  });

  it('a kustomize Kustomization or a ConfigMap is not a Flux kind', () => {
    assert.equal(fluxKind('kustomize.config.k8s.io/v1beta1', 'Kustomization'), undefined);
    assert.equal(fluxKind('v1', 'ConfigMap'), undefined);
  });

  it('knows the Flux Operator kinds, the source-watcher ArtifactGenerator and ExternalArtifact, with their versions', () => {
    for (const kind of ['FluxInstance', 'ResourceSet', 'ResourceSetInputProvider', 'FluxReport']) {
      assert.equal(fluxKind('fluxcd.controlplane.io/v1', kind)?.served, true, kind);
    }
    assert.equal(fluxApiKind('fluxcd.controlplane.io', 'FluxReport')?.scope, 'Namespaced');
    assert.equal(fluxKind('source.extensions.fluxcd.io/v1beta1', 'ArtifactGenerator')?.served, true);
    assert.equal(fluxKind('source.toolkit.fluxcd.io/v1', 'ExternalArtifact')?.served, true);
    assert.deepEqual(
      fluxKindsOfGroup('source.toolkit.fluxcd.io')
        .map((k) => k.kind)
        .sort(),
      ['Bucket', 'ExternalArtifact', 'GitRepository', 'HelmChart', 'HelmRepository', 'OCIRepository'],
    );
  });

  it('reports a misspelled field under spec as unknown, and nothing for a correct Kustomization', () => {
    const spec = parse(
      'interval: 10m\npath: ./apps\nprune: true\nsourceRef:\n  kind: GitRepository\n  name: flux-system\npostBuild:\n  substitute:\n    cluster: prod\n',
    ) as Json;
    assert.deepEqual(unknownFields('Kustomization', 'v1', spec, ['spec']), []);
    const typo = parse('interval: 10m\nprun: true\nsourceRef:\n  kind: GitRepository\n  nme: flux-system\n') as Json;
    assert.deepEqual(unknownFields('Kustomization', 'v1', typo, ['spec']), [
      ['spec', 'prun'],
      ['spec', 'sourceRef', 'nme'],
    ]);
    assert.ok(knownFields('Kustomization', 'v1', ['spec'])!.includes('prune'));
    assert.equal(knownFields('Kustomization', 'v1', ['spec'])!.includes('prun'), false);
  });

  it('HelmRelease spec.values is free-form: any keys at any depth are accepted', () => {
    assert.equal(fieldSchemaAt('HelmRelease', 'v2', ['spec', 'values'])?.freeForm, true);
    assert.equal(knownFields('HelmRelease', 'v2', ['spec', 'values', 'ingress']), undefined);
    const spec = parse(
      'interval: 5m\nchartRef:\n  kind: OCIRepository\n  name: podinfo\nvalues:\n  anything:\n    nested: [1, {deep: true}]\n',
    ) as Json;
    assert.deepEqual(unknownFields('HelmRelease', 'v2', spec, ['spec']), []);
  });

  it('keeps the defaults the CRDs give, e.g. a HelmRelease chart version defaults to "*"', () => {
    assert.equal(fieldSchemaAt('HelmRelease', 'v2', ['spec', 'chart', 'spec', 'version'])?.default, '*');
  });

  it('a list index steps into the items, a map key into the map values', () => {
    assert.deepEqual(enumAt('Kustomization', 'v1', ['spec', 'postBuild', 'substituteFrom', 0, 'kind']), ['Secret', 'ConfigMap']);
    assert.equal(fieldSchemaAt('Kustomization', 'v1', ['spec', 'commonMetadata', 'labels', 'team'])?.type, 'string');
  });
});
