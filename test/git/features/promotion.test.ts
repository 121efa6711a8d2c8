// The editor's promotion requests on a real fleet repository with a bare origin: the plan the client shows,
// the refusal of git writes for an untrusted workspace, a promotion with the reviewed texts, history, git show.
import assert from 'node:assert/strict';
import {
  deletePromotionBranch,
  listPromotions,
  planPromotion,
  runPromotion,
  runRevert,
  showCommit,
  UNTRUSTED_MESSAGE,
} from '../../../server/src/features/promotion';
import { git, readText, snapshot, writeFile } from '../gitFixture';
import { useFleetRepo, type FleetRepo } from '../promote/promoteFixture';

const SETTINGS = { push: 'never' as const };

describe('promotion requests (features/promotion.ts)', function () {
  this.timeout(20000);
  let repo: FleetRepo;
  useFleetRepo((r) => (repo = r));

  it('plans staging -> production: both changes with before/after, the file texts for a diff editor, nothing written', async () => {
    const before = snapshot(repo.work);
    const plan = await planPromotion(repo.work, { from: 'staging', to: 'production', settings: SETTINGS });
    assert.equal(plan.message, undefined, JSON.stringify(plan));
    assert.equal(plan.strategy, 'overlay');
    assert.deepEqual(plan.changes.map((c) => `${c.kind} ${c.workload} ${c.before} -> ${c.after}`).sort(), [
      'chart cert-manager 1.14.x -> 1.15.x',
      'image my-app 1.0.0 -> 1.1.0',
    ]);
    assert.deepEqual(
      plan.fileChanges.map((f) => f.path),
      ['apps/production/kustomization.yaml', 'infrastructure/production/kustomization.yaml'],
    );
    const apps = plan.fileChanges[0];
    assert.equal(apps.before, readText(repo.work, 'apps/production/kustomization.yaml'));
    assert.match(apps.after, /newTag: 1\.1\.0/);
    assert.match(apps.uri, /^file:\/\/.*\/apps\/production\/kustomization\.yaml$/);

    const onlyImage = await planPromotion(repo.work, {
      from: 'staging',
      to: 'production',
      changeIds: [plan.changes.find((c) => c.kind === 'image')!.id],
    });
    assert.deepEqual(
      onlyImage.fileChanges.map((f) => f.path),
      ['apps/production/kustomization.yaml'],
    );
    assert.deepEqual(snapshot(repo.work), before);
  });

  it('names the remote a push goes to, and none when the repository has no remote (the editor then does not ask to push)', async () => {
    const plan = await planPromotion(repo.work, { from: 'staging', to: 'production', settings: SETTINGS });
    assert.equal(plan.remote, 'origin');
    git(repo.work, 'remote', 'remove', 'origin');
    const local = await planPromotion(repo.work, { from: 'staging', to: 'production', settings: SETTINGS });
    assert.equal(local.message, undefined, JSON.stringify(local));
    assert.equal(local.remote, undefined);
  });

  it('an unknown environment or nothing to promote is a message, not an error', async () => {
    const unknown = await planPromotion(repo.work, { from: 'staging', to: 'prod' });
    assert.match(unknown.message ?? '', /There is no environment "prod"/);
    const nothing = await planPromotion(repo.work, { from: 'production', to: 'staging', changeIds: [] });
    assert.match(nothing.message ?? '', /^Nothing to promote/);
  });

  it('refuses every git write when the workspace is not trusted (or trust is not stated), with the repository unchanged', async () => {
    const before = snapshot(repo.work);
    const refs = git(repo.work, 'for-each-ref');
    for (const trusted of [false, undefined]) {
      const outcome = await runPromotion(repo.work, {
        from: 'staging',
        to: 'production',
        push: true,
        pullRequest: true,
        tag: true,
        trusted,
      } as never);
      assert.deepEqual(outcome, { kind: 'refused', message: UNTRUSTED_MESSAGE });
      const revert = await runRevert(repo.work, { commit: 'HEAD', push: false, trusted } as never);
      assert.equal(revert.kind, 'refused');
    }
    assert.deepEqual(snapshot(repo.work), before);
    assert.equal(git(repo.work, 'for-each-ref'), refs);
  });

  it('promotes what the user reviewed onto a pushed promote branch, reports progress, lists it in the history, shows it', async () => {
    const plan = await planPromotion(repo.work, { from: 'staging', to: 'production' });
    const steps: string[] = [];
    const outcome = await runPromotion(
      repo.work,
      {
        from: 'staging',
        to: 'production',
        push: true,
        pullRequest: true,
        tag: false,
        trusted: true,
        reviewed: plan.fileChanges.map((f) => ({ path: f.path, after: f.after })),
        settings: { branchTemplate: 'promote/{target}/editor' },
      },
      (m) => steps.push(m),
    );
    assert.equal(outcome.kind, 'done', outcome.message);
    assert.equal(outcome.branch, 'promote/production/editor');
    assert.equal(git(repo.origin, 'rev-parse', 'refs/heads/promote/production/editor'), outcome.commit);
    assert.equal(git(repo.work, 'rev-parse', '--abbrev-ref', 'HEAD'), 'main', 'the checkout stays on main');
    assert.deepEqual(steps, [
      'Planning staging -> production…',
      'Commit on a new branch promote/production/editor from main, then a pull request; pushing',
      'Writing the changed files',
      'Committing',
      'Creating branch promote/production/editor',
      'Pushing to origin',
      'Opening the pull request',
    ]);

    const history = await listPromotions(repo.work, {});
    assert.equal(history.entries.length, 1);
    assert.equal(history.entries[0].commit, outcome.commit);
    assert.equal(`${history.entries[0].source} -> ${history.entries[0].target}`, 'staging -> production');
    assert.equal(history.entries[0].changes.length, 2);

    const shown = await showCommit(repo.work, outcome.commit);
    assert.ok('text' in shown && shown.text.includes('Promotion: staging -> production'), JSON.stringify(shown));
    assert.deepEqual(await showCommit(repo.work, '--output=/tmp/x'), { error: 'Not a commit id.' });

    // Once its pull request is merged, the promotion can be reverted: the preview describes the revert.
    git(repo.work, 'merge', '-q', '--ff-only', 'promote/production/editor');
    const revertPlan = await runRevert(repo.work, { commit: outcome.commit!, push: false, trusted: false, dryRun: true });
    assert.match(revertPlan.summary?.[0] ?? '', /^Revert /);
  });

  it('an unmerged promotion: its revert is refused naming the branch, and that branch (only a promotion branch) can be deleted', async () => {
    const plan = await planPromotion(repo.work, { from: 'staging', to: 'production' });
    const outcome = await runPromotion(repo.work, {
      from: 'staging',
      to: 'production',
      push: false,
      pullRequest: true,
      tag: false,
      trusted: true,
      reviewed: plan.fileChanges.map((f) => ({ path: f.path, after: f.after })),
      settings: { branchTemplate: 'promote/{target}/editor' },
    });
    assert.equal(outcome.kind, 'done', outcome.message);
    const revert = await runRevert(repo.work, { commit: outcome.commit!, push: false, trusted: true, dryRun: true });
    assert.equal(revert.kind, 'refused');
    assert.deepEqual(revert.unmergedBranches, ['promote/production/editor']);
    assert.match(
      revert.message,
      /was never merged into main, so there is nothing to revert there\. It is on promote\/production\/editor\./,
    );

    assert.deepEqual(await deletePromotionBranch(repo.work, { branch: 'promote/production/editor', trusted: false }), {
      kind: 'refused',
      message: UNTRUSTED_MESSAGE,
    });
    assert.match(
      (await deletePromotionBranch(repo.work, { branch: 'main', trusted: true })).message,
      /^main does not end in a promotion commit; it was left alone\.$/,
    );
    assert.match(
      (await deletePromotionBranch(repo.work, { branch: '--force', trusted: true })).message,
      /^There is no local branch --force\.$/,
    );
    const deleted = await deletePromotionBranch(repo.work, { branch: 'promote/production/editor', trusted: true });
    assert.equal(deleted.kind, 'done', deleted.message);
    assert.equal(git(repo.work, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/promote/'), '');
    assert.match(deleted.message, /^Deleted the branch promote\/production\/editor \(it was [0-9a-f]{12}\)\./);
  });

  it('declines when the files changed after the review, leaving the repository as it was', async () => {
    const plan = await planPromotion(repo.work, { from: 'staging', to: 'production' });
    writeFile(
      repo.work,
      'apps/staging/kustomization.yaml',
      readText(repo.work, 'apps/staging/kustomization.yaml').replace('1.1.0', '1.2.0'),
    );
    git(repo.work, 'commit', '-q', '-am', 'staging runs 1.2.0');
    const before = snapshot(repo.work);
    const refs = git(repo.work, 'for-each-ref');
    const outcome = await runPromotion(repo.work, {
      from: 'staging',
      to: 'production',
      push: false,
      pullRequest: true,
      tag: false,
      trusted: true,
      reviewed: plan.fileChanges.map((f) => ({ path: f.path, after: f.after })),
    });
    assert.equal(outcome.kind, 'declined');
    assert.match(outcome.message, /changed since you reviewed/);
    assert.deepEqual(snapshot(repo.work), before);
    assert.equal(git(repo.work, 'for-each-ref'), refs);
  });
});
