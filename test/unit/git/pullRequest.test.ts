import assert from 'node:assert/strict';
import { compareUrl, parseRemoteUrl } from '../../../server/src/git/pullRequest';

describe('pull requests', () => {
  describe('remote URLs', () => {
    const cases: Array<[string, string | undefined]> = [
      ['https://github.com/acme/fleet.git', 'github https://github.com/acme/fleet acme/fleet'],
      ['https://x-access-token:secret@github.com/acme/fleet', 'github https://github.com/acme/fleet acme/fleet'],
      ['git@github.com:acme/fleet.git', 'github https://github.com/acme/fleet acme/fleet'],
      ['ssh://git@github.com/acme/fleet.git', 'github https://github.com/acme/fleet acme/fleet'],
      ['ssh://git@github.example.com:2222/acme/fleet.git', 'github https://github.example.com/acme/fleet acme/fleet'],
      ['https://gitlab.com/group/sub/fleet.git', 'gitlab https://gitlab.com/group/sub/fleet group/sub/fleet'],
      ['git@gitlab.com:group/sub/fleet.git', 'gitlab https://gitlab.com/group/sub/fleet group/sub/fleet'],
      ['https://gitlab.example.com:8443/group/fleet.git', 'gitlab https://gitlab.example.com:8443/group/fleet group/fleet'],
      ['https://me@bitbucket.org/team/fleet.git', 'bitbucket https://bitbucket.org/team/fleet team/fleet'],
      ['git@bitbucket.org:team/fleet.git', 'bitbucket https://bitbucket.org/team/fleet team/fleet'],
      [
        'https://org@dev.azure.com/org/My%20Project/_git/fleet',
        'azure https://dev.azure.com/org/My%20Project/_git/fleet org/My Project/fleet',
      ],
      ['git@ssh.dev.azure.com:v3/org/My%20Project/fleet', 'azure https://dev.azure.com/org/My%20Project/_git/fleet org/My Project/fleet'],
      ['https://org.visualstudio.com/Proj/_git/fleet', 'azure https://org.visualstudio.com/Proj/_git/fleet Proj/fleet'],
      ['org@vs-ssh.visualstudio.com:v3/org/Proj/fleet', 'azure https://org.visualstudio.com/Proj/_git/fleet org/Proj/fleet'],
      ['https://git.example.com/acme/fleet.git', undefined],
      ['/srv/git/fleet.git', undefined],
      ['file:///srv/git/fleet.git', undefined],
      ['ext::sh -c touch% /tmp/pwned', undefined],
    ];
    for (const [url, expected] of cases) {
      it(`reads ${url}`, () => {
        const repository = parseRemoteUrl(url);
        assert.equal(repository && `${repository.kind} ${repository.webUrl} ${repository.path}`, expected);
      });
    }
    it('uses the configured kind of self-hosted hosts', () => {
      assert.equal(
        parseRemoteUrl('git@git.example.com:acme/fleet.git', { 'git.example.com': 'gitlab' })?.webUrl,
        'https://git.example.com/acme/fleet',
      );
    });
  });

  describe('compare URLs', () => {
    const text = {
      base: 'main',
      head: 'promote/production/20240501-100000',
      title: 'promote(production): my-app 1.0.0 -> 1.1.0',
      body: 'a & b #1',
    };
    it('GitHub: compare/base...head with title and body', () => {
      assert.equal(
        compareUrl(parseRemoteUrl('git@github.com:acme/fleet.git')!, text),
        'https://github.com/acme/fleet/compare/main...promote/production/20240501-100000?expand=1' +
          '&title=promote(production)%3A%20my-app%201.0.0%20-%3E%201.1.0&body=a%20%26%20b%20%231',
      );
    });
    it('GitLab: new merge request with source and target branch', () => {
      assert.equal(
        compareUrl(parseRemoteUrl('https://gitlab.com/group/sub/fleet.git')!, { base: 'main', head: 'promote/prod/x' }),
        'https://gitlab.com/group/sub/fleet/-/merge_requests/new?merge_request%5Bsource_branch%5D=promote%2Fprod%2Fx&merge_request%5Btarget_branch%5D=main',
      );
    });
    it('Bitbucket: pull-requests/new with source and dest', () => {
      assert.equal(
        compareUrl(parseRemoteUrl('git@bitbucket.org:team/fleet.git')!, { base: 'main', head: 'promote/prod/x' }),
        'https://bitbucket.org/team/fleet/pull-requests/new?source=promote%2Fprod%2Fx&dest=main',
      );
    });
    it('Azure DevOps: pullrequestcreate with sourceRef and targetRef', () => {
      assert.equal(
        compareUrl(parseRemoteUrl('git@ssh.dev.azure.com:v3/org/Proj/fleet')!, { base: 'main', head: 'promote/prod/x' }),
        'https://dev.azure.com/org/Proj/_git/fleet/pullrequestcreate?sourceRef=promote%2Fprod%2Fx&targetRef=main',
      );
    });
    it('encodes hostile branch names so they cannot leave their parameter', () => {
      const url = compareUrl(parseRemoteUrl('git@github.com:acme/fleet.git')!, { base: 'main', head: 'a?b#c&d e' });
      assert.equal(url, 'https://github.com/acme/fleet/compare/main...a%3Fb%23c%26d%20e?expand=1');
    });
  });
});
