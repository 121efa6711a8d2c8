import * as assert from 'assert';
import { parseYamlFile, type ParsedFile } from '../../../server/src/kustomize/yaml/parse';
import { emitDocuments } from '../../../server/src/kustomize/yaml/emit';
import type { Json } from '../../../server/src/kustomize/types';
import { firstDifference, kubectlKustomize, kubectlKustomizeWith, needKubectl } from '../kustomize/yaml-kubectl';

const TYPED = `apiVersion: example.com/v1
kind: Foo
metadata:
  name: typed
  labels:
    l1: 012
    l2: yes
    l3: 1.0
  annotations:
    octal: 012
    bool: true
    float: 1e3
    tilde: ~
    empty:
    nulltag: !!null
    tab: "a\\tb"
    exp: 1.0e+3
    date: 2001-12-14
    lit: |
      hello
    folded: >-
      folded
      text
    tagged: !!int 7
    anchored: &A 0x10
    aliased: *A
    map: {b: 1}
spec:
  octal: 012
  hex: 0x1F
  octal12: 0o17
  binary: 0b101
  negbinary: -0b11
  under: 1_000
  eight: 08
  onepointzero: 1.0
  exp: 1e3
  half: .5
  plushalf: +.5
  yes: yes
  on: on
  isTrue: True
  isFalse: FALSE
  date: 2001-12-14
  shortdate: 2001-1-2
  datetime: 2001-12-14t21:59:43.10-05:00
  spaced: 2001-12-14 21:59:43.10 -5
  nanos: 2001-12-14T21:59:43.123456789012Z
  utc: 2001-12-14T21:59:43+00:00
  nozone: 2001-12-14 21:59:43.5
  feb30: 2001-02-30
  leap: 1999-12-31T23:59:60Z
  quoteddate: "2001-12-14"
  str: !!str 12
  float: !!float 3
  int: !!int "3"
  ts: !!timestamp 2001-12-14
  binary64: !!binary aGVsbG8=
  custom: !foo bar
  custommap: !foo {a: 1}
  big: 12345678901234567890
  maxuint: 0xFFFFFFFFFFFFFFFF
  overuint: 0x10000000000000000
  huge: 123456789012345678901234
  exact: 9007199254740993
  minint: -9223372036854775808
  tiny: 1.5e-7
  sub: 4.9e-324
  overflow: 1e400
  e20: 1e20
  e21: 1e21
  g6: 1234567.5
  g5: 123456.5
  nulls: [~, null, Null, NULL, ]
  empty:
  minuszero: -0
  plus: +12
  sexagesimal: 1:20
  notnumbers: [0o, 0b, 1e, _1, 0x_1F, 1__0, 1_, 0., 00]
  plainmulti: plain
    multi line
  single: 'it''s'
  double: "uni \\u00e9 \\x41"
  literal: |
    line1
     line2

  folded: >
    folded
    more

    para
  keep: |+
    keep

  strip: |-
    strip
  "quoted key": v
  'no': quoted no key
`;

const MERGES = `apiVersion: example.com/v1
kind: Foo
metadata:
  name: merges
base: &B
  a: 1
  b: 2
extra: &E
  b: 20
  c: 30
spec:
  single:
    <<: *B
    b: 3
  list:
    <<: [*E, *B]
    d: 4
  inline:
    <<: {x: 1}
    y: 2
  "<<": dropped
  reused: *B
  seq: &S [1, [2, 3]]
  seqAgain: *S
`;

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

function values(file: ParsedFile): Json[] {
  return file.documents.map((d) => d.value).filter((v) => v !== null);
}

function assertSameAsKubectl(resources: Record<string, string>): void {
  const run = kubectlKustomize(resources);
  assert.ok(run.ok, `kubectl kustomize failed: ${run.stderr}`);
  const all: Json[] = [];
  for (const [name, text] of Object.entries(resources)) {
    const parsed = parseYamlFile(name, text);
    assert.deepStrictEqual(parsed.problems, [], `unexpected problems in ${name}`);
    all.push(...values(parsed));
  }
  const ours = emitDocuments(all);
  assert.ok(ours === run.stdout, firstDifference(run.stdout, ours));
}

describe('yaml parse: values typed like kustomize (differential against kubectl)', function () {
  this.timeout(20000);
  before(function () {
    needKubectl(this);
  });

  it('resolves scalars like go-yaml v3 + JSON, and keeps annotation values as written', function () {
    assertSameAsKubectl({ 'typed.yaml': TYPED });
  });

  it('applies merge keys (<<) with explicit keys winning, expands aliases and drops quoted "<<" keys', function () {
    assertSameAsKubectl({ 'merges.yaml': MERGES });
  });

  it('reads CRLF line endings and a byte-order mark like kubectl', function () {
    // kubectl orders resources of one kind by name, so the file order here follows the names.
    assertSameAsKubectl({ 'bom.yaml': '\ufeff' + MERGES.replace('name: merges', 'name: bom'), 'crlf.yaml': TYPED.replace(/\n/g, '\r\n') });
  });

  it('reads several documents, empty documents and comments like kubectl', function () {
    const text = `# leading comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v # trailing\n---\n---\n# only a comment\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n  annotations: {}\n  labels: {}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n...\n`;
    assertSameAsKubectl({ 'multi.yaml': text });
  });

  it('types hundreds of generated plain scalars (numbers, dates, near-misses) like kubectl', function () {
    const next = random(99);
    const pieces = [
      '0',
      '1',
      '7',
      '9',
      '12',
      '08',
      '0x',
      '0o',
      '0b',
      '1F',
      'e',
      'E',
      '+',
      '-',
      '.',
      '_',
      ':',
      '5',
      '00',
      '2001',
      '-12',
      '-14',
      '-1',
      '-2',
      'T',
      't',
      ' ',
      'Z',
      '+01:30',
      '-05:00',
      '.5',
      'a',
      'inf',
      'nan',
      'y',
      'n',
      'o',
    ];
    const scalars = new Set<string>([
      '2001-12-14',
      '2001-1-2',
      '2001-12-14T21:59:43Z',
      '2001-12-14t1:2:3.25+02:00',
      '2001-12-14 21:59:43.10',
      '2001-12-14 1:2:3',
      '2001-13-01',
      '2000-02-29',
      '1900-02-29',
      '2001-12-14T24:00:00Z',
      '1e308',
      '1e309',
      '-1e308',
      '2.5e-308',
      '0.1e-320',
      '9223372036854775807',
      '9223372036854775808',
      '-9223372036854775809',
      '18446744073709551615',
      '18446744073709551616',
      '0x8000000000000000',
      '-0x8000000000000000',
      '0b' + '1'.repeat(64),
      '0777777777777777777777',
    ]);
    while (scalars.size < 600) {
      let text = '';
      const count = 1 + Math.floor(next() * 4);
      for (let i = 0; i < count; i++) text += pieces[Math.floor(next() * pieces.length)];
      text = text.trim();
      // Only texts that stay one plain scalar in a block mapping value.
      if (!text || /: |:$|^[-?:,[\]{}#&*!|>'"%@`]|\s#|^---|^\.\.\./.test(text)) continue;
      scalars.add(text);
    }
    const spec: string[] = [];
    let i = 0;
    for (const text of scalars) {
      const line = `  v${String(i++).padStart(4, '0')}: ${text}`;
      // kustomize fails on Inf/NaN; those are covered by the failure cases below.
      if (parseYamlFile('probe.yaml', `a: ${text}\n`).problems.length === 0) spec.push(line);
    }
    assert.ok(spec.length > 500, `only ${spec.length} usable scalars`);
    assertSameAsKubectl({
      'scalars.yaml': `apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: scalars\nspec:\n${spec.join('\n')}\n`,
    });
  });

  it('keeps annotation text as go-yaml reads it (escapes, folded and kept block scalars, end of file)', function () {
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    q: "it\\\'s"\n';
    for (const tail of ['    f: >+\n      x\n\n', '    f: |+\n      x', '    f: >-\n      x\n\n      y\n']) {
      const run = kubectlKustomize({ 'cm.yaml': head + tail });
      assert.ok(run.ok, run.stderr);
      const ours = emitDocuments(values(parseYamlFile('cm.yaml', head + tail)));
      assert.ok(ours === run.stdout, `${JSON.stringify(tail)}\n${firstDifference(run.stdout, ours)}`);
    }
  });

  it('rewrites annotations of the items of a List like kubectl', function () {
    const text = `apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: a\n    annotations:\n      n: 012\n      b: yes\n  data:\n    x: 012\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n    annotations: {}\n`;
    const run = kubectlKustomize({ 'list.yaml': text });
    assert.ok(run.ok, run.stderr);
    const list = parseYamlFile('list.yaml', text).documents[0].value as { items: Json[] };
    const ours = emitDocuments(list.items);
    assert.ok(ours === run.stdout, firstDifference(run.stdout, ours));
  });

  it('types a kustomization file the way kustomize decodes it (YAML 1.1: yes/on/y are booleans)', function () {
    const kustomization =
      'resources:\n- cm.yaml\ncommonAnnotations:\n  bool: yes\n  date: 2001-12-14\n  octal: 012\n  none: ~\n1: numeric key\n';
    const parsed = parseYamlFile('kustomization.yaml', kustomization, undefined, { dialect: 'kustomization' });
    assert.deepStrictEqual(parsed.problems, []);
    assert.deepStrictEqual(parsed.documents[0].value, {
      resources: ['cm.yaml'],
      commonAnnotations: { bool: true, date: '2001-12-14', octal: 10, none: null },
      '1': 'numeric key',
    });
    const repeated = parseYamlFile('kustomization.yaml', 'namePrefix: a-\nnamePrefix: b-\n', undefined, { dialect: 'kustomization' });
    assert.deepStrictEqual([repeated.problems, repeated.documents[0].value], [[], { namePrefix: 'b-' }], 'the last repeated key wins');
    // kubectl rejects the boolean for a string field, which is what the typed value lets the caller report.
    const dir = { 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n' };
    const run = kubectlKustomizeWith(dir, 'resources:\n- cm.yaml\ncommonAnnotations:\n  a: yes\n');
    assert.ok(!run.ok && /cannot unmarshal bool/.test(run.stderr), run.stderr);
    const accepted = kubectlKustomizeWith(dir, 'resources:\n- cm.yaml\ncommonAnnotations:\n  a: 2001-12-14\n');
    assert.ok(accepted.ok && accepted.stdout.includes('a: "2001-12-14"'), accepted.stderr);
  });

  // Syntax corners where go-yaml and the yaml package differ (tabs after '-', escapes like \\' and \\/,
  // empty values in flow collections, YAML 1.1 tags...): each must fail in both or print the same.
  const corners: string[] = [
    'spec:\n  key:\tvalue\n',
    'spec:\n  list:\n  - \tx\n',
    'spec:\n  a: |\n    line\n    \ttabbed\n',
    '%YAML 1.1\n---\nspec:\n  a: 1\n',
    'spec: {a: 1,\n  b: [x,\n   y], c: "d"}\n',
    'spec:\n  &k key: v\n  other: *k\n',
    'spec:\n  list:\n  # comment\n  - a\n  # another\n  - b\n',
    'spec:\n  ? a\n  : b\n  ? [x]\n  : c\n',
    'spec:\n  e: "\\x41\\u00e9\\U0001F600\\/\\ \\_\\N\\L\\P\\e\\0\\a"\n',
    "spec:\n  s: 'one\n    two\n\n    three'\n",
    'spec:\n  p: a\n    b\n\n    c\n',
    'spec:\n  - a\n',
    'spec:\n  a: 1 # comment\n  b: "x" #c\n  c: x#y\n',
    'spec:\n  a: !!set {x, y}\n',
    'spec:\n  a: !!omap [x: 1]\n',
    'spec:\n  a: !<tag:yaml.org,2002:str> 12\n',
    'spec:\n  a: !!str\n  b: !!null ""\n',
    'spec:\n  "a\\nb": 1\n  ? |\n    block key\n  : 2\n',
    'spec:\n  l:\n  -\tx\n',
    'spec:\n  key: \tvalue\n',
    'spec:\n  key:\t\tvalue\n',
    'spec:\n  l:\n  - a: \tb\n',
    'spec:\n  l:\n  - \t- x\n',
    'spec:\n  e: "it\\\'s"\n',
    'spec:\n  e: "\\ud800"\n',
    'spec:\n  e: "a\\\tb"\n',
    'spec:\n  e: "a\\\n    b"\n',
    'spec:\n  s: !!set {x, y}\n',
    'spec:\n  l:\n  - x\n  -\ty\n',
    'spec:\n  m: {a: \tb}\n',
    'spec:\n  s: {x, y}\n',
    'spec:\n  s: {x: , y: ~}\n',
    'spec:\n  ? x\n  ? y\n',
    'spec:\n  s: [a: , b]\n',
    'spec:\n  s:\n    x:\n    y: !!null\n',
    'spec: {"a":1, "b":[true,null,"x"], "c":{"d":-1.5e3}}\n',
    'spec:\n  a: %x\n',
    'spec:\n  a: b\tc\t\n',
    'spec:\n  a: |2\n     two\n    one\n',
    'spec:\n  a: | # comment\n    text\n',
    'spec:\n  a: |\n\n\n    text\n',
    'spec:\n  a: >+\n    x\n\n',
    'spec:\n  a: [one two,\n    three]\n',
    'spec:\n  a: {x: 1}  # c\n  b: [1]# no\n',
    'spec:\n  a: "multi\n    line\n\n    quoted"\n',
    'spec:\n  a: x\n  b:   \n  c:\t\n',
    'spec:\n  ? \n  : v\n',
    'spec:\n  a:\n    - 1\n    - 2\n  b:\n  - 3\n',
    'spec:\n  a: &anc!x v\n',
    'spec:\n  a: plain: no\n',
    'spec:\n  a: x\n   y\n',
    'spec:\n  "a": 1\n  \'b\': 2\n  ? c\n  : 3\n',
    'spec:\n  a: 0x1F\n  b: "0x1F"\n  c: !!int 0x1F\n',
    'spec:\n  a: [a, b, ]\n',
    'spec:\n  a: {a: 1, }\n',
    'spec:\n  a: "\\t\\"\\\\"\n',
    "spec:\n  a: '\\t'\n",
    'spec:\n  a: "x"# no\n  b: \'y\'#c\n',
    'spec:\n  : v\n',
    'spec: {: v}\n',
    'spec:\n  ? !!str\n  : v\n',
    'spec:\n  a: &a-b_1 v\n  b: *a-b_1\n',
    'spec:\n  a: &a.b v\n',
    'spec:\n  a: >+\n    x\n\n  b: 1\n',
    'spec:\n  a: >+\n    x\n    y\n\n\n  b: 1\n',
    'spec:\n  a: >+\n    x\n\n    y\n\n  b: 1\n',
    'spec:\n  a: >+\n\n  b: 1\n',
    'spec:\n  a: |+\n\n  b: 1\n',
    'spec:\n  a: |+\n    x',
    'spec:\n  a: >\n    x',
    'spec:\n  a: |-\n    x',
    'spec:\n  a: >+\n    x\n\n',
    'spec:\n  a: |+\n    x\n\n\n',
  ];
  it(`agrees with kubectl on ${corners.length} syntax corner cases`, function () {
    const texts = corners.map(
      (body, i) => `apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: x${String(i).padStart(2, '0')}\n${body}`,
    );
    const parsed = texts.map((text, i) => parseYamlFile(`r${i}.yaml`, text));
    // What we reject must fail in kubectl, one by one; what we accept must print the same, all in one run.
    const accepted: Record<string, string> = {};
    texts.forEach((text, i) => {
      if (parsed[i].problems.length === 0) {
        accepted[`r${String(i).padStart(2, '0')}.yaml`] = text;
        return;
      }
      const run = kubectlKustomize({ 'r.yaml': text });
      assert.ok(!run.ok, `we reject ${JSON.stringify(corners[i])} (${parsed[i].problems[0].message}) but kubectl prints:\n${run.stdout}`);
    });
    const run = kubectlKustomize(accepted);
    assert.ok(run.ok, `kubectl rejects one we accept: ${run.stderr}`);
    const ours = emitDocuments(parsed.filter((p) => p.problems.length === 0).flatMap(values));
    assert.ok(ours === run.stdout, firstDifference(run.stdout, ours));
  });

  const failures: Array<[string, string, string, number]> = [
    ['an integer key', 'spec:\n  1: a\n', 'invalid-yaml', 5],
    ['a boolean key', 'spec:\n  true: b\n', 'invalid-yaml', 5],
    ['a null key', 'spec:\n  ~: c\n', 'invalid-yaml', 5],
    ['an annotation key that reads as a number', 'spec: {}\n', 'invalid-yaml', -1],
    ['an infinite number', 'spec:\n  x: .inf\n', 'invalid-yaml', 5],
    ['not-a-number', 'spec:\n  x: .NaN\n', 'invalid-yaml', 5],
    ['a duplicate key', 'spec:\n  x: 1\n  x: 2\n', 'invalid-yaml', 6],
    ['an unclosed flow sequence', 'spec:\n  x: [1, 2\n', 'invalid-yaml', 6],
    ['a tab used for indentation', 'spec:\n\tx: 1\n', 'invalid-yaml', 5],
    ['an unknown alias', 'spec:\n  x: *nope\n', 'invalid-yaml', 5],
    ['a merge of a scalar', 'spec:\n  <<: k\n', 'invalid-yaml', 5],
    ['a mistyped !!int', 'spec:\n  x: !!int abc\n', 'invalid-yaml', 5],
  ];
  for (const [what, body, code, line] of failures) {
    it(`fails like kubectl on ${what}`, function () {
      const header = 'apiVersion: example.com/v1\nkind: Foo\nmetadata:\n  name: bad\n';
      const text = line < 0 ? header.replace('name: bad\n', 'name: bad\n  annotations:\n    "1": x\n') + body : header + body;
      const run = kubectlKustomize({ 'bad.yaml': text });
      assert.ok(!run.ok, `kubectl accepted it:\n${run.stdout}`);
      const parsed = parseYamlFile('bad.yaml', text);
      assert.ok(parsed.problems.length > 0, 'no problem reported');
      assert.strictEqual(parsed.problems[0].code, code);
      assert.strictEqual(parsed.problems[0].file, 'bad.yaml');
      if (line >= 0) assert.strictEqual(parsed.problems[0].range?.start.line, line, JSON.stringify(parsed.problems[0]));
    });
  }
});
