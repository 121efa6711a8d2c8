// One function per command. Commands accept what their callers pass: a RenderTarget (code lenses), a file
// or folder URI (editor title, explorer), a tree node (context menus), environment names (code lenses),
// or nothing (palette: ask with a quick pick).
import * as path from 'path';
import * as vscode from 'vscode';
import {
  EnvironmentsRequest,
  FluxKustomizationTargetRequest,
  HelmReleaseValuesTargetsRequest,
  RescanRequest,
  type EnvironmentSummary,
  type LspLocation,
  type RenderTarget,
} from '../../server/src/protocol';
import { openCompare, DriftSummaryPanel, type CompareProvider } from './compare';
import type { Ctx } from './ctx';
import { openPreview, toLocation } from './preview';
import { environmentTarget, folderUri, ENVIRONMENTS_VIEW, type EnvironmentsNode, type EnvironmentsTree } from './views/environmentsTree';
import { GraphPanel } from './views/graphView';

export interface CommandDeps {
  ctx: Ctx;
  tree: EnvironmentsTree;
  compare: CompareProvider;
}

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function isRenderTarget(value: unknown): value is RenderTarget {
  if (typeof value !== 'object' || value === null) return false;
  const kind = (value as { kind?: unknown }).kind;
  return kind === 'environment' || kind === 'folder' || kind === 'fluxKustomization' || kind === 'helmReleaseValues';
}

function isNode(value: unknown): value is EnvironmentsNode {
  return (
    typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string' && !(value instanceof vscode.Uri)
  );
}

/**
 * The target of a file: its folder for a kustomization file, else the Flux Kustomization at the cursor (or
 * the file's first), which the server finds because only it reads YAML.
 */
async function targetOfUri(ctx: Ctx, uri: vscode.Uri): Promise<RenderTarget | undefined> {
  const stat = await vscode.workspace.fs.stat(uri).then(
    (s) => s,
    () => undefined,
  );
  if (stat && stat.type & vscode.FileType.Directory) return { kind: 'folder', uri: uri.toString() };
  if (KUSTOMIZATION_FILES.has(path.basename(uri.fsPath)))
    return { kind: 'folder', uri: vscode.Uri.file(path.dirname(uri.fsPath)).toString() };
  const editor = vscode.window.activeTextEditor;
  const cursor = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active : undefined;
  const target = await ctx.request(FluxKustomizationTargetRequest, {
    uri: uri.toString(),
    ...(cursor ? { position: { line: cursor.line, character: cursor.character } } : {}),
  });
  return target ?? undefined;
}

async function environments(ctx: Ctx): Promise<EnvironmentSummary[]> {
  return [...(await ctx.request(EnvironmentsRequest, {}))].sort((a, b) => a.order - b.order);
}

export type PreviewChoice = vscode.QuickPickItem & { target?: RenderTarget };

/**
 * What "Preview Rendered…" offers: the Flux Kustomizations of the active file first (the likely wish when
 * it is a Flux Kustomization), then the environments, every Flux Kustomization, and the kustomization
 * folders outside dot-folders (.git, tool caches, editor test installs) and node_modules.
 */
export async function previewChoices(ctx: Ctx, active?: vscode.Uri): Promise<PreviewChoice[]> {
  const picks: PreviewChoice[] = [];
  const envs = await environments(ctx);
  const kustomizations = envs.flatMap((env) => env.kustomizations.map((k) => ({ env, k })));
  const kustomizationPick = ({ env, k }: (typeof kustomizations)[number]): PreviewChoice => ({
    label: `$(package) ${k.name}`,
    description: `${env.name} · ${k.path ?? ''}`,
    detail: vscode.workspace.asRelativePath(vscode.Uri.parse(k.location.uri), false),
    target: k.target,
  });
  const inActive = active ? kustomizations.filter(({ k }) => vscode.Uri.parse(k.location.uri).toString() === active.toString()) : [];
  if (inActive.length) {
    picks.push({ label: 'This file', kind: vscode.QuickPickItemKind.Separator });
    picks.push(...inActive.map(kustomizationPick));
  }
  if (envs.length) picks.push({ label: 'Environments', kind: vscode.QuickPickItemKind.Separator });
  for (const env of envs)
    picks.push({
      label: `$(server-environment) ${env.name}`,
      description: `${env.kind} environment`,
      target: environmentTarget(env),
    });
  if (kustomizations.length) picks.push({ label: 'Flux Kustomizations', kind: vscode.QuickPickItemKind.Separator });
  picks.push(...kustomizations.map(kustomizationPick));
  const files = await vscode.workspace.findFiles(
    '**/{kustomization.yaml,kustomization.yml,Kustomization}',
    '{**/node_modules/**,**/.*/**}',
    2000,
  );
  if (files.length) picks.push({ label: 'Kustomization folders', kind: vscode.QuickPickItemKind.Separator });
  for (const file of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    const folder = vscode.Uri.file(path.dirname(file.fsPath));
    picks.push({
      label: `$(folder) ${vscode.workspace.asRelativePath(folder, false)}`,
      target: { kind: 'folder', uri: folder.toString() },
    });
  }
  return picks;
}

async function pickTarget(ctx: Ctx): Promise<RenderTarget | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const picks = await previewChoices(ctx, active?.scheme === 'file' ? active : undefined);
  const chosen = await vscode.window.showQuickPick(picks, {
    title: 'Preview Rendered',
    placeHolder: 'An environment, a Flux Kustomization or a kustomization folder',
    matchOnDescription: true,
  });
  return chosen?.target;
}

function targetOfNode(node: EnvironmentsNode): RenderTarget | undefined {
  if (node.type === 'environment') return environmentTarget(node.environment);
  if (node.type === 'kustomization') return node.kustomization.target;
  return undefined;
}

/** Preview Rendered…: opens the rendered YAML beside the editor; returns the preview's URI. */
export async function preview(ctx: Ctx, arg?: unknown): Promise<vscode.Uri | undefined> {
  let target: RenderTarget | undefined;
  if (isRenderTarget(arg)) target = arg;
  else if (arg instanceof vscode.Uri) target = await targetOfUri(ctx, arg);
  else if (isNode(arg)) target = targetOfNode(arg);
  else {
    const active = vscode.window.activeTextEditor?.document.uri;
    target =
      active?.scheme === 'file' && KUSTOMIZATION_FILES.has(path.basename(active.fsPath))
        ? await targetOfUri(ctx, active)
        : await pickTarget(ctx);
  }
  if (!target) {
    if (arg instanceof vscode.Uri)
      void vscode.window.showInformationMessage('This file is neither a kustomization file nor a Flux Kustomization: nothing to preview.');
    return undefined;
  }
  const editor = await openPreview(target);
  return editor.document.uri;
}

/**
 * Preview HelmRelease Values: the merged values of a HelmRelease in one environment. Takes a values target
 * (code lenses), a tree item of a rendered HelmRelease, or nothing: then the HelmRelease at the cursor of the
 * active editor, asking for the environment when several apply it.
 */
export async function previewHelmReleaseValues(ctx: Ctx, arg?: unknown): Promise<vscode.Uri | undefined> {
  let target: RenderTarget | undefined = isRenderTarget(arg) && arg.kind === 'helmReleaseValues' ? arg : undefined;
  if (!target) {
    let query: { uri: string; position?: { line: number; character: number } } | undefined;
    let environment: string | undefined;
    if (isNode(arg) && arg.type === 'object') {
      query = { uri: arg.object.source.uri, position: arg.object.source.range.start };
      environment = arg.parent.split('/')[0];
    } else {
      const editor = vscode.window.activeTextEditor;
      if (editor?.document.uri.scheme === 'file') {
        const cursor = editor.selection.active;
        query = { uri: editor.document.uri.toString(), position: { line: cursor.line, character: cursor.character } };
      }
    }
    const choices = query ? await ctx.request(HelmReleaseValuesTargetsRequest, query) : [];
    const inEnvironment = environment ? choices.filter((c) => c.environment === environment) : choices;
    if (inEnvironment.length === 0) {
      void vscode.window.showInformationMessage(
        'No HelmRelease here that an environment applies: open a HelmRelease file (or put the cursor in one) to preview its values.',
      );
      return undefined;
    }
    if (inEnvironment.length === 1) target = inEnvironment[0].target;
    else {
      const chosen = await vscode.window.showQuickPick(
        inEnvironment.map((c) => ({ label: c.environment, description: c.release, target: c.target })),
        { title: 'Preview HelmRelease Values in…' },
      );
      target = chosen?.target;
    }
  }
  if (!target) return undefined;
  const editor = await openPreview(target);
  return editor.document.uri;
}

async function pickEnvironment(ctx: Ctx, title: string, exclude?: string): Promise<string | undefined> {
  const envs = (await environments(ctx)).filter((e) => e.name !== exclude);
  if (envs.length === 0) {
    void vscode.window.showInformationMessage(
      exclude ? `No other environment to compare ${exclude} with.` : 'No environments found in this workspace.',
    );
    return undefined;
  }
  const chosen = await vscode.window.showQuickPick(
    envs.map((e) => ({ label: e.name, description: `${e.kind} · order ${e.order}` })),
    { title },
  );
  return chosen?.label;
}

/** Resolves the two environments of a compare: given names, a tree node (compared with its next), or picks. */
async function comparePair(ctx: Ctx, first?: unknown, second?: unknown): Promise<{ left: string; right: string } | undefined> {
  let left = typeof first === 'string' ? first : isNode(first) && first.type === 'environment' ? first.environment.name : undefined;
  let right = typeof second === 'string' ? second : undefined;
  if (left && !right && isNode(first)) {
    const envs = await environments(ctx);
    const at = envs.findIndex((e) => e.name === left);
    const other = envs[at + 1] ?? envs[at - 1];
    right = other?.name;
    // staging (earlier in promotion order) stays on the left
    if (other && envs.indexOf(other) < at) [left, right] = [other.name, left];
  }
  left ??= await pickEnvironment(ctx, 'Compare Environments: left side (e.g. staging)');
  if (!left) return undefined;
  right ??= await pickEnvironment(ctx, `Compare ${left} with…`, left);
  if (!right) return undefined;
  return { left, right };
}

/** Compare Environments…: the diff editor, left (e.g. staging) against right (e.g. production). */
export async function compare(ctx: Ctx, first?: unknown, second?: unknown): Promise<{ left: string; right: string } | undefined> {
  const pair = await comparePair(ctx, first, second);
  if (pair) await openCompare(pair);
  return pair;
}

export async function compareSummary(deps: CommandDeps, first?: unknown, second?: unknown): Promise<DriftSummaryPanel | undefined> {
  const pair = await comparePair(deps.ctx, first, second);
  return pair ? DriftSummaryPanel.show(deps.ctx, deps.compare, pair) : undefined;
}

export async function showGraph(ctx: Ctx, arg?: unknown): Promise<GraphPanel | undefined> {
  let environment =
    typeof arg === 'string'
      ? arg
      : isNode(arg) && (arg.type === 'environment' || arg.type === 'kustomization')
        ? arg.environment.name
        : undefined;
  environment ??= await pickEnvironment(ctx, 'Show the dependsOn graph of');
  return environment ? GraphPanel.show(ctx, environment) : undefined;
}

export async function openLocation(location: LspLocation): Promise<vscode.TextEditor> {
  const target = toLocation(location);
  const document = await vscode.workspace.openTextDocument(target.uri);
  return vscode.window.showTextDocument(document, { selection: new vscode.Range(target.range.start, target.range.start), preview: true });
}

export async function revealInExplorer(arg?: unknown): Promise<void> {
  let uri: vscode.Uri | undefined;
  if (arg instanceof vscode.Uri) uri = arg;
  else if (isNode(arg)) {
    if (arg.type === 'environment' && arg.environment.folders[0]) uri = folderUri(arg.environment.folders[0]);
    else if (arg.type === 'kustomization') uri = vscode.Uri.parse(arg.kustomization.location.uri);
    else if (arg.type === 'object') uri = vscode.Uri.parse(arg.object.source.uri);
  }
  if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
}

export function registerCommands(deps: CommandDeps): void {
  const { ctx, tree } = deps;
  const register = (id: string, run: (...args: unknown[]) => unknown) => ctx.track(vscode.commands.registerCommand(id, run));
  register('fluxEnvironments.showOutput', () => ctx.output.show(true));
  register('fluxEnvironments.preview', (arg) => preview(ctx, arg));
  register('fluxEnvironments.previewHelmReleaseValues', (arg) => previewHelmReleaseValues(ctx, arg));
  register('fluxEnvironments.compare', (first, second) => compare(ctx, first, second));
  register('fluxEnvironments.compareSummary', (first, second) => compareSummary(deps, first, second));
  register('fluxEnvironments.showGraph', (arg) => showGraph(ctx, arg));
  register('fluxEnvironments.refresh', async () => {
    // Reads the folder again from disk, for changes the file watchers missed; the tree refreshes on the index event too.
    await vscode.window.withProgress({ location: { viewId: ENVIRONMENTS_VIEW }, title: 'Reading the fleet again' }, () =>
      ctx.request(RescanRequest, {}),
    );
    tree.refresh();
  });
  register('fluxEnvironments.openLocation', (location) => openLocation(location as LspLocation));
  register('fluxEnvironments.revealInExplorer', (arg) => revealInExplorer(arg));
  register('fluxEnvironments.restartServer', async () => {
    await ctx.client.restart();
    tree.refresh();
  });
  register('fluxEnvironments.focusEnvironments', () => vscode.commands.executeCommand(`${ENVIRONMENTS_VIEW}.focus`));
}
