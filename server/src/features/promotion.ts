// The editor's promotion requests over the shared promote flow (promote/flow.ts), the same one `fluxenv
// promote` drives. The client has already asked the user everything (changes, push, confirmation), so the
// flow's callbacks answer from the request. The plan is made from the files on disk (a fresh index): the
// client saves or refuses unsaved buffers first, because git commits what is on disk.
import * as path from 'path';
import { pathToFileURL } from 'url';
import { runGit } from '../git/exec';
import { readPromotion } from '../git/history';
import { findRepoRoot, listRemotes, pickRemote } from '../git/repo';
import { unmergedMessage, unmergedPromotion } from '../promote/pending';
import { promote } from '../promote/flow';
import { DEFAULT_PROMOTION_SETTINGS, type PromotionOutcome, type PromotionPreview, type PromotionSettings } from '../promote/flowTypes';
import { promotionHistory } from '../promote/history';
import { revertPromotion } from '../promote/revert';
import { maskFileTexts } from '../fleet/secrets';
import type {
  PlannedChange,
  PromoteParams,
  PromotionEntry,
  PromotionOutcomeResult,
  PromotionPlanParams,
  PromotionPlanResult,
  PromotionSettingsParams,
  RevertPromotionParams,
  RevertPromotionResult,
} from '../protocol';

export const UNTRUSTED_MESSAGE =
  'This workspace is not trusted, so Flux Environments makes no git changes in it. Trust the folder (Workspaces: Manage Workspace Trust) to promote or revert.';

/** Reports one step of a running promotion (the client shows it in its progress notification). */
export type ProgressReporter = (message: string) => void;

const STRATEGIES = new Set(['auto', 'overlay', 'branch', 'tag']);
const PUSH_SETTINGS = new Set(['ask', 'always', 'never']);
/** Bounds what a hostile or confused client can make the server hold. */
const MAX_IDS = 1000;

const isString = (x: unknown): x is string => typeof x === 'string';

/** The flow's settings from what the client sent; anything malformed keeps the default. */
export function promotionSettingsFrom(sent: PromotionSettingsParams | undefined): PromotionSettings {
  const settings: PromotionSettings = { ...DEFAULT_PROMOTION_SETTINGS };
  if (!sent || typeof sent !== 'object') return settings;
  if (isString(sent.strategy) && STRATEGIES.has(sent.strategy)) settings.strategy = sent.strategy;
  if (isString(sent.branchTemplate) && sent.branchTemplate.trim() !== '') settings.branchTemplate = sent.branchTemplate;
  if (isString(sent.push) && PUSH_SETTINGS.has(sent.push)) settings.push = sent.push;
  if (Array.isArray(sent.requirePullRequestFor))
    settings.requirePullRequestFor = sent.requirePullRequestFor.filter(isString).slice(0, MAX_IDS);
  if (typeof sent.tag === 'boolean') settings.tag = sent.tag;
  return settings;
}

function changeIdsFrom(sent: unknown): string[] | undefined {
  return Array.isArray(sent) ? sent.filter(isString).slice(0, MAX_IDS) : undefined;
}

function fileUri(file: string): string {
  return pathToFileURL(file).toString();
}

/** What would be promoted from `from` to `to`, with the file texts before and after; nothing is written. */
export async function planPromotion(cwd: string, params: PromotionPlanParams): Promise<PromotionPlanResult> {
  const empty: PromotionPlanResult = { reason: '', changes: [], fileChanges: [], summary: [], problems: [] };
  if (!isString(params?.from) || !isString(params?.to))
    return { ...empty, message: 'A promotion needs a source and a target environment.' };
  const root = await findRepoRoot(cwd);
  if (!root.ok) return { ...empty, message: root.error.message };
  const changeIds = changeIdsFrom(params.changeIds);
  const outcome = await promote(
    { cwd, source: params.from, target: params.to, dryRun: true, ...(changeIds ? { changeIds } : {}) },
    promotionSettingsFrom(params.settings),
    { confirm: async () => false, ask: async () => false },
  );
  const preview = 'preview' in outcome ? outcome.preview : undefined;
  const remote = await pushRemote(root.value);
  const result: PromotionPlanResult = {
    ...empty,
    root: root.value,
    ...(preview ? describePreview(root.value, preview) : {}),
    ...(remote ? { remote } : {}),
  };
  if (outcome.status === 'nothing') {
    result.message = outcome.message;
    result.nothing = true;
  }
  if (outcome.status === 'failed') result.message = outcome.error.message;
  return result;
}

function describePreview(root: string, preview: PromotionPreview): Omit<PromotionPlanResult, 'root' | 'message'> {
  const changes: PlannedChange[] = (preview.plan?.changes ?? []).map((c) => ({
    id: c.id,
    kind: c.kind,
    workload: c.workload,
    ...(c.container ? { container: c.container } : {}),
    before: c.before,
    after: c.after,
    ...(c.edit ? { file: path.posix.relative(root, c.edit.file) } : {}),
    ...(c.note ? { note: c.note } : {}),
  }));
  return {
    ...(preview.strategy ? { strategy: preview.strategy.kind } : {}),
    reason: preview.strategy?.reason ?? '',
    changes,
    // Shown whole in a diff editor: Secret values in the edited files are masked (they are not what changes).
    fileChanges: maskFileTexts(preview.files).map((f) => ({ path: f.path, uri: fileUri(f.file), before: f.before, after: f.after })),
    summary: preview.summary,
    problems: (preview.plan?.problems ?? []).map((p) => `${path.posix.relative(root, p.file)}: ${p.message}`),
  };
}

/** Whether the plan writes what the user reviewed: the texts the client got back, masked as they were shown. */
function sameFiles(reviewed: ReadonlyArray<{ path: string; after: string }>, planned: PromotionPreview['files']): boolean {
  if (reviewed.length !== planned.length) return false;
  return maskFileTexts(planned).every((f) => reviewed.some((r) => r.path === f.path && r.after === f.after));
}

function outcomeResult(outcome: PromotionOutcome, staleReview: boolean): PromotionOutcomeResult {
  switch (outcome.status) {
    case 'done': {
      const { delivered } = outcome;
      const pr = delivered.pullRequest;
      return {
        kind: 'done',
        branch: delivered.branch,
        commit: delivered.commit,
        ...(delivered.tag ? { tag: delivered.tag } : {}),
        ...(pr?.kind === 'created' ? { pullRequestUrl: pr.url } : {}),
        ...(pr?.kind === 'compareUrl' ? { compareUrl: pr.url } : {}),
        message: outcome.message,
      };
    }
    case 'nothing':
      return { kind: 'nothing', message: outcome.message };
    case 'declined':
      return {
        kind: 'declined',
        message: staleReview
          ? 'The files changed since you reviewed the promotion, so it would write other edits than those you saw. Nothing was changed; run the promotion again.'
          : 'Cancelled. Nothing was changed.',
      };
    case 'dry-run':
      return { kind: 'nothing', message: 'Dry run: nothing was changed.' };
    case 'failed':
      return { kind: 'failed', message: outcome.error.message };
  }
}

function deliverySteps(preview: PromotionPreview, push: boolean): string {
  // The flow's last summary lines say where the commit goes ("Commit on a new branch ..."); git runs as one transaction.
  const where = preview.summary.find((line) => /^(Commit|Merge commit|Annotated tag|Tag) /.test(line)) ?? 'Committing';
  return push ? `${where}; pushing` : where;
}

/** Runs the promotion the user confirmed in the editor. Refused for an untrusted workspace. */
export async function runPromotion(
  cwd: string,
  params: PromoteParams,
  progress: ProgressReporter = () => {},
): Promise<PromotionOutcomeResult> {
  if (params?.trusted !== true) return { kind: 'refused', message: UNTRUSTED_MESSAGE };
  if (!isString(params.from) || !isString(params.to))
    return { kind: 'refused', message: 'A promotion needs a source and a target environment.' };
  const reviewed = Array.isArray(params.reviewed) ? params.reviewed.filter((r) => isString(r?.path) && isString(r?.after)) : undefined;
  const changeIds = changeIdsFrom(params.changeIds);
  const push = params.push === true;
  let staleReview = false;
  progress(`Planning ${params.from} -> ${params.to}…`);
  const outcome = await promote(
    {
      cwd,
      source: params.from,
      target: params.to,
      push,
      tag: params.tag === true,
      pullRequest: params.pullRequest === true,
      ...(changeIds ? { changeIds } : {}),
    },
    promotionSettingsFrom(params.settings),
    {
      confirm: async (preview) => {
        if (reviewed && preview.kind === 'promote' && preview.strategy?.kind === 'overlay' && !sameFiles(reviewed, preview.files)) {
          staleReview = true;
          return false;
        }
        progress(deliverySteps(preview, push));
        return true;
      },
      // The client decided pushing already (push is always set), so the flow never asks.
      ask: async () => false,
      progress,
    },
  );
  return outcomeResult(outcome, staleReview);
}

/** Reverts a promotion commit (or describes the revert with dryRun). Writes are refused for an untrusted workspace. */
export async function runRevert(
  cwd: string,
  params: RevertPromotionParams,
  progress: ProgressReporter = () => {},
): Promise<RevertPromotionResult> {
  if (!isString(params?.commit)) return { kind: 'refused', message: 'Which promotion commit to revert?' };
  if (params.dryRun !== true && params.trusted !== true) return { kind: 'refused', message: UNTRUSTED_MESSAGE };
  const root = await findRepoRoot(cwd);
  if (root.ok) {
    // Said before any question, with the branches, so the editor can offer to delete the one holding it.
    const unmerged = await unmergedPromotion(root.value, params.commit);
    if (unmerged) return { kind: 'refused', message: unmergedMessage(params.commit, unmerged), unmergedBranches: unmerged.branches };
  }
  const push = params.push === true;
  if (params.dryRun !== true) progress(`Reverting ${params.commit.slice(0, 12)}…`);
  const outcome = await revertPromotion(
    {
      cwd,
      commit: params.commit,
      push,
      dryRun: params.dryRun === true,
      ...(typeof params.pullRequest === 'boolean' ? { pullRequest: params.pullRequest } : {}),
    },
    promotionSettingsFrom(params.settings),
    {
      confirm: async (preview) => {
        progress(deliverySteps(preview, push));
        return true;
      },
      ask: async () => false,
      progress,
    },
  );
  if (outcome.status === 'dry-run') {
    const remote = await pushRemote(cwd);
    return {
      kind: 'nothing',
      message: outcome.preview.summary[0] ?? '',
      summary: outcome.preview.summary,
      diff: outcome.preview.diff,
      ...(remote ? { remote } : {}),
    };
  }
  const preview = 'preview' in outcome ? outcome.preview : undefined;
  return { ...outcomeResult(outcome, false), ...(preview ? { summary: preview.summary } : {}) };
}

/** Deletes the local branch of an unmerged promotion: only a branch whose tip is a promotion commit, never the checked-out one. */
export async function deletePromotionBranch(cwd: string, params: { branch?: unknown; trusted?: unknown }): Promise<PromotionOutcomeResult> {
  if (params?.trusted !== true) return { kind: 'refused', message: UNTRUSTED_MESSAGE };
  if (!isString(params.branch)) return { kind: 'refused', message: 'Which branch to delete?' };
  const branch = params.branch;
  const root = await findRepoRoot(cwd);
  if (!root.ok) return { kind: 'failed', message: root.error.message };
  const tip = await runGit(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}^{commit}`], {
    cwd: root.value,
    acceptExitCodes: [1],
  });
  if (!tip.ok || tip.value.exitCode !== 0) return { kind: 'refused', message: `There is no local branch ${branch}.` };
  const record = await readPromotion(root.value, tip.value.stdout.trim());
  if (!record.ok || !record.value) return { kind: 'refused', message: `${branch} does not end in a promotion commit; it was left alone.` };
  const head = await runGit(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: root.value, acceptExitCodes: [1] });
  if (head.ok && head.value.stdout.trim() === branch)
    return { kind: 'refused', message: `${branch} is checked out; switch to another branch first.` };
  const deleted = await runGit(['branch', '-D', '--', branch], { cwd: root.value });
  if (!deleted.ok) return { kind: 'failed', message: deleted.error.message };
  return {
    kind: 'done',
    message: `Deleted the branch ${branch} (it was ${tip.value.stdout.trim().slice(0, 12)}). A pull request opened from it, and a pushed copy, stay until you close or delete them.`,
  };
}

/** The remote the flow pushes to (origin, or the only one), so that the editor asks about pushing only when there is one. */
async function pushRemote(cwd: string): Promise<string | undefined> {
  const remotes = await listRemotes(cwd);
  return remotes.ok ? pickRemote(remotes.value)?.name : undefined;
}

/** The promotion history (commits on every local branch and promotion tags), newest first. */
export async function listPromotions(
  cwd: string,
  params: { target?: string } | undefined,
): Promise<{ entries: PromotionEntry[]; message?: string }> {
  const history = await promotionHistory(cwd, isString(params?.target) ? { target: params.target } : {});
  if (!history.ok) return { entries: [], message: history.error.message };
  return {
    entries: history.value.map((e) => ({
      commit: e.commit,
      subject: e.subject,
      source: e.source,
      target: e.target,
      author: { name: e.author.name, email: e.author.email },
      date: e.date,
      changes: e.changes.map((c) => ({ workload: c.workload, before: c.before, after: c.after })),
      tags: e.tags,
      via: e.via,
      ...(e.revertedBy ? { revertedBy: { commit: e.revertedBy.commit, date: e.revertedBy.date } } : {}),
    })),
  };
}

/** `git show` of one commit (an object name only: never an option or a revision expression). */
export async function showCommit(cwd: string, commit: unknown): Promise<{ text: string } | { error: string }> {
  if (!isString(commit) || !/^[0-9a-f]{4,64}$/i.test(commit)) return { error: 'Not a commit id.' };
  const root = await findRepoRoot(cwd);
  if (!root.ok) return { error: root.error.message };
  const shown = await runGit(['show', '--no-color', '--no-ext-diff', '--stat', '--patch', '--format=fuller', commit, '--'], {
    cwd: root.value,
  });
  if (!shown.ok) return { error: shown.error.message };
  return { text: shown.value.stdout };
}
