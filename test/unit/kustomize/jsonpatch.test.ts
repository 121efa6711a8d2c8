import * as assert from 'assert';
import { applyJsonPatch, decodePointerSegment, parseJsonPatch } from '../../../server/src/kustomize/merge/jsonpatch';
import type { Json } from '../../../server/src/kustomize/types';

function ops(text: string) {
  const parsed = parseJsonPatch(text);
  assert.ok(parsed.operations, `not a JSON patch: ${parsed.error}`);
  return parsed.operations;
}

function apply(doc: Json, text: string) {
  return applyJsonPatch(doc, ops(text));
}

describe('JSON 6902 patches', () => {
  describe('parsing patch text', () => {
    it('reads a YAML list of operations with their fields', () => {
      const [op] = ops('- op: replace\n  path: /spec/replicas\n  value: 3\n');
      assert.deepStrictEqual({ op: op.op, path: op.path, value: op.value }, { op: 'replace', path: '/spec/replicas', value: 3 });
    });

    it('reads a JSON array', () => {
      const [op] = ops('[{"op": "move", "from": "/a", "path": "/b"}]');
      assert.deepStrictEqual({ op: op.op, from: op.from, path: op.path }, { op: 'move', from: '/a', path: '/b' });
    });

    it('reads values as YAML 1.1, like sigs.k8s.io/yaml: yes/on/y are booleans, 0777 is octal', () => {
      const values = ops(
        '- {op: add, path: /a, value: yes}\n- {op: add, path: /b, value: on}\n- {op: add, path: /c, value: y}\n- {op: add, path: /d, value: 0777}\n- {op: add, path: /e, value: "yes"}',
      ).map((o) => o.value);
      assert.deepStrictEqual(values, [true, true, true, 511, 'yes']);
    });

    it('keeps timestamps and sexagesimal-looking values as text', () => {
      const values = ops('- {op: add, path: /a, value: 2001-01-01}\n- {op: add, path: /b, value: 1:20}').map((o) => o.value);
      assert.deepStrictEqual(values, ['2001-01-01', '1:20']);
    });

    it('keeps integers beyond 2^53 exact', () => {
      const [op] = ops('- {op: add, path: /a, value: 123456789012345678901}');
      assert.strictEqual(op.value, 123456789012345678901n);
    });

    it('gives each operation its range in the text', () => {
      const parsed = ops('- op: add\n  path: /a\n  value: 1\n- op: remove\n  path: /b\n');
      assert.deepStrictEqual(
        parsed.map((o) => o.range?.start.line),
        [0, 3],
      );
      assert.strictEqual(parsed[1].range?.start.character, 2);
    });

    it('an empty document is an empty patch; `[]` too', () => {
      assert.deepStrictEqual(parseJsonPatch('# nothing\n').operations, []);
      assert.deepStrictEqual(parseJsonPatch('[]').operations, []);
    });

    it('a map, a scalar or a list of scalars is not a JSON patch', () => {
      for (const text of ['kind: Deployment\nmetadata: {name: a}', 'hello', '- 1\n- 2']) {
        assert.ok(parseJsonPatch(text).error, text);
      }
    });

    it('an operation without a string op is of kind "unknown"', () => {
      assert.strictEqual(ops('- path: /a')[0].op, 'unknown');
      assert.strictEqual(ops('- op: 5\n  path: /a')[0].op, 'unknown');
    });
  });

  describe('pointer segments', () => {
    it('decodes ~1 to / and ~0 to ~ in one pass (~01 is ~1)', () => {
      assert.strictEqual(decodePointerSegment('a~1b'), 'a/b');
      assert.strictEqual(decodePointerSegment('c~0d'), 'c~d');
      assert.strictEqual(decodePointerSegment('~01'), '~1');
    });
  });

  describe('operations', () => {
    it('add sets a map key and replaces an existing one', () => {
      const r = apply({ a: 1 }, '- {op: add, path: /a, value: 2}\n- {op: add, path: /b, value: {c: 3}}');
      assert.deepStrictEqual(r.result, { a: 2, b: { c: 3 } });
    });

    it('add with - appends, with an index inserts, with a negative index counts from the end', () => {
      const r = apply(
        { l: [1, 2] },
        '- {op: add, path: /l/-, value: 3}\n- {op: add, path: /l/0, value: 0}\n- {op: add, path: /l/-1, value: 9}',
      );
      assert.deepStrictEqual(r.result, { l: [0, 1, 2, 3, 9] });
    });

    it('add without a value adds null', () => {
      assert.deepStrictEqual(apply({}, '- {op: add, path: /x}').result, { x: null });
    });

    it('add past the end of a list fails with the library message', () => {
      const r = apply({ l: [1] }, '- {op: add, path: /l/5, value: 1}');
      assert.strictEqual(r.failure?.message, "error in add for path: '/l/5': Unable to access invalid index: 5: invalid index referenced");
    });

    it('add under a missing parent fails', () => {
      const r = apply({ spec: {} }, '- {op: add, path: /spec/a/b, value: 1}');
      assert.strictEqual(r.failure?.message, 'add operation does not apply: doc is missing path: "/spec/a/b": missing value');
    });

    it('remove deletes a key or a list item; a missing key fails', () => {
      assert.deepStrictEqual(apply({ a: 1, l: [1, 2] }, '- {op: remove, path: /a}\n- {op: remove, path: /l/0}').result, { l: [2] });
      const r = apply({ spec: {} }, '- {op: remove, path: /spec/nothere}');
      assert.strictEqual(
        r.failure?.message,
        "error in remove for path: '/spec/nothere': Unable to remove nonexistent key: nothere: missing value",
      );
    });

    it('replace of a missing map key adds it (evanphx v4); under a missing parent it fails', () => {
      assert.deepStrictEqual(apply({ spec: {} }, '- {op: replace, path: /spec/x, value: 1}').result, { spec: { x: 1 } });
      const r = apply({ spec: {} }, '- {op: replace, path: /spec/a/b, value: 1}');
      assert.strictEqual(r.failure?.message, 'replace operation does not apply: doc is missing path: /spec/a/b: missing value');
    });

    it('replace with an empty path replaces the whole document', () => {
      assert.deepStrictEqual(apply({ a: 1 }, '- {op: replace, path: "", value: {b: 2}}').result, { b: 2 });
    });

    it('move and copy; copy from a missing key copies null', () => {
      assert.deepStrictEqual(apply({ a: 1 }, '- {op: move, from: /a, path: /b}').result, { b: 1 });
      assert.deepStrictEqual(apply({ a: { x: 1 } }, '- {op: copy, from: /a, path: /b}').result, { a: { x: 1 }, b: { x: 1 } });
      assert.deepStrictEqual(apply({ spec: {} }, '- {op: copy, from: /spec/nope, path: /spec/x}').result, { spec: { x: null } });
    });

    it('move from a missing key fails naming the key', () => {
      const r = apply({ spec: {} }, '- {op: move, from: /spec/nope, path: /spec/x}');
      assert.strictEqual(r.failure?.message, "error in move for path: 'nope': Unable to remove nonexistent key: nope: missing value");
    });

    it('test passes on equal values, fails with the library message otherwise', () => {
      assert.ok(apply({ a: { b: [1, 2] } }, '- {op: test, path: /a, value: {b: [1, 2]}}').result);
      const r = apply({ spec: { replicas: 1 } }, '- {op: test, path: /spec/replicas, value: 2}');
      assert.strictEqual(r.failure?.message, 'testing value /spec/replicas failed: test failed');
    });

    it('test of a missing value passes only against null', () => {
      assert.ok(apply({}, '- {op: test, path: /nope, value: null}').result);
      assert.ok(apply({}, '- {op: test, path: /nope, value: 1}').failure);
    });

    it('~1 and ~0 in paths address keys with / and ~', () => {
      const r = apply({ m: { 'a/b': 1, 'c~d': 2 } }, '- {op: replace, path: /m/a~1b, value: 3}\n- {op: remove, path: /m/c~0d}');
      assert.deepStrictEqual(r.result, { m: { 'a/b': 3 } });
    });

    it('the first path segment is always dropped: `spec/x` means `/x`', () => {
      assert.deepStrictEqual(apply({ spec: {} }, '- {op: add, path: spec/x, value: 1}').result, { spec: {}, x: 1 });
    });

    it('an unknown or missing op fails as "Unexpected kind"', () => {
      assert.strictEqual(apply({}, '- {op: frob, path: /a}').failure?.message, 'Unexpected kind: frob');
      assert.strictEqual(apply({}, '- {path: /a}').failure?.message, 'Unexpected kind: unknown');
    });

    it('reports which operation failed, and leaves the input untouched', () => {
      const doc = { a: 1 };
      const r = apply(doc, '- {op: add, path: /b, value: 2}\n- {op: remove, path: /zz}');
      assert.strictEqual(r.failure?.index, 1);
      assert.deepStrictEqual(doc, { a: 1 });
    });

    it('tells where each operation put a value, with list positions resolved', () => {
      const seen: Array<[string, number]> = [];
      applyJsonPatch(
        { l: [1], m: {} },
        ops('- {op: add, path: /l/-, value: 2}\n- {op: add, path: /m/k, value: 1}\n- {op: remove, path: /l/0}'),
        (p, i) => seen.push([p.join('/'), i]),
      );
      assert.deepStrictEqual(seen, [
        ['l/1', 0],
        ['m/k', 1],
      ]);
    });
  });
});
