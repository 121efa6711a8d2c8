import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  changedPaths,
  defaultBranch,
  dirtyEntriesAmong,
  findRepoRoot,
  listRemotes,
  pickRemote,
  readHead,
  readStatus,
  requireBranch,
  requireCleanPaths,
} from '../../server/src/git/repo';
import { Fixture, git, useIsolatedGitConfig, makeFixture, writeFile } from './gitFixture';

describe('repository state', () => {
  let fixture: Fixture;
  useIsolatedGitConfig();
  beforeEach(() => (fixture = makeFixture()));
  afterEach(() => fixture.cleanup());

  it('parses porcelain v2 status: modified, staged, renamed, untracked, unmerged-free, names with spaces and newlines', async () => {
    writeFile(fixture.work, 'README.md', 'changed\n');
    git(fixture.work, 'mv', 'apps/base/deployment.yaml', 'apps/base/my deployment.yaml');
    writeFile(fixture.work, 'odd\nname.yaml', 'x\n');
    writeFile(fixture.work, 'apps/staging/new.yaml', 'x\n');
    const status = await readStatus(join(fixture.work, 'apps'));
    assert.ok(status.ok);
    assert.equal(status.value.branch, 'main');
    assert.equal(status.value.upstream, 'origin/main');
    assert.equal(status.value.ahead, 0);
    const byPath = Object.fromEntries(status.value.entries.map((entry) => [entry.path, entry]));
    assert.deepEqual(byPath['README.md'], { kind: 'changed', path: 'README.md', staged: '.', unstaged: 'M' });
    assert.deepEqual(byPath['apps/base/my deployment.yaml'], {
      kind: 'renamed',
      path: 'apps/base/my deployment.yaml',
      originalPath: 'apps/base/deployment.yaml',
      staged: 'R',
      unstaged: '.',
    });
    assert.equal(byPath['odd\nname.yaml']?.kind, 'untracked');
    assert.equal(byPath['apps/staging/new.yaml']?.kind, 'untracked');

    const dirty = dirtyEntriesAmong(status.value, [
      './apps/base/deployment.yaml',
      'apps/production/kustomization.yaml',
      'apps/staging/new.yaml',
    ]);
    assert.deepEqual(dirty.map((entry) => entry.path).sort(), ['apps/base/my deployment.yaml', 'apps/staging/new.yaml']);
    const refused = await requireCleanPaths(fixture.work, ['README.md', 'apps/production/kustomization.yaml']);
    assert.equal(!refused.ok && refused.error.kind, 'dirty');
    assert.deepEqual(!refused.ok && refused.error.paths, ['README.md']);
    assert.ok((await requireCleanPaths(fixture.work, ['apps/production/kustomization.yaml'])).ok);
  });

  it('knows the root, the branch, detached HEAD and empty repositories', async () => {
    const root = await findRepoRoot(join(fixture.work, 'apps', 'base'));
    assert.deepEqual(root, { ok: true, value: fixture.work });
    const head = await requireBranch(fixture.work);
    assert.ok(head.ok && head.value.branch === 'main' && /^[0-9a-f]{40}$/.test(head.value.commit));

    git(fixture.work, 'switch', '-q', '--detach');
    const detached = await requireBranch(fixture.work);
    assert.equal(!detached.ok && detached.error.kind, 'detachedHead');
    assert.ok((await readHead(fixture.work)).ok);

    const empty = mkdtempSync(join(tmpdir(), 'fluxenv-empty-'));
    try {
      git(empty, 'init', '-q', '-b', 'main');
      const none = await requireBranch(empty);
      assert.equal(!none.ok && none.error.kind, 'noCommits');
      const notRepo = await findRepoRoot(tmpdir());
      assert.equal(!notRepo.ok && notRepo.error.kind, 'notARepo');
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('finds the base branch and the remotes', async () => {
    assert.deepEqual(await defaultBranch(fixture.work), { ok: true, value: 'main' });
    git(fixture.work, 'remote', 'set-head', 'origin', 'main');
    git(fixture.work, 'branch', 'trunk');
    git(fixture.work, 'push', '-q', 'origin', 'trunk');
    git(fixture.work, 'remote', 'set-head', 'origin', 'trunk');
    assert.deepEqual(await defaultBranch(fixture.work), { ok: true, value: 'trunk' });

    git(fixture.work, 'remote', 'add', 'my.fork', 'git@github.com:me/fleet.git');
    git(fixture.work, 'remote', 'set-url', '--push', 'my.fork', 'https://github.com/me/fleet.git');
    const remotes = await listRemotes(fixture.work);
    assert.ok(remotes.ok);
    assert.deepEqual(
      remotes.value.sort((a, b) => a.name.localeCompare(b.name)),
      [
        { name: 'my.fork', fetchUrl: 'git@github.com:me/fleet.git', pushUrl: 'https://github.com/me/fleet.git' },
        { name: 'origin', fetchUrl: '../origin.git' },
      ],
    );
    assert.equal(pickRemote(remotes.value)?.name, 'origin');
    assert.equal(pickRemote(remotes.value, 'my.fork')?.name, 'my.fork');
    assert.equal(pickRemote(remotes.value, 'nope'), undefined);
  });

  it('lists the files a commit changed', async () => {
    writeFile(fixture.work, 'apps/production/kustomization.yaml', 'x: 1\n');
    git(fixture.work, 'commit', '-qam', 'edit');
    assert.deepEqual(await changedPaths(fixture.work, git(fixture.work, 'rev-parse', 'HEAD')), {
      ok: true,
      value: ['apps/production/kustomization.yaml'],
    });
  });
});
