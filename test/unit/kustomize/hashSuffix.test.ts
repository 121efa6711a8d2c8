import * as assert from 'assert';
import { makeResource } from '../../../server/src/kustomize/resource';
import { contentHash, hashInput, hashSuffixTransformer } from '../../../server/src/kustomize/transformers/hashSuffix';
import type { JsonObject, Resource } from '../../../server/src/kustomize/types';

const origin = { kind: 'transformer' as const, step: 'name hash suffix', file: '/repo/kustomization.yaml' };

function generated(object: JsonObject, appendHash = true): Resource {
  const r = makeResource(object, { file: '/repo/kustomization.yaml', documentIndex: -1 });
  r.generated = { behavior: 'create', appendHash };
  return r;
}

describe('hash suffix', () => {
  it('encodes the hashed object the way Go json.Marshal does (sorted keys, HTML escapes, no name)', () => {
    assert.strictEqual(
      hashInput({ kind: 'ConfigMap', metadata: { name: 'c' }, data: { b: '<&>', a: 'x\u2028\ty' } }),
      '{"data":{"a":"x\\u2028\\ty","b":"\\u003c\\u0026\\u003e"},"kind":"ConfigMap","name":""}',
    );
    assert.strictEqual(hashInput({ kind: 'Secret', metadata: { name: 's' } }), '{"data":"","kind":"Secret","name":"","type":""}');
  });
  it('matches names kubectl kustomize gave in this project', () => {
    // configMapGenerator `c` with literals [a=1] -> c-h29d89cmmt; an empty one -> 6ct58987ht.
    assert.strictEqual(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }), 'h29d89cmmt');
    assert.strictEqual(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' } }), '6ct58987ht');
  });
  it('appends the hash only to generated objects that want it, remembering the old id', () => {
    const hashed = generated({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'ns' }, data: { a: '1' } });
    const unhashed = generated({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'd' }, data: { a: '1' } }, false);
    const plain = makeResource(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'e' } },
      { file: '/repo/cm.yaml', documentIndex: 0 },
    );
    const ctx = { kustomizationFile: '/repo/kustomization.yaml', problems: [] };
    hashSuffixTransformer([hashed, unhashed, plain], { origin }, ctx);
    assert.strictEqual((hashed.object.metadata as JsonObject).name, 'c-h29d89cmmt');
    assert.deepStrictEqual(hashed.previousIds, [{ group: '', version: 'v1', kind: 'ConfigMap', name: 'c', namespace: 'ns' }]);
    assert.strictEqual(hashed.setBy.get('metadata/name')?.step, 'name hash suffix');
    assert.strictEqual((unhashed.object.metadata as JsonObject).name, 'd');
    assert.strictEqual((plain.object.metadata as JsonObject).name, 'e');
    assert.deepStrictEqual(ctx.problems, []);
  });
});
