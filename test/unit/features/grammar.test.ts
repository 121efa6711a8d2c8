// The ${VAR} injection grammar, checked without vscode-textmate (not installed): its Oniguruma regexes use
// only syntax JavaScript shares, so they run as JS RegExps under a tiny scanner with TextMate's rule (the
// earliest match wins; on a tie, the first pattern).
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

interface Rule {
  match: string;
  name?: string;
  captures?: Record<string, { name: string }>;
}
interface Grammar {
  scopeName: string;
  injectionSelector: string;
  patterns: Array<{ include: string }>;
  repository: Record<string, Rule>;
}

const root = path.resolve(__dirname, '../../..');
const grammar = JSON.parse(fs.readFileSync(path.join(root, 'syntaxes/flux-substitution.injection.json'), 'utf8')) as Grammar;
const rules = grammar.patterns.map((p) => grammar.repository[p.include.replace(/^#/, '')]);

/** Scoped pieces of a line: `[text, scope]` for every capture (or whole match without captures). */
function tokenize(line: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let at = 0;
  while (at < line.length) {
    let best: { index: number; match: RegExpExecArray; rule: Rule } | undefined;
    for (const rule of rules) {
      const re = new RegExp(rule.match, 'gd');
      re.lastIndex = at;
      const match = re.exec(line);
      if (match && match[0].length > 0 && (!best || match.index < best.index)) best = { index: match.index, match, rule };
    }
    if (!best) break;
    const { match, rule } = best;
    if (rule.captures) {
      for (const [group, { name }] of Object.entries(rule.captures)) {
        const text = match[Number(group)];
        if (text) out.push([text, name]);
      }
    } else out.push([match[0], rule.name ?? '']);
    at = match.index + match[0].length;
  }
  return out;
}

describe('syntaxes/flux-substitution.injection.json', () => {
  it('is injected into YAML outside comments', () => {
    assert.equal(grammar.scopeName, 'flux-substitution.injection');
    assert.equal(grammar.injectionSelector, 'L:source.yaml -comment');
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    assert.deepEqual(
      manifest.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === grammar.scopeName),
      {
        scopeName: 'flux-substitution.injection',
        path: './syntaxes/flux-substitution.injection.json',
        injectTo: ['source.yaml'],
      },
    );
  });

  it('uses the string-interpolation scopes the default themes colour apart from YAML strings', () => {
    // VS Code's default light themes colour plain YAML values blue, the same as `variable`-ish scopes: a
    // reference inside one was invisible. meta.template.expression is reset to the editor's foreground by
    // every default theme (as for JavaScript's `${}`), and template-expression punctuation is coloured.
    const substitution = grammar.repository.substitution;
    assert.equal(substitution.name, 'meta.template.expression.flux-substitution');
    assert.match(substitution.captures?.['1'].name ?? '', /^punctuation\.definition\.template-expression\.begin\./);
    assert.match(substitution.captures?.['5'].name ?? '', /^punctuation\.definition\.template-expression\.end\./);
    // Not `variable.*` nor `entity.name.variable`: the light themes paint those navy, next to the blue value.
    assert.doesNotMatch(substitution.captures?.['2'].name ?? '', /^(variable|entity\.name\.variable|support\.variable)\b/);
  });

  it('scopes ${VAR}: punctuation and variable name', () => {
    assert.deepEqual(tokenize('  cluster: ${CLUSTER_NAME}'), [
      ['${', 'punctuation.definition.template-expression.begin.flux-substitution'],
      ['CLUSTER_NAME', 'entity.name.substitution.flux-substitution'],
      ['}', 'punctuation.definition.template-expression.end.flux-substitution'],
    ]);
  });

  it('scopes defaults: ${VAR:=default} and ${VAR:-default}', () => {
    assert.deepEqual(tokenize('replicas: ${REPLICAS:=2}'), [
      ['${', 'punctuation.definition.template-expression.begin.flux-substitution'],
      ['REPLICAS', 'entity.name.substitution.flux-substitution'],
      [':=', 'keyword.operator.expression.substitution.flux-substitution'],
      ['2', 'string.unquoted.default.flux-substitution'],
      ['}', 'punctuation.definition.template-expression.end.flux-substitution'],
    ]);
    assert.deepEqual(
      tokenize('host: "${DOMAIN:-example.com}"').map(([t]) => t),
      ['${', 'DOMAIN', ':-', 'example.com', '}'],
    );
  });

  it('never highlights an escaped $${VAR} as a variable, but does after an escaped $', () => {
    assert.deepEqual(tokenize('literal: $${NOT_A_VAR}'), [['$${NOT_A_VAR}', 'constant.character.escape.flux-substitution']]);
    assert.deepEqual(tokenize('price: $$${AMOUNT}'), [
      ['$$', 'constant.character.escape.flux-substitution'],
      ['${', 'punctuation.definition.template-expression.begin.flux-substitution'],
      ['AMOUNT', 'entity.name.substitution.flux-substitution'],
      ['}', 'punctuation.definition.template-expression.end.flux-substitution'],
    ]);
  });

  it('leaves invalid names, unclosed references and plain $ alone', () => {
    assert.deepEqual(tokenize('a: ${1BAD} ${UNCLOSED $HOME ${}'), []);
    assert.deepEqual(
      tokenize('two: ${A}-${B}')
        .filter(([, s]) => s.startsWith('entity.name'))
        .map(([t]) => t),
      ['A', 'B'],
    );
  });
});
