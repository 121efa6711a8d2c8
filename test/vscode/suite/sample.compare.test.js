// Compare Environments on the sample fleet: the diff editor (staging left, production right) and the
// drift summary of workload facts.
/* global describe, it, after */
const assert = require('assert');
const vscode = require('vscode');
const { api, replaceInBuffer, revertUnsavedDocuments, documentText, workspaceUri } = require('./sampleHelpers');

describe('Compare Environments', () => {
  after(async () => {
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('opens the diff editor with staging on the left and production on the right, objects aligned', async () => {
    await api();
    const pair = await vscode.commands.executeCommand('fluxEnvironments.compare', 'staging', 'production');
    assert.deepStrictEqual(pair, { left: 'staging', right: 'production' });
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    assert.ok(tab && tab.input instanceof vscode.TabInputTextDiff, 'the active tab is not a diff editor');
    assert.strictEqual(tab.input.original.scheme, 'flux-environments-compare');
    assert.match(tab.input.original.path, /staging\.yaml$/);
    assert.match(tab.input.modified.path, /production\.yaml$/);
    const left = await documentText(tab.input.original, (t) => t.includes('kind: Deployment'), 'the staging side');
    const right = await documentText(tab.input.modified, (t) => t.includes('kind: Deployment'), 'the production side');
    assert.match(left, /replicas: 2/);
    assert.match(right, /replicas: 5/);
    // Aligned: both sides list the same objects in the same order, so only values differ.
    const kinds = (text) => text.split('\n').filter((l) => /^kind: /.test(l));
    assert.deepStrictEqual(kinds(left), kinds(right));
    assert.ok(
      !/namespace: (staging|production)\b/.test(left + right) || left.split('\n').length === right.split('\n').length,
      'environment namespaces are normalised so that they do not show as differences',
    );
  });

  it('follows unsaved edits on both sides', async () => {
    const tab = vscode.window.tabGroups.activeTabGroup.activeTab;
    await replaceInBuffer(workspaceUri('apps', 'production', 'my-app-patch.yaml'), 'replicas: 5', 'replicas: 9');
    await documentText(tab.input.modified, (t) => t.includes('replicas: 9'), 'the production side to follow the edit', 5000);
  });

  it('summarises images, replicas, requests and limits per workload and environment, drift marked', async () => {
    const panel = await vscode.commands.executeCommand('fluxEnvironments.compareSummary', 'staging', 'production');
    assert.ok(panel, 'no summary panel');
    const result = await panel.rendered;
    assert.ok(result, 'the summary failed to render');
    const app = result.workloads.find((w) => /Deployment\/.*my-app$/.test(w.key));
    assert.ok(app, `my-app is not among ${JSON.stringify(result.workloads.map((w) => w.key))}`);
    assert.ok(app.drift.includes('replicas'), JSON.stringify(app));
    assert.ok(app.drift.includes('requests'), JSON.stringify(app));
    // The sample's staging runs the next my-app (ready to promote); production the current one.
    assert.deepStrictEqual(app.left.images, ['ghcr.io/my-org/my-app:1.1.0']);
    assert.deepStrictEqual(app.right.images, ['ghcr.io/my-org/my-app:1.0.0']);
    assert.ok(app.drift.includes('images'), JSON.stringify(app));
    const html = panel.panel.webview.html;
    assert.match(html, /Content-Security-Policy/);
    assert.match(html, /default-src 'none'/);
    assert.match(html, /class="drift"/);
    assert.match(html, /my-app/);
  });
});
