// The overlay strategy: the target tracks a path on a shared branch, so a promotion is an edit of the target
// overlay: the version differences between the two rendered environments (plan.ts), the ones the user
// picks, written into the target's files (applyPlan.ts), verified by rendering again, then committed
// through the shared delivery (delivery.ts).
import * as path from 'path';
import type { Environment } from '../fleet/environments';
import type { FleetIndex } from '../fleet/fleetIndex';
import { maskFileTexts } from '../fleet/secrets';
import { printable } from '../git/refs';
import { defaultBranch, listRemotes, pickRemote, readHead, requireCleanPaths, resolveCommit } from '../git/repo';
import { promotionMessage, promotionSubject, type PromotionInfo } from '../git/trailers';
import { filesDifferingFromCommit, planFileChanges, unifiedDiff, verifyFileChanges, type PlannedFiles } from './applyPlan';
import { deliver } from './delivery';
import {
  failed,
  invalid,
  type PromoteRequest,
  type PromotionCallbacks,
  type PromotionOutcome,
  type PromotionPreview,
  type PromotionSettings,
} from './flowTypes';
import { pendingPromotion } from './pending';
import { planOverlayPromotion, type PromotionPlan } from './plan';
import type { PromotionStrategy } from './strategy';

export async function promoteOverlay(
  root: string,
  request: PromoteRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
  { index, source, target, strategy }: { index: FleetIndex; source: Environment; target: Environment; strategy: PromotionStrategy },
): Promise<PromotionOutcome> {
  const exclude = [strategy.source.gitRepository, strategy.target.gitRepository].flatMap((g) =>
    g ? [{ namespace: g.namespace, name: g.name }] : [],
  );
  const plan = planOverlayPromotion(index, source, target, exclude);
  if (plan.problems.length > 0) {
    const first = plan.problems[0];
    return invalid(
      `The environments do not render (${path.posix.relative(root, first.file)}: ${first.message}); fix that first. Nothing was changed.`,
    );
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
    const why =
      plan.changes.length === 0
        ? `${target.name} already runs the same versions as ${source.name}`
        : 'no change could be written to a file';
    return { status: 'nothing', message: `Nothing to promote: ${why}. Nothing was changed.`, preview };
  }
  const pending = await pendingPromotion(root, source.name, target.name, planned.files);
  if (pending) {
    return {
      status: 'nothing',
      message: `Nothing new to promote: ${pending.branch} (${pending.commit.slice(0, 12)}) already makes these changes and is not merged yet. Merge it, or delete it to promote again. Nothing was changed.`,
      preview,
    };
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
    return invalid(
      `${differing.value.join(', ')} differ from ${base.value}; the plan was made from other files than the promotion would start from. Check out ${base.value} (and pull), then promote. Nothing was changed.`,
      preview,
    );
  }
  const head = await readHead(root);
  if (!head.ok) return failed(head.error, preview);
  const info: PromotionInfo = {
    source: source.name,
    target: target.name,
    ...(head.value.commit ? { sourceCommit: head.value.commit } : {}),
    changes: preview.applied,
  };
  const body = planned.applied
    .map((c) => `${c.workload}: ${c.beforeValue || '(none)'} -> ${c.afterValue} (${c.note ?? 'edited'})`)
    .join('\n');
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
  const skipped = [...planned.skipped.map((s) => ({ workload: s.change.workload, reason: s.reason }))];
  const summary = [
    `Strategy: overlay (${strategy.reason})`,
    ...planned.applied.map((c) => `${c.kind} ${c.workload}: ${c.before || '(none)'} -> ${c.after}  [${c.note ?? 'edit'}]`),
    ...skipped.map((s) => `not promoted: ${s.workload}: ${s.reason}`),
  ];
  return {
    kind: 'promote',
    strategy,
    source: plan.source,
    target: plan.target,
    plan,
    applied,
    skipped,
    files: planned.files,
    diff: '',
    summary,
  };
}
