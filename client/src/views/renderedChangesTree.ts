// The Rendered Changes view: what the working changes (unsaved buffers included) do to each environment's
// rendered output, against HEAD and, on a branch, against its merge base with the default branch. Group ->
// environment -> changed object; clicking an object opens its rendered diff. Follows the server's index, so
// it updates as the user types.
import * as vscode from 'vscode';
import {
  RenderedChangesRequest,
  type RenderedChangeObject,
  type RenderedChangesEnvironment,
  type RenderedChangesGroup,
  type RenderedChangesResult,
} from '../../../server/src/protocol';
import { readConfig } from '../config';
import type { Ctx } from '../ctx';

export const RENDERED_CHANGES_VIEW = 'fluxEnvironments.renderedChanges';
export const CHANGE_SCHEME = 'flux-environments-change';

export type RenderedChangesNode =
  | { kind: 'group'; group: RenderedChangesGroup }
  | { kind: 'environment'; group: RenderedChangesGroup; environment: RenderedChangesEnvironment }
  | { kind: 'object'; group: RenderedChangesGroup; environment: RenderedChangesEnvironment; object: RenderedChangeObject; position: number }
  | { kind: 'message'; text: string };

/** `Deployment staging/web`, as the tree and the diff titles name an object. */
export function objectLabel(o: RenderedChangeObject): string {
  return `${o.kind} ${o.namespace === '' ? '' : o.namespace + '/'}${o.name}`;
}

function countsText(env: RenderedChangesEnvironment): string {
  const parts = (['added', 'changed', 'removed', 'moved'] as const).filter((k) => env.counts[k] > 0).map((k) => `${env.counts[k]} ${k}`);
  if (env.errors.length > 0) parts.push(`${env.errors.length} render error${env.errors.length === 1 ? '' : 's'}`);
  return parts.length === 0 ? 'no changes' : parts.join(', ');
}

const CHANGE_ICON: Record<RenderedChangeObject['change'], [string, string]> = {
  added: ['diff-added', 'gitDecoration.addedResourceForeground'],
  removed: ['diff-removed', 'gitDecoration.deletedResourceForeground'],
  changed: ['diff-modified', 'gitDecoration.modifiedResourceForeground'],
  moved: ['diff-renamed', 'gitDecoration.renamedResourceForeground'],
};

export class RenderedChangesTree implements vscode.TreeDataProvider<RenderedChangesNode>, vscode.TextDocumentContentProvider {
  private readonly changed = new vscode.EventEmitter<RenderedChangesNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly documentsChanged = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.documentsChanged.event;
  private loading: Promise<RenderedChangesResult> | undefined;
  /** The last answer, which the open diffs show. */
  private last: RenderedChangesResult = { groups: [] };

  constructor(private readonly ctx: Ctx) {
    ctx.track(this.changed);
    ctx.track(this.documentsChanged);
    ctx.track(ctx.onIndexChanged(() => this.refresh()));
  }

  refresh(): void {
    this.loading = undefined;
    this.changed.fire(undefined);
  }

  /** The latest result (tests read it; the tree shows it). */
  result(): Promise<RenderedChangesResult> {
    this.loading ??= this.ctx
      .whenReady()
      .then(() => this.ctx.request(RenderedChangesRequest, { revealSecrets: readConfig().revealSecrets }))
      .then((result) => {
        this.last = result;
        for (const doc of vscode.workspace.textDocuments) if (doc.uri.scheme === CHANGE_SCHEME) this.documentsChanged.fire(doc.uri);
        return result;
      })
      .catch((error: unknown) => ({ groups: [], error: error instanceof Error ? error.message : String(error) }));
    return this.loading;
  }

  async getChildren(node?: RenderedChangesNode): Promise<RenderedChangesNode[]> {
    if (!node) {
      const { groups, error } = await this.result();
      const nodes: RenderedChangesNode[] = groups.map((group) => ({ kind: 'group', group }));
      if (error) nodes.push({ kind: 'message', text: error });
      return nodes.length > 0 ? nodes : [{ kind: 'message', text: 'No fleet in a git repository is open.' }];
    }
    if (node.kind === 'group')
      return node.group.environments.map((environment) => ({ kind: 'environment', group: node.group, environment }));
    if (node.kind === 'environment') {
      const objects: RenderedChangesNode[] = node.environment.objects.map((object, position) => ({
        ...node,
        kind: 'object',
        object,
        position,
      }));
      return [...objects, ...node.environment.errors.map((text): RenderedChangesNode => ({ kind: 'message', text }))];
    }
    return [];
  }

  getTreeItem(node: RenderedChangesNode): vscode.TreeItem {
    if (node.kind === 'message') {
      const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
      item.iconPath = new vscode.ThemeIcon('warning');
      return item;
    }
    if (node.kind === 'group') {
      const item = new vscode.TreeItem(node.group.label, vscode.TreeItemCollapsibleState.Expanded);
      item.description = node.group.commit.slice(0, 8);
      item.iconPath = new vscode.ThemeIcon(node.group.against === 'HEAD' ? 'git-commit' : 'git-merge');
      item.id = `group:${node.group.against}:${node.group.label}`;
      return item;
    }
    if (node.kind === 'environment') {
      const { environment } = node;
      const changes = environment.objects.length + environment.errors.length;
      const item = new vscode.TreeItem(
        environment.name,
        changes > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None,
      );
      item.description =
        countsText(environment) + (environment.onlyIn === 'head' ? ' (new)' : environment.onlyIn === 'base' ? ' (gone)' : '');
      item.iconPath = new vscode.ThemeIcon('server-environment');
      // The count is part of the id: an environment that had no changes (nothing to expand) opens expanded once it has some.
      item.id = `env:${node.group.against}:${node.group.label}:${environment.name}:${changes}`;
      return item;
    }
    const { object } = node;
    const item = new vscode.TreeItem(objectLabel(object), vscode.TreeItemCollapsibleState.None);
    const moved = object.movedFrom ? ` from ${object.movedFrom}` : '';
    item.description = `${object.change}${moved} · ${object.kustomization}`;
    const [icon, color] = CHANGE_ICON[object.change];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    item.contextValue = 'renderedChange';
    item.command = {
      command: 'fluxEnvironments.openRenderedChange',
      title: 'Open Rendered Diff',
      arguments: [node],
    };
    return item;
  }

  /** The rendered diff of one object: before (at the revision) on the left, now on the right. */
  async open(node: RenderedChangesNode): Promise<void> {
    if (node.kind !== 'object') return;
    const query = { against: node.group.against, environment: node.environment.name, position: node.position };
    const uri = (side: 'before' | 'after') =>
      vscode.Uri.from({
        scheme: CHANGE_SCHEME,
        path: `/${node.environment.name}/${objectLabel(node.object).replace(/[\\/?#%\s]/g, '_')}.yaml`,
        query: JSON.stringify({ ...query, side }),
      });
    const title = `${objectLabel(node.object)} in ${node.environment.name}: ${node.group.against === 'HEAD' ? 'HEAD' : 'merge base'} ↔ now (rendered)`;
    await vscode.commands.executeCommand('vscode.diff', uri('before'), uri('after'), title, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    let query: { against?: string; environment?: string; position?: number; side?: string };
    try {
      query = JSON.parse(uri.query) as typeof query;
    } catch {
      return '# Not a Flux Environments rendered change.\n';
    }
    const group = this.last.groups.find((g) => g.against === query.against);
    const env = group?.environments.find((e) => e.name === query.environment);
    const object = env?.objects[query.position ?? -1];
    if (!object) return '# This change is gone: the working changes no longer change this object.\n';
    const text = query.side === 'before' ? object.before : object.after;
    return text ?? `# ${objectLabel(object)}: not ${query.side === 'before' ? 'there before' : 'there now'}\n`;
  }
}

/**
 * How long typing must pause before a visible view asks again. The server takes an edit at once (its buffers
 * follow every change); only its analysis waits for its longer debounce, and the view need not wait for that.
 */
const TYPING_PAUSE_MS = 30;

export function registerRenderedChangesTree(ctx: Ctx): RenderedChangesTree {
  const tree = new RenderedChangesTree(ctx);
  const view = vscode.window.createTreeView(RENDERED_CHANGES_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  ctx.track(view);
  let pending: ReturnType<typeof setTimeout> | undefined;
  ctx.track(
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (!view.visible || event.contentChanges.length === 0 || event.document.uri.scheme !== 'file') return;
      if (!/\.ya?ml$/i.test(event.document.uri.path)) return;
      if (pending) clearTimeout(pending);
      pending = setTimeout(() => {
        pending = undefined;
        tree.refresh();
      }, TYPING_PAUSE_MS);
    }),
  );
  ctx.track({ dispose: () => pending && clearTimeout(pending) });
  ctx.track(vscode.workspace.registerTextDocumentContentProvider(CHANGE_SCHEME, tree));
  ctx.track(vscode.commands.registerCommand('fluxEnvironments.openRenderedChange', (node: RenderedChangesNode) => tree.open(node)));
  ctx.track(vscode.commands.registerCommand('fluxEnvironments.refreshRenderedChanges', () => tree.refresh()));
  return tree;
}
