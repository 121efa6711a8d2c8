import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import {
  decodeToken,
  encodeToken,
  formatCommitMessage,
  parsePromotion,
  parseRevert,
  parseTrailers,
  promotionMessage,
  promotionSubject,
  revertMessage,
} from '../../server/src/git/trailers';

/** git's own trailer parser, as the oracle for ours. */
function gitTrailers(message: string): string {
  return execFileSync('git', ['interpret-trailers', '--parse'], {
    input: message,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  });
}

describe('commit trailers', () => {
  const promotion = {
    source: 'staging',
    target: 'production',
    sourceCommit: 'a'.repeat(40),
    changes: [
      { workload: 'my-app', before: '1.0.0', after: '1.1.0' },
      { workload: 'podinfo', before: '6.5.0', after: '6.6.0' },
    ],
  };

  it('writes the subject, trailers in order, and reads them back', () => {
    const message = promotionMessage(promotion);
    assert.equal(
      message,
      'promote(production): my-app 1.0.0 -> 1.1.0, podinfo 6.5.0 -> 6.6.0\n\n' +
        'Promotion: staging -> production\n' +
        `Promoted-From-Commit: ${'a'.repeat(40)}\n` +
        'Promoted: my-app 1.0.0 -> 1.1.0\n' +
        'Promoted: podinfo 6.5.0 -> 6.6.0\n',
    );
    assert.deepEqual(parsePromotion(message), promotion);
    const ours = parseTrailers(message)
      .map((trailer) => `${trailer.key}: ${trailer.value}\n`)
      .join('');
    assert.equal(ours, gitTrailers(message));
  });

  it('summarises many changes in the subject', () => {
    const many = {
      ...promotion,
      changes: Array.from({ length: 6 }, (_, index) => ({ workload: `app-${index}`, before: '1', after: '2' })),
    };
    assert.equal(promotionSubject(many), 'promote(production): 6 changes from staging');
  });

  it('encodes hostile names as single tokens that round-trip, and git parses the same trailers', () => {
    const hostile = {
      source: 'a b',
      target: 'prod\nSigned-off-by: mallory',
      changes: [
        { workload: '$(rm -rf ~)', before: '', after: '100%' },
        { workload: '->', before: '(none)', after: '\u2028x' },
      ],
    };
    const message = promotionMessage(hostile, 'Body line\n\nSecond: paragraph looks like a trailer');
    assert.equal(message.split('\n')[0], 'promote(prod Signed-off-by: mallory): 2 changes from a b', 'one subject line');
    assert.deepEqual(parsePromotion(message), hostile);
    const ours = parseTrailers(message)
      .map((trailer) => `${trailer.key}: ${trailer.value}\n`)
      .join('');
    assert.equal(ours, gitTrailers(message));
    assert.doesNotMatch(gitTrailers(message), /^Signed-off-by/m, 'no forged trailer');
    for (const text of ['', 'a b', '%41', '(none)', 'ü', '\n\t\r']) assert.equal(decodeToken(encodeToken(text)), text);
  });

  it('finds no trailers in messages without a trailer paragraph', () => {
    assert.deepEqual(parseTrailers('Promotion: staging -> production\n'), [], 'a subject alone is not trailers');
    assert.deepEqual(parseTrailers('subject\n\nJust prose here.\nPromotion: a -> b\n'), []);
    assert.equal(parsePromotion('subject\n\nbody\n'), undefined);
    assert.deepEqual(parseTrailers('s\n\nKey: value\n  continued\nOther: x\r\n\n\n'), [
      { key: 'Key', value: 'value continued' },
      { key: 'Other', value: 'x' },
    ]);
  });

  it('writes revert messages that name the reverted commit and are not promotions themselves', () => {
    const commit = 'b'.repeat(40);
    const message = revertMessage({ commit, subject: 'promote(production): my-app 1.0.0 -> 1.1.0', promotion });
    assert.equal(
      message,
      'Revert "promote(production): my-app 1.0.0 -> 1.1.0"\n\n' +
        `This reverts commit ${commit}.\n\n` +
        `Reverts-Promotion: ${commit}\n` +
        'Reverted-Promotion: staging -> production\n' +
        'Promoted: my-app 1.1.0 -> 1.0.0\n' +
        'Promoted: podinfo 6.6.0 -> 6.5.0\n',
    );
    assert.deepEqual(parseRevert(message), { revertedCommit: commit, promotion: { source: 'staging', target: 'production' } });
    assert.equal(parsePromotion(message), undefined);
    assert.equal(parseRevert(formatCommitMessage({ subject: 's', trailers: [{ key: 'Reverts-Promotion', value: '--all' }] })), undefined);
  });
});
