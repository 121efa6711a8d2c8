// The Rendered Changes view follows typing without waiting for the analysis: this session's server holds
// every analysis 8 s after an edit (FLUX_ENVIRONMENTS_TEST_ANALYSIS_DELAY_MS, test/vscode/runTest.js), so a
// view that waited for it could not show an unsaved edit within the window below. Runs on a temp copy of the
// promote session's git repository.
/* global describe, it, before, after */
const assert = require('assert');
const vscode = require('vscode');
const { EXTENSION_ID, waitFor, workspaceUri } = require('./helpers');

const ANALYSIS_DELAY_MS = 8000;

async function extensionApi() {
  const extension = vscode.extensions.getExtension(EXTENSION_ID);
  await waitFor(
    'the extension to activate',
    () => extension.isActive,
    (active) => active === true,
    30000,
  );
  await waitFor(
    'the first index',
    () => extension.exports.ctx.status,
    (status) => status && status.state === 'ready',
    60000,
  );
  return extension.exports;
}

async function objectLines(tree) {
  const lines = [];
  for (const group of await tree.getChildren())
    for (const env of await tree.getChildren(group))
      for (const object of await tree.getChildren(env)) lines.push(`${env.environment.name}: ${tree.getTreeItem(object).label}`);
  return lines;
}

describe('Rendered Changes while typing', function () {
  this.timeout(90000);
  let api;
  const patch = () => workspaceUri('apps', 'production', 'my-app-patch.yaml');

  before(async () => {
    api = await extensionApi();
    await vscode.commands.executeCommand('fluxEnvironments.renderedChanges.focus');
    await waitFor(
      'no changes yet',
      () => objectLines(api.renderedChanges),
      (l) => l.length === 0,
      20000,
    );
  });
  after(async () => {
    for (const document of vscode.workspace.textDocuments) {
      if (!document.isDirty || document.uri.scheme !== 'file') continue;
      await vscode.window.showTextDocument(document);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('shows an unsaved edit long before the analysis runs', async () => {
    const document = await vscode.workspace.openTextDocument(patch());
    await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
    await vscode.commands.executeCommand('fluxEnvironments.renderedChanges.focus');
    const at = document.getText().indexOf('replicas: 5');
    assert.ok(at >= 0);
    const edit = new vscode.WorkspaceEdit();
    edit.replace(patch(), new vscode.Range(document.positionAt(at), document.positionAt(at + 'replicas: 5'.length)), 'replicas: 9');
    const started = Date.now();
    assert.ok(await vscode.workspace.applyEdit(edit));
    const lines = await waitFor(
      'the view to show the edit before the analysis',
      () => objectLines(api.renderedChanges),
      (l) => l.includes('production: Deployment production/my-app'),
      ANALYSIS_DELAY_MS / 2,
    );
    assert.deepStrictEqual(lines, ['production: Deployment production/my-app']);
    assert.ok(Date.now() - started < ANALYSIS_DELAY_MS, 'the view waited for the analysis');
  });
});
