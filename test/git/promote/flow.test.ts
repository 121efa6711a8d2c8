import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/main';
import { FleetIndex } from '../../../server/src/fleet/fleetIndex';
import { parsePromotion, parseRevert, parseTrailers } from '../../../server/src/git/trailers';
import { attachPullRequest } from '../../../server/src/promote/delivery';
import { promote } from '../../../server/src/promote/flow';
import {
  DEFAULT_PROMOTION_SETTINGS,
  type Delivered,
  type PromotionCallbacks,
  type PromotionSettings,
} from '../../../server/src/promote/flowTypes';
import { promotionHistory } from '../../../server/src/promote/history';
import { revertPromotion } from '../../../server/src/promote/revert';
import { git, readText, snapshot, writeFile } from '../gitFixture';
import { extractCommit, makeFleetRepo, useFleetRepo, type FleetRepo } from './promoteFixture';

const NOW = new Date('2024-05-01T10:00:00Z');
const BRANCH = 'promote/production/20240501-100000';
const YES: PromotionCallbacks = { confirm: async () => true, ask: async () => true };
const SETTINGS: PromotionSettings = { ...DEFAULT_PROMOTION_SETTINGS, useGh: false };

function productionImage(root: string): string {
  const index = new FleetIndex(root);
  index.scan();
  const render = index.renderEnvironment(index.environment('production')!);
  const deployment = render.objects.find(
    (o) => o.object.kind === 'Deployment' && (o.object.metadata as { name: string }).name === 'my-app',
  );
  return (deployment!.object.spec as never as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers[0]
    .image;
}

describe('promotion flow (real git repositories)', function () {
  this.timeout(20000);
  let repo: FleetRepo;
  useFleetRepo((r) => (repo = r));

  it('overlay: a promote branch from main with the edit, subject, trailers and tag, pushed to origin; production renders the promoted image and chart', async () => {
    const main = git(repo.work, 'rev-parse', 'main');
    const outcome = await promote(
      { cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: true, tag: true },
      SETTINGS,
      YES,
    );
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    const commit = git(repo.work, 'rev-parse', `refs/heads/${BRANCH}`);
    assert.equal(outcome.delivered.commit, commit);
    assert.equal(git(repo.work, 'rev-parse', `${commit}^`), main);
    assert.equal(git(repo.work, 'rev-parse', 'main'), main, 'main did not move');
    assert.equal(
      git(repo.work, 'diff-tree', '--no-commit-id', '--name-only', '-r', commit),
      'apps/production/kustomization.yaml\ninfrastructure/production/kustomization.yaml',
    );
    const message = git(repo.work, 'log', '-1', '--format=%B', commit);
    // Two changes do not fit the 72-character subject: they are counted, and listed in the trailers.
    assert.equal(message.split('\n')[0], 'promote(production): 2 changes from staging');
    const trailers = parseTrailers(message).map((t) => `${t.key}: ${t.value}`);
    assert.deepEqual(trailers, [
      'Promotion: staging -> production',
      `Promoted-From-Commit: ${main}`,
      'Promoted: my-app 1.0.0 -> 1.1.0',
      'Promoted: cert-manager 1.14.x -> 1.15.x',
    ]);
    assert.equal(outcome.delivered.tag, 'promotion/production/20240501-100000');
    assert.equal(git(repo.work, 'cat-file', '-t', 'promotion/production/20240501-100000'), 'tag');
    assert.equal(git(repo.origin, 'rev-parse', `refs/heads/${BRANCH}`), commit);
    assert.equal(git(repo.origin, 'rev-parse', 'refs/tags/promotion/production/20240501-100000^{commit}'), commit);
    assert.equal(outcome.delivered.pullRequest, undefined, 'a local path remote has no pull request page');
    const tree = extractCommit(repo.work, commit);
    assert.equal(productionImage(tree), 'ghcr.io/my-org/my-app:1.1.0');
    assert.equal(productionImage(repo.work), 'ghcr.io/my-org/my-app:1.0.0', 'the work tree is untouched');
  });

  it('--dry-run shows the plan and diff and touches nothing; a plan with nothing to promote says so', async () => {
    const before = snapshot(repo.work);
    const outcome = await promote({ cwd: repo.work, source: 'staging', target: 'production', dryRun: true }, SETTINGS, YES);
    assert.equal(outcome.status, 'dry-run');
    if (outcome.status !== 'dry-run') return;
    assert.match(outcome.preview.diff, /^\+- name: ghcr\.io\/my-org\/my-app$/m);
    assert.match(outcome.preview.diff, /^\+\s+version: 1\.15\.x$/m);
    assert.deepEqual(snapshot(repo.work), before);

    const back = await promote({ cwd: repo.work, source: 'production', target: 'staging', dryRun: true, changeIds: [] }, SETTINGS, YES);
    assert.equal(back.status, 'nothing');
  });

  it('refuses a dirty tree (an uncommitted edit of a file the environments read) with every file byte-identical', async () => {
    writeFile(repo.work, 'apps/production/kustomization.yaml', readText(repo.work, 'apps/production/kustomization.yaml') + '# wip\n');
    const before = snapshot(repo.work);
    const outcome = await promote({ cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: true }, SETTINGS, YES);
    assert.equal(outcome.status, 'failed');
    if (outcome.status === 'failed') assert.equal(outcome.error.kind, 'dirty');
    assert.deepEqual(snapshot(repo.work), before);
  });

  it('a failing push (origin rejects) leaves the starting state', async () => {
    const hook = join(repo.origin, 'hooks', 'pre-receive');
    writeFileSync(hook, '#!/bin/sh\necho "protected" >&2\nexit 1\n');
    chmodSync(hook, 0o755);
    const before = snapshot(repo.work);
    const originRefs = git(repo.origin, 'for-each-ref');
    const outcome = await promote(
      { cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: true, tag: true },
      SETTINGS,
      YES,
    );
    assert.equal(outcome.status, 'failed');
    assert.deepEqual(snapshot(repo.work), before);
    assert.equal(git(repo.origin, 'for-each-ref'), originRefs);
  });

  it('revert: the promotion merged into main is reverted on a revert/ branch with the trailer naming it; production renders as before; history shows both', async () => {
    const promoted = await promote({ cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: false }, SETTINGS, YES);
    assert.equal(promoted.status, 'done');
    if (promoted.status !== 'done') return;
    git(repo.work, 'merge', '-q', '--ff-only', BRANCH);
    const outcome = await revertPromotion(
      { cwd: repo.work, commit: promoted.delivered.commit, now: new Date('2024-05-02T08:00:00Z'), push: true },
      SETTINGS,
      YES,
    );
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.delivered.branch, 'revert/production/20240502-080000');
    const message = git(repo.work, 'log', '-1', '--format=%B', outcome.delivered.commit);
    assert.equal(parseRevert(message)?.revertedCommit, promoted.delivered.commit);
    assert.equal(productionImage(extractCommit(repo.work, outcome.delivered.commit)), 'ghcr.io/my-org/my-app:1.0.0');
    assert.equal(git(repo.origin, 'rev-parse', 'refs/heads/revert/production/20240502-080000'), outcome.delivered.commit);

    git(repo.work, 'merge', '-q', '--ff-only', outcome.delivered.branch);
    const history = await promotionHistory(repo.work);
    assert.ok(history.ok);
    if (!history.ok) return;
    assert.equal(history.value.length, 1);
    assert.equal(history.value[0].commit, promoted.delivered.commit);
    assert.deepEqual([history.value[0].source, history.value[0].target], ['staging', 'production']);
    assert.equal(history.value[0].revertedBy?.commit, outcome.delivered.commit);
    assert.equal(history.value[0].author.name, 'Pat Promoter');

    const notPromotion = await revertPromotion({ cwd: repo.work, commit: git(repo.work, 'rev-parse', 'HEAD~2') }, SETTINGS, YES);
    assert.equal(notPromotion.status, 'failed');
  });

  it('staging (no PR required) commits directly on main; production refuses a direct commit', async () => {
    writeFile(
      repo.work,
      'apps/production/kustomization.yaml',
      readText(repo.work, 'apps/production/kustomization.yaml') + 'images:\n- name: ghcr.io/my-org/my-app\n  newTag: 2.0.0\n',
    );
    git(repo.work, 'commit', '-q', '-am', 'production hotfix');
    const refused = await promote({ cwd: repo.work, source: 'staging', target: 'production', pullRequest: false }, SETTINGS, YES);
    assert.equal(refused.status, 'failed');
    const outcome = await promote(
      {
        cwd: repo.work,
        source: 'production',
        target: 'staging',
        now: NOW,
        push: false,
        changeIds: ['image:apps/Deployment/my-app:spec/template/spec/containers[app]'],
      },
      SETTINGS,
      YES,
    );
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.delivered.branch, 'main');
    assert.equal(git(repo.work, 'rev-parse', 'main'), outcome.delivered.commit);
    assert.match(readText(repo.work, 'apps/staging/kustomization.yaml'), /newTag: 2\.0\.0/);
    assert.equal(git(repo.work, 'status', '--porcelain'), '');
  });

  it('pull request: a stand-in gh on PATH gets `pr create` with the right arguments; other hosts get their compare URL', async () => {
    const bin = mkdtempSync(join(tmpdir(), 'fluxenv-gh-'));
    const log = join(bin, 'argv.log');
    writeFileSync(
      join(bin, 'gh'),
      `#!/bin/sh\nfor a in "$@"; do printf '%s\\n' "$a" >> '${log}'; done\necho --- >> '${log}'\nif [ "$1" = pr ]; then echo https://github.com/my-org/fleet-infra/pull/7; fi\n`,
    );
    chmodSync(join(bin, 'gh'), 0o755);
    const savedPath = process.env.PATH;
    process.env.PATH = `${bin}:${savedPath}`;
    try {
      // The bare repository stays the push target; the fetch URL says where the web pages are.
      git(repo.work, 'remote', 'set-url', 'origin', 'git@github.com:my-org/fleet-infra.git');
      git(repo.work, 'remote', 'set-url', '--push', 'origin', '../origin.git');
      const outcome = await promote(
        { cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: true },
        { ...SETTINGS, useGh: true },
        YES,
      );
      assert.equal(outcome.status, 'done', JSON.stringify(outcome));
      if (outcome.status !== 'done') return;
      // The push URL is a local path: gh and compare URLs need the web remote, so the fetch URL is used.
      assert.deepEqual(outcome.delivered.pullRequest, { kind: 'created', url: 'https://github.com/my-org/fleet-infra/pull/7', via: 'gh' });
      const calls = readFileSync(log, 'utf8')
        .split('---\n')
        .filter((c) => c !== '')
        .map((c) => c.trimEnd().split('\n'));
      assert.deepEqual(calls[0], ['auth', 'status', '--hostname=github.com']);
      assert.deepEqual(calls[1].slice(0, 6), [
        'pr',
        'create',
        '--repo=my-org/fleet-infra',
        '--base=main',
        `--head=${BRANCH}`,
        '--title=promote(production): 2 changes from staging',
      ]);
      assert.match(calls[1][6], /^--body=my-app: ghcr\.io\/my-org\/my-app:1\.0\.0 -> ghcr\.io\/my-org\/my-app:1\.1\.0/);
    } finally {
      process.env.PATH = savedPath;
      rmSync(bin, { recursive: true, force: true });
    }
    const urls: Record<string, RegExp> = {
      'git@gitlab.com:group/fleet.git':
        /^https:\/\/gitlab\.com\/group\/fleet\/-\/merge_requests\/new\?merge_request%5Bsource_branch%5D=promote%2Fproduction%2F20240501-110000&merge_request%5Btarget_branch%5D=main&/,
      'https://bitbucket.org/team/fleet.git':
        /^https:\/\/bitbucket\.org\/team\/fleet\/pull-requests\/new\?source=promote%2Fproduction%2F20240501-110000&dest=main$/,
      'https://dev.azure.com/org/project/_git/fleet':
        /^https:\/\/dev\.azure\.com\/org\/project\/_git\/fleet\/pullrequestcreate\?sourceRef=promote%2Fproduction%2F20240501-110000&targetRef=main$/,
      'https://github.com/my-org/fleet-infra.git':
        /^https:\/\/github\.com\/my-org\/fleet-infra\/compare\/main\.\.\.promote\/production\/20240501-110000\?expand=1&title=promote/,
    };
    // One whole promotion for a non-GitHub host; the others through the same pull request step.
    const [firstUrl, ...otherUrls] = Object.keys(urls);
    const copy = makeFleetRepo();
    try {
      git(copy.work, 'remote', 'set-url', 'origin', firstUrl);
      // Not pushed (the URL is not reachable): the page is still given, with a note to push first.
      const outcome = await promote(
        { cwd: copy.work, source: 'staging', target: 'production', now: new Date('2024-05-01T11:00:00Z'), push: false },
        SETTINGS,
        YES,
      );
      assert.equal(outcome.status, 'done', JSON.stringify(outcome));
      if (outcome.status !== 'done') return;
      assert.equal(outcome.delivered.pullRequest?.kind, 'compareUrl');
      assert.match(outcome.delivered.pullRequest?.url ?? '', urls[firstUrl]);
      assert.match(outcome.delivered.pullRequestNote ?? '', /was not pushed; push it/);
    } finally {
      copy.cleanup();
    }
    for (const url of otherUrls) {
      const delivered: Delivered = {
        branch: 'promote/production/20240501-110000',
        createdBranch: true,
        commit: '0'.repeat(40),
        pushed: { remote: 'origin', refs: [] },
      };
      await attachPullRequest(
        repo.work,
        SETTINGS,
        {
          remote: { name: 'origin', fetchUrl: url, pushUrl: '../origin.git' },
          baseBranch: 'main',
          title: 'promote(production): my-app 1.0.0 -> 1.1.0',
          prBody: 'body',
        },
        delivered,
      );
      assert.equal(delivered.pullRequest?.kind, 'compareUrl', url);
      assert.match(delivered.pullRequest?.url ?? '', urls[url], url);
    }
  });

  it('hostile environment and workload names reach git only as validated refs and encoded trailers: no option or shell injection', async () => {
    const hostileEnv = '--upload-pack=touch PWNED;$(touch PWNED2)';
    const hostileWorkload = '-x $(touch PWNED3) `touch PWNED4`';
    git(repo.work, 'mv', 'clusters/production', `clusters/${hostileEnv.replace(/\//g, '_')}`);
    for (const file of ['apps/base/my-app/deployment.yaml', 'apps/production/my-app-patch.yaml', 'apps/staging/my-app-patch.yaml']) {
      writeFile(repo.work, file, readText(repo.work, file).replace('  name: my-app\n', `  name: '${hostileWorkload}'\n`));
    }
    const sync = `clusters/${hostileEnv.replace(/\//g, '_')}/flux-system/gotk-sync.yaml`;
    writeFile(
      repo.work,
      sync,
      readText(repo.work, sync).replace('path: ./clusters/production', `path: "./clusters/${hostileEnv.replace(/\//g, '_')}"`),
    );
    git(repo.work, 'commit', '-q', '-am', 'hostile names');
    const envName = readdirSync(join(repo.work, 'clusters')).find((n) => n.startsWith('--'))!;
    const outcome = await promote(
      { cwd: repo.work, source: 'staging', target: envName, now: NOW, push: true, tag: true },
      { ...SETTINGS, requirePullRequestFor: [envName] },
      YES,
    );
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.delivered.branch, 'promote/upload-pack-touch-PWNED-touch-PWNED2/20240501-100000');
    for (const pwned of ['PWNED', 'PWNED2', 'PWNED3', 'PWNED4']) {
      assert.equal(existsSync(join(repo.work, pwned)), false);
      assert.equal(existsSync(join(repo.dir, pwned)), false);
    }
    const info = parsePromotion(git(repo.work, 'log', '-1', '--format=%B', outcome.delivered.commit));
    assert.equal(info?.target, envName);
    assert.equal(info?.changes[0].workload, hostileWorkload);
  });
});

describe('promotion flow: branch and tag strategies', function () {
  this.timeout(20000);
  let repo: FleetRepo;
  useFleetRepo((r) => (repo = r));

  function setRef(env: string, ref: string): void {
    const file = `clusters/${env}/flux-system/gotk-sync.yaml`;
    writeFile(repo.work, file, readText(repo.work, file).replace('    branch: main\n', `    ${ref}\n`));
  }

  it('branch: each cluster follows its own branch; promote = a merge commit of staging into production on a promote branch, with trailers, pushed', async () => {
    setRef('staging', 'branch: staging');
    setRef('production', 'branch: production');
    git(repo.work, 'commit', '-q', '-am', 'clusters follow their own branches');
    git(repo.work, 'branch', 'production');
    git(repo.work, 'switch', '-q', '-c', 'staging');
    writeFile(
      repo.work,
      'apps/base/my-app/deployment.yaml',
      readText(repo.work, 'apps/base/my-app/deployment.yaml').replace('1.0.0', '1.2.0'),
    );
    git(repo.work, 'commit', '-q', '-am', 'my-app 1.2.0');
    const staging = git(repo.work, 'rev-parse', 'staging');
    const production = git(repo.work, 'rev-parse', 'production');

    const dry = await promote({ cwd: repo.work, source: 'staging', target: 'production', dryRun: true }, SETTINGS, YES);
    assert.equal(dry.status, 'dry-run');
    if (dry.status === 'dry-run') assert.equal(dry.preview.strategy?.kind, 'branch');
    const outcome = await promote({ cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: true }, SETTINGS, YES);
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.delivered.branch, BRANCH);
    assert.equal(git(repo.work, 'log', '-1', '--format=%P', outcome.delivered.commit), `${production} ${staging}`);
    const info = parsePromotion(git(repo.work, 'log', '-1', '--format=%B', outcome.delivered.commit));
    assert.deepEqual(info, {
      source: 'staging',
      target: 'production',
      sourceCommit: staging,
      changes: [{ workload: 'staging', before: production.slice(0, 12), after: staging.slice(0, 12) }],
    });
    assert.equal(git(repo.origin, 'rev-parse', `refs/heads/${BRANCH}`), outcome.delivered.commit);
    assert.equal(git(repo.work, 'rev-parse', 'production'), production, 'production itself moves only when the PR merges');

    git(repo.work, 'switch', '-q', 'production');
    git(repo.work, 'merge', '-q', '--ff-only', BRANCH);
    const again = await promote({ cwd: repo.work, source: 'staging', target: 'production', dryRun: true }, SETTINGS, YES);
    assert.equal(again.status, 'nothing');
  });

  it("tag: production follows a semver range; promote = the next annotated version tag on staging's commit, pushed; history lists it", async () => {
    setRef('production', 'semver: ">=1.0.0 <2.0.0"');
    git(repo.work, 'commit', '-q', '-am', 'production follows releases');
    git(repo.work, 'tag', '-a', '-m', 'first release', 'v1.0.0', 'HEAD~1');
    const main = git(repo.work, 'rev-parse', 'main');
    const outcome = await promote({ cwd: repo.work, source: 'staging', target: 'production', now: NOW, push: true }, SETTINGS, YES);
    assert.equal(outcome.status, 'done', JSON.stringify(outcome));
    if (outcome.status !== 'done') return;
    assert.equal(outcome.delivered.tag, 'v1.0.1');
    assert.equal(git(repo.work, 'cat-file', '-t', 'v1.0.1'), 'tag');
    assert.equal(git(repo.work, 'rev-parse', 'v1.0.1^{commit}'), main);
    assert.equal(git(repo.origin, 'rev-parse', 'refs/tags/v1.0.1^{commit}'), main);
    const info = parsePromotion(git(repo.work, 'tag', '-l', '--format=%(contents)', 'v1.0.1'));
    assert.deepEqual(info?.changes, [{ workload: 'flux-system', before: 'v1.0.0', after: 'v1.0.1' }]);
    const history = await promotionHistory(repo.work);
    assert.ok(history.ok && history.value.some((h) => h.via === 'tag' && h.tags.includes('v1.0.1') && h.target === 'production'));
    const again = await promote({ cwd: repo.work, source: 'staging', target: 'production', dryRun: true }, SETTINGS, YES);
    assert.equal(again.status, 'nothing');
  });
});

describe('fluxenv promote / history', function () {
  this.timeout(20000);
  let repo: FleetRepo;
  useFleetRepo((r) => (repo = r));

  async function cli(args: string[], prompt?: (q: string) => Promise<string>) {
    let stdout = '';
    let stderr = '';
    const code = await runCli(args, {
      stdout: (t) => (stdout += t),
      stderr: (t) => (stderr += t),
      cwd: repo.work,
      ...(prompt ? { prompt } : {}),
    });
    return { code, stdout, stderr };
  }

  it('--dry-run prints the plan and the diff and exits 0; without --yes and no terminal nothing happens (exit 1); --yes --no-push promotes; history lists it', async () => {
    const before = snapshot(repo.work);
    const dry = await cli(['promote', '--from', 'staging', '--to', 'production', '--dry-run']);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /image my-app: 1\.0\.0 -> 1\.1\.0/);
    assert.match(dry.stdout, /^\+\+\+ b\/apps\/production\/kustomization\.yaml$/m);
    assert.match(dry.stdout, /Dry run: nothing was changed\./);
    const unconfirmed = await cli(['promote', '--from', 'staging', '--to', 'production']);
    assert.equal(unconfirmed.code, 1);
    assert.match(unconfirmed.stderr, /--yes/);
    const declined = await cli(['promote', '--from', 'staging', '--to', 'production'], async () => 'n');
    assert.equal(declined.code, 1);
    assert.deepEqual(snapshot(repo.work), before);

    const done = await cli(['promote', '--from', 'staging', '--to', 'production', '--yes', '--no-push']);
    assert.equal(done.code, 0, done.stderr);
    assert.match(done.stdout, /Committed [0-9a-f]{12} on the new branch promote\/production\/\d{8}-\d{6} \(from main\)/);
    git(repo.work, 'merge', '-q', '--ff-only', git(repo.work, 'for-each-ref', '--format=%(refname:short)', 'refs/heads/promote'));
    const history = await cli(['history']);
    assert.equal(history.code, 0, history.stderr);
    assert.match(
      history.stdout,
      /staging -> production {2}Pat Promoter <pat@example\.com>\n {4}my-app: 1\.0\.0 -> 1\.1\.0\n {4}cert-manager: 1\.14\.x -> 1\.15\.x\n/,
    );
    const usage = await cli(['promote', '--from', 'staging']);
    assert.equal(usage.code, 2);
  });
});
