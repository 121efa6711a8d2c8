// The VS Code side: create the shared state (ctx), register every view and command, start the language
// server. All knowledge of Flux and Kustomize lives in the server; the client only shows its answers.
import * as vscode from 'vscode';
import { previewChoices, registerCommands, type PreviewChoice } from './commands';
import { registerCompare, type CompareProvider } from './compare';
import { createCtx, OUTPUT_CHANNEL_NAME, type Ctx } from './ctx';
import { registerPreviews, type PreviewProvider } from './preview';
import { registerPromotion } from './promote';
import { registerRuleDocs } from './ruleDocs';
import { registerRevisionCompare, type RevisionCompareProvider } from './revisionCompare';
import { registerStatusBar } from './statusBar';
import { registerEnvironmentsTree, type EnvironmentsTree } from './views/environmentsTree';
import { registerRenderedChangesTree, type RenderedChangesTree } from './views/renderedChangesTree';

export type { Ctx } from './ctx';

/** The extension's state once activated; the promotion UI registers against it. */
export let ctx: Ctx | undefined;

/** What activate() returns: the extension's API for tests (and other extensions). */
export interface FluxEnvironmentsApi {
  ctx: Ctx;
  previews: PreviewProvider;
  compare: CompareProvider;
  environments: EnvironmentsTree;
  revisionCompare: RevisionCompareProvider;
  renderedChanges: RenderedChangesTree;
  /** What "Preview Rendered…" offers with `active` as the active editor's file. */
  previewChoices(active?: vscode.Uri): Promise<PreviewChoice[]>;
}

export async function activate(context: vscode.ExtensionContext): Promise<FluxEnvironmentsApi> {
  // The views say "indexing" (not "No fleet found") until the server's first index is ready.
  void vscode.commands.executeCommand('setContext', 'fluxEnvironments.indexing', true);
  // A log channel: each line has a timestamp and a level, and the user can pick the level shown.
  const output = vscode.window.createOutputChannel(OUTPUT_CHANNEL_NAME, { log: true });
  context.subscriptions.push(output);
  const current = createCtx(context, output);
  ctx = current;
  const previews = registerPreviews(current);
  const compare = registerCompare(current);
  const environments = registerEnvironmentsTree(current);
  const revisionCompare = registerRevisionCompare(current);
  const renderedChanges = registerRenderedChangesTree(current);
  registerCommands({ ctx: current, tree: environments, compare });
  registerStatusBar(current);
  registerRuleDocs(context);
  trackEditorContext(current);
  current.track(
    current.onIndexStatus(
      (status) => void vscode.commands.executeCommand('setContext', 'fluxEnvironments.indexing', status.state !== 'ready'),
    ),
  );
  void vscode.commands.executeCommand('setContext', 'fluxEnvironments.active', true);
  registerPromotion(current);
  await current.client.start();
  return {
    ctx: current,
    previews,
    compare,
    environments,
    revisionCompare,
    renderedChanges,
    previewChoices: (active) => previewChoices(current, active),
  };
}

const FLUX_KUSTOMIZATION = /^apiVersion:\s*kustomize\.toolkit\.fluxcd\.io\//m;

/** `fluxEnvironments.isFluxFile` drives the editor title's preview button on files holding Flux Kustomizations. */
function trackEditorContext(current: Ctx): void {
  const update = (editor: vscode.TextEditor | undefined) => {
    const document = editor?.document;
    const isFlux =
      !!document && document.languageId === 'yaml' && document.uri.scheme === 'file' && FLUX_KUSTOMIZATION.test(document.getText());
    void vscode.commands.executeCommand('setContext', 'fluxEnvironments.isFluxFile', isFlux);
  };
  update(vscode.window.activeTextEditor);
  current.track(vscode.window.onDidChangeActiveTextEditor(update));
}

export async function deactivate(): Promise<void> {
  const stopping = ctx;
  ctx = undefined;
  await stopping?.stop();
}
