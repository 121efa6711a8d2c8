import * as assert from 'assert';
import { parseYamlFile, parseYamlFileCached } from '../../../server/src/kustomize/yaml/parse';
import type { Json, Problem } from '../../../server/src/kustomize/types';

function only(problems: Problem[], code: string): Problem {
  assert.strictEqual(problems.length, 1, JSON.stringify(problems));
  assert.strictEqual(problems[0].code, code);
  assert.strictEqual(problems[0].severity, 'error');
  return problems[0];
}

// How long the big inputs below take (and a 1 MB file): bench/complexity.ts (npm run bench:complexity).
describe('yaml parse: problems, limits and ranges', function () {
  this.timeout(20000);
  it('reports a syntax error at its line and keeps the other documents', function () {
    const text = 'a: 1\n---\nb: [1, 2\n---\nc: 3\n';
    const parsed = parseYamlFile('f.yaml', text);
    assert.ok(parsed.problems.length >= 1);
    assert.ok(parsed.problems.every((p) => p.code === 'invalid-yaml' && p.file === 'f.yaml'));
    assert.ok((parsed.problems[0].range?.start.line ?? -1) >= 2);
    assert.deepStrictEqual(
      parsed.documents.map((d) => d.value),
      [{ a: 1 }, null, { c: 3 }],
    );
  });

  it('reports a duplicate key at the second occurrence, naming the first line', function () {
    const p = only(parseYamlFile('f.yaml', 'a: 1\nb:\n  x: 1\n  x: 2\n').problems, 'invalid-yaml');
    assert.deepStrictEqual(p.range, { start: { line: 3, character: 2 }, end: { line: 3, character: 3 } });
    assert.match(p.message, /mapping key "x" already defined at line 3/);
  });

  it('reports tabs used for indentation', function () {
    const parsed = parseYamlFile('f.yaml', 'a:\n\tb: 1\n');
    assert.ok(parsed.problems.some((p) => p.code === 'invalid-yaml' && p.range?.start.line === 1 && /tab/i.test(p.message)));
  });

  it('reports binary content (NUL) and invalid UTF-8 (U+FFFD) where it is', function () {
    const nul = only(parseYamlFile('f.yaml', 'a: 1\nb: x\u0000y\n').problems, 'invalid-yaml');
    assert.deepStrictEqual(nul.range?.start, { line: 1, character: 4 });
    const bad = only(parseYamlFile('f.yaml', 'a: \ufffd\n').problems, 'invalid-yaml');
    assert.deepStrictEqual(bad.range?.start, { line: 0, character: 3 });
  });

  it('refuses files larger than the limit without parsing them', function () {
    const p = only(parseYamlFile('f.yaml', 'a: ' + 'x'.repeat(2000), { maxFileBytes: 1000 }).problems, 'yaml-limit');
    assert.match(p.message, /larger than/);
  });

  it('stops a billion-laughs alias bomb', function () {
    const lines = ['a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]'];
    for (let i = 1; i <= 9; i++)
      lines.push(
        `a${i}: &a${i} [${Array(10)
          .fill(`*a${i - 1}`)
          .join(', ')}]`,
      );
    const parsed = parseYamlFile('bomb.yaml', lines.join('\n') + '\n');
    const p = only(parsed.problems, 'yaml-limit');
    assert.match(p.message, /aliasing/);
    assert.strictEqual(parsed.documents[0].value, null);
  });

  it('keeps ordinary anchors and aliases working', function () {
    const parsed = parseYamlFile('f.yaml', 'x: &x {a: [1, 2]}\ny: *x\nz: *x\n');
    assert.deepStrictEqual(parsed.problems, []);
    const value = parsed.documents[0].value as { y: Json; z: Json };
    assert.deepStrictEqual(value.y, { a: [1, 2] });
    assert.notStrictEqual(value.y, value.z, 'each alias gets its own copy, so transformers can change one');
  });

  it('parses a 10,000-document file and refuses the 10,001st document', function () {
    const doc = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n';
    const parsed = parseYamlFile('many.yaml', Array(10000).fill(doc).join('---\n'));
    assert.strictEqual(parsed.documents.length, 10000);
    assert.deepStrictEqual(parsed.problems, []);
    const over = parseYamlFile('many.yaml', Array(12).fill(doc).join('---\n'), { maxDocuments: 10 });
    assert.strictEqual(over.documents.length, 10);
    const p = only(over.problems, 'yaml-limit');
    assert.strictEqual(p.range?.start.line, 49, 'at the --- that starts document 11');
  });

  it('bounds deep nesting (block and flow) without throwing', function () {
    let block = '';
    for (let i = 0; i < 600; i++) block += ' '.repeat(i) + `k${i}:\n`;
    const p = only(parseYamlFile('deep.yaml', block).problems, 'yaml-limit');
    assert.match(p.message, /deeper than 500/);
    const flow = parseYamlFile('flow.yaml', 'a: ' + '['.repeat(50000) + ']'.repeat(50000) + '\n');
    assert.ok(flow.problems.length > 0 && flow.problems.every((p) => p.code === 'yaml-limit' || p.code === 'invalid-yaml'));
  });

  it('locates values and keys by path, through lists, aliases and merges', function () {
    const text = 'base: &b\n  image: nginx\nspec:\n  <<: *b\n  containers:\n  - name: c\n    image: "app:1"\n  alias: *b\n';
    const doc = parseYamlFile('f.yaml', text).documents[0];
    assert.deepStrictEqual(doc.locate(['spec', 'containers', 0, 'image']), {
      start: { line: 6, character: 11 },
      end: { line: 6, character: 18 },
    });
    assert.deepStrictEqual(doc.locate(['spec', 'containers', 0, 'image'], { key: true }), {
      start: { line: 6, character: 4 },
      end: { line: 6, character: 9 },
    });
    assert.deepStrictEqual(doc.locate(['spec', 'image']), { start: { line: 1, character: 9 }, end: { line: 1, character: 14 } });
    assert.deepStrictEqual(doc.locate(['spec', 'alias', 'image'])?.start, { line: 1, character: 9 });
    assert.strictEqual(doc.locate(['spec', 'missing']), undefined);
    assert.strictEqual(doc.locate(['spec', 'containers', 5]), undefined);
    assert.deepStrictEqual(doc.range.start, { line: 0, character: 0 });
  });

  it('keeps ranges right with CRLF line endings and a byte-order mark', function () {
    const text = '\ufeffa: 1\r\nb:\r\n  c: "x"\r\n';
    const parsed = parseYamlFile('f.yaml', text);
    assert.deepStrictEqual(parsed.problems, []);
    assert.deepStrictEqual(parsed.documents[0].value, { a: 1, b: { c: 'x' } });
    assert.deepStrictEqual(parsed.documents[0].locate(['a'], { key: true }), {
      start: { line: 0, character: 0 },
      end: { line: 0, character: 1 },
    });
    assert.deepStrictEqual(parsed.documents[0].locate(['b', 'c']), { start: { line: 2, character: 5 }, end: { line: 2, character: 8 } });
  });

  it('gives the document index and the range of each document', function () {
    const parsed = parseYamlFile('f.yaml', 'a: 1\n---\nb: 2\n');
    assert.deepStrictEqual(
      parsed.documents.map((d) => [d.index, d.range.start.line]),
      [
        [0, 0],
        [1, 2],
      ],
    );
  });

  it('returns the same object for the same file and text, and reparses changed text', function () {
    const first = parseYamlFileCached('/repo/a.yaml', 'a: 1\n');
    assert.strictEqual(parseYamlFileCached('/repo/a.yaml', 'a: 1\n'), first);
    const changed = parseYamlFileCached('/repo/a.yaml', 'a: 2\n');
    assert.notStrictEqual(changed, first);
    assert.deepStrictEqual(changed.documents[0].value, { a: 2 });
    assert.notStrictEqual(parseYamlFileCached('/repo/b.yaml', 'a: 1\n'), first);
  });
});

describe('yaml parse: one composition shared by both dialects', () => {
  it('reads a text in the second dialect exactly as a fresh parse does (values, problems, ranges)', () => {
    // YAML 1.1 (kustomization files) and 1.2 (resources) type these scalars differently.
    const text = '# shared\nenabled: yes\nmode: on\noctal: 0o17\nold: 017\nlist:\n  - a\n  - b: 1\n---\nsecond: ~\nbad: [1, 2\n';
    const file = '/shared/kustomization.yaml';
    for (const order of [
      ['resource', 'kustomization'],
      ['kustomization', 'resource'],
    ] as const) {
      const name = `${file}.${order[0]}`;
      for (const dialect of order) {
        const cached = parseYamlFileCached(name, text, undefined, { dialect });
        const fresh = parseYamlFile(name, text, undefined, { dialect });
        assert.deepStrictEqual(
          cached.documents.map((d) => d.value),
          fresh.documents.map((d) => d.value),
          `${dialect} after ${order[0]}: values`,
        );
        assert.deepStrictEqual(cached.problems, fresh.problems, `${dialect} after ${order[0]}: problems`);
        assert.deepStrictEqual(cached.documents[0].locate(['list', 1, 'b']), fresh.documents[0].locate(['list', 1, 'b']));
      }
    }
    const resource = parseYamlFile(file, text, undefined, { dialect: 'resource' }).documents[0].value as Record<string, Json>;
    const kustomization = parseYamlFile(file, text, undefined, { dialect: 'kustomization' }).documents[0].value as Record<string, Json>;
    assert.notDeepStrictEqual(resource, kustomization, 'the dialects must differ on this text, or the test proves nothing');
  });

  it('reads a folded scalar with more-indented lines as kubectl does: one more newline before each, in resources only', function () {
    const text = 'a: >-\n  first\n    indented\n  last\nb: >-\n  x\n\n  y\n';
    const resource = parseYamlFile('/r.yaml', text, undefined, { dialect: 'resource' }).documents[0].value as Record<string, Json>;
    assert.strictEqual(resource.a, 'first\n\n  indented\nlast');
    assert.strictEqual(resource.b, 'x\ny', 'no more-indented line: folded as the YAML spec says');
    const kustomization = parseYamlFile('/k.yaml', text, undefined, { dialect: 'kustomization' }).documents[0].value as Record<
      string,
      Json
    >;
    assert.strictEqual(kustomization.a, 'first\n  indented\nlast');
  });
});
