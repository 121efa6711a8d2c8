// Diagnostics and their quick fixes in the sample fleet, read through VS Code's own APIs.
/* global describe, it, after */
const assert = require('assert');
const vscode = require('vscode');
const { waitFor, ourDiagnostics, ruleOf } = require('./helpers');
const { api, replaceInBuffer, revertUnsavedDocuments, workspaceUri } = require('./sampleHelpers');

/** Open tabs on the missing-path rule page: as a Markdown preview (a webview titled after the file) or as text. */
function rulePageTabs() {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs);
  return {
    rendered: tabs.filter(
      (t) => t.input instanceof vscode.TabInputWebview && /markdown/i.test(t.input.viewType) && /missing-path\.md/.test(t.label),
    ).length,
    text: tabs.filter((t) => t.input instanceof vscode.TabInputText && t.input.uri.path.endsWith('/docs/rules/missing-path.md')).length,
    labels: tabs.map((t) => t.label),
  };
}

describe('Diagnostics and code actions', () => {
  after(async () => {
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('offers the nearest existing path for a mistyped resource, and applying it clears the diagnostic', async () => {
    await api();
    const overlay = workspaceUri('apps', 'staging', 'kustomization.yaml');
    const document = await replaceInBuffer(overlay, '- ../base/redis', '- ../base/rediz');
    const [diagnostic] = await waitFor(
      'the missing-path diagnostic',
      () => ourDiagnostics(overlay),
      (d) => d.some((x) => ruleOf(x) === 'missing-path'),
    );
    assert.strictEqual(ruleOf(diagnostic), 'missing-path');
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      overlay,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.edit && /\.\.\/base\/redis/.test(a.title));
    assert.ok(fix, `no quick fix among ${JSON.stringify(actions.map((a) => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit), 'the fix did not apply');
    await waitFor(
      'the diagnostic to clear',
      () => ourDiagnostics(overlay),
      (d) => !d.some((x) => ruleOf(x) === 'missing-path'),
    );
    assert.match(document.getText(), /- \.\.\/base\/redis\n/);
  });
  it('opens a diagnostic’s rule page rendered (a Markdown preview, not text), from its code link and its quick fix', async () => {
    await api();
    const overlay = workspaceUri('apps', 'staging', 'kustomization.yaml');
    await replaceInBuffer(overlay, '- ../base/redis', '- ../base/rediz');
    const [diagnostic] = await waitFor(
      'the missing-path diagnostic',
      () => ourDiagnostics(overlay).filter((d) => ruleOf(d) === 'missing-path'),
      (d) => d.length > 0,
    );
    const page = diagnostic.code.target;
    assert.strictEqual(page.scheme, 'file');
    assert.ok(page.path.endsWith('/docs/rules/missing-path.md'), page.toString());

    // The quick fix first: closing the edited file's editor would drop its (unsaved) diagnostic.
    const actions = await vscode.commands.executeCommand(
      'vscode.executeCodeActionProvider',
      overlay,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const show = actions.find((a) => a.title === 'Show documentation for rule missing-path');
    assert.ok(show, `no documentation action among ${JSON.stringify(actions.map((a) => a.title))}`);
    await vscode.commands.executeCommand(show.command.command, ...show.command.arguments);
    await waitFor('the rule page to show rendered', rulePageTabs, (tabs) => tabs.rendered === 1 && tabs.text === 0, 10000);
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.deepStrictEqual(rulePageTabs().rendered, 0);

    // What a click on the code link does (hover and Problems panel alike): VS Code opens the file URL.
    await vscode.commands.executeCommand('vscode.open', page);
    await waitFor('the rule page to show rendered', rulePageTabs, (tabs) => tabs.rendered === 1 && tabs.text === 0, 10000);
  });
});
