// The `promote` session's workspace, made at run time (never committed): the fleet fixture as a git repository
// with a bare origin, staging ahead of production (my-app 1.1.0, cert-manager chart 1.15.x), like
// test/unit/promote/promoteFixture.ts. Returns the work folder; the temp dir goes when the process exits.
const { execFileSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const SEED = path.join(__dirname, '..', 'fixtures', 'fleet-infra');
const STAGING_IMAGES = 'images:\n- name: ghcr.io/my-org/my-app\n  newTag: 1.1.0\n';
const STAGING_CHART_PATCH =
  'patches:\n- patch: |-\n    apiVersion: helm.toolkit.fluxcd.io/v2\n    kind: HelmRelease\n    metadata:\n      name: cert-manager\n      namespace: cert-manager\n    spec:\n      chart:\n        spec:\n          version: "1.15.x"\n';

function git(cwd, ...args) {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1' },
  }).trim();
}

function makePromoteWorkspace() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fluxenv-vscode-promote-'));
  const work = path.join(dir, 'fleet');
  fs.cpSync(SEED, work, { recursive: true });
  const append = (file, text) => fs.appendFileSync(path.join(work, file), text);
  append('apps/staging/kustomization.yaml', STAGING_IMAGES);
  append('infrastructure/staging/kustomization.yaml', STAGING_CHART_PATCH);
  git(work, 'init', '-q', '-b', 'main');
  // Identity in the repository itself: the language server's git runs with the machine's (maybe empty) config.
  git(work, 'config', 'user.name', 'Pat Promoter');
  git(work, 'config', 'user.email', 'pat@example.com');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'fleet');
  git(dir, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
  git(work, 'remote', 'add', 'origin', path.join(dir, 'origin.git'));
  git(work, 'push', '-q', '-u', 'origin', 'main');
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return work;
}

module.exports = { makePromoteWorkspace };
