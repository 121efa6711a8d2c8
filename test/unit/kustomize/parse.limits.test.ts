// Hostile YAML: nesting too deep for the parser's stack, and a parse cache that must stay bounded in bytes.
import { strict as assert } from 'assert';
import { parseCacheStats, parseYamlFile, parseYamlFileCached, setParseCacheLimits } from '../../../server/src/kustomize/yaml/parse';

describe('yaml parse: nesting deeper than the parser can go', () => {
  const flow = (n: number) => `apiVersion: v1\nkind: ConfigMap\nextra: ${'['.repeat(n)}${']'.repeat(n)}\n`;
  const block = (n: number) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n';

  for (const [name, text, line, character] of [
    ['flow collections', flow(5000), 2, 7 + 500 - 1],
    ['block mappings', block(3000), 500, 500],
  ] as const) {
    it(`${name}: a yaml-limit "nested deeper than N levels" where the limit is passed, not the engine's stack message`, () => {
      const parsed = parseYamlFile('/x.yaml', text);
      assert.equal(parsed.problems.length, 1, JSON.stringify(parsed.problems.map((p) => p.message)));
      const [problem] = parsed.problems;
      assert.equal(problem.code, 'yaml-limit');
      assert.equal(problem.message, 'YAML nested deeper than 500 levels');
      assert.doesNotMatch(problem.message, /call stack/);
      assert.deepEqual(problem.range?.start, { line, character });
    });
  }

  it('the configured depth is the one named, with the line where it is passed', () => {
    const parsed = parseYamlFile('/x.yaml', block(3000), { maxDepth: 100 });
    assert.equal(parsed.problems[0].message, 'YAML nested deeper than 100 levels');
    assert.equal(parsed.problems[0].range?.start.line, 100);
  });
});

describe('yaml parse cache', () => {
  const doc = (i: number, pad: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c${i}\ndata:\n  x: "${'x'.repeat(pad)}"\n`;
  let previous: ReturnType<typeof setParseCacheLimits>;
  beforeEach(() => {
    previous = setParseCacheLimits({ bytes: 0 }); // empties the cache
    setParseCacheLimits({ bytes: 100_000 });
  });
  afterEach(() => {
    setParseCacheLimits({ bytes: 0 });
    setParseCacheLimits(previous);
  });

  it('holds no more source text than its byte cap, evicting the least recently used file first', () => {
    const texts = Array.from({ length: 30 }, (_, i) => doc(i, 10_000));
    const first = parseYamlFileCached('/f0.yaml', texts[0]);
    const parsed = [first];
    for (let i = 1; i < 30; i++) {
      parsed.push(parseYamlFileCached(`/f${i}.yaml`, texts[i]));
      // Keep f0 recently used: it must survive while older files go.
      assert.equal(parseYamlFileCached('/f0.yaml', texts[0]), first);
      assert.ok(parseCacheStats().bytes <= 100_000, JSON.stringify(parseCacheStats()));
    }
    assert.ok(parseCacheStats().files < 30);
    assert.equal(parseYamlFileCached('/f0.yaml', texts[0]), first, 'the recently used file is still cached');
    assert.equal(parseYamlFileCached('/f29.yaml', texts[29]), parsed[29], 'the newest file is cached');
    const again = parseYamlFileCached('/f1.yaml', texts[1]);
    assert.notEqual(again, parsed[1], 'the least recently used file was evicted and parses again');
    assert.deepEqual(again.documents[0].value, parsed[1].documents[0].value);
  });

  it('a text larger than the whole cap is parsed but not kept', () => {
    const huge = doc(0, 200_000);
    const a = parseYamlFileCached('/huge.yaml', huge);
    const b = parseYamlFileCached('/huge.yaml', huge);
    assert.notEqual(a, b);
    assert.deepEqual(a.documents[0].value, b.documents[0].value);
    assert.equal(parseCacheStats().bytes, 0);
  });

  it('composes a text read under several names once, each name keeping its own values and problems', () => {
    // Three documents where two are allowed: a problem found while composing, which names its file.
    const text = `${doc(1, 1)}---\n${doc(2, 1)}---\n${doc(3, 1)}`;
    const limits = { maxDocuments: 2 };
    const a = parseYamlFileCached('/a/patch.yaml', text, limits);
    const b = parseYamlFileCached('/b/patch.yaml', text, limits);
    assert.equal(parseCacheStats().compositions, 1, JSON.stringify(parseCacheStats()));
    assert.deepEqual(
      [a.problems.map((p) => [p.file, p.code]), b.problems.map((p) => [p.file, p.code])],
      [[['/a/patch.yaml', 'yaml-limit']], [['/b/patch.yaml', 'yaml-limit']]],
    );
    assert.deepEqual(b.documents[1].value, a.documents[1].value);
    assert.notEqual(b.documents[1].value, a.documents[1].value, 'each file has its own objects');
    assert.deepEqual(b.documents[1].locate(['metadata', 'name']), { start: { line: 10, character: 8 }, end: { line: 10, character: 10 } });
    // Evicting both entries lets the composition go too.
    setParseCacheLimits({ bytes: 0 });
    assert.equal(parseCacheStats().compositions, 0);
  });

  it('the default cap is 256 MiB', () => {
    setParseCacheLimits(previous);
    assert.equal(setParseCacheLimits({}).bytes, 256 * 1024 * 1024);
  });
});
