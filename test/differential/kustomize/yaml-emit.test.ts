import * as assert from 'assert';
import { compareKeys, emitDocuments, emitYaml, outputProblem } from '../../../server/src/kustomize/yaml/emit';
import type { Json, JsonObject } from '../../../server/src/kustomize/types';
import { firstDifference, kubectlKustomize, kubectlKustomizeWith, needKubectl } from '../kustomize/yaml-kubectl';

// Deterministic pseudo-random numbers (mulberry32), so the generated cases are the same on every run.
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const SENTENCE =
  'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua.';

// DEL and the C1 controls (U+007F-U+009F, NEL included) are left out on purpose: kustomize itself fails on them,
// because Go's JSON leaves them raw and go-yaml v2 then refuses (or, for NEL, breaks lines) when re-reading that JSON.
const FRAGMENTS = [
  'a',
  'plain text',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r\n',
  '\r',
  ':',
  ': ',
  ':x',
  ' #',
  '#',
  '# c',
  '- ',
  '-',
  '--',
  '---',
  '...',
  '*',
  '&',
  '!',
  '%',
  '@',
  '`',
  "'",
  '"',
  '\\',
  '?',
  '? ',
  ',',
  '[',
  ']',
  '{',
  '}',
  '|',
  '>',
  '=',
  '<<',
  'é',
  'naïve',
  '日本語',
  '😀',
  '👍🏽',
  '\u0001',
  '\u001b',
  '\u00a0',
  '\u2028',
  '\u2029',
  '\ufeff',
  '\u00e9\u0301',
  'yes',
  'no',
  'on',
  'off',
  'y',
  'n',
  'Y',
  'N',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '012',
  '08',
  '1e3',
  '1E3',
  '0x1F',
  '0o17',
  '0b101',
  '1_000',
  '1:20',
  '190:20:30',
  '-1',
  '+1',
  '.5',
  '1.',
  '.inf',
  '-.Inf',
  '.nan',
  '2001-12-14',
  '2001-12-14T21:59:43Z',
  '2001-12-14 21:59:43.10 -5',
  'x'.repeat(90),
  SENTENCE,
  'https://example.com/a?b=c#d',
  'key=value',
  'a,b',
  '${VAR}',
  '{{ .Values.x }}',
];

function generatedStrings(): string[] {
  const out = new Set<string>(['', ...FRAGMENTS]);
  const next = random(20240611);
  const pick = (): string => FRAGMENTS[Math.floor(next() * FRAGMENTS.length)];
  for (let i = 0; i < 400; i++) out.add(pick() + pick());
  for (let i = 0; i < 300; i++) out.add(pick() + pick() + pick());
  // Long texts exercise go-yaml's folding at 80 columns in every scalar style.
  const separators = [' ', ' ', ' ', '  ', '\n', ' #', ': ', '\t', "'", '"', '\n\n', ' \n'];
  for (let i = 0; i < 200; i++) {
    const parts: string[] = [];
    const length = 40 + Math.floor(next() * 260);
    let size = 0;
    while (size < length) {
      const word = 'abcdefghijklmnopqrstuvwxyz'.slice(0, 1 + Math.floor(next() * 25));
      const separator = separators[Math.floor(next() * separators.length)];
      parts.push(word, separator);
      size += word.length + separator.length;
    }
    if (next() < 0.3) parts.push('\n');
    if (next() < 0.2) parts.unshift(' ');
    out.add(parts.join(''));
  }
  return [...out];
}

/** JSON that go-yaml v3 reads back exactly (it rejects raw DEL/C1 controls and treats NEL/LS/PS/BOM specially). */
function toYamlSafeJson(value: Json): string {
  const json = JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? `__big${v.toString()}__` : v));
  return json
    .replace(/"__big(-?\d+)__"/g, '$1')
    .replace(/[\u007f-\u009f\u2028\u2029\ufeff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function assertSameAsKubectl(objects: JsonObject[]): void {
  const files: Record<string, string> = {};
  objects.forEach((o, i) => (files[`r${String(i).padStart(3, '0')}.yaml`] = toYamlSafeJson(o)));
  const run = kubectlKustomize(files);
  assert.ok(run.ok, `kubectl kustomize failed: ${run.stderr}`);
  const ours = emitDocuments(objects);
  assert.ok(ours === run.stdout, firstDifference(run.stdout, ours));
}

function configMap(name: string, data: JsonObject): JsonObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data };
}

function custom(name: string, spec: Json): JsonObject {
  return { apiVersion: 'example.com/v1', kind: 'Foo', metadata: { name }, spec };
}

describe('yaml emit: byte-identical to kubectl kustomize', function () {
  this.timeout(20000);
  before(function () {
    needKubectl(this);
  });

  const strings = generatedStrings();

  it(`prints ${strings.length} tricky strings as values, keys, list items and deeply nested values like kubectl`, function () {
    assert.ok(strings.length > 800, `expected many generated strings, got ${strings.length}`);
    const values: JsonObject = {};
    strings.forEach((s, i) => (values[`v${String(i).padStart(4, '0')}`] = s));
    // One key per map: keys with digits and letters can compare in a cycle, and then kubectl's order is random.
    const keys = custom(
      'keys',
      strings.map((s, i) => ({ [s]: i % 3 === 0 ? s : `k${i}` })),
    );
    const nested = custom('nested', {
      a: { b: { c: { items: strings.slice(0, 400).map((s) => ({ name: s, value: [s] })) } } },
      list: strings.slice(400),
    });
    assertSameAsKubectl([configMap('values', values), keys, nested]);
  });

  it('orders keys like go-yaml v2 (digit runs by value, letters before other characters)', function () {
    const fixed = [
      'a1',
      'a10',
      'a2',
      'A',
      'B',
      'Z',
      '_x',
      '-y',
      '.z',
      '1',
      '10',
      '2',
      '01',
      '001',
      '0',
      '00',
      'é',
      'Ä',
      'z',
      'aB',
      'ab',
      'Ab',
      'a b',
      'a-b',
      'a_b',
      'a.b',
      'a/b',
      '~x',
      'x~',
      '9223372036854775807',
      'v1',
      'v2',
      'v10',
      '日本',
      '٣',
      '١٢',
    ];
    const next = random(7);
    // No digits among the random characters: where digit runs meet letters go-yaml's comparison is not
    // transitive, and for large maps kubectl's own order then changes from run to run.
    const alphabet = ['a', 'b', 'A', 'z', '_', '-', '.', 'é', '日', ' ', '~'];
    const keys = new Set(fixed);
    while (keys.size < 700) {
      const length = 1 + Math.floor(next() * 5);
      let key = '';
      for (let i = 0; i < length; i++) key += alphabet[Math.floor(next() * alphabet.length)];
      keys.add(key);
    }
    const ordered = [...keys].sort(compareKeys);
    for (let i = 0; i < ordered.length; i++) {
      for (let j = i + 1; j < ordered.length; j++) {
        assert.ok(
          compareKeys(ordered[i], ordered[j]) < 0,
          `key order is not total: ${JSON.stringify(ordered[i])} / ${JSON.stringify(ordered[j])}`,
        );
      }
    }
    const data: JsonObject = {};
    for (const k of keys) data[k] = 'v';
    assertSameAsKubectl([configMap('keys', data)]);
  });

  it('prints numbers, booleans, null, empty collections and nesting like kubectl', function () {
    const numbers: Json[] = [
      0,
      -0,
      1,
      -1,
      1.5,
      0.1,
      1e-6,
      1e-7,
      1.5e-7,
      123456.5,
      1234567.5,
      1e20,
      1e21,
      1.5e300,
      -1.5e300,
      5e-324,
      123456789012345680000,
      9007199254740993n,
      12345678901234567890n,
      -9223372036854775808n,
      18446744073709551615n,
      0.000123,
      100,
      1e5,
      Number.MAX_SAFE_INTEGER,
      2 ** 63,
      2 ** 64,
      3.14159,
      -2.5e-5,
    ];
    const next = random(4242);
    for (let i = 0; i < 300; i++) {
      const digits = 1 + Math.floor(next() * 17);
      const mantissa = Math.floor(next() * 10 ** digits) * (next() < 0.3 ? -1 : 1);
      const exponent = Math.floor(next() * 60) - 30;
      numbers.push(Number(`${mantissa}e${exponent}`));
    }
    const spec: JsonObject = {
      numbers,
      named: Object.fromEntries(numbers.map((n, i) => [`n${i}`, n])),
      flags: [true, false, null],
      empty: { map: {}, list: [], nested: [[], {}, [[]], [{}], { a: [] }] },
      lists: [[1, [2, [3]]], [{ a: 1, b: [{ c: [] }] }], { x: [[{ y: 'z' }]] }],
      'null-value': null,
      matrix: [[['deep']]],
    };
    assertSameAsKubectl([custom('numbers', spec)]);
  });

  it("folds NEL (U+0085) in values the way kustomize's JSON-to-YAML step does", function () {
    const texts = [
      'a\u0085b',
      '\u0085',
      'x y\u0085',
      'a \u0085 b',
      'a\u0085\u0085b',
      'a\u0085 \u0085\u0085  b',
      'a\n\u0085b',
      '\u0085\u0085',
      'long ' + 'word '.repeat(30) + '\u0085tail',
    ];
    const data: JsonObject = {};
    texts.forEach((t, i) => (data[`k${i}`] = t));
    assertSameAsKubectl([configMap('nel', data)]);
  });

  it('names the kubectl failure for strings kustomize cannot print (DEL, C1 controls, NEL in keys)', function () {
    const cases: Array<[JsonObject, RegExp]> = [
      [configMap('del', { k: 'a\u007fb' }), /control characters are not allowed/],
      [configMap('c1', { k: ['x', { y: 'a\u0090' }] }), /control characters are not allowed/],
      [configMap('key', { 'a\u0085b': 'v' }), /did not find expected/],
    ];
    for (const [object, message] of cases) {
      const run = kubectlKustomize({ 'r.yaml': toYamlSafeJson(object) });
      assert.ok(!run.ok, `kubectl printed ${run.stdout}`);
      assert.match(run.stderr, message);
      assert.match(outputProblem([object]) ?? '', message);
    }
    assert.strictEqual(outputProblem([configMap('fine', { k: 'a\u0085b', t: 'tab\there', e: '😀' })]), undefined);
    // An annotation key set by a transformer is re-read as plain YAML at the end of kustomize's build.
    const run = kubectlKustomizeWith(
      { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' },
      'resources:\n- cm.yaml\ncommonAnnotations:\n  "true": x\n',
    );
    assert.ok(!run.ok && /unsupported type/.test(run.stderr), run.stderr);
    const annotated = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: { true: 'x' } } };
    assert.match(outputProblem([annotated]) ?? '', /unsupported type/);
    assert.strictEqual(outputProblem([{ ...annotated, metadata: { name: 'c', annotations: { yes: 'x', 'a.b/c': '1' } } }]), undefined);
  });

  it("prints annotation values as strings and drops empty annotations, like kustomize's final rewrite", function () {
    const resource =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    a: ~\n    b: 1.0\n    c: 012\n    d: 0x10\n    e: yes\n    f: 2001-12-14\n    g: 1e21\n    h: "x"\n';
    // A JSON 6902 patch sends the object through JSON, so kubectl prints the typed values' JSON text.
    const kustomization =
      'resources:\n- cm.yaml\npatches:\n- target:\n    kind: ConfigMap\n  patch: |-\n    - op: add\n      path: /data\n      value: {q: x}\n';
    const run = kubectlKustomizeWith({ 'cm.yaml': resource }, kustomization);
    assert.ok(run.ok, run.stderr);
    const typed: JsonObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      data: { q: 'x' },
      metadata: { name: 'c', annotations: { a: null, b: 1, c: 10, d: 16, e: 'yes', f: '2001-12-14T00:00:00Z', g: 1e21, h: 'x' } },
    };
    assert.ok(emitYaml(typed) === run.stdout, firstDifference(run.stdout, emitYaml(typed)));
    const empty = kubectlKustomize({
      'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations: {}\n  labels: {}\n',
    });
    assert.strictEqual(
      emitYaml({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', annotations: {}, labels: {} } }),
      empty.stdout,
    );
  });

  it('separates documents with "---" and ends the stream with a single newline, no leading separator', function () {
    const objects = [configMap('a', { x: 'multi\nline\n\n' }), configMap('b', { y: '' }), custom('c', { z: 'end' })];
    assertSameAsKubectl(objects);
    const text = emitDocuments(objects);
    assert.ok(!text.startsWith('---'));
    assert.ok(text.endsWith('z: end\n'));
    assert.strictEqual(text.split('\n---\n').length, 3);
  });
});
