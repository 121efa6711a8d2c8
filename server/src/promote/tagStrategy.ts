// The tag strategy: the target's GitRepository follows a tag or a semver range, so a promotion is an
// annotated tag (the next version the range selects) on the source environment's commit, pushed when
// asked. No file and no branch changes.
import { runGit } from '../git/exec';
import { checkRefName } from '../git/refs';
import { listRemotes, pickRemote, resolveCommit } from '../git/repo';
import { promotionMessage, type PromotionInfo } from '../git/trailers';
import { nextVersion, type Bump } from '../flux/semver';
import { branchCommit } from './branchStrategy';
import { decidePush } from './delivery';
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

export async function promoteTag(
  root: string,
  request: PromoteRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  strategy: PromotionStrategy,
  bump: Bump,
): Promise<PromotionOutcome> {
  const remotes = await listRemotes(root);
  if (!remotes.ok) return failed(remotes.error);
  const remote = pickRemote(remotes.value, settings.remote);
  const sourceBranch = trackedBranch(strategy.source);
  const sourceCommit = sourceBranch ? await branchCommit(root, sourceBranch, remote) : await resolveCommit(root, 'HEAD');
  if (!sourceCommit.ok) return failed(sourceCommit.error);
  if (!sourceCommit.value)
    return invalid(`${request.source}'s commit cannot be found${sourceBranch ? ` (branch ${sourceBranch}; fetch it first)` : ''}.`);
  const listed = await runGit(['for-each-ref', '--format=%(refname:strip=2)%00%(*objectname)%00%(objectname)', 'refs/tags'], { cwd: root });
  if (!listed.ok) return failed(listed.error);
  const tagCommits = new Map<string, string>();
  for (const line of listed.value.stdout.split('\n')) {
    const [name, peeled, object] = line.split('\0');
    if (name) tagCommits.set(name, peeled || object);
  }
  const range = strategy.target.ref?.kind === 'semver' ? strategy.target.ref.value : undefined;
  const next = nextVersion([...tagCommits.keys()], range, bump);
  const preview: PromotionPreview = {
    kind: 'promote',
    strategy,
    source: request.source,
    target: request.target,
    applied: [],
    skipped: [],
    files: [],
    diff: '',
    summary: [`Strategy: tag (${strategy.reason})`],
  };
  const current = next.currentlySelected ?? (strategy.target.ref?.kind === 'tag' ? strategy.target.ref.value : undefined);
  if (current && tagCommits.get(current) === sourceCommit.value) {
    return {
      status: 'nothing',
      message: `Nothing to promote: ${request.target} already follows ${current}, which is ${request.source}'s commit ${sourceCommit.value.slice(0, 12)}. Nothing was changed.`,
      preview,
    };
  }
  if (!next.selectedByRange) return invalid(`The next tag would not reach ${request.target}: ${next.message ?? ''}`, preview);
  const checked = await checkRefName(next.tag, 'tag', root);
  if (!checked.ok) return failed(checked.error, preview);
  preview.applied = [{ workload: strategy.target.gitRepository?.name ?? request.target, before: current ?? '(none)', after: next.tag }];
  preview.summary.push(
    `Annotated tag ${next.tag} on ${request.source}'s commit ${sourceCommit.value.slice(0, 12)}${range ? ` (range ${range} selects it)` : ''}`,
  );
  if (strategy.target.ref?.kind === 'tag')
    preview.summary.push(
      `${request.target} pins the tag ${strategy.target.ref.value}; change its GitRepository's spec.ref.tag to ${next.tag} (or use a semver range).`,
    );
  if (request.dryRun) return { status: 'dry-run', preview };
  if (!(await callbacks.confirm(preview))) return { status: 'declined', preview };
  const push = await decidePush(request, settings, callbacks, remote, `the tag ${next.tag}`);
  const info: PromotionInfo = {
    source: request.source,
    target: request.target,
    sourceCommit: sourceCommit.value,
    changes: preview.applied,
  };
  const made = await runGit(['tag', '-a', '-F', '-', '--', next.tag, sourceCommit.value], {
    cwd: root,
    input: promotionMessage(info),
    ...(request.env ? { env: request.env } : {}),
  });
  if (!made.ok) return failed(made.error, preview);
  const delivered: Delivered = { branch: '', createdBranch: false, commit: sourceCommit.value, tag: next.tag };
  if (push && remote) {
    const pushed = await runGit(['push', '--porcelain', '--', remote.name, `refs/tags/${next.tag}:refs/tags/${next.tag}`], {
      cwd: root,
      timeoutMs: 120_000,
      ...(request.env ? { env: request.env } : {}),
    });
    if (!pushed.ok) {
      await runGit(['update-ref', '-d', '--', `refs/tags/${next.tag}`], { cwd: root });
      return failed(
        { ...pushed.error, message: `The push to ${remote.name} failed: ${pushed.error.message} Nothing was changed.` },
        preview,
      );
    }
    delivered.pushed = { remote: remote.name, refs: [`refs/tags/${next.tag}`] };
  }
  const message = [
    `Tagged ${sourceCommit.value.slice(0, 12)} as ${next.tag}.`,
    ...(delivered.pushed ? [`Pushed ${next.tag} to ${delivered.pushed.remote}.`] : []),
  ].join('\n');
  return { status: 'done', preview, delivered, message };
}
