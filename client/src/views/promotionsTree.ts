// The Promotions tree: the audit trail (promotion commits and tags), newest first, each with what moved as
// children; reverted promotions are marked. Context actions: revert, open the commit (the built-in git
// extension's diff of the commit when it runs, else `git show` text from the server in a read-only document).
import * as vscode from 'vscode';
import { PromotionHistoryRequest, ShowCommitRequest, type PromotionEntry } from '../../../server/src/protocol';
import type { Ctx } from '../ctx';

export const PROMOTIONS_VIEW = 'fluxEnvironments.promotions';
export const COMMIT_SCHEME = 'flux-environments-commit';

export type PromotionNode =
  | { kind: 'promotion'; entry: PromotionEntry }
  | { kind: 'change'; entry: PromotionEntry; change: PromotionEntry['changes'][number] }
  | { kind: 'message'; text: string };

function when(date: string): string {
  const parsed = new Date(date);
  return Number.isNaN(parsed.getTime()) ? date : parsed.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** The label a promotion has in the tree, also what tests read. */
export function promotionLabel(entry: PromotionEntry): string {
  return `${entry.source} → ${entry.target}`;
}

export class PromotionsTree implements vscode.TreeDataProvider<PromotionNode> {
  private readonly changed = new vscode.EventEmitter<PromotionNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private loading: Promise<{ entries: PromotionEntry[]; message?: string }> | undefined;

  constructor(private readonly ctx: Ctx) {}

  refresh(): void {
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  private load(): Promise<{ entries: PromotionEntry[]; message?: string }> {
    // After the first index: before it the server has no workspace folder and would answer "open the repository".
    this.loading ??= this.ctx
      .whenReady()
      .then(() => this.ctx.request(PromotionHistoryRequest, {}))
      .catch((error: unknown) => ({ entries: [], message: error instanceof Error ? error.message : String(error) }));
    return this.loading;
  }

  async entries(): Promise<PromotionEntry[]> {
    return (await this.load()).entries;
  }

  async getChildren(node?: PromotionNode): Promise<PromotionNode[]> {
    if (!node) {
      const { entries, message } = await this.load();
      if (entries.length === 0) return [{ kind: 'message', text: message ?? 'No promotions yet.' }];
      return entries.map((entry) => ({ kind: 'promotion', entry }));
    }
    if (node.kind === 'promotion') return node.entry.changes.map((change) => ({ kind: 'change', entry: node.entry, change }));
    return [];
  }

  getTreeItem(node: PromotionNode): vscode.TreeItem {
    if (node.kind === 'message') return new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
    if (node.kind === 'change') {
      const item = new vscode.TreeItem(node.change.workload, vscode.TreeItemCollapsibleState.None);
      item.description = `${node.change.before} → ${node.change.after}`;
      item.contextValue = 'promotionChange';
      return item;
    }
    const { entry } = node;
    const item = new vscode.TreeItem(
      promotionLabel(entry),
      entry.changes.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    item.id = `${entry.via}:${entry.commit}:${entry.tags.join(',')}`;
    const reverted = entry.revertedBy ? ` · reverted by ${entry.revertedBy.commit.slice(0, 8)}` : '';
    item.description = `${entry.author.name}, ${when(entry.date)}${reverted}`;
    item.iconPath = new vscode.ThemeIcon(entry.revertedBy ? 'discard' : entry.via === 'tag' ? 'tag' : 'git-commit');
    item.contextValue = entry.revertedBy || entry.via === 'tag' ? 'promotion.reverted' : 'promotion';
    const tooltip = new vscode.MarkdownString();
    tooltip.appendText(`${entry.subject}\n\n${entry.commit}\n${entry.author.name} <${entry.author.email}>, ${entry.date}`);
    if (entry.tags.length > 0) tooltip.appendText(`\nTags: ${entry.tags.join(', ')}`);
    if (entry.revertedBy) tooltip.appendText(`\nReverted by ${entry.revertedBy.commit} on ${entry.revertedBy.date}`);
    item.tooltip = tooltip;
    item.command = { command: 'fluxEnvironments.openPromotionCommit', title: 'Open Commit', arguments: [node] };
    return item;
  }
}

// The parts of the built-in git extension's API (extensions/git/src/api/git.d.ts) used here.
interface GitChange {
  uri: vscode.Uri;
  originalUri: vscode.Uri;
}
interface GitRepository {
  rootUri: vscode.Uri;
  diffBetween(ref1: string, ref2: string): Promise<GitChange[]>;
}
interface GitApi {
  repositories: GitRepository[];
  toGitUri(uri: vscode.Uri, ref: string): vscode.Uri;
}

async function openWithGitExtension(commit: string): Promise<boolean> {
  const extension = vscode.extensions.getExtension<{ enabled: boolean; getAPI(version: 1): GitApi }>('vscode.git');
  if (!extension) return false;
  const exports = extension.isActive
    ? extension.exports
    : await extension.activate().then(
        (e) => e,
        () => undefined,
      );
  if (!exports?.enabled) return false;
  const api = exports.getAPI(1);
  const [folder] = vscode.workspace.workspaceFolders ?? [];
  const repository = api.repositories.find((r) => folder && folder.uri.fsPath.startsWith(r.rootUri.fsPath)) ?? api.repositories[0];
  if (!repository) return false;
  const changes = await repository.diffBetween(`${commit}^`, commit);
  if (changes.length === 0) return false;
  const resources = changes.map((c) => [c.uri, api.toGitUri(c.originalUri, `${commit}^`), api.toGitUri(c.uri, commit)]);
  await vscode.commands.executeCommand('vscode.changes', `Promotion ${commit.slice(0, 12)}`, resources);
  return true;
}

/** Registers the Promotions view, its refresh, and Open Commit. */
export function registerPromotionsTree(ctx: Ctx): PromotionsTree {
  const tree = new PromotionsTree(ctx);
  ctx.track(vscode.window.createTreeView(PROMOTIONS_VIEW, { treeDataProvider: tree, showCollapseAll: true }));
  ctx.track(ctx.onIndexChanged(() => tree.refresh()));
  ctx.track(vscode.commands.registerCommand('fluxEnvironments.refreshPromotions', () => tree.refresh()));
  const commitTexts = new Map<string, string>();
  ctx.track(
    vscode.workspace.registerTextDocumentContentProvider(COMMIT_SCHEME, {
      provideTextDocumentContent: (uri) => commitTexts.get(uri.path.replace(/^\//, '')) ?? '',
    }),
  );
  ctx.track(
    vscode.commands.registerCommand('fluxEnvironments.openPromotionCommit', async (node?: PromotionNode) => {
      if (!node || node.kind === 'message') return;
      const { commit } = node.entry;
      try {
        if (await openWithGitExtension(commit)) return;
      } catch (error) {
        ctx.output.warn(`[promotion] the git extension could not show ${commit}: ${String(error)}`);
      }
      const shown = await ctx.request(ShowCommitRequest, { commit });
      if ('error' in shown) {
        void vscode.window.showErrorMessage(shown.error);
        return;
      }
      commitTexts.set(commit, shown.text);
      const document = await vscode.workspace.openTextDocument(vscode.Uri.from({ scheme: COMMIT_SCHEME, path: `/${commit}` }));
      await vscode.languages.setTextDocumentLanguage(document, 'diff');
      await vscode.window.showTextDocument(document, { preview: true });
    }),
  );
  // For the extension-host tests: what the tree shows at the top level (labels and descriptions).
  ctx.track(
    vscode.commands.registerCommand('fluxEnvironments.promotions.snapshot', async () => {
      const nodes = await tree.getChildren();
      return nodes.map((node) => {
        const item = tree.getTreeItem(node);
        return {
          label: item.label,
          description: item.description,
          contextValue: item.contextValue,
          commit: node.kind === 'promotion' ? node.entry.commit : undefined,
        };
      });
    }),
  );
  return tree;
}
