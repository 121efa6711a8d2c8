import * as assert from 'assert';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { byKindAndName, buildGenerators } from '../kustomize/generator-harness';
import { kustomize, requireKubectl } from '../kubectl-oracle';
import type { OracleResult } from '../kubectl-oracle';

const gen = (entries: string, extra = '') => `secretGenerator:\n${entries}\n${extra}`;

const differential: Array<{ name: string; files: Record<string, string | Uint8Array> }> = [
  {
    name: 'literals are base64 encoded',
    files: { 'kustomization.yaml': gen('- name: s\n  literals: [user=admin, "pw=<&>", "quoted=\\"x\\""]') },
  },
  {
    name: 'type is kept and part of the hash',
    files: {
      'kustomization.yaml': gen(
        '- name: s\n  literals: [username=a, password=b]\n  type: kubernetes.io/basic-auth\n- name: s2\n  literals: [username=a, password=b]',
      ),
    },
  },
  {
    name: 'binary and text files',
    files: {
      'kustomization.yaml': gen('- name: s\n  files: [b.bin, tls.crt, key=tls.key]'),
      'b.bin': new Uint8Array([0, 0xff, 0x10, 0x80]),
      'tls.crt': '-----BEGIN CERTIFICATE-----\nabc\n-----END CERTIFICATE-----\n',
      'tls.key': 'k',
    },
  },
  { name: 'env files', files: { 'kustomization.yaml': gen('- name: s\n  envs: [s.env]'), 's.env': 'A=1\n# c\nB=two words\nC="q"\n' } },
  { name: 'an empty secret has data: {}', files: { 'kustomization.yaml': gen('- name: empty') } },
  {
    name: 'options and generatorOptions',
    files: {
      'kustomization.yaml': gen(
        '- name: s\n  literals: [a=1]\n  options: {annotations: {ga: local}, labels: {l: "1"}, immutable: false}',
        'generatorOptions:\n  labels: {g: "1"}\n  annotations: {ga: x}\n  immutable: true',
      ),
    },
  },
  { name: 'no hash', files: { 'kustomization.yaml': gen('- name: s\n  literals: [a=1]\n  options: {disableNameSuffixHash: true}') } },
  { name: 'namespace', files: { 'kustomization.yaml': gen('- name: s\n  namespace: vault\n  literals: [a=1]') } },
  { name: 'unicode', files: { 'kustomization.yaml': gen('- name: s\n  literals: ["k=ünïcødé 🚀"]') } },
  {
    name: 'configmap and secret of the same name',
    files: { 'kustomization.yaml': gen('- name: same\n  literals: [a=1]', 'configMapGenerator:\n- name: same\n  literals: [a=1]') },
  },
  {
    name: 'long values wrap at 70 base64 characters',
    files: { 'kustomization.yaml': gen(`- name: s\n  literals: ["x=${'a'.repeat(52)}", "y=${'b'.repeat(51)}", "z=${'c'.repeat(200)}"]`) },
  },
  {
    name: 'tls secret',
    files: {
      'kustomization.yaml': gen('- name: tls\n  type: kubernetes.io/tls\n  files: [tls.crt, tls.key]'),
      'tls.crt': 'CERT',
      'tls.key': 'KEY',
    },
  },
];

const bothFail: Array<{ name: string; files: Record<string, string | Uint8Array>; message: RegExp }> = [
  {
    name: 'duplicate keys (kustomize says configmap)',
    files: { 'kustomization.yaml': gen('- name: s\n  literals: [a=1, a=2]') },
    message: /configmap s illegally repeats the key `a`/,
  },
  { name: 'missing name', files: { 'kustomization.yaml': gen('- literals: [a=1]') }, message: /must have a name/ },
  {
    name: 'bad literal',
    files: { 'kustomization.yaml': gen('- name: s\n  literals: [nokey]') },
    message: /invalid literal source nokey, expected key=value/,
  },
];

describe('secretGenerator', () => {
  describe('differential against kubectl kustomize', function () {
    const oracle = new Map<object, OracleResult>();
    before(async function () {
      this.timeout(30000);
      requireKubectl(this);
      const all = [...differential, ...bothFail];
      const runs = await Promise.all(all.map((c) => kustomize(c.files)));
      all.forEach((c, i) => oracle.set(c, runs[i]));
    });
    for (const c of differential) {
      it(c.name, () => {
        const expected = oracle.get(c)!;
        assert.strictEqual(expected.error, undefined, expected.error);
        const ours = buildGenerators(expected.dir);
        assert.deepStrictEqual(ours.problems, []);
        assert.deepStrictEqual(byKindAndName(ours.objects), byKindAndName((expected.objects ?? []) as JsonObject[]));
      });
    }
    for (const c of bothFail) {
      it(`fails like kubectl: ${c.name}`, () => {
        const expected = oracle.get(c)!;
        assert.ok(expected.error, 'kubectl should fail');
        assert.match(expected.error, c.message);
        const ours = buildGenerators(expected.dir);
        assert.ok(ours.problems.length > 0);
        assert.match(ours.problems[0].message, c.message);
      });
    }
  });
});
