import * as assert from 'assert';
import { makeResource, originAt } from '../../../server/src/kustomize/resource';
import type { TransformContext } from '../../../server/src/kustomize/transformer';
import { prefixSuffixTransformer } from '../../../server/src/kustomize/transformers/prefixSuffix';
import type { Origin } from '../../../server/src/kustomize/types';

const origin: Origin = { kind: 'transformer', step: 'namePrefix', file: '/k/kustomization.yaml' };

describe('prefix/suffix transformer (unit)', () => {
  it('prefixes and suffixes metadata.name, records origin, previous ids and affixes', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const r = makeResource({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' } }, { file: '/x.yaml', documentIndex: 0 });
    prefixSuffixTransformer([r], { prefix: 'p-', suffix: '-s', origin }, ctx);
    assert.strictEqual((r.object.metadata as { name: string }).name, 'p-cm-s');
    assert.strictEqual(originAt(r, ['metadata', 'name']), origin);
    assert.deepStrictEqual(
      r.previousIds.map((id) => id.name),
      ['cm', 'p-cm'],
    );
    assert.deepStrictEqual(r.nameAffixes, { prefixes: ['p-'], suffixes: ['-s'] });
  });
  it('skips CustomResourceDefinitions, APIServices and Namespaces of any group', () => {
    const ctx: TransformContext = { kustomizationFile: origin.file, problems: [] };
    const objs = [
      { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'a' } },
      { apiVersion: 'apiregistration.k8s.io/v1', kind: 'APIService', metadata: { name: 'b' } },
      { apiVersion: 'v2', kind: 'Namespace', metadata: { name: 'c' } },
    ];
    const rs = objs.map((o, i) => makeResource(o, { file: '/x.yaml', documentIndex: i }));
    prefixSuffixTransformer(rs, { prefix: 'p-', suffix: '', origin }, ctx);
    assert.deepStrictEqual(
      rs.map((r) => (r.object.metadata as { name: string }).name),
      ['a', 'b', 'c'],
    );
    assert.ok(rs.every((r) => r.previousIds.length === 0));
  });
});
