// The branch strategy: each environment's GitRepository follows its own branch, so a promotion merges the
// source branch into the target's, as a merge commit on a new branch with a pull request into the target
// branch. Nothing is merged by hand: a conflict is reported and nothing changes.
import { runGit, type GitResult } from '../git/exec';
import { branchNameFromTemplate, checkRefName } from '../git/refs';
import { listRemotes, pickRemote, resolveCommit, type Remote } from '../git/repo';
import { promotionMessage, promotionSubject, type PromotionInfo } from '../git/trailers';
import { attachPullRequest, decidePush, deliveredMessage } from './delivery';
import {
  failed,
  invalid,
  type Delivered,
  type PromoteRequest,
  type PromotionCallbacks,
  type PromotionOutcome,
  type PromotionPreview,
  type PromotionSettings,
} from './flowTypes';
import { trackedBranch, type PromotionStrategy } from './strategy';

/** The commit at the tip of `branch`: the local branch, else the remote's copy of it. */
export async function branchCommit(root: string, branch: string, remote: Remote | undefined): Promise<GitResult<string | undefined>> {
  const checked = await checkRefName(branch, 'branch', root);
  if (!checked.ok) return checked;
  const local = await resolveCommit(root, `refs/heads/${branch}`);
  if (!local.ok || local.value || !remote) return local;
  return resolveCommit(root, `refs/remotes/${remote.name}/${branch}`);
}

export async function promoteBranch(
  root: string,
  request: PromoteRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  strategy: PromotionStrategy,
): Promise<PromotionOutcome> {
  const sourceBranch = trackedBranch(strategy.source);
  const targetBranch = trackedBranch(strategy.target);
  if (!sourceBranch || !targetBranch)
    return invalid(
      `The branch strategy needs both environments' GitRepositories to follow a branch (${request.source}: ${strategy.source.ref?.value ?? 'none'}, ${request.target}: ${strategy.target.ref?.value ?? 'none'}).`,
    );
  const remotes = await listRemotes(root);
  if (!remotes.ok) return failed(remotes.error);
  const remote = pickRemote(remotes.value, settings.remote);
  const from = await branchCommit(root, sourceBranch, remote);
  if (!from.ok) return failed(from.error);
  const into = await branchCommit(root, targetBranch, remote);
  if (!into.ok) return failed(into.error);
  if (!from.value || !into.value)
    return invalid(`The branch ${!from.value ? sourceBranch : targetBranch} does not exist here; fetch it first.`);
  const preview: PromotionPreview = {
    kind: 'promote',
    strategy,
    source: request.source,
    target: request.target,
    applied: [],
    skipped: [],
    files: [],
    diff: '',
    summary: [`Strategy: branch (${strategy.reason})`],
  };
  const contained = await runGit(['merge-base', '--is-ancestor', from.value, into.value], { cwd: root, acceptExitCodes: [1] });
  if (!contained.ok) return failed(contained.error, preview);
  if (contained.value.exitCode === 0)
    return {
      status: 'nothing',
      message: `Nothing to promote: ${targetBranch} already contains ${sourceBranch} (${from.value.slice(0, 12)}). Nothing was changed.`,
      preview,
    };
  const log = await runGit(['log', '--no-color', '--max-count=50', '--format=%h %s', `${into.value}..${from.value}`], { cwd: root });
  if (!log.ok) return failed(log.error, preview);
  const commits = log.value.stdout.split('\n').filter((l) => l !== '');
  preview.applied = [{ workload: sourceBranch, before: into.value.slice(0, 12), after: from.value.slice(0, 12) }];
  preview.summary.push(
    `Merge ${sourceBranch} (${from.value.slice(0, 12)}) into ${targetBranch} (${into.value.slice(0, 12)}): ${commits.length}${commits.length === 50 ? '+' : ''} commit(s)`,
    ...commits.map((c) => `  ${c}`),
  );
  preview.diff = commits.join('\n');
  if (request.dryRun) return { status: 'dry-run', preview };

  const info: PromotionInfo = { source: request.source, target: request.target, sourceCommit: from.value, changes: preview.applied };
  const message = promotionMessage(info, `Merge ${sourceBranch} into ${targetBranch}.`);
  const merged = await runGit(['merge-tree', '--write-tree', '--no-messages', into.value, from.value], {
    cwd: root,
    acceptExitCodes: [1],
    ...(request.env ? { env: request.env } : {}),
  });
  if (!merged.ok) return failed(merged.error, preview);
  if (merged.value.exitCode === 1) {
    const files = merged.value.stdout
      .split('\n')
      .slice(1)
      .map((l) => l.split('\t')[1])
      .filter((f): f is string => !!f);
    return failed(
      {
        kind: 'conflict',
        message: `${sourceBranch} does not merge cleanly into ${targetBranch} (${[...new Set(files)].join(', ')}). Merge by hand. Nothing was changed.`,
        paths: [...new Set(files)],
      },
      preview,
    );
  }
  const tree = merged.value.stdout.split('\n')[0].trim();
  const commit = await runGit(['commit-tree', tree, '-p', into.value, '-p', from.value, '-F', '-'], {
    cwd: root,
    input: message,
    ...(request.env ? { env: request.env } : {}),
  });
  if (!commit.ok) return failed(commit.error, preview);
  const mergeCommit = commit.value.stdout.trim();
  // The merge commit is on no branch yet: the shared delivery creates the promote branch from it.
  return deliverBranchStrategy(root, request, settings, callbacks, preview, {
    mergeCommit,
    targetBranch,
    remote,
    message,
    title: promotionSubject(info),
    source: request.source,
    target: request.target,
  });
}

async function deliverBranchStrategy(
  root: string,
  request: PromoteRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  preview: PromotionPreview,
  plan: { mergeCommit: string; targetBranch: string; remote?: Remote; message: string; title: string; source: string; target: string },
): Promise<PromotionOutcome> {
  const now = request.now ?? new Date();
  const named = branchNameFromTemplate(settings.branchTemplate, { target: plan.target, source: plan.source, timestamp: now });
  if (!named.ok) return failed(named.error, preview);
  const checked = await checkRefName(named.value, 'branch', root);
  if (!checked.ok) return failed(checked.error, preview);
  const branch = named.value;
  preview.summary.push(`Merge commit on a new branch ${branch}, then a pull request into ${plan.targetBranch}`);
  if (!(await callbacks.confirm(preview))) return { status: 'declined', preview };
  const push = await decidePush(request, settings, callbacks, plan.remote, branch);
  const created = await runGit(
    ['update-ref', '-m', 'fluxenv: promotion', '--', `refs/heads/${branch}`, plan.mergeCommit, '0'.repeat(plan.mergeCommit.length)],
    { cwd: root },
  );
  if (!created.ok) return failed(created.error, preview);
  const undo = () => runGit(['update-ref', '-d', '--', `refs/heads/${branch}`, plan.mergeCommit], { cwd: root });
  const delivered: Delivered = { branch, createdBranch: true, commit: plan.mergeCommit };
  if (push && plan.remote) {
    const pushed = await runGit(
      ['push', '--porcelain', '--set-upstream', '--', plan.remote.name, `refs/heads/${branch}:refs/heads/${branch}`],
      { cwd: root, timeoutMs: 120_000, ...(request.env ? { env: request.env } : {}) },
    );
    if (!pushed.ok) {
      await undo();
      return failed(
        { ...pushed.error, message: `The push to ${plan.remote.name} failed: ${pushed.error.message} Nothing was changed.` },
        preview,
      );
    }
    delivered.pushed = { remote: plan.remote.name, refs: [`refs/heads/${branch}`] };
  }
  await attachPullRequest(
    root,
    settings,
    { remote: plan.remote, baseBranch: plan.targetBranch, title: plan.title, prBody: preview.summary.join('\n') },
    delivered,
    request.env,
  );
  return { status: 'done', preview, delivered, message: deliveredMessage(delivered, plan.targetBranch) };
}
