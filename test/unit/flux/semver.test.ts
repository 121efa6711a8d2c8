import { strict as assert } from 'node:assert';
import { latestMatchingTag, nextVersion, parseRange, parseVersion, satisfies, validateSemverRange } from '../../../server/src/flux/semver';

function matches(range: string, version: string): boolean {
  const r = parseRange(range);
  assert.ok(r.ok, `range ${range} should parse`);
  return satisfies(parseVersion(version)!, r.range);
}

describe('flux/semver (Masterminds/semver v3 ranges)', () => {
  it('matches the documented operators', () => {
    assert.ok(matches('>=1.0.0', '1.2.3'));
    assert.ok(matches('~1.2', '1.2.9') && !matches('~1.2', '1.3.0'));
    assert.ok(matches('^1.2.3', '1.9.0') && !matches('^1.2.3', '2.0.0'));
    assert.ok(matches('^0.2.3', '0.2.9') && !matches('^0.2.3', '0.3.0'));
    assert.ok(matches('1.2.x', '1.2.7') && matches('1.2', '1.2.7'), 'a bare partial version means ~');
    assert.ok(matches('1.2 - 1.4.5', '1.4.5') && !matches('1.2 - 1.4.5', '1.4.6'));
    assert.ok(!matches('>1.2', '1.2.5') && matches('>1.2', '1.3.0'), '>1.2 needs the next minor');
    assert.ok(matches('<=1.2', '1.2.9'));
    assert.ok(matches('>=1.0, <2.0', '1.5.0') && !matches('>=1.0 <2.0', '2.0.0'));
    assert.ok(matches('~1.x || >=3', '3.1.0'));
    assert.ok(!matches('!=1.2.3', '1.2.3'));
  });

  it('excludes prereleases unless the range names one', () => {
    assert.ok(!matches('*', '3.0.0-rc.1'));
    assert.ok(matches('>=1.0.0-0', '1.1.0-rc.1'));
  });

  it('validates ref.semver with a message that says what to write', () => {
    assert.deepEqual(validateSemverRange('~> 1.2'), { ok: true });
    assert.match(validateSemverRange('>= 1.0.0 && < 2').message!, /not "&&"/);
    assert.match(validateSemverRange('1.2.3.4').message!, /at most three numbers/);
    assert.match(validateSemverRange('>=').message!, /needs a version/);
    assert.equal(validateSemverRange('').ok, false);
    assert.equal(validateSemverRange('>=1.0.0 || ').ok, false);
  });

  it('picks the tag Flux would check out and the next tag for a bump', () => {
    const tags = ['v1.0.0', 'v1.2.0', 'v1.2.5', 'v2.0.0', 'v1.3.0-rc.1', 'latest'];
    assert.equal(latestMatchingTag(tags, '~1.2'), 'v1.2.5');
    const patch = nextVersion(['v1.0.0', 'v1.2.5'], '~1.2', 'patch');
    assert.equal(patch.tag, 'v1.2.6');
    assert.ok(patch.selectedByRange);
    const minor = nextVersion(['v1.0.0', 'v1.2.0', 'v1.2.5'], '~1.2', 'minor');
    assert.equal(minor.tag, 'v1.3.0');
    assert.equal(minor.selectedByRange, false);
    assert.match(minor.message!, /outside the range "~1.2", so the environment would stay on v1.2.5/);
    assert.equal(nextVersion([], undefined, 'minor').tag, 'v0.1.0');
    assert.equal(nextVersion(['1.4.0', '1.5.0'], '>=1.0.0', 'major').tag, '2.0.0', 'keeps the unprefixed style');
  });
});
