import assert from 'node:assert/strict';
import { readPromotion, readPromotionHistory } from '../../server/src/git/history';
import { runTransaction } from '../../server/src/git/transaction';
import { promotionMessage, revertMessage } from '../../server/src/git/trailers';
import { Fixture, git, useIsolatedGitConfig, makeFixture } from './gitFixture';

const PRODUCTION = 'apps/production/kustomization.yaml';

describe('promotion history', function () {
  this.timeout(20000);
  let fixture: Fixture;
  useIsolatedGitConfig();
  beforeEach(() => (fixture = makeFixture()));
  afterEach(() => fixture.cleanup());

  async function promote(version: string, date: string, target = 'production', tag?: string) {
    const info = {
      source: 'staging',
      target,
      sourceCommit: 'c'.repeat(40),
      changes: [{ workload: 'my-app', before: 'x', after: version }],
    };
    const result = await runTransaction({
      cwd: fixture.work,
      baseBranch: 'main',
      change: { kind: 'edits', edits: [{ path: `apps/${target}/kustomization.yaml`, newText: `version: ${version}\n` }] },
      message: promotionMessage(info),
      tag: tag ? { name: tag, message: tag } : undefined,
      env: { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date },
    });
    assert.ok(result.ok, JSON.stringify(result));
    return result.value.commit;
  }

  it('lists promotions newest first with from/to, changes, author, date, tags and whether they were reverted', async () => {
    const first = await promote('1.1.0', '2024-05-01T10:00:00Z', 'production', 'production-1');
    git(fixture.work, 'commit', '-q', '--allow-empty', '-m', 'unrelated work');
    const second = await promote('1.2.0', '2024-05-02T10:00:00Z', 'staging');
    const third = await promote('1.3.0', '2024-05-03T10:00:00+02:00');
    const revert = await runTransaction({
      cwd: fixture.work,
      baseBranch: 'main',
      change: { kind: 'revert', commit: third },
      message: revertMessage({ commit: third, subject: 'promote(production): my-app x -> 1.3.0' }),
      env: { GIT_AUTHOR_DATE: '2024-05-04T10:00:00Z', GIT_COMMITTER_DATE: '2024-05-04T10:00:00Z' },
    });
    assert.ok(revert.ok, JSON.stringify(revert));

    const history = await readPromotionHistory(fixture.work);
    assert.ok(history.ok, JSON.stringify(history));
    assert.deepEqual(
      history.value.promotions.map((record) => record.commit),
      [third, second, first],
    );
    const [latest, , oldest] = history.value.promotions;
    assert.deepEqual(
      { ...latest, parents: undefined },
      {
        commit: third,
        parents: undefined,
        subject: 'promote(production): my-app x -> 1.3.0',
        author: { name: 'Pat Promoter', email: 'pat@example.com' },
        date: '2024-05-03T10:00:00+02:00',
        source: 'staging',
        target: 'production',
        sourceCommit: 'c'.repeat(40),
        changes: [{ workload: 'my-app', before: 'x', after: '1.3.0' }],
        tags: [],
        revertedBy: {
          commit: revert.value.commit,
          date: '2024-05-04T10:00:00+00:00',
          author: { name: 'Pat Promoter', email: 'pat@example.com' },
        },
      },
    );
    assert.deepEqual(oldest.tags, ['production-1']);
    assert.equal(oldest.revertedBy, undefined);
    assert.deepEqual(
      history.value.reverts.map((record) => record.revertedCommit),
      [third],
    );

    const onlyStaging = await readPromotionHistory(fixture.work, { target: 'staging' });
    assert.deepEqual(onlyStaging.ok && onlyStaging.value.promotions.map((record) => record.commit), [second]);
    const found = await readPromotion(fixture.work, first.slice(0, 10));
    assert.equal(found.ok && found.value?.commit, first);
    const notPromotion = await readPromotion(fixture.work, git(fixture.work, 'rev-parse', 'HEAD~3'));
    assert.equal(notPromotion.ok && notPromotion.value, undefined);
  });

  it('finds promotions on branches not yet merged and through tags; refuses option-like revisions', async () => {
    const branch = await runTransaction({
      cwd: fixture.work,
      baseBranch: 'main',
      newBranch: 'promote/production/1',
      change: { kind: 'edits', edits: [{ path: PRODUCTION, newText: 'v: 2\n' }] },
      message: promotionMessage({ source: 'staging', target: 'production', changes: [] }),
      tag: { name: 'promotion-tag', message: 'tag' },
    });
    assert.ok(branch.ok);
    const fromHead = await readPromotionHistory(fixture.work, { includeTags: false });
    assert.deepEqual(fromHead.ok && fromHead.value.promotions, []);
    const viaTags = await readPromotionHistory(fixture.work);
    assert.deepEqual(viaTags.ok && viaTags.value.promotions.map((record) => record.tags), [['promotion-tag']]);
    const viaBranch = await readPromotionHistory(fixture.work, { revisions: ['promote/production/1'], includeTags: false });
    assert.equal(viaBranch.ok && viaBranch.value.promotions.length, 1);
    const hostile = await readPromotionHistory(fixture.work, { revisions: ['--output=/tmp/x'] });
    assert.equal(!hostile.ok && hostile.error.kind, 'invalidInput');
  });
});
