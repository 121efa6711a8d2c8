// openPullRequest with a stand-in gh on PATH: a real process, so here beside the other tests that run programs.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPullRequest } from '../../server/src/git/pullRequest';

describe('pull requests', () => {
  describe('gh pr create', () => {
    let dir: string;
    let log: string;
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'fluxenv-gh-'));
      log = join(dir, 'argv.log');
      // A stand-in gh first on PATH: records each argv (NUL-separated, each call ended by \\x1e) and answers.
      writeFileSync(
        join(dir, 'gh'),
        '#!/bin/sh\nfor arg in "$@"; do printf "%s\\0" "$arg" >> "$GH_LOG"; done\nprintf "\\036" >> "$GH_LOG"\n' +
          'if [ "$1" = auth ]; then exit "${GH_AUTH_EXIT:-0}"; fi\n' +
          'if [ "$1" = pr ]; then echo "Creating pull request"; echo "https://github.com/acme/fleet/pull/7"; fi\n',
      );
      chmodSync(join(dir, 'gh'), 0o755);
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    const calls = () =>
      readFileSync(log, 'utf8')
        .split('\x1e')
        .filter(Boolean)
        .map((call) => call.split('\0').slice(0, -1));

    const request = (env: Record<string, string>) => ({
      cwd: dir,
      remoteUrl: 'git@github.com:acme/fleet.git',
      base: 'main',
      head: 'promote/production/20240501-100000',
      title: '--title-injection $(touch pwned)',
      body: '-b\nPromotion: staging -> production',
      env: { PATH: `${dir}:${process.env.PATH}`, GH_LOG: log, ...env },
    });

    it('creates the PR with gh when it is signed in, every value bound to its flag', async () => {
      const result = await openPullRequest(request({}));
      assert.deepEqual(result, { ok: true, value: { kind: 'created', url: 'https://github.com/acme/fleet/pull/7', via: 'gh' } });
      assert.deepEqual(calls(), [
        ['auth', 'status', '--hostname=github.com'],
        [
          'pr',
          'create',
          '--repo=acme/fleet',
          '--base=main',
          '--head=promote/production/20240501-100000',
          '--title=--title-injection $(touch pwned)',
          '--body=-b\nPromotion: staging -> production',
        ],
      ]);
      assert.equal(existsSync(join(dir, 'pwned')), false);
    });

    it('falls back to the compare URL when gh is not signed in, missing, or the host is not GitHub', async () => {
      const signedOut = await openPullRequest(request({ GH_AUTH_EXIT: '1' }));
      assert.ok(signedOut.ok && signedOut.value.kind === 'compareUrl');
      assert.match(
        signedOut.value.url,
        /^https:\/\/github\.com\/acme\/fleet\/compare\/main\.\.\.promote\/production\/20240501-100000\?expand=1&title=/,
      );
      assert.match(signedOut.value.kind === 'compareUrl' ? signedOut.value.reason : '', /not signed in/);
      assert.deepEqual(calls(), [['auth', 'status', '--hostname=github.com']]);

      const missing = await openPullRequest({ ...request({}), ghPath: join(dir, 'no-gh') });
      assert.ok(missing.ok && missing.value.kind === 'compareUrl' && /not installed/.test(missing.value.reason));

      const gitlab = await openPullRequest({ ...request({}), remoteUrl: 'git@gitlab.com:g/fleet.git' });
      assert.ok(
        gitlab.ok && gitlab.value.kind === 'compareUrl' && gitlab.value.url.startsWith('https://gitlab.com/g/fleet/-/merge_requests/new?'),
      );

      const unknown = await openPullRequest({ ...request({}), remoteUrl: '/srv/git/fleet.git' });
      assert.equal(!unknown.ok && unknown.error.kind, 'noRemote');
    });
  });
});
