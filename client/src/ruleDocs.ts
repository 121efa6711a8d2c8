// Rule pages (docs/rules/<id>.md, shipped in the package) open rendered, as a Markdown preview. A diagnostic's
// code links to its page as a file URL (the server serves every editor, and the CLI prints the same link);
// VS Code opens such a link as a text editor, from the hover and from the Problems panel alike, and neither
// runs a command link from the hover. So an editor opened on one of the extension's own rule pages, outside
// the workspace (a contributor editing docs/rules in this repository keeps the text), becomes its preview.
// Each of our diagnostics also offers "Show documentation for rule <id>" among its quick fixes.
import * as path from 'path';
import * as vscode from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';

export const SHOW_RULE_DOCUMENTATION = 'fluxEnvironments.showRuleDocumentation';
const DIAGNOSTIC_SOURCE = 'flux-environments';
const RULE_ID = /^[a-z0-9][a-z0-9-]*$/;

/** The rule pages' folder in the installed extension (where the server's links point). */
function docsFolder(context: vscode.ExtensionContext): string {
  return context.asAbsolutePath(path.join('docs', 'rules'));
}

/** The rule of one of our diagnostics that links to its page (the server's own problems link nowhere). */
function ruleOf(diagnostic: vscode.Diagnostic): string | undefined {
  if (diagnostic.source !== DIAGNOSTIC_SOURCE || typeof diagnostic.code !== 'object' || diagnostic.code === null) return undefined;
  const rule = diagnostic.code.value;
  return typeof rule === 'string' && RULE_ID.test(rule) ? rule : undefined;
}

/** The rule a text editor's file is the page of, when it is one of ours opened from outside the workspace. */
function rulePageOf(context: vscode.ExtensionContext, uri: vscode.Uri): vscode.Uri | undefined {
  if (uri.scheme !== 'file' || path.dirname(uri.fsPath) !== docsFolder(context) || path.extname(uri.fsPath) !== '.md') return undefined;
  if (vscode.workspace.getWorkspaceFolder(uri)) return undefined;
  return uri;
}

async function showRendered(page: vscode.Uri): Promise<void> {
  await vscode.commands.executeCommand('markdown.showPreview', page);
}

/** Replaces a text tab on a rule page with the page's preview (opened in the active group, where the tab opened). */
async function renderInstead(context: vscode.ExtensionContext, tabs: readonly vscode.Tab[]): Promise<void> {
  for (const tab of tabs) {
    if (!(tab.input instanceof vscode.TabInputText)) continue;
    const page = rulePageOf(context, tab.input.uri);
    if (!page) continue;
    await showRendered(page);
    const stillOpen = vscode.window.tabGroups.all
      .flatMap((group) => group.tabs)
      .filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.toString() === page.toString() && !t.isDirty);
    await vscode.window.tabGroups.close(stillOpen, true).then(undefined, () => undefined);
  }
}

/** "Show documentation for rule <id>" for each of our diagnostics a code action request is about. */
export const ruleDocsMiddleware: Pick<Middleware, 'provideCodeActions'> = {
  async provideCodeActions(document, range, context, token, next) {
    const actions = (await next(document, range, context, token)) ?? [];
    const rules = new Set<string>();
    for (const diagnostic of context.diagnostics) {
      const rule = ruleOf(diagnostic);
      if (rule) rules.add(rule);
    }
    const documentation = [...rules].map((rule) => {
      const action = new vscode.CodeAction(`Show documentation for rule ${rule}`, vscode.CodeActionKind.QuickFix);
      action.command = { command: SHOW_RULE_DOCUMENTATION, title: action.title, arguments: [rule] };
      return action;
    });
    return [...actions, ...documentation];
  },
};

export function registerRuleDocs(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(SHOW_RULE_DOCUMENTATION, async (arg?: unknown) => {
      const rule = typeof arg === 'string' ? arg : await pickRule(context);
      if (!rule) return;
      if (!RULE_ID.test(rule)) {
        void vscode.window.showErrorMessage(`"${rule}" is not a rule id.`);
        return;
      }
      const page = vscode.Uri.file(path.join(docsFolder(context), `${rule}.md`));
      try {
        await vscode.workspace.fs.stat(page);
      } catch {
        void vscode.window.showErrorMessage(`There is no documentation page for rule ${rule} (looked for ${page.fsPath}).`);
        return;
      }
      await showRendered(page);
    }),
    vscode.window.tabGroups.onDidChangeTabs((event) => void renderInstead(context, event.opened)),
  );
}

async function pickRule(context: vscode.ExtensionContext): Promise<string | undefined> {
  const entries = await vscode.workspace.fs.readDirectory(vscode.Uri.file(docsFolder(context))).then(
    (list) => list,
    () => [] as Array<[string, vscode.FileType]>,
  );
  const rules = entries
    .map(([name]) => name)
    .filter((name) => name.endsWith('.md') && name !== 'README.md')
    .map((name) => name.slice(0, -'.md'.length))
    .sort();
  return vscode.window.showQuickPick(rules, { title: 'Show the documentation of which rule?' });
}
