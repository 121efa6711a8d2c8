import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyGitFailure, runGit } from '../../server/src/git/exec';
import { useIsolatedGitConfig } from './gitFixture';

describe('runGit', () => {
  let dir: string;
  useIsolatedGitConfig();
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'fluxenv-exec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('passes arguments verbatim, never through a shell', async () => {
    await runGit(['init', '-q'], { cwd: dir });
    const result = await runGit(['hash-object', '--stdin'], { cwd: dir, input: '$(touch pwned); `touch pwned2`\n' });
    assert.ok(result.ok);
    assert.match(result.value.stdout, /^[0-9a-f]{40}\n$/);
    const check = await runGit(['check-ref-format', 'refs/heads/$(touch pwned)'], { cwd: dir, acceptExitCodes: [1] });
    assert.ok(check.ok);
    assert.equal(existsSync(join(dir, 'pwned')), false);
    assert.equal(existsSync(join(dir, 'pwned2')), false);
  });

  it('turns "not a git repository" into notARepo with an actionable message', async () => {
    const result = await runGit(['rev-parse', '--show-toplevel'], { cwd: dir, env: { GIT_CEILING_DIRECTORIES: tmpdir() } });
    assert.equal(!result.ok && result.error.kind, 'notARepo');
    assert.match(!result.ok ? result.error.message : '', /not inside a git repository/);
  });

  it('accepts exit codes that are answers', async () => {
    await runGit(['init', '-q'], { cwd: dir });
    const result = await runGit(['rev-parse', '--verify', '--quiet', 'refs/heads/none'], { cwd: dir, acceptExitCodes: [1] });
    assert.ok(result.ok);
    assert.equal(result.value.exitCode, 1);
  });

  it('stops a command that takes too long and reports a missing git', async () => {
    const slowGit = join(dir, 'slow-git');
    writeFileSync(slowGit, '#!/bin/sh\nsleep 5\n');
    chmodSync(slowGit, 0o755);
    const started = Date.now();
    const slow = await runGit(['status'], { cwd: dir, gitPath: slowGit, timeoutMs: 200 });
    assert.equal(!slow.ok && slow.error.kind, 'timeout');
    assert.ok(Date.now() - started < 3000);
    const missing = await runGit(['status'], { cwd: dir, gitPath: join(dir, 'no-such-git') });
    assert.equal(!missing.ok && missing.error.kind, 'gitMissing');
  });

  it('never prompts: GIT_TERMINAL_PROMPT=0, no askpass, no inherited GIT_DIR', async () => {
    const printer = join(dir, 'print-env');
    writeFileSync(printer, '#!/bin/sh\necho "prompt=$GIT_TERMINAL_PROMPT askpass=[$GIT_ASKPASS] gitdir=[$GIT_DIR] args=$*"\n');
    chmodSync(printer, 0o755);
    process.env.GIT_DIR = '/elsewhere';
    try {
      const result = await runGit(['status'], { cwd: dir, gitPath: printer });
      assert.ok(result.ok);
      assert.match(result.value.stdout, /^prompt=0 askpass=\[\] gitdir=\[\] args=.*-c protocol\.ext\.allow=never.* status$/m);
    } finally {
      delete process.env.GIT_DIR;
    }
  });

  it('classifies the failures a promotion can meet', () => {
    const cases: Array<[string, string]> = [
      ['fatal: not a git repository (or any of the parent directories): .git', 'notARepo'],
      ["fatal: could not read Username for 'https://github.com': terminal prompts disabled", 'auth'],
      ['git@github.com: Permission denied (publickey).\nfatal: Could not read from remote repository.', 'auth'],
      ["remote: HTTP Basic: Access denied\nfatal: Authentication failed for 'https://gitlab.com/a/b.git/'", 'auth'],
      [" ! [rejected]        main -> main (fetch first)\nerror: failed to push some refs to 'origin'", 'pushRejected'],
      [' ! [remote rejected] main -> main (pre-receive hook declined)', 'pushRejected'],
      ["fatal: 'origin' does not appear to be a git repository\nfatal: Could not read from remote repository.", 'noRemote'],
      ['fatal: No configured push destination.', 'noRemote'],
      ["fatal: your current branch 'main' does not have any commits yet", 'noCommits'],
      ['fatal: ref HEAD is not a symbolic ref', 'detachedHead'],
      ['error: patch failed: a.yaml:3\nerror: a.yaml: patch does not apply', 'conflict'],
      ["fatal: 'a..b' is not a valid branch name.", 'refInvalid'],
      ["fatal: a branch named 'x' already exists", 'refExists'],
      ['*** Please tell me who you are.', 'identity'],
      ['fatal: something new', 'unknown'],
    ];
    for (const [stderr, kind] of cases) {
      const error = classifyGitFailure(['push', 'origin'], stderr, 128);
      assert.equal(error.kind, kind, stderr);
      assert.ok(error.message.length > 10);
      assert.equal(error.detail, stderr.trim());
    }
    assert.equal(classifyGitFailure(['-c', 'a=b', 'frob', 'x'], 'fatal: something new', 1).message, 'git frob x failed: something new');
  });
});
