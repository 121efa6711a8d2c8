// The seed fleet as a real git repository in a temp folder, with a bare `origin`: staging already runs
// my-app 1.1.0 (an images entry) and cert-manager chart 1.15.x (a patch), production the base's
// 1.0.0 / 1.14.x. Built once per process and copied for each test (spawning git is the slow part).
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, readText, useIsolatedGitConfig, writeFile } from '../gitFixture';

export const SEED = join(__dirname, '../../fixtures/fleet-infra');

export const STAGING_IMAGES = 'images:\n- name: ghcr.io/my-org/my-app\n  newTag: 1.1.0\n';
export const STAGING_CHART_PATCH =
  'patches:\n- patch: |-\n    apiVersion: helm.toolkit.fluxcd.io/v2\n    kind: HelmRelease\n    metadata:\n      name: cert-manager\n      namespace: cert-manager\n    spec:\n      chart:\n        spec:\n          version: "1.15.x"\n';

export interface FleetRepo {
  dir: string;
  work: string;
  origin: string;
  cleanup(): void;
}

let template: string | undefined;

function buildTemplate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'fluxenv-promote-template-'));
  const work = join(dir, 'work');
  cpSync(SEED, work, { recursive: true });
  writeFile(work, 'apps/staging/kustomization.yaml', readText(work, 'apps/staging/kustomization.yaml') + STAGING_IMAGES);
  writeFile(
    work,
    'infrastructure/staging/kustomization.yaml',
    readText(work, 'infrastructure/staging/kustomization.yaml') + STAGING_CHART_PATCH,
  );
  git(work, 'init', '-q', '-b', 'main');
  git(work, 'add', '-A');
  git(work, 'commit', '-q', '-m', 'fleet');
  git(dir, 'init', '-q', '--bare', '-b', 'main', 'origin.git');
  git(work, 'remote', 'add', 'origin', '../origin.git');
  git(work, 'push', '-q', '-u', 'origin', 'main');
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function makeFleetRepo(): FleetRepo {
  template ??= buildTemplate();
  const dir = mkdtempSync(join(tmpdir(), 'fluxenv-promote-test-'));
  cpSync(template, dir, { recursive: true });
  return { dir, work: join(dir, 'work'), origin: join(dir, 'origin.git'), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The files of a commit, extracted into a fresh temp folder (the repository is not touched). */
export function extractCommit(work: string, commit: string): string {
  const out = mkdtempSync(join(tmpdir(), 'fluxenv-promote-tree-'));
  mkdirSync(out, { recursive: true });
  const tar = execFileSync('git', ['archive', '--format=tar', commit], { cwd: work, maxBuffer: 64 * 1024 * 1024 });
  execFileSync('tar', ['-x', '-C', out], { input: tar });
  process.once('exit', () => rmSync(out, { recursive: true, force: true }));
  return out;
}

/** In a describe: isolated git config, and a fresh copy of the fleet repository for each test (`set` receives it). */
export function useFleetRepo(set: (repo: FleetRepo) => void): void {
  useIsolatedGitConfig();
  let repo: FleetRepo | undefined;
  beforeEach(() => set((repo = makeFleetRepo())));
  afterEach(() => repo?.cleanup());
}
