import { strict as assert } from 'node:assert';
import { checkTargetPath, parseSetInto } from '../../../server/src/flux/strvals';
import type { JsonObject } from '../../../server/src/kustomize/types';

// Cases from helm's `--set` documentation (helm.sh/docs "The Format and Limitations of --set") and
// pkg/strvals/parser.go.
const set = (line: string, into: JsonObject = {}, asString = false) => {
  const outcome = parseSetInto(line, into, asString);
  return { outcome, into };
};

describe('flux/strvals (helm --set)', () => {
  it('nests names with dots and types true, false, null and integers', () => {
    const { outcome, into } = set('outer.inner=true');
    assert.deepEqual(outcome, { ok: true });
    assert.deepEqual(into, { outer: { inner: true } });
    assert.deepEqual(set('a=null').into, { a: null });
    assert.deepEqual(set('a=042').into, { a: '042' }, 'a leading zero keeps the text');
    assert.deepEqual(set('a=-12').into, { a: -12 });
    assert.deepEqual(set('a=1.5').into, { a: '1.5' }, 'only integers are typed');
    assert.deepEqual(set('a=TRUE', {}, true).into, { a: 'TRUE' }, '--set-string keeps text');
  });

  it('sets list items by index, padding with nulls, and objects inside items', () => {
    assert.deepEqual(set('servers[0].port=80').into, { servers: [{ port: 80 }] });
    assert.deepEqual(set('list[2]=c').into, { list: [null, null, 'c'] });
    const existing: JsonObject = { list: ['a', 'b', 'c'] };
    set('list[1]=x', existing);
    assert.deepEqual(existing, { list: ['a', 'x', 'c'] });
  });

  it('reads {a,b} as a list and a comma as the start of another assignment', () => {
    assert.deepEqual(set('name={a,b,c}').into, { name: ['a', 'b', 'c'] });
    assert.deepEqual(set('a=1,b=2').into, { a: 1, b: 2 });
    const failed = set('a=x,y');
    assert.deepEqual(failed.outcome, { ok: false, error: 'key "y" has no value' });
  });

  it('escapes dots and commas with a backslash', () => {
    assert.deepEqual(set('nodeSelector.kubernetes\\.io/role=master').into, { nodeSelector: { 'kubernetes.io/role': 'master' } });
    assert.deepEqual(set('name=value1\\,value2').into, { name: 'value1,value2' });
  });

  it('fails as helm does on a type mismatch and bad indexes', () => {
    assert.deepEqual(set('a.b=1', { a: 'text' }).outcome, {
      ok: false,
      error: 'unable to parse key: interface conversion: interface {} is string, not map[string]interface {}',
    });
    assert.deepEqual(set('a[x]=1').outcome, { ok: false, error: 'error parsing index: strconv.Atoi: parsing "x": invalid syntax' });
    assert.deepEqual(set('a[70000]=1').outcome, { ok: false, error: 'index of 70000 is greater than maximum supported index of 65536' });
  });

  it('checks a targetPath on its own', () => {
    assert.deepEqual(checkTargetPath('ingress.hosts[0].host'), { ok: true });
    assert.deepEqual(checkTargetPath('a\\.b.c'), { ok: true });
    assert.equal(checkTargetPath('a[b]').ok, false);
    assert.equal(checkTargetPath('a,b').ok, false);
    assert.equal(checkTargetPath('a=b').ok, false);
    assert.equal(checkTargetPath('').ok, false);
  });
});
