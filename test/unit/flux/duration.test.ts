import { strict as assert } from 'node:assert';
import { checkFluxDuration, formatGoDuration, parseGoDuration } from '../../../server/src/flux/duration';

function parsed(text: string): string {
  const r = parseGoDuration(text);
  return r.ok ? formatGoDuration(r.nanoseconds) : r.message;
}

describe('flux/duration', () => {
  it('parses Go durations like time.ParseDuration and prints them like Duration.String', () => {
    assert.equal(parsed('1h30m'), '1h30m0s');
    assert.equal(parsed('10m'), '10m0s');
    assert.equal(parsed('1.5h'), '1h30m0s');
    assert.equal(parsed('300ms'), '300ms');
    assert.equal(parsed('2h45m0.5s'), '2h45m0.5s');
    assert.equal(parsed('-1m'), '-1m0s');
    assert.equal(parsed('0'), '0s');
    assert.equal(parsed('.5s'), '500ms');
    assert.equal(parsed('1µs'), '1µs');
    assert.equal(parsed('-9223372036854775808ns'), '-2562047h47m16.854775808s');
  });

  it("reports Go's own errors", () => {
    assert.equal(parsed(''), 'time: invalid duration ""');
    assert.equal(parsed('1'), 'time: missing unit in duration "1"');
    assert.equal(parsed('1d'), 'time: unknown unit "d" in duration "1d"');
    assert.equal(parsed('.'), 'time: invalid duration "."');
    assert.equal(parsed('9223372036854775808ns'), 'time: invalid duration "9223372036854775808ns"');
  });

  it('accepts what the Flux CRD pattern and Go both accept', () => {
    const r = checkFluxDuration('5m', { field: 'spec.interval', file: '/c/ks.yaml' });
    assert.deepEqual(r.problems, []);
    assert.equal(r.nanoseconds, 300_000_000_000n);
  });

  it('refuses values Go accepts but the CRD pattern does not, saying what to write', () => {
    for (const [value, hint] of [
      ['-1m', 'sign'],
      ['10', 'no unit'],
      ['1d', 'use hours'],
      ['500us', 'only the units'],
      ['1h 30m', 'spaces'],
      ['.5h', 'both sides'],
    ] as const) {
      const r = checkFluxDuration(value, { field: 'spec.interval', file: '/c/ks.yaml' });
      assert.equal(r.problems.length, 1, value);
      assert.equal(r.problems[0].code, 'flux-duration-invalid');
      assert.match(r.problems[0].message, new RegExp(hint), value);
      assert.equal(r.problems[0].file, '/c/ks.yaml');
    }
  });

  it('refuses a number where a string is needed and warns below a minimum', () => {
    assert.equal(checkFluxDuration(10, { field: 'spec.interval', file: 'f' }).problems[0].code, 'flux-duration-type');
    const short = checkFluxDuration('30s', { field: 'spec.interval', file: 'f', minimumNanoseconds: 60_000_000_000n });
    assert.equal(short.problems[0].severity, 'warning');
    assert.match(short.problems[0].message, /30s is shorter than 1m0s/);
  });
});
