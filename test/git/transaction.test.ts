import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTransaction, TransactionRequest } from '../../server/src/git/transaction';
import { parsePromotion, parseRevert, promotionMessage, revertMessage } from '../../server/src/git/trailers';
import {
  Fixture,
  PROMOTED_PRODUCTION,
  BASE_FILES,
  git,
  useIsolatedGitConfig,
  makeFixture,
  readText,
  snapshot,
  writeFile,
} from './gitFixture';

const PRODUCTION = 'apps/production/kustomization.yaml';
const PROMOTION = {
  source: 'staging',
  target: 'production',
  sourceCommit: '0123456789abcdef0123456789abcdef01234567',
  changes: [{ workload: 'my-app', before: '1.0.0', after: '1.1.0' }],
};

describe('git transaction (promotion and revert)', function () {
  this.timeout(20000);
  let fixture: Fixture;
  useIsolatedGitConfig();
  beforeEach(() => (fixture = makeFixture()));
  afterEach(() => fixture.cleanup());

  function promotionRequest(overrides: Partial<TransactionRequest> = {}): TransactionRequest {
    return {
      cwd: fixture.work,
      baseBranch: 'main',
      newBranch: 'promote/production/20240501-100000',
      change: { kind: 'edits', edits: [{ path: PRODUCTION, newText: PROMOTED_PRODUCTION }] },
      message: promotionMessage(PROMOTION),
      ...overrides,
    };
  }

  /** Unrelated uncommitted work of every kind: modified, staged, untracked. */
  function makeUnrelatedWork(): void {
    writeFile(fixture.work, 'README.md', '# fleet\nwork in progress\n');
    writeFile(fixture.work, 'apps/staging/notes.txt', 'staged note\n');
    git(fixture.work, 'add', 'apps/staging/notes.txt');
    writeFile(fixture.work, 'scratch.txt', 'untracked\n');
  }

  it('creates the promote branch from main with the edit, message and trailers, leaving the user on main with their work untouched', async () => {
    makeUnrelatedWork();
    const before = snapshot(fixture.work);
    const main = git(fixture.work, 'rev-parse', 'main');

    const result = await runTransaction(promotionRequest());

    assert.ok(result.ok, JSON.stringify(result));
    assert.deepEqual(snapshot(fixture.work).status, before.status);
    assert.deepEqual({ ...snapshot(fixture.work), refs: '' }, { ...before, refs: '' }, 'work tree, index and HEAD untouched');
    const branchCommit = git(fixture.work, 'rev-parse', 'refs/heads/promote/production/20240501-100000');
    assert.equal(result.value.commit, branchCommit);
    assert.equal(result.value.parent, main);
    assert.equal(git(fixture.work, 'rev-parse', 'main'), main, 'main did not move');
    assert.equal(git(fixture.work, 'symbolic-ref', 'HEAD'), 'refs/heads/main');
    assert.deepEqual(result.value.changedPaths, [PRODUCTION]);
    assert.equal(git(fixture.work, 'show', `${branchCommit}:${PRODUCTION}`) + '\n', PROMOTED_PRODUCTION);
    assert.equal(git(fixture.work, 'diff-tree', '-r', '--name-only', '--no-commit-id', main, branchCommit), PRODUCTION);

    const raw = git(fixture.work, 'cat-file', '-p', branchCommit);
    assert.match(raw, new RegExp(`^parent ${main}$`, 'm'));
    assert.match(raw, /^author Pat Promoter <pat@example.com> 1714557600 \+0000$/m);
    const message = raw.slice(raw.indexOf('\n\n') + 2);
    assert.equal(
      message,
      'promote(production): my-app 1.0.0 -> 1.1.0\n\n' +
        'Promotion: staging -> production\n' +
        'Promoted-From-Commit: 0123456789abcdef0123456789abcdef01234567\n' +
        'Promoted: my-app 1.0.0 -> 1.1.0',
    );
    // git's own trailer parser agrees with ours.
    assert.equal(
      git(fixture.work, 'log', '-1', '--format=%(trailers:only,unfold)', branchCommit),
      'Promotion: staging -> production\nPromoted-From-Commit: 0123456789abcdef0123456789abcdef01234567\nPromoted: my-app 1.0.0 -> 1.1.0\n',
    );
    assert.deepEqual(parsePromotion(message), PROMOTION);
    assert.equal(existsSync(join(fixture.work, '.git', 'index.lock')), false);
  });

  it('creates an annotated tag and pushes branch and tag atomically to origin', async () => {
    const result = await runTransaction(
      promotionRequest({ tag: { name: 'production-2024.05.01', message: 'promote my-app 1.1.0' }, push: { remote: 'origin' } }),
    );
    assert.ok(result.ok, JSON.stringify(result));
    const branchRef = 'refs/heads/promote/production/20240501-100000';
    assert.equal(git(fixture.work, 'cat-file', '-t', 'refs/tags/production-2024.05.01'), 'tag');
    const tagObject = git(fixture.work, 'cat-file', '-p', 'refs/tags/production-2024.05.01');
    assert.match(
      tagObject,
      new RegExp(
        `^object ${result.value.commit}\ntype commit\ntag production-2024.05.01\ntagger Pat Promoter <pat@example.com> 1714557600 \\+0000\n\npromote my-app 1.1.0$`,
      ),
    );
    const remoteRefs = git(fixture.origin, 'for-each-ref', '--format=%(refname) %(objectname)');
    assert.match(remoteRefs, new RegExp(`^${branchRef} ${result.value.commit}$`, 'm'));
    assert.match(remoteRefs, new RegExp(`^refs/tags/production-2024.05.01 ${result.value.tag?.object}$`, 'm'));
    assert.deepEqual(result.value.pushed, { remote: 'origin', refs: [branchRef, 'refs/tags/production-2024.05.01'] });
    assert.equal(git(fixture.work, 'config', '--get', 'branch.promote/production/20240501-100000.remote'), 'origin');
  });

  it('refuses when a file the promotion touches has uncommitted changes, changing nothing', async () => {
    for (const makeDirty of [
      () => writeFile(fixture.work, PRODUCTION, 'edited by hand\n'),
      () => {
        writeFile(fixture.work, PRODUCTION, 'staged by hand\n');
        git(fixture.work, 'add', PRODUCTION);
      },
      () => writeFile(fixture.work, 'apps/production/new.yaml', 'untracked\n'),
    ]) {
      git(fixture.work, 'reset', '-q', '--hard');
      git(fixture.work, 'clean', '-qfd');
      makeDirty();
      makeUnrelatedWork();
      const before = snapshot(fixture.work);
      const result = await runTransaction(
        promotionRequest({
          change: {
            kind: 'edits',
            edits: [
              { path: PRODUCTION, newText: PROMOTED_PRODUCTION },
              { path: 'apps/production/new.yaml', newText: 'x: 1\n' },
            ],
          },
          tag: { name: 'v1', message: 'v1' },
          push: { remote: 'origin' },
          switchToNewBranch: true,
        }),
      );
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, 'dirty');
      assert.match(!result.ok ? result.error.message : '', /Uncommitted changes in files this promotion would change: apps\/production\//);
      assert.deepEqual(snapshot(fixture.work), before, 'every file, the index and all refs byte-identical');
    }
  });

  it('commits straight onto the checked-out base branch when no new branch is asked, updating only the promoted file', async () => {
    makeUnrelatedWork();
    const result = await runTransaction(promotionRequest({ newBranch: undefined, push: { remote: 'origin' } }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(result.value.branch, 'main');
    assert.equal(result.value.createdBranch, false);
    assert.equal(git(fixture.work, 'rev-parse', 'main'), result.value.commit);
    assert.equal(git(fixture.origin, 'rev-parse', 'main'), result.value.commit);
    assert.equal(readText(fixture.work, PRODUCTION), PROMOTED_PRODUCTION);
    assert.equal(readText(fixture.work, 'README.md'), '# fleet\nwork in progress\n');
    const status = git(fixture.work, 'status', '--porcelain', '--untracked-files=all').split('\n').sort();
    assert.deepEqual(status, [' M README.md', '?? scratch.txt', 'A  apps/staging/notes.txt']);
  });

  it('switches to the new branch when asked, carrying unrelated uncommitted work along', async () => {
    makeUnrelatedWork();
    const result = await runTransaction(promotionRequest({ switchToNewBranch: true }));
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(git(fixture.work, 'symbolic-ref', 'HEAD'), 'refs/heads/promote/production/20240501-100000');
    assert.equal(readText(fixture.work, PRODUCTION), PROMOTED_PRODUCTION);
    assert.equal(readText(fixture.work, 'README.md'), '# fleet\nwork in progress\n');
    const status = git(fixture.work, 'status', '--porcelain', '--untracked-files=all').split('\n').sort();
    assert.deepEqual(status, [' M README.md', '?? scratch.txt', 'A  apps/staging/notes.txt']);
  });

  it('a rejected push restores the starting branch, refs, files and index', async () => {
    const hook = join(fixture.origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected: no promotions today" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    makeUnrelatedWork();
    const before = snapshot(fixture.work, { exactIndex: false });
    const remoteBefore = git(fixture.origin, 'for-each-ref', '--format=%(refname) %(objectname)');

    for (const request of [
      promotionRequest({ tag: { name: 'production-1', message: 'p' }, push: { remote: 'origin' }, switchToNewBranch: true }),
      promotionRequest({ newBranch: undefined, tag: { name: 'production-1', message: 'p' }, push: { remote: 'origin' } }),
    ]) {
      const result = await runTransaction(request);
      assert.equal(result.ok, false);
      assert.equal(!result.ok && result.error.kind, 'pushRejected');
      assert.match(!result.ok ? result.error.message : '', /push to "origin" was rejected.*Nothing was changed\./);
      assert.deepEqual(snapshot(fixture.work, { exactIndex: false }), before);
      assert.equal(git(fixture.origin, 'for-each-ref', '--format=%(refname) %(objectname)'), remoteBefore);
    }
  });

  it('a push rejected because the remote base moved restores the base branch and its files', async () => {
    const other = join(fixture.dir, 'other');
    git(fixture.dir, 'clone', '-q', fixture.origin, other);
    writeFile(other, 'README.md', '# fleet, moved on\n');
    git(other, 'commit', '-qam', 'elsewhere');
    git(other, 'push', '-q', 'origin', 'main');
    const before = snapshot(fixture.work, { exactIndex: false });
    const result = await runTransaction(promotionRequest({ newBranch: undefined, push: { remote: 'origin' } }));
    assert.equal(!result.ok && result.error.kind, 'pushRejected');
    assert.deepEqual(snapshot(fixture.work, { exactIndex: false }), before);
  });

  it('reverts a promotion on a new revert branch with a trailer naming the reverted commit', async () => {
    const promoted = await runTransaction(promotionRequest({ newBranch: undefined }));
    assert.ok(promoted.ok);
    const promotionCommit = promoted.value.commit;
    const result = await runTransaction({
      cwd: fixture.work,
      baseBranch: 'main',
      newBranch: 'revert/production/20240502-100000',
      change: { kind: 'revert', commit: promotionCommit },
      message: revertMessage({ commit: promotionCommit, subject: 'promote(production): my-app 1.0.0 -> 1.1.0', promotion: PROMOTION }),
      push: { remote: 'origin' },
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(git(fixture.work, 'show', `${result.value.commit}:${PRODUCTION}`) + '\n', BASE_FILES[PRODUCTION]);
    assert.equal(
      git(fixture.work, 'rev-parse', `${result.value.commit}^{tree}`),
      git(fixture.work, 'rev-parse', `${promotionCommit}^1^{tree}`),
    );
    const message = git(fixture.work, 'log', '-1', '--format=%B', result.value.commit);
    assert.match(
      message,
      /^Revert "promote\(production\): my-app 1.0.0 -> 1.1.0"\n\nThis reverts commit [0-9a-f]{40}\.\n\nReverts-Promotion: [0-9a-f]{40}\n/,
    );
    assert.equal(parseRevert(message)?.revertedCommit, promotionCommit);
    assert.equal(git(fixture.origin, 'rev-parse', 'refs/heads/revert/production/20240502-100000'), result.value.commit);
    assert.equal(readText(fixture.work, PRODUCTION), PROMOTED_PRODUCTION, 'the user stays on main');
  });

  it('a revert merges like git revert when lines near the change moved on since (3-way, not context-exact)', async () => {
    const promoted = await runTransaction(promotionRequest({ newBranch: undefined }));
    assert.ok(promoted.ok);
    // Line 2 is in the promotion hunk's context (line 5), but not next to it: git revert merges it.
    const pinned = PROMOTED_PRODUCTION.replace('  - ../base\n', '  - ../base # pinned\n');
    writeFile(fixture.work, PRODUCTION, pinned);
    git(fixture.work, 'commit', '-qam', 'pin the base');
    const result = await runTransaction({
      cwd: fixture.work,
      baseBranch: 'main',
      newBranch: 'revert/merged',
      change: { kind: 'revert', commit: promoted.value.commit },
      message: 'Revert\n',
    });
    assert.ok(result.ok, JSON.stringify(result));
    assert.equal(git(fixture.work, 'show', `${result.value.commit}:${PRODUCTION}`) + '\n', pinned.replace('1.1.0', '1.0.0'));
    assert.equal(readText(fixture.work, PRODUCTION), pinned, 'the work tree is left as it was');
  });

  it('a revert that no longer applies is a conflict and creates nothing', async () => {
    const promoted = await runTransaction(promotionRequest({ newBranch: undefined }));
    assert.ok(promoted.ok);
    writeFile(fixture.work, PRODUCTION, PROMOTED_PRODUCTION.replace('1.1.0', '1.2.0'));
    git(fixture.work, 'commit', '-qam', 'hand edit');
    const before = snapshot(fixture.work);
    const result = await runTransaction({
      cwd: fixture.work,
      baseBranch: 'main',
      newBranch: 'revert/x',
      change: { kind: 'revert', commit: promoted.value.commit },
      message: 'Revert\n',
    });
    assert.equal(!result.ok && result.error.kind, 'conflict');
    assert.match(
      !result.ok ? result.error.message : '',
      /cannot be reverted cleanly on "main": apps\/production\/kustomization.yaml changed since/,
    );
    assert.deepEqual(snapshot(fixture.work), before);
  });

  it('refuses hostile branch, tag, remote and path names before running anything', async () => {
    const marker = join(fixture.dir, 'pwned');
    const before = snapshot(fixture.work);
    const cases: Array<[Partial<TransactionRequest>, string]> = [
      [{ newBranch: '--upload-pack=touch pwned' }, 'refInvalid'],
      [{ newBranch: '$(touch pwned)' }, 'refInvalid'],
      [{ newBranch: 'a b' }, 'refInvalid'],
      [{ newBranch: 'promote/x\n--force' }, 'refInvalid'],
      [{ newBranch: 'promote/..' }, 'refInvalid'],
      [{ baseBranch: '-main' }, 'refInvalid'],
      [{ tag: { name: '--delete', message: 'x' } }, 'refInvalid'],
      [{ push: { remote: '--upload-pack=touch pwned' } }, 'noRemote'],
      [{ push: { remote: 'ext::sh -c touch% pwned' } }, 'noRemote'],
      [{ change: { kind: 'edits', edits: [{ path: '../outside.yaml', newText: 'x' }] } }, 'invalidInput'],
      [{ change: { kind: 'edits', edits: [{ path: '.git/config', newText: 'x' }] } }, 'invalidInput'],
      [{ change: { kind: 'edits', edits: [{ path: '/etc/passwd', newText: 'x' }] } }, 'invalidInput'],
      [{ change: { kind: 'revert', commit: '--all' } }, 'invalidInput'],
    ];
    for (const [overrides, kind] of cases) {
      const result = await runTransaction(promotionRequest(overrides));
      assert.equal(!result.ok && result.error.kind, kind, JSON.stringify(overrides));
    }
    assert.equal(existsSync(marker), false);
    assert.equal(existsSync(join(fixture.work, 'pwned')), false);
    assert.deepEqual(snapshot(fixture.work), before);
  });

  it('keeps hostile workload and environment names inside the message, encoded as single tokens', async () => {
    const hostile = {
      source: 'stag ing',
      target: '$(rm -rf ~)',
      changes: [{ workload: '--upload-pack=x\nPromoted: forged 1 -> 2', before: '', after: 'a b' }],
    };
    const result = await runTransaction(promotionRequest({ message: promotionMessage(hostile) }));
    assert.ok(result.ok, JSON.stringify(result));
    const message = git(fixture.work, 'log', '-1', '--format=%B', result.value.commit);
    const trailers = git(fixture.work, 'log', '-1', '--format=%(trailers:only,unfold)', result.value.commit);
    assert.deepEqual(trailers.split('\n').filter(Boolean), [
      'Promotion: stag%20ing -> $%28rm%20-rf%20~%29',
      'Promoted: --upload-pack=x%0APromoted:%20forged%201%20->%202 (none) -> a%20b',
    ]);
    assert.deepEqual(parsePromotion(message), hostile);
  });

  it('reports detached HEAD only when it matters, and refuses a missing base branch or an existing branch', async () => {
    git(fixture.work, 'switch', '-q', '--detach', 'main');
    const detachedStart = git(fixture.work, 'rev-parse', 'HEAD');
    const onBranch = await runTransaction(promotionRequest({ switchToNewBranch: true, push: { remote: 'origin' } }));
    assert.ok(onBranch.ok, JSON.stringify(onBranch));
    git(fixture.work, 'switch', '-q', '--detach', detachedStart);

    const missing = await runTransaction(promotionRequest({ baseBranch: 'nope', newBranch: 'promote/a' }));
    assert.equal(!missing.ok && missing.error.kind, 'refInvalid');
    const exists = await runTransaction(promotionRequest({ newBranch: 'main' }));
    assert.equal(!exists.ok && exists.error.kind, 'refExists');
    const unchanged = await runTransaction(
      promotionRequest({
        newBranch: 'promote/b',
        change: { kind: 'edits', edits: [{ path: PRODUCTION, newText: BASE_FILES[PRODUCTION] }] },
      }),
    );
    assert.equal(!unchanged.ok && unchanged.error.kind, 'noChanges');
    assert.equal(git(fixture.work, 'for-each-ref', '--format=%(refname)', 'refs/heads/promote/b'), '');
  });
});
