import * as assert from 'assert';
import { compareKeys, emitDocuments, emitYaml, formatNumber } from '../../../server/src/kustomize/yaml/emit';

describe('yaml emit: unit behaviour', function () {
  this.timeout(20000);
  it('prints an empty stream for no documents and {} for an empty object', function () {
    assert.strictEqual(emitDocuments([]), '');
    assert.strictEqual(emitYaml({}), '{}\n');
  });

  it('keeps sequences under a mapping key at the key column and indents maps in sequences', function () {
    assert.strictEqual(emitYaml({ a: [{ b: 1, c: [2] }, [3]] }), 'a:\n- b: 1\n  c:\n  - 2\n- - 3\n');
  });

  it('uses literal blocks with chomping and indentation indicators for multi-line strings', function () {
    assert.strictEqual(emitYaml({ a: 'x\ny' }), 'a: |-\n  x\n  y\n');
    assert.strictEqual(emitYaml({ a: 'x\n' }), 'a: |\n  x\n');
    assert.strictEqual(emitYaml({ a: 'x\n\n' }), 'a: |+\n  x\n\n');
    assert.strictEqual(emitYaml({ a: '  x\ny' }), 'a: |2-\n    x\n  y\n');
    assert.strictEqual(emitYaml({ a: 'x \ny' }), 'a: "x \\ny"\n');
  });

  it('quotes strings that would read back as something else', function () {
    assert.strictEqual(
      emitYaml({ a: 'yes', b: '012', c: '', d: 'null', e: '1:20', f: '- x', g: 'a: b', h: 'plain' }),
      'a: "yes"\nb: "012"\nc: ""\nd: "null"\ne: "1:20"\nf: \'- x\'\ng: \'a: b\'\nh: plain\n',
    );
    assert.strictEqual(emitYaml({ n: 1, y: 2 }), '"n": 1\n"y": 2\n');
  });

  it('escapes characters go-yaml does not print raw', function () {
    assert.strictEqual(emitYaml({ a: 'tab\there' }), 'a: "tab\\there"\n');
    assert.strictEqual(emitYaml({ a: 'smile 😀' }), 'a: "smile \\U0001F600"\n');
    assert.strictEqual(emitYaml({ a: 'bell\u0007' }), 'a: "bell\\a"\n');
  });

  it('formats numbers the way Go JSON then go-yaml v2 do', function () {
    const cases: Array<[number | bigint, string]> = [
      [1, '1'],
      [-0, '0'],
      [1e21, '1e+21'],
      [1e20, '1e+20'],
      [1.5e-7, '1.5e-07'],
      [1234567.5, '1.2345675e+06'],
      [123456.5, '123456.5'],
      [0.0001, '0.0001'],
      [0.00001, '1e-05'],
      [12345678901234567890n, '12345678901234567890'],
      [2n ** 70n, '1.1805916207174113e+21'],
      [2 ** 63, '9223372036854776000'],
      [2 ** 64, '1.8446744073709552e+19'],
    ];
    for (const [value, text] of cases) assert.strictEqual(formatNumber(value), text, `formatNumber(${String(value)})`);
  });

  it('sorts keys with digit runs compared by value', function () {
    assert.deepStrictEqual(['a10', 'a2', 'b', 'A', '_x', '1', '10', '2'].sort(compareKeys), ['_x', '1', '2', '10', 'A', 'a2', 'a10', 'b']);
  });
});
