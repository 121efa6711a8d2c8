// Preview HelmRelease Values on the sample fleet (a temp copy of examples/fleet-infra): the podinfo release
// takes its values from a ConfigMap each environment generates from its own file.
/* global describe, it, after */
const assert = require('assert');
const vscode = require('vscode');
const { waitFor } = require('./helpers');
const { api, openInEditor, lineOf, replaceInBuffer, revertUnsavedDocuments, documentText, workspaceUri } = require('./sampleHelpers');

function hoverText(hovers) {
  return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
}

describe('Preview HelmRelease Values', () => {
  const release = workspaceUri('apps', 'base', 'podinfo', 'release.yaml');
  const productionValues = workspaceUri('apps', 'production', 'podinfo-values.yaml');

  after(async () => {
    await revertUnsavedDocuments();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  async function lensFor(environment) {
    const lenses = await waitFor(
      'the values code lenses on the HelmRelease',
      () => vscode.commands.executeCommand('vscode.executeCodeLensProvider', release),
      (found) => (found || []).some((l) => l.command && l.command.title === `Values in ${environment}`),
    );
    return lenses.find((l) => l.command.title === `Values in ${environment}`);
  }

  it('opens from the "Values in production" code lens beside the editor, with the merged values of that environment', async () => {
    await api();
    await openInEditor(release);
    const lens = await lensFor('production');
    const uri = await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments);
    assert.ok(uri, 'the command returned no document');
    assert.strictEqual(uri.scheme, 'flux-environments-preview');
    const editor = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString());
    assert.ok(editor, 'the values preview is not visible');
    assert.strictEqual(editor.viewColumn, vscode.ViewColumn.Two);
    const text = await documentText(uri, (t) => t.includes('replicaCount: 3'), 'the production values');
    assert.match(text, /^# HelmRelease production\/podinfo in environment production/);
    assert.match(text, /\nui:\n {2}color: '#2f7d32'\n {2}message: Hello from podinfo\n/);
  });

  it('names where a value comes from on hover, and go-to jumps into the values file of the generator', async () => {
    const lens = await lensFor('production');
    const uri = await vscode.commands.executeCommand(lens.command.command, ...lens.command.arguments);
    const document = await vscode.workspace.openTextDocument(uri);
    const line = lineOf(document, 'replicaCount: 3');
    const position = new vscode.Position(line, 2);
    const hovers = await vscode.commands.executeCommand('vscode.executeHoverProvider', uri, position);
    assert.match(hoverText(hovers), /valuesFrom\[0\]: ConfigMap podinfo-values-[a-z0-9]+, key values\.yaml/);
    const locations = await vscode.commands.executeCommand('vscode.executeDefinitionProvider', uri, position);
    assert.ok(locations.length > 0, 'no definition');
    const target = locations[0].uri || locations[0].targetUri;
    assert.strictEqual(target.toString(), productionValues.toString());
  });

  it('follows an unsaved edit of the values file, and the staging preview keeps its own values', async () => {
    const production = await lensFor('production');
    const uri = await vscode.commands.executeCommand(production.command.command, ...production.command.arguments);
    await replaceInBuffer(productionValues, 'replicaCount: 3', 'replicaCount: 5');
    await documentText(uri, (t) => t.includes('replicaCount: 5'), 'the values preview to follow the unsaved edit');
    const staging = await lensFor('staging');
    const stagingUri = await vscode.commands.executeCommand(staging.command.command, ...staging.command.arguments);
    const text = await documentText(stagingUri, (t) => t.includes('replicaCount: 1'), 'the staging values');
    assert.doesNotMatch(text, /ingress:/);
  });

  it('opens from a rendered HelmRelease of the Environments view, in that environment', async () => {
    const document = await openInEditor(release);
    const line = lineOf(document, 'name: podinfo');
    // The tree's node for the HelmRelease as the staging environment renders it (what its context menu passes).
    const node = {
      type: 'object',
      parent: 'staging/apps',
      object: {
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        namespace: 'staging',
        name: 'podinfo',
        source: { uri: release.toString(), range: { start: { line, character: 8 }, end: { line, character: 15 } } },
        line: 0,
      },
    };
    const uri = await vscode.commands.executeCommand('fluxEnvironments.previewHelmReleaseValues', node);
    assert.ok(uri, 'the command returned no document');
    const text = await documentText(uri, (t) => t.includes('replicaCount: 1'), 'the staging values');
    assert.match(text, /^# HelmRelease staging\/podinfo in environment staging/);
  });
});
