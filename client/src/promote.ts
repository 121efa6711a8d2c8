// The promotion UI: Promote to Production…, Promote…, Revert Promotion…. The client only asks: which
// environments, which changes, a diff of every file edit, confirm, push; the server plans and runs the git
// side (features/promotion.ts) with those answers. Cancelling at any question sends nothing that writes.
import * as vscode from 'vscode';
import {
  DeletePromotionBranchRequest,
  EnvironmentsRequest,
  PromoteRequest,
  PromotionPlanRequest,
  PromotionProgressNotification,
  RevertPromotionRequest,
  type PlannedChange,
  type PlannedFileChange,
  type PromotionEntry,
  type PromotionOutcomeResult,
  type PromotionSettingsParams,
} from '../../server/src/protocol';
import type { Ctx } from './ctx';
import { registerPromotionsTree, type PromotionsTree } from './views/promotionsTree';

export const PROPOSED_SCHEME = 'flux-environments-promotion';
const SECTION = 'fluxEnvironments.promotion';
const PUSH_SETTINGS = ['ask', 'always', 'never'] as const;
const STRATEGIES = ['auto', 'overlay', 'branch', 'tag'] as const;

interface PromotionConfig extends Required<PromotionSettingsParams> {
  push: (typeof PUSH_SETTINGS)[number];
}

function readPromotionConfig(): PromotionConfig {
  const settings = vscode.workspace.getConfiguration(SECTION);
  const push = settings.get<string>('push', 'ask');
  const strategy = settings.get<string>('strategy', 'auto');
  const requirePr = settings.get<unknown>('requirePullRequestFor', ['production']);
  return {
    strategy: (STRATEGIES as readonly string[]).includes(strategy) ? (strategy as PromotionConfig['strategy']) : 'auto',
    branchTemplate: settings.get<string>('branchTemplate', 'promote/{target}/{timestamp}') || 'promote/{target}/{timestamp}',
    push: (PUSH_SETTINGS as readonly string[]).includes(push) ? (push as PromotionConfig['push']) : 'ask',
    requirePullRequestFor: Array.isArray(requirePr) ? requirePr.filter((x): x is string => typeof x === 'string') : ['production'],
    tag: settings.get<boolean>('tag', false) === true,
  };
}

/** The environment a tree item (the Environments tree's `environment` items) or a string names. */
function environmentNameOf(arg: unknown): string | undefined {
  if (typeof arg === 'string') return arg;
  if (typeof arg !== 'object' || arg === null) return undefined;
  const o = arg as Record<string, unknown>;
  if (typeof o.environment === 'string') return o.environment;
  if (typeof o.environment === 'object' && o.environment !== null) return environmentNameOf(o.environment);
  if (typeof o.name === 'string') return o.name;
  if (typeof o.label === 'string') return o.label;
  return undefined;
}

/** The before/after texts of proposed edits, as read-only documents for the diff editor. */
class ProposedDocuments implements vscode.TextDocumentContentProvider {
  private texts = new Map<string, string>();
  private generation = 0;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  /** Replaces the texts of the previous review; returns the pair of URIs of each file. */
  show(files: readonly PlannedFileChange[], label: string): Array<{ file: PlannedFileChange; before: vscode.Uri; after: vscode.Uri }> {
    this.texts.clear();
    this.generation++;
    return files.map((file) => {
      const at = (side: string) =>
        vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${file.path}`, query: `${this.generation}-${side}-${label}` });
      const before = at('before');
      const after = at('after');
      this.texts.set(before.toString(), file.before);
      this.texts.set(after.toString(), file.after);
      return { file, before, after };
    });
  }

  /** A read-only document with `text` (e.g. a revert's unified diff); the name's extension picks its language. */
  showText(name: string, text: string): vscode.Uri {
    this.generation++;
    const uri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${name}`, query: String(this.generation) });
    this.texts.set(uri.toString(), text);
    return uri;
  }
}

/** Closes the review tabs of a promotion or revert once it has landed: what they proposed is now the commit. */
async function closeProposedTabs(): Promise<void> {
  const tabs = vscode.window.tabGroups.all
    .flatMap((group) => group.tabs)
    .filter(
      ({ input }) =>
        (input instanceof vscode.TabInputTextDiff && input.modified.scheme === PROPOSED_SCHEME) ||
        (input instanceof vscode.TabInputText && input.uri.scheme === PROPOSED_SCHEME),
    );
  if (tabs.length > 0) await vscode.window.tabGroups.close(tabs);
}

async function environmentNames(ctx: Ctx): Promise<string[]> {
  const environments = await ctx.request(EnvironmentsRequest, {});
  return [...environments].sort((a, b) => a.order - b.order).map((e) => e.name);
}

/** Unsaved edits would be neither planned nor committed (git works on disk): save them with consent, or stop. */
async function unsavedFilesSaved(): Promise<boolean> {
  const dirty = vscode.workspace.textDocuments.filter(
    (d) => d.isDirty && d.uri.scheme === 'file' && vscode.workspace.getWorkspaceFolder(d.uri),
  );
  if (dirty.length === 0) return true;
  const names = dirty.map((d) => vscode.workspace.asRelativePath(d.uri)).join(', ');
  const choice = await vscode.window.showWarningMessage(
    `${dirty.length} file(s) have unsaved changes (${names}). A promotion is planned from and committed to the files on disk.`,
    { modal: true },
    'Save and Continue',
  );
  if (choice !== 'Save and Continue') return false;
  for (const document of dirty) if (!(await document.save())) return false;
  return true;
}

/** Whether to push: never asked when the repository has no remote (the server says which remote a push goes to). */
async function decidePush(config: PromotionConfig, what: string, remote: string | undefined): Promise<boolean | undefined> {
  if (!remote || config.push === 'never') return false;
  if (config.push === 'always') return true;
  const choice = await vscode.window.showInformationMessage(`Push ${what} to ${remote}?`, { modal: true }, 'Push', "Don't Push");
  return choice === undefined ? undefined : choice === 'Push';
}

async function runWithProgress<R>(ctx: Ctx, title: string, send: (progressId: string) => Promise<R>): Promise<R> {
  const progressId = `${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: false }, async (progress) => {
    const listener = ctx.client.onNotification(PromotionProgressNotification, (step) => {
      if (step.progressId === progressId) progress.report({ message: step.message });
    });
    try {
      return await send(progressId);
    } finally {
      listener.dispose();
    }
  });
}

async function showOutcome(ctx: Ctx, outcome: PromotionOutcomeResult): Promise<void> {
  const line = `[promotion] ${outcome.kind}: ${outcome.message}`;
  if (outcome.kind === 'failed') ctx.output.error(line);
  else if (outcome.kind === 'refused') ctx.output.warn(line);
  else ctx.output.info(line);
  if (outcome.kind === 'failed' || outcome.kind === 'refused') {
    void vscode.window.showErrorMessage(outcome.message);
    return;
  }
  if (outcome.kind !== 'done') {
    void vscode.window.showInformationMessage(outcome.message);
    return;
  }
  const url = outcome.pullRequestUrl ?? outcome.compareUrl;
  const actions = url ? ['Open Pull Request', 'Copy URL'] : [];
  const choice = await vscode.window.showInformationMessage(outcome.message, ...actions);
  if (!url) return;
  if (choice === 'Open Pull Request') await vscode.env.openExternal(vscode.Uri.parse(url));
  else if (choice === 'Copy URL') await vscode.env.clipboard.writeText(url);
}

interface ChangeItem extends vscode.QuickPickItem {
  change: PlannedChange;
}

async function pickChanges(changes: readonly PlannedChange[], from: string, to: string): Promise<PlannedChange[] | undefined> {
  const items: ChangeItem[] = changes.map((change) => ({
    change,
    label: change.workload,
    description: `${change.before || '(none)'} → ${change.after}`,
    detail: change.file
      ? `${change.kind} · ${change.file}${change.note ? ` (${change.note})` : ''}`
      : `${change.kind} · not writable: ${change.note ?? 'no file of the target can express it'}`,
    picked: change.file !== undefined,
  }));
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: `Promote ${from} → ${to}: the changes to promote`,
    placeHolder: 'Versions differing between the environments (environment-specific settings are never promoted)',
    ignoreFocusOut: true,
  });
  return picked && picked.length > 0 ? picked.map((p) => p.change) : undefined;
}

async function pickEnvironment(names: readonly string[], title: string, preferred?: string): Promise<string | undefined> {
  const ordered = preferred && names.includes(preferred) ? [preferred, ...names.filter((n) => n !== preferred)] : [...names];
  const picked = await vscode.window.showQuickPick(
    ordered.map((name) => ({ label: name, ...(name === preferred ? { description: 'next in the promotion order' } : {}) })),
    { title, ignoreFocusOut: true },
  );
  return picked?.label;
}

function productionOf(names: readonly string[]): string | undefined {
  return names.find((n) => /^(production|prod)$/i.test(n)) ?? names[names.length - 1];
}

export class PromotionCommands {
  private readonly proposed = new ProposedDocuments();

  constructor(
    private readonly ctx: Ctx,
    private readonly tree: PromotionsTree,
  ) {
    ctx.track(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this.proposed));
  }

  /** Promote to Production…: from the environment before production (or the tree's environment) to production. */
  async promoteToProduction(arg?: unknown): Promise<void> {
    if (!this.ctx.trust.require('Promotion')) return;
    const names = await environmentNames(this.ctx);
    const to = productionOf(names);
    if (!to || names.length < 2) {
      void vscode.window.showInformationMessage(`A promotion needs two environments; found ${names.join(', ') || 'none'}.`);
      return;
    }
    const chosen = environmentNameOf(arg);
    const from = chosen && chosen !== to ? chosen : (names[names.indexOf(to) - 1] ?? names[0]);
    await this.promoteBetween(from, to);
  }

  /** Promote…: pick the source (or the tree's environment), then the target (the next one first). */
  async promote(arg?: unknown): Promise<void> {
    if (!this.ctx.trust.require('Promotion')) return;
    const names = await environmentNames(this.ctx);
    if (names.length < 2) {
      void vscode.window.showInformationMessage(`A promotion needs two environments; found ${names.join(', ') || 'none'}.`);
      return;
    }
    const from =
      environmentNameOf(arg) ?? (await pickEnvironment(names.slice(0, -1), 'Promote from which environment?', names[names.length - 2]));
    if (!from) return;
    const next = names[names.indexOf(from) + 1];
    const to = await pickEnvironment(
      names.filter((n) => n !== from),
      `Promote ${from} to which environment?`,
      next,
    );
    if (!to) return;
    await this.promoteBetween(from, to);
  }

  private async promoteBetween(from: string, to: string): Promise<void> {
    if (!(await unsavedFilesSaved())) return;
    const config = readPromotionConfig();
    const settings: PromotionSettingsParams = {
      strategy: config.strategy,
      branchTemplate: config.branchTemplate,
      push: config.push,
      requirePullRequestFor: config.requirePullRequestFor,
      tag: config.tag,
    };
    let plan = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Planning ${from} → ${to}…` },
      () => this.ctx.request(PromotionPlanRequest, { from, to, settings }),
    );
    if (
      plan.problems.length > 0 ||
      plan.nothing ||
      (plan.message && plan.summary.length === 0) ||
      (plan.message && plan.changes.length === 0 && plan.strategy === 'overlay')
    ) {
      void vscode.window.showInformationMessage(plan.message ?? `The environments do not render: ${plan.problems[0]}`);
      return;
    }
    let changeIds: string[] | undefined;
    if (plan.strategy === 'overlay') {
      const picked = await pickChanges(plan.changes, from, to);
      if (!picked) return;
      if (picked.length !== plan.changes.length) {
        changeIds = picked.map((c) => c.id);
        plan = await this.ctx.request(PromotionPlanRequest, { from, to, changeIds, settings });
      }
      if (plan.fileChanges.length === 0) {
        void vscode.window.showInformationMessage(
          plan.message ?? 'None of the chosen changes can be written to a file. Nothing was changed.',
        );
        return;
      }
      await this.showDiffs(plan.fileChanges, `${from}→${to}`);
    }
    const requiresPr = config.requirePullRequestFor.includes(to);
    const detail = [
      ...plan.summary,
      requiresPr ? 'A new branch and a pull request (required for this environment).' : 'A commit directly on the base branch.',
    ].join('\n');
    const confirm = await vscode.window.showInformationMessage(`Promote ${from} → ${to}?`, { modal: true, detail }, 'Promote');
    if (confirm !== 'Promote') return;
    const push = await decidePush(config, requiresPr ? 'the promotion branch' : 'the commit', plan.remote);
    if (push === undefined) return;
    const outcome = await runWithProgress(this.ctx, `Promoting ${from} → ${to}`, (progressId) =>
      this.ctx.request(PromoteRequest, {
        from,
        to,
        ...(changeIds ? { changeIds } : {}),
        push,
        pullRequest: requiresPr,
        tag: config.tag,
        trusted: this.ctx.trust.isTrusted,
        reviewed: plan.fileChanges.map((f) => ({ path: f.path, after: f.after })),
        progressId,
        settings,
      }),
    );
    this.tree.refresh();
    if (outcome.kind === 'done') await closeProposedTabs();
    await showOutcome(this.ctx, outcome);
  }

  private async showDiffs(files: readonly PlannedFileChange[], label: string): Promise<void> {
    for (const { file, before, after } of this.proposed.show(files, label)) {
      await vscode.commands.executeCommand(
        'vscode.diff',
        before,
        after,
        `${file.path} (promotion ${label.replace('→', ' → ')}, proposed)`,
        { preview: false },
      );
    }
  }

  /** Revert Promotion…: the tree's promotion, or one picked from the history; reviewed as a diff first. */
  async revertPromotion(arg?: unknown): Promise<void> {
    if (!this.ctx.trust.require('Reverting a promotion')) return;
    const entry = (arg as { entry?: PromotionEntry } | undefined)?.entry ?? (await this.pickPromotion());
    if (!entry) return;
    const config = readPromotionConfig();
    const settings: PromotionSettingsParams = { ...config };
    const described = await this.ctx.request(RevertPromotionRequest, {
      commit: entry.commit,
      push: false,
      trusted: this.ctx.trust.isTrusted,
      dryRun: true,
      settings,
    });
    if (!described.summary) {
      const [branch] = described.unmergedBranches ?? [];
      if (described.unmergedBranches?.length !== 1) {
        void vscode.window.showErrorMessage(described.message);
        return;
      }
      // A promotion that was never merged: nothing to revert, but its branch can go.
      if ((await vscode.window.showErrorMessage(described.message, 'Delete Branch')) !== 'Delete Branch') return;
      const deleted = await this.ctx.request(DeletePromotionBranchRequest, { branch, trusted: this.ctx.trust.isTrusted });
      this.tree.refresh();
      await showOutcome(this.ctx, deleted);
      return;
    }
    if (described.diff) {
      // Read-only (not an untitled buffer that asks to be saved when closed).
      const document = await vscode.workspace.openTextDocument(
        this.proposed.showText(`revert-${entry.commit.slice(0, 12)}.diff`, described.diff),
      );
      await vscode.window.showTextDocument(document, { preview: true });
    }
    const requiresPr = config.requirePullRequestFor.includes(entry.target);
    const confirm = await vscode.window.showWarningMessage(
      `Revert the promotion ${entry.source} → ${entry.target} (${entry.commit.slice(0, 12)})?`,
      { modal: true, detail: described.summary.join('\n') },
      'Revert',
    );
    if (confirm !== 'Revert') return;
    const push = await decidePush(config, requiresPr ? 'the revert branch' : 'the revert', described.remote);
    if (push === undefined) return;
    const outcome = await runWithProgress(this.ctx, `Reverting ${entry.commit.slice(0, 12)}`, (progressId) =>
      this.ctx.request(RevertPromotionRequest, {
        commit: entry.commit,
        push,
        pullRequest: requiresPr,
        trusted: this.ctx.trust.isTrusted,
        progressId,
        settings,
      }),
    );
    this.tree.refresh();
    if (outcome.kind === 'done') await closeProposedTabs();
    await showOutcome(this.ctx, outcome);
  }

  private async pickPromotion(): Promise<PromotionEntry | undefined> {
    const entries = (await this.tree.entries()).filter((e) => !e.revertedBy && e.via === 'commit');
    if (entries.length === 0) {
      void vscode.window.showInformationMessage('There is no promotion commit to revert.');
      return undefined;
    }
    const picked = await vscode.window.showQuickPick(
      entries.map((entry) => ({
        entry,
        label: `${entry.source} → ${entry.target}`,
        description: `${entry.commit.slice(0, 12)} · ${entry.author.name} · ${entry.date}`,
        detail: entry.subject,
      })),
      { title: 'Revert which promotion?', ignoreFocusOut: true },
    );
    return picked?.entry;
  }
}

/** Registers the promotion commands and the Promotions tree. */
export function registerPromotion(ctx: Ctx): PromotionCommands {
  const tree = registerPromotionsTree(ctx);
  const commands = new PromotionCommands(ctx, tree);
  const guarded = (name: string, run: (arg?: unknown) => Promise<void>) =>
    ctx.track(
      vscode.commands.registerCommand(name, async (arg?: unknown) => {
        try {
          await run(arg);
        } catch (error) {
          ctx.output.error(`[promotion] ${name} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          void vscode.window.showErrorMessage(
            `Flux Environments: ${error instanceof Error ? error.message : String(error)}. Nothing was changed.`,
          );
        }
      }),
    );
  guarded('fluxEnvironments.promoteToProduction', (arg) => commands.promoteToProduction(arg));
  guarded('fluxEnvironments.promote', (arg) => commands.promote(arg));
  guarded('fluxEnvironments.revertPromotion', (arg) => commands.revertPromotion(arg));
  return commands;
}
