// Reverting a promotion: the promotion commit is found by its trailers, refused when already reverted,
// and its reverse is committed through the same delivery as a promotion (delivery.ts: branch, pull request,
// push), with a diff whose Secret values are masked.
import * as path from 'path';
import { maskFileTexts } from '../fleet/secrets';
import { runGit, type GitResult } from '../git/exec';
import { readPromotion, readPromotionHistory } from '../git/history';
import { printable } from '../git/refs';
import { defaultBranch, findRepoRoot, listRemotes, pickRemote } from '../git/repo';
import { revertMessage, type PromotionInfo } from '../git/trailers';
import { unifiedDiff, type FileChange } from './applyPlan';
import { deliver } from './delivery';
import {
  failed,
  invalid,
  type PromotionCallbacks,
  type PromotionOutcome,
  type PromotionPreview,
  type PromotionSettings,
  type RevertRequest,
} from './flowTypes';
import { unmergedMessage, unmergedPromotion } from './pending';

export async function revertPromotion(
  request: RevertRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
): Promise<PromotionOutcome> {
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
    if (revertedBy)
      return invalid(`The promotion ${promotion.commit.slice(0, 12)} was already reverted by ${revertedBy.commit.slice(0, 12)}.`);
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
      summary: [
        `Revert ${promotion.commit.slice(0, 12)} "${promotion.subject}"`,
        ...changes.map((c) => `${c.workload}: ${c.before} -> ${c.after}`),
      ],
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
    files.push({
      file: path.posix.join(root, file),
      path: file,
      before: await textAt(commit, file),
      after: await textAt(`${commit}^1`, file),
    });
  }
  return unifiedDiff(maskFileTexts(files));
}
