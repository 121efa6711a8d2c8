// Diagnostics and their quick fixes in the sample fleet, read through VS Code's own APIs.
/* global describe, it, after */
const assert = require('assert');
const vscode = require('vscode');
const { waitFor, ourDiagnostics, ruleOf } = require('./helpers');
const { api, replaceInBuffer, revertUnsavedDocuments, workspaceUri } = require('./sampleHelpers');

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
});
