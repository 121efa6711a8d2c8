// Hostile YAML: nesting too deep for the parser's stack.
import { strict as assert } from 'assert';
import { parseYamlFile } from '../../../server/src/kustomize/yaml/parse';

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
