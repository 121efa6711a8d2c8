// Promoting twice with nothing new: the first promotion's branch is not merged yet and already makes the
// change, so the second says "nothing new to promote" instead of opening a second branch.
import assert from 'node:assert/strict';
import { promote } from '../../../server/src/promote/flow';
import { DEFAULT_PROMOTION_SETTINGS, type PromotionCallbacks, type PromotionSettings } from '../../../server/src/promote/flowTypes';
import { revertPromotion } from '../../../server/src/promote/revert';
import { git } from '../gitFixture';
import { useFleetRepo, type FleetRepo } from './promoteFixture';

const YES: PromotionCallbacks = { confirm: async () => true, ask: async () => true };
const SETTINGS: PromotionSettings = { ...DEFAULT_PROMOTION_SETTINGS, useGh: false };
const promoteBranches = (work: string) =>
  git(work, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/').split('\n').filter(Boolean);

describe('promoting again before the last promotion is merged', function () {
  this.timeout(20000);
  let repo: FleetRepo;
  useFleetRepo((r) => (repo = r));

  it('says nothing new to promote, naming the unmerged branch, and makes no second branch', async () => {
    const first = await promote(
      { cwd: repo.work, source: 'staging', target: 'production', now: new Date('2024-05-01T10:00:00Z') },
      SETTINGS,
      YES,
    );
    assert.equal(first.status, 'done', JSON.stringify(first));
    assert.deepEqual(promoteBranches(repo.work), ['promote/production/20240501-100000']);
    const refs = git(repo.work, 'for-each-ref');
    const second = await promote(
      { cwd: repo.work, source: 'staging', target: 'production', now: new Date('2024-05-01T11:00:00Z') },
      SETTINGS,
      YES,
    );
    assert.equal(second.status, 'nothing', JSON.stringify(second));
    if (second.status !== 'nothing') return;
    assert.match(
      second.message,
      /^Nothing new to promote: promote\/production\/20240501-100000 \([0-9a-f]{12}\) already makes these changes and is not merged yet\. Merge it, or delete it to promote again\./,
    );
    assert.equal(git(repo.work, 'for-each-ref'), refs, 'no branch, commit or tag was made');
  });

  it('promotes again once the unmerged branch is deleted', async () => {
    await promote({ cwd: repo.work, source: 'staging', target: 'production', now: new Date('2024-05-01T10:00:00Z') }, SETTINGS, YES);
    git(repo.work, 'branch', '-D', 'promote/production/20240501-100000');
    const again = await promote(
      { cwd: repo.work, source: 'staging', target: 'production', now: new Date('2024-05-01T11:00:00Z') },
      SETTINGS,
      YES,
    );
    assert.equal(again.status, 'done', JSON.stringify(again));
  });

  it('a revert of a promotion that was never merged says so before any question, naming its branch', async () => {
    const first = await promote(
      { cwd: repo.work, source: 'staging', target: 'production', now: new Date('2024-05-01T10:00:00Z') },
      SETTINGS,
      YES,
    );
    assert.equal(first.status, 'done', JSON.stringify(first));
    if (first.status !== 'done') return;
    const commit = first.delivered.commit;
    const refs = git(repo.work, 'for-each-ref');
    const dry = await revertPromotion({ cwd: repo.work, commit, dryRun: true, push: false }, SETTINGS, YES);
    assert.equal(dry.status, 'failed', JSON.stringify(dry));
    if (dry.status !== 'failed') return;
    assert.equal(
      dry.error.message,
      `The promotion ${commit.slice(0, 12)} was never merged into main, so there is nothing to revert there. It is on promote/production/20240501-100000. To drop the promotion, delete that branch (and close its pull request).`,
    );
    assert.equal(git(repo.work, 'for-each-ref'), refs);
    git(repo.work, 'merge', '-q', '--ff-only', 'promote/production/20240501-100000');
    const merged = await revertPromotion({ cwd: repo.work, commit, dryRun: true, push: false }, SETTINGS, YES);
    assert.equal(merged.status, 'dry-run', JSON.stringify(merged));
  });
});
