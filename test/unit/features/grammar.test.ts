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
    assert.deepEqual(manifest.contributes.grammars.find((g: { scopeName: string }) => g.scopeName === grammar.scopeName), {
      scopeName: 'flux-substitution.injection',
      path: './syntaxes/flux-substitution.injection.json',
      injectTo: ['source.yaml'],
    });
  });

  it('scopes ${VAR}: punctuation and variable name', () => {
    assert.deepEqual(tokenize('  cluster: ${CLUSTER_NAME}'), [
      ['${', 'punctuation.definition.variable.begin.flux-substitution'],
      ['CLUSTER_NAME', 'variable.other.flux-substitution'],
      ['}', 'punctuation.definition.variable.end.flux-substitution'],
    ]);
  });

  it('scopes defaults: ${VAR:=default} and ${VAR:-default}', () => {
    assert.deepEqual(tokenize('replicas: ${REPLICAS:=2}'), [
      ['${', 'punctuation.definition.variable.begin.flux-substitution'],
      ['REPLICAS', 'variable.other.flux-substitution'],
      [':=', 'keyword.operator.substitution.flux-substitution'],
      ['2', 'string.unquoted.default.flux-substitution'],
      ['}', 'punctuation.definition.variable.end.flux-substitution'],
    ]);
    assert.deepEqual(tokenize('host: "${DOMAIN:-example.com}"').map(([t]) => t), ['${', 'DOMAIN', ':-', 'example.com', '}']);
  });

  it('never highlights an escaped $${VAR} as a variable, but does after an escaped $', () => {
    assert.deepEqual(tokenize('literal: $${NOT_A_VAR}'), [['$${NOT_A_VAR}', 'constant.character.escape.flux-substitution']]);
    assert.deepEqual(tokenize('price: $$${AMOUNT}'), [
      ['$$', 'constant.character.escape.flux-substitution'],
      ['${', 'punctuation.definition.variable.begin.flux-substitution'],
      ['AMOUNT', 'variable.other.flux-substitution'],
      ['}', 'punctuation.definition.variable.end.flux-substitution'],
    ]);
  });

  it('leaves invalid names, unclosed references and plain $ alone', () => {
    assert.deepEqual(tokenize('a: ${1BAD} ${UNCLOSED $HOME ${}'), []);
    assert.deepEqual(tokenize('two: ${A}-${B}').filter(([, s]) => s.startsWith('variable')).map(([t]) => t), ['A', 'B']);
  });
});
