// Real repositories in temp folders for the git layer's tests: a work clone with a bare `origin`,
// identities from the environment only (never the machine's global git config).

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export const IDENTITY_ENV: Record<string, string> = {
  GIT_AUTHOR_NAME: 'Pat Promoter',
  GIT_AUTHOR_EMAIL: 'pat@example.com',
  GIT_AUTHOR_DATE: '2024-05-01T10:00:00Z',
  GIT_COMMITTER_NAME: 'Pat Promoter',
  GIT_COMMITTER_EMAIL: 'pat@example.com',
  GIT_COMMITTER_DATE: '2024-05-01T10:00:00Z',
};

const ISOLATION_ENV: Record<string, string> = {
  GIT_CONFIG_GLOBAL: '/dev/null',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_TERMINAL_PROMPT: '0',
};

/** Points git at no global/system config for the duration of a test file; returns the undo. */
export function isolateGitConfig(): () => void {
  const saved: Record<string, string | undefined> = {};
  for (const [key, value] of Object.entries({ ...ISOLATION_ENV, ...IDENTITY_ENV })) {
    saved[key] = process.env[key];
    process.env[key] = value;
  }
  return () => {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  };
}

/** In a describe: git sees no global/system config while its tests run. */
export function useIsolatedGitConfig(): void {
  let restore: () => void;
  before(() => (restore = isolateGitConfig()));
  after(() => restore());
}

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: { ...process.env, ...ISOLATION_ENV, ...IDENTITY_ENV, LC_ALL: 'C' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  }).replace(/\n$/, '');
}

export function writeFile(root: string, path: string, text: string): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
}

export function readText(root: string, path: string): string {
  return readFileSync(join(root, path), 'utf8');
}

export const BASE_FILES: Record<string, string> = {
  'apps/base/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-app\n',
  'apps/staging/kustomization.yaml': 'resources:\n  - ../base\nimages:\n  - name: my-app\n    newTag: 1.1.0\n',
  'apps/production/kustomization.yaml': 'resources:\n  - ../base\nimages:\n  - name: my-app\n    newTag: 1.0.0\n',
  'README.md': '# fleet\n',
};

export const PROMOTED_PRODUCTION = BASE_FILES['apps/production/kustomization.yaml'].replace('1.0.0', '1.1.0');

export interface Fixture {
  dir: string;
  work: string;
  origin: string;
  cleanup(): void;
}

let template: { dir: string; withOrigin: boolean }[] = [];

function buildTemplate(withOrigin: boolean): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxenv-git-template-'));
  const work = join(dir, 'work');
  mkdirSync(work);
  git(work, 'init', '-q', '-b', 'main');
  for (const [path, text] of Object.entries(BASE_FILES)) writeFile(work, path, text);
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'initial fleet');
  if (withOrigin) {
    git(dir, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
    // Relative, so that a copied fixture points at its own copy of origin.
    git(work, 'remote', 'add', 'origin', '../origin.git');
    git(work, 'push', '-q', '-u', 'origin', 'main');
  }
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/**
 * A work repository on `main` with one commit of BASE_FILES, pushed to a bare `origin`
 * (`../origin.git`). Built once per process and copied: spawning git is the slow part.
 */
export function makeFixture(options: { withOrigin?: boolean } = {}): Fixture {
  const withOrigin = options.withOrigin !== false;
  let source = template.find((entry) => entry.withOrigin === withOrigin)?.dir;
  if (!source) {
    source = buildTemplate(withOrigin);
    template = [...template, { dir: source, withOrigin }];
  }
  const dir = mkdtempSync(join(tmpdir(), 'fluxenv-git-test-'));
  cpSync(source, dir, { recursive: true });
  return { dir, work: join(dir, 'work'), origin: join(dir, 'origin.git'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Every file of the work tree (including .git/index and HEAD) with its bytes, plus every ref: what
 * "nothing was changed" means.
 */
export function snapshot(work: string, options: { exactIndex?: boolean } = {}): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string, prefix: string) => {
    for (const name of readdirSync(folder).sort()) {
      const full = join(folder, name);
      const relative = prefix ? `${prefix}/${name}` : name;
      if (relative === '.git') continue;
      if (statSync(full).isDirectory()) walk(full, relative);
      else files[relative] = readFileSync(full).toString('base64');
    }
  };
  walk(work, '');
  // A file rewritten and restored has the same bytes but new stat data in the index.
  files['.git/index'] =
    options.exactIndex === false ? git(work, 'ls-files', '--stage') : readFileSync(join(work, '.git/index')).toString('base64');
  files['.git/HEAD'] = readFileSync(join(work, '.git/HEAD'), 'utf8');
  files['refs'] = git(work, 'for-each-ref', '--format=%(refname) %(objectname)');
  files['status'] = git(work, '--no-optional-locks', 'status', '--porcelain=v2', '--untracked-files=all');
  return files;
}

export function requireGit(): void {
  execFileSync('git', ['--version'], { stdio: 'ignore' });
}
