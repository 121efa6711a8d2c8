// Bad YAML of every kind: each broken file gets a diagnostic at the line that is wrong, a good folder next
// to it still renders, and nothing takes long.
import { strict as assert } from 'assert';
import { checkRepo, describe as show, makeHostileRepo, type HostileRepo } from './harness';

const HANG_GUARD_MS = 10_000;
const configMap = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\ndata:\n  k: v\n`;
const GOOD = { 'good/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'good/cm.yaml': configMap('good') };

interface Case {
  name: string;
  content: string | Uint8Array;
  /** Expected rule, 1-based line of the diagnostic in bad/cm.yaml, and a word of its message. */
  rule: string;
  line: number;
  says: RegExp;
}

const aliasBomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(
    'bcdefgh'.split('').map(
      (c, i) =>
        `${c}: &${c} [${Array(9)
          .fill('*' + 'abcdefgh'[i])
          .join(',')}]`,
    ),
  )
  .join('\n');

const CASES: Case[] = [
  { name: 'a syntax error', content: configMap('x') + 'more: [\n  oops: {\n', rule: 'render-error', line: 9, says: /Flow (map|sequence)/ },
  {
    name: 'a tab as indentation',
    content: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n\tname: x\n',
    rule: 'render-error',
    line: 4,
    says: /Tabs/,
  },
  { name: 'a duplicate key', content: configMap('x') + 'kind: Secret\n', rule: 'render-error', line: 7, says: /"kind" already defined/ },
  {
    name: 'an alias bomb (billion laughs)',
    content: configMap('x') + aliasBomb + '\n',
    rule: 'render-error',
    line: 9,
    says: /excessive aliasing/,
  },
  {
    name: 'an alias to an unknown anchor',
    content: configMap('x') + 'extra: *nowhere\n',
    rule: 'render-error',
    line: 7,
    says: /nowhere|alias|anchor/i,
  },
  {
    name: 'nesting 5,000 levels deep',
    content: configMap('x') + 'deep: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n',
    rule: 'render-error',
    line: 7,
    says: /deep|stack/i,
  },
  {
    name: 'more documents than the limit (10,001): at the document marker of the first one over',
    content: 'kind: ConfigMap\n---\n'.repeat(10_000) + 'kind: ConfigMap\n',
    rule: 'render-error',
    line: 20_000,
    says: /more than 10000 YAML documents/,
  },
  {
    name: 'binary bytes',
    content: Buffer.concat([Buffer.from(configMap('x')), Buffer.from([0, 1, 2, 0xff, 0xfe, 10])]),
    rule: 'render-error',
    line: 7,
    says: /NUL|binary/,
  },
  {
    name: 'Latin-1 text (not UTF-8)',
    content: Buffer.concat([Buffer.from(configMap('x') + '  caf'), Buffer.from([0xe9, 10])]),
    rule: 'render-error',
    line: 7,
    says: /UTF-8/,
  },
];

describe('hostile YAML', function () {
  this.timeout(60_000);
  for (const c of CASES) {
    it(`${c.name}: a diagnostic at line ${c.line}, the other folders still render`, () => {
      const repo = makeHostileRepo({ ...GOOD, 'bad/kustomization.yaml': 'resources:\n  - cm.yaml\n', 'bad/cm.yaml': c.content });
      try {
        const checked = checkRepo(repo);
        const found = checked.diagnostics.filter((d) => d.file === repo.file('bad/cm.yaml'));
        assert.ok(
          found.some((d) => d.rule === c.rule && d.range.start.line === c.line - 1 && c.says.test(d.message)),
          `expected ${c.rule} at bad/cm.yaml:${c.line} saying ${c.says}; got:\n${checked.diagnostics.map((d) => show(d, repo.root)).join('\n')}`,
        );
        assert.deepEqual(
          checked.diagnostics.filter((d) => d.file.startsWith(repo.file('good/'))).map((d) => show(d, repo.root)),
          [],
        );
        assert.equal(checked.index.renderFolder(repo.file('good')).resources.length, 1);
        assert.ok(checked.ms < HANG_GUARD_MS, `took ${checked.ms.toFixed(0)} ms`);
      } finally {
        repo.dispose();
      }
    });
  }

  it('a byte-order mark and CRLF line ends are valid YAML: no diagnostic, the same render', () => {
    const repo: HostileRepo = makeHostileRepo({
      'bad/kustomization.yaml': '\ufeffresources:\r\n  - cm.yaml\r\n',
      'bad/cm.yaml': '\ufeff' + configMap('x').replace(/\n/g, '\r\n'),
    });
    try {
      const checked = checkRepo(repo);
      assert.deepEqual(
        checked.diagnostics.map((d) => show(d, repo.root)),
        [],
      );
      assert.equal(
        checked.index.renderFolder(repo.file('bad')).yaml,
        'apiVersion: v1\ndata:\n  k: v\nkind: ConfigMap\nmetadata:\n  name: x\n',
      );
    } finally {
      repo.dispose();
    }
  });
});
