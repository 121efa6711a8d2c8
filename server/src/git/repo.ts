// Reading the state of a repository: where it is, which branch is checked out, which files have
// uncommitted changes, which branch is the base, which remotes exist. Read-only.

import { GitResult, fail, ok, runGit } from './exec';

export async function findRepoRoot(cwd: string): Promise<GitResult<string>> {
  const result = await runGit(['rev-parse', '--is-bare-repository', '--show-toplevel'], { cwd });
  if (!result.ok) return result;
  const [bare, root] = result.value.stdout.split('\n');
  if (bare === 'true' || !root) {
    return fail('notARepo', 'This is a bare repository (no working tree); open a clone of it instead.');
  }
  return ok(root);
}

export interface HeadState {
  /** Short branch name; undefined when HEAD is detached. */
  branch?: string;
  /** The commit HEAD points to; undefined before the first commit. */
  commit?: string;
}

export async function readHead(cwd: string): Promise<GitResult<HeadState>> {
  const symbolic = await runGit(['symbolic-ref', '-q', 'HEAD'], { cwd, acceptExitCodes: [1] });
  if (!symbolic.ok) return symbolic;
  const fullRef = symbolic.value.exitCode === 0 ? symbolic.value.stdout.trim() : undefined;
  const head: HeadState = {};
  if (fullRef?.startsWith('refs/heads/')) head.branch = fullRef.slice('refs/heads/'.length);
  const commit = await resolveCommit(cwd, 'HEAD');
  if (!commit.ok) return commit;
  if (commit.value) head.commit = commit.value;
  return ok(head);
}

/** The checked-out branch and its commit, or a `detachedHead` / `noCommits` error. */
export async function requireBranch(cwd: string): Promise<GitResult<Required<HeadState>>> {
  const head = await readHead(cwd);
  if (!head.ok) return head;
  if (!head.value.commit) return fail('noCommits', 'The repository has no commits yet. Make a first commit, then promote.');
  if (!head.value.branch) {
    return fail('detachedHead', 'HEAD is detached (no branch is checked out). Check out a branch first.');
  }
  return ok({ branch: head.value.branch, commit: head.value.commit });
}

/** The commit a revision names, or undefined when it names none. The revision is never an option. */
export async function resolveCommit(cwd: string, revision: string): Promise<GitResult<string | undefined>> {
  const result = await runGit(['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`], {
    cwd,
    acceptExitCodes: [1, 128],
  });
  if (!result.ok) return result;
  if (result.value.exitCode !== 0) return ok(undefined);
  return ok(result.value.stdout.trim());
}

export async function branchExists(cwd: string, branch: string): Promise<GitResult<boolean>> {
  return refExists(cwd, `refs/heads/${branch}`);
}

export async function refExists(cwd: string, fullRef: string): Promise<GitResult<boolean>> {
  const result = await runGit(['show-ref', '--verify', '--quiet', '--', fullRef], { cwd, acceptExitCodes: [1] });
  if (!result.ok) return result;
  return ok(result.value.exitCode === 0);
}

export type StatusKind = 'changed' | 'renamed' | 'unmerged' | 'untracked' | 'ignored';

export interface StatusEntry {
  kind: StatusKind;
  /** Repository-relative path with forward slashes. */
  path: string;
  /** For renames and copies: the path it came from. */
  originalPath?: string;
  /** Porcelain XY: staged state, then work tree state ('.' = unchanged). */
  staged: string;
  unstaged: string;
}

export interface RepoStatus {
  branch?: string;
  commit?: string;
  upstream?: string;
  ahead?: number;
  behind?: number;
  entries: StatusEntry[];
}

/** `git status --porcelain=v2 -z`, parsed; untracked files are listed one by one. */
export async function readStatus(cwd: string): Promise<GitResult<RepoStatus>> {
  const result = await runGit(['status', '--porcelain=v2', '-z', '--branch', '--untracked-files=all', '--ignore-submodules=none'], {
    cwd,
  });
  if (!result.ok) return result;
  return ok(parsePorcelainV2(result.value.stdout));
}

export function parsePorcelainV2(output: string): RepoStatus {
  const status: RepoStatus = { entries: [] };
  const tokens = output.split('\0');
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token === '') continue;
    const type = token[0];
    if (type === '#') {
      const [, key, ...rest] = token.split(' ');
      const value = rest.join(' ');
      if (key === 'branch.oid' && value !== '(initial)') status.commit = value;
      else if (key === 'branch.head' && value !== '(detached)') status.branch = value;
      else if (key === 'branch.upstream') status.upstream = value;
      else if (key === 'branch.ab') {
        const match = /^\+(\d+) -(\d+)$/.exec(value);
        if (match) {
          status.ahead = Number(match[1]);
          status.behind = Number(match[2]);
        }
      }
    } else if (type === '1') {
      const fields = splitFields(token, 9);
      status.entries.push({ kind: 'changed', path: fields[8], staged: fields[1][0], unstaged: fields[1][1] });
    } else if (type === '2') {
      const fields = splitFields(token, 10);
      // The original path of a rename is the next NUL-separated token.
      const originalPath = tokens[++index] ?? '';
      status.entries.push({ kind: 'renamed', path: fields[9], originalPath, staged: fields[1][0], unstaged: fields[1][1] });
    } else if (type === 'u') {
      const fields = splitFields(token, 11);
      status.entries.push({ kind: 'unmerged', path: fields[10], staged: fields[1][0], unstaged: fields[1][1] });
    } else if (type === '?') {
      status.entries.push({ kind: 'untracked', path: token.slice(2), staged: '?', unstaged: '?' });
    } else if (type === '!') {
      status.entries.push({ kind: 'ignored', path: token.slice(2), staged: '!', unstaged: '!' });
    }
  }
  return status;
}

/** Splits into `count` space-separated fields; the last keeps its spaces (it is a path). */
function splitFields(token: string, count: number): string[] {
  const fields: string[] = [];
  let rest = token;
  for (let field = 0; field < count - 1; field++) {
    const space = rest.indexOf(' ');
    if (space < 0) break;
    fields.push(rest.slice(0, space));
    rest = rest.slice(space + 1);
  }
  fields.push(rest);
  while (fields.length < count) fields.push('');
  return fields;
}

/** Repository-relative paths with forward slashes and no `./`, so that they compare equal. */
export function normalizeRepoPath(path: string): string {
  return path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/\/{2,}/g, '/');
}

/**
 * The status entries that concern any of `paths` (a file the plan touches that is modified,
 * staged, untracked, unmerged, or the source or target of a rename). Ignored files do not count.
 */
export function dirtyEntriesAmong(status: RepoStatus, paths: Iterable<string>): StatusEntry[] {
  const wanted = new Set<string>();
  for (const path of paths) wanted.add(normalizeRepoPath(path));
  return status.entries.filter(
    (entry) => entry.kind !== 'ignored' && (wanted.has(entry.path) || (entry.originalPath !== undefined && wanted.has(entry.originalPath))),
  );
}

/** Succeeds when none of `paths` has uncommitted changes; otherwise a `dirty` error naming them. */
export async function requireCleanPaths(cwd: string, paths: readonly string[]): Promise<GitResult<RepoStatus>> {
  const status = await readStatus(cwd);
  if (!status.ok) return status;
  const dirty = dirtyEntriesAmong(status.value, paths);
  if (dirty.length > 0) {
    const names = [...new Set(dirty.map((entry) => entry.path))].sort();
    const shown = names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
    return fail(
      'dirty',
      `Uncommitted changes in files this promotion would change: ${shown}. Commit or stash them first; nothing was changed.`,
      { paths: names },
    );
  }
  return ok(status.value);
}

export interface Remote {
  name: string;
  fetchUrl?: string;
  pushUrl?: string;
}

export async function listRemotes(cwd: string): Promise<GitResult<Remote[]>> {
  const result = await runGit(['config', '-z', '--get-regexp', '^remote\\..*\\.(url|pushurl)$'], { cwd, acceptExitCodes: [1] });
  if (!result.ok) return result;
  const remotes = new Map<string, Remote>();
  for (const record of result.value.stdout.split('\0')) {
    if (record === '') continue;
    const newline = record.indexOf('\n');
    const key = newline < 0 ? record : record.slice(0, newline);
    const value = newline < 0 ? '' : record.slice(newline + 1);
    const lastDot = key.lastIndexOf('.');
    const name = key.slice('remote.'.length, lastDot);
    const field = key.slice(lastDot + 1).toLowerCase();
    const remote = remotes.get(name) ?? { name };
    if (field === 'url') remote.fetchUrl ??= value;
    else if (field === 'pushurl') remote.pushUrl ??= value;
    remotes.set(name, remote);
  }
  return ok([...remotes.values()]);
}

/** The remote to push to: `preferred` if it exists, else `origin`, else the only one. */
export function pickRemote(remotes: readonly Remote[], preferred?: string): Remote | undefined {
  if (preferred) return remotes.find((remote) => remote.name === preferred);
  return remotes.find((remote) => remote.name === 'origin') ?? (remotes.length === 1 ? remotes[0] : undefined);
}

/**
 * The branch promotions start from: what the remote calls its default (`<remote>/HEAD`), else
 * `init.defaultBranch`, `main` or `master` when they exist locally, else the current branch.
 */
export async function defaultBranch(cwd: string, remoteName = 'origin'): Promise<GitResult<string>> {
  const remoteHead = await runGit(['symbolic-ref', '-q', '--', `refs/remotes/${remoteName}/HEAD`], { cwd, acceptExitCodes: [1, 128] });
  if (!remoteHead.ok) return remoteHead;
  const prefix = `refs/remotes/${remoteName}/`;
  const target = remoteHead.value.stdout.trim();
  if (remoteHead.value.exitCode === 0 && target.startsWith(prefix)) return ok(target.slice(prefix.length));

  const configured = await runGit(['config', '--get', 'init.defaultBranch'], { cwd, acceptExitCodes: [1] });
  if (!configured.ok) return configured;
  const candidates = [configured.value.stdout.trim(), 'main', 'master'].filter((name) => name !== '');
  for (const candidate of candidates) {
    const exists = await branchExists(cwd, candidate);
    if (!exists.ok) return exists;
    if (exists.value) return ok(candidate);
  }
  const head = await requireBranch(cwd);
  if (!head.ok) return head;
  return ok(head.value.branch);
}

/** Files a commit changed compared with its first parent (all files for a root commit). */
export async function changedPaths(cwd: string, commit: string): Promise<GitResult<string[]>> {
  if (!/^[0-9a-f]{4,64}$/i.test(commit)) return fail('invalidInput', `"${commit.slice(0, 80)}" is not a commit id.`);
  const result = await runGit(
    ['diff-tree', '-r', '-z', '--root', '--no-renames', '--no-commit-id', '--name-only', '--no-ext-diff', commit],
    {
      cwd,
    },
  );
  if (!result.ok) return result;
  return ok(result.value.stdout.split('\0').filter((path) => path !== ''));
}
