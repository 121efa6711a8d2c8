// A promotion or revert as one transaction: build the commit with plumbing in a temporary index
// (the user's work tree and index are never read or written for it), create the branch and tag
// in one atomic ref update, optionally check the branch out, push atomically, and undo every
// step already taken when a later one fails. The user's unrelated uncommitted work is untouched.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitError, GitOutput, GitResult, fail, ok, runGit } from './exec';
import { checkRefName, printable } from './refs';
import { findRepoRoot, listRemotes, normalizeRepoPath, readHead, refExists, requireCleanPaths, resolveCommit } from './repo';

export interface FileEdit {
  /** Repository-relative path (forward slashes). */
  path: string;
  /** The whole new content; null deletes the file. */
  newText: string | null;
}

export type TransactionChange =
  | { kind: 'edits'; edits: readonly FileEdit[] }
  /** Undo this commit (its changes against its first parent), like `git revert`. */
  | { kind: 'revert'; commit: string };

export interface TransactionRequest {
  /** Any folder inside the repository. */
  cwd: string;
  /** The branch the change starts from, e.g. `main`. */
  baseBranch: string;
  /** The branch to create from the base; omit to commit onto the base branch itself. */
  newBranch?: string;
  change: TransactionChange;
  /** The whole commit message (see `promotionMessage` / `revertMessage`). */
  message: string;
  /** An annotated tag on the new commit. */
  tag?: { name: string; message: string };
  /** Push the branch (and tag) to this remote, atomically. */
  push?: { remote: string; timeoutMs?: number };
  /** Check out the new branch at the end (unrelated uncommitted changes come along). */
  switchToNewBranch?: boolean;
  /** Extra environment for git, e.g. GIT_AUTHOR_NAME / GIT_COMMITTER_DATE. */
  env?: Record<string, string>;
  /** Told of each git step as it starts (for a progress notification). */
  onStep?: (step: string) => void;
}

export interface TransactionOutcome {
  /** The branch that received the commit. */
  branch: string;
  /** True when `branch` was created (false: committed onto the base branch). */
  createdBranch: boolean;
  commit: string;
  parent: string;
  /** Files the commit changed, repository-relative. */
  changedPaths: string[];
  tag?: { name: string; object: string };
  pushed?: { remote: string; refs: string[] };
  switched: boolean;
}

const OBJECT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
const PUSH_TIMEOUT_MS = 120_000;

/** Runs the transaction. Never throws; on failure every ref, checkout and file it changed is restored. */
export async function runTransaction(request: TransactionRequest): Promise<GitResult<TransactionOutcome>> {
  const undo: UndoStep[] = [];
  let scratch: string | undefined;
  try {
    const prepared = await prepare(request);
    if (!prepared.ok) return prepared;
    const plan = prepared.value;
    scratch = await mkdtemp(join(tmpdir(), 'fluxenv-git-'));
    const result = await execute(plan, join(scratch, 'index'), undo);
    if (!result.ok) return withRollback(result.error, await rollBack(undo));
    return result;
  } catch (error) {
    const unexpected: GitError = { kind: 'unknown', message: `The promotion failed unexpectedly: ${(error as Error).message}` };
    return withRollback(unexpected, await rollBack(undo));
  } finally {
    if (scratch) await rm(scratch, { recursive: true, force: true }).catch(() => undefined);
  }
}

interface Plan {
  request: TransactionRequest;
  root: string;
  env: Record<string, string>;
  startBranch?: string;
  startCommit: string;
  baseCommit: string;
  targetBranch: string;
  createBranch: boolean;
  /** The base branch is checked out and we commit onto it: its files must follow. */
  updatesCheckout: boolean;
  edits: FileEdit[];
  revertCommit?: string;
  touchedPaths: string[];
}

async function prepare(request: TransactionRequest): Promise<GitResult<Plan>> {
  const rootResult = await findRepoRoot(request.cwd);
  if (!rootResult.ok) return rootResult;
  const root = rootResult.value;
  const env = { ...(request.env ?? {}) };

  const head = await readHead(root);
  if (!head.ok) return head;
  if (!head.value.commit) return fail('noCommits', 'The repository has no commits yet. Make a first commit, then promote.');
  if (request.switchToNewBranch && !request.newBranch) {
    return fail('invalidInput', 'Switching branches was asked for, but no new branch is created.');
  }

  const base = await checkRefName(request.baseBranch, 'branch', root);
  if (!base.ok) return base;
  const baseCommit = await resolveCommit(root, `refs/heads/${request.baseBranch}`);
  if (!baseCommit.ok) return baseCommit;
  if (!baseCommit.value) {
    return fail('refInvalid', `The base branch "${printable(request.baseBranch)}" does not exist locally. Fetch or create it first.`);
  }

  if (request.newBranch !== undefined) {
    const branch = await checkRefName(request.newBranch, 'branch', root);
    if (!branch.ok) return branch;
    const exists = await refExists(root, `refs/heads/${request.newBranch}`);
    if (!exists.ok) return exists;
    if (exists.value) return fail('refExists', `A branch named "${printable(request.newBranch)}" already exists. Choose another name.`);
  }
  if (request.tag) {
    const tag = await checkRefName(request.tag.name, 'tag', root);
    if (!tag.ok) return tag;
    const exists = await refExists(root, `refs/tags/${request.tag.name}`);
    if (!exists.ok) return exists;
    if (exists.value) return fail('refExists', `A tag named "${printable(request.tag.name)}" already exists. Choose another name.`);
  }
  if (request.push) {
    const remotes = await listRemotes(root);
    if (!remotes.ok) return remotes;
    if (!remotes.value.some((remote) => remote.name === request.push?.remote)) {
      return fail(
        'noRemote',
        `There is no remote named "${printable(request.push.remote)}". Add one (git remote add) or turn pushing off.`,
      );
    }
  }

  let edits: FileEdit[] = [];
  let revertCommit: string | undefined;
  let touchedPaths: string[];
  if (request.change.kind === 'edits') {
    const checked = checkEdits(request.change.edits);
    if (!checked.ok) return checked;
    edits = checked.value;
    touchedPaths = edits.map((edit) => edit.path);
  } else {
    const resolved = await resolveRevertTarget(root, request.change.commit);
    if (!resolved.ok) return resolved;
    revertCommit = resolved.value.commit;
    touchedPaths = resolved.value.paths;
  }
  if (touchedPaths.length === 0) return fail('noChanges', 'There is nothing to commit: no file would change.');

  // Refused whatever branch is checked out: the user is likely to be working on exactly these files.
  const clean = await requireCleanPaths(root, touchedPaths);
  if (!clean.ok) return clean;

  const createBranch = request.newBranch !== undefined;
  return ok({
    request,
    root,
    env,
    startBranch: head.value.branch,
    startCommit: head.value.commit,
    baseCommit: baseCommit.value,
    targetBranch: request.newBranch ?? request.baseBranch,
    createBranch,
    updatesCheckout: !createBranch && head.value.branch === request.baseBranch,
    edits,
    revertCommit,
    touchedPaths,
  });
}

/** Normalised, de-duplicated edits inside the repository, or why not. */
export function checkEdits(edits: readonly FileEdit[]): GitResult<FileEdit[]> {
  const seen = new Set<string>();
  const result: FileEdit[] = [];
  for (const edit of edits) {
    const path = normalizeRepoPath(edit.path);
    const problem = repoPathProblem(path);
    if (problem) return fail('invalidInput', `Cannot edit "${printable(edit.path)}": ${problem}.`);
    if (seen.has(path)) return fail('invalidInput', `"${printable(path)}" is edited twice in one promotion.`);
    seen.add(path);
    result.push({ path, newText: edit.newText });
  }
  return ok(result);
}

function repoPathProblem(path: string): string | undefined {
  if (path === '') return 'the path is empty';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'the path is absolute, not relative to the repository';
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(path)) return 'the path contains control characters';
  for (const component of path.split('/')) {
    if (component === '' || component === '.' || component === '..') return 'the path leaves the repository or has empty parts';
    if (component.toLowerCase() === '.git') return 'the path is inside .git';
  }
  return undefined;
}

async function resolveRevertTarget(root: string, commit: string): Promise<GitResult<{ commit: string; paths: string[] }>> {
  if (!/^[0-9a-f]{4,64}$/i.test(commit)) return fail('invalidInput', `"${printable(commit)}" is not a commit id.`);
  const resolved = await resolveCommit(root, commit);
  if (!resolved.ok) return resolved;
  if (!resolved.value) return fail('invalidInput', `There is no commit ${printable(commit)} in this repository.`);
  const parent = await resolveCommit(root, `${resolved.value}^1`);
  if (!parent.ok) return parent;
  if (!parent.value) return fail('invalidInput', `Commit ${resolved.value.slice(0, 12)} is the first commit; it cannot be reverted.`);
  const changed = await runGit(['diff-tree', '-r', '-z', '--no-renames', '--name-only', parent.value, resolved.value], { cwd: root });
  if (!changed.ok) return changed;
  return ok({ commit: resolved.value, paths: changed.value.stdout.split('\0').filter((path) => path !== '') });
}

type UndoStep = { describe: string; run: () => Promise<GitResult<unknown>> };

async function execute(plan: Plan, indexFile: string, undo: UndoStep[]): Promise<GitResult<TransactionOutcome>> {
  const { root, request } = plan;
  const git = (
    args: string[],
    extra: { input?: string | Buffer; env?: Record<string, string>; acceptExitCodes?: number[]; timeoutMs?: number } = {},
  ) =>
    runGit(args, {
      cwd: root,
      env: { ...plan.env, ...(extra.env ?? {}) },
      input: extra.input,
      acceptExitCodes: extra.acceptExitCodes,
      timeoutMs: extra.timeoutMs,
    });
  const scratchIndex = { GIT_INDEX_FILE: indexFile };

  // 1. The new tree, in a private index seeded from the base commit.
  const seeded = await git(['read-tree', plan.baseCommit], { env: scratchIndex });
  if (!seeded.ok) return seeded;
  const applied = plan.revertCommit
    ? await applyRevert(plan, plan.revertCommit, scratchIndex, git)
    : await applyEdits(plan, scratchIndex, git);
  if (!applied.ok) return applied;
  request.onStep?.('Writing the changed files');
  const tree = await git(['write-tree'], { env: scratchIndex });
  if (!tree.ok) return tree;
  const treeId = tree.value.stdout.trim();
  const baseTree = await git(['rev-parse', '--verify', `${plan.baseCommit}^{tree}`]);
  if (!baseTree.ok) return baseTree;
  if (baseTree.value.stdout.trim() === treeId) {
    return fail('noChanges', `Nothing to commit: "${printable(plan.request.baseBranch)}" already has this content.`);
  }

  // 2. The commit and the tag object: new objects only, no ref changes yet.
  request.onStep?.('Committing');
  const commitResult = await git(['commit-tree', treeId, '-p', plan.baseCommit, '-F', '-'], { input: request.message });
  if (!commitResult.ok) return commitResult;
  const commit = commitResult.value.stdout.trim();
  const changed = await git(['diff-tree', '-r', '-z', '--no-renames', '--name-only', plan.baseCommit, commit]);
  if (!changed.ok) return changed;
  const changedPaths = changed.value.stdout.split('\0').filter((path) => path !== '');

  let tag: { name: string; object: string } | undefined;
  if (request.tag) {
    request.onStep?.(`Tagging ${request.tag.name}`);
    const made = await makeAnnotatedTag(commit, request.tag.name, request.tag.message, git);
    if (!made.ok) return made;
    tag = { name: request.tag.name, object: made.value };
  }

  // 3. Branch (or base branch) and tag move together or not at all.
  const branchRef = `refs/heads/${plan.targetBranch}`;
  let refUpdates = plan.createBranch ? `create ${branchRef}\0${commit}\0` : `update ${branchRef}\0${commit}\0${plan.baseCommit}\0`;
  if (tag) refUpdates += `create refs/tags/${tag.name}\0${tag.object}\0`;
  request.onStep?.(plan.createBranch ? `Creating branch ${plan.targetBranch}` : `Moving ${plan.targetBranch} to the new commit`);
  const moved = await git(['update-ref', '-z', '--stdin', '-m', 'fluxenv: promotion'], { input: refUpdates });
  if (!moved.ok) return refUpdateFailure(moved.error, plan);
  undo.push({
    describe: plan.createBranch
      ? `delete branch ${plan.targetBranch}`
      : `move ${plan.targetBranch} back to ${plan.baseCommit.slice(0, 12)}`,
    run: () => {
      let reverse = plan.createBranch ? `delete ${branchRef}\0${commit}\0` : `update ${branchRef}\0${plan.baseCommit}\0${commit}\0`;
      if (tag) reverse += `delete refs/tags/${tag.name}\0${tag.object}\0`;
      return git(['update-ref', '-z', '--stdin', '-m', 'fluxenv: roll back promotion'], { input: reverse });
    },
  });

  // 4. Committing onto the checked-out branch: its index and files follow, only for the changed paths
  //    (they were verified clean, so this overwrites nothing of the user's).
  if (plan.updatesCheckout && changedPaths.length > 0) {
    const pathList = changedPaths.map((path) => `${path}\0`).join('');
    const restoreFrom = (source: string) =>
      git(['restore', `--source=${source}`, '--staged', '--worktree', '--pathspec-from-file=-', '--pathspec-file-nul'], {
        input: pathList,
      });
    const synced = await restoreFrom(commit);
    undo.push({
      describe: `restore ${changedPaths.length} file(s) to ${plan.baseCommit.slice(0, 12)}`,
      run: () => restoreFrom(plan.baseCommit),
    });
    if (!synced.ok) return synced;
  }

  // 5. Check out the new branch when asked; git refuses (changing nothing) if local changes conflict.
  let switched = false;
  if (request.switchToNewBranch && plan.createBranch) {
    request.onStep?.(`Switching to ${plan.targetBranch}`);
    const switchResult = await git(['switch', '--no-guess', '--', plan.targetBranch]);
    if (!switchResult.ok) return switchResult;
    switched = true;
    undo.push({
      describe: plan.startBranch ? `switch back to ${plan.startBranch}` : `detach HEAD at ${plan.startCommit.slice(0, 12)}`,
      run: () => git(plan.startBranch ? ['switch', '--no-guess', '--', plan.startBranch] : ['switch', '--detach', plan.startCommit]),
    });
  }

  // 6. Push last: nothing after it can fail, so a pushed branch is never rolled back locally.
  let pushed: { remote: string; refs: string[] } | undefined;
  if (request.push) {
    request.onStep?.(`Pushing to ${request.push.remote}`);
    const refspecs = [`${branchRef}:${branchRef}`];
    if (tag) refspecs.push(`refs/tags/${tag.name}:refs/tags/${tag.name}`);
    const pushArgs = [
      'push',
      '--atomic',
      '--porcelain',
      ...(plan.createBranch ? ['--set-upstream'] : []),
      '--',
      request.push.remote,
      ...refspecs,
    ];
    const pushResult = await git(pushArgs, { timeoutMs: request.push.timeoutMs ?? PUSH_TIMEOUT_MS });
    if (!pushResult.ok) return pushFailure(pushResult.error, request.push.remote);
    pushed = { remote: request.push.remote, refs: refspecs.map((spec) => spec.split(':')[1]) };
  }

  return ok({
    branch: plan.targetBranch,
    createdBranch: plan.createBranch,
    commit,
    parent: plan.baseCommit,
    changedPaths,
    tag,
    pushed,
    switched,
  });
}

type Git = (
  args: string[],
  extra?: { input?: string | Buffer; env?: Record<string, string>; acceptExitCodes?: number[]; timeoutMs?: number },
) => Promise<GitResult<GitOutput>>;

async function applyEdits(plan: Plan, scratchIndex: Record<string, string>, git: Git): Promise<GitResult<void>> {
  const zeroId = '0'.repeat(plan.baseCommit.length);
  const listed = await git(['ls-tree', '-z', '--full-tree', plan.baseCommit, '--', ...plan.edits.map((edit) => edit.path)]);
  if (!listed.ok) return listed;
  const modes = new Map<string, string>();
  for (const entry of listed.value.stdout.split('\0')) {
    const tab = entry.indexOf('\t');
    if (tab < 0) continue;
    const [mode, type] = entry.slice(0, tab).split(' ');
    modes.set(entry.slice(tab + 1), type === 'blob' ? mode : type);
  }
  let records = '';
  for (const edit of plan.edits) {
    const mode = modes.get(edit.path);
    if (mode !== undefined && mode !== '100644' && mode !== '100755') {
      return fail(
        'invalidInput',
        `"${printable(edit.path)}" is not a regular file in ${plan.request.baseBranch} (${mode}); it cannot be edited.`,
      );
    }
    if (edit.newText === null) {
      if (mode !== undefined) records += `0 ${zeroId}\t${edit.path}\0`;
      continue;
    }
    // --path applies the repository's clean filters (e.g. line endings) as `git add` would.
    const blob = await git(['hash-object', '-w', '--stdin', `--path=${edit.path}`], { input: edit.newText });
    if (!blob.ok) return blob;
    records += `${mode ?? '100644'} ${blob.value.stdout.trim()}\t${edit.path}\0`;
  }
  if (records === '') return ok(undefined);
  const updated = await git(['update-index', '-z', '--index-info'], { input: records, env: scratchIndex });
  if (!updated.ok) return updated;
  return ok(undefined);
}

async function applyRevert(plan: Plan, revertCommit: string, scratchIndex: Record<string, string>, git: Git): Promise<GitResult<void>> {
  // The reverse of the commit's own diff, merged into the base: what `git revert` does when it is clean.
  const patch = await git([
    'diff-tree',
    '-p',
    '--binary',
    '--full-index',
    '--no-renames',
    '--no-ext-diff',
    '--no-textconv',
    '--no-color',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    `${revertCommit}^{tree}`,
    `${revertCommit}^1^{tree}`,
  ]);
  if (!patch.ok) return patch;
  if (patch.value.stdoutBytes.length === 0) return fail('noChanges', 'The commit changed nothing; there is nothing to revert.');
  // --3way merges like `git revert` where lines near the change moved on since (the patch carries the
  // blob ids); a git too old to combine it with --cached refuses the option, and the plain apply runs.
  let applied = await git(['apply', '--cached', '--3way', '--binary', '-p1', '-'], { input: patch.value.stdoutBytes, env: scratchIndex });
  if (!applied.ok && /incompatible|cannot be used together/i.test(applied.error.detail ?? '')) {
    applied = await git(['apply', '--cached', '--binary', '-p1', '-'], { input: patch.value.stdoutBytes, env: scratchIndex });
  }
  if (!applied.ok) {
    // A conflicted 3-way merge names its paths as `U <path>`, a failed plain apply as `patch failed: <path>:<line>`.
    const detail = applied.error.detail ?? '';
    const paths = [...new Set([...detail.matchAll(/patch failed: (.+?):\d+/g), ...detail.matchAll(/^U (.+)$/gm)].map((match) => match[1]))];
    return fail(
      'conflict',
      `Commit ${revertCommit.slice(0, 12)} cannot be reverted cleanly on "${printable(plan.request.baseBranch)}"` +
        (paths.length > 0 ? `: ${paths.join(', ')} changed since.` : '.') +
        ' Revert it by hand (git revert) and resolve the conflicts.',
      { detail: applied.error.detail, paths, args: applied.error.args },
    );
  }
  return ok(undefined);
}

async function makeAnnotatedTag(commit: string, name: string, message: string, git: Git): Promise<GitResult<string>> {
  const ident = await git(['var', 'GIT_COMMITTER_IDENT']);
  if (!ident.ok) return ident;
  const body = message.replace(/\r\n?/g, '\n').trim();
  const tagText = `object ${commit}\ntype commit\ntag ${name}\ntagger ${ident.value.stdout.trim()}\n\n${body === '' ? name : body}\n`;
  const made = await git(['mktag'], { input: tagText });
  if (!made.ok) return made;
  const id = made.value.stdout.trim();
  if (!OBJECT_ID.test(id)) return fail('unknown', `git mktag returned an unexpected id "${printable(id)}".`);
  return ok(id);
}

function refUpdateFailure(error: GitError, plan: Plan): GitResult<never> {
  if (/but expected|is at .* but expected|cannot lock ref/i.test(error.detail ?? '')) {
    if (/reference already exists|already exists/i.test(error.detail ?? '')) {
      return fail('refExists', 'The branch or tag was created by someone else meanwhile. Choose another name.', { detail: error.detail });
    }
    return fail('conflict', `"${printable(plan.request.baseBranch)}" moved while the promotion was being prepared. Try again.`, {
      detail: error.detail,
    });
  }
  return { ok: false, error };
}

function pushFailure(error: GitError, remote: string): GitResult<never> {
  const messages: Partial<Record<GitError['kind'], string>> = {
    pushRejected: `The push to "${printable(remote)}" was rejected (the branch moved on the remote, or it is protected).`,
    auth: `Could not authenticate with "${printable(remote)}"; sign in (credential helper, SSH agent, \`gh auth login\`).`,
    noRemote: `The remote "${printable(remote)}" could not be reached; check \`git remote -v\` and your network.`,
    timeout: `The push to "${printable(remote)}" timed out.`,
  };
  const message = messages[error.kind] ?? `The push to "${printable(remote)}" failed: ${error.message}`;
  return { ok: false, error: { ...error, message } };
}

async function rollBack(undo: UndoStep[]): Promise<string[]> {
  const failures: string[] = [];
  while (undo.length > 0) {
    const step = undo.pop() as UndoStep;
    const result = await step.run().catch((error: Error) => fail('unknown', error.message));
    if (!result.ok) failures.push(`${step.describe}: ${result.error.message}`);
  }
  return failures;
}

function withRollback(error: GitError, rollbackFailures: string[]): GitResult<never> {
  if (rollbackFailures.length === 0) {
    return { ok: false, error: { ...error, message: `${error.message} Nothing was changed.` } };
  }
  return {
    ok: false,
    error: {
      ...error,
      message: `${error.message} Undoing the earlier steps also failed (${rollbackFailures.join('; ')}); check \`git status\` and \`git branch\`.`,
    },
  };
}
