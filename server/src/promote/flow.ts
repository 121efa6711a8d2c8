// Promote one environment to the next, shared by the VS Code client and the CLI: find the environments,
// read which strategy the repository uses (strategy.ts), and run that strategy's flow: overlay edits
// (overlayStrategy.ts), a merge of the source branch (branchStrategy.ts) or a tag (tagStrategy.ts). Each
// plans, previews, asks for confirmation (injected), then does the git side; a failure leaves the
// repository as it was. Reverting a promotion is revert.ts; the audit trail is history.ts.
import { FleetIndex } from '../fleet/fleetIndex';
import { printable } from '../git/refs';
import { findRepoRoot } from '../git/repo';
import { promoteBranch } from './branchStrategy';
import { failed, invalid, type PromoteRequest, type PromotionCallbacks, type PromotionOutcome, type PromotionSettings } from './flowTypes';
import { promoteOverlay } from './overlayStrategy';
import { detectStrategy, readRepoPromotionConfig } from './strategy';
import { promoteTag } from './tagStrategy';

export async function promote(
  request: PromoteRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
): Promise<PromotionOutcome> {
  try {
    return await promoteUnsafe(request, settings, callbacks);
  } catch (error) {
    return failed({ kind: 'unknown', message: `The promotion failed unexpectedly: ${(error as Error).message}. Nothing was changed.` });
  }
}

async function promoteUnsafe(
  request: PromoteRequest,
  settings: PromotionSettings,
  callbacks: PromotionCallbacks,
): Promise<PromotionOutcome> {
  const rootResult = await findRepoRoot(request.cwd);
  if (!rootResult.ok) return failed(rootResult.error);
  const root = rootResult.value;
  const index =
    request.index ?? new FleetIndex(request.cwd, { ...(settings.promotionOrder ? { promotionOrder: settings.promotionOrder } : {}) });
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
  return promoteOverlay(root, request, settings, callbacks, { index, source, target, strategy });
}
