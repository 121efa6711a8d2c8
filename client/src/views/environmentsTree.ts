// The Environments tree: environment -> Flux Kustomizations in dependsOn order (dependsOn, prune/wait, a
// problem badge) -> rendered objects grouped by kind. Overlay environments (no Flux) list their objects by
// kind directly. In a multi-root workspace whose folders hold several fleets, each fleet's workspace folder
// is a level above its environments (two fleets may each have a staging). Every answer comes from the server (EnvironmentsRequest, RenderRequest); the tree
// refreshes on IndexChanged without a reload.
import * as vscode from 'vscode';
import {
  EnvironmentsRequest,
  RenderRequest,
  type EnvironmentSummary,
  type FluxKustomizationSummary,
  type IndexStatus,
  type LspLocation,
  type RenderedObjectSummary,
  type RenderTarget,
} from '../../../server/src/protocol';
import { readConfig } from '../config';
import type { Ctx } from '../ctx';
import { problemsExplained } from '../statusBar';

export const ENVIRONMENTS_VIEW = 'fluxEnvironments.environments';
const REFRESH_DELAY_MS = 150;

export type EnvironmentsNode =
  | { type: 'workspaceFolder'; uri: string; environments: EnvironmentSummary[] }
  | { type: 'environment'; environment: EnvironmentSummary }
  | { type: 'kustomization'; environment: EnvironmentSummary; kustomization: FluxKustomizationSummary }
  | { type: 'kind'; kind: string; objects: RenderedObjectSummary[]; parent: string }
  | { type: 'object'; object: RenderedObjectSummary; parent: string }
  | { type: 'message'; text: string };

function openCommand(location: LspLocation, title: string): vscode.Command {
  return { command: 'fluxEnvironments.openLocation', title, arguments: [location] };
}

function groupByKind(objects: RenderedObjectSummary[], parent: string): EnvironmentsNode[] {
  const byKind = new Map<string, RenderedObjectSummary[]>();
  for (const o of objects) {
    const list = byKind.get(o.kind);
    if (list) list.push(o);
    else byKind.set(o.kind, [o]);
  }
  return [...byKind.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([kind, list]) => ({ type: 'kind', kind, objects: list, parent }));
}

export class EnvironmentsTree implements vscode.TreeDataProvider<EnvironmentsNode> {
  private readonly changed = new vscode.EventEmitter<EnvironmentsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private environments: Promise<EnvironmentSummary[]> | undefined;
  private refreshTimer: NodeJS.Timeout | undefined;
  private view: vscode.TreeView<EnvironmentsNode> | undefined;

  constructor(private readonly ctx: Ctx) {
    ctx.track(this.changed);
    ctx.track(ctx.onIndexChanged(() => this.refreshSoon()));
    ctx.track(ctx.onIndexStatus((status) => this.updateBadge(status)));
    ctx.track({ dispose: () => this.refreshTimer && clearTimeout(this.refreshTimer) });
  }

  attach(view: vscode.TreeView<EnvironmentsNode>): void {
    this.view = view;
    this.updateBadge(this.ctx.status);
  }

  /** The view's badge: the status bar's problem count, with what it counts. */
  get badge(): vscode.ViewBadge | undefined {
    return this.view?.badge;
  }

  refreshSoon(): void {
    if (this.refreshTimer) return;
    this.refreshTimer = setTimeout(() => this.refresh(), REFRESH_DELAY_MS);
  }

  refresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = undefined;
    this.environments = undefined;
    this.changed.fire(undefined);
  }

  /**
   * The server's environments, in promotion order (cached until the index changes). Until the first index is
   * ready the view shows progress, not an empty tree (which would read "No fleet found").
   */
  listEnvironments(): Promise<EnvironmentSummary[]> {
    if (!this.environments) {
      const ready = this.ctx.whenReady();
      if (this.ctx.status?.state !== 'ready') void vscode.window.withProgress({ location: { viewId: ENVIRONMENTS_VIEW } }, () => ready);
      const pending = ready
        .then(() => this.ctx.request(EnvironmentsRequest, {}))
        .then((list) => [...list].sort((a, b) => a.order - b.order));
      pending.then(
        (list) => void vscode.commands.executeCommand('setContext', 'fluxEnvironments.empty', list.length === 0),
        () => (this.environments = undefined),
      );
      this.environments = pending;
    }
    return this.environments;
  }

  private updateBadge(status: IndexStatus | undefined): void {
    if (!this.view) return;
    const problems = status?.state === 'ready' ? status.errors + status.warnings : 0;
    this.view.badge = status && problems > 0 ? { value: problems, tooltip: problemsExplained(status) } : undefined;
  }

  async getChildren(node?: EnvironmentsNode): Promise<EnvironmentsNode[]> {
    try {
      if (!node) return byWorkspaceFolder(await this.listEnvironments());
      if (node.type === 'workspaceFolder') return node.environments.map((environment) => ({ type: 'environment', environment }));
      if (node.type === 'environment') {
        if (node.environment.kind === 'flux' && node.environment.kustomizations.length > 0) {
          return node.environment.kustomizations.map((kustomization) => ({
            type: 'kustomization',
            environment: node.environment,
            kustomization,
          }));
        }
        return this.objectsOf(environmentTarget(node.environment), environmentKey(node.environment));
      }
      if (node.type === 'kustomization')
        return this.objectsOf(node.kustomization.target, `${environmentKey(node.environment)}/${node.kustomization.name}`);
      if (node.type === 'kind') return node.objects.map((object) => ({ type: 'object', object, parent: node.parent }));
      return [];
    } catch (error) {
      return [{ type: 'message', text: `Could not ask the language server: ${error instanceof Error ? error.message : String(error)}` }];
    }
  }

  private async objectsOf(target: RenderTarget, parent: string): Promise<EnvironmentsNode[]> {
    const result = await this.ctx.request(RenderRequest, { target, revealSecrets: readConfig().revealSecrets });
    const nodes = groupByKind(result.objects, parent);
    if (nodes.length === 0) return [{ type: 'message', text: result.problems[0]?.message ?? 'renders no objects' }];
    return nodes;
  }

  getTreeItem(node: EnvironmentsNode): vscode.TreeItem {
    switch (node.type) {
      case 'workspaceFolder': {
        const uri = vscode.Uri.parse(node.uri);
        const name = vscode.workspace.getWorkspaceFolder(uri)?.name ?? uri.path.split('/').pop() ?? node.uri;
        const item = new vscode.TreeItem(name, vscode.TreeItemCollapsibleState.Expanded);
        item.id = `folder:${node.uri}`;
        item.contextValue = 'workspaceFolder';
        item.iconPath = vscode.ThemeIcon.Folder;
        item.description = `${node.environments.length} environment${node.environments.length === 1 ? '' : 's'}`;
        item.tooltip = uri.fsPath;
        return item;
      }
      case 'environment': {
        const env = node.environment;
        const item = new vscode.TreeItem(env.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `env:${environmentKey(env)}`;
        item.contextValue = env.kind === 'flux' ? 'environment.flux' : 'environment.overlay';
        item.iconPath = new vscode.ThemeIcon(env.problemCount > 0 ? 'warning' : 'server-environment');
        const count =
          env.kind === 'flux' ? `${env.kustomizations.length} Kustomization${env.kustomizations.length === 1 ? '' : 's'}` : 'overlay';
        // An inferred root is a guess from the layout: said where it is seen, not only in the tooltip.
        const inferred = (env.roots ?? []).some((r) => r.inferred) ? ['root inferred'] : [];
        const problems = env.problemCount > 0 ? [`${env.problemCount} problem${env.problemCount === 1 ? '' : 's'}`] : [];
        item.description = [count, ...inferred, ...problems].join(' · ');
        const roots = (env.roots ?? []).map((r) => `- ${r.description}${r.inferred ? ' *(inferred from the layout)*' : ''}`);
        item.tooltip = new vscode.MarkdownString(
          `**${env.name}** (${env.kind}, promotion order ${env.order})\n\n${roots.length > 0 ? `Flux starts from:\n\n${roots.join('\n')}` : env.folders.map((f) => `- ${vscode.workspace.asRelativePath(folderUri(f), false)}`).join('\n')}\n\nproblems: ${env.problemCount} (errors and warnings in the files this environment reads)`,
        );
        return item;
      }
      case 'kustomization': {
        const ks = node.kustomization;
        const item = new vscode.TreeItem(ks.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `ks:${environmentKey(node.environment)}:${ks.namespace}/${ks.name}`;
        item.contextValue = 'fluxKustomization';
        const state = [
          ks.prune === true ? 'prune' : 'no prune',
          ks.wait ? 'wait' : ks.healthChecks > 0 ? `${ks.healthChecks} health check${ks.healthChecks === 1 ? '' : 's'}` : 'no wait',
        ];
        if (ks.suspend) state.push('suspended');
        const parts = [
          ks.dependsOn.length ? `→ ${ks.dependsOn.join(', ')}` : '',
          state.join(', '),
          ks.problemCount ? `${ks.problemCount} problem${ks.problemCount === 1 ? '' : 's'}` : '',
        ];
        item.description = parts.filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(ks.problemCount > 0 ? 'warning' : ks.suspend ? 'debug-pause' : 'package');
        item.tooltip = new vscode.MarkdownString(
          [
            `**Kustomization ${ks.namespace}/${ks.name}**`,
            ks.path ? `path: \`${ks.path}\`` : 'no spec.path',
            ...(ks.sourceNote ? [ks.sourceNote] : []),
            `dependsOn: ${ks.dependsOn.join(', ') || 'none'}`,
            `prune: ${ks.prune ?? 'unset'}, wait: ${ks.wait}, healthChecks: ${ks.healthChecks}`,
            `problems: ${ks.problemCount} (errors and warnings in the files this Kustomization reads)`,
          ].join('\n\n'),
        );
        item.command = openCommand(ks.location, 'Open Kustomization');
        return item;
      }
      case 'kind': {
        const item = new vscode.TreeItem(node.kind, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `kind:${node.parent}:${node.kind}`;
        item.description = String(node.objects.length);
        item.contextValue = 'kind';
        item.iconPath = new vscode.ThemeIcon('symbol-class');
        return item;
      }
      case 'object': {
        const o = node.object;
        const item = new vscode.TreeItem(o.namespace ? `${o.namespace}/${o.name}` : o.name, vscode.TreeItemCollapsibleState.None);
        item.id = `obj:${node.parent}:${o.apiVersion}/${o.kind}/${o.namespace}/${o.name}`;
        item.description = o.appliedBy ? `via ${o.appliedBy}` : undefined;
        item.tooltip = `${o.kind} ${o.namespace ? `${o.namespace}/` : ''}${o.name} (${o.apiVersion}) from ${vscode.workspace.asRelativePath(vscode.Uri.parse(o.source.uri), false)}:${o.source.range.start.line + 1}`;
        // A HelmRelease also offers its values preview (package.json view/item/context).
        item.contextValue =
          o.kind === 'HelmRelease' && o.apiVersion.startsWith('helm.toolkit.fluxcd.io/') ? 'renderedObject.helmRelease' : 'renderedObject';
        item.iconPath = new vscode.ThemeIcon('symbol-field');
        item.command = openCommand(o.source, 'Open defining file');
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.iconPath = new vscode.ThemeIcon('info');
        return item;
      }
    }
  }
}

/** An environment's identity: its name within its workspace folder's fleet. */
function environmentKey(env: EnvironmentSummary): string {
  return env.workspaceFolder ? `${env.workspaceFolder}#${env.name}` : env.name;
}

/** What renders an environment: its name, and its workspace folder when the server says which. */
export function environmentTarget(env: EnvironmentSummary): RenderTarget {
  return env.workspaceFolder
    ? { kind: 'environment', name: env.name, workspaceFolder: env.workspaceFolder }
    : { kind: 'environment', name: env.name };
}

/** The top level: the environments, under their workspace folder when more than one folder holds a fleet. */
function byWorkspaceFolder(environments: EnvironmentSummary[]): EnvironmentsNode[] {
  const folders = new Map<string, EnvironmentSummary[]>();
  for (const environment of environments) {
    const key = environment.workspaceFolder ?? '';
    const list = folders.get(key);
    if (list) list.push(environment);
    else folders.set(key, [environment]);
  }
  if (folders.size <= 1) return environments.map((environment) => ({ type: 'environment', environment }));
  // In the workspace's folder order (the order the user gave them).
  const order = (uri: string) => {
    const folder = uri ? vscode.workspace.getWorkspaceFolder(vscode.Uri.parse(uri)) : undefined;
    return folder ? folder.index : Number.MAX_SAFE_INTEGER;
  };
  return [...folders.entries()]
    .sort(([a], [b]) => order(a) - order(b))
    .map(([uri, list]) => ({ type: 'workspaceFolder', uri, environments: list }));
}

export function registerEnvironmentsTree(ctx: Ctx): EnvironmentsTree {
  const tree = new EnvironmentsTree(ctx);
  const view = vscode.window.createTreeView(ENVIRONMENTS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  tree.attach(view);
  ctx.track(view);
  return tree;
}

/** Environment folders arrive as paths (or URIs from newer servers). */
export function folderUri(folder: string): vscode.Uri {
  return /^[a-z][a-z0-9+.-]+:\/\//i.test(folder) ? vscode.Uri.parse(folder) : vscode.Uri.file(folder);
}
