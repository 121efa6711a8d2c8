// The Environments tree, the dependsOn graph and the status bar on the sample fleet.
/* global describe, it, after */
const assert = require('assert');
const vscode = require('vscode');
const { waitFor } = require('./helpers');
const { api, replaceInBuffer, revertUnsavedDocuments, workspaceUri } = require('./sampleHelpers');

async function kustomizationNode(environments, name) {
  const [staging] = await environments.getChildren();
  const children = await environments.getChildren(staging);
  const node = children.find((n) => n.type === 'kustomization' && n.kustomization.name === name);
  assert.ok(node, `no Kustomization ${name} under staging`);
  return node;
}

function label(item) {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

describe('Environments tree, dependency graph and status', () => {
  after(async () => {
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('lists the environments in promotion order', async () => {
    const { environments } = await api();
    // The tree fills once the server has indexed the workspace (after activation, or a restart).
    const roots = await waitFor(
      'the Environments tree to fill',
      () => environments.getChildren(),
      (nodes) => nodes.length > 0,
      15000,
    );
    assert.deepStrictEqual(
      roots.map((n) => label(environments.getTreeItem(n))),
      ['staging', 'production'],
    );
  });

  it('lists an environment’s Flux Kustomizations in dependsOn order, with dependsOn and prune/wait', async () => {
    const { environments } = await api();
    const [staging] = await environments.getChildren();
    const kustomizations = await environments.getChildren(staging);
    const items = kustomizations.map((n) => environments.getTreeItem(n));
    const names = items.map(label);
    assert.ok(names.indexOf('infrastructure') >= 0 && names.indexOf('infrastructure') < names.indexOf('apps'), JSON.stringify(names));
    const apps = items[names.indexOf('apps')];
    assert.match(apps.description, /→ infrastructure/);
    assert.match(apps.description, /prune/);
    assert.match(apps.description, /wait/);
    assert.strictEqual(apps.contextValue, 'fluxKustomization');
    // A click opens the defining file at the Kustomization
    await vscode.commands.executeCommand(apps.command.command, ...apps.command.arguments);
    const editor = vscode.window.activeTextEditor;
    assert.strictEqual(editor.document.uri.toString(), workspaceUri('clusters', 'staging', 'apps.yaml').toString());
    assert.match(editor.document.lineAt(editor.selection.active.line).text, /apps/);
  });

  it('groups a Kustomization’s rendered objects by kind; an object opens its defining file', async () => {
    const { environments } = await api();
    const apps = await kustomizationNode(environments, 'apps');
    const kinds = await environments.getChildren(apps);
    assert.ok(kinds.map((n) => n.kind).includes('Deployment'), JSON.stringify(kinds.map((n) => n.kind)));
    const deployment = kinds.find((n) => n.kind === 'Deployment');
    const objects = (await environments.getChildren(deployment)).map((n) => environments.getTreeItem(n));
    const myApp = objects.find((i) => /my-app$/.test(label(i)));
    assert.ok(myApp, JSON.stringify(objects.map(label)));
    await vscode.commands.executeCommand(myApp.command.command, ...myApp.command.arguments);
    assert.strictEqual(
      vscode.window.activeTextEditor.document.uri.toString(),
      workspaceUri('apps', 'base', 'my-app', 'deployment.yaml').toString(),
    );
  });

  it('refreshes from the server’s index when a file changes, without a reload', async () => {
    const { environments } = await api();
    let refreshed = 0;
    const listener = environments.onDidChangeTreeData(() => refreshed++);
    try {
      await replaceInBuffer(workspaceUri('clusters', 'staging', 'apps.yaml'), '  prune: true', '  prune: false');
      await waitFor(
        'the tree to refresh',
        () => refreshed,
        (n) => n > 0,
        5000,
      );
      const apps = await kustomizationNode(environments, 'apps');
      assert.match(environments.getTreeItem(apps).description, /no prune/);
    } finally {
      listener.dispose();
      await revertUnsavedDocuments();
    }
  });

  it('draws the dependsOn graph of an environment; a node opens its Kustomization', async () => {
    await api();
    const panel = await vscode.commands.executeCommand('fluxEnvironments.showGraph', 'staging');
    const graph = await panel.rendered;
    assert.ok(graph, 'the graph failed to render');
    assert.deepStrictEqual(graph.nodes.map((n) => n.name).sort(), ['apps', 'flux-system', 'infrastructure']);
    const apps = graph.nodes.find((n) => n.name === 'apps');
    const infrastructure = graph.nodes.find((n) => n.name === 'infrastructure');
    assert.ok(
      graph.edges.some((e) => e.from === apps.id && e.to === infrastructure.id && e.kind === 'declared'),
      JSON.stringify(graph.edges),
    );
    const html = panel.panel.webview.html;
    assert.match(html, /<svg/);
    assert.match(html, /default-src 'none'/);
    assert.doesNotMatch(html, /<script[^>]*src=/, 'no external scripts');
    const editor = await panel.openNode(apps.id);
    assert.strictEqual(editor.document.uri.toString(), workspaceUri('clusters', 'staging', 'apps.yaml').toString());
  });

  it('marks a dependsOn cycle in the graph', async () => {
    await replaceInBuffer(
      workspaceUri('clusters', 'staging', 'infrastructure.yaml'),
      '  interval: 10m',
      '  interval: 10m\n  dependsOn:\n  - name: apps',
    );
    const panel = await vscode.commands.executeCommand('fluxEnvironments.showGraph', 'staging');
    const inCycle = (g) =>
      g
        ? g.nodes
            .filter((n) => n.inCycle)
            .map((n) => n.name)
            .sort()
        : [];
    const graph = await waitFor(
      'the cycle in the graph',
      () => panel.rendered,
      (g) => inCycle(g).join() === 'apps,infrastructure',
      5000,
    );
    assert.ok(graph.edges.filter((e) => e.inCycle).length === 2, JSON.stringify(graph.edges));
    assert.match(panel.panel.webview.html, /class="node cycle"/);
    await revertUnsavedDocuments();
  });

  it('shows the environment and problem counts in the status bar', async () => {
    const { ctx } = await api();
    assert.strictEqual(ctx.status.state, 'ready');
    assert.strictEqual(ctx.status.environments, 2);
  });

  it('counts a problem in a base both environments read once: the status bar and the view badge agree', async () => {
    const { ctx, environments } = await api();
    await replaceInBuffer(workspaceUri('apps', 'base', 'my-app', 'kustomization.yaml'), 'resources:\n', 'resources:\n- missing.yaml\n');
    try {
      const status = await waitFor(
        'an error in the status',
        () => ctx.status,
        (s) => s && s.state === 'ready' && s.errors >= 1,
        15000,
      );
      const badge = await waitFor(
        'the badge to show the status count',
        () => environments.badge,
        (b) => !!b && b.value === ctx.status.errors + ctx.status.warnings,
        5000,
      );
      assert.match(badge.tooltip, /error.* in files the environments read/);
      const [staging, production] = await waitFor(
        'the tree to count the error',
        () => environments.getChildren(),
        (nodes) => nodes.length === 2 && nodes.every((n) => n.environment.problemCount >= 1),
        10000,
      );
      // Each environment reads the base: each shows it, and the fleet count is not their sum. The status is
      // read again once the tree has the error: one taken earlier may still hold a diagnostic an earlier test
      // left while the server re-checked.
      const settled = await waitFor(
        'the status to match the tree',
        () => ctx.status,
        (s) => s.state === 'ready' && staging.environment.problemCount + production.environment.problemCount > s.errors + s.warnings,
        10000,
      );
      assert.ok(settled.errors >= 1, JSON.stringify({ status, settled }));
      assert.match(environments.getTreeItem(staging).tooltip.value, /errors and warnings in the files this environment reads/);
    } finally {
      await revertUnsavedDocuments();
    }
  });
});
