import * as assert from 'assert';
import { byKindAndName, buildGenerators } from '../kustomize/generator-harness';
import { kustomize, requireKubectl } from '../kubectl-oracle';
import type { OracleResult } from '../kubectl-oracle';

const gen = (entries: string, extra = '') => `configMapGenerator:\n${entries}\n${extra}`;

// Each case: a folder kubectl and our generators both build; the objects (hashed names included) must be equal.
const differential: Array<{ name: string; files: Record<string, string | Uint8Array> }> = [
  { name: 'plain literals', files: { 'kustomization.yaml': gen('- name: cm\n  literals: [a=1, b=two]') } },
  {
    name: 'quoted literal values lose one pair of matching quotes',
    files: {
      'kustomization.yaml': gen(
        `- name: cm\n  literals:\n  - 'k2="quoted value"'\n  - "k3='single'"\n  - 'k7="unbalanced'\n  - k8='mixed"\n  - 'q="'\n  - 'e=""'`,
      ),
    },
  },
  { name: 'value containing =', files: { 'kustomization.yaml': gen('- name: cm\n  literals:\n  - url=http://x?a=b&c=d') } },
  { name: 'empty value', files: { 'kustomization.yaml': gen('- name: cm\n  literals: ["k="]') } },
  {
    name: 'values that look like numbers and booleans stay strings',
    files: { 'kustomization.yaml': gen('- name: cm\n  literals: [a=true, b=123, c=1.5, d=null, e=~]') },
  },
  { name: 'keys kustomize does not validate', files: { 'kustomization.yaml': gen('- name: cm\n  literals: ["a b=1", "a/b=2", ".=3"]') } },
  {
    name: 'html characters escaped the Go way',
    files: { 'kustomization.yaml': gen(`- name: cm\n  literals: ["html=<a href='x'>&amp;</a>", 'bs=back\\\\slash']`) },
  },
  {
    name: 'unicode values and keys',
    files: { 'kustomization.yaml': gen('- name: cm\n  literals: ["grüße=héllo wörld", "emoji=🚀✨", "cjk=日本語", "accents=ÀÉÎÕÜ ñ ç"]') },
  },
  {
    name: 'control characters kustomize escapes',
    files: { 'kustomization.yaml': gen('- name: cm\n  literals: ["c=\\u0001\\b\\f\\t\\r\\u001b\\u0000\\ufeff"]') },
  },
  {
    name: 'file key defaults to base name',
    files: { 'kustomization.yaml': gen('- name: cm\n  files: [conf/app.properties]'), 'conf/app.properties': 'a=1\nb=2\n' },
  },
  {
    name: 'file with explicit key',
    files: { 'kustomization.yaml': gen('- name: cm\n  files: [custom=conf/app.properties]'), 'conf/app.properties': 'x' },
  },
  {
    name: 'binary file goes to binaryData',
    files: {
      'kustomization.yaml': gen('- name: cm\n  files: [bin.dat, text.txt]'),
      'bin.dat': new Uint8Array([0, 1, 0xff, 0xfe]),
      'text.txt': 'hi\n',
    },
  },
  {
    name: 'long binary data wraps at 70 base64 characters',
    files: {
      'kustomization.yaml': gen('- name: cm\n  files: [b52, b51, b300]'),
      b52: new Uint8Array(52).fill(0xff),
      b51: new Uint8Array(51).fill(0xfe),
      b300: new Uint8Array(300).map((_, i) => (i * 37) % 256),
    },
  },
  {
    name: 'only binary data',
    files: { 'kustomization.yaml': gen('- name: cm\n  files: [bin.dat]'), 'bin.dat': new Uint8Array([0xc3, 0x28]) },
  },
  {
    name: 'file with CRLF and no final newline',
    files: { 'kustomization.yaml': gen('- name: cm\n  files: [f.txt]'), 'f.txt': 'line1\r\nline2' },
  },
  { name: 'empty file', files: { 'kustomization.yaml': gen('- name: cm\n  files: [f.txt]'), 'f.txt': '' } },
  {
    name: 'env file syntax',
    files: {
      'kustomization.yaml': gen('- name: cm\n  envs: [app.env]'),
      'app.env': 'a=1\n# comment\n\n  b = 2 \nexport C=3\nD="quoted"\nE=\'sq\'\nF=x=y\nNOVALUE\nG=  spaced  \n\t\n',
    },
  },
  {
    name: 'env file BOM on the first line only, CRLF lines',
    files: {
      'kustomization.yaml': gen('- name: cm\n  envs: [a.env, b.env]'),
      'a.env': 'X=1\n\ufeffY=2\n',
      'b.env': '\ufeffBOM=1\r\nCR=2\r\n',
    },
  },
  {
    name: 'legacy env plus envs',
    files: { 'kustomization.yaml': gen('- name: cm\n  env: a.env\n  envs: [b.env]'), 'a.env': 'A=1\n', 'b.env': 'B=2' },
  },
  {
    name: 'envs, literals and files together',
    files: {
      'kustomization.yaml': gen('- name: cm\n  envs: [a.env]\n  literals: [l=1]\n  files: [f.txt]'),
      'a.env': 'E=1\n',
      'f.txt': 'F',
    },
  },
  { name: 'empty generator has no data field', files: { 'kustomization.yaml': gen('- name: empty') } },
  {
    name: 'many keys',
    files: {
      'kustomization.yaml': gen(
        `- name: many\n  literals: [${Array.from({ length: 60 }, (_, i) => `"key-${(i * 7919) % 101}=value ${i}"`).join(', ')}]`,
      ),
    },
  },
  {
    name: 'generatorOptions merged with entry options',
    files: {
      'kustomization.yaml': gen(
        '- name: opts\n  literals: [a=1]\n  options:\n    labels: {both: local, l: "2"}\n    annotations: {note: here}\n- name: plain\n  literals: [b=1]',
        'generatorOptions:\n  labels: {g: "1", both: global}\n  annotations: {ga: x}\n  immutable: true\n',
      ),
    },
  },
  {
    name: 'disableNameSuffixHash per entry and globally',
    files: {
      'kustomization.yaml': gen(
        '- name: nohash\n  literals: [a=1]\n  options: {disableNameSuffixHash: true}\n- name: hashed\n  literals: [a=1]',
      ),
    },
  },
  {
    name: 'global disableNameSuffixHash cannot be turned off per entry',
    files: {
      'kustomization.yaml': gen(
        '- name: c\n  literals: [a=1]\n  options: {disableNameSuffixHash: false, immutable: false}',
        'generatorOptions: {disableNameSuffixHash: true}',
      ),
    },
  },
  { name: 'namespace on the generator', files: { 'kustomization.yaml': gen('- name: c\n  namespace: team-a\n  literals: [a=1]') } },
  {
    name: 'immutable changes nothing in the hash',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: [a=1]\n  options: {immutable: true}') },
  },
  { name: 'unknown behavior acts as create', files: { 'kustomization.yaml': gen('- name: c\n  behavior: bogus\n  literals: [a=1]') } },
  {
    name: 'long multi-line value',
    files: {
      'kustomization.yaml': gen('- name: c\n  files: [big.txt]'),
      'big.txt': Array.from({ length: 500 }, (_, i) => `line ${i} — ${'x'.repeat(i % 40)}`).join('\n'),
    },
  },
];

const bothFail: Array<{ name: string; files: Record<string, string | Uint8Array>; message: RegExp }> = [
  {
    name: 'literal without =',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: [novalue]') },
    message: /invalid literal source novalue, expected key=value/,
  },
  {
    name: 'literal with empty key',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: ["=v"]') },
    message: /invalid literal source =v/,
  },
  {
    name: 'duplicate literal key',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: [k=1, k=2]') },
    message: /configmap c illegally repeats the key `k`/,
  },
  {
    name: 'duplicate between literal and file',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: [f.txt=1]\n  files: [f.txt]'), 'f.txt': 'x' },
    message: /illegally repeats the key `f.txt`/,
  },
  {
    name: 'duplicate key within an env file',
    files: { 'kustomization.yaml': gen('- name: c\n  envs: [d.env]'), 'd.env': 'A=1\nA=2\n' },
    message: /illegally repeats the key `A`/,
  },
  {
    name: 'file source with empty key',
    files: { 'kustomization.yaml': gen('- name: c\n  files: ["=f.txt"]'), 'f.txt': 'x' },
    message: /missing key name for file path "f.txt" in source "=f.txt"/,
  },
  {
    name: 'file source with empty path',
    files: { 'kustomization.yaml': gen('- name: c\n  files: ["k="]') },
    message: /missing file path for key name "k" in source "k="/,
  },
  {
    name: 'file source with two =',
    files: { 'kustomization.yaml': gen('- name: c\n  files: ["a=b=f.txt"]') },
    message: /key name or file path contains '='/,
  },
  { name: 'missing file', files: { 'kustomization.yaml': gen('- name: c\n  files: [missing.txt]') }, message: /missing\.txt/ },
  {
    name: 'folder in files',
    files: { 'kustomization.yaml': gen('- name: c\n  files: [sub]'), 'sub/s.txt': 'y' },
    message: /must resolve to a file/,
  },
  {
    name: 'file outside the kustomization root',
    files: { 'kustomization.yaml': gen('- name: c\n  files: [../outside.txt]') },
    message: /outside\.txt/,
  },
  {
    name: 'DEL in a value',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: ["c=a\\u007fb"]') },
    message: /control characters are not allowed/,
  },
  {
    name: 'non-character U+FFFF in a value',
    files: { 'kustomization.yaml': gen('- name: c\n  literals: ["c=a\\uffffb"]') },
    message: /control characters are not allowed/,
  },
  { name: 'missing name', files: { 'kustomization.yaml': gen('- literals: [a=1]') }, message: /a configmap must have a name/ },
];

describe('configMapGenerator', () => {
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
        assert.deepStrictEqual(byKindAndName(ours.objects), byKindAndName(expected.objects ?? []));
      });
    }
    for (const c of bothFail) {
      it(`fails like kubectl: ${c.name}`, () => {
        const expected = oracle.get(c)!;
        assert.ok(expected.error, 'kubectl should fail');
        assert.match(expected.error.replace(/\\"/g, '"'), c.message);
        const ours = buildGenerators(expected.dir);
        assert.ok(ours.problems.length > 0, 'we should report a problem');
        assert.match(ours.problems[0].message, c.message);
      });
    }
  });
});
