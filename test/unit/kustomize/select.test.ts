import * as assert from 'assert';
import { makeResource } from '../../../server/src/kustomize/resource';
import { compileSelector, parseLabelSelector, requirementsMatch, selectorMatches } from '../../../server/src/kustomize/select';
import type { JsonObject } from '../../../server/src/kustomize/types';
import { names, resources } from './selectFixtures';

function labels(o: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(o));
}

function matches(selector: string, l: Record<string, string>): boolean {
  const parsed = parseLabelSelector(selector);
  assert.strictEqual(parsed.error, undefined, parsed.error);
  return requirementsMatch(parsed.requirements!, labels(l));
}

describe('patch target selectors', () => {
  describe('label selector syntax', () => {
    const table: Array<[string, Record<string, string>, boolean]> = [
      ['a=b', { a: 'b' }, true],
      ['a==b', { a: 'b' }, true],
      ['a=b', { a: 'c' }, false],
      ['a!=b', {}, true],
      ['a!=b', { a: 'b' }, false],
      ['a in (x, y)', { a: 'y' }, true],
      ['a in (x,y)', { a: 'z' }, false],
      ['a notin (x)', {}, true],
      ['a notin (x)', { a: 'x' }, false],
      ['a', { a: '' }, true],
      ['a', {}, false],
      ['!a', {}, true],
      ['!a', { a: '1' }, false],
      ['a=', { a: '' }, true],
      ['a=', { a: 'x' }, false],
      ['a in ()', { a: '' }, true],
      ['a in (x,)', { a: '' }, true],
      ['a>5', { a: '10' }, true],
      ['a<5', { a: '10' }, false],
      ['a>5', { a: 'ten' }, false],
      [' a = b , c ', { a: 'b', c: '1' }, true],
      ['a=b,a=c', { a: 'b' }, false],
      ['example.com/app=x', { 'example.com/app': 'x' }, true],
      ['in=notin', { in: 'notin' }, true],
      ['', { anything: 'x' }, true],
    ];
    for (const [selector, l, expected] of table) {
      it(`${JSON.stringify(selector)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(l)}`, () => {
        assert.strictEqual(matches(selector, l), expected);
      });
    }

    const errors: Array<[string, string]> = [
      ['a in x', "unable to parse requirement: found 'x' expected: '('"],
      ['a=b,', "found '', expected: identifier after ','"],
      ['a=b=c', "found '=', expected: ',' or 'end of string'"],
      ['x/y/z=1', 'unable to parse requirement: invalid label key "x/y/z": a qualified name must consist of'],
      ['-bad=1', 'unable to parse requirement: invalid label key "-bad": name part must consist of'],
      ['a=-b', 'unable to parse requirement: invalid label value: "-b": at key: "a"'],
      ['a>x', "unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer"],
      [',', "found ',', expected: !, identifier, or 'end of string'"],
    ];
    for (const [selector, message] of errors) {
      it(`rejects ${JSON.stringify(selector)} like Kubernetes`, () => {
        const parsed = parseLabelSelector(selector);
        assert.ok(parsed.error?.startsWith(message), `${parsed.error}`);
      });
    }
  });

  describe('matching objects', () => {
    it('name is a regular expression anchored at both ends', () => {
      assert.deepStrictEqual(names({ name: 'app-.*' }), ['ClusterRole/app-role', 'ConfigMap/app-a', 'ConfigMap/app-b', 'Deployment/app-a']);
      assert.deepStrictEqual(names({ name: 'app' }), []);
      assert.deepStrictEqual(names({ name: 'app-a|xapp-c' }), ['ConfigMap/app-a', 'ConfigMap/xapp-c', 'Deployment/app-a']);
    });

    it('kind and group are anchored regular expressions too', () => {
      assert.deepStrictEqual(names({ kind: 'Config.*' }), ['ConfigMap/app-a', 'ConfigMap/app-b', 'ConfigMap/xapp-c']);
      assert.deepStrictEqual(names({ kind: 'Map' }), []);
      assert.deepStrictEqual(names({ group: 'rbac.*' }), ['ClusterRole/app-role']);
      assert.deepStrictEqual(names({ group: 'apps', version: 'v1', kind: 'Deployment' }), ['Deployment/app-a']);
    });

    it('namespace "default" also selects objects without a namespace, but not cluster-scoped ones', () => {
      assert.deepStrictEqual(names({ namespace: 'default' }), ['ConfigMap/app-a', 'ConfigMap/app-b']);
      assert.deepStrictEqual(names({ namespace: 'sh.*' }), ['ConfigMap/xapp-c', 'Deployment/app-a']);
    });

    it('label and annotation selectors', () => {
      assert.deepStrictEqual(names({ labelSelector: 'tier in (web, db),env notin (dev)' }), [
        'ClusterRole/app-role',
        'ConfigMap/app-a',
        'ConfigMap/app-b',
      ]);
      assert.deepStrictEqual(names({ labelSelector: '!tier', kind: 'ConfigMap' }), ['ConfigMap/xapp-c']);
      assert.deepStrictEqual(names({ annotationSelector: 'note=hello' }), ['ConfigMap/app-a']);
    });

    it('name matches the original name too, after a prefix renamed the object', () => {
      const [r] = resources();
      r.previousIds.push({ group: '', version: 'v1', kind: 'ConfigMap', name: 'app-a', namespace: '' });
      (r.object.metadata as JsonObject).name = 'staging-app-a';
      assert.ok(selectorMatches({ name: 'app-a' }, r));
      assert.ok(selectorMatches({ name: 'staging-app-a' }, r));
      assert.ok(!selectorMatches({ name: 'other' }, r));
    });

    it('a malformed regular expression or label selector is an error, and selects nothing', () => {
      assert.match(compileSelector({ name: 'app-(' }).error ?? '', /^error parsing regexp: .*`\^\(\?:app-\(\)\$`$/);
      assert.ok(compileSelector({ labelSelector: 'a in x' }).error);
      assert.ok(!selectorMatches({ name: 'app-(' }, resources()[0]));
    });

    it('refuses nested repetition instead of risking exponential matching', () => {
      // Exponential matching would not end before the test's timeout; how fast it is: bench/complexity.ts.
      const { error } = compileSelector({ name: '(a+)+b' });
      assert.match(error ?? '', /nested repetition/);
      assert.ok(
        !selectorMatches(
          { name: '(a+)+b' },
          makeResource({ kind: 'ConfigMap', metadata: { name: 'a'.repeat(60) } }, { file: '/x', documentIndex: 0 }),
        ),
      );
      assert.strictEqual(compileSelector({ name: '(app|web)-.*' }).error, undefined);
    });

    it('an empty selector selects everything', () => {
      assert.strictEqual(names({}).length, 5);
    });
  });
});
