// Rendered changes between git revisions in a real VS Code, on the promote session's temp git repository
// (runs before promote.test.js, and leaves no unsaved edit behind): "Compare Environment with Revision…"
// and the Rendered Changes view, both following an unsaved edit.
/* global describe, it, before, after */
const assert = require('assert');
const { execFileSync } = require('child_process');
const vscode = require('vscode');
const { EXTENSION_ID, waitFor, workspaceUri } = require('./helpers');

function git(...args) {
  const [folder] = vscode.workspace.workspaceFolders || [];
  return execFileSync('git', args, { cwd: folder.uri.fsPath, encoding: 'utf8' }).trim();
}

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
    30000,
  );
  return extension.exports;
}

async function replaceInBuffer(uri, from, to) {
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.window.showTextDocument(document, { preview: false, viewColumn: vscode.ViewColumn.One });
  const at = document.getText().indexOf(from);
  assert.ok(at >= 0, `"${from}" is not in ${uri.fsPath}`);
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(document.positionAt(at), document.positionAt(at + from.length)), to);
  assert.ok(await vscode.workspace.applyEdit(edit));
  return document;
}

async function revertUnsaved() {
  for (const document of vscode.workspace.textDocuments) {
    if (!document.isDirty || document.uri.scheme !== 'file') continue;
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }
}

async function textOf(uri, accept, description) {
  const document = await vscode.workspace.openTextDocument(uri);
  return waitFor(description, () => document.getText(), accept, 15000);
}

/** The tree as a reviewer reads it: group / environment: description / object: description. */
async function treeLines(tree) {
  const lines = [];
  const walk = async (node, depth) => {
    for (const child of await tree.getChildren(node)) {
      const item = tree.getTreeItem(child);
      lines.push(`${'  '.repeat(depth)}${item.label}${item.description ? ` · ${item.description}` : ''}`);
      if (child.kind !== 'object' && child.kind !== 'message') await walk(child, depth + 1);
    }
  };
  await walk(undefined, 0);
  return lines;
}

describe('Rendered changes between revisions in VS Code', function () {
  this.timeout(60000);
  let api;
  const patch = () => workspaceUri('apps', 'production', 'my-app-patch.yaml');

  before(async () => {
    api = await extensionApi();
  });
  after(async () => {
    await revertUnsaved();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    assert.strictEqual(git('status', '--porcelain'), '', 'the tests left changes in the repository');
  });

  it('"Compare Environment with Revision…" shows production at main on the left and live on the right, following an unsaved edit', async () => {
    const refsBefore = git('for-each-ref', '--format=%(refname) %(objectname)');
    const pair = await vscode.commands.executeCommand('fluxEnvironments.compareWithRevision', 'production', 'main');
    assert.deepStrictEqual(pair, { environment: 'production', revision: 'main' });
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab && tab.input instanceof vscode.TabInputTextDiff, 'the active tab is not a diff editor');
    assert.strictEqual(tab.input.original.scheme, 'flux-environments-revision');
    assert.match(tab.label, /^production: main ↔ live \(rendered\)$/);
    const left = await textOf(tab.input.original, (t) => t.includes('kind: Deployment'), 'production at main');
    await textOf(tab.input.modified, (t) => t.includes('replicas: 5'), 'production live');
    assert.match(left, /^# Deployment production\/my-app\n/m);
    assert.match(left, /replicas: 5/);
    await replaceInBuffer(patch(), 'replicas: 5', 'replicas: 8');
    await textOf(tab.input.modified, (t) => t.includes('replicas: 8'), 'the live side to follow the unsaved edit');
    assert.match((await vscode.workspace.openTextDocument(tab.input.original)).getText(), /replicas: 5/);
    assert.strictEqual(git('for-each-ref', '--format=%(refname) %(objectname)'), refsBefore);
  });

  it('the Rendered Changes view lists the environments and objects the unsaved edit changes; an object opens its rendered diff', async () => {
    await vscode.commands.executeCommand('fluxEnvironments.renderedChanges.focus');
    const tree = api.renderedChanges;
    const lines = await waitFor(
      'the Rendered Changes view to show the edit',
      () => treeLines(tree),
      (l) => l.some((line) => line.includes('Deployment production/my-app')),
      20000,
    );
    assert.deepStrictEqual(lines.slice(0, 4), [
      `Uncommitted changes (against HEAD) · ${git('rev-parse', 'HEAD').slice(0, 8)}`,
      '  staging · no changes',
      '  production · 1 changed',
      '    Deployment production/my-app · changed · flux-system/apps',
    ]);
    const [group] = await tree.getChildren();
    const production = (await tree.getChildren(group)).find((n) => n.environment.name === 'production');
    const [object] = await tree.getChildren(production);
    await vscode.commands.executeCommand('fluxEnvironments.openRenderedChange', object);
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab && tab.input instanceof vscode.TabInputTextDiff, 'clicking the object opened no diff');
    assert.strictEqual(tab.input.original.scheme, 'flux-environments-change');
    assert.match(await textOf(tab.input.original, (t) => t.includes('kind: Deployment'), 'the object before'), /replicas: 5/);
    assert.match(await textOf(tab.input.modified, (t) => t.includes('kind: Deployment'), 'the object now'), /replicas: 8/);
  });

  it('updates as the edit is undone: no changes left', async () => {
    await revertUnsaved();
    const tree = api.renderedChanges;
    await waitFor(
      'the Rendered Changes view to show no changes',
      () => treeLines(tree),
      (l) => l.length === 3 && l[1] === '  staging · no changes' && l[2] === '  production · no changes',
      20000,
    );
  });
});
