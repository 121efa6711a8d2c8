import * as assert from 'assert';
import { generateConfigMap, mergeGenerated } from '../../../server/src/kustomize/generators/configMapGenerator';
import { parseEnvFile, parseFileSource, parseLiteral } from '../../../server/src/kustomize/generators/common';
import type { GeneratorInput } from '../../../server/src/kustomize/generators/common';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { contentHash } from '../../../server/src/kustomize/transformers/hashSuffix';

describe('configMapGenerator', () => {
  describe('parsing (unit)', () => {
    it('splits literals at the first = and strips one pair of matching quotes', () => {
      assert.deepStrictEqual(parseLiteral('a=b=c'), { key: 'a', value: 'b=c' });
      assert.deepStrictEqual(parseLiteral('a="x"'), { key: 'a', value: 'x' });
      assert.deepStrictEqual(parseLiteral(`a='x"`), { key: 'a', value: `'x"` });
      assert.deepStrictEqual(parseLiteral('a="'), { key: 'a', value: '"' });
      assert.ok('error' in parseLiteral('=x'));
    });
    it('derives file keys from the base name', () => {
      assert.deepStrictEqual(parseFileSource('dir/sub/app.conf'), { key: 'app.conf', path: 'dir/sub/app.conf' });
      assert.deepStrictEqual(parseFileSource('k=dir/app.conf'), { key: 'k', path: 'dir/app.conf' });
    });
    it('parses env files verbatim after the first =', () => {
      const { pairs } = parseEnvFile('\ufeffA=1\r\n  # c\n B =" x "\nC\n');
      assert.deepStrictEqual(pairs, [
        { key: 'A', value: '1' },
        { key: 'B ', value: '" x "' },
        { key: 'C', value: '' },
      ]);
    });
    it('hashes a line separator the way Go escapes it (\\u2028)', () => {
      const input: GeneratorInput = {
        origin: { kind: 'generator', step: 'configMapGenerator[cm]', file: '/k/kustomization.yaml' },
        args: { name: 'cm', literals: ['grüße=héllo wörld', 'emoji=🚀✨', 'cjk=日本語', 'ls=a\u2028b'] },
        readFile: () => ({ problem: { code: 'x', severity: 'error', message: 'no', file: '/k' } }),
        listDir: () => undefined,
      };
      // The name kubectl kustomize v5.5 gives this generator.
      assert.strictEqual(contentHash(generateConfigMap(input).resource!.object), 'm48khh66mg');
    });
    it('marks the resource as generated with its behavior and hash wish', () => {
      const input: GeneratorInput = {
        origin: { kind: 'generator', step: 'configMapGenerator[c]', file: '/k/kustomization.yaml' },
        args: { name: 'c', behavior: 'merge', literals: ['a=1'], options: { disableNameSuffixHash: true } },
        readFile: () => ({ problem: { code: 'x', severity: 'error', message: 'no', file: '/k' } }),
        listDir: () => undefined,
      };
      const out = generateConfigMap(input);
      assert.deepStrictEqual(out.resource?.generated, { behavior: 'merge', appendHash: false });
      assert.strictEqual(out.resource?.setBy.get('')?.step, 'configMapGenerator[c]');
    });
    it('reports a missing file as the problem readFile gave', () => {
      const problem = { code: 'missing-path', severity: 'error' as const, message: 'missing', file: '/k/kustomization.yaml' };
      const out = generateConfigMap({
        origin: { kind: 'generator', step: 's', file: '/k/kustomization.yaml' },
        args: { name: 'c', files: ['nope.txt'] },
        readFile: () => ({ problem }),
        listDir: () => undefined,
      });
      assert.strictEqual(out.resource, undefined);
      assert.deepStrictEqual(out.problems, [problem]);
    });
  });
});

describe('mergeGenerated', () => {
  const origin = { kind: 'generator' as const, step: 'g', file: '/k/kustomization.yaml' };
  const make = (object: JsonObject, behavior: 'create' | 'merge' | 'replace', appendHash: boolean) => ({
    object,
    source: { file: '/k', documentIndex: -1 },
    setBy: new Map([['', origin]]),
    previousIds: [],
    generated: { behavior, appendHash },
  });
  it('refuses create over an existing object', () => {
    const r = mergeGenerated(
      make({ kind: 'ConfigMap', metadata: { name: 'a' } }, 'create', true),
      make({ kind: 'ConfigMap', metadata: { name: 'a' } }, 'create', true),
    );
    assert.match(r.problem ?? '', /behavior must be merge or replace/);
  });
  it('merge keeps old keys, new values win, name and namespace stay, hash only when both asked', () => {
    const base = make(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'p-a', namespace: 'ns', labels: { x: '1', s: 'base' } },
        data: { a: '1', b: '2' },
        immutable: true,
      },
      'create',
      true,
    );
    const overlay = make(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { s: 'ov' } }, data: { b: '3', c: '4' } },
      'merge',
      false,
    );
    const r = mergeGenerated(base, overlay);
    assert.deepStrictEqual(r.resource?.object, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'p-a', namespace: 'ns', labels: { x: '1', s: 'ov' } },
      data: { a: '1', b: '3', c: '4' },
    });
    assert.strictEqual(r.resource?.generated?.appendHash, false);
  });
  it('replace drops old data but keeps labels', () => {
    const base = make(
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', labels: { x: '1' } }, data: { a: '1' } },
      'create',
      true,
    );
    const overlay = make({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { only: '1' } }, 'replace', true);
    const r = mergeGenerated(base, overlay);
    assert.deepStrictEqual(r.resource?.object.data, { only: '1' });
    assert.deepStrictEqual((r.resource?.object.metadata as JsonObject).labels, { x: '1' });
    assert.strictEqual(r.resource?.generated?.appendHash, true);
  });
});
