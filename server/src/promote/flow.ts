// The whole promote / revert operation as one function each, shared by the VS Code client and the CLI:
// plan (per strategy), preview, confirm (injected), then the git side (branch, commit with trailers,
// optional tag, push, pull request). Never throws; every failure is a value that says what to do, and
// a failure leaves the repository as it was (the git transaction rolls back).
import * as path from 'path';
import { FleetIndex } from '../fleet/fleetIndex';
import { GitError, GitResult, ok, runGit } from '../git/exec';
import { readPromotion, readPromotionHistory, type PromotionRecord } from '../git/history';
import { openPullRequest, parseRemoteUrl, type HostKind, type PullRequestOutcome } from '../git/pullRequest';
import { DEFAULT_PROMOTE_BRANCH_TEMPLATE, DEFAULT_REVERT_BRANCH_TEMPLATE, branchNameFromTemplate, checkRefName, printable } from '../git/refs';
import { defaultBranch, findRepoRoot, listRemotes, pickRemote, readHead, requireCleanPaths, resolveCommit, type Remote } from '../git/repo';
import { runTransaction, type TransactionChange } from '../git/transaction';
import { parsePromotion, promotionMessage, promotionSubject, revertMessage, type PromotedChange, type PromotionInfo } from '../git/trailers';
import { nextVersion, type Bump } from '../flux/semver';
import { maskFileTexts } from '../secrets';
import { filesDifferingFromCommit, planFileChanges, unifiedDiff, verifyFileChanges, type FileChange, type PlannedFiles } from './applyPlan';
import { planOverlayPromotion, type PromotionChange, type PromotionPlan } from './plan';
import { detectStrategy, readRepoPromotionConfig, trackedBranch, type PromotionStrategy, type StrategySetting } from './strategy';
import { pendingPromotion, unmergedMessage, unmergedPromotion } from './pending';

export type PushSetting = 'ask' | 'always' | 'never';

export interface PromotionSettings {
  strategy: StrategySetting;
  /** Placeholders {target} {source} {workload} {commit} {timestamp} {date}. */
  branchTemplate: string;
  revertBranchTemplate: string;
  push: PushSetting;
  /** Targets that only change through a pull request; others may commit to the base branch directly. */
  requirePullRequestFor: string[];
  /** Add an annotated tag to each promotion commit. */
  tag: boolean;
  tagTemplate: string;
  /** The remote to push to (default: origin, or the only remote). */
  remote?: string;
  useGh: boolean;
  ghPath?: string;
  hostKinds?: Record<string, HostKind>;
  /** Tag strategy: the part of the version a promotion bumps (`.fluxenv.yaml` promotion.bump wins when the setting is unset). */
  bump?: Bump;
  promotionOrder?: string[];
}

export const DEFAULT_PROMOTION_SETTINGS: PromotionSettings = {
  strategy: 'auto',
  branchTemplate: DEFAULT_PROMOTE_BRANCH_TEMPLATE,
  revertBranchTemplate: DEFAULT_REVERT_BRANCH_TEMPLATE,
  push: 'ask',
  requirePullRequestFor: ['production'],
  tag: false,
  tagTemplate: 'promotion/{target}/{timestamp}',
  useGh: true,
};

/** What the user is shown before anything happens. */
export interface PromotionPreview {
  kind: 'promote' | 'revert';
  strategy?: PromotionStrategy;
  source: string;
  target: string;
  /** Overlay strategy: the full plan, with the changes chosen and those left out. */
  plan?: PromotionPlan;
  applied: PromotedChange[];
  skipped: Array<{ workload: string; reason: string }>;
  files: FileChange[];
  /** Unified diff of the edits (overlay and revert). */
  diff: string;
  /** One line per thing that will happen, for a confirmation prompt. */
  summary: string[];
}

export interface PromotionCallbacks {
  /** Shown the preview; true goes on. */
  confirm(preview: PromotionPreview): Promise<boolean>;
  /** A yes/no question (e.g. "Push ... to origin?"). */
  ask(question: string): Promise<boolean>;
  /** The user picks which changes to promote (ids); undefined keeps them all. */
  pick?(changes: readonly PromotionChange[]): Promise<string[] | undefined>;
  /** Each git step as it starts: branch, commit, tag, push, pull request. */
  progress?(step: string): void;
}

export interface DeliveryRequest {
  /** Any folder of the fleet repository (the fleet is indexed from here). */
  cwd: string;
  dryRun?: boolean;
  /** true: push; false: do not; undefined: the push setting. */
  push?: boolean;
  tag?: boolean;
  /** true: a branch and pull request even where a direct commit is allowed; false: commit directly (refused where a PR is required). */
  pullRequest?: boolean;
  now?: Date;
  /** Extra environment for git (identity, dates). */
  env?: Record<string, string>;
}

export interface PromoteRequest extends DeliveryRequest {
  source: string;
  target: string;
  /** Only these change ids (overlay strategy). */
  changeIds?: string[];
  /** An index to reuse (the editor's); its buffers must match the files on disk. */
  index?: FleetIndex;
}

export interface RevertRequest extends DeliveryRequest {
  commit: string;
}

export interface Delivered {
  branch: string;
  createdBranch: boolean;
  commit: string;
  tag?: string;
  pushed?: { remote: string; refs: string[] };
  pullRequest?: PullRequestOutcome;
  /** Set when no pull request could be opened: what to do instead. */
  pullRequestNote?: string;
}

export type PromotionOutcome =
  | { status: 'nothing'; message: string; preview?: PromotionPreview }
  | { status: 'dry-run'; preview: PromotionPreview }
  | { status: 'declined'; preview: PromotionPreview }
  | { status: 'done'; preview: PromotionPreview; delivered: Delivered; message: string }
  | { status: 'failed'; error: GitError; preview?: PromotionPreview };

function failed(error: GitError, preview?: PromotionPreview): PromotionOutcome {
  return { status: 'failed', error, ...(preview ? { preview } : {}) };
}

function invalid(message: string, preview?: PromotionPreview): PromotionOutcome {
  return failed({ kind: 'invalidInput', message }, preview);
}

export async function promote(request: PromoteRequest, settings: PromotionSettings, callbacks: PromotionCallbacks): Promise<PromotionOutcome> {
  try {
    return await promoteUnsafe(request, settings, callbacks);
  } catch (error) {
    return failed({ kind: 'unknown', message: `The promotion failed unexpectedly: ${(error as Error).message}. Nothing was changed.` });
  }
}

async function promoteUnsafe(request: PromoteRequest, settings: PromotionSettings, callbacks: PromotionCallbacks): Promise<PromotionOutcome> {
  const rootResult = await findRepoRoot(request.cwd);
  if (!rootResult.ok) return failed(rootResult.error);
  const root = rootResult.value;
  const index = request.index ?? new FleetIndex(request.cwd, { ...(settings.promotionOrder ? { promotionOrder: settings.promotionOrder } : {}) });
  if (!request.index) index.scan();
  const names = index.environments().environments.map((e) => e.name);
  const source = index.environment(request.source);
  const target = index.environment(request.target);
  if (!source || !target) {
    const missing = !source ? request.source : request.target;
    return invalid(`There is no environment "${printable(missing)}". Environments: ${names.join(', ') || '(none found)'}.`);
  }
  if (source.name === target.name) return invalid('The source and the target are the same environment.');
  const strategy = detectStrategy(index, source, target, settings.strategy);
  const bump = settings.bump ?? readRepoPromotionConfig(index).bump ?? 'patch';
  if (strategy.kind === 'branch') return promoteBranch(root, request, settings, callbacks, strategy);
  if (strategy.kind === 'tag') return promoteTag(root, request, settings, callbacks, strategy, bump);

  const exclude = [strategy.source.gitRepository, strategy.target.gitRepository].flatMap((g) => (g ? [{ namespace: g.namespace, name: g.name }] : []));
  const plan = planOverlayPromotion(index, source, target, exclude);
  if (plan.problems.length > 0) {
    const first = plan.problems[0];
    return invalid(`The environments do not render (${path.posix.relative(root, first.file)}: ${first.message}); fix that first. Nothing was changed.`);
  }
  let chosen = plan.changes;
  if (request.changeIds) {
    const unknown = request.changeIds.filter((id) => !plan.changes.some((c) => c.id === id));
    if (unknown.length > 0) return invalid(`No change in the plan has the id ${printable(unknown[0])}.`);
    chosen = plan.changes.filter((c) => request.changeIds?.includes(c.id));
  } else if (callbacks.pick && plan.changes.length > 0) {
    const picked = await callbacks.pick(plan.changes);
    if (picked) chosen = plan.changes.filter((c) => picked.includes(c.id));
  }
  const planned = planFileChanges(index, chosen);
  for (const file of planned.files) file.path = path.posix.relative(root, file.file);
  const preview = overlayPreview(strategy, plan, planned);
  if (planned.files.length === 0) {
    const why = plan.changes.length === 0 ? `${target.name} already runs the same versions as ${source.name}` : 'no change could be written to a file';
    return { status: 'nothing', message: `Nothing to promote: ${why}. Nothing was changed.`, preview };
  }
  const pending = await pendingPromotion(root, source.name, target.name, planned.files);
  if (pending) {
    return { status: 'nothing', message: `Nothing new to promote: ${pending.branch} (${pending.commit.slice(0, 12)}) already makes these changes and is not merged yet. Merge it, or delete it to promote again. Nothing was changed.`, preview };
  }
  const verified = verifyFileChanges(index, target.name, planned);
  if (!verified.ok) return invalid(`The promotion was not applied: ${verified.message}. Nothing was changed.`, preview);
  // Printed by the CLI and shown before a promotion: a file holding Secrets shows them masked.
  const diff = await unifiedDiff(maskFileTexts(planned.files));
  if (!diff.ok) return failed(diff.error, preview);
  preview.diff = diff.value;
  if (request.dryRun) return { status: 'dry-run', preview };

  // Uncommitted work in what either environment reads would make the promoted values, and the
  // Promoted-From-Commit trailer, describe files nobody committed.
  const readPaths = [...index.renderEnvironment(source).filesRead, ...index.renderEnvironment(target).filesRead]
    .map((file) => path.posix.relative(root, file))
    .filter((rel) => rel !== '' && !rel.startsWith('..'));
  const clean = await requireCleanPaths(root, [...planned.files.map((f) => f.path), ...readPaths]);
  if (!clean.ok) return failed(clean.error, preview);
  const remotes = await listRemotes(root);
  if (!remotes.ok) return failed(remotes.error, preview);
  const remote = pickRemote(remotes.value, settings.remote);
  const base = await defaultBranch(root, remote?.name);
  if (!base.ok) return failed(base.error, preview);
  const baseCommit = await resolveCommit(root, `refs/heads/${base.value}`);
  if (!baseCommit.ok) return failed(baseCommit.error, preview);
  if (!baseCommit.value) return invalid(`The base branch ${printable(base.value)} does not exist locally.`, preview);
  const differing = await filesDifferingFromCommit(root, baseCommit.value, planned.files);
  if (!differing.ok) return failed(differing.error, preview);
  if (differing.value.length > 0) {
    return invalid(`${differing.value.join(', ')} differ from ${base.value}; the plan was made from other files than the promotion would start from. Check out ${base.value} (and pull), then promote. Nothing was changed.`, preview);
  }
  const head = await readHead(root);
  if (!head.ok) return failed(head.error, preview);
  const info: PromotionInfo = { source: source.name, target: target.name, ...(head.value.commit ? { sourceCommit: head.value.commit } : {}), changes: preview.applied };
  const body = planned.applied.map((c) => `${c.workload}: ${c.beforeValue || '(none)'} -> ${c.afterValue} (${c.note ?? 'edited'})`).join('\n');
  return deliver(root, request, settings, callbacks, preview, {
    target: target.name,
    source: source.name,
    workload: preview.applied[0]?.workload,
    baseBranch: base.value,
    remote,
    change: { kind: 'edits', edits: planned.files.map((f) => ({ path: f.path, newText: f.after })) },
    message: promotionMessage(info, body),
    title: promotionSubject(info),
    prBody: `${body}\n\nPromotion: ${source.name} -> ${target.name}${info.sourceCommit ? ` at ${info.sourceCommit}` : ''}`,
    branchTemplate: settings.branchTemplate,
  });
}

function overlayPreview(strategy: PromotionStrategy, plan: PromotionPlan, planned: PlannedFiles): PromotionPreview {
  const applied = planned.applied.map((c) => ({ workload: c.workload, before: c.before, after: c.after }));
  const skipped = [
    ...planned.skipped.map((s) => ({ workload: s.change.workload, reason: s.reason })),
  ];
  const summary = [
    `Strategy: overlay (${strategy.reason})`,
    ...planned.applied.map((c) => `${c.kind} ${c.workload}: ${c.before || '(none)'} -> ${c.after}  [${c.note ?? 'edit'}]`),
    ...skipped.map((s) => `not promoted: ${s.workload}: ${s.reason}`),
  ];
  return { kind: 'promote', strategy, source: plan.source, target: plan.target, plan, applied, skipped, files: planned.files, diff: '', summary };
}

// ---- delivery: branch, commit, tag, push, pull request ----------------------------------------

interface DeliveryPlan {
  target: string;
  source?: string;
  workload?: string;
  commit?: string;
  baseBranch: string;
  remote?: Remote;
  change: TransactionChange;
  message: string;
  title: string;
  prBody: string;
  branchTemplate: string;
}

async function decidePush(request: DeliveryRequest, settings: PromotionSettings, callbacks: PromotionCallbacks, remote: Remote | undefined, what: string): Promise<boolean> {
  if (!remote) return false;
  if (request.push !== undefined) return request.push;
  if (settings.push === 'always') return true;
  if (settings.push === 'never') return false;
  return callbacks.ask(`Push ${what} to ${remote.name}?`);
}

async function deliver(
  root: string,
  request: DeliveryRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  preview: PromotionPreview,
  plan: DeliveryPlan,
): Promise<PromotionOutcome> {
  const requiresPr = settings.requirePullRequestFor.includes(plan.target);
  if (request.pullRequest === false && requiresPr) {
    return invalid(`Changes to ${printable(plan.target)} require a pull request (setting requirePullRequestFor); drop the request to commit directly.`, preview);
  }
  const usePr = request.pullRequest ?? requiresPr;
  const now = request.now ?? new Date();
  let newBranch: string | undefined;
  if (usePr) {
    const named = branchNameFromTemplate(plan.branchTemplate, { target: plan.target, ...(plan.source ? { source: plan.source } : {}), ...(plan.workload ? { workload: plan.workload } : {}), ...(plan.commit ? { commit: plan.commit.slice(0, 12) } : {}), timestamp: now });
    if (!named.ok) return failed(named.error, preview);
    const checked = await checkRefName(named.value, 'branch', root);
    if (!checked.ok) return failed(checked.error, preview);
    newBranch = named.value;
  }
  let tag: { name: string; message: string } | undefined;
  if (request.tag ?? settings.tag) {
    const named = branchNameFromTemplate(settings.tagTemplate, { target: plan.target, ...(plan.source ? { source: plan.source } : {}), ...(plan.workload ? { workload: plan.workload } : {}), ...(plan.commit ? { commit: plan.commit.slice(0, 12) } : {}), timestamp: now });
    if (!named.ok) return failed(named.error, preview);
    tag = { name: named.value, message: plan.message };
  }
  const branchName = newBranch ?? plan.baseBranch;
  preview.summary.push(
    newBranch ? `Commit on a new branch ${newBranch} from ${plan.baseBranch}, then a pull request` : `Commit directly on ${plan.baseBranch}`,
    ...(tag ? [`Tag ${tag.name}`] : []),
  );
  if (!(await callbacks.confirm(preview))) return { status: 'declined', preview };
  const push = await decidePush(request, settings, callbacks, plan.remote, branchName);

  const result = await runTransaction({
    cwd: root,
    baseBranch: plan.baseBranch,
    ...(newBranch ? { newBranch } : {}),
    change: plan.change,
    message: plan.message,
    ...(tag ? { tag } : {}),
    ...(push && plan.remote ? { push: { remote: plan.remote.name } } : {}),
    ...(request.env ? { env: request.env } : {}),
    ...(callbacks.progress ? { onStep: callbacks.progress } : {}),
  });
  if (!result.ok) return failed(result.error, preview);
  const outcome = result.value;
  const delivered: Delivered = {
    branch: outcome.branch,
    createdBranch: outcome.createdBranch,
    commit: outcome.commit,
    ...(outcome.tag ? { tag: outcome.tag.name } : {}),
    ...(outcome.pushed ? { pushed: outcome.pushed } : {}),
  };
  if (usePr) {
    callbacks.progress?.('Opening the pull request');
    await attachPullRequest(root, settings, plan, delivered, request.env);
  }
  return { status: 'done', preview, delivered, message: deliveredMessage(delivered, plan.baseBranch) };
}

/** Opens the pull request for a delivered branch (gh, else the host's compare page), or notes why not. */
export async function attachPullRequest(root: string, settings: PromotionSettings, plan: { remote?: Remote; baseBranch: string; title: string; prBody: string }, delivered: Delivered, env?: Record<string, string>): Promise<void> {
  // The web pages live where the fetch URL points; a push URL may be a mirror or a local path.
  const urls = [plan.remote?.fetchUrl, plan.remote?.pushUrl].filter((u): u is string => !!u);
  const remoteUrl = urls.find((u) => parseRemoteUrl(u, settings.hostKinds) !== undefined) ?? urls[0];
  if (!plan.remote || !remoteUrl) {
    delivered.pullRequestNote = `There is no remote; push ${delivered.branch} somewhere and open a pull request into ${plan.baseBranch}.`;
    return;
  }
  const pr = await openPullRequest({
    cwd: root,
    remoteUrl,
    base: plan.baseBranch,
    head: delivered.branch,
    title: plan.title,
    body: plan.prBody,
    // gh cannot open a pull request for a branch the remote does not have.
    useGh: settings.useGh && delivered.pushed !== undefined,
    ...(settings.ghPath ? { ghPath: settings.ghPath } : {}),
    ...(settings.hostKinds ? { hostKinds: settings.hostKinds } : {}),
    ...(env ? { env } : {}),
  });
  if (!pr.ok) {
    delivered.pullRequestNote = pr.error.message;
    return;
  }
  delivered.pullRequest = pr.value;
  if (!delivered.pushed) delivered.pullRequestNote = `${delivered.branch} was not pushed; push it (git push -u ${plan.remote.name} ${delivered.branch}), then open the pull request.`;
}

function deliveredMessage(delivered: Delivered, baseBranch: string): string {
  const lines = [
    delivered.createdBranch ? `Committed ${delivered.commit.slice(0, 12)} on the new branch ${delivered.branch} (from ${baseBranch}).` : `Committed ${delivered.commit.slice(0, 12)} on ${delivered.branch}.`,
  ];
  if (delivered.tag) lines.push(`Tagged ${delivered.tag}.`);
  if (delivered.pushed) lines.push(`Pushed ${delivered.pushed.refs.join(', ')} to ${delivered.pushed.remote}.`);
  if (delivered.pullRequest?.kind === 'created') lines.push(`Pull request: ${delivered.pullRequest.url}`);
  else if (delivered.pullRequest) lines.push(`Open the pull request: ${delivered.pullRequest.url}`);
  if (delivered.pullRequestNote) lines.push(delivered.pullRequestNote);
  return lines.join('\n');
}

// ---- branch strategy ---------------------------------------------------------------------------

async function branchCommit(root: string, branch: string, remote: Remote | undefined): Promise<GitResult<string | undefined>> {
  const checked = await checkRefName(branch, 'branch', root);
  if (!checked.ok) return checked;
  const local = await resolveCommit(root, `refs/heads/${branch}`);
  if (!local.ok || local.value || !remote) return local;
  return resolveCommit(root, `refs/remotes/${remote.name}/${branch}`);
}

async function promoteBranch(root: string, request: PromoteRequest, settings: PromotionSettings, callbacks: PromotionCallbacks, strategy: PromotionStrategy): Promise<PromotionOutcome> {
  const sourceBranch = trackedBranch(strategy.source);
  const targetBranch = trackedBranch(strategy.target);
  if (!sourceBranch || !targetBranch) return invalid(`The branch strategy needs both environments' GitRepositories to follow a branch (${request.source}: ${strategy.source.ref?.value ?? 'none'}, ${request.target}: ${strategy.target.ref?.value ?? 'none'}).`);
  const remotes = await listRemotes(root);
  if (!remotes.ok) return failed(remotes.error);
  const remote = pickRemote(remotes.value, settings.remote);
  const from = await branchCommit(root, sourceBranch, remote);
  if (!from.ok) return failed(from.error);
  const into = await branchCommit(root, targetBranch, remote);
  if (!into.ok) return failed(into.error);
  if (!from.value || !into.value) return invalid(`The branch ${!from.value ? sourceBranch : targetBranch} does not exist here; fetch it first.`);
  const preview: PromotionPreview = { kind: 'promote', strategy, source: request.source, target: request.target, applied: [], skipped: [], files: [], diff: '', summary: [`Strategy: branch (${strategy.reason})`] };
  const contained = await runGit(['merge-base', '--is-ancestor', from.value, into.value], { cwd: root, acceptExitCodes: [1] });
  if (!contained.ok) return failed(contained.error, preview);
  if (contained.value.exitCode === 0) return { status: 'nothing', message: `Nothing to promote: ${targetBranch} already contains ${sourceBranch} (${from.value.slice(0, 12)}). Nothing was changed.`, preview };
  const log = await runGit(['log', '--no-color', '--max-count=50', '--format=%h %s', `${into.value}..${from.value}`], { cwd: root });
  if (!log.ok) return failed(log.error, preview);
  const commits = log.value.stdout.split('\n').filter((l) => l !== '');
  preview.applied = [{ workload: sourceBranch, before: into.value.slice(0, 12), after: from.value.slice(0, 12) }];
  preview.summary.push(`Merge ${sourceBranch} (${from.value.slice(0, 12)}) into ${targetBranch} (${into.value.slice(0, 12)}): ${commits.length}${commits.length === 50 ? '+' : ''} commit(s)`, ...commits.map((c) => `  ${c}`));
  preview.diff = commits.join('\n');
  if (request.dryRun) return { status: 'dry-run', preview };

  const info: PromotionInfo = { source: request.source, target: request.target, sourceCommit: from.value, changes: preview.applied };
  const message = promotionMessage(info, `Merge ${sourceBranch} into ${targetBranch}.`);
  const merged = await runGit(['merge-tree', '--write-tree', '--no-messages', into.value, from.value], { cwd: root, acceptExitCodes: [1], ...(request.env ? { env: request.env } : {}) });
  if (!merged.ok) return failed(merged.error, preview);
  if (merged.value.exitCode === 1) {
    const files = merged.value.stdout.split('\n').slice(1).map((l) => l.split('\t')[1]).filter((f): f is string => !!f);
    return failed({ kind: 'conflict', message: `${sourceBranch} does not merge cleanly into ${targetBranch} (${[...new Set(files)].join(', ')}). Merge by hand. Nothing was changed.`, paths: [...new Set(files)] }, preview);
  }
  const tree = merged.value.stdout.split('\n')[0].trim();
  const commit = await runGit(['commit-tree', tree, '-p', into.value, '-p', from.value, '-F', '-'], { cwd: root, input: message, ...(request.env ? { env: request.env } : {}) });
  if (!commit.ok) return failed(commit.error, preview);
  const mergeCommit = commit.value.stdout.trim();
  // The merge commit is on no branch yet: the shared delivery creates the promote branch from it.
  return deliverBranchStrategy(root, request, settings, callbacks, preview, { mergeCommit, targetBranch, remote, message, title: promotionSubject(info), source: request.source, target: request.target });
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
  const created = await runGit(['update-ref', '-m', 'fluxenv: promotion', '--', `refs/heads/${branch}`, plan.mergeCommit, '0'.repeat(plan.mergeCommit.length)], { cwd: root });
  if (!created.ok) return failed(created.error, preview);
  const undo = () => runGit(['update-ref', '-d', '--', `refs/heads/${branch}`, plan.mergeCommit], { cwd: root });
  const delivered: Delivered = { branch, createdBranch: true, commit: plan.mergeCommit };
  if (push && plan.remote) {
    const pushed = await runGit(['push', '--porcelain', '--set-upstream', '--', plan.remote.name, `refs/heads/${branch}:refs/heads/${branch}`], { cwd: root, timeoutMs: 120_000, ...(request.env ? { env: request.env } : {}) });
    if (!pushed.ok) {
      await undo();
      return failed({ ...pushed.error, message: `The push to ${plan.remote.name} failed: ${pushed.error.message} Nothing was changed.` }, preview);
    }
    delivered.pushed = { remote: plan.remote.name, refs: [`refs/heads/${branch}`] };
  }
  await attachPullRequest(root, settings, { remote: plan.remote, baseBranch: plan.targetBranch, title: plan.title, prBody: preview.summary.join('\n') }, delivered, request.env);
  return { status: 'done', preview, delivered, message: deliveredMessage(delivered, plan.targetBranch) };
}

// ---- tag strategy ------------------------------------------------------------------------------

async function promoteTag(root: string, request: PromoteRequest, settings: PromotionSettings, callbacks: PromotionCallbacks, strategy: PromotionStrategy, bump: Bump): Promise<PromotionOutcome> {
  const remotes = await listRemotes(root);
  if (!remotes.ok) return failed(remotes.error);
  const remote = pickRemote(remotes.value, settings.remote);
  const sourceBranch = trackedBranch(strategy.source);
  const sourceCommit = sourceBranch ? await branchCommit(root, sourceBranch, remote) : await resolveCommit(root, 'HEAD');
  if (!sourceCommit.ok) return failed(sourceCommit.error);
  if (!sourceCommit.value) return invalid(`${request.source}'s commit cannot be found${sourceBranch ? ` (branch ${sourceBranch}; fetch it first)` : ''}.`);
  const listed = await runGit(['for-each-ref', '--format=%(refname:strip=2)%00%(*objectname)%00%(objectname)', 'refs/tags'], { cwd: root });
  if (!listed.ok) return failed(listed.error);
  const tagCommits = new Map<string, string>();
  for (const line of listed.value.stdout.split('\n')) {
    const [name, peeled, object] = line.split('\0');
    if (name) tagCommits.set(name, peeled || object);
  }
  const range = strategy.target.ref?.kind === 'semver' ? strategy.target.ref.value : undefined;
  const next = nextVersion([...tagCommits.keys()], range, bump);
  const preview: PromotionPreview = { kind: 'promote', strategy, source: request.source, target: request.target, applied: [], skipped: [], files: [], diff: '', summary: [`Strategy: tag (${strategy.reason})`] };
  const current = next.currentlySelected ?? (strategy.target.ref?.kind === 'tag' ? strategy.target.ref.value : undefined);
  if (current && tagCommits.get(current) === sourceCommit.value) {
    return { status: 'nothing', message: `Nothing to promote: ${request.target} already follows ${current}, which is ${request.source}'s commit ${sourceCommit.value.slice(0, 12)}. Nothing was changed.`, preview };
  }
  if (!next.selectedByRange) return invalid(`The next tag would not reach ${request.target}: ${next.message ?? ''}`, preview);
  const checked = await checkRefName(next.tag, 'tag', root);
  if (!checked.ok) return failed(checked.error, preview);
  preview.applied = [{ workload: strategy.target.gitRepository?.name ?? request.target, before: current ?? '(none)', after: next.tag }];
  preview.summary.push(`Annotated tag ${next.tag} on ${request.source}'s commit ${sourceCommit.value.slice(0, 12)}${range ? ` (range ${range} selects it)` : ''}`);
  if (strategy.target.ref?.kind === 'tag') preview.summary.push(`${request.target} pins the tag ${strategy.target.ref.value}; change its GitRepository's spec.ref.tag to ${next.tag} (or use a semver range).`);
  if (request.dryRun) return { status: 'dry-run', preview };
  if (!(await callbacks.confirm(preview))) return { status: 'declined', preview };
  const push = await decidePush(request, settings, callbacks, remote, `the tag ${next.tag}`);
  const info: PromotionInfo = { source: request.source, target: request.target, sourceCommit: sourceCommit.value, changes: preview.applied };
  const made = await runGit(['tag', '-a', '-F', '-', '--', next.tag, sourceCommit.value], { cwd: root, input: promotionMessage(info), ...(request.env ? { env: request.env } : {}) });
  if (!made.ok) return failed(made.error, preview);
  const delivered: Delivered = { branch: '', createdBranch: false, commit: sourceCommit.value, tag: next.tag };
  if (push && remote) {
    const pushed = await runGit(['push', '--porcelain', '--', remote.name, `refs/tags/${next.tag}:refs/tags/${next.tag}`], { cwd: root, timeoutMs: 120_000, ...(request.env ? { env: request.env } : {}) });
    if (!pushed.ok) {
      await runGit(['update-ref', '-d', '--', `refs/tags/${next.tag}`], { cwd: root });
      return failed({ ...pushed.error, message: `The push to ${remote.name} failed: ${pushed.error.message} Nothing was changed.` }, preview);
    }
    delivered.pushed = { remote: remote.name, refs: [`refs/tags/${next.tag}`] };
  }
  const message = [`Tagged ${sourceCommit.value.slice(0, 12)} as ${next.tag}.`, ...(delivered.pushed ? [`Pushed ${next.tag} to ${delivered.pushed.remote}.`] : [])].join('\n');
  return { status: 'done', preview, delivered, message };
}

// ---- revert ------------------------------------------------------------------------------------

export async function revertPromotion(request: RevertRequest, settings: PromotionSettings, callbacks: PromotionCallbacks): Promise<PromotionOutcome> {
  try {
    const rootResult = await findRepoRoot(request.cwd);
    if (!rootResult.ok) return failed(rootResult.error);
    const root = rootResult.value;
    const record = await readPromotion(root, request.commit);
    if (!record.ok) return failed(record.error);
    if (!record.value) return invalid(`${printable(request.commit)} is not a promotion commit (it has no Promotion trailer).`);
    const promotion = record.value;
    const history = await readPromotionHistory(root, { revisions: ['HEAD'] });
    const revertedBy = history.ok ? history.value.promotions.find((p) => p.commit === promotion.commit)?.revertedBy : undefined;
    if (revertedBy) return invalid(`The promotion ${promotion.commit.slice(0, 12)} was already reverted by ${revertedBy.commit.slice(0, 12)}.`);
    const unmerged = await unmergedPromotion(root, promotion.commit, settings.remote);
    if (unmerged) return invalid(unmergedMessage(promotion.commit, unmerged));
    const diff = await revertDiff(root, promotion.commit);
    if (!diff.ok) return failed(diff.error);
    const changes = promotion.changes.map((c) => ({ workload: c.workload, before: c.after, after: c.before }));
    const preview: PromotionPreview = {
      kind: 'revert',
      source: promotion.source,
      target: promotion.target,
      applied: changes,
      skipped: [],
      files: [],
      diff: diff.value,
      summary: [`Revert ${promotion.commit.slice(0, 12)} "${promotion.subject}"`, ...changes.map((c) => `${c.workload}: ${c.before} -> ${c.after}`)],
    };
    if (request.dryRun) return { status: 'dry-run', preview };
    const remotes = await listRemotes(root);
    if (!remotes.ok) return failed(remotes.error, preview);
    const remote = pickRemote(remotes.value, settings.remote);
    const base = await defaultBranch(root, remote?.name);
    if (!base.ok) return failed(base.error, preview);
    const info: PromotionInfo = { source: promotion.source, target: promotion.target, changes: promotion.changes };
    const message = revertMessage({ commit: promotion.commit, subject: promotion.subject, promotion: info });
    return deliver(root, request, settings, callbacks, preview, {
      target: promotion.target,
      source: promotion.source,
      commit: promotion.commit,
      baseBranch: base.value,
      remote,
      change: { kind: 'revert', commit: promotion.commit },
      message,
      title: message.split('\n')[0],
      prBody: preview.summary.join('\n'),
      branchTemplate: settings.revertBranchTemplate,
    });
  } catch (error) {
    return failed({ kind: 'unknown', message: `The revert failed unexpectedly: ${(error as Error).message}. Nothing was changed.` });
  }
}

/**
 * What reverting `commit` changes, as a unified diff of each file's text at the commit and at its parent
 * with Secret values masked: git's own diff would show Secret values in its context lines.
 */
async function revertDiff(root: string, commit: string): Promise<GitResult<string>> {
  const names = await runGit(['diff', '--name-only', '-z', '--no-renames', commit, `${commit}^1`, '--'], { cwd: root });
  if (!names.ok) return names;
  const textAt = async (revision: string, file: string) => {
    const shown = await runGit(['show', `${revision}:${file}`], { cwd: root });
    return shown.ok ? shown.value.stdout : '';
  };
  const files: FileChange[] = [];
  for (const file of names.value.stdout.split('\0').filter((f) => f !== '')) {
    files.push({ file: path.posix.join(root, file), path: file, before: await textAt(commit, file), after: await textAt(`${commit}^1`, file) });
  }
  return unifiedDiff(maskFileTexts(files));
}

// ---- history -----------------------------------------------------------------------------------

export interface HistoryEntry extends PromotionRecord {
  /** `commit`: a promotion commit; `tag`: a tag-strategy promotion (an annotated tag with trailers). */
  via: 'commit' | 'tag';
}

/** Promotion commits (on every local branch) and promotion tags, newest first, with whether each was reverted. */
export async function promotionHistory(cwd: string, options: { target?: string; limit?: number } = {}): Promise<GitResult<HistoryEntry[]>> {
  const rootResult = await findRepoRoot(cwd);
  if (!rootResult.ok) return rootResult;
  const root = rootResult.value;
  const branches = await runGit(['for-each-ref', '--format=%(refname:strip=2)', 'refs/heads'], { cwd: root });
  if (!branches.ok) return branches;
  const revisions = branches.value.stdout.split('\n').filter((b) => b !== '');
  const history = await readPromotionHistory(root, { revisions: revisions.length > 0 ? revisions : ['HEAD'], ...(options.target ? { target: options.target } : {}), ...(options.limit ? { limit: options.limit } : {}) });
  if (!history.ok) return history;
  const entries: HistoryEntry[] = history.value.promotions.map((p) => ({ ...p, via: 'commit' as const }));
  const FIELD = '\x1f';
  // for-each-ref has no -z: fields end with %1f and records with NUL (tag messages hold neither).
  const tags = await runGit(['for-each-ref', '--format=%(refname:strip=2)%1f%(objecttype)%1f%(*objectname)%1f%(taggername)%1f%(taggeremail:trim)%1f%(taggerdate:iso-strict)%1f%(contents)%00', 'refs/tags'], { cwd: root });
  if (!tags.ok) return tags;
  for (const record of tags.value.stdout.split('\0')) {
    const [name, type, commit, tagger, email, date, ...contents] = record.replace(/^\n/, '').split(FIELD);
    if (type !== 'tag' || !commit) continue;
    const message = contents.join(FIELD);
    const info = parsePromotion(message);
    if (!info || entries.some((e) => e.commit === commit && e.tags.includes(name))) continue;
    if (options.target !== undefined && info.target !== options.target) continue;
    entries.push({ commit, parents: [], subject: message.split('\n')[0], author: { name: tagger ?? '', email: email ?? '' }, date: date ?? '', ...info, tags: [name], via: 'tag' });
  }
  entries.sort((a, b) => (Date.parse(b.date) || 0) - (Date.parse(a.date) || 0));
  return ok(entries);
}


