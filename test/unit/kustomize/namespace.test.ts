import * as assert from 'assert';
import { isNamespaced } from '../../../server/src/kustomize/scope';
import { namespaceTransformer } from '../../../server/src/kustomize/transformers/namespace';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import type { Origin } from '../../../server/src/kustomize/types';

const origin: Origin = { kind: 'transformer', step: 'namespace', file: '/k/kustomization.yaml' };

describe('scope: isNamespaced', () => {
  it('knows the built-in cluster-scoped kinds by exact apiVersion', () => {
    assert.strictEqual(isNamespaced({ group: '', version: 'v1', kind: 'Namespace' }), false);
    assert.strictEqual(isNamespaced({ group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole' }), false);
    assert.strictEqual(isNamespaced({ group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition' }), false);
    assert.strictEqual(isNamespaced({ group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' }), false);
  });
  it('treats unknown kinds and unknown versions as namespaced', () => {
    assert.strictEqual(isNamespaced({ group: 'example.com', version: 'v1', kind: 'Foo' }), true);
    assert.strictEqual(isNamespaced({ group: '', version: 'v2', kind: 'Namespace' }), true);
    assert.strictEqual(isNamespaced({ group: 'flowcontrol.apiserver.k8s.io', version: 'v1', kind: 'FlowSchema' }), true);
    assert.strictEqual(isNamespaced({ group: 'apps', version: 'v1', kind: 'Deployment' }), true);
  });
});

describe('namespace transformer (unit)', () => {
  it('sets metadata.namespace, creating metadata, records the origin and the previous id', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    namespaceTransformer([r], { namespace: 'prod', origin }, ctx);
    assert.deepStrictEqual(r.object.metadata, { name: 'cm', namespace: 'prod' });
    assert.strictEqual(originAt(r, ['metadata', 'namespace']), origin);
    assert.deepStrictEqual(r.previousIds, [{ group: '', version: 'v1', kind: 'ConfigMap', name: 'cm', namespace: '' }]);
  });
  it('skips empty objects and leaves them without previous ids', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({}, { file: '/x.yaml', documentIndex: 0 });
    namespaceTransformer([r], { namespace: 'prod', origin }, ctx);
    assert.deepStrictEqual(r.object, {});
    assert.deepStrictEqual(r.previousIds, []);
  });
  it('does nothing with an empty namespace', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    namespaceTransformer([r], { namespace: '', origin }, ctx);
    assert.deepStrictEqual(r.object.metadata, { name: 'cm' });
    assert.deepStrictEqual(r.previousIds, []);
  });
});
