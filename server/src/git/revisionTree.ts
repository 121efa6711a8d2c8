// A read-only view of the files of one commit, for rendering a revision without a checkout: the tree is
// listed once (`git ls-tree -r -z -l`), the YAML files and ignore files are read in one `git cat-file
// --batch`, and any other file a render asks for (a generator's `.env`, a ConfigMap's script) is read on
// demand. Nothing in the work tree, the index or the refs is touched: only objects are read.
//
// It has the shape of the renderer's `FileSystem` (kustomize/fs.ts) without importing it: git/ knows
// nothing above it, and TypeScript matches the shapes.

import { execFileSync } from 'node:child_process';
import { fail, gitEnvironment, ok, runGit, type GitResult } from './exec';
import { resolveCommit } from './repo';

/** Files larger than this are not read ahead; a render that needs one still reads it, on demand. */
const READ_AHEAD_MAX_BYTES = 4 * 1024 * 1024;
const ON_DEMAND_TIMEOUT_MS = 30_000;

interface TreeBlob {
  sha: string;
  size: number;
}

export interface RevisionTree {
  /** The commit the files are from. */
  commit: string;
  /** The revision as the user named it (`main`, `v1.2`, `HEAD~1`). */
  revision: string;
  /** Where the tree is seen: the repository's root folder, so paths match the work tree's. */
  root: string;
  readFile(file: string): string | undefined;
  readBytes(file: string): Uint8Array | undefined;
  kind(p: string): 'file' | 'dir' | undefined;
  readDir(dir: string): string[];
  realPath(p: string): string;
  /** Every file of the tree, absolute, sorted. */
  files(): string[];
  /** A file's size in bytes, known from the listing without reading it. */
  sizeOf(file: string): number | undefined;
}

function wantedAhead(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /\.ya?ml$/i.test(name) || name === 'Kustomization' || /^\.(git|source|krm)ignore$/.test(name);
}

/**
 * The tree of `revision` in the repository at `repoRoot` (its top folder, forward slashes), or an error
 * naming the revision: one that does not exist, or one a shallow clone does not have.
 */
export async function openRevisionTree(repoRoot: string, revision: string): Promise<GitResult<RevisionTree>> {
  const commit = await resolveCommit(repoRoot, revision);
  if (!commit.ok) return commit;
  if (!commit.value) return missingRevision(repoRoot, revision);
  const listing = await runGit(['ls-tree', '-r', '-z', '-l', '--full-tree', commit.value], { cwd: repoRoot });
  if (!listing.ok) return listing;
  const root = repoRoot.replace(/\\/g, '/').replace(/\/+$/, '') || '/';
  const prefix = root === '/' ? '/' : root + '/';
  const blobs = new Map<string, TreeBlob>();
  const dirs = new Map<string, Set<string>>();
  const addToDir = (dir: string, name: string) => {
    let names = dirs.get(dir);
    if (!names) dirs.set(dir, (names = new Set()));
    names.add(name);
  };
  dirs.set(root, new Set());
  for (const record of listing.value.stdout.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type, sha, size] = record.slice(0, tab).split(/ +/);
    // Symbolic links and submodules are left out: a link's target is text, not the file, and a
    // submodule is another repository.
    if (type !== 'blob' || mode === '120000') continue;
    const relative = record.slice(tab + 1);
    const file = prefix + relative;
    blobs.set(file, { sha, size: Number(size) || 0 });
    let child = file;
    for (let slash = child.lastIndexOf('/'); slash >= prefix.length - 1 && child !== root; slash = child.lastIndexOf('/')) {
      const parent = slash === 0 ? '/' : child.slice(0, slash);
      addToDir(parent === '' ? '/' : parent, child.slice(slash + 1));
      child = parent;
    }
  }
  const texts = new Map<string, Buffer>();
  const ahead = [...blobs.entries()].filter(([file, blob]) => blob.size <= READ_AHEAD_MAX_BYTES && wantedAhead(file));
  if (ahead.length > 0) {
    const batch = await runGit(['cat-file', '--batch'], { cwd: repoRoot, input: ahead.map(([, blob]) => blob.sha).join('\n') + '\n' });
    if (!batch.ok) return batch;
    const read = parseBatch(batch.value.stdoutBytes);
    for (const [file, blob] of ahead) {
      const bytes = read.get(blob.sha);
      if (bytes) texts.set(file, bytes);
    }
  }
  const bytesOf = (file: string): Buffer | undefined => {
    const known = texts.get(file);
    if (known) return known;
    const blob = blobs.get(file);
    if (!blob) return undefined;
    try {
      // The renderer reads synchronously; a file not read ahead is rare (generator inputs), so one
      // blocking `cat-file` each is simpler than making every reader asynchronous.
      const bytes = execFileSync('git', ['cat-file', 'blob', blob.sha], {
        cwd: repoRoot,
        env: gitEnvironment(),
        timeout: ON_DEMAND_TIMEOUT_MS,
        maxBuffer: 256 * 1024 * 1024,
        stdio: ['ignore', 'pipe', 'ignore'],
        windowsHide: true,
      });
      texts.set(file, bytes);
      return bytes;
    } catch {
      return undefined;
    }
  };
  const decoded = new Map<string, string>();
  return ok({
    commit: commit.value,
    revision,
    root,
    readFile(file) {
      let text = decoded.get(file);
      if (text === undefined) {
        const bytes = bytesOf(file);
        if (bytes === undefined) return undefined;
        decoded.set(file, (text = bytes.toString('utf8')));
      }
      return text;
    },
    readBytes: (file) => bytesOf(file),
    kind: (p) => (blobs.has(p) ? 'file' : dirs.has(p) ? 'dir' : undefined),
    readDir: (dir) => [...(dirs.get(dir) ?? [])].sort(),
    realPath: (p) => p,
    files: () => [...blobs.keys()].sort(),
    sizeOf: (file) => blobs.get(file)?.size,
  });
}

/** `cat-file --batch` output: `<sha> blob <size>\n<bytes>\n` per object, `<sha> missing\n` for none. */
function parseBatch(out: Buffer): Map<string, Buffer> {
  const objects = new Map<string, Buffer>();
  let at = 0;
  while (at < out.length) {
    const newline = out.indexOf(0x0a, at);
    if (newline < 0) break;
    const header = out.subarray(at, newline).toString('utf8').split(' ');
    at = newline + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    objects.set(header[0], out.subarray(at, at + size));
    at += size + 1;
  }
  return objects;
}

async function missingRevision<T>(repoRoot: string, revision: string): Promise<GitResult<T>> {
  const shallow = await runGit(['rev-parse', '--is-shallow-repository'], { cwd: repoRoot });
  const hint =
    shallow.ok && shallow.value.stdout.trim() === 'true'
      ? ' This is a shallow clone: fetch more history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout) or name a revision it has.'
      : " Check the name with 'git log --oneline --all' or 'git branch -a'.";
  return fail('refInvalid', `the revision '${printableRevision(revision)}' does not exist in ${repoRoot}.${hint}`);
}

function printableRevision(revision: string): string {
  // eslint-disable-next-line no-control-regex
  return revision.replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, 200);
}

/**
 * Where a branch's changes start: the merge base of HEAD with the default branch (`origin/HEAD`, else
 * `main` or `master`). An error when there is no default branch or, in a shallow clone, no merge base.
 */
export async function defaultBaseRevision(repoRoot: string): Promise<GitResult<{ commit: string; against: string }>> {
  // One git process for every candidate: the Rendered Changes view asks again after each edit.
  const candidates = ['refs/heads/main', 'refs/heads/master', 'refs/remotes/origin/main', 'refs/remotes/origin/master'];
  const refs = await runGit(['for-each-ref', '--format=%(refname)%00%(symref)', 'refs/remotes/origin/HEAD', ...candidates], {
    cwd: repoRoot,
  });
  if (!refs.ok) return refs;
  const found = new Map<string, string>();
  for (const line of refs.value.stdout.split('\n')) {
    const [name, target = ''] = line.split('\0');
    if (name) found.set(name, target);
  }
  const remoteHead = found.get('refs/remotes/origin/HEAD');
  // origin/HEAD names the remote's default branch, whatever it is called; else the usual names that exist.
  const against = remoteHead || candidates.find((name) => found.get(name) === '');
  if (!against)
    return fail('refInvalid', `no default branch to compare with in ${repoRoot} (no origin/HEAD, main or master). Pass --base <revision>.`);
  const shown = against.replace(/^refs\/(heads|remotes)\//, '');
  const base = await runGit(['merge-base', 'HEAD', against], { cwd: repoRoot, acceptExitCodes: [1] });
  if (!base.ok) return base;
  if (base.value.exitCode !== 0 || base.value.stdout.trim() === '') {
    const shallow = await runGit(['rev-parse', '--is-shallow-repository'], { cwd: repoRoot });
    const hint =
      shallow.ok && shallow.value.stdout.trim() === 'true'
        ? ' This is a shallow clone: fetch more history (git fetch --unshallow, or fetch-depth: 0 in actions/checkout), or pass --base <revision>.'
        : ' Pass --base <revision>.';
    return fail('refInvalid', `HEAD and ${shown} have no common commit in ${repoRoot}.${hint}`);
  }
  return ok({ commit: base.value.stdout.trim(), against: shown });
}

export interface RevisionChoice {
  /** What to pass back as a revision: a branch, tag or remote branch name, or a commit id. */
  revision: string;
  kind: 'branch' | 'remote' | 'tag' | 'commit';
  /** The subject of its commit, and for a commit its date. */
  description: string;
}

/** Branches, tags, remote branches and the latest commits of HEAD, for a picker. */
export async function listRevisions(repoRoot: string, recentCommits = 30): Promise<GitResult<RevisionChoice[]>> {
  const refs = await runGit(
    ['for-each-ref', '--sort=-committerdate', '--format=%(refname)%00%(contents:subject)', 'refs/heads', 'refs/tags', 'refs/remotes'],
    { cwd: repoRoot },
  );
  if (!refs.ok) return refs;
  const out: RevisionChoice[] = [];
  for (const line of refs.value.stdout.split('\n')) {
    const [ref, subject = ''] = line.split('\0');
    if (!ref || ref.endsWith('/HEAD')) continue;
    const kind = ref.startsWith('refs/heads/') ? 'branch' : ref.startsWith('refs/tags/') ? 'tag' : 'remote';
    out.push({ revision: ref.replace(/^refs\/(heads|tags|remotes)\//, ''), kind, description: subject });
  }
  const log = await runGit(['log', `-n${recentCommits}`, '--format=%H%x00%cs%x00%s', 'HEAD'], { cwd: repoRoot, acceptExitCodes: [128] });
  if (!log.ok) return log;
  for (const line of log.value.stdout.split('\n')) {
    const [commit, date = '', subject = ''] = line.split('\0');
    if (commit) out.push({ revision: commit, kind: 'commit', description: `${date} ${subject}` });
  }
  return ok(out);
}
