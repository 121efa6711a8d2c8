import * as assert from 'assert';
import { mergeGenerated } from '../../../server/src/kustomize/generators/common';
import { hashSuffixTransformer } from '../../../server/src/kustomize/transformers/hashSuffix';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { diskInput } from '../kustomize/generator-harness';
import { generateConfigMap } from '../../../server/src/kustomize/generators/configMapGenerator';
import { generateSecret } from '../../../server/src/kustomize/generators/secretGenerator';
import { kustomize, requireKubectl } from '../kubectl-oracle';
import type { OracleResult } from '../kubectl-oracle';

const origin = { kind: 'transformer' as const, step: 'name hash suffix', file: '/repo/kustomization.yaml' };

describe('hash suffix', () => {
  describe('differential against kubectl kustomize', function () {
    // Data changed after generation (a patch, a merge from an overlay) is what gets hashed.
    const patched = {
      'kustomization.yaml':
        'configMapGenerator:\n- name: c\n  literals: [a=1]\npatches:\n- patch: |\n    apiVersion: v1\n    kind: ConfigMap\n    metadata: {name: c}\n    data: {b: "2", n: "3"}\n',
    };
    const prefixed = { 'kustomization.yaml': 'namePrefix: p-\nconfigMapGenerator:\n- name: c\n  literals: [a=1]\n' };
    const overlay = {
      'base/kustomization.yaml':
        'configMapGenerator:\n- name: gen\n  literals: [a=1, b=2]\n  options: {labels: {bl: "1"}}\nsecretGenerator:\n- name: s\n  literals: [a=1]\n  type: foo\n',
      'kustomization.yaml':
        'resources: [base]\nconfigMapGenerator:\n- name: gen\n  behavior: merge\n  literals: [b=3, c=4]\nsecretGenerator:\n- name: s\n  behavior: replace\n  literals: [b=1]\n',
    };
    const overlayNoHash = {
      'base/kustomization.yaml': 'configMapGenerator:\n- name: gen\n  literals: [a=1]\n',
      'kustomization.yaml':
        'resources: [base]\nconfigMapGenerator:\n- name: gen\n  behavior: merge\n  literals: [z=1]\n  options: {disableNameSuffixHash: true}\n',
    };
    const cases = [patched, prefixed, overlay, overlayNoHash];
    const oracle = new Map<object, OracleResult>();
    before(async function () {
      this.timeout(30000);
      requireKubectl(this);
      const runs = await Promise.all(cases.map((c) => kustomize(c)));
      cases.forEach((c, i) => oracle.set(c, runs[i]));
    });
    const byName = (objects: JsonObject[] | undefined, kind: string) => (objects ?? []).find((o) => o.kind === kind) as JsonObject;

    it('hashes the data as patched, not as generated', () => {
      const expected = oracle.get(patched)!;
      const r = generateConfigMap(diskInput(expected.dir, { name: 'c', literals: ['a=1'] })).resource!;
      Object.assign(r.object.data as JsonObject, { b: '2', n: '3' });
      hashSuffixTransformer([r], { origin }, { kustomizationFile: '', problems: [] });
      assert.deepStrictEqual(r.object, byName(expected.objects, 'ConfigMap'));
    });
    it('hashes after a name prefix (the name is not part of the hash)', () => {
      const expected = oracle.get(prefixed)!;
      const r = generateConfigMap(diskInput(expected.dir, { name: 'c', literals: ['a=1'] })).resource!;
      (r.object.metadata as JsonObject).name = 'p-c';
      hashSuffixTransformer([r], { origin }, { kustomizationFile: '', problems: [] });
      assert.strictEqual((r.object.metadata as JsonObject).name, 'p-c-h29d89cmmt');
      assert.deepStrictEqual(r.object, byName(expected.objects, 'ConfigMap'));
    });
    it('merge and replace from an overlay, then hash', () => {
      const expected = oracle.get(overlay)!;
      const base = generateConfigMap(
        diskInput(expected.dir, { name: 'gen', literals: ['a=1', 'b=2'], options: { labels: { bl: '1' } } }),
      ).resource!;
      const over = generateConfigMap(diskInput(expected.dir, { name: 'gen', behavior: 'merge', literals: ['b=3', 'c=4'] })).resource!;
      const baseSecret = generateSecret(diskInput(expected.dir, { name: 's', literals: ['a=1'], type: 'foo' })).resource!;
      const overSecret = generateSecret(diskInput(expected.dir, { name: 's', behavior: 'replace', literals: ['b=1'] })).resource!;
      const merged = [mergeGenerated(base, over).resource!, mergeGenerated(baseSecret, overSecret).resource!];
      hashSuffixTransformer(merged, { origin }, { kustomizationFile: '', problems: [] });
      assert.deepStrictEqual(merged[0].object, byName(expected.objects, 'ConfigMap'));
      assert.deepStrictEqual(merged[1].object, byName(expected.objects, 'Secret'));
    });
    it('a merge that disables the hash wins over a base that wanted it', () => {
      const expected = oracle.get(overlayNoHash)!;
      const base = generateConfigMap(diskInput(expected.dir, { name: 'gen', literals: ['a=1'] })).resource!;
      const over = generateConfigMap(
        diskInput(expected.dir, { name: 'gen', behavior: 'merge', literals: ['z=1'], options: { disableNameSuffixHash: true } }),
      ).resource!;
      const merged = [mergeGenerated(base, over).resource!];
      hashSuffixTransformer(merged, { origin }, { kustomizationFile: '', problems: [] });
      assert.deepStrictEqual(merged[0].object, byName(expected.objects, 'ConfigMap'));
    });
  });
});
