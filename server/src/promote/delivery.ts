// Delivery, shared by the overlay strategy and revert: a branch (when a pull request is wanted or required),
// the commit with its trailers, an optional tag, the push, and the pull request, as one git transaction
// that leaves the repository as it was when a step fails. The branch strategy reuses the push decision and
// the pull request.
import type { Remote } from '../git/repo';
import { parseRemoteUrl, openPullRequest } from '../git/pullRequest';
import { branchNameFromTemplate, checkRefName, printable } from '../git/refs';
import { runTransaction, type TransactionChange } from '../git/transaction';
import {
  failed,
  invalid,
  type Delivered,
  type DeliveryRequest,
  type PromotionCallbacks,
  type PromotionOutcome,
  type PromotionPreview,
  type PromotionSettings,
} from './flowTypes';

export interface DeliveryPlan {
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

export async function decidePush(
  request: DeliveryRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  remote: Remote | undefined,
  what: string,
): Promise<boolean> {
  if (!remote) return false;
  if (request.push !== undefined) return request.push;
  if (settings.push === 'always') return true;
  if (settings.push === 'never') return false;
  return callbacks.ask(`Push ${what} to ${remote.name}?`);
}

export async function deliver(
  root: string,
  request: DeliveryRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  preview: PromotionPreview,
  plan: DeliveryPlan,
): Promise<PromotionOutcome> {
  const requiresPr = settings.requirePullRequestFor.includes(plan.target);
  if (request.pullRequest === false && requiresPr) {
    return invalid(
      `Changes to ${printable(plan.target)} require a pull request (setting requirePullRequestFor); drop the request to commit directly.`,
      preview,
    );
  }
  const usePr = request.pullRequest ?? requiresPr;
  const now = request.now ?? new Date();
  // What branch and tag name templates may use.
  const templateValues = {
    target: plan.target,
    ...(plan.source ? { source: plan.source } : {}),
    ...(plan.workload ? { workload: plan.workload } : {}),
    ...(plan.commit ? { commit: plan.commit.slice(0, 12) } : {}),
    timestamp: now,
  };
  let newBranch: string | undefined;
  if (usePr) {
    const named = branchNameFromTemplate(plan.branchTemplate, templateValues);
    if (!named.ok) return failed(named.error, preview);
    const checked = await checkRefName(named.value, 'branch', root);
    if (!checked.ok) return failed(checked.error, preview);
    newBranch = named.value;
  }
  let tag: { name: string; message: string } | undefined;
  if (request.tag ?? settings.tag) {
    const named = branchNameFromTemplate(settings.tagTemplate, templateValues);
    if (!named.ok) return failed(named.error, preview);
    tag = { name: named.value, message: plan.message };
  }
  const branchName = newBranch ?? plan.baseBranch;
  preview.summary.push(
    newBranch
      ? `Commit on a new branch ${newBranch} from ${plan.baseBranch}, then a pull request`
      : `Commit directly on ${plan.baseBranch}`,
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
export async function attachPullRequest(
  root: string,
  settings: PromotionSettings,
  plan: { remote?: Remote; baseBranch: string; title: string; prBody: string },
  delivered: Delivered,
  env?: Record<string, string>,
): Promise<void> {
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
  if (!delivered.pushed)
    delivered.pullRequestNote = `${delivered.branch} was not pushed; push it (git push -u ${plan.remote.name} ${delivered.branch}), then open the pull request.`;
}

export function deliveredMessage(delivered: Delivered, baseBranch: string): string {
  const lines = [
    delivered.createdBranch
      ? `Committed ${delivered.commit.slice(0, 12)} on the new branch ${delivered.branch} (from ${baseBranch}).`
      : `Committed ${delivered.commit.slice(0, 12)} on ${delivered.branch}.`,
  ];
  if (delivered.tag) lines.push(`Tagged ${delivered.tag}.`);
  if (delivered.pushed) lines.push(`Pushed ${delivered.pushed.refs.join(', ')} to ${delivered.pushed.remote}.`);
  if (delivered.pullRequest?.kind === 'created') lines.push(`Pull request: ${delivered.pullRequest.url}`);
  else if (delivered.pullRequest) lines.push(`Open the pull request: ${delivered.pullRequest.url}`);
  if (delivered.pullRequestNote) lines.push(delivered.pullRequestNote);
  return lines.join('\n');
}
